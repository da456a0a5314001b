"""Consolidation: applying checked returns to the register, so that order and repetition never matter.

The value of an input field (rating, progress, evidence, revised date) after consolidation is a function of
the ledger alone: of the applied submissions for that action and field, only those of the newest round count
(a return older than one already applied never overwrites newer data), and when several agencies share an
action their submissions of that round are combined — the worst rating, the latest revised date, each
agency's text under its name. Every combination is commutative and idempotent, so consolidating a set of
returns in any order, or twice, gives the same register.

Nothing is applied blindly: a row whose master content changed since the return was issued (other than by
consolidation itself), a row that no longer exists, and a Blue claimed without evidence are held for review.
A person decides each held update on the Held Updates sheet (``core.decisions``); what they decided stays
decided when the same return is consolidated again.

Every submission that becomes applied is put on record once, as an ``UpdateRecord`` for the Updates sheet:
the register shows the current position, the Updates sheet how it got there.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import datetime
from enum import StrEnum
from collections.abc import Mapping, Sequence

from .limits import CELL_TEXT_MAX, shorten
from .ledger import (APPLIED, HELD, REJECTED, ActionHashes, EntryIndex, Ledger, LedgerEntry, locked_values,
                     with_state)
from .model import Action, Register
from .ratings import COMPLETE, role_code, worst
from .records import AuditEntry, ReturnStatus, UpdateRecord
from .returns import (ReturnContent, ReturnRejected, RowCheck, RowMatch, check_identity, check_inputs,
                      match_rows)
from .rules import FIELD_LABELS

INPUT_FIELDS = ("rag", "progress", "evidence", "revised_date")
ACTION_FIELDS = tuple(f.name for f in fields(Action))
SUBMITTED_FIELDS = INPUT_FIELDS + ("updated_by",)  # what an agency submits for one action

# How the ledger's Note of an entry a person decided on the Held Updates sheet begins (``core.decisions``).
ACCEPTED_ON_REVIEW = "accepted on review by "
REJECTED_ON_REVIEW = "rejected on review by "
CONSOLIDATION = "consolidation"  # the Updates sheet's Accepted of an update consolidation applied


class RowState(StrEnum):
    """What consolidation did with one row of a return."""

    APPLIED = "applied"
    UNCHANGED = "unchanged"
    HELD = "held"
    REJECTED = "rejected"
    MISSING = "missing"


ROW_APPLIED, ROW_UNCHANGED, ROW_HELD, ROW_REJECTED, ROW_MISSING = RowState


@dataclass(frozen=True)
class RowOutcome:
    review: str
    ref: str
    row: int | None
    state: RowState
    message: str = ""


@dataclass(frozen=True)
class ReturnOutcome:
    path: str
    return_id: str
    agency: str
    status: ReturnStatus
    reasons: tuple[str, ...] = ()  # why rows or the whole return were refused or held
    warnings: tuple[str, ...] = ()
    rows: tuple[RowOutcome, ...] = ()
    audit: tuple[AuditEntry, ...] = ()
    updates: tuple[UpdateRecord, ...] = ()  # the submissions this return put on record (the Updates sheet)

    @property
    def has_problems(self) -> bool:
        return self.status != ReturnStatus.RECEIVED

    @property
    def applied(self) -> int:
        return sum(r.state == ROW_APPLIED for r in self.rows)


def rejected(path: str, reason: str, return_id: str = "", agency: str = "") -> ReturnOutcome:
    return ReturnOutcome(path, return_id, agency, ReturnStatus.REJECTED, (reason,))


@dataclass
class Lookups:
    """Indexes over the register and the ledger, built once for a batch of returns and kept current as each
    return is applied, so that consolidating 40 returns against 20,000 actions does not rescan them 40 times;
    and each action's keyed hash, worked out once for the batch (an action shared by several agencies is
    checked by each of their returns)."""

    positions: dict[tuple[str, str], int]  # -1 where a key is ambiguous (two actions share it)
    applied: dict[tuple[str, str], list[LedgerEntry]]
    hashes: ActionHashes
    entries: EntryIndex

    @classmethod
    def build(cls, register: Register, ledger: Ledger) -> Lookups:
        positions: dict[tuple[str, str], int] = {}
        for i, a in enumerate(register.actions):
            positions[(a.review, a.ref)] = -1 if (a.review, a.ref) in positions else i
        applied: dict[tuple[str, str], list[LedgerEntry]] = {}
        for e in ledger.entries:
            if e.state == APPLIED:
                applied.setdefault(e.key, []).append(e)
        return cls(positions, applied, ActionHashes(ledger), EntryIndex(ledger))

    def record(self, updated: Sequence[LedgerEntry]) -> None:
        """Put ``updated`` in the ledger in place of the entries of the same slots, and in these indexes."""
        self.entries.replace_entries(updated)
        for entry in updated:
            kept = [e for e in self.applied.get(entry.key, [])
                    if (e.return_id, e.position) != (entry.return_id, entry.position)]
            if entry.state == APPLIED:
                kept.append(entry)
            self.applied[entry.key] = kept


class _LockedNow(Mapping):
    """The master's current locked values by action key, worked out only for the keys asked about."""

    def __init__(self, register: Register, positions: dict[tuple[str, str], int]) -> None:
        self.register, self.positions = register, positions

    def __getitem__(self, key: tuple[str, str]) -> tuple[object, ...]:
        position = self.positions.get(key, -1)
        if position < 0:
            raise KeyError(key)
        return locked_values(self.register.actions[position])

    def __iter__(self):
        return (key for key, position in self.positions.items() if position >= 0)

    def __len__(self) -> int:
        return sum(position >= 0 for position in self.positions.values())


