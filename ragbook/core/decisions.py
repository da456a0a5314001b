"""Held updates decided: the Held Updates sheet's rows from the ledger, and a person's Accept or Reject applied.

Consolidation holds back an update it must not apply blindly (a Blue without evidence, an action changed in
the master since the return was issued, one no longer in the Register) and says why in the ledger entry's
Note. The Held Updates sheet shows every held entry of the ledger with that reason; a person types Accept or
Reject in its Decision column, with a note, and *Apply decisions* applies what they decided:

- Accept: the entry becomes applied and the action's fields are worked out again from every applied
  submission, by the very rule consolidation uses (``consolidate.apply_submission``); the Audit Log records
  each field changed and that the update was accepted on review, and by whom; the Updates sheet gains the
  update.
- Reject: the entry becomes rejected, its Note saying so, and the Audit Log records it; the Register is left
  as it is. The next return to that agency lists it (``not_accepted_for``).

A decision that cannot be carried out (an action no longer in the Register, a word that is neither Accept
nor Reject) is a problem naming the sheet's row, and the update stays held with the decision as typed.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Sequence

from .consolidate import ACCEPTED_ON_REVIEW, REJECTED_ON_REVIEW, Lookups, apply_submission, update_record
from .ledger import APPLIED, HELD, REJECTED, Ledger, LedgerEntry, canonical, with_state
from .model import Register
from .records import AuditEntry, Decision, HeldRecord, UpdateRecord
from .sheets import HELD_UPDATES, REGISTER

HELD_UPDATE_FIELD = "Held update"  # the Audit Log's Field of a decision on a held update
FIRST_ROW = 2  # the sheet's first row under its header


@dataclass
class Decided:
    """What applying the decisions did; the register and ledger were changed in place."""

    accepted: list[HeldRecord] = field(default_factory=list)
    rejected: list[HeldRecord] = field(default_factory=list)
    left: list[HeldRecord] = field(default_factory=list)  # still held: undecided, or a decision not carried out
    problems: list[str] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    updates: list[UpdateRecord] = field(default_factory=list)
    register_changed: bool = False

    @property
    def decided(self) -> bool:
        return bool(self.accepted or self.rejected)


def _key(return_id: str, review: str, ref: str) -> tuple[str, str, str]:
    return canonical(return_id), canonical(review), canonical(ref)


def held_records(ledger: Ledger, previous_held: Sequence[HeldRecord] = ()) -> list[HeldRecord]:
    """The Held Updates sheet's rows: every held entry of the ledger, in the ledger's order, with its reason.

    A row of ``previous_held`` (the sheet as it stands) for an update still held keeps the Decision, Decision
    Note and Decided By a person typed on it, as long as the update is the one they saw: when a later copy of
    the return changed what it holds, the decision is not carried over to words nobody has read, and the reason
    says to decide again. The rows of updates no longer held go.
    """
    typed = {}
    for row in previous_held:
        typed.setdefault(_key(*row.key), row)
    rows = []
    for e in ledger.entries:
        if e.state != HELD:
            continue
        row = HeldRecord(e.return_id, e.round, e.agency, e.review, e.ref, e.rag, e.progress, e.evidence,
                         e.revised_date, e.updated_by, e.received, e.note)
        before = typed.get(_key(e.return_id, e.review, e.ref))
        if before is not None and before.decision.strip():
            if _submitted(before) == _submitted(row):
                row = replace(row, decision=before.decision, decision_note=before.decision_note,
                              decided_by=before.decided_by)
            else:
                row = replace(row, reason=f"{e.note} {CHANGED_SINCE_DECIDED}".strip())
        elif before is not None:
            row = replace(row, decision_note=before.decision_note, decided_by=before.decided_by)
        rows.append(row)
    return rows


CHANGED_SINCE_DECIDED = ("(A later copy of the return changed this update after a decision was typed on it, so "
                         "the decision was cleared; decide again.)")


def _submitted(row: HeldRecord) -> tuple[str, ...]:
    """What the agency submitted, as the sheet shows it (a date may read back as a datetime)."""
    return tuple(canonical(v) for v in (row.rating, row.progress, row.evidence, row.revised_date, row.updated_by))


def apply_decisions(register: Register, ledger: Ledger, held: Sequence[HeldRecord], who: str,
                    when: datetime) -> Decided:
    """Carry out each Decision typed on the Held Updates sheet ``held``; ``who`` is the person applying them,
    named as the decider where a row's Decided By is blank."""
    result = Decided()
    lookups = Lookups.build(register, ledger)
    entries = {}
    for e in ledger.entries:
        if e.state == HELD:
            entries.setdefault(_key(e.return_id, e.review, e.ref), e)
    for number, row in enumerate(held, start=FIRST_ROW):
        where = f"{HELD_UPDATES} row {number} ({row.return_id}, action {row.review} {row.ref})"
        typed = " ".join(str(row.decision or "").split())
        if not typed:
            result.left.append(row)
            continue
        decision = Decision.parse(typed)
        entry = entries.get(_key(*row.key))
        problem = None
        if decision is None:
            problem = (f"{where}: the decision {typed!r} is neither {Decision.ACCEPT} nor {Decision.REJECT}; type "
                       f"one of them and apply the decisions again")
        elif entry is None:
            problem = f"{where}: this update is no longer held (the sheet is out of date); its decision was not applied"
        elif decision == Decision.ACCEPT:
            problem = _accept(register, lookups, entry, row, who, when, where, result)
        else:
            _reject(lookups, entry, row, who, when, result)
        if problem:
            result.problems.append(problem)
            result.left.append(row)
        else:
            del entries[_key(*row.key)]  # decided once: a second row of the same update finds it decided
    return result


