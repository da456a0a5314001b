"""The master holds every sheet of the contract, looks right, and is never left half-written."""

from __future__ import annotations

from datetime import date

import pytest
from openpyxl import load_workbook

from ragbook import commands
from ragbook.io.plans import FilePlans
from ragbook.core.errors import InputError, MasterBusyError
from ragbook.core.model import Action, Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.io.sheets import contract
from ragbook.io.master.workbook import MasterWorkbook


def test_a_new_master_has_every_contract_sheet_and_column(tmp_path):
    plan = tmp_path / "new.xlsx"
    commands.new_plan(plan)
    book = load_workbook(plan)
    # Beyond the contract, only the returns ledger, very hidden (it holds the new master's own key).
    assert book.sheetnames == list(contract.SHEET_ORDER) + ["Returns Ledger"]
    assert book["Returns Ledger"].sheet_state == "veryHidden"
    register = book["Register"]
    assert [c.value for c in register[1]] == [col.header for col in contract.REGISTER_COLUMNS]
    assert "Register" in register.tables
    for name, columns in contract.LIST_SHEETS.items():
        assert [c.value for c in book[name][1]][: len(columns)] == [col.header for col in columns]
    index = book["Rating Index"]
    assert [[c.value for c in row] for row in index.iter_rows(min_row=2)] == [
        [r.code, r.label, r.meaning, r.fill, r.font] for r in DEFAULT_INDEX.ratings
    ]


def test_the_register_is_set_up_for_reading_and_printing(sample_master):
    ws = load_workbook(sample_master)["Register"]
    assert ws.freeze_panes == "C2"
    assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4
    # Too wide for one page at 9 pt: printed at 82% (11 pt text at 9 pt), over then down, Review and Ref on
    # every page, not squeezed onto one page wide.
    assert not ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.scale == 82
    assert ws.page_setup.pageOrder == "overThenDown"
    assert ws.print_title_rows == "$1:$1" and ws.print_title_cols == "$A:$B"
    assert ws.column_dimensions["C"].width == 40
    assert ws["C2"].alignment.wrap_text
    assert ws.row_dimensions[2].height > 100  # tall enough for the wrapped recommendation


def test_dates_are_real_dates_and_refs_stay_text(tmp_path):
    plan = tmp_path / "p.xlsx"
    master = MasterWorkbook.create(plan)
    register = Register(DEFAULT_INDEX, [Action("R", "1.10", action="Do it.", target_date=date(2026, 3, 31))])
    master.write_register(register)
    master.save()
    ws = load_workbook(plan)["Register"]
    assert ws["B2"].value == "1.10" and ws["B2"].number_format == "@"
    assert ws["F2"].value.date() == date(2026, 3, 31) and ws["F2"].number_format == "dd/mm/yyyy"
    assert MasterWorkbook.open(plan).read_register().actions[0].ref == "1.10"


def test_text_that_looks_like_a_formula_stays_text(tmp_path):
    plan = tmp_path / "p.xlsx"
    master = MasterWorkbook.create(plan)
    sneaky = '=HYPERLINK("http://example.invalid","click")'
    master.write_register(Register(DEFAULT_INDEX, [Action("R", "1.1", action="Do it.", progress=sneaky)]))
    master.save()
    cell = load_workbook(plan)["Register"]["H2"]
    assert (cell.data_type, cell.value, cell.quotePrefix) == ("s", sneaky, True)
    assert MasterWorkbook.open(plan).read_register().actions[0].progress == sneaky


def test_a_master_open_in_excel_is_not_written(sample_master):
    before = sample_master.read_bytes()
    (sample_master.parent / ("~$" + sample_master.name)).write_bytes(b"\x00" * 165)
    with pytest.raises(MasterBusyError, match=r"is open in Excel \(its lock file ~\$ActionPlan.xlsx exists\)"):
        commands.validate_plan(sample_master)
    assert sample_master.read_bytes() == before


def test_a_failed_save_leaves_the_old_master_and_no_temporary_file(sample_master, monkeypatch):
    before = sample_master.read_bytes()
    master = MasterWorkbook.open(sample_master)
    master.write_register(Register(DEFAULT_INDEX, []))

    def crash(path):
        raise OSError("disk full")

    monkeypatch.setattr("ragbook.io.master.workbook.verify_saved", crash)
    with pytest.raises(InputError, match="could not be saved .*disk full.*the master is unchanged"):
        master.save()
    assert sample_master.read_bytes() == before
    assert sorted(p.name for p in sample_master.parent.iterdir()) == ["ActionPlan.xlsx"]


def test_every_save_keeps_a_timestamped_backup_of_the_previous_master(sample_master):
    before = sample_master.read_bytes()
    commands.colour_plan(sample_master)
    (backup,) = (sample_master.parent / "backups").iterdir()
    assert backup.read_bytes() == before
    assert backup.name.startswith("ActionPlan-") and backup.suffix == ".xlsx"


def test_validation_lists_findings_and_notes_cells_then_removes_fixed_notes(sample_master):
    report = commands.validate_plan(sample_master, date(2026, 11, 26))
    book = load_workbook(sample_master)
    rows = list(book["Exceptions"].iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(report.findings)
    assert ("error", "rating-missing", "SCR Sam and Kyle", "1.3", "RAG", "The action has no rating.") in rows
    note = book["Register"]["J4"].comment
    assert note.author == "ragbook" and "rating-missing" in note.text

    with FilePlans(sample_master).editing() as master:
        register = master.read_register()
        register.actions[2] = register.actions[2].with_changes(rag="G")
        master.write_register(register)
    commands.validate_plan(sample_master, date(2026, 11, 26))
    assert load_workbook(sample_master)["Register"]["J4"].comment is None


def test_a_users_own_notes_survive_validation(sample_master):
    from openpyxl.comments import Comment

    book = load_workbook(sample_master)
    book["Register"]["H2"].comment = Comment("Chased at board, 3 March", "Jo Smith")
    book.save(sample_master)
    commands.validate_plan(sample_master, date(2026, 11, 26))
    assert load_workbook(sample_master)["Register"]["H2"].comment.text == "Chased at board, 3 March"
