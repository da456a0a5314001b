"""The master's zip package, part by part.

The list sheets (Register, Exceptions, Audit Log, Returns...) hold nearly all of a master's cells. openpyxl
builds a Python object per cell, which costs seconds at 20,000 actions, so those sheets bypass it: their values
are read with python-calamine and their ``<sheetData>`` is written here as XML text. openpyxl still handles
everything around them — styles, tables, validation, conditional formatting, notes, charts, the VBA project —
on a copy of the package whose list sheets hold only their header row.

Two things a save need not redo are carried over instead. A list sheet nothing wrote to since the master was
opened keeps its ``<sheetData>`` as it was on disk (``kept_sheet_data``), when that is self-contained (no
shared strings): openpyxl keeps the order of the cell styles it reads, so the style ids in it still name the
same styles. And the Register's notes are cut out of openpyxl's copy and read here (``note_parts``,
``read_notes``): the master holds them, and the writer writes them as two XML parts (``xlsx.notes``).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable, Iterator

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from ..ooxml.package import MalformedPartError, Package, resolve
from ..xlsx import notes
from ..xlsx.strings import escapes_as_references, holds_strings

_SHEET_DATA_OPEN = re.compile(rb"<(\w+:)?sheetData\s*(/?)>")
_FIRST_ROW = re.compile(rb"<(?:\w+:)?row\b[^>]*\br=\"1\"[^>]*?(?:/>|>.*?</(?:\w+:)?row>)", re.DOTALL)
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension\b[^>]*/>")
_ROW_NUMBER = re.compile(rb"<row\b[^>]*?\br=\"([0-9]{1,7})\"")
_DIMENSION_REF = re.compile(rb"<dimension\b[^>]*\bref=\"([A-Z]{1,3}[0-9]{1,7}(?::[A-Z]{1,3}[0-9]{1,7})?)\"")
_LEGACY_DRAWING = re.compile(rb"<(?:[\w.-]+:)?legacyDrawing\b[^>]*?/>")
_SHARED_STRING_CELL = re.compile(rb"""\st\s*=\s*["']s["']""")
_RELATIONSHIP = re.compile(rb"<(?:[\w.-]+:)?Relationship\b[^>]*?(?:/>|>.*?</(?:[\w.-]+:)?Relationship>)", re.DOTALL)
_REL_ID = re.compile(rb"""\sId\s*=\s*["']([^"']*)["']""")
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


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
    return b"".join(with_sheet_data_chunks(sheet_xml, [sheet_data], dimension))


def with_sheet_data_chunks(sheet_xml: bytes, sheet_data: Iterable[bytes], dimension: str) -> Iterator[bytes]:
    """``with_sheet_data`` in pieces: what comes before ``<sheetData>`` (its dimension set), the pieces of the
    new element as they come, and the rest of the sheet."""
    span = _sheet_data_span(sheet_xml)
    if span is None:
        raise ValueError("the worksheet part has no sheetData element")
    # Readers that trust <dimension> (openpyxl read-only, some importers) must see the real extent.
    yield _DIMENSION.sub(f'<dimension ref="{dimension}"/>'.encode(), sheet_xml[: span[0]], count=1)
    yield from sheet_data
    yield sheet_xml[span[1]:]


def emptied(sheet_xml: bytes) -> bytes:
    """The sheet with no cells at all (its ``<sheetData>`` empty): what openpyxl is given of the Summary."""
    span = _sheet_data_span(sheet_xml)
    return sheet_xml if span is None else sheet_xml[: span[0]] + b"<sheetData/>" + sheet_xml[span[1]:]


def last_row_number(sheet_data: bytes) -> int:
    """The number of the last ``<row>`` of a ``<sheetData>`` element as ragbook or Excel write it (rows in
    order, each with its ``r``), 0 when it has none."""
    at = max(sheet_data.rfind(b"<row "), sheet_data.rfind(b"<row>"))
    if at < 0:
        return 0
    found = _ROW_NUMBER.match(sheet_data, at)
    if found is None:
        raise ValueError("the sheet's last row has no number")
    return int(found.group(1))


def appended(sheet_data: bytes, rows: Iterable[bytes]) -> Iterator[bytes]:
    """A kept ``<sheetData>`` element with more rows' XML put before its end."""
    closing = sheet_data.rfind(b"</sheetData>")
    if closing < 0:  # <sheetData/>
        yield b"<sheetData>"
    else:
        yield sheet_data[:closing]
    yield from rows
    yield b"</sheetData>"


@dataclass(frozen=True)
class NoteParts:
    """Where a sheet's notes are: its comments part and the VML drawing of their shapes (either may be absent)."""

    comments: str | None = None
    drawing: str | None = None


def cut_list_sheets(source: Package, list_sheets: set[str], own_notes: frozenset[str] = frozenset(),
                    kept_whole: frozenset[str] = frozenset()) -> tuple[bytes, dict[str, NoteParts], set[str]]:
    """An uncompressed in-memory copy of the package with the named sheets cut to their header rows, the
    sheets of ``own_notes`` without their notes (the caller reads those itself: ``read_notes``), and the sheets
    of ``kept_whole`` with no cells when their cells can be carried over as they are (``sheet_data_of``).

    Every XML part passes the package's DTD check on the way; the cut sheets' cells are checked by the stream
    reader that reads their values (``MasterWorkbook._read_streamed``).
    Returns the copy; for each sheet of ``own_notes`` that has notes, where they are in ``source``; and the
    sheets of ``kept_whole`` given to openpyxl without their cells.
    """
    names = {part: name for name, part in source.sheet_parts.items() if name in list_sheets}
    whole = {part: name for name, part in source.sheet_parts.items() if name in kept_whole}
    cells_kept: set[str] = set()
    owned = {part: name for name, part in source.sheet_parts.items() if name in own_notes and part in source}
    early = {part: source.part(part, keep=False) for part in owned}  # read once: their notes are found first
    found: dict[str, NoteParts] = {}
    dropped: set[str] = set()
    rels_edits: dict[str, set[str]] = {}
    for part, name in owned.items():
        where, ids = _note_relationships(source, part, early[part])
        if where.comments or where.drawing:
            found[name] = where
            dropped.update(p for p in (where.comments, where.drawing) if p)
            rels_edits[_rels_name(part)] = ids
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as copy:
        for info in source.infos:
            if info.filename in dropped:
                continue
            # Not kept: nothing reads these parts from the package again (the list sheets are read by the
            # stream reader from its bytes), and the list sheets and the Summary are tens of megabytes at scale.
            data = early.pop(info.filename) if info.filename in early else source.part(info.filename, keep=False)
            if info.filename in names:
                # No extent check here: the stream reader checks every cell of these sheets as it reads their
                # values, and openpyxl gets only the header row.
                data = header_only(data)
            elif info.filename in whole and sheet_data_of(data) is not None:
                data = emptied(data)
                cells_kept.add(whole[info.filename])
            elif holds_strings(info.filename):
                data = escapes_as_references(data)
            if info.filename in owned and owned[info.filename] in found:
                data = _LEGACY_DRAWING.sub(b"", data, count=1)
            elif info.filename in rels_edits:
                data = _without_relationships(data, rels_edits[info.filename])
            copy.writestr(info.filename, data)
    return buffer.getvalue(), found, cells_kept


def _rels_name(part: str) -> str:
    folder, name = posixpath.split(part)
    return posixpath.join(folder, "_rels", name + ".rels")


def _note_relationships(source: Package, part: str, sheet_xml: bytes) -> tuple[NoteParts, set[str]]:
    """The sheet's notes parts, and the ids of the relationships that name them."""
    rels = _rels_name(part)
    if rels not in source:
        return NoteParts(), set()
    legacy = notes.legacy_drawing_id(sheet_xml)
    comments = drawing = None
    ids = set()
    for rel in _parse(source, rels).iter(f"{_PKG_REL}Relationship"):
        kind, target, rel_id = rel.get("Type", ""), rel.get("Target"), rel.get("Id", "")
        if rel.get("TargetMode") == "External" or target is None:
            continue
        if kind.endswith("/comments"):
            comments = resolve(posixpath.dirname(part), target)
            ids.add(rel_id)
        elif kind.endswith("/vmlDrawing") and rel_id == legacy:
            drawing = resolve(posixpath.dirname(part), target)
            ids.add(rel_id)
    return NoteParts(comments if comments in source else None, drawing if drawing in source else None), ids


def _without_relationships(rels: bytes, ids: set[str]) -> bytes:
    """A relationships part without the relationships of the given ids (the rest exactly as they were)."""
    def keep(match: re.Match[bytes]) -> bytes:
        rel_id = _REL_ID.search(match.group(0))
        return b"" if rel_id and rel_id.group(1).decode("utf-8", "replace") in ids else match.group(0)

    return _RELATIONSHIP.sub(keep, rels)


def _parse(source: Package, part: str):
    return _parse_bytes(part, source.part(part, keep=False))


def _parse_bytes(part: str, data: bytes):
    try:
        return ElementTree.fromstring(data)
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise MalformedPartError(part, exc) from None


def read_notes(source: Package, where: NoteParts) -> dict[tuple[int, int], notes.Note]:
    """A sheet's notes, (row, column) -> note, with the size each one's shape has in the drawing."""
    if where.comments is None:
        return {}
    try:
        comments = notes.read_comments(source.part(where.comments, keep=False))
    except (ElementTree.ParseError, DefusedXmlException, ValueError) as exc:
        raise MalformedPartError(where.comments, exc) from None
    sizes = notes.note_sizes(source.part(where.drawing, keep=False)) if where.drawing else {}
    return {cell: notes.Note(text, author, *sizes.get(cell, (notes.Note.width, notes.Note.height)))
            for cell, (author, text) in comments.items()}


def sheet_data_of(sheet_xml: bytes) -> tuple[bytes, str] | None:
    """A sheet part's ``<sheetData>`` element and its dimension, when the element can go into another part as
    it is: unprefixed, holding no shared-string cell (their numbers index a table the save rewrites)."""
    span = _sheet_data_span(sheet_xml)
    opening = _SHEET_DATA_OPEN.search(sheet_xml)
    dimension = _DIMENSION_REF.search(sheet_xml, 0, span[0]) if span else None
    if span is None or opening is None or opening.group(1) or dimension is None:
        return None
    element = sheet_xml[span[0]:span[1]]
    if _SHARED_STRING_CELL.search(element):
        return None
    return element, dimension.group(1).decode("ascii")


def kept_sheet_data(package: bytes, member: str) -> tuple[bytes, str] | None:
    """``sheet_data_of`` the member of a package's bytes (the master as it was opened)."""
    with zipfile.ZipFile(io.BytesIO(package)) as archive:
        return sheet_data_of(archive.read(member))


def restore_note_sizes(book, source: Package) -> None:
    """Give each note openpyxl read the size its drawing gave it (openpyxl would reset them all)."""
    if not any(name.lower().endswith(".vml") for name in source.names):
        return
    for name, part in source.sheet_parts.items():
        if name not in book.sheetnames or part not in source:
            continue
        ws = book[name]
        if not any(cell.comment is not None for cell in ws._cells.values()):
            continue  # no note openpyxl read here (the Register's are the master's own): nothing to size
        where, _ = _note_relationships(source, part, source.part(part, keep=False))
        if where.drawing is None:
            continue
        for (row, column), (width, height) in notes.note_sizes(source.part(where.drawing, keep=False)).items():
            comment = ws.cell(row, column).comment if (row, column) in ws._cells else None
            if comment is not None:
                comment.width, comment.height = width, height


def written_note_parts(written: zipfile.ZipFile, sheet_part: str) -> tuple[str, str]:
    """The comments part and the VML drawing openpyxl wrote for a sheet's notes, as its relationships name them."""
    rels = written.read(_rels_name(sheet_part))
    found: dict[str, str] = {}
    for rel in _parse_bytes(_rels_name(sheet_part), rels).iter(f"{_PKG_REL}Relationship"):
        kind = rel.get("Type", "").rsplit("/", 1)[-1]
        found.setdefault(kind, resolve(posixpath.dirname(sheet_part), rel.get("Target", "")))
    return found["comments"], found["vmlDrawing"]


def repack(stored: bytes, rewrites: dict[str, Callable[[bytes], bytes | Iterable[bytes]]], target: Path) -> None:
    """Compress the package openpyxl wrote (stored, uncompressed) into ``target``; each part named in
    ``rewrites`` is passed through its function on the way, one part at a time, and written as the pieces
    its function gives come (a list sheet's XML is never whole in memory)."""
    with zipfile.ZipFile(io.BytesIO(stored)) as source, \
            zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=6) as out:
        for info in source.infolist():
            data = source.read(info)
            rewrite = rewrites.get(info.filename)
            if rewrite is None:
                out.writestr(_fresh_info(info), data)
                continue
            result = rewrite(data)
            if isinstance(result, bytes):
                out.writestr(_fresh_info(info), result)
                continue
            with out.open(_fresh_info(info), "w") as part:
                for piece in result:
                    part.write(piece)


def _fresh_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    fresh = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    fresh.compress_type = zipfile.ZIP_DEFLATED
    fresh.external_attr = info.external_attr
    return fresh
