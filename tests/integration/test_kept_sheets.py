"""What a save carries over instead of writing again: the Summary's cells when nothing redrew it, and the rows the
Audit Log and the Updates sheet already held when a command only adds rows to them.

Carried over means byte for byte: the XML of those cells is the XML the master had, so nothing a person or an
earlier command put there is regenerated (or changed) by a command that had no business with it.
"""

from __future__ import annotations

import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from benchmarks.excel_like import share_strings
from ragbook import commands
from ragbook.core.records import AuditEntry, UpdateRecord
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.plans import FilePlans
from ragbook.io.sheets import contract as c
from tests.helpers.history import TODAY, build_two_rounds

WHEN = date(2021, 6, 2)


def sheet_xml(plan: Path, sheet: str) -> bytes:
    book = load_workbook(plan, read_only=True)
    try:
        index = book.sheetnames.index(sheet)
    finally:
        book.close()
    with zipfile.ZipFile(plan) as package:
        names = sorted((n for n in package.namelist() if n.startswith("xl/worksheets/sheet")),
                       key=lambda n: int(n.rsplit("sheet", 1)[1].split(".")[0]))
        return package.read(names[index])


def cells_of(xml: bytes) -> bytes:
    return xml[xml.index(b"<sheetData"):xml.index(b"</sheetData>")]


def values(plan: Path, sheet: str) -> list[tuple]:
    book = load_workbook(plan)
    return [tuple((cell.value, cell.number_format, cell.font.b, cell.fill.fgColor.rgb) for cell in row)
            for row in book[sheet].iter_rows()]


def test_a_summary_no_command_redrew_is_carried_over_cell_for_cell(history_plan):
    commands.summary_plan(history_plan, today=TODAY)
    drawn, looks = cells_of(sheet_xml(history_plan, c.SUMMARY)), values(history_plan, c.SUMMARY)
    charts = len(load_workbook(history_plan)[c.SUMMARY]._charts)  # noqa: SLF001
    assert b"inlineStr" in drawn and b't="s"' not in drawn  # no shared string: nothing it names is renumbered
    master = MasterWorkbook.open(history_plan)
    assert master.book[c.SUMMARY].max_row == 1 and master.book[c.SUMMARY]["A1"].value is None  # not loaded
    commands.validate_plan(history_plan, TODAY)  # writes the Exceptions and the notes, not the Summary
    assert cells_of(sheet_xml(history_plan, c.SUMMARY)) == drawn
    assert values(history_plan, c.SUMMARY) == looks
    assert len(load_workbook(history_plan)[c.SUMMARY]._charts) == charts >= 2  # noqa: SLF001 - charts stay too


def test_a_summary_redrawn_after_being_carried_over_is_drawn_afresh(history_plan):
    commands.summary_plan(history_plan, today=TODAY)
    first = values(history_plan, c.SUMMARY)
    commands.validate_plan(history_plan, TODAY)
    commands.summary_plan(history_plan, today=TODAY)
    assert values(history_plan, c.SUMMARY) == first  # the same plan, the same day: the same sheet


def test_a_summary_excel_saved_with_shared_strings_is_read_by_openpyxl_and_kept(history_plan):
    commands.summary_plan(history_plan, today=TODAY)
    looks = values(history_plan, c.SUMMARY)
    share_strings(history_plan)  # as Excel saves it: the cells name a strings table the next save rewrites
    master = MasterWorkbook.open(history_plan)
    assert master.kept_sheet_data(c.SUMMARY) is None and master.book[c.SUMMARY]["A1"].value
    commands.validate_plan(history_plan, TODAY)
    assert values(history_plan, c.SUMMARY) == looks


def test_a_summary_text_that_looks_like_a_formula_stays_text(history_plan):
    with FilePlans(history_plan).editing() as master:
        register = master.read_register()
        register.actions[:] = [a.with_changes(action=f'=HYPERLINK("http://x") {a.action}') for a in register.actions]
        master.write_register(register)
    commands.summary_plan(history_plan, today=TODAY)
    cells = [cell for row in load_workbook(history_plan)[c.SUMMARY].iter_rows() for cell in row
             if isinstance(cell.value, str) and cell.value.startswith("=HYPERLINK")]
    assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


