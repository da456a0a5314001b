"""Use cases of the quarterly returns cycle: issue returns, consolidate what comes back.

``issue_returns`` and ``consolidate_returns`` work on a ``ports.Master`` (the file via openpyxl, or the live
workbook via xlwings behind the ribbon's Issue returns and Consolidate buttons); ``issue_plan`` and
``consolidate_plan`` are the file versions the command line uses, saving the master atomically. Nothing here
prints: each returns a report value for its caller.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time
from pathlib import Path
from typing import Sequence

from . import services
from .core.consolidate import Lookups, ReturnOutcome, consolidate_return, locked_values, rejected
from .core.errors import InputError, RagbookError
from .core.ledger import LedgerEntry
from .core.returns import PARTLY_ACCEPTED, PENDING_STATUS, RECEIVED, REJECTED_STATUS, Identity
from .io.master import contract as c
from .io.returns.eml import draft_text, write_draft
from .io.returns.reader import read_return
from .io.returns.writer import ReturnSpec, write_return
from .ports import Master

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

    @property
    def files(self) -> list[Path]:
        return [r.path for r in self.returns] + [r.draft for r in self.returns if r.draft]

    def summary(self) -> str:
        """One message for the Issue returns button."""
        if not self.returns:
            return "No returns were issued: " + "; ".join(self.notes) + "."
        due = f", due {self.due:%d/%m/%Y}" if self.due else ""
        lines = [f"Issued {len(self.returns)} returns (round {self.round}{due}) into {self.returns[0].path.parent}:"]
        lines += [f"- {r.agency}: {r.actions} actions ({r.path.name})" for r in self.returns]
        lines += [f"Note: {note}." for note in self.notes]
        return "\n".join(lines)


@dataclass(frozen=True)
class ConsolidationReport:
    plan: str
    outcomes: tuple[ReturnOutcome, ...]
    pending: tuple[str, ...] = ()  # "return id (agency)" still awaited
    notes: tuple[str, ...] = ()
    summary_refreshed: bool = False

    @property
    def has_problems(self) -> bool:
        return any(o.has_problems for o in self.outcomes)

    @property
    def changes(self) -> int:
        return sum(len(o.audit) for o in self.outcomes)

    def summary(self) -> str:
        """One message for the Consolidate returns button."""
        if not self.outcomes:
            return "No returns were consolidated: " + "; ".join(self.notes) + "."
        counts: dict[str, int] = {}
        for outcome in self.outcomes:
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
        lines = [f"{len(self.outcomes)} returns checked ("
                 + ", ".join(f"{n} {status.lower()}" for status, n in counts.items())
                 + f"); {self.changes} changes recorded on the Audit Log."]
        for outcome in self.outcomes:
            if outcome.reasons:
                more = f" (and {len(outcome.reasons) - 1} more on the Returns sheet)" if len(outcome.reasons) > 1 else ""
                lines.append(f"- {outcome.status}: {outcome.agency or Path(outcome.path).name}: {outcome.reasons[0]}{more}")
        if self.pending:
            lines.append(f"Still pending: {', '.join(self.pending)}.")
        return "\n".join(lines)


# ---------------------------------------------------------------------------- issue
def issue_returns(master: Master, out_dir: Path, *, agencies: Sequence[str] | None = None, due: date | None = None,
                  password: str | None = None, eml: bool = False, today: date | None = None) -> IssueReport:
    """Write one return per agency into ``out_dir`` and record them in the ledger and on the Returns sheet."""
    register = master.read_register()
    known = {a.name.casefold(): a for a in register.agencies}
    issued = today or date.today()
    if not known:
        return IssueReport(master.name, 0, issued, due, (), (
            f"the {c.AGENCIES} sheet lists no agencies, so there is no one to send returns to; add the agencies "
            f"and their lead actions first",))
    chosen = list(register.agencies)
    if agencies:
        unknown = [name for name in agencies if name.casefold() not in known]
        if unknown:
            raise InputError(f"{master.name}: {', '.join(repr(n) for n in unknown)} is not on the {c.AGENCIES} "
                             f"sheet (it lists {', '.join(a.name for a in register.agencies)}).")
        wanted = {name.casefold() for name in agencies}
        chosen = [a for a in register.agencies if a.name.casefold() in wanted]
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"{out_dir}: the folder for the returns cannot be created ({exc.strerror or exc}).") from None
    ledger = master.read_ledger()
    ledger.ensure_secret()
    round_ = ledger.last_round + 1
    plan_name = Path(master.name).name
    written: list[IssuedReturn] = []
    notes: list[str] = []
    new_entries: list[LedgerEntry] = []
    try:
        for agency in chosen:
            actions = tuple(a for a in register.actions if a.is_led_by(agency.name))
            if not actions:
                notes.append(f"{agency.name} leads no actions, so it was sent no return")
                continue
            identity = Identity(ledger.return_id(round_, agency.name), agency.name, round_, issued)
            path = out_dir / f"{identity.return_id}.xlsx"
            spec = ReturnSpec(identity, due, actions, register.index, plan_name)
            write_return(spec, path, ledger.secret, password)
            draft = None
            if eml:
                if not agency.email:
                    notes.append(f"{agency.name} has no email address on the {c.AGENCIES} sheet; its draft has no "
                                 f"recipient")
                subject, body = draft_text(agency.name, agency.contact, plan_name, due, bool(password))
                draft = write_draft(path.with_suffix(".eml"), agency.email, subject, body, path)
            written.append(IssuedReturn(agency.name, identity.return_id, path, len(actions), agency.email, draft,
                                        agency.contact))
            new_entries += [
                LedgerEntry(identity.return_id, round_, agency.name, issued, due, a.review, a.ref, position,
                            ledger.row_hash(locked_values(a)))
                for position, a in enumerate(actions, start=1)
            ]
    except OSError as exc:
        _remove(written)
        raise InputError(f"{out_dir}: a return could not be written ({exc.strerror or exc}); nothing was issued.") from None
    if not written:
        return IssueReport(master.name, 0, issued, due, (), tuple(notes), bool(password))
    ledger.entries += new_entries
    master.write_ledger(ledger)
    master.append_list(c.RETURNS, ([r.return_id, r.agency, issued, due, None, PENDING_STATUS, r.path.name, ""]
                                   for r in written))
    return IssueReport(master.name, round_, issued, due, tuple(written), tuple(notes), bool(password))


def _remove(written: Sequence[IssuedReturn]) -> None:
    for item in written:
        item.path.unlink(missing_ok=True)
        if item.draft:
            item.draft.unlink(missing_ok=True)


def issue_plan(plan: Path, out_dir: Path, **options) -> IssueReport:
    report = None
    try:
        with services.editing(plan) as master:
            report = issue_returns(master, out_dir, **options)
    except RagbookError:
        if report is not None:  # the master could not be saved: returns it does not know of must not go out
            _remove(report.returns)
        raise
    return report


def draft_in_outlook(report: IssueReport) -> int:
    """The Issue returns button's extra on Windows: one draft per return in Outlook's Drafts folder."""
    from .io.returns.outlook import Draft, save_to_outlook  # noqa: PLC0415 - Windows only

    plan_name = Path(report.plan).name
    drafts = []
    for item in report.returns:
        subject, body = draft_text(item.agency, item.contact, plan_name, report.due, report.encrypted)
        drafts.append(Draft(item.email, subject, body, item.path))
    return save_to_outlook(drafts)


# ---------------------------------------------------------------------------- consolidate
def return_files(paths: Sequence[Path]) -> list[Path]:
    """Files named, and the files inside folders named (not Excel's ``~$`` lock files or email drafts)."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found += sorted(p for p in path.iterdir()
                            if p.is_file() and not p.name.startswith(("~$", ".")) and p.suffix.lower() != ".eml")
        elif path.exists():
            found.append(path)
        else:
            raise InputError(f"{path}: no such file or folder.")
    return found