def consolidate_return(register: Register, ledger: Ledger, content: ReturnContent, when: datetime,
                       lookups: Lookups | None = None) -> ReturnOutcome:
    """Check one return against the ledger and apply its valid rows to ``register`` and ``ledger`` in place.

    Pass the same ``lookups`` to every return of a batch; without it they are built for this return alone.
    """
    try:
        entries = check_identity(content.copies, ledger, lookups.entries.of_return if lookups else None)
    except ReturnRejected as exc:
        return rejected(content.path, str(exc))
    first = entries[0]
    lookups = lookups or Lookups.build(register, ledger)
    match = match_rows(entries, content.rows, ledger, _LockedNow(register, lookups.positions))
    relabelled = _relabelled(entries, match, ledger)
    if relabelled:
        return rejected(content.path, relabelled, first.return_id, first.agency)
    reasons = [message for _, message in match.problems]
    warnings = list(content.warnings)
    lost = [place for place, identity in content.copies if identity is None]
    if lost:
        warnings.append(f"its identity was missing from {' and '.join(lost)} (the other copy was used)")
    outcomes = [RowOutcome(row.key[0], row.key[1], row.number, ROW_REJECTED, message) for row, message in match.problems]
    if match.reordered:
        warnings.append("its rows were put in a different order; each was matched to its action by review and ref")
    updated: list[LedgerEntry] = []
    audit: list[AuditEntry] = []
    updates: list[UpdateRecord] = []
    positions, applied = lookups.positions, lookups.applied
    filled = False
    for entry, row in match.matched:
        check = check_inputs(row, register.index)
        filled = filled or check.submission is None or not check.submission.is_empty
        warnings += [f"row {row.number}: {w}" for w in check.warnings]
        outcome, new_entry, changes = _apply_row(register, lookups.hashes, entry, check, when,
                                                 positions.get(entry.key), applied.get(entry.key, []))
        outcomes.append(outcome)
        if outcome.state in (ROW_HELD, ROW_REJECTED):
            reasons.append(outcome.message)
        elif outcome.message:
            warnings.append(outcome.message)
        if new_entry is not None:
            updated.append(new_entry)
            if newly_applied(entry, new_entry):
                updates.append(update_record(new_entry, when, CONSOLIDATION))
        audit += changes
    for entry in match.missing:
        message = (f"action {entry.review} {entry.ref} is missing from the return (a deleted row); it was not "
                   f"updated")
        outcomes.append(RowOutcome(entry.review, entry.ref, None, ROW_MISSING, message))
        reasons.append(message)
    lookups.record(updated)
    if match.matched and not match.problems and all(o.state == ROW_UNCHANGED and not o.message for o in outcomes):
        if filled and all(entry.state == APPLIED for entry, _ in match.matched):
            received = min((e.received for e, _ in match.matched if e.received), default=None)
            when_text = f" on {received:%d/%m/%Y}" if received else ""
            warnings.append(f"it was already consolidated{when_text}; nothing changed")
        elif not filled:
            warnings.append("no updates were filled in")
    accepted = sum(o.state in (ROW_APPLIED, ROW_UNCHANGED) for o in outcomes)
    status = ReturnStatus.RECEIVED if not reasons else (
        ReturnStatus.PARTLY_ACCEPTED if accepted else ReturnStatus.REJECTED)
    return ReturnOutcome(content.path, first.return_id, first.agency, status, tuple(reasons), tuple(warnings),
                         tuple(outcomes), tuple(audit), tuple(updates))


def submitted(entry: LedgerEntry) -> tuple[object, ...]:
    """What the agency submitted for the entry's action, field by field (blank where it left a cell blank)."""
    return tuple(getattr(entry, name) for name in SUBMITTED_FIELDS)


