"""Cell notes that stay beside their cells: each note's VML shape gets an anchor, as Excel writes one.

openpyxl places every note's shape at the same absolute spot near the sheet's top-left corner and gives it no
``x:Anchor``, so *Show All Notes* in Excel piles every note on top of the first. Excel itself anchors a note
to the cells to the right of its own cell and sizes it in whole cells; the shapes openpyxl wrote are given
that anchor here, sized from the note's width and height.

The Register's notes (one per finding, thousands at partnership scale) do not go through openpyxl at all:
``read_comments`` reads a sheet's comments part, and ``comments_part`` and ``drawing_part`` write the two
parts as XML text in one go, shaped as openpyxl shapes them, with the anchor.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from defusedxml import ElementTree

from ...core.limits import escape_text, unescape_text
from ...core.returns import column_letter
from ..ooxml.package import column_number

NOTES_DRAWINGS = "xl/drawings/commentsDrawing"  # the parts openpyxl writes notes' shapes in

# Excel's default column width and row height in pixels, which is what an anchor counts in.
_COLUMN_PX, _ROW_PX = 64, 20
_V = "{urn:schemas-microsoft-com:vml}"
_X = "{urn:schemas-microsoft-com:office:excel}"
_SIZE = re.compile(r"width:(?P<w>[0-9.]+)px;height:(?P<h>[0-9.]+)px")
_DIMENSION = re.compile(r"(?P<name>width|height)\s*:\s*(?P<value>[0-9.]+)\s*(?P<unit>px|pt|in|cm|mm)?")
_TO_PX = {"px": 1.0, None: 1.0, "pt": 4 / 3, "in": 96.0, "cm": 96 / 2.54, "mm": 96 / 25.4}
_ANY_SHAPE = re.compile(rb"<(?P<p>[\w.-]+):shape\b(?P<attrs>[^>]*)>(?P<body>.*?)</(?P=p):shape>", re.DOTALL)
_ANY_ROW = re.compile(rb"<[\w.-]+:Row>\s*(\d+)\s*</[\w.-]+:Row>")
_ANY_COLUMN = re.compile(rb"<[\w.-]+:Column>\s*(\d+)\s*</[\w.-]+:Column>")
_STYLE = re.compile(rb'\bstyle="([^"]*)"')
_LEGACY_DRAWING = re.compile(rb"<(?:[\w.-]+:)?legacyDrawing\b[^>]*?\bid=\"([^\"]+)\"")
_CLIENT_DATA = re.compile(rb"(?P<open><(?P<prefix>[\w.-]+):ClientData\b[^>]*>)(?P<body>.*?)(?P<close></(?P=prefix):ClientData>)",
                          re.DOTALL)


@dataclass(frozen=True)
class Note:
    """A cell's note: its text, its author, and its size in pixels (as its shape in the drawing has it)."""

    text: str
    author: str
    width: float = 144
    height: float = 79


def anchor(row: int, column: int, width_px: float, height_px: float) -> str:
    """The ``x:Anchor`` of a note on the 0-based cell (row, column): from just right of the cell, a row above."""
    left, top = column + 1, max(row - 1, 0)
    right = left + max(1, math.ceil(width_px / _COLUMN_PX))
    bottom = top + max(2, math.ceil(height_px / _ROW_PX))
    return f"{left}, 15, {top}, 10, {right}, 15, {bottom}, 4"


