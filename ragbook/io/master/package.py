"""The master's zip package, part by part.

The list sheets (Register, Exceptions, Audit Log, Returns...) hold nearly all of a master's cells. openpyxl
builds a Python object per cell, which costs seconds at 20,000 actions, so those sheets bypass it: their values
are read with python-calamine and their ``<sheetData>`` is written here as XML text. openpyxl still handles
everything around them — styles, tables, validation, conditional formatting, notes, charts, the VBA project —
on a copy of the package whose list sheets hold only their header row.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from defusedxml import ElementTree

from ..files import check_sheet_extent

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_SHEET_DATA_OPEN = re.compile(rb"<(\w+:)?sheetData\s*(/?)>")
_FIRST_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*\br=\"1\"[^>]*?(?:/>|>.*?</(?:\w+:)?row>)", re.DOTALL)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")


@dataclass(frozen=True)
class PackageCopy:
    """A package as openpyxl should see it (list sheets cut to their header row), and where each sheet lives."""

    data: bytes
    sheet_parts: dict[str, str]


def sheet_parts(archive: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> zip member of its worksheet XML, read from the workbook part and its relationships."""
    workbook_part = _main_part(archive)
    rels_part = posixpath.join(posixpath.dirname(workbook_part), "_rels", posixpath.basename(workbook_part) + ".rels")
    targets = {}
    for rel in ElementTree.fromstring(archive.read(rels_part)).iter(f"{_PKG_REL}Relationship"):
        target = rel.get("Target", "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(posixpath.dirname(workbook_part), target))
        targets[rel.get("Id")] = part
    parts = {}
    for sheet in ElementTree.fromstring(archive.read(workbook_part)).iter(f"{_MAIN}sheet"):
        part = targets.get(sheet.get(f"{_REL}id"))
        if part:
            parts[sheet.get("name")] = part
    return parts


def _main_part(archive: zipfile.ZipFile) -> str:
    for rel in ElementTree.fromstring(archive.read("_rels/.rels")).iter(f"{_PKG_REL}Relationship"):
        if rel.get("Type", "").endswith("/officeDocument"):
            return rel.get("Target", "").lstrip("/")
    return "xl/workbook.xml"


def _sheet_data_span(sheet_xml: bytes) -> tuple[int, int] | None:
    """Where the ``<sheetData>`` element starts and ends (found by plain search: a regex over megabytes is slow)."""
    opening = _SHEET_DATA_OPEN.search(sheet_xml)
    if opening is None:
        return None
    if opening.group(2):  # <sheetData/>
        return opening.start(), opening.end()
    closing = sheet_xml.find(b"</" + (opening.group(1) or b"") + b"sheetData>", opening.end())
    if closing < 0:
        raise ValueError("the worksheet part's sheetData element is not closed")
    return opening.start(), closing + len(b"</" + (opening.group(1) or b"") + b"sheetData>")


def header_only(sheet_xml: bytes) -> bytes:
    """The sheet with every row but the header removed from its ``<sheetData>``."""
    span = _sheet_data_span(sheet_xml)
    if span is None:
        return sheet_xml
    start, end = span
    first = _FIRST_ROW.search(sheet_xml, start, min(end, start + 1_000_000))
    kept = b"<sheetData>" + (first.group(0) if first else b"") + b"</sheetData>"
    return sheet_xml[:start] + kept + sheet_xml[end:]


def with_sheet_data(sheet_xml: bytes, sheet_data: bytes, dimension: str) -> bytes:
    """Put ``sheet_data`` (a whole ``<sheetData>`` element) into the sheet and set its dimension."""
    span = _sheet_data_span(sheet_xml)
    if span is None:
        raise ValueError("the worksheet part has no sheetData element")
    result = sheet_xml[: span[0]] + sheet_data + sheet_xml[span[1]:]
    # Readers that trust <dimension> (openpyxl read-only, some importers) must see the real extent.
    return _DIMENSION.sub(f'<dimension ref="{dimension}"/>'.encode(), result, count=1)


def cut_list_sheets(
    path: Path, archive: zipfile.ZipFile, list_sheets: set[str], check: Callable[[Path, str, bytes], None]
) -> PackageCopy:
    """An uncompressed in-memory copy of the package with the named sheets cut to their header rows.

    ``check(path, part, data)`` sees every XML part before anything parses it (each part is read only once).
    """
    for info in archive.infolist():
        if info.filename in ("[Content_Types].xml", "_rels/.rels") or info.filename.endswith("workbook.xml.rels") \
                or info.filename.endswith("/workbook.xml"):
            check(path, info.filename, archive.read(info))  # parsed below, before the loop's own check
    parts = sheet_parts(archive)
    names = {parts[name]: name for name in list_sheets if name in parts}
    cut = set(names)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
        for info in archive.infolist():
            data = archive.read(info)
            if info.filename.endswith((".xml", ".rels", ".vml")):
                check(path, info.filename, data)
            if info.filename in cut:
                check_sheet_extent(path, names[info.filename], data)
                data = header_only(data)
            copy.writestr(info.filename, data)
    return PackageCopy(buffer.getvalue(), parts)


def repack(stored: bytes, rewrites: dict[str, Callable[[bytes], bytes]], target: Path) -> None:
    """Compress the package openpyxl wrote (stored, uncompressed) into ``target``; each part named in
    ``rewrites`` is passed through its function on the way, one part at a time."""
    with zipfile.ZipFile(io.BytesIO(stored)) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
        for info in source.infolist():
            data = source.read(info)
            rewrite = rewrites.get(info.filename)
            out.writestr(_fresh_info(info), rewrite(data) if rewrite else data)


def _fresh_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    fresh.compress_type = zipfile.ZIP_DEFLATED
    fresh.external_attr = info.external_attr
    return fresh