def newly_applied(before: LedgerEntry, after: LedgerEntry) -> bool:
    """Whether ``after`` applies a submission that is not yet on record: applied, not blank, and not the very
    submission ``before`` already applied (the same file consolidated again, or an identical second copy)."""
    if after.state != APPLIED or not any(after.submitted(name) is not None for name in SUBMITTED_FIELDS):
        return False
    return not (before.state == APPLIED and submitted(before) == submitted(after))


def update_record(entry: LedgerEntry, when: datetime, accepted: str) -> UpdateRecord:
    """The Updates sheet's line for an applied entry: the fields as the agency submitted them, not as merged."""
    return UpdateRecord(when, entry.round, entry.return_id, entry.agency, entry.review, entry.ref, entry.rag,
                        entry.progress, entry.evidence, entry.revised_date, entry.updated_by, accepted)


def _relabelled(entries: Sequence[LedgerEntry], match: RowMatch, ledger: Ledger) -> str:
    """Why a return whose rows are another agency's return's rows is refused as a whole ("" when they are not).

    Its identity copies may have been changed consistently: applying the rows it shares with the return it
    claims to be would credit one agency's words to another. A single row pasted from a colleague's return is
    not that, and is only ignored; rows of other agencies' actions that outnumber the return's own, or stand
    in place of rows it lost, are.
    """
    claimed = entries[0]
    own = {e.key for e in entries}
    asked = {row.key for row, _ in match.problems} - own  # only these rows can be another agency's
    if not asked:
        return ""
    others: dict[tuple[str, str], LedgerEntry] = {}
    for entry in ledger.entries:
        if entry.key in asked and entry.agency.casefold() != claimed.agency.casefold():
            if entry.key not in others or entry.round > others[entry.key].round:
                others[entry.key] = entry
    foreign = sorted({row.number: others[row.key] for row, _ in match.problems if row.key in others}.items())
    if not foreign or (not match.missing and len(foreign) < len(match.matched)):
        return ""
    owners = sorted({f"{e.agency} (return {e.return_id})" for _, e in foreign})
    rows = ", ".join(str(number) for number, _ in foreign)
    lost = f", and {len(match.missing)} of its own actions are missing" if match.missing else ""
    return (f"its rows are not those of return {claimed.return_id} as issued to {claimed.agency}: rows {rows} hold "
            f"actions issued to {' and '.join(owners)}{lost}; it looks relabelled as another agency's return, so "
            f"nothing in it was applied; ask {claimed.agency} to send back the return it was sent")


def _apply_row(register: Register, hashes: ActionHashes, entry: LedgerEntry, check: RowCheck, when: datetime,
               position: int | None, applied_before: list[LedgerEntry]) -> tuple[RowOutcome, LedgerEntry | None, list[AuditEntry]]:
    row = check.row
    label = f"{entry.review} {entry.ref}"

    def outcome(state: RowState, message: str = "") -> RowOutcome:
        return RowOutcome(entry.review, entry.ref, row.number, state, message)

    already = entry.state == APPLIED
    reviewed = entry.note.startswith((ACCEPTED_ON_REVIEW, REJECTED_ON_REVIEW))
    if check.submission is None:
        message = f"row {row.number} (action {label}): " + "; ".join(check.errors)
        # A broken copy of a return already applied (or decided on review) must not undo what was done with it.
        kept = None if already or reviewed else with_state(entry, REJECTED, note=message)
        return outcome(ROW_REJECTED, message), kept, []
    submission = check.submission
    fields = dict(rag=submission.rag, progress=submission.progress, evidence=submission.evidence,
                  revised_date=submission.revised_date, updated_by=submission.updated_by)
    if reviewed and tuple(fields[name] for name in SUBMITTED_FIELDS) == submitted(entry):
        # A person decided this very update on the Held Updates sheet: consolidating its file again keeps that.
        if entry.state == REJECTED:
            message = f"row {row.number}: the update of action {label} was {entry.note}"
            return outcome(ROW_REJECTED, message), None, []
        return outcome(ROW_UNCHANGED), None, []
    def held(message: str) -> tuple[RowOutcome, LedgerEntry | None, list[AuditEntry]]:
        # A copy of a return already applied that now cannot be applied leaves the ledger as the good copy left it.
        kept = None if already else with_state(entry, HELD, note=message, received=when, **fields)
        return outcome(ROW_HELD, message), kept, []

    if position is None:
        return held(f"row {row.number}: action {label} is no longer in the master; held for review")
    if position < 0:
        return held(f"row {row.number}: action {label} appears more than once in the master's Register; held "
                    f"for review (give each action its own ref)")
    action = register.actions[position]
    # A matched row's locked values hash as issued, so an action that still reads as the row needs no hashing.
    current = hashes.of(action, (row.locked(), entry.issued_hash))
    if current != entry.issued_hash and not any(current == e.applied_hash for e in applied_before):
        return held(f"row {row.number}: action {label} was changed in the master after this return was issued; "
                    f"held for review (compare the return with the Register before applying it by hand)")
    complete = role_code(register.index, COMPLETE)
    if complete and submission.rag == complete and not (submission.evidence or action.evidence.strip()):
        return held(f"row {row.number}: action {label} was rated {register.index[complete].label} (complete) "
                    f"without evidence; held back until the agency sends its evidence")
    if submission.is_empty:
        keep = None if already else with_state(entry, APPLIED, received=when, applied_hash=current)
        return outcome(ROW_UNCHANGED), keep, []

    new_entry = with_state(entry, APPLIED, received=entry.received if already else when, note="", **fields)
    done = apply_submission(register, hashes, new_entry, position, applied_before, when)
    note = ""
    if done.superseded:
        note = (f"row {row.number}: a newer return was already applied to action {label}, so its "
                f"{', '.join(FIELD_LABELS[f] for f in done.superseded)} was kept")
    return outcome(ROW_APPLIED if done.audit else ROW_UNCHANGED, note), done.entry, list(done.audit)


