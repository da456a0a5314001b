"""The VBA project inside ActionPlan.xlsm, read with independent tools: written as [MS-OVBA] tells an
interoperable writer to write one (no performance cache, every module's source at offset 0, the cookies
0xFFFF), every module's full source readable by olevba and pyOpenVBA, and each kind of module carrying the
attribute lines Excel stores for it.

Excel-saved projects to compare with come inside the pinned xlwings: its quickstart workbooks hold a
``Dictionary`` class, a workbook module and sheet modules as an Excel saved them, with their caches.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import olefile
import pytest
import xlwings
from oletools.olevba import VBA_Parser, VBA_Project, decompress_stream
from pyopenvba import ExcelFile, check_file

from ragbook.io.sheets.contract import SHEET_ORDER
from ragbook.io.xlsm import package, vba_project
from ragbook.io.xlsm.build import build_workbook
from tests.helpers.paths import COMMITTED, MACROS, PACKAGED

XLWINGS = Path(xlwings.__file__).parent
EXCEL_SAVED = XLWINGS / "quickstart_standalone.xlsm"  # modules with performance caches: Excel saved them
# ThisWorkbook, then a document module per sheet: the contract's and xlwings.conf.
DOCUMENTS = ["ThisWorkbook"] + [f"Sheet{n}" for n in range(1, len(SHEET_ORDER) + 2)]
SEVEN_BYTES = b"\xcc\x61\xff\xff\x00\x01\x00"
# A class module's attribute lines as Excel keeps them in the module stream, in its order.
CLASS_HEADER = ["VB_Name", "VB_Base", "VB_GlobalNameSpace", "VB_Creatable", "VB_PredeclaredId", "VB_Exposed",
                "VB_TemplateDerived", "VB_Customizable"]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("built") / "ActionPlan.xlsm"
    path.write_bytes(build_workbook(MACROS))
    return path


def vba_bin(path: Path) -> bytes:
    with zipfile.ZipFile(path) as archive:
        return archive.read(package.VBA_PART)


def ole(path: Path) -> olefile.OleFileIO:
    return olefile.OleFileIO(io.BytesIO(vba_bin(path)))


def olevba_project(path: Path) -> VBA_Project:
    """oletools' own parse of the dir stream; relaxed=False makes it refuse any value the spec forbids."""
    project = VBA_Project(ole(path), "", "PROJECT", "VBA/dir", relaxed=False)
    project.parse_project_stream()
    list(project.parse_modules())  # a generator: it parses as it yields
    return project


def sources_by_olevba(path: Path) -> dict[str, str]:
    parser = VBA_Parser(str(path))
    try:
        return {name.rsplit(".", 1)[0]: code for _, _, name, code in parser.extract_macros()}
    finally:
        parser.close()


def sources_by_pyopenvba(path: Path) -> dict[str, str]:
    with ExcelFile(path) as excel:
        return {module.name: module.source for module in excel.vba_project().modules}


def attributes(source: str) -> list[str]:
    """The module-level attribute lines at the top of a stored module (not a member's ``Name.VB_...``)."""
    found = []
    for line in source.split("\r\n"):
        match = re.match(r"Attribute (\w+) = ", line)
        if match is None:
            break
        found.append(line)
    return found


def xlwings_file(relative: str) -> str:
    return (XLWINGS / relative).read_bytes().decode("cp1252").replace("\r\n", "\n").replace("\n", "\r\n")


@pytest.mark.parametrize("which", ["committed", "packaged", "fresh"])
def test_the_vba_project_stream_is_the_seven_interoperable_bytes(which, fresh):
    path = {"committed": COMMITTED, "packaged": PACKAGED, "fresh": fresh}[which]
    project = ole(path)
    # Reserved1 0x61CC, Version 0xFFFF, Reserved2 0x00, Reserved3 0x0000, and no performance cache after them.
    assert project.openstream("VBA/_VBA_PROJECT").read() == SEVEN_BYTES
    assert not [s for s in project.listdir() if s[-1].startswith("__SRP_")]


def test_every_module_starts_with_its_source(fresh):
    project = olevba_project(fresh)
    offsets = {module.name: module.textoffset for module in project.modules}
    assert set(offsets) == set(DOCUMENTS) | {"Ribbon", "xlwings", "Dictionary"}
    assert set(offsets.values()) == {0}
    # Nothing precedes the compressed source: the whole stream decompresses to the module's text.
    stored = sources_by_olevba(fresh)
    streams = ole(fresh)
    for name in offsets:
        raw = streams.openstream(f"VBA/{name}").read()
        assert decompress_stream(bytearray(raw)).decode("cp1252") == stored[name], name


def test_the_cookies_are_what_a_writer_must_write(fresh):
    data = vba_bin(fresh)
    assert vba_project.project_cookie(data) == 0xFFFF
    assert {entry.cookie for entry in vba_project.dir_modules(data)} == {0xFFFF}


def test_pyopenvba_checks_the_workbook_and_olevba_reads_it_strictly(fresh):
    assert check_file(fresh).issues == ()
    assert len(olevba_project(fresh).modules) == len(DOCUMENTS) + 3  # and Ribbon, xlwings, Dictionary


