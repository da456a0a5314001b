"""The Reports group's buttons: Refresh summary, and Board report (Word or PDF, for the board or for publication).

A report for publication is scanned for personal data first, as ``ragbook report --public`` scans it, and is
written only when the scan finds nothing or a person has confirmed the findings. The confirmation is a second
press: the first lists the findings (in the message and on the Exceptions sheet) and writes nothing; pressing
again and answering "I have reviewed them: accept" publishes, but only findings that were on the Exceptions
sheet before that press count as reviewed, so an "accept" given before anything was shown publishes nothing.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from .asked import Asked, live
from .ui import ExcelUi

# What the VBA passes as ``extra`` after "Is this report for publication?" and the confirmation.
PUBLIC = "public"
ACCEPTED = "accept"
FINDINGS_SHOWN = 10  # a message box holds a screenful; the Exceptions sheet lists every finding


def refresh_summary(book: Any, asked: Asked, ui: ExcelUi, today: date | None = None) -> str:
    from ..app.reports import refresh_summary as refresh  # noqa: PLC0415

    ui.status("Action Plan: rebuilding the Summary sheet...")
    refresh(live(book), today=today)
    return "Summary refreshed."


def board_report(book: Any, asked: Asked, ui: ExcelUi, today: date | None = None) -> str:
    from ..app.reports import board_report as write_report  # noqa: PLC0415
    from ..io.reports.writer import BoardReportFile  # noqa: PLC0415

    out = report_file(asked.path("file for the board report"))
    words = asked.extra.split()
    master = live(book)
    if PUBLIC not in words:
        ui.status("Action Plan: writing the board report...")
        write_report(master, BoardReportFile(), out, today=today)
        return f"Board report written to {out}."
    unseen = unreviewed(master) if ACCEPTED in words else None
    ui.status("Action Plan: checking for personal data, then writing the board report...")
    report = write_report(master, BoardReportFile(), out, public=True, accept_findings=unseen == [], today=today)
    if report.refused:
        return refusal(report.findings, out, unseen)
    if report.findings:
        return (f"Board report for publication written to {out}, with the {len(report.findings)} possible items of "
                f"personal data you reviewed and accepted.")
    return f"Board report for publication written to {out}; the personal-data check found nothing."


def report_file(chosen: Path) -> Path:
    """Word unless the person chose PDF (Excel's dialog gives no extension when none was typed)."""
    return chosen if chosen.suffix.lower() in {".docx", ".pdf"} else chosen.with_suffix(".docx")


def unreviewed(master: Any) -> list[Any]:
    """The personal-data findings the scan makes now that were not on the Exceptions sheet before this press:
    nobody can have reviewed those."""
    from ..core.privacy import scan  # noqa: PLC0415

    listed = set(master.read_findings())
    return [found for found in scan(master.read_register().actions) if found.as_finding() not in listed]


def refusal(findings: tuple[Any, ...], out: Path, unseen: list[Any] | None) -> str:
    from ..core.privacy import KINDS  # noqa: PLC0415

    lines = [f"Nothing was written to {out}: the personal-data check found {len(findings)} possible items, listed "
             f"on the Exceptions sheet:"]
    lines += [f"- {f.review} {f.ref}, {f.field}: {KINDS[f.kind]} ({f.text!r})" for f in findings[:FINDINGS_SHOWN]]
    if len(findings) > FINDINGS_SHOWN:
        lines.append(f"- and {len(findings) - FINDINGS_SHOWN} more on the Exceptions sheet")
    if unseen:
        lines.append(f"{len(unseen)} of them had not been listed before, so they cannot have been reviewed yet.")
    lines.append("Remove them from the Register, or once you have reviewed each one, press Board report again, "
                 "answer Yes (for publication) and then Yes (I have reviewed them: accept).")
    return "\n".join(lines)