@dataclass(frozen=True)
class Applied:
    """One submission applied to its action: the ledger entry as applied (with the row's new hash), the Audit
    Log's entries of what changed, and the fields a newer round's update kept as they were."""

    entry: LedgerEntry
    audit: tuple[AuditEntry, ...]
    superseded: tuple[str, ...]


def apply_submission(register: Register, hashes: ActionHashes, entry: LedgerEntry, position: int,
                     applied_before: Sequence[LedgerEntry], when: datetime) -> Applied:
    """Apply ``entry`` (applied, carrying the agency's submission) to the action at ``position``, in place.

    The action's fields are worked out again from every applied submission for it (``merged_fields``), so an
    update consolidated and an update accepted on review are merged by the same rule. ``applied_before`` are
    the action's applied entries so far; an earlier copy of the same return among them is replaced.
    """
    action = register.actions[position]
    applied = [e for e in applied_before if e.return_id != entry.return_id] + [entry]
    recomputed = merged_fields(register, applied, [f for f in INPUT_FIELDS if entry.submitted(f) is not None])
    # As ``Action.changes_from`` orders them: only the recomputed fields can differ.
    changes = [(name, getattr(action, name), recomputed[name]) for name in ACTION_FIELDS
               if name in recomputed and getattr(action, name) != recomputed[name]]
    superseded = tuple(f for f in INPUT_FIELDS if entry.submitted(f) is not None
                       and entry.round < max(e.round for e in applied if e.submitted(f) is not None))
    new_action = action  # unchanged, it keeps its hash
    if changes:
        new_action = replace(action, **recomputed, last_updated=when)
        register.actions[position] = new_action
    audit = tuple(AuditEntry(when, entry.return_id, entry.agency, entry.review, entry.ref, FIELD_LABELS[name], old,
                             new) for name, old, new in changes)
    return Applied(replace(entry, applied_hash=hashes.of(new_action)), audit, superseded)


def merged_fields(register: Register, applied: Sequence[LedgerEntry], names: Sequence[str]) -> dict[str, object]:
    """The value of each field in ``names`` given every applied submission for one action."""
    result: dict[str, object] = {}
    for name in names:
        offering = [e for e in applied if e.submitted(name) is not None]
        if not offering:
            continue
        newest = max(e.round for e in offering)
        winners = sorted((e for e in offering if e.round == newest), key=lambda e: e.agency.casefold())
        result[name] = _combine(register, name, winners)
    contributing = [e for e in applied if any(e.submitted(f) is not None for f in INPUT_FIELDS)]
    if contributing and names:
        newest = max(e.round for e in contributing)
        people = sorted({(e.updated_by.strip() or e.agency) for e in contributing if e.round == newest},
                        key=str.casefold)
        result["updated_by"] = "; ".join(people)
    return result


def _combine(register: Register, name: str, winners: Sequence[LedgerEntry]) -> object:
    if name == "rag":
        return worst(register.index, (e.rag for e in winners))
    if name == "revised_date":
        return max(e.revised_date for e in winners)
    texts = {e.agency: str(e.submitted(name)) for e in winners}
    if len(texts) == 1:
        return next(iter(texts.values()))
    parts = [f"{agency}: {text}" for agency, text in sorted(texts.items(), key=lambda i: i[0].casefold())]
    combined = "\n\n".join(parts)
    if len(combined) > CELL_TEXT_MAX:
        # Many agencies' long texts on one shared action: each keeps an equal share of the cell, visibly cut;
        # every agency's whole text stays in the ledger.
        share = (CELL_TEXT_MAX - 2 * (len(parts) - 1)) // len(parts)
        combined = "\n\n".join(shorten(part, share) for part in parts)
    return combined
