"""The one OOXML package: a file read from disk once, its sheets found wherever the relationships put them,
and every safety check (zip limits, DTDs, far cells) applied to the parts the readers read."""

from __future__ import annotations

import builtins
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from ragbook.core.errors import UnsafeFileError
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.io.importers import read_source
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.ooxml import kinds, opc
from ragbook.io.ooxml.sheetstream import Limits, SheetReader
from ragbook.io.ooxml.package import Package

DTD = b'<!DOCTYPE x [<!ENTITY a "b">]>'


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def write_members(path: Path, members: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)


def with_dtd(xml: bytes) -> bytes:
    """The part with a DTD put where one can stand: after the XML declaration, before the root element."""
    if xml.startswith(b"<?xml"):
        end = xml.index(b"?>") + 2
        return xml[:end] + DTD + xml[end:]
    return DTD + xml


def retarget(rels: bytes, targets: dict[str, str]) -> bytes:
    """The relationships with the targets of the ids named replaced (openpyxl writes them all absolute)."""
    for rel_id, target in targets.items():
        rels = re.sub(rb'Target="[^"]*"( Id="' + rel_id.encode() + rb'")', b'Target="' + target.encode() + rb'"\1',
                      rels)
    return rels


def sheet_part_of(path: Path, sheet: str) -> str:
    with Package.open(path) as package:
        return package.sheet_parts[sheet]


def two_sheet_book(path: Path) -> Path:
    book = Workbook()
    book.active.title = "First"
    book.active["A1"] = "one"
    book.create_sheet("Second")["A1"] = "two"
    book.save(path)
    return path


@pytest.fixture
def open_counts(monkeypatch):
    """How often files are opened from disk, and how often a zip is opened straight from a file."""
    counts: dict[str, list[str]] = {"files": [], "zips_from_disk": [], "packages": []}
    real_open, real_zip_init, real_package_init = io.open, zipfile.ZipFile.__init__, Package.__init__

    def counting_open(file, *args, **kwargs):
        if isinstance(file, (str, Path)):
            counts["files"].append(str(file))
        return real_open(file, *args, **kwargs)

    def counting_zip_init(self, file, *args, **kwargs):
        if isinstance(file, (str, Path)):
            counts["zips_from_disk"].append(str(file))
        return real_zip_init(self, file, *args, **kwargs)

    def counting_package_init(self, path, data):
        counts["packages"].append(str(path))
        return real_package_init(self, path, data)

    monkeypatch.setattr(io, "open", counting_open)
    monkeypatch.setattr(builtins, "open", counting_open)
    monkeypatch.setattr(zipfile.ZipFile, "__init__", counting_zip_init)
    monkeypatch.setattr(Package, "__init__", counting_package_init)
    return counts


def test_opening_a_master_reads_its_file_from_disk_once(sample_master, open_counts):
    MasterWorkbook.open(sample_master)
    assert open_counts["files"].count(str(sample_master)) == 1
    assert open_counts["zips_from_disk"] == []
    assert open_counts["packages"] == [str(sample_master)]


def test_opening_a_macro_enabled_master_reads_its_file_from_disk_once(tmp_path, open_counts):
    master = MasterWorkbook.create(tmp_path / "ActionPlan.xlsm")
    master.save()
    open_counts["files"].clear()
    open_counts["packages"].clear()
    opened = MasterWorkbook.open(master.path)
    assert opened.macros  # the VBA project and ribbon came from the same package
    assert open_counts["files"].count(str(master.path)) == 1
    assert str(master.path) not in open_counts["zips_from_disk"]
    assert open_counts["packages"] == [str(master.path)]


def test_sniffing_a_zip_hands_back_the_package_it_read(tmp_path):
    path = two_sheet_book(tmp_path / "plan.xlsx")
    sniffed = kinds.sniff(path)
    assert sniffed.kind == kinds.XLSX
    assert sniffed.package is not None and sniffed.package.data == path.read_bytes()
    assert kinds.sniff(tmp_path / "plan.xlsx").package is not sniffed.package


def test_sheet_parts_resolve_absolute_and_relative_targets(tmp_path):
    path = two_sheet_book(tmp_path / "moved.xlsx")
    members = members_of(path)
    # The second sheet moves out of xl/ altogether, reached with '..'; the first is named absolutely.
    members["sheets/second.xml"] = members.pop("xl/worksheets/sheet2.xml")
    members["xl/_rels/workbook.xml.rels"] = retarget(members["xl/_rels/workbook.xml.rels"], {
        "rId1": "/xl/worksheets/sheet1.xml", "rId2": "../sheets/second.xml"})
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b'PartName="/xl/worksheets/sheet2.xml"', b'PartName="/sheets/second.xml"')
    write_members(path, members)
    with Package.open(path) as package:
        assert package.main_part == "xl/workbook.xml"
        assert package.sheet_parts == {"First": "xl/worksheets/sheet1.xml", "Second": "sheets/second.xml"}
        book = opc.workbook(package, opc.main_part(package))
        assert SheetReader(book, Limits(holds="any action plan")).grid("Second") == [["two"]]