def test_both_readers_give_every_module_its_full_source(fresh):
    by_olevba, by_pyopenvba = sources_by_olevba(fresh), sources_by_pyopenvba(fresh)
    assert by_olevba == by_pyopenvba
    for path in sorted(MACROS.glob("*.bas")):
        assert by_olevba[path.stem].encode("cp1252").rstrip(b"\r\n") == path.read_bytes().rstrip(b"\r\n")
    assert by_olevba["xlwings"] == xlwings_file("xlwings.bas")  # a standard module is stored as its file
    cls = xlwings_file("addin/Dictionary.cls")
    body = cls[cls.index("\r\n''\r\n") + 2:]  # the .cls past its VERSION block and attribute lines
    assert by_olevba["Dictionary"].endswith(body)
    assert len(by_olevba["Dictionary"]) > len(body) > 10_000


def test_the_class_module_carries_the_attributes_excel_stores(fresh):
    stored = sources_by_pyopenvba(fresh)["Dictionary"]
    header = attributes(stored)
    assert [re.match(r"Attribute (\w+)", line).group(1) for line in header[:8]] == CLASS_HEADER
    assert header[:8] == [
        'Attribute VB_Name = "Dictionary"',
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
        "Attribute VB_GlobalNameSpace = False",
        "Attribute VB_Creatable = False",
        "Attribute VB_PredeclaredId = False",
        "Attribute VB_Exposed = True",  # xlwings' own .cls says so
        "Attribute VB_TemplateDerived = False",
        "Attribute VB_Customizable = False",
    ]
    assert header[8].startswith('Attribute VB_Description = "Drop-in replacement for Scripting.Dictionary')
    # The VERSION / BEGIN / END block is the export file's, never the stream's.
    assert not re.search(r"^(VERSION 1\.0 CLASS|BEGIN|END|\s*MultiUse = )", stored, re.MULTILINE)


@pytest.mark.skipif(not EXCEL_SAVED.exists(), reason="the pinned xlwings ships no Excel-saved quickstart")
def test_every_module_is_stored_as_excel_stores_it(fresh):
    ours, excels = sources_by_pyopenvba(fresh), sources_by_pyopenvba(EXCEL_SAVED)
    assert attributes(ours["Dictionary"]) == attributes(excels["Dictionary"])
    # The whole class too, but for the case of a few identifiers, which the VBA editor makes one across a project.
    assert ours["Dictionary"].lower() == excels["Dictionary"].lower()
    assert attributes(ours["ThisWorkbook"]) == attributes(excels["ThisWorkbook"])
    for sheet in DOCUMENTS[1:]:
        assert attributes(ours[sheet]) == [line.replace('"Sheet1"', f'"{sheet}"')
                                           for line in attributes(excels["Sheet1"])]
    for standard in ("Ribbon", "xlwings"):
        assert attributes(ours[standard]) == [f'Attribute VB_Name = "{standard}"']


@pytest.mark.skipif(not EXCEL_SAVED.exists(), reason="the pinned xlwings ships no Excel-saved quickstart")
def test_an_excel_saved_project_loses_its_caches_and_keeps_its_source():
    before = vba_bin(EXCEL_SAVED)
    assert olefile.OleFileIO(io.BytesIO(before)).get_size("VBA/_VBA_PROJECT") == 7
    assert {entry.offset for entry in vba_project.dir_modules(before)} != {0}  # Excel left p-code before them
    after = vba_project.interoperable(before)
    assert olefile.OleFileIO(io.BytesIO(after)).openstream("VBA/_VBA_PROJECT").read() == SEVEN_BYTES
    assert {entry.offset for entry in vba_project.dir_modules(after)} == {0}

    def sources(data: bytes) -> dict[str, str]:
        parser = VBA_Parser("vbaProject.bin", data=data)
        try:
            return {name: code for _, _, name, code in parser.extract_macros()}
        finally:
            parser.close()

    assert sources(after) == sources(before)
    assert len(after) < len(before)


def test_making_the_project_interoperable_twice_changes_nothing(fresh):
    data = vba_bin(fresh)
    assert vba_project.interoperable(data) == data


def test_a_class_export_becomes_the_stream_form():
    exported = ("VERSION 1.0 CLASS\r\nBEGIN\r\n  MultiUse = -1  'True\r\nEND\r\n"
                'Attribute VB_Name = "Counter"\r\nAttribute VB_Exposed = True\r\n'
                'Attribute VB_Description = "Counts."\r\nOption Explicit\r\nPublic Total As Long\r\n')
    stored = vba_project.class_stream_source("Counter", exported)
    assert stored == (
        'Attribute VB_Name = "Counter"\r\n'
        'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"\r\n'
        "Attribute VB_GlobalNameSpace = False\r\nAttribute VB_Creatable = False\r\n"
        "Attribute VB_PredeclaredId = False\r\nAttribute VB_Exposed = True\r\n"
        "Attribute VB_TemplateDerived = False\r\nAttribute VB_Customizable = False\r\n"
        'Attribute VB_Description = "Counts."\r\nOption Explicit\r\nPublic Total As Long\r\n')
    assert vba_project.class_stream_source("Counter", stored) == stored  # already stream form: unchanged
    # A class with no attributes at all gets the ones the editor gives a class module it inserts.
    bare = vba_project.class_stream_source("Empty", "Option Explicit\r\n")
    assert attributes(bare) == ['Attribute VB_Name = "Empty"',
                                'Attribute VB_Base = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"',
                                "Attribute VB_GlobalNameSpace = False", "Attribute VB_Creatable = False",
                                "Attribute VB_PredeclaredId = False", "Attribute VB_Exposed = False",
                                "Attribute VB_TemplateDerived = False", "Attribute VB_Customizable = False"]
    assert bare.endswith("Customizable = False\r\nOption Explicit\r\n")