def _decider(row: HeldRecord, who: str) -> str:
    return " ".join(row.decided_by.split()) or who


def _said(who: str, note: str) -> str:
    note = " ".join(note.split())
    return f"{who}: {note}" if note else who


def _accept(register: Register, lookups: Lookups, entry: LedgerEntry, row: HeldRecord, who: str,
            when: datetime, where: str, result: Decided) -> str | None:
    """Apply one held update a person accepted; the problem that stopped it, if any."""
    position = lookups.positions.get(entry.key)
    label = f"{entry.review} {entry.ref}"
    if position is None:
        return (f"{where}: action {label} is no longer in the {REGISTER}, so it cannot be accepted; it stays held "
                f"(reject it, or put the action back first)")
    if position < 0:
        return (f"{where}: action {label} appears more than once in the {REGISTER}, so it cannot be accepted; it "
                f"stays held (give each action its own ref first)")
    decider = _decider(row, who)
    accepted = with_state(entry, APPLIED, note=ACCEPTED_ON_REVIEW + _said(decider, row.decision_note))
    before = register.actions[position]
    done = apply_submission(register, lookups.hashes, accepted, position, lookups.applied.get(entry.key, []), when)
    lookups.record([done.entry])
    result.register_changed = result.register_changed or register.actions[position] != before
    result.audit += [*done.audit, _audit(entry, when, f"accepted by {_said(decider, row.decision_note)}")]
    result.updates.append(update_record(done.entry, when, f"{decider} on review"))
    result.accepted.append(row)
    return None


def _reject(lookups: Lookups, entry: LedgerEntry, row: HeldRecord, who: str, when: datetime,
            result: Decided) -> None:
    decider = _decider(row, who)
    rejected = with_state(entry, REJECTED, note=REJECTED_ON_REVIEW + _said(decider, row.decision_note))
    lookups.record([rejected])
    result.audit.append(_audit(entry, when, f"rejected by {_said(decider, row.decision_note)}"))
    result.rejected.append(row)


def _audit(entry: LedgerEntry, when: datetime, decided: str) -> AuditEntry:
    return AuditEntry(when, entry.return_id, entry.agency, entry.review, entry.ref, HELD_UPDATE_FIELD,
                      f"held: {entry.note}", decided)


def not_accepted_for(ledger: Ledger, agency: str) -> list[tuple[str, str, str]]:
    """(review, ref, reason) of the updates of ``agency``'s latest round that were rejected on review.

    Call it before the next return's entries are added to the ledger: the latest round is then the return the
    agency last sent back, and these are what its next return should tell it was not accepted, and why.
    """
    own = [e for e in ledger.entries if e.agency.casefold() == agency.casefold()]
    if not own:
        return []
    latest = max(e.round for e in own)
    return [(e.review, e.ref, e.note) for e in own
            if e.round == latest and e.state == REJECTED and e.note.startswith(REJECTED_ON_REVIEW)]
