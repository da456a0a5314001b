"""Each use case on master files, wired to the file adapters: what the CLI, the demo and scripts call.

This is the composition root of the command line: ``app`` takes its adapters as ports, and here they are
chosen — a ``FilePlans`` unit of work for the master, ``PlanFiles`` for plans to import, a ``ReturnFolder``
for returns and ``BoardReportFile`` for reports. Each ``FilePlans`` is told which command it serves, which
its lock file shows to anyone else who tries to change the master meanwhile. The ribbon's buttons wire the
live workbook instead (``ribbon.buttons``).

Each command runs in a Python of its own, so each function imports the adapters only it uses: validating a
master loads neither python-docx (plans and reports) nor msoffcrypto (returns).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Sequence

from .app import decisions, plan, reports, returns, rounds
from .io.plans import FilePlans


def new_plan(path: Path, source: Path | None = None, review: str | None = None) -> plan.ImportReport | None:
    from .io.importers import PlanFiles  # noqa: PLC0415 - only the commands that read plans load the readers

    return plan.new_plan(FilePlans(path, "ragbook new"), PlanFiles(), source, review)


def import_plan(source: Path, path: Path, review: str | None = None) -> plan.ImportReport:
    from .io.importers import PlanFiles  # noqa: PLC0415

    return plan.import_plan(FilePlans(path, "ragbook import"), PlanFiles(), source, review)


def validate_plan(path: Path, today: date | None = None) -> plan.ValidationReport:
    return plan.validate_plan(FilePlans(path, "ragbook validate"), today)


def colour_plan(path: Path) -> plan.ColourReport:
    return plan.colour_plan(FilePlans(path, "ragbook colour"))


def issue_plan(path: Path, out_dir: Path, **options) -> returns.IssueReport:
    from .io.returns.folder import ReturnFolder  # noqa: PLC0415 - only the returns cycle reads and writes returns

    return returns.issue_plan(FilePlans(path, "ragbook returns"), ReturnFolder(), out_dir, **options)


def chase_plan(path: Path, out_dir: Path, **options) -> rounds.ChaseReport:
    from .io.returns.folder import ReturnFolder  # noqa: PLC0415

    return rounds.chase_plan(FilePlans(path, "ragbook chase"), ReturnFolder(), out_dir, **options)


def reissue_plan(path: Path, out_dir: Path, agency: str, **options) -> returns.IssueReport:
    from .io.returns.folder import ReturnFolder  # noqa: PLC0415

    return rounds.reissue_plan(FilePlans(path, "ragbook returns --reissue"), ReturnFolder(), out_dir, agency,
                               **options)


def consolidate_plan(path: Path, paths: Sequence[Path], **options) -> returns.ConsolidationReport:
    from .io.returns.folder import ReturnFolder  # noqa: PLC0415

    return returns.consolidate_plan(FilePlans(path, "ragbook consolidate"), ReturnFolder(), paths, **options)


def decide_plan(path: Path, *, who: str, today: date | None = None) -> decisions.DecisionReport:
    return decisions.decide_plan(FilePlans(path, "ragbook decide"), who=who, today=today)


def summary_plan(path: Path, **options) -> reports.SummaryReport:
    return reports.summary_plan(FilePlans(path, "ragbook summary"), **options)


def report_plan(path: Path, out: Path, **options) -> reports.BoardReport:
    from .io.reports.writer import BoardReportFile  # noqa: PLC0415 - only the report writes Word

    return reports.report_plan(FilePlans(path, "ragbook report"), BoardReportFile(), out, **options)
