"""History kept and held updates decided on the live workbook (xlwings' remote engine, its actions replayed onto the
file as Excel would apply them): the Consolidate button writes the Updates and Held Updates sheets and validates
again as the command does, and decisions applied to the open workbook do what ``ragbook decide`` does."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import xlwings as xw
from openpyxl import load_workbook

from ragbook import commands
from ragbook.app.decisions import apply_decisions
from ragbook.io.live.master import LiveMaster
from ragbook.io.sheets import contract as c
from tests.helpers.officejs import payload_of, press, replay
from tests.helpers.returns import Cycle, fill_return, register_rows
from tests.helpers.sheets import sheet_rows

REVIEW = "SCR Sam and Kyle"
CONSOLIDATED, DECIDED = date(2026, 2, 1), date(2026, 2, 10)


def returned(cycle: Cycle) -> Path:
    """Two returns back: Police's update of 5.2, and Social Care's Blue on 3.3 without evidence (held)."""
    fill_return(cycle.copy_of("Police"), {"5.2": {"New Rating": "A", "Updated By": "DI Shah"}})
    fill_return(cycle.copy_of("Children's Social Care"), {"3.3": {"New Rating": "B", "Updated By": "Head"}})
    return cycle.folder / "returned"


def without_when(rows: list[dict]) -> list[dict]:
    return [{k: v for k, v in row.items() if k not in ("When", "Received")} for row in rows]


def test_the_consolidate_button_keeps_history_and_validates_as_the_command_does(cycle: Cycle, tmp_path) -> None:
    folder = returned(cycle)
    by_command = tmp_path / "by-command.xlsx"
    shutil.copyfile(cycle.plan, by_command)
    commands.consolidate_plan(by_command, [folder], today=CONSOLIDATED)
    after, _, alerts = press(cycle.plan, "consolidate_returns", str(folder), today=CONSOLIDATED)
    assert "Validated again: " in alerts[0][0]
    for sheet in (c.UPDATES, c.HELD_UPDATES):
        assert without_when(sheet_rows(after, sheet)) == without_when(sheet_rows(by_command, sheet)), sheet
    assert [r["Ref"] for r in sheet_rows(after, c.UPDATES)] == ["5.2"]
    assert [r["Ref"] for r in sheet_rows(after, c.HELD_UPDATES)] == ["3.3"]
    assert sheet_rows(after, c.EXCEPTIONS) == sheet_rows(by_command, c.EXCEPTIONS) != []
    book = load_workbook(after)
    assert book[c.UPDATES]["A2"].number_format == book[c.HELD_UPDATES]["K2"].number_format == "dd/mm/yyyy hh:mm"


def test_decisions_applied_to_the_open_workbook_do_what_the_command_does(cycle: Cycle, tmp_path) -> None:
    after, _, _ = press(cycle.plan, "consolidate_returns", str(returned(cycle)), today=CONSOLIDATED)
    book = load_workbook(after)
    ws = book[c.HELD_UPDATES]
    column = {cell.value: cell.column for cell in ws[1]}
    ws.cell(2, column["Decision"]).value = "Accept"
    ws.cell(2, column["Decision Note"]).value = "Audit seen"
    book.save(after)
    by_command = tmp_path / "by-command.xlsx"
    shutil.copyfile(after, by_command)
    commands.decide_plan(by_command, who="J Smith", today=DECIDED)

    live = xw.Book(json=payload_of(after, name=str(after)))
    report = apply_decisions(LiveMaster(live), who="J Smith", today=DECIDED)
    target = tmp_path / "decided.xlsx"
    replay(after, live.json()["actions"], target)
    assert len(report.accepted) == 1 and report.validation is not None
    assert register_rows(target)[(REVIEW, "3.3")]["RAG"] == "B" == register_rows(by_command)[(REVIEW, "3.3")]["RAG"]
    assert sheet_rows(target, c.HELD_UPDATES) == [] == sheet_rows(by_command, c.HELD_UPDATES)
    assert [(r["Ref"], r["Accepted"]) for r in sheet_rows(target, c.UPDATES)] == [
        ("5.2", "consolidation"), ("3.3", "J Smith on review")]
    assert sheet_rows(target, c.UPDATES) == sheet_rows(by_command, c.UPDATES)
    assert sheet_rows(target, c.AUDIT_LOG)[-1]["New"] == "accepted by J Smith: Audit seen"
    assert sheet_rows(target, c.EXCEPTIONS) == sheet_rows(by_command, c.EXCEPTIONS)
