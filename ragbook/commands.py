"""Each use case on master files, wired to the file adapters: what the CLI, the demo and scripts call.

This is the composition root of the command line: ``app`` takes its adapters as ports, and here they are
chosen — a ``FilePlans`` unit of work for the master, ``PlanFiles`` for plans to import, a ``ReturnFolder``
for returns and ``BoardReportFile`` for reports. The ribbon's buttons wire the live workbook instead
(``ribbon.buttons``).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Sequence

from .app import plan, reports, returns
from .io.importers import PlanFiles
from .io.plans import FilePlans
from .io.reports.writer import BoardReportFile
from .io.returns.folder import ReturnFolder


def new_plan(path: Path, source: Path | None = None, review: str | None = None) -> plan.ImportReport | None:
    return plan.new_plan(FilePlans(path), PlanFiles(), source, review)


def import_plan(source: Path, path: Path, review: str | None = None) -> plan.ImportReport:
    return plan.import_plan(FilePlans(path), PlanFiles(), source, review)


def validate_plan(path: Path, today: date | None = None) -> plan.ValidationReport:
    return plan.validate_plan(FilePlans(path), today)


def colour_plan(path: Path) -> plan.ColourReport:
    return plan.colour_plan(FilePlans(path))


def issue_plan(path: Path, out_dir: Path, **options) -> returns.IssueReport:
    return returns.issue_plan(FilePlans(path), ReturnFolder(), out_dir, **options)


def consolidate_plan(path: Path, paths: Sequence[Path], **options) -> returns.ConsolidationReport:
    return returns.consolidate_plan(FilePlans(path), ReturnFolder(), paths, **options)


def summary_plan(path: Path, **options) -> reports.SummaryReport:
    return reports.summary_plan(FilePlans(path), **options)


def report_plan(path: Path, out: Path, **options) -> reports.BoardReport:
    return reports.report_plan(FilePlans(path), BoardReportFile(), out, **options)