def anchor_notes(vml: bytes) -> bytes:
    """The comments drawing openpyxl wrote, with an anchor on every note shape that has none.

    The shapes are read with an XML parser; the anchors are put in as text, leaving openpyxl's markup (which
    Excel's picky VML reader is known to accept) exactly as it was otherwise.
    """
    anchors = []
    for shape in ElementTree.fromstring(vml).iter(f"{_V}shape"):
        data = shape.find(f"{_X}ClientData")
        if data is None:
            continue
        row, column = data.findtext(f"{_X}Row"), data.findtext(f"{_X}Column")
        size = _SIZE.search(shape.get("style", ""))
        width, height = (float(size.group("w")), float(size.group("h"))) if size else (144.0, 79.0)
        keep = data.find(f"{_X}Anchor") is not None or row is None or column is None
        anchors.append(None if keep else anchor(int(row), int(column), width, height))
    blocks = iter(anchors)

    def with_anchor(block: re.Match[bytes]) -> bytes:
        text = next(blocks, None)
        if text is None:
            return block.group(0)
        prefix = block.group("prefix")
        element = b"<%s:Anchor>%s</%s:Anchor>" % (prefix, text.encode(), prefix)
        body = re.sub(rb"(<%s:SizeWithCells\s*/>)" % prefix, lambda m: m.group(1) + element, block.group("body"), count=1)
        if element not in body:
            body = element + body
        return block.group("open") + body + block.group("close")

    return _CLIENT_DATA.sub(with_anchor, vml)


def note_sizes(vml: bytes) -> dict[tuple[int, int], tuple[float, float]]:
    """(row, column), 1-based, of each note shape in a drawing -> its (width, height) in pixels.

    openpyxl forgets a note's size when it reads a workbook, so the master reads it from the drawing here
    and gives it back before saving, for notes a person sized and ragbook's own alike. Excel's VML is not
    always well-formed XML (its text boxes hold bare ``<br>``), so the shapes are found by pattern: a size is
    cosmetic, and a drawing that does not match simply keeps openpyxl's default sizes.
    """
    sizes = {}
    for shape in _ANY_SHAPE.finditer(vml):
        row, column = _ANY_ROW.search(shape.group("body")), _ANY_COLUMN.search(shape.group("body"))
        style = _STYLE.search(shape.group("attrs"))
        if row is None or column is None or style is None:
            continue
        found = {m.group("name"): float(m.group("value")) * _TO_PX[m.group("unit")]
                 for m in _DIMENSION.finditer(style.group(1).decode("ascii", "replace"))}
        if "width" in found and "height" in found:
            sizes[(int(row.group(1)) + 1, int(column.group(1)) + 1)] = (round(found["width"]), round(found["height"]))
    return sizes


def legacy_drawing_id(sheet_xml: bytes) -> str | None:
    """The relationship id of the sheet's notes drawing (it stands after the cells, so look from the end)."""
    at = sheet_xml.rfind(b"legacyDrawing")
    if at < 0:
        return None
    match = _LEGACY_DRAWING.search(sheet_xml, max(0, at - 2))
    return match.group(1).decode() if match else None


# ---------------------------------------------------------------------------- the notes of a sheet, in bulk
_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_CELL_REF = re.compile(r"^\$?([A-Z]{1,3})\$?([1-9][0-9]{0,6})$")
# What XML 1.0 cannot hold is dropped; the rest of XML's special characters are escaped.
_TRANSLATION = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}
_TRANSLATION.update({code: None for code in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)})
_TRANSLATION.update({code: None for code in range(0xD800, 0xE000)})


def cell_of(ref: str) -> tuple[int, int] | None:
    """(row, column), 1-based, of an A1 reference; None for anything else."""
    match = _CELL_REF.match(ref.strip().upper())
    if match is None:
        return None
    return int(match.group(2)), column_number(match.group(1))


def read_comments(xml: bytes) -> dict[tuple[int, int], tuple[str, str]]:
    """(row, column) -> (author, text) of each note of a comments part; the text as Excel shows it (its runs
    joined, escapes read), as openpyxl reads a note's text too."""
    root = ElementTree.fromstring(xml)
    authors = [author.text or "" for author in root.iter(f"{_MAIN}author")]
    found = {}
    for comment in root.iter(f"{_MAIN}comment"):
        cell = cell_of(comment.get("ref", ""))
        if cell is None:
            continue
        try:
            author = authors[int(comment.get("authorId", "0"))]
        except (ValueError, IndexError):
            author = ""
        body = comment.find(f"{_MAIN}text")
        parts = [] if body is None else [body.findtext(f"{_MAIN}t") or "",
                                         *(run.findtext(f"{_MAIN}t") or "" for run in body.iter(f"{_MAIN}r"))]
        found[cell] = (author, unescape_text("".join(parts)))
    return found


