"""Each button, run on xlwings' remote engine, leaves the workbook as its command leaves the file.

The remote engine is xlwings' own API turning each call into an action for Excel; the test stands in for
the Excel client (tests/helpers/officejs.py): it sends the master as the client would and does to a copy
what Excel does with each action. What is compared is what a person sees: every sheet's values, the notes,
the tables' extents, the ratings' colours as displayed and the Register's validations.
"""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest
import xlwings as xw
from click.testing import CliRunner
from openpyxl import load_workbook

from ragbook import commands
from ragbook.cli import cli
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.ribbon import run_button
from tests.helpers.officejs import press
from tests.helpers.sheets import state

QUARTER_END = date(2020, 6, 30)


def cli_run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def maintained(tmp_path) -> Path:
    """A master as a business team has it: imported, leads and dates assigned, validated last year."""
    plan = tmp_path / "ActionPlan.xlsm"
    commands.new_plan(plan, sample_plan())
    assign_demo_leads(plan)
    assert cli_run("validate", str(plan), "--today", "01/06/2022").exit_code == 1
    return plan


def twin(plan: Path) -> Path:
    copy = plan.with_name("cli-" + plan.name)
    shutil.copy(plan, copy)
    return copy


def test_validate_button_matches_validate_command(maintained):
    by_command = twin(maintained)
    result = cli_run("validate", str(by_command), "--today", "30/06/2020", "--json")
    assert result.exit_code == 1
    counts = json.loads(result.output)
    after, actions, alerts = press(maintained, "validate", today=QUARTER_END)
    assert state(after) == state(by_command)
    assert alerts[0][0].startswith(f"{maintained}: 18 actions checked, {counts['errors']} errors, ")
    # Notes of last year's overdue findings are taken away; the notes that say what they said are not sent again.
    funcs = [a["func"] for a in actions]
    assert "deleteNote" in funcs and "setNoteText" not in funcs


def test_validate_message_is_the_commands_summary(maintained):
    report = commands.validate_plan(twin(maintained), QUARTER_END)
    _, _, alerts = press(maintained, "validate", today=QUARTER_END)
    assert alerts == [(f"{maintained}: {report.actions} actions checked, {report.errors} errors, {report.warnings} "
                       f"warnings; listed on the Exceptions sheet, {report.marked_cells} cells marked with a note.",
                       "Action Plan", "info")]


def test_apply_colours_button_matches_colour_command(maintained):
    by_command = twin(maintained)
    result = cli_run("colour", str(by_command))
    assert result.exit_code == 0
    after, _, alerts = press(maintained, "apply_colours")
    assert state(after) == state(by_command)
    assert alerts == [(result.output.strip().replace(str(by_command), str(maintained)), "Action Plan", "info")]


def test_apply_colours_uses_a_changed_rating_index(maintained):
    master = MasterWorkbook.open(maintained)
    index = master.sheet("Rating Index")
    index["D2"] = "002060"  # Blue made navy
    master.save()
    by_command = twin(maintained)
    assert cli_run("colour", str(by_command)).exit_code == 0
    after, _, _ = press(maintained, "apply_colours")
    looks = state(after)["rating looks"]
    assert ("002060", "FFFFFF", True) in looks
    assert state(after) == state(by_command)


def test_import_button_matches_import_command(tmp_path):
    plan = tmp_path / "ActionPlan.xlsm"
    assert cli_run("new", str(plan)).exit_code == 0
    by_command = twin(plan)
    result = cli_run("import", str(sample_plan()), "--into", str(by_command))
    assert result.exit_code == 0, result.output
    after, _, alerts = press(plan, "import_plan", str(sample_plan()))
    # 'Last Updated' is the moment of the import, which differs between the two runs.
    skip = {"Register": {"Last Updated"}}
    assert state(after, skip) == state(by_command, skip)
    assert alerts[0][0].startswith("Imported 18 actions of 'SCR Sam and Kyle' from scr-sam-and-kyle-action-plan.txt: "
                                   "18 added, 0 updated, 0 unchanged.\n21 repairs")
    assert alerts[0][1:] == ("Action Plan", "info")


def test_import_keeps_text_that_looks_like_numbers_or_formulas_as_text(tmp_path):
    plan = tmp_path / "ActionPlan.xlsm"
    assert cli_run("new", str(plan)).exit_code == 0
    source = tmp_path / "plan.csv"
    source.write_text("Review,Ref,Recommendation,Action,Progress,RAG\n"
                      "SAR Test,1.10,Audit,Run the audit,=HYPERLINK(\"http://x\"),G\n"
                      "SAR Test,1.2,Audit,\"-1 is not a number here\",2021-03-31,A\n", encoding="utf-8")
    by_command = twin(plan)
    assert cli_run("import", str(source), "--into", str(by_command)).exit_code == 0
    after, _, alerts = press(plan, "import_plan", str(source))
    assert alerts[0][2] == "info", alerts
    skip = {"Register": {"Last Updated"}}
    assert state(after, skip) == state(by_command, skip)
    values = state(after)["Register"]["values"]
    assert values[1][1] == "1.10" and values[1][7] == '=HYPERLINK("http://x")'


def test_help_button_shows_the_how_to():
    book = xw.Book(json={"client": "Office.js", "version": xw.__version__,
                         "book": {"name": "ActionPlan.xlsm", "active_sheet_index": 0, "selection": "A1"},
                         "names": [], "sheets": [{"name": "Register", "values": [[]], "pictures": [], "tables": []}]})
    text = run_button(book, "help")
    (alert,) = book.json()["actions"]
    assert alert["func"] == "alert" and alert["args"][0] == text
    for label in ("Import plan", "Validate", "Apply colours", "Issue returns", "Consolidate returns",
                  "Refresh summary", "Board report"):
        assert f"{label}:" in text


def _broken_index(maintained: Path) -> None:
    book = load_workbook(maintained, keep_vba=True)  # as a person typing in Excel would break it
    book["Rating Index"]["A3"] = "B"  # two ratings coded B
    book.save(maintained)


def test_an_error_shows_the_commands_sentence_in_a_message_box(maintained):
    _broken_index(maintained)
    result = cli_run("validate", str(maintained))
    assert result.exit_code == 2
    sentence = result.output.strip().removeprefix("Error: ")
    assert sentence == (f"{maintained}: sheet 'Rating Index': the rating index uses 'B' twice; fix the index before "
                        f"going on.")
    after, actions, alerts = press(maintained, "validate", today=QUARTER_END)
    assert alerts == [(sentence, "Action Plan: could not run", "critical")]
    assert [a["func"] for a in actions] == ["alert"]  # nothing in the workbook was touched


def test_a_missing_source_is_reported_as_the_command_reports_it(maintained, tmp_path):
    missing = tmp_path / "gone.docx"
    result = cli_run("import", str(missing), "--into", str(twin(maintained)))
    assert result.exit_code == 2
    _, _, alerts = press(maintained, "import_plan", str(missing))
    assert alerts == [(result.output.strip().removeprefix("Error: "), "Action Plan: could not run", "critical")]