def consolidate_returns(master: Master, paths: Sequence[Path], *, password: str | None = None,
                        today: date | None = None) -> ConsolidationReport:
    """Check every return and apply what is valid; every change goes to the Audit Log."""
    files = return_files(paths)
    if not files:
        pending = [f"{row.get('Return ID')} ({row.get('Agency')})" for row in master.read_list(c.RETURNS)
                   if row.get("Status") == PENDING_STATUS]
        return ConsolidationReport(master.name, (), tuple(pending),
                                   (f"no returns were found in {', '.join(str(p) for p in paths)}",))
    when = datetime.combine(today, time()) if today else datetime.now().replace(microsecond=0)
    register = master.read_register()
    ledger = master.read_ledger()
    before = list(register.actions)
    lookups = Lookups.build(register, ledger)
    outcomes: list[ReturnOutcome] = []
    for path in files:
        try:
            content = read_return(path, password)
        except InputError as exc:  # the return is refused; the others still go ahead
            outcomes.append(rejected(str(path), str(exc)))
            continue
        outcomes.append(consolidate_return(register, ledger, content, when, lookups))
    if register.actions != before:
        master.write_register(register)
    master.write_ledger(ledger)
    audit = [entry.row() for outcome in outcomes for entry in outcome.audit]
    if audit:
        master.append_list(c.AUDIT_LOG, audit)
    pending = _update_returns_sheet(master, outcomes, when.date())
    return ConsolidationReport(master.name, tuple(outcomes), tuple(pending))


