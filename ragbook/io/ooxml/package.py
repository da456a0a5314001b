"""An Office package (a zip of XML parts), opened once and read with every safety check on the way.

A zip is checked through its central directory — member count, total uncompressed size, compression ratio —
when it is opened, before anything is decompressed, and every XML part is checked for a DTD (entity expansion
attacks) as it is read, before anything can parse it. The safety checks, the master's preservation checks
and the readers all share one ``Package``, so a file is read from disk once and each part decompressed once.
Which part holds which sheet is worked out here only, from the package's relationships as OPC defines them
(absolute targets, and relative ones with ``..``), so that every check looks at the part a reader will read.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from functools import cached_property
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from ...core.errors import UnsafeFileError

# Limits for a workbook or document that a person typed: generous, far below what would hurt the machine.
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 200

XML_SUFFIXES = (".xml", ".rels", ".vml")

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


class MalformedPartError(Exception):
    """A part that is not well-formed XML; each reader words its own refusal, naming the part."""

    def __init__(self, part: str, cause: Exception) -> None:
        super().__init__(str(cause))
        self.part, self.cause = part, cause


class Package:
    """A zip package held in memory, from a file or from bytes (a decrypted return).

    Parts are kept once read: the preservation checks, the cut for openpyxl and the readers ask for the same
    relationships and sheets. zipfile's own errors (``BadZipFile``...) are left to the caller, whose message
    says what the file was meant to be.
    """

    def __init__(self, path: Path, data: bytes) -> None:
        self.path, self.data = path, data
        self._zip = zipfile.ZipFile(io.BytesIO(data))
        self._parts: dict[str, bytes] = {}
        self._relationships: dict[str, dict[str, str]] = {}
        self._sheets: dict[str, dict[str, str]] = {}
        try:
            self._check_limits()
        except BaseException:
            self._zip.close()
            raise

    @classmethod
    def open(cls, path: Path) -> Package:
        return cls(path, path.read_bytes())

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()
        self._parts.clear()
        self._relationships.clear()
        self._sheets.clear()

    def _check_limits(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnsafeFileError(f"{self.path}: holds {len(infos)} parts, far more than any workbook; refused.")
        total = 0
        for info in infos:
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1_000_000:
                raise UnsafeFileError(
                    f"{self.path}: part {info.filename} expands {info.file_size // info.compress_size}-fold "
                    f"(a zip bomb); refused."
                )
        if total > MAX_UNCOMPRESSED:
            raise UnsafeFileError(f"{self.path}: would expand to {total // (1024 * 1024)} MB (a zip bomb); refused.")

    # ----------------------------------------------------------------- members
    @property
    def infos(self) -> list[zipfile.ZipInfo]:
        return self._zip.infolist()

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(self._zip.namelist())

    def __contains__(self, name: object) -> bool:
        return name in self.names

    def part(self, name: str, *, keep: bool = True) -> bytes:
        """The bytes of one member; an XML part is refused if it declares a DTD (billion laughs, external
        entities). ``keep=False`` spares the memory of a part nothing will ask for again."""
        data = self._parts.get(name)
        if data is None:
            data = self._read(name)
            if keep:
                self._parts[name] = data
        return data

    def _read(self, name: str) -> bytes:
        with self._zip.open(name) as handle:
            data = handle.read(MAX_UNCOMPRESSED + 1)
        if len(data) > MAX_UNCOMPRESSED:
            raise UnsafeFileError(f"{self.path}: part {name} is larger than it claims; refused.")
        if name.endswith(XML_SUFFIXES):
            refuse_dtd(self.path, name, data)
        return data

    def check_xml(self, *, keep: bool = False) -> None:
        """Check every XML part for a DTD now, before a reader of the whole package (calamine, python-docx)."""
        for info in self._zip.infolist():
            if info.filename.endswith(XML_SUFFIXES):
                self.part(info.filename, keep=keep)

    # ----------------------------------------------------------------- relationships
    def _parse(self, name: str):
        try:
            return ElementTree.fromstring(self.part(name))
        except (ParseError, DefusedXmlException, ValueError) as exc:
            raise MalformedPartError(name, exc) from None

    @cached_property
    def main_part(self) -> str:
        """The workbook (or document) part, as the package relationships name it."""
        if "_rels/.rels" in self:
            for rel in self._parse("_rels/.rels").iter(f"{_PKG_REL}Relationship"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    return rel.get("Target", "").lstrip("/")
        return "xl/workbook.xml"

    def relationships(self, part: str) -> dict[str, str]:
        """Relationship id -> the part it targets, for ``part`` (external targets left out)."""
        if part in self._relationships:
            return self._relationships[part]
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        targets: dict[str, str] = {}
        if rels_part in self:
            for rel in self._parse(rels_part).iter(f"{_PKG_REL}Relationship"):
                target = rel.get("Target")
                if rel.get("TargetMode") != "External" and target is not None:
                    targets[rel.get("Id", "")] = resolve(folder, target)
        self._relationships[part] = targets
        return targets

    @property
    def sheet_parts(self) -> dict[str, str]:
        """Sheet name -> the worksheet part holding it, in the workbook's order."""
        return self.sheets_of(self.main_part)

    def sheets_of(self, workbook: str) -> dict[str, str]:
        """Sheet name -> worksheet part, as the workbook part ``workbook`` relates them (the first of two sheets
        of one name wins, as it does for the readers that look a sheet up by its name)."""
        if workbook not in self._sheets:
            sheets = self._parse(workbook).iter(f"{_MAIN}sheet")
            targets = self.relationships(workbook)
            parts: dict[str, str] = {}
            for sheet in sheets:
                part = targets.get(sheet.get(f"{_REL}id", ""))
                if part:
                    parts.setdefault(sheet.get("name", ""), part)
            self._sheets[workbook] = parts
        return self._sheets[workbook]

    def check_sheet_extent(self, sheet: str, **limits: object) -> tuple[int, int]:
        """``check_sheet_extent`` on the named sheet's part; (0, 0) for a sheet without one."""
        part = self.sheet_parts.get(sheet)
        if part is None or part not in self:
            return 0, 0
        return check_sheet_extent(self.path, sheet, self.part(part), **limits)


