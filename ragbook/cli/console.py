"""Readable terminal output (rich tables) for the command line."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ..app.plan import ValidationReport
from ..present import validation_sentence


def findings_table(report: ValidationReport, console: Console | None = None) -> None:
    console = console or Console(soft_wrap=False)
    if report.findings:
        table = Table(show_lines=False, header_style="bold")
        for header in ("Severity", "Rule", "Review", "Ref", "Field", "Message"):
            table.add_column(header, overflow="fold")
        for f in report.findings:
            style = "red" if f.is_error else "yellow"
            table.add_row(f"[{style}]{f.severity!s}[/{style}]", f.rule, f.review, f.ref, f.field, f.message)
        console.print(table)
    console.print(validation_sentence(report))
