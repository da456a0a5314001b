"""Chasing: which agencies are reminded of a return still awaited, and what each reminder names.

A return is chased when the Returns sheet shows it Pending, or Rejected (the file that came back could not be
accepted, so the agency still owes a good copy), and its due date is on or before ``today`` plus the days
before due the Round sheet allows. A return that came back (Received, Partly accepted) is never chased: what
is left of it is for the Held Updates sheet, not for the agency. Only each agency's latest return is chased:
an older one still Pending is superseded by the newer return, which holds the same actions as they now stand.

The actions a reminder names are the return's ledger entries still awaited (pending, or refused on the way in
and so still owed), with a short text of each action from the Register. Pure: the use case reads the sheets
and writes the drafts (``app.rounds``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Sequence

from .dates import as_date
from .ledger import PENDING, REJECTED, Ledger, LedgerEntry
from .limits import shorten
from .model import Agency, Register
from .records import ReturnRecord, ReturnStatus
from .sheets import AGENCIES, RETURNS

ACTION_TEXT_MAX = 90  # how much of an action a reminder quotes beside its ref
CHASED_STATUSES = (ReturnStatus.PENDING, ReturnStatus.REJECTED)
AWAITED_STATES = (PENDING, REJECTED)


@dataclass(frozen=True)
class Awaited:
    """One action a reminder says is still awaited."""

    review: str
    ref: str
    action: str  # the action's text, shortened

    @property
    def label(self) -> str:
        return f"{self.review} {self.ref}".strip()


@dataclass(frozen=True)
class Reminder:
    """Everything one reminder email says: to whom, about which return, and the actions still awaited."""

    agency: Agency
    return_id: str
    due: date
    today: date
    awaited: tuple[Awaited, ...]
    file: str = ""  # the return's file name, as the Returns sheet has it
    refused: bool = False  # a copy came back and was rejected

    @property
    def overdue(self) -> int:
        """Days past the due date; 0 on the day, negative while it is still to come."""
        return (self.today - self.due).days


@dataclass
class Chase:
    """The reminders due, each with the position of its row among the Returns sheet's records, and why the
    other returns still awaited were not chased."""

    reminders: list[tuple[int, Reminder]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def reminders_due(records: Sequence[ReturnRecord], ledger: Ledger, register: Register, today: date,
                  days_before: int = 0) -> Chase:
    """The returns to chase as at ``today``: awaited, and due no later than ``days_before`` days from now."""
    chase = Chase()
    latest = _latest_returns(ledger)
    agencies = {a.name.casefold(): a for a in register.agencies}
    texts = {(a.review, a.ref): a.action for a in register.actions}
    superseded = not_due = 0
    for position, record in enumerate(records):
        if record.status not in CHASED_STATUSES:
            continue
        entries = ledger.of_return(record.return_id)
        where = f"{record.return_id} ({record.agency})"
        if not entries:
            chase.notes.append(f"{where} is on the {RETURNS} sheet but was never issued from this master, so it was "
                               f"not chased")
            continue
        if latest.get(entries[0].agency.casefold()) != record.return_id:
            superseded += 1
            continue
        due = as_date(record.due) or entries[0].due
        if due is None:
            chase.notes.append(f"{where} has no due date, so it was not chased; type one in its Due column")
            continue
        if (due - today).days > days_before:
            not_due += 1
            continue
        awaited = tuple(_awaited(e, texts) for e in entries if e.state in AWAITED_STATES)
        if not awaited:
            continue
        agency = agencies.get(entries[0].agency.casefold()) or Agency(entries[0].agency)
        if not agency.email:
            chase.notes.append(f"{agency.name} has no email address on the {AGENCIES} sheet; its reminder has no "
                               f"recipient")
        chase.reminders.append((position, Reminder(agency, record.return_id, due, today, awaited, record.file,
                                                   record.status == ReturnStatus.REJECTED)))
    if not_due:
        within = f" within {days_before} days" if days_before else ""
        chase.notes.append(f"{not_due} returns still awaited are not due{within} yet, so they were not chased")
    if superseded:
        chase.notes.append(f"{superseded} older returns still awaited were not chased: a newer return to the same "
                           f"agency supersedes each")
    return chase


def _latest_returns(ledger: Ledger) -> dict[str, str]:
    """Each agency's latest issued return id, by the agency's name folded."""
    latest: dict[str, tuple[int, str]] = {}
    for e in ledger.entries:
        key = e.agency.casefold()
        if key not in latest or e.round > latest[key][0]:
            latest[key] = (e.round, e.return_id)
    return {agency: return_id for agency, (_, return_id) in latest.items()}


def _awaited(entry: LedgerEntry, texts: dict[tuple[str, str], str]) -> Awaited:
    text = " ".join(str(texts.get(entry.key) or "").split())
    return Awaited(entry.review, entry.ref, shorten(text, ACTION_TEXT_MAX))
