"""An .xlsm master survives the command line: VBA project and ribbon identical after every command.

And a master holding what the command line cannot keep (pictures, shapes, pivot tables) is refused with a
message saying what and where, and left untouched.
"""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from oletools.olevba import VBA_Parser

from ragbook.cli import cli
from ragbook.core.errors import InputError
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.io.master.preserve import check_macros_kept, macro_parts
from ragbook.io.xlsm import package
from tests.helpers.paths import COMMITTED



def run(*args: str):
    return CliRunner().invoke(cli, list(args))


def macros_of(path: Path) -> dict[str, object]:
    with zipfile.ZipFile(path) as archive:
        types = archive.read("[Content_Types].xml")
    parts = macro_parts(path)
    parts["macro-enabled"] = package.MACRO_WORKBOOK_TYPE.encode() in types
    return parts


def modules_of(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {name: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


@pytest.fixture
def master(tmp_path) -> Path:
    plan = tmp_path / "ActionPlan.xlsm"
    shutil.copy(COMMITTED, plan)  # the committed workbook itself, as a user downloads it
    return plan


def test_new_xlsm_is_a_copy_of_the_ribbon_workbook(tmp_path):
    plan = tmp_path / "Plan.xlsm"
    assert run("new", str(plan)).exit_code == 0
    assert macros_of(plan) == macros_of(COMMITTED)
    assert macros_of(plan)["macro-enabled"] is True
    assert set(modules_of(plan)) >= {"Ribbon.bas", "xlwings.bas", "Dictionary.cls"}


def test_new_xlsx_has_no_macros(tmp_path):
    plan = tmp_path / "Plan.xlsx"
    assert run("new", str(plan)).exit_code == 0
    with zipfile.ZipFile(plan) as archive:
        assert "xl/vbaProject.bin" not in archive.namelist()


def test_every_command_keeps_the_vba_and_the_ribbon(master, tmp_path):
    before, modules = macros_of(master), modules_of(master)
    steps = [
        ("import", str(sample_plan()), "--into", str(master)),
        ("validate", str(master), "--today", "30/06/2020"),
        ("colour", str(master)),
        ("import", str(sample_plan()), "--into", str(master)),  # again: nothing added, saved all the same
    ]
    for step in steps:
        result = run(*step)
        assert result.exit_code in (0, 1), (step, result.output)
        assert macros_of(master) == before, step
    assign_demo_leads(master)  # the demo's own edit through MasterWorkbook
    assert macros_of(master) == before
    assert modules_of(master) == modules
    assert len(list((tmp_path / "backups").glob("ActionPlan-*.xlsm"))) == 5


def test_new_from_a_source_keeps_them_too(tmp_path):
    plan = tmp_path / "Plan.xlsm"
    assert run("new", str(plan), "--from", str(sample_plan())).exit_code == 0
    assert macros_of(plan) == macros_of(COMMITTED)


def _add_part(path: Path, name: str, data: bytes, rels: dict[str, bytes] | None = None,
              content_type: str | None = None) -> None:
    members = package.read_members(path.read_bytes())
    members[name] = data
    for rels_name, rel in (rels or {}).items():
        existing = members.get(rels_name, b'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.'
                                          b'org/package/2006/relationships"></Relationships>')
        members[rels_name] = existing.replace(b"</Relationships>", rel + b"</Relationships>")
    if content_type:
        members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
            b"</Types>", f'<Override PartName="/{name}" ContentType="{content_type}"/></Types>'.encode())
    path.write_bytes(package.write_members(members))


DRAWING = (b'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
           b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main">'
           b'<xdr:twoCellAnchor><xdr:from><xdr:col>2</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>4</xdr:row>'
           b'<xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>5</xdr:col><xdr:colOff>0</xdr:colOff>'
           b'<xdr:row>9</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>'
           b'<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="2" name="Text Box 1"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr>'
           b'<xdr:spPr/></xdr:sp><xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>')


def test_a_shape_someone_added_is_refused_and_the_master_untouched(master):
    _add_part(master, "xl/drawings/drawing1.xml", DRAWING,
              {"xl/worksheets/_rels/sheet1.xml.rels": b'<Relationship Id="rIdShape" Type="http://schemas.openxmlformats'
                                                      b'.org/officeDocument/2006/relationships/drawing" '
                                                      b'Target="../drawings/drawing1.xml"/>'},
              "application/vnd.openxmlformats-officedocument.drawing+xml")
    original = master.read_bytes()
    result = run("validate", str(master))
    assert result.exit_code == 2
    assert result.output == (
        f"Error: {master}: holds a shape or text box on sheet 'Register' at C5, which the command line cannot keep "
        f"when it saves; nothing was changed: use the Action Plan ribbon buttons inside Excel for this master, or "
        f"move that content to another workbook.\n")
    assert master.read_bytes() == original
    assert not (master.parent / "backups").exists()


def test_a_picture_is_refused(master):
    picture = DRAWING.replace(b"<xdr:sp>", b"<xdr:pic>").replace(b"</xdr:sp>", b"</xdr:pic>").replace(
        b"<xdr:col>2</xdr:col>", b"<xdr:col>0</xdr:col>", 1)
    _add_part(master, "xl/drawings/drawing1.xml", picture,
              {"xl/worksheets/_rels/sheet2.xml.rels": b'<Relationship Id="rIdPic" Type="http://schemas.openxmlformats'
                                                      b'.org/officeDocument/2006/relationships/drawing" '
                                                      b'Target="../drawings/drawing1.xml"/>'})
    result = run("colour", str(master))
    assert result.exit_code == 2
    assert "holds a picture on sheet 'Summary' at A5, which the command line cannot keep" in result.output


def test_a_pivot_table_is_refused(master):
    _add_part(master, "xl/pivotTables/pivotTable1.xml", b'<pivotTableDefinition xmlns="http://schemas.openxmlformats.'
                                                         b'org/spreadsheetml/2006/main" name="PivotTable1"/>',
              {"xl/worksheets/_rels/sheet2.xml.rels": b'<Relationship Id="rIdPivot" Type="http://schemas.openxmlformats'
                                                      b'.org/officeDocument/2006/relationships/pivotTable" '
                                                      b'Target="../pivotTables/pivotTable1.xml"/>'})
    original = master.read_bytes()
    result = run("import", str(sample_plan()), "--into", str(master))
    assert result.exit_code == 2
    assert (f"Error: {master}: holds a pivot table (1 part) on sheet 'Summary', which the command line cannot keep"
            in result.output)
    assert master.read_bytes() == original


def test_a_save_that_lost_the_ribbon_is_refused(master, tmp_path):
    before = macro_parts(master)
    stripped = tmp_path / "stripped.xlsm"
    members = package.read_members(master.read_bytes())
    del members["customUI/customUI.xml"]
    stripped.write_bytes(package.write_members(members))
    with pytest.raises(InputError, match=r"saving would have changed customUI/customUI.xml; the master is unchanged"):
        check_macros_kept(before, stripped, master)
