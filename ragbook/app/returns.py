"""Use cases of the quarterly returns cycle: issue returns, consolidate what comes back.

``issue_returns`` and ``consolidate_returns`` work on a ``ports.Master`` (the file, or the live workbook
behind the ribbon's Issue returns and Consolidate buttons) and write and read returns through
``ports.ReturnFiles``; ``issue_plan`` and ``consolidate_plan`` run them inside the unit of work. Nothing here
prints: each returns a report value for its caller.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Sequence

from ..core.consolidate import ROW_HELD, Lookups, ReturnOutcome, consolidate_return, rejected
from ..core.errors import InputError, RagbookError
from ..core.decisions import not_accepted_for
from ..core.ledger import ActionHashes, Ledger, LedgerEntry
from ..core.model import Action, Agency, Register
from ..core.ratings import RatingIndex
from ..core.records import ReturnRecord, ReturnStatus
from ..core.returns import Identity, ReturnSpec
from ..core.sheets import AGENCIES
from .decisions import rewrite_held
from .plan import ValidationReport, plan_findings, validate_master
from .ports import Master, Plans, ReturnFiles

MAX_NOTES = 2000


@dataclass(frozen=True)
class IssuedReturn:
    agency: str
    return_id: str
    path: Path
    actions: int
    email: str = ""
    draft: Path | None = None
    contact: str = ""


@dataclass(frozen=True)
class IssueReport:
    plan: str
    round: int
    issued: date
    due: date | None
    returns: tuple[IssuedReturn, ...]
    notes: tuple[str, ...] = ()
    encrypted: bool = False
    plan_name: str = ""  # how the returns and their emails name the plan
    signature: tuple[str, ...] = ()  # the lines that sign the emails
    warnings: tuple[str, ...] = ()  # what must be said before the returns go out (error-level findings)

    @property
    def files(self) -> list[Path]:
        return [r.path for r in self.returns] + [r.draft for r in self.returns if r.draft]


@dataclass(frozen=True)
class ConsolidationReport:
    plan: str
    outcomes: tuple[ReturnOutcome, ...]
    pending: tuple[str, ...] = ()  # "return id (agency)" still awaited
    notes: tuple[str, ...] = ()
    summary_refreshed: bool = False
    recorded: bool = False  # whether anything was written to the master
    validation: ValidationReport | None = None  # the re-validation after a consolidation that recorded something

    @property
    def has_problems(self) -> bool:
        return any(o.has_problems for o in self.outcomes)

    @property
    def updates(self) -> int:
        """The updates put on record on the Updates sheet."""
        return sum(len(o.updates) for o in self.outcomes)

    @property
    def held(self) -> int:
        """The updates held back for review (on the Held Updates sheet)."""
        return sum(r.state == ROW_HELD for o in self.outcomes for r in o.rows)

    @property
    def changes(self) -> int:
        return sum(len(o.audit) for o in self.outcomes)


# ---------------------------------------------------------------------------- issue
def issue_returns(master: Master, files: ReturnFiles, out_dir: Path, *, agencies: Sequence[str] | None = None,
                  due: date | None = None, password: str | None = None, eml: bool = False,
                  today: date | None = None) -> IssueReport:
    """Write one return per agency into ``out_dir`` and record them in the ledger and on the Returns sheet.

    Without ``agencies``, the agencies In This Round on the Agencies sheet (a name given is sent a return
    whatever that column says); without ``due``, the Round sheet's due date, else the end of the quarter.
    """
    register = master.read_register()
    known = {a.name.casefold(): a for a in register.agencies}
    issued = today or date.today()
    round_settings = master.read_round()
    due = due or round_settings.due_date(issued)
    if not known:
        return IssueReport(master.name, 0, issued, due, (), (
            f"the {AGENCIES} sheet lists no agencies, so there is no one to send returns to; add the "
            f"agencies and their lead actions first",))
    notes: list[str] = []
    if agencies:
        unknown = [name for name in agencies if name.casefold() not in known]
        if unknown:
            raise InputError(f"{master.name}: {', '.join(repr(n) for n in unknown)} is not on the {AGENCIES} "
                             f"sheet (it lists {', '.join(a.name for a in register.agencies)}).")
        wanted = {name.casefold() for name in agencies}
        chosen = [a for a in register.agencies if a.name.casefold() in wanted]
    else:
        chosen = [a for a in register.agencies if a.in_round]
        left_out = [a.name for a in register.agencies if not a.in_round]
        if left_out:
            one = len(left_out) == 1
            notes.append(f"{', '.join(left_out)} {'is' if one else 'are'} not in this round (In This Round is No on "
                         f"the {AGENCIES} sheet), so {'it was' if one else 'they were'} sent no return")
    warnings = finding_warnings(master, register, round_settings.validate_as_at or issued)
    files.prepare_folder(out_dir)
    ledger = master.read_ledger()
    ledger.ensure_secret()
    round_ = ledger.last_round + 1
    sending = Sending.of(master, register, files, out_dir, password, eml)
    written: list[IssuedReturn] = []
    new_entries: list[LedgerEntry] = []
    hashes = ActionHashes(ledger)  # an action led by several agencies goes out in each of their returns
    try:
        for agency in chosen:
            actions = tuple(a for a in register.actions if a.is_led_by(agency.name))
            if not actions:
                notes.append(f"{agency.name} leads no actions, so it was sent no return")
                continue
            identity = Identity(ledger.return_id(round_, agency.name), agency.name, round_, issued)
            item, entries = sending.send(ledger, agency, identity, due, actions,
                                         not_accepted_for(ledger, agency.name), notes, hashes)
            written.append(item)
            new_entries += entries
    except OSError as exc:
        remove_issued(files, written)
        raise InputError(f"{out_dir}: a return could not be written ({exc.strerror or exc}); nothing was issued.") from None
    if not written:
        return IssueReport(master.name, 0, issued, due, (), tuple(notes), bool(password), warnings=warnings)
    ledger.entries += new_entries
    master.write_ledger(ledger)
    master.write_returns(master.read_returns() + [
        ReturnRecord(r.return_id, r.agency, issued, due, None, ReturnStatus.PENDING, r.path.name) for r in written])
    return IssueReport(master.name, round_, issued, due, tuple(written), tuple(notes), bool(password),
                       sending.plan_name, sending.signature, warnings)


@dataclass(frozen=True)
class Sending:
    """How the returns of one issue (or re-issue) are written: where, how named and signed, with what password."""

    files: ReturnFiles
    out_dir: Path
    index: RatingIndex
    plan_name: str
    contact: str
    signature: tuple[str, ...]
    password: str | None
    eml: bool

    @classmethod
    def of(cls, master: Master, register: Register, files: ReturnFiles, out_dir: Path, password: str | None,
           eml: bool) -> Sending:
        settings = master.read_settings()
        plan_name = settings.plan_label([a.review for a in register.actions], Path(master.name).name)
        return cls(files, out_dir, register.index, plan_name, settings.return_contact, tuple(settings.signature()),
                   password, eml)

    def send(self, ledger: Ledger, agency: Agency, identity: Identity, due: date | None,
             actions: tuple[Action, ...], not_accepted: Sequence[tuple[str, str, str]],
             notes: list[str], hashes: ActionHashes | None = None) -> tuple[IssuedReturn, list[LedgerEntry]]:
        """Write one agency's return (and its email draft); the ledger entries that record it as issued."""
        path = self.out_dir / f"{identity.return_id}.xlsx"
        self.files.write(ReturnSpec(identity, due, actions, self.index, self.plan_name, self.contact,
                                    tuple(not_accepted)), path, ledger.secret, self.password)
        draft = None
        if self.eml:
            if not agency.email:
                notes.append(f"{agency.name} has no email address on the {AGENCIES} sheet; its draft has no "
                             f"recipient")
            try:
                draft = self.files.write_draft(path, agency, self.plan_name, due, bool(self.password),
                                               self.signature)
            except OSError:
                self.files.remove([path])  # the caller removes only what it was handed back
                raise
        hashes = hashes or ActionHashes(ledger)
        entries = [LedgerEntry(identity.return_id, identity.round, agency.name, identity.issued, due, a.review,
                               a.ref, position, hashes.of(a))
                   for position, a in enumerate(actions, start=1)]
        return IssuedReturn(agency.name, identity.return_id, path, len(actions), agency.email, draft,
                            agency.contact), entries


