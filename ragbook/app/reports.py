"""Use cases of the Report step: *Refresh summary* and *Board report* (buttons and commands alike).

``refresh_summary`` and ``board_report`` take a ``ports.Master`` (a file, or the live workbook); the
``*_plan`` functions run them inside the unit of work. The report itself goes through ``ports.ReportWriter``.
Nothing here prints.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Sequence

from ..core.errors import InputError
from ..core.history import history
from ..core.model import Register
from ..core.paper import BoardPaper, held_updates
from ..core.privacy import RULE as PERSONAL_DATA, PersonalData, scan
from ..core.records import AuditEntry, ReturnRecord, UpdateRecord
from ..core.rules import validate
from ..core.settings import Settings
from ..core.summary import ReviewPart, Summary, latest_round, moves, returns_matrix, review_parts, summarise
from .ports import Master, Plans, ReportWriter


@dataclass(frozen=True)
class SummaryReport:
    plan: str
    summary: Summary


@dataclass(frozen=True)
class BoardReport:
    plan: str
    out: Path | None  # None when the public report was refused
    reviews: tuple[str, ...]
    public: bool
    findings: tuple[PersonalData, ...] = ()
    accepted: bool = False

    @property
    def refused(self) -> bool:
        return self.out is None


# ---------------------------------------------------------------------------- summary
def build_summary(master: Master, register: Register, *, since: date | None, today: date) -> Summary:
    """The summary of the master's whole plan."""
    returns = master.read_returns()
    since = since or latest_round(returns)
    return summarise(register, master.read_audit(), returns, today, since, None, master.read_settings(),
                     master.read_updates())


def refresh_summary(master: Master, *, since: date | None = None, today: date | None = None,
                    register: Register | None = None) -> SummaryReport:
    """Rebuild the Summary sheet. Movement is counted since ``since``, else since the latest round of returns.
    ``register``: the Register as a use case has just written it (not read back from the master again)."""
    register = master.read_register() if register is None else register
    summary = build_summary(master, register, since=since, today=today or date.today())
    master.write_summary(summary)
    return SummaryReport(master.name, summary)


def summary_plan(plans: Plans, *, since: date | None = None, today: date | None = None) -> SummaryReport:
    with plans.editing() as master:
        return refresh_summary(master, since=since, today=today)


# ---------------------------------------------------------------------------- board report
def board_report(master: Master, writer: ReportWriter, out: Path, *, review: str | None = None,
                 public: bool = False, accept_findings: bool = False, since: date | None = None,
                 today: date | None = None, annual: bool = False, plain_tables: bool = False) -> BoardReport:
    """Write the board report; a public one only once the personal-data scan is clear or its findings accepted.

    ``annual`` adds the implementation status of every recommendation (the annual report's table);
    ``plain_tables`` writes the plan without merged cells (for publishing on the web).

    For a public report the scan's findings replace earlier personal-data warnings on the Exceptions sheet
    (so the master must be saved afterwards); the report is refused (``out`` None) while any is unaccepted.
    """
    today = today or date.today()
    writer.check_target(out)
    register = master.read_register()
    reviews = register.reviews
    if not reviews:
        raise InputError(f"{master.name}: has no actions to report on yet; import a plan first.")
    if review is not None:
        matching = [r for r in reviews if r.casefold() == review.strip().casefold()]
        if not matching:
            known = ", ".join(repr(r) for r in reviews) or "none yet"
            raise InputError(f"{master.name}: has no review {review!r} (its reviews: {known}).")
        reviews = matching
    reported = set(reviews)
    actions = [a for a in register if a.review in reported]
    findings: tuple[PersonalData, ...] = ()
    if public:
        findings = tuple(scan(actions))
        _list_findings(master, findings)
        if findings and not accept_findings:
            return BoardReport(master.name, None, tuple(reviews), public, findings)
    # Each sheet is read once for the whole paper: a report of many reviews must not read the Audit Log per review.
    audit, returns, settings, updates = master.read_audit(), master.read_returns(), master.read_settings(), \
        master.read_updates()
    parts = review_parts(register, reviews, audit, today, since or latest_round(returns), settings, updates)
    note = ""
    if public:
        note = (f"Checked for personal data on {today:%d/%m/%Y}: " +
                (f"{len(findings)} possible items were reviewed and accepted for publication." if findings
                 else "nothing found."))
    paper = _paper(master, register, parts, _Sheets(audit, returns, settings, updates), today, note, annual=annual,
                   plain_tables=plain_tables)
    writer.write(out, paper)
    return BoardReport(master.name, out, tuple(reviews), public, findings, accepted=bool(findings))


@dataclass(frozen=True)
class _Sheets:
    """The master's sheets the paper draws on, as read once."""

    audit: Sequence[AuditEntry]
    returns: Sequence[ReturnRecord]
    settings: Settings
    updates: Sequence[UpdateRecord]


def _paper(master: Master, register: Register, parts: Sequence[ReviewPart], sheets: _Sheets, today: date, note: str,
           **options: bool) -> BoardPaper:
    """What the report shows beyond the summaries: the settings, the plan's gaps, the held updates, movement,
    the ratings by round of the reviews reported on and the agencies to escalate."""
    reviews = {part.review for part in parts}
    reported = Register(register.index, [a for a in register if a.review in reviews], register.agencies)
    updates = [u for u in sheets.updates if u.review.strip() in reviews]
    since = parts[0].summary.since if parts else None
    return BoardPaper(
        settings=sheets.settings, register=register, parts=tuple(parts), today=today, note=note,
        findings=tuple(f for f in validate(register, today) if f.review in reviews),
        held=tuple(h for h in held_updates(master.read_ledger().entries) if h.review in reviews),
        returns=returns_matrix(register.agency_names(), sheets.returns, today),
        moves=moves(register.index, sheets.audit, since), history=history(reported, updates, sheets.returns),
        **options)


def _list_findings(master: Master, findings: tuple[PersonalData, ...]) -> None:
    """Replace the personal-data warnings on the Exceptions sheet, keeping every other finding there."""
    kept = [f for f in master.read_findings() if f.rule != PERSONAL_DATA]
    master.write_findings(kept + [p.as_finding() for p in findings])


def report_plan(plans: Plans, writer: ReportWriter, out: Path, *, review: str | None = None, public: bool = False,
                accept_findings: bool = False, since: date | None = None, today: date | None = None,
                annual: bool = False, plain_tables: bool = False) -> BoardReport:
    """A public report saves the master too, because the scan lists its findings there."""
    with (plans.editing() if public else plans.reading()) as master:
        return board_report(master, writer, out, review=review, public=public, accept_findings=accept_findings,
                            since=since, today=today, annual=annual, plain_tables=plain_tables)