def test_external_relationships_are_not_parts(tmp_path):
    path = two_sheet_book(tmp_path / "linked.xlsx")
    members = members_of(path)
    members["xl/worksheets/_rels/sheet1.xml.rels"] = (
        b'<?xml version="1.0" encoding="UTF-8"?>'
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        b'<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"'
        b' Target="https://example.org/plan" TargetMode="External"/>'
        b'<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/comments"'
        b' Target="../comments1.xml"/></Relationships>')
    write_members(path, members)
    with Package.open(path) as package:
        assert package.relationships("xl/worksheets/sheet1.xml") == {"rId2": "xl/comments1.xml"}
        assert package.relationships("xl/worksheets/sheet2.xml") == {}


@pytest.mark.parametrize("part", ["xl/styles.xml", "docProps/core.xml", "xl/worksheets/sheet2.xml",
                                  "xl/_rels/workbook.xml.rels"])
def test_a_dtd_in_any_part_is_refused(tmp_path, part):
    path = two_sheet_book(tmp_path / "entities.xlsx")
    members = members_of(path)
    members[part] = with_dtd(members[part])
    write_members(path, members)
    with Package.open(path) as package, pytest.raises(UnsafeFileError) as caught:
        package.check_xml()
    assert str(caught.value) == f"{path}: part {part} declares a DTD or entities, which Office never writes; refused."


def test_a_dtd_in_a_list_sheet_of_a_master_is_refused(sample_master):
    part = sheet_part_of(sample_master, "Register")
    members = members_of(sample_master)
    members[part] = with_dtd(members[part])
    write_members(sample_master, members)
    with pytest.raises(UnsafeFileError) as caught:
        MasterWorkbook.open(sample_master)
    assert str(caught.value) == (f"{sample_master}: part {part} declares a DTD or entities, which Office never "
                                 f"writes; refused.")


FAR_ROW = b'<row r="2000000"><c r="XFD2000000"><v>1</v></c></row></sheetData>'


def test_a_far_cell_in_a_master_list_sheet_is_refused_on_opening(sample_master):
    part = sheet_part_of(sample_master, "Exceptions")
    members = members_of(sample_master)
    members[part] = members[part].replace(b"</sheetData>", FAR_ROW)
    write_members(sample_master, members)
    with pytest.raises(UnsafeFileError) as caught:
        MasterWorkbook.open(sample_master)
    assert str(caught.value) == (f"{sample_master}: sheet 'Exceptions' has a cell at XFD2000000, far outside "
                                 f"anything a master holds; refused.")


def test_a_far_cell_in_the_audit_log_is_refused_by_the_first_command_that_reads_it(sample_master):
    """The Audit Log is read when first asked for: a command that never reads it carries it over byte for byte
    (never interpreting it, never spreading it), and the first one that does refuses it in a sentence."""
    part = sheet_part_of(sample_master, "Audit Log")
    members = members_of(sample_master)
    members[part] = members[part].replace(b"</sheetData>", FAR_ROW)
    write_members(sample_master, members)
    master = MasterWorkbook.open(sample_master)
    master.write_findings([])
    master.save()
    kept = members_of(sample_master)[sheet_part_of(sample_master, "Audit Log")]
    assert kept[kept.index(b"<sheetData"):kept.index(b"</sheetData>")] == \
        members[part][members[part].index(b"<sheetData"):members[part].index(b"</sheetData>")]
    with pytest.raises(UnsafeFileError) as caught:
        MasterWorkbook.open(sample_master).read_audit()
    assert str(caught.value) == (f"{sample_master}: sheet 'Audit Log' has a cell at XFD2000000, far outside anything "
                                 f"a master holds; refused.")


def test_a_far_cell_is_found_in_a_sheet_reached_through_dot_dot(tmp_path):
    path = two_sheet_book(tmp_path / "far.xlsx")
    members = members_of(path)
    far = members.pop("xl/worksheets/sheet2.xml").replace(
        b"</sheetData>", b'<row r="900000"><c r="XFD900000"><v>1</v></c></row></sheetData>')
    members["elsewhere/far.xml"] = far
    members["xl/_rels/workbook.xml.rels"] = retarget(members["xl/_rels/workbook.xml.rels"],
                                                     {"rId2": "./worksheets/../../elsewhere/far.xml"})
    members["[Content_Types].xml"] = members["[Content_Types].xml"].replace(
        b'PartName="/xl/worksheets/sheet2.xml"', b'PartName="/elsewhere/far.xml"')
    write_members(path, members)
    with pytest.raises(UnsafeFileError) as caught:
        read_source(path, DEFAULT_INDEX)
    assert str(caught.value) == (f"{path}: sheet 'Second' has a cell at XFD900000, far outside any action plan; "
                                 f"refused.")


def test_the_zip_limits_are_checked_when_the_package_is_opened(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * 4_000_000)
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    with pytest.raises(UnsafeFileError) as caught:
        Package.open(path)
    assert str(caught.value) == (f"{path}: part xl/worksheets/sheet1.xml expands "
                                 f"{info.file_size // info.compress_size}-fold (a zip bomb); refused.")