def _update_returns_sheet(master: Master, outcomes: Sequence[ReturnOutcome], received: date) -> list[str]:
    headers = [col.header for col in c.RETURNS_COLUMNS]
    rows = [{h: row.get(h) for h in headers} for row in master.read_list(c.RETURNS)]
    by_id = {str(row["Return ID"]): row for row in rows if row.get("Return ID")}
    for outcome in outcomes:
        name = Path(outcome.path).name
        row = by_id.get(outcome.return_id) if outcome.return_id else _named_in(by_id, name)
        if row is None:
            continue
        notes = "; ".join(outcome.reasons or outcome.warnings)
        if outcome.status == REJECTED_STATUS and row.get("Status") in (RECEIVED, PARTLY_ACCEPTED):
            notes = f"{row.get('Notes') or ''} A later copy ({name}) was rejected: {notes}".strip()
        else:
            row["Status"] = outcome.status
            row["File"] = name
            if not row.get("Received"):
                row["Received"] = received
        row["Notes"] = notes[:MAX_NOTES]
    master.write_list(c.RETURNS, ([row[h] for h in headers] for row in rows))
    return [f"{row['Return ID']} ({row['Agency']})" for row in rows if row.get("Status") == PENDING_STATUS]


def _named_in(by_id: dict[str, dict[str, object]], name: str) -> dict[str, object] | None:
    """The return a refused file is named after, so the Returns sheet shows it came back refused.

    Only a Pending (or already Rejected) return is marked: a name is no proof of identity, so a refused file
    never touches a return that was received.
    """
    for return_id, row in by_id.items():
        if return_id in name and row.get("Status") in (PENDING_STATUS, REJECTED_STATUS, None, ""):
            return row
    return None


def consolidate_plan(plan: Path, paths: Sequence[Path], **options) -> ConsolidationReport:
    """Consolidate into a master file, then refresh its Summary sheet in the same save.

    The returns matrix, the movement and the overdue list all change with a consolidation, and a master of
    20,000 actions takes seconds to open and save: doing both at once saves the team a second wait.
    """
    from .reporting import refresh_summary  # noqa: PLC0415 - the reporting use cases import this module's peers

    with services.editing(plan) as master:
        report = consolidate_returns(master, paths, **options)
        if report.outcomes:
            refresh_summary(master, today=options.get("today"))
            report = replace(report, summary_refreshed=True)
        return report