def finding_warnings(master: Master, register: Register, as_at: date) -> tuple[str, ...]:
    """What Issue returns says when the plan still has error-level findings: those the Exceptions sheet lists
    (validation last wrote it), and those validating now finds, so a sheet left stale cannot hide an error."""
    listed = sum(f.is_error for f in master.read_findings())
    found = sum(f.is_error for f in plan_findings(register, as_at))
    if not listed and not found:
        return ()
    if listed == found:
        return (f"the plan still has {found} error-level findings (on the Exceptions sheet); the returns carry "
                f"the actions as they stand, errors included",)
    return (f"the plan has {found} error-level findings as it stands (the Exceptions sheet lists {listed}: "
            f"press Validate to bring it up to date); the returns carry the actions as they stand, errors "
            f"included",)


def remove_issued(files: ReturnFiles, written: Sequence[IssuedReturn]) -> None:
    files.remove([item.path for item in written] + [item.draft for item in written if item.draft])


def issue_plan(plans: Plans, files: ReturnFiles, out_dir: Path, **options) -> IssueReport:
    report = None
    try:
        with plans.editing() as master:
            report = issue_returns(master, files, out_dir, **options)
    except RagbookError:
        if report is not None:  # the master could not be saved: returns it does not know of must not go out
            remove_issued(files, report.returns)
        raise
    return report


