"""Use cases of a round once its returns are out: chase the agencies still awaited, re-issue one agency's return.

``chase_returns`` drafts a reminder to every agency whose return is still awaited near or past its due date
(which ones is ``core.chase``'s rule) and records each chase on the Returns sheet; ``reissue_return`` writes one
agency's return of the current round again (a lost file, a new contact) under the same return id. Both work
on a ``ports.Master`` and write through ``ports.ReturnFiles``; ``chase_plan`` and ``reissue_plan`` run them
inside the unit of work, and take back what they wrote when the master cannot be saved. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Sequence

from ..core.chase import Reminder, reminders_due
from ..core.dates import as_date
from ..core.decisions import not_accepted_for
from ..core.errors import InputError, RagbookError
from ..core.ledger import APPLIED, HELD, Ledger, LedgerEntry
from ..core.model import Agency, Register
from ..core.records import ReturnRecord, ReturnStatus
from ..core.returns import Identity
from ..core.sheets import AGENCIES, RETURNS
from .ports import Master, Plans, ReturnFiles
from .returns import MAX_NOTES, IssueReport, Sending, finding_warnings, remove_issued


@dataclass(frozen=True)
class ChasedReturn:
    agency: str
    return_id: str
    due: date
    awaited: tuple[str, ...]  # each action still awaited, as "review ref"
    chases: int  # how many times this return has been chased, this chase included
    draft: Path | None
    email: str
    contact: str
    reminder: Reminder | None = None  # what the draft says, for a caller that makes the drafts itself

    @property
    def overdue(self) -> int:
        """Days past the due date (negative while it is still to come)."""
        return self.reminder.overdue if self.reminder else 0


@dataclass(frozen=True)
class ChaseReport:
    plan: str
    chased: tuple[ChasedReturn, ...]
    notes: tuple[str, ...]
    today: date
    plan_name: str = ""  # how the reminders name the plan
    signature: tuple[str, ...] = ()  # the lines that sign them

    @property
    def drafts(self) -> list[Path]:
        return [item.draft for item in self.chased if item.draft]


# ---------------------------------------------------------------------------- chase
def chase_returns(master: Master, files: ReturnFiles, out_dir: Path, *, today: date | None = None,
                  days_before: int | None = None, eml: bool = True) -> ChaseReport:
    """Draft a reminder (into ``out_dir``) to each agency whose return is awaited and due within ``days_before``
    days (the Round sheet's Chase days before due when None), and record the chase on the Returns sheet.

    A return chased again on the same day is not counted twice: its Chases stay as they were. With ``eml``
    False no draft is written (the ribbon makes Outlook drafts from the report's reminders) but the chase is
    still recorded.
    """
    today = today or date.today()
    if days_before is None:
        days_before = master.read_round().chase_days
    if days_before < 0:
        raise InputError(f"{master.name}: the days before due to chase from must be 0 or more, not {days_before}.")
    register = master.read_register()
    records = master.read_returns()
    found = reminders_due(records, master.read_ledger(), register, today, days_before)
    notes = list(found.notes)
    if not found.reminders:
        notes.insert(0, _nothing_to_chase(records, today, days_before))
        return ChaseReport(master.name, (), tuple(notes), today)
    sending = Sending.of(master, register, files, out_dir, None, eml)
    drafts: list[Path] = []
    if eml:
        files.prepare_folder(out_dir)
    try:
        for _, reminder in found.reminders:
            if eml:
                drafts.append(files.write_chase(out_dir, reminder, sending.plan_name, sending.signature))
    except OSError as exc:
        files.remove(drafts)
        raise InputError(f"{out_dir}: a reminder could not be written ({exc.strerror or exc}); nothing was "
                         f"chased.") from None
    chased: list[ChasedReturn] = []
    again: list[str] = []
    for number, (position, reminder) in enumerate(found.reminders):
        record = records[position]
        again_today = as_date(record.chased) == today
        if again_today:
            again.append(reminder.agency.name)
        records[position] = replace(record, chased=today, chases=record.chases + (0 if again_today else 1))
        agency = reminder.agency
        chased.append(ChasedReturn(agency.name, reminder.return_id, reminder.due,
                                   tuple(a.label for a in reminder.awaited), records[position].chases,
                                   drafts[number] if eml else None, agency.email, agency.contact, reminder))
    if again:
        notes.append(f"{', '.join(again)} {'was' if len(again) == 1 else 'were'} chased today already, so this "
                     f"chase was not counted again")
    master.write_returns(records)
    return ChaseReport(master.name, tuple(chased), tuple(notes), today, sending.plan_name, sending.signature)


def _nothing_to_chase(records: Sequence[ReturnRecord], today: date, days_before: int) -> str:
    if not any(r.status in (ReturnStatus.PENDING, ReturnStatus.REJECTED) for r in records):
        return f"no return is awaited (none is Pending or Rejected on the {RETURNS} sheet)"
    within = f" or due within {days_before} days" if days_before else ""
    return f"no return awaited is past its due date{within} as at {today:%d/%m/%Y}"


def chase_plan(plans: Plans, files: ReturnFiles, out_dir: Path, **options) -> ChaseReport:
    report = None
    try:
        with plans.editing() as master:
            report = chase_returns(master, files, out_dir, **options)
    except RagbookError:
        if report is not None:  # the chases could not be recorded: their drafts must not go out
            files.remove(report.drafts)
        raise
    return report


# ---------------------------------------------------------------------------- re-issue
def reissue_return(master: Master, files: ReturnFiles, out_dir: Path, agency: str, *, password: str | None = None,
                   eml: bool = False, today: date | None = None, due: date | None = None) -> IssueReport:
    """Write ``agency``'s return of its latest round again, under the same return id, with its actions as they
    stand now; refused once the return has come back.

    Its ledger entries are replaced by those of the return written now (issued today), so a copy of the old
    file that comes back is checked against what was sent last (and refused: it names the old issue date).
    The Returns sheet keeps the return's first Issued date and says "Re-issued" in its Notes.
    """
    today = today or date.today()
    register = master.read_register()
    named = _agency_named(master, register, agency)
    ledger = master.read_ledger()
    entries = _latest_return(master, ledger, named)
    return_id, round_ = entries[0].return_id, entries[0].round
    records = master.read_returns()
    position = next((i for i, r in enumerate(records) if r.return_id == return_id), None)
    record = records[position] if position is not None else None
    _check_reissue(master, named, return_id, record, entries)
    actions = tuple(a for a in register.actions if a.is_led_by(named.name))
    if not actions:
        raise InputError(f"{master.name}: {named.name} leads no actions in the Register now, so there is no return "
                         f"to re-issue.")
    due = due or entries[0].due or (as_date(record.due) if record else None) or master.read_round().due_date(today)
    warnings = finding_warnings(master, register, master.read_round().validate_as_at or today)
    earlier = Ledger(ledger.secret, [e for e in ledger.entries if e.return_id != return_id])
    files.prepare_folder(out_dir)
    sending = Sending.of(master, register, files, out_dir, password, eml)
    notes: list[str] = []
    try:
        item, fresh = sending.send(ledger, named, Identity(return_id, named.name, round_, today), due, actions,
                                   not_accepted_for(earlier, named.name), notes)
    except OSError as exc:
        raise InputError(f"{out_dir}: the return could not be written ({exc.strerror or exc}); nothing was "
                         f"re-issued.") from None
    master.write_ledger(_replaced(ledger, return_id, fresh))
    note = f"Re-issued {today:%d/%m/%Y}"
    if record is None:
        records.append(ReturnRecord(return_id, named.name, entries[0].issued, due, None, ReturnStatus.PENDING,
                                    item.path.name, note))
    else:
        records[position] = replace(record, due=due, received=None, status=ReturnStatus.PENDING, file=item.path.name,
                                    notes=f"{note}; {record.notes}"[:MAX_NOTES] if record.notes else note)
    master.write_returns(records)
    return IssueReport(master.name, round_, today, due, (item,), tuple(notes), bool(password), sending.plan_name,
                       sending.signature, warnings)


def _agency_named(master: Master, register: Register, agency: str) -> Agency:
    wanted = " ".join(agency.split()).casefold()
    for candidate in register.agencies:
        if candidate.name.casefold() == wanted:
            return candidate
    listed = ", ".join(a.name for a in register.agencies) or "no agencies"
    raise InputError(f"{master.name}: {agency!r} is not on the {AGENCIES} sheet (it lists {listed}).")


def _latest_return(master: Master, ledger: Ledger, agency: Agency) -> list[LedgerEntry]:
    """The ledger entries of the agency's return in its latest round."""
    own = [e for e in ledger.entries if e.agency.casefold() == agency.name.casefold()]
    if not own:
        raise InputError(f"{master.name}: {agency.name} has not been sent a return yet, so there is none to "
                         f"re-issue; issue returns to it instead.")
    latest = max(own, key=lambda e: e.round)
    return ledger.of_return(latest.return_id)


def _check_reissue(master: Master, agency: Agency, return_id: str, record: ReturnRecord | None,
                   entries: Sequence[LedgerEntry]) -> None:
    """Refuse, in one sentence, a re-issue of a return that came back (or is being decided on)."""
    where = f"{master.name}: {agency.name}'s return {return_id}"
    if record is not None and record.status not in (ReturnStatus.PENDING, ReturnStatus.REJECTED):
        if record.came_back:
            came = as_date(record.received)
            on = f" on {came:%d/%m/%Y}" if came else ""
            raise InputError(f"{where} came back{on} ({record.status}), so it cannot be re-issued; send it again "
                             f"in the next round.")
        raise InputError(f"{where} is {str(record.status)!r} on the {RETURNS} sheet, not Pending or Rejected, so "
                         f"it cannot be re-issued; set its Status to Pending to re-issue it.")
    if any(e.state == HELD for e in entries):
        raise InputError(f"{where} has updates held for review on the Held Updates sheet, so it cannot be "
                         f"re-issued; decide its held updates first.")
    if any(e.state == APPLIED for e in entries):
        raise InputError(f"{where} has updates already applied to the Register, so it cannot be re-issued; send "
                         f"it again in the next round.")


def _replaced(ledger: Ledger, return_id: str, fresh: Sequence[LedgerEntry]) -> Ledger:
    """The ledger with the entries of ``return_id`` replaced by ``fresh``, where the old ones were."""
    kept = [e for e in ledger.entries if e.return_id != return_id]
    at = next((i for i, e in enumerate(ledger.entries) if e.return_id == return_id), len(kept))
    return Ledger(ledger.secret, kept[:at] + list(fresh) + kept[at:])


def reissue_plan(plans: Plans, files: ReturnFiles, out_dir: Path, agency: str, **options) -> IssueReport:
    report = None
    try:
        with plans.editing() as master:
            report = reissue_return(master, files, out_dir, agency, **options)
    except RagbookError:
        if report is not None:  # the master could not be saved: it does not know of the return written
            remove_issued(files, report.returns)
        raise
    return report
