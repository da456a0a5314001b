"""The fast path for big list sheets: what it writes is a workbook every reader agrees on."""

from __future__ import annotations

import subprocess
import zipfile
from datetime import date

from openpyxl import load_workbook

from ragbook import commands
from ragbook.io.plans import FilePlans
from ragbook.io.master import package
from ragbook.io.master.workbook import MasterWorkbook


def test_the_register_reads_back_identically_through_openpyxl(sample_master):
    commands.validate_plan(sample_master, date(2026, 11, 26))
    ours = MasterWorkbook.open(sample_master).read_register().actions
    ws = load_workbook(sample_master)["Register"]
    refs = [ws.cell(r, 2).value for r in range(2, ws.max_row + 1)]
    assert refs == [a.ref for a in ours]
    assert ws.cell(2, 3).value == ours[0].recommendation


def test_read_only_readers_see_the_true_extent(sample_master):
    book = load_workbook(sample_master, read_only=True)
    assert book["Register"].max_row == 19 and book["Register"].max_column == 12
    book.close()


def test_a_column_a_user_added_to_the_register_survives_and_stays_with_its_action(sample_master, sample):
    book = load_workbook(sample_master)
    ws = book["Register"]
    ws.cell(1, 13, "Board lead")
    ws.cell(3, 13, "Jo Smith")  # action 1.2
    book.save(sample_master)
    with FilePlans(sample_master).editing() as master:
        register = master.read_register()
        register.actions.reverse()
        master.write_register(register)
    ws = load_workbook(sample_master)["Register"]
    assert ws.cell(1, 13).value == "Board lead"
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, 2).value == "1.2")
    assert ws.cell(row, 13).value == "Jo Smith"


def test_a_master_saved_by_openpyxl_still_opens(sample_master, tmp_path):
    book = load_workbook(sample_master)
    resaved = tmp_path / "resaved.xlsx"
    book.save(resaved)
    register = MasterWorkbook.open(resaved).read_register()
    assert len(register) == 18 and register.actions[0].rag == "B"


def test_a_master_round_tripped_through_libreoffice_still_opens(sample_master, tmp_path, soffice):
    """LibreOffice, like Excel, saves with a shared-strings table and its own style numbering."""
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                    str(sample_master)], check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(out / sample_master.name) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
    register = MasterWorkbook.open(out / sample_master.name).read_register()
    assert [a.ref for a in register.actions][:3] == ["1.1", "1.2", "1.3"]
    assert register.actions[0].recommendation.startswith("Thurrock Safeguarding Children Partnership should review")


def test_header_only_keeps_the_first_row_and_what_follows_the_sheet_data():
    xml = (b'<worksheet><sheetData><row r="1"><c r="A1"/></row><row r="2"><c r="A2"/></row></sheetData>'
           b'<tableParts count="1"/></worksheet>')
    assert package.header_only(xml) == (
        b'<worksheet><sheetData><row r="1"><c r="A1"/></row></sheetData><tableParts count="1"/></worksheet>')


def test_sheet_data_is_replaced_and_the_dimension_set():
    xml = b'<worksheet><dimension ref="A1:B2"/><sheetData/><tableParts count="1"/></worksheet>'
    assert package.with_sheet_data(xml, b"<sheetData>X</sheetData>", "A1:L9") == (
        b'<worksheet><dimension ref="A1:L9"/><sheetData>X</sheetData><tableParts count="1"/></worksheet>')