# ---------------------------------------------------------------------------- consolidate
def consolidate_returns(master: Master, files: ReturnFiles, paths: Sequence[Path], *, password: str | None = None,
                        today: date | None = None) -> ConsolidationReport:
    """Check every return and apply what is valid; every change goes to the Audit Log, every update applied to
    the Updates sheet, every update held to the Held Updates sheet. Once anything was recorded the plan is
    validated again, so the Exceptions sheet and the Register's notes are never those of the plan before."""
    return _consolidate(master, files, paths, password=password, today=today)[0]


def _consolidate(master: Master, files: ReturnFiles, paths: Sequence[Path], *, password: str | None = None,
                 today: date | None = None) -> tuple[ConsolidationReport, Register | None]:
    """``consolidate_returns``, and the Register as it left it (None when no return was found)."""
    found = files.find(paths)
    if not found:
        pending = [f"{r.return_id} ({r.agency})" for r in master.read_returns() if r.is_pending]
        return ConsolidationReport(master.name, (), tuple(pending),
                                   (f"no returns were found in {', '.join(str(p) for p in paths)}",)), None
    when = datetime.combine(today, time()) if today else datetime.now().replace(microsecond=0)
    register = master.read_register()
    ledger = master.read_ledger()
    before, issued_before = list(register.actions), list(ledger.entries)
    lookups = Lookups.build(register, ledger)
    outcomes: list[ReturnOutcome] = []
    for path in found:
        try:
            content = files.read(path, password)
        except InputError as exc:  # the return is refused; the others still go ahead
            outcomes.append(rejected(str(path), str(exc)))
            continue
        outcomes.append(consolidate_return(register, ledger, content, when, lookups))
    # Only what changed is written: a batch of refused files that match no issued return leaves the master as
    # it was, byte for byte (the unit of work saves nothing when nothing was written).
    recorded = False
    if register.actions != before:
        master.write_register(register)
        recorded = True
    if ledger.entries != issued_before:
        master.write_ledger(ledger)
        recorded = True
    audit = [entry for outcome in outcomes for entry in outcome.audit]
    if audit:
        master.append_audit(audit)
        recorded = True
    updates = [update for outcome in outcomes for update in outcome.updates]
    if updates:
        master.append_updates(updates)
        recorded = True
    recorded = rewrite_held(master, ledger) or recorded
    records = master.read_returns()
    updated = _returns_after(records, outcomes, when.date())
    if updated != records:
        master.write_returns(updated)
        recorded = True
    pending = [f"{r.return_id} ({r.agency})" for r in updated if r.is_pending]
    validation = validate_master(master, today, register) if recorded else None
    return ConsolidationReport(master.name, tuple(outcomes), tuple(pending), recorded=recorded,
                               validation=validation), register


def _returns_after(records: list[ReturnRecord], outcomes: Sequence[ReturnOutcome], received: date) -> list[ReturnRecord]:
    """The Returns sheet's records once each outcome is marked on the return it belongs to."""
    records = list(records)
    by_id = {record.return_id: position for position, record in enumerate(records) if record.return_id}
    for outcome in outcomes:
        name = Path(outcome.path).name
        position = by_id.get(outcome.return_id) if outcome.return_id else _named_in(records, by_id, name)
        if position is None:
            continue
        record = records[position]
        notes = "; ".join(outcome.reasons or outcome.warnings)
        if outcome.status == ReturnStatus.REJECTED and record.status in (ReturnStatus.RECEIVED,
                                                                         ReturnStatus.PARTLY_ACCEPTED):
            notes = f"{record.notes} A later copy ({name}) was rejected: {notes}".strip()
        else:
            record = replace(record, status=outcome.status, file=name, received=record.received or received)
        records[position] = replace(record, notes=notes[:MAX_NOTES])
    return records


def _named_in(records: Sequence[ReturnRecord], by_id: dict[str, int], name: str) -> int | None:
    """The return a refused file is named after, so the Returns sheet shows it came back refused.

    Only a Pending (or already Rejected) return is marked: a name is no proof of identity, so a refused file
    never touches a return that was received.
    """
    for return_id, position in by_id.items():
        if return_id in name and records[position].status in (ReturnStatus.PENDING, ReturnStatus.REJECTED, ""):
            return position
    return None


def consolidate_plan(plans: Plans, files: ReturnFiles, paths: Sequence[Path], **options) -> ConsolidationReport:
    """Consolidate into a master file, then refresh its Summary sheet in the same save.

    The returns matrix, the movement and the overdue list all change with a consolidation, and a master of
    20,000 actions takes seconds to open and save: doing both at once saves the team a second wait.
    """
    from .reports import refresh_summary  # noqa: PLC0415 - the reports use cases build on this module's peers

    with plans.editing() as master:
        report, register = _consolidate(master, files, paths, **options)
        if report.recorded:
            refresh_summary(master, today=options.get("today"), register=register)
            report = replace(report, summary_refreshed=True)
        return report