def resolve(folder: str, target: str) -> str:
    """The part a relationship target names, seen from a part in ``folder``."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def refuse_dtd(path: Path, name: str, data: bytes) -> None:
    # XML keywords are case-sensitive, and a well-formed DTD can only stand in the prolog; searching the whole
    # part also catches one hidden after a long comment.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise UnsafeFileError(f"{path}: part {name} declares a DTD or entities, which Office never writes; refused.")


_CELL_ROWS = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="[A-Z]{1,3}([0-9]{1,7})"')
_CELL_COLUMNS = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})[0-9]')
# Excel, LibreOffice and openpyxl all write the address first: scan for that, and fall back to the general
# patterns (slower: they look through every attribute) only when some cell is written otherwise.
_PLAIN_ROWS = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_PLAIN_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')

# What a dense grid of a sheet's extent may cost: python-calamine builds one (and aborts the whole process,
# beyond any exception handler, when it cannot), so a single cell at XFD900000 must be refused first.
MAX_GRID_CELLS = 20_000_000


def check_sheet_extent(path: Path, sheet: str, sheet_xml: bytes, *, max_rows: int = 1_048_576,
                       max_columns: int = 16_384, max_cells: int = MAX_GRID_CELLS,
                       holds: str = "anything it should hold") -> tuple[int, int]:
    """Refuse a sheet whose cells reach further than its kind of content ever does; returns (rows, columns)."""
    # Two plain scans and C-level max/set: a sheet of 20,000 rows holds hundreds of thousands of addresses.
    rows, columns = _PLAIN_ROWS.findall(sheet_xml), _PLAIN_COLUMNS
    if len(rows) != sheet_xml.count(b"<c ") or b"<c>" in sheet_xml or b":c " in sheet_xml:
        rows, columns = _CELL_ROWS.findall(sheet_xml), _CELL_COLUMNS
    far_row = max(map(int, rows), default=0)
    far_letters = max(set(columns.findall(sheet_xml)), key=lambda letters: (len(letters), letters), default=b"")
    far_column = column_number(far_letters.decode()) if far_letters else 0
    if far_row > max_rows or far_column > max_columns or far_row * far_column > max_cells:
        raise UnsafeFileError(f"{path}: sheet '{sheet}' has a cell at {far_letters.decode()}{far_row}, far outside "
                              f"{holds}; refused.")
    return far_row, far_column


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