def _xml_text(text: str) -> str:
    return escape_text(text).translate(_TRANSLATION)


def comments_part(notes: dict[tuple[int, int], Note]) -> bytes:
    """The comments part of a sheet holding ``notes``, cell by cell in reading order."""
    authors: dict[str, int] = {}
    for cell in sorted(notes):
        authors.setdefault(notes[cell].author, len(authors))
    out = ['<comments xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><authors>']
    out += [f"<author>{_xml_text(author)}</author>" for author in authors]
    out.append("</authors><commentList>")
    for (row, column) in sorted(notes):
        note = notes[(row, column)]
        text = _xml_text(note.text)
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
        out.append(f'<comment ref="{column_letter(column - 1)}{row}" authorId="{authors[note.author]}" shapeId="0"><text>'
                   f'<t{space}>{text}</t></text></comment>')
    out.append("</commentList></comments>")
    return "".join(out).encode("utf-8")


_SHAPE_LAYOUT = (
    '<ns0:shapelayout xmlns:ns0="urn:schemas-microsoft-com:office:office" xmlns:ns1="urn:schemas-microsoft-com:vml" '
    'ns1:ext="edit"><ns0:idmap ns1:ext="edit" data="{blocks}"/></ns0:shapelayout>'
    '<ns2:shapetype xmlns:ns2="urn:schemas-microsoft-com:vml" xmlns:ns3="urn:schemas-microsoft-com:office:office" '
    'id="_x0000_t202" coordsize="21600,21600" ns3:spt="202" path="m,l,21600r21600,l21600,xe"><ns2:stroke '
    'joinstyle="miter"/><ns2:path gradientshapeok="t" ns3:connecttype="rect"/></ns2:shapetype>')
_SHAPE = (
    '<ns0:shape xmlns:ns0="urn:schemas-microsoft-com:vml" xmlns:ns1="urn:schemas-microsoft-com:office:office" '
    'type="#_x0000_t202" style="position:absolute; margin-left:59.25pt;margin-top:1.5pt;width:{width}px;'
    'height:{height}px;z-index:1;visibility:hidden" fillcolor="#ffffe1" ns1:insetmode="auto" id="_x0000_s{id}">'
    '<ns0:fill color2="#ffffe1"/><ns0:shadow color="black" obscured="t"/><ns0:path ns1:connecttype="none"/>'
    '<ns0:textbox style="mso-direction-alt:auto"><div style="text-align:left"/></ns0:textbox>'
    '<ns2:ClientData xmlns:ns2="urn:schemas-microsoft-com:office:excel" ObjectType="Note"><ns2:MoveWithCells/>'
    '<ns2:SizeWithCells/><ns2:Anchor>{anchor}</ns2:Anchor><ns2:AutoFill>False</ns2:AutoFill><ns2:Row>{row}'
    '</ns2:Row><ns2:Column>{column}</ns2:Column></ns2:ClientData></ns0:shape>')
_FIRST_SHAPE_ID = 1026  # as openpyxl numbers them


def _size(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def drawing_part(notes: dict[tuple[int, int], Note]) -> bytes:
    """The VML drawing of the notes' shapes, each anchored beside its cell and sized as the note is.

    The markup is openpyxl's (which Excel's picky VML reader is known to accept) with the anchor added; the
    shape ids run on from 1026 as openpyxl's do, and the drawing claims every block of 1024 ids they use.
    """
    last = _FIRST_SHAPE_ID + len(notes) - 1
    blocks = ",".join(str(block) for block in range(1, last // 1024 + 1)) or "1"
    out = ["<xml>", _SHAPE_LAYOUT.format(blocks=blocks)]
    for number, (row, column) in enumerate(sorted(notes), start=_FIRST_SHAPE_ID):
        note = notes[(row, column)]
        out.append(_SHAPE.format(width=_size(note.width), height=_size(note.height), id=number,
                                 anchor=anchor(row - 1, column - 1, note.width, note.height),
                                 row=row - 1, column=column - 1))
    out.append("</xml>")
    return "".join(out).encode("utf-8")