def audit_entry(number: int) -> AuditEntry:
    return AuditEntry(when=WHEN, source="a test", agency="Police", review="Review", ref=f"1.{number}",
                      field="Progress Update", old="", new=f"Entry {number}, added by a command that only appends.")


def update(number: int) -> UpdateRecord:
    return UpdateRecord(when=WHEN, round=3, return_id=f"R003-{number}", agency="Police", review="Review",
                        ref=f"1.{number}", rating="G", progress=f"Progress {number}.", evidence="",
                        revised_date=None, updated_by="Police", accepted="consolidation")


def test_audit_rows_are_appended_after_the_rows_the_log_held_kept_as_they_were(history_plan):
    before = cells_of(sheet_xml(history_plan, c.AUDIT_LOG))
    held = MasterWorkbook.open(history_plan).read_audit()
    with FilePlans(history_plan).editing() as master:
        master.append_audit([audit_entry(1), audit_entry(2)])
    after = cells_of(sheet_xml(history_plan, c.AUDIT_LOG))
    assert after.startswith(before[:before.rindex(b"</row>")])
    read = MasterWorkbook.open(history_plan).read_audit()
    assert read[:len(held)] == held and [e.ref for e in read[len(held):]] == ["1.1", "1.2"]
    table = next(iter(load_workbook(history_plan)[c.AUDIT_LOG].tables.values()))
    assert table.ref.endswith(str(len(read) + 1))


def test_rows_appended_twice_before_a_save_follow_each_other(history_plan):
    held = len(MasterWorkbook.open(history_plan).read_audit())
    with FilePlans(history_plan).editing() as master:
        master.append_audit([audit_entry(1)])
        master.append_audit([audit_entry(2)])
    read = MasterWorkbook.open(history_plan).read_audit()
    assert len(read) == held + 2 and [e.ref for e in read[-2:]] == ["1.1", "1.2"]


def test_an_audit_log_rewritten_and_then_appended_to_is_written_whole(history_plan):
    with FilePlans(history_plan).editing() as master:
        master._write_list(c.AUDIT_LOG, [])  # noqa: SLF001 - as a command replacing the log would
        master.append_audit([audit_entry(1)])
    assert [e.ref for e in MasterWorkbook.open(history_plan).read_audit()] == ["1.1"]


@pytest.mark.parametrize("given", [list, iter], ids=["a list", "a generator"])
def test_an_audit_log_whose_columns_a_person_moved_is_written_afresh_in_the_contracts_order(history_plan, given):
    book = load_workbook(history_plan)
    ws = book[c.AUDIT_LOG]
    ws.move_range(f"A1:A{ws.max_row}", cols=ws.max_column)  # the first column moved to the end
    ws.delete_cols(1)
    book.save(history_plan)
    held = MasterWorkbook.open(history_plan).read_audit()
    with FilePlans(history_plan).editing() as master:
        master.append_audit(given([audit_entry(1)]))  # entries given once are not lost by the fallback
    header = [cell.value for cell in next(load_workbook(history_plan)[c.AUDIT_LOG].iter_rows(max_row=1))]
    assert header == [col.header for col in c.LIST_SHEETS[c.AUDIT_LOG]]
    assert MasterWorkbook.open(history_plan).read_audit() == [*held, audit_entry(1)]


def test_updates_are_appended_after_the_rows_the_sheet_held_kept_as_they_were(tmp_path):
    plan = build_two_rounds(tmp_path)
    before = cells_of(sheet_xml(plan, c.UPDATES))
    held = MasterWorkbook.open(plan).read_updates()
    assert {u.round for u in held} == {1, 2}
    with FilePlans(plan).editing() as master:
        master.append_updates([update(1)])
    assert cells_of(sheet_xml(plan, c.UPDATES)).startswith(before[:before.rindex(b"</row>")])
    read = MasterWorkbook.open(plan).read_updates()
    assert read[:len(held)] == held and [u.return_id for u in read[len(held):]] == ["R003-1"]
