"""Returns and reports buttons against their use cases, on xlwings' remote engine.

The use cases come from the returns and reporting modules, built in parallel; these tests skip until those
modules are in this checkout, then run as the other parity tests do: the button's result, as Excel is left
by the actions, must equal the file the same use case leaves through the command line's adapter.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ragbook import commands
from ragbook.app import reports, returns
from ragbook.io.plans import FilePlans
from ragbook.io.reports.writer import BoardReportFile
from ragbook.io.returns.folder import ReturnFolder
from ragbook.demo import assign_demo_leads, sample_plan
from tests.helpers.sheets import state
from tests.helpers.officejs import press

TODAY = date(2021, 4, 1)
# Moments of the run itself differ between the two runs; everything else must be equal.
MOMENTS = {"Audit Log": {"When"}, "Register": {"Last Updated"}, "Returns": {"Issued", "Received"}}


@pytest.fixture
def maintained(tmp_path) -> Path:
    plan = tmp_path / "ActionPlan.xlsm"
    commands.new_plan(plan, sample_plan())
    assign_demo_leads(plan)
    return plan


def by_file(plan: Path, use_case, *args, **kwargs):
    """What the command does: the use case on the master file, saved atomically."""
    copy = plan.with_name("cli-" + plan.name)
    shutil.copy(plan, copy)
    with FilePlans(copy).editing() as master:
        result = use_case(master, *args, **kwargs)
    return copy, result


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_issue_returns_button(maintained, tmp_path):
    by_command, _ = by_file(maintained, returns.issue_returns, ReturnFolder(), tmp_path / "cli-out", today=TODAY)
    (tmp_path / "out").mkdir()
    after, _, alerts = press(maintained, "issue_returns", str(tmp_path / "out"), today=TODAY)
    assert alerts[0][1:] == ("Action Plan", "info"), alerts
    assert state(after, MOMENTS) == state(by_command, MOMENTS)
    assert files_in(tmp_path / "out") == files_in(tmp_path / "cli-out")


def test_consolidate_returns_button(maintained, tmp_path):
    issued, _ = by_file(maintained, returns.issue_returns, ReturnFolder(), tmp_path / "returns", today=TODAY)
    shutil.copy(issued, maintained)
    by_command, _ = by_file(maintained, returns.consolidate_returns, ReturnFolder(), [tmp_path / "returns"], today=TODAY)
    after, _, alerts = press(maintained, "consolidate_returns", str(tmp_path / "returns"), today=TODAY)
    assert alerts[0][1] in {"Action Plan", "Action Plan: could not run"}
    assert alerts[0][1] == "Action Plan", alerts
    assert state(after, MOMENTS) == state(by_command, MOMENTS)


def test_refresh_summary_button(maintained):
    by_command, _ = by_file(maintained, reports.refresh_summary, today=TODAY)
    after, actions, alerts = press(maintained, "refresh_summary", today=TODAY)
    assert alerts[0][1:] == ("Action Plan", "info"), alerts
    assert state(after)["Summary"]["values"] == state(by_command)["Summary"]["values"]
    # The two native charts (ratings overall, ratings per recommendation), created over the tables' cells.
    charts = [a for a in actions if a["func"] == "addChart"]
    assert len(charts) == 2, [a["func"] for a in actions]


def test_board_report_button(maintained, tmp_path):
    docx = pytest.importorskip("docx")
    cli_report = tmp_path / "cli-report.docx"
    by_file(maintained, reports.board_report, BoardReportFile(), cli_report, today=TODAY)
    after, actions, alerts = press(maintained, "board_report", str(tmp_path / "Board report"), today=TODAY)
    assert alerts[0][1:] == ("Action Plan", "info"), alerts
    # The button only reads the workbook, in one block per sheet, so its count does not grow with the plan.
    assert [a["func"] for a in actions] == ["alert"]
    button_report = tmp_path / "Board report.docx"  # the extension is added when the dialog gave none

    def text(path: Path) -> list[str]:
        document = docx.Document(str(path))
        return [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]

    assert text(button_report) == text(cli_report)
