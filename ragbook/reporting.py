"""Use cases of the Report step: *Refresh summary* and *Board report* (buttons and commands alike).

``refresh_summary`` and ``board_report`` take a ``ports.Master`` (a file, or the live workbook); the
``*_plan`` functions are the file versions the command line uses. Nothing here prints.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .core.errors import InputError
from .core.model import Register
from .core.privacy import RULE as PERSONAL_DATA, PersonalData, scan
from .core.summary import Summary, latest_round, summarise
from .io import pdf
from .io.board_report import ReviewPart, write_report
from .io.master import contract as c
from .io.master.workbook import MasterWorkbook
from .ports import Master

REPORT_SUFFIXES = {".docx", ".pdf"}


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
def build_summary(master: Master, register: Register, *, since: date | None, today: date,
                  review: str | None = None) -> Summary:
    returns = master.read_list(c.RETURNS)
    since = since or latest_round(returns)
    return summarise(register, master.read_list(c.AUDIT_LOG), returns, today, since, review)


def refresh_summary(master: Master, *, since: date | None = None, today: date | None = None) -> SummaryReport:
    """Rebuild the Summary sheet. Movement is counted since ``since``, else since the latest round of returns."""
    summary = build_summary(master, master.read_register(), since=since, today=today or date.today())
    master.write_summary(summary)
    return SummaryReport(master.name, summary)


def summary_plan(plan: Path, *, since: date | None = None, today: date | None = None) -> SummaryReport:
    master = MasterWorkbook.open(plan)
    report = refresh_summary(master, since=since, today=today)
    master.save()
    return report


# ---------------------------------------------------------------------------- board report
def board_report(master: Master, out: Path, *, review: str | None = None, public: bool = False,
                 accept_findings: bool = False, since: date | None = None, today: date | None = None) -> BoardReport:
    """Write the board report; a public one only once the personal-data scan is clear or its findings accepted.

    For a public report the scan's findings replace earlier personal-data warnings on the Exceptions sheet
    (so the master must be saved afterwards); the report is refused (``out`` None) while any is unaccepted.
    """
    today = today or date.today()
    if out.suffix.lower() not in REPORT_SUFFIXES:
        raise InputError(f"{out}: a board report is written as .docx or .pdf; choose a name ending in one of them.")
    if not out.parent.is_dir():
        raise InputError(f"{out}: the folder {out.parent} does not exist; create it or choose another place.")
    if out.suffix.lower() == ".pdf":
        pdf.require(out)  # say so before any work is done
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
    actions = [a for a in register if a.review in reviews]
    findings: tuple[PersonalData, ...] = ()
    if public:
        findings = tuple(scan(actions))
        _list_findings(master, findings)
        if findings and not accept_findings:
            return BoardReport(master.name, None, tuple(reviews), public, findings)
    parts = [ReviewPart(name, build_summary(master, register, since=since, today=today, review=name),
                        tuple(a for a in actions if a.review == name)) for name in reviews]
    note = ""
    if public:
        note = (f"Checked for personal data on {today:%d/%m/%Y}: " +
                (f"{len(findings)} possible items were reviewed and accepted for publication." if findings
                 else "nothing found."))
    if out.suffix.lower() == ".pdf":
        with tempfile.TemporaryDirectory(prefix="ragbook-report-") as folder:
            docx = Path(folder) / out.with_suffix(".docx").name
            write_report(docx, register, parts, today, note)
            pdf.convert(docx, out)
    else:
        write_report(out, register, parts, today, note)
    return BoardReport(master.name, out, tuple(reviews), public, findings, accepted=bool(findings))


def _list_findings(master: Master, findings: tuple[PersonalData, ...]) -> None:
    """Replace the personal-data warnings on the Exceptions sheet, keeping every other finding there."""
    headers = [col.header for col in c.EXCEPTIONS_COLUMNS]
    kept = [[row.get(h) for h in headers] for row in master.read_list(c.EXCEPTIONS) if row.get("Rule") != PERSONAL_DATA]
    new = [[f.severity, f.rule, f.review, f.ref, f.field, f.message] for f in (p.as_finding() for p in findings)]
    master.write_list(c.EXCEPTIONS, kept + new)


def report_plan(plan: Path, out: Path, *, review: str | None = None, public: bool = False,
                accept_findings: bool = False, since: date | None = None, today: date | None = None) -> BoardReport:
    """The file version: a public report saves the master too, because the scan lists its findings there."""
    master = MasterWorkbook.open(plan)
    report = board_report(master, out, review=review, public=public, accept_findings=accept_findings, since=since,
                          today=today)
    if public:
        master.save()
    return report
