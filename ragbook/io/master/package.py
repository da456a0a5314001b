"""The master's zip package, part by part.

The list sheets (Register, Exceptions, Audit Log, Returns...) hold nearly all of a master's cells. openpyxl
builds a Python object per cell, which costs seconds at 20,000 actions, so those sheets bypass it: their values
are read with python-calamine and their ``<sheetData>`` is written here as XML text. openpyxl still handles
everything around them — styles, tables, validation, conditional formatting, notes, charts, the VBA project —
on a copy of the package whose list sheets hold only their header row.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path
from typing import Callable

from ..ooxml.package import Package, check_sheet_extent

_SHEET_DATA_OPEN = re.compile(rb"<(\w+:)?sheetData\s*(/?)>")
_FIRST_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*\br=\"1\"[^>]*?(?:/>|>.*?</(?:\w+:)?row>)", re.DOTALL)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")


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


def cut_list_sheets(source: Package, list_sheets: set[str]) -> bytes:
    """An uncompressed in-memory copy of the package with the named sheets cut to their header rows.

    Every XML part passes the package's DTD check on the way; the sheets cut are first checked for far cells.
    """
    names = {part: name for name, part in source.sheet_parts.items() if name in list_sheets}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
        for info in source.infos:
            # Not kept: nothing reads these parts from the package again (calamine reads its bytes), and the list
            # sheets and the Summary are tens of megabytes at partnership scale.
            data = source.part(info.filename, keep=False)
            if info.filename in names:
                check_sheet_extent(source.path, names[info.filename], data)
                data = header_only(data)
            copy.writestr(info.filename, data)
    return buffer.getvalue()


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
