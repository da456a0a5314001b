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

from ragbook.app import reports, returns
from ragbook.io.reports.writer import BoardReportFile
from ragbook.io.returns.folder import ReturnFolder
from tests.helpers.history import TODAY as ROUNDS_TODAY, build_two_rounds
from tests.helpers.sheets import state
from tests.helpers.officejs import press
from tests.helpers.parity import by_file

TODAY = date(2021, 4, 1)
# Moments of the run itself differ between the two runs; everything else must be equal.
MOMENTS = {"Audit Log": {"When"}, "Register": {"Last Updated"}, "Returns": {"Issued", "Received"}}


def files_in(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_issue_returns_button(maintained, tmp_path):
    # The Round sheet's Send returns as is blank: Outlook drafts, which this computer has no Outlook for, so the
    # button writes the .eml drafts the command writes with --eml, and says so.
    by_command, _ = by_file(maintained, returns.issue_returns, ReturnFolder(), tmp_path / "cli-out", eml=True,
                            today=TODAY)
    (tmp_path / "out").mkdir()
    after, _, alerts = press(maintained, "issue_returns", str(tmp_path / "out"), today=TODAY)
    assert alerts[0][1:] == ("Action Plan", "info"), alerts
    assert alerts[0][0].endswith("Outlook is not on this computer, so the emails were written as .eml files in the "
                                 "folder chosen instead; open one to send it.")
    assert state(after, MOMENTS) == state(by_command, MOMENTS)
    assert files_in(tmp_path / "out") == files_in(tmp_path / "cli-out")
    assert len([name for name in files_in(tmp_path / "out") if name.endswith(".eml")]) == 5


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


def test_refresh_summary_button_after_two_rounds(tmp_path):
    plan = build_two_rounds(tmp_path)
    by_command, _ = by_file(plan, reports.refresh_summary, today=ROUNDS_TODAY)
    after, actions, alerts = press(plan, "refresh_summary", today=ROUNDS_TODAY)
    assert alerts[0][1:] == ("Action Plan", "info"), alerts
    values = state(after)["Summary"]["values"]
    assert values == state(by_command)["Summary"]["values"]
    assert any(row and row[0] == "Agencies chased twice or more (escalate)" for row in values)
    # The ratings overall, per recommendation, and by round: the last has its rounds beside its counts, so it is
    # made in one call with them as its categories.
    charts = [a for a in actions if a["func"] == "addChart"]
    assert len(charts) == 3 and sum(a["func"] == "setChartXAxisValues" for a in actions) == 1


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
