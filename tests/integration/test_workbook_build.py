"""ActionPlan.xlsm: built from macros/ reproducibly, committed in sync, readable by independent tools.
(``ragbook build-workbook --check`` itself is tested in tests/e2e/test_build_workbook_cli.py.)"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
import xlwings
from oletools.olevba import VBA_Parser

from ragbook.core.errors import InputError
from ragbook.io.xlsm import package
from ragbook.io.xlsm.build import build_or_check, build_workbook, vba_text
from ragbook.io.xlsm.vba_project import class_stream_source
from ragbook.io.xlsm.template import packaged_template
from tests.helpers.paths import COMMITTED, MACROS, PACKAGED


@pytest.fixture(scope="module")
def fresh() -> bytes:
    return build_workbook(MACROS)


def test_building_twice_gives_the_same_bytes(fresh):
    assert build_workbook(MACROS) == fresh


def test_committed_workbooks_are_what_macros_build(fresh):
    # Fails whenever macros/ or the pinned xlwings changed without 'ragbook build-workbook' being run.
    assert COMMITTED.read_bytes() == fresh, "workbook/ActionPlan.xlsm is out of date: run 'ragbook build-workbook'"
    assert PACKAGED.read_bytes() == fresh, "ragbook/data/ActionPlan.xlsm is out of date: run 'ragbook build-workbook'"
    assert packaged_template() == fresh


def test_check_exits_1_when_a_macro_changed(tmp_path):
    checkout = tmp_path / "checkout"
    shutil.copytree(MACROS, checkout / "macros")
    (checkout / "workbook").mkdir()
    (checkout / "ragbook" / "data").mkdir(parents=True)
    shutil.copy(COMMITTED, checkout / "workbook" / "ActionPlan.xlsm")
    shutil.copy(PACKAGED, checkout / "ragbook" / "data" / "ActionPlan.xlsm")
    assert {o.status for o in build_or_check(True, checkout / "macros")} == {"unchanged"}
    ribbon = checkout / "macros" / "Ribbon.bas"
    ribbon.write_bytes(ribbon.read_bytes() + b"' changed\r\n")
    outcomes = build_or_check(True, checkout / "macros")
    assert [o.status for o in outcomes] == ["out of date", "out of date"]
    assert (checkout / "workbook" / "ActionPlan.xlsm").read_bytes() == COMMITTED.read_bytes()  # --check writes nothing
    assert [o.status for o in build_or_check(False, checkout / "macros")] == ["written", "written"]
    assert [o.status for o in build_or_check(True, checkout / "macros")] == ["unchanged", "unchanged"]


def test_a_module_must_be_named_as_its_file(tmp_path):
    shutil.copytree(MACROS, tmp_path / "macros")
    (tmp_path / "macros" / "Ribbon.bas").rename(tmp_path / "macros" / "Buttons.bas")
    with pytest.raises(InputError, match=r"Buttons.bas: its Attribute VB_Name must be 'Buttons'"):
        build_workbook(tmp_path / "macros")


def test_package_is_macro_enabled_with_the_2006_ribbon(fresh):
    members = package.read_members(fresh)
    assert package.MACRO_WORKBOOK_TYPE.encode() in members["[Content_Types].xml"]
    assert package.PLAIN_WORKBOOK_TYPE.encode() not in members["[Content_Types].xml"]
    assert package.ribbon_of(fresh) == (MACROS / "customUI.xml").read_bytes()
    assert "customUI/customUI14.xml" not in members
    with zipfile.ZipFile(COMMITTED) as archive:
        infos = archive.infolist()
    assert infos[0].filename == "[Content_Types].xml"
    assert {info.date_time for info in infos} == {package.FIXED_ZIP_TIME}
    assert b"2000-01-01T00:00:00Z" in members["docProps/core.xml"]


def test_xlwings_conf_sheet_is_hidden_and_points_nowhere_yet():
    from openpyxl import load_workbook

    book = load_workbook(COMMITTED, keep_vba=True)
    conf = book["xlwings.conf"]
    assert conf.sheet_state == "hidden"
    assert [conf.cell(r, 1).value for r in range(1, 6)] == ["Interpreter_Win", "Interpreter_Mac", "Conda Path",
                                                           "Conda Env", "Use UDF Server"]
    assert [conf.cell(r, 2).value for r in range(1, 6)] == [None, None, None, None, False]  # a warm Python: off
    assert conf["A6"].value is None  # xlwings reads settings down to the first blank cell
    assert book.sheetnames[:7] == ["Register", "Summary", "Rating Index", "Agencies", "Exceptions", "Audit Log",
                                   "Returns"]


def _olevba_modules(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def _body(text: str) -> str:
    """A module without the Attribute lines VBA keeps in the stream (and a class's VERSION/BEGIN preamble)."""
    lines = text.replace("\r\n", "\n").split("\n")
    while lines and (lines[0].startswith(("Attribute ", "VERSION ", "BEGIN", "  MultiUse", "END"))):
        lines.pop(0)
    return "\n".join(lines).rstrip("\n")


def test_olevba_reads_every_macro_byte_for_byte_and_the_xlwings_module():
    modules = _olevba_modules(COMMITTED)
    sources = sorted(MACROS.glob("*.bas")) + sorted(MACROS.glob("*.cls"))
    assert sources, "macros/ holds no VBA module"
    for source in sources:
        assert source.stem in modules, f"{source.name} is missing from the workbook"
        # olevba hands the module back as the workbook stores it: a standard module's own bytes, CRLF
        # included; a class as Excel keeps one in its stream (no VERSION block, Excel's attribute lines).
        stored = modules[source.stem].encode("cp1252")
        expected = source.read_bytes()
        if source.suffix == ".cls":
            expected = class_stream_source(source.stem, vba_text(expected, source)).encode("cp1252")
        assert stored.rstrip(b"\r\n") == expected.rstrip(b"\r\n"), source.name
    xlwings_bas = (Path(xlwings.__file__).parent / "xlwings.bas").read_text("cp1252")
    assert "xlwings" in modules and "Dictionary" in modules
    assert _body(modules["xlwings"]) == _body(xlwings_bas)
    assert f"'Version: {xlwings.__version__}" in modules["xlwings"]


@pytest.mark.libreoffice
def test_libreoffice_opens_the_workbook_and_lists_its_vba_modules(tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    result = subprocess.run(
        [soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to", "ods",
         "--outdir", str(tmp_path), str(COMMITTED)], capture_output=True, text=True, timeout=180)
    converted = tmp_path / "ActionPlan.ods"
    assert converted.exists(), result.stderr
    with zipfile.ZipFile(converted) as archive:
        basic = {Path(n).stem for n in archive.namelist() if n.startswith("Basic/VBAProject/") and n.endswith(".xml")}
        ribbon = archive.read("Basic/VBAProject/Ribbon.xml").decode("utf-8")
    expected = {p.stem for p in MACROS.glob("*.bas")} | {p.stem for p in MACROS.glob("*.cls")} | {"xlwings", "Dictionary"}
    assert expected <= basic, basic
    assert "Public Sub RagbookButton(control As IRibbonControl)" in ribbon
