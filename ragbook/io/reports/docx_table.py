"""Word tables written as XML text, fast, as Word itself writes them.

python-docx builds a table cell by cell, each through its object model: for a plan of hundreds of actions
that takes seconds. Here a table is one string of WordprocessingML, from one template per row and cell,
written in the form lxml gives it in the saved document, so that it goes in unparsed (``docx_body`` keeps it
out of the document's tree until the document is saved). Every table has fixed column widths (on the grid,
which LibreOffice reads, and on each cell, which Word reads), its header row marked to repeat on each page
(``w:tblHeader``, the bare element as Word writes it), and every row kept whole on a page (``w:cantSplit``):
a row never starts on one page and ends on the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Sequence

from docx.oxml import parse_xml
from docx.shared import Cm

from .docx_body import W_NS, append_table, append_written

_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def escape(text: str) -> str:
    return _ILLEGAL.sub("", text).translate(_ESCAPES)


@dataclass(frozen=True)
class Cell:
    """One cell: its text (a paragraph per line), how it looks, and how it merges."""

    text: str = ""
    bold: bool = False
    italic: bool = False
    fill: str | None = None  # hex, the cell's shading
    colour: str | None = None  # hex, the text's colour
    centre: bool = False
    merge: str | None = None  # "restart" or "continue" (merged down with the cell above)
    span: int = 1  # columns it spans
    note: str = ""  # a second, italic paragraph (a warning about the text)


def twips(cm: float) -> int:
    return int(Cm(cm).twips)


# The XML of a table is written in the form lxml writes it back (the form the body of the saved document
# holds), so the table goes into the document as it is, without being parsed: a text as the parser would read
# it (line ends as "\n") and escaped as lxml escapes it, an attribute with its spaces as the parser makes them.
# A table with a value this does not cover (a colour that is not a plain word, a character Python cannot
# encode) is parsed and written back by lxml instead, as it always was.
_PLAIN = re.compile(r"[0-9A-Za-z]*")
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "\n"})
_ATTRIBUTE_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": " ", "\n": " ",
                                    "\r": " "})


def _as_written(text: str) -> str:
    return _ILLEGAL.sub("", text).replace("\r\n", "\n").translate(_TEXT_ESCAPES)


def _attribute_as_written(text: str) -> str:
    return _ILLEGAL.sub("", text).replace("\r\n", "\n").translate(_ATTRIBUTE_ESCAPES)


@lru_cache(maxsize=1024)
def _run_start(bold: bool, italic: bool, colour: str | None, size: int) -> str:
    props = []
    if bold:
        props.append("<w:b/>")
    if italic:
        props.append("<w:i/>")
    if colour:
        props.append(f'<w:color w:val="{colour}"/>')
    props.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    return f'<w:r><w:rPr>{"".join(props)}</w:rPr>'


def _run(text: str, start: str, written: bool) -> str:
    if not written:
        return f'{start}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>'
    text = _as_written(text)
    if not text:  # lxml writes an element with no text closed on itself
        return f'{start}<w:t xml:space="preserve"/></w:r>'
    return f'{start}<w:t xml:space="preserve">{text}</w:t></w:r>'


_PARAGRAPH = '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>{}</w:pPr>'
_PARAGRAPH_STARTS = {False: _PARAGRAPH.format(""), True: _PARAGRAPH.format('<w:jc w:val="center"/>')}


def _paragraphs(cell: Cell, size: int, written: bool) -> str:
    start = _PARAGRAPH_STARTS[cell.centre]
    run = _run_start(cell.bold, cell.italic, cell.colour, size)
    out = [f"{start}{_run(line, run, written)}</w:p>" if line else f"{start}</w:p>"
           for line in (cell.text or "").split("\n")]
    if cell.note:
        out.append(f"{start}{_run(cell.note, _run_start(cell.bold, True, cell.colour, size), written)}</w:p>")
    return "".join(out)


@lru_cache(maxsize=4096)
def _cell_start(width: int, span: int, merge: str | None, fill: str | None) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if span > 1:
        props.append(f'<w:gridSpan w:val="{span}"/>')
    if merge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif merge == "continue":
        props.append("<w:vMerge/>")
    if fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>')
    props.append('<w:vAlign w:val="top"/>')
    return f'<w:tc><w:tcPr>{"".join(props)}</w:tcPr>'


def _row(cells: Sequence[Cell], widths: Sequence[int], size: int, header: bool, written: bool) -> str:
    props = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
    out, column = [], 0
    for cell in cells:
        width = sum(widths[column:column + cell.span])
        out.append(f"{_cell_start(width, cell.span, cell.merge, cell.fill)}{_paragraphs(cell, size, written)}</w:tc>")
        column += cell.span
    return f'<w:tr><w:trPr>{props}</w:trPr>{"".join(out)}</w:tr>'


def _table_text(widths_cm: Sequence[float], header: Sequence[Cell] | None, rows: Sequence[Sequence[Cell]], *,
                size_pt: float, caption: str, style: str, centred: bool, written: bool) -> str:
    widths = [twips(w) for w in widths_cm]
    size = int(round(size_pt * 2))
    caption_xml = (f'<w:tblCaption w:val="{_attribute_as_written(caption) if written else escape(caption)}"/>'
                   if caption else "")
    jc = '<w:jc w:val="center"/>' if centred else ""
    opening = "<w:tbl>" if written else f'<w:tbl xmlns:w="{W_NS}">'
    parts = [
        f'{opening}<w:tblPr><w:tblStyle w:val="{style}"/>'
        f'<w:tblW w:w="{sum(widths)}" w:type="dxa"/>{jc}<w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="{1 if header else 0}" w:lastRow="0" w:firstColumn="0" '
        f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>{caption_xml}</w:tblPr><w:tblGrid>',
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>",
    ]
    if header is not None:
        parts.append(_row(header, widths, size, True, written))
    parts.extend(_row(cells, widths, size, False, written) for cells in rows)
    parts.append("</w:tbl>")
    return "".join(parts)


def table_element(widths_cm: Sequence[float], header: Sequence[Cell] | None, rows: Sequence[Sequence[Cell]], *,
                  size_pt: float = 9, caption: str = "", style: str = "TableGrid", centred: bool = False):
    """The ``w:tbl`` element: ``header`` (None for a table without one) repeated on every page, then ``rows``."""
    return parse_xml(_table_text(widths_cm, header, rows, size_pt=size_pt, caption=caption, style=style,
                                 centred=centred, written=False))


def table_xml(widths_cm: Sequence[float], header: Sequence[Cell] | None, rows: Sequence[Sequence[Cell]], *,
              size_pt: float = 9, caption: str = "", style: str = "TableGrid", centred: bool = False) -> bytes | None:
    """``table_element`` as lxml writes it in the document's body (UTF-8), or None for a table that must be parsed
    to be written so."""
    cells = [*(header or ()), *(cell for row in rows for cell in row)]
    if not widths_cm or not _PLAIN.fullmatch(style) or not all(
            _PLAIN.fullmatch(cell.fill or "") and _PLAIN.fullmatch(cell.colour or "") for cell in cells):
        return None
    text = _table_text(widths_cm, header, rows, size_pt=size_pt, caption=caption, style=style, centred=centred,
                       written=True)
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate: lxml says what is wrong with it
        return None


def add_table(document, widths_cm: Sequence[float], header: Sequence[Cell] | None, rows: Sequence[Sequence[Cell]],
              **options) -> None:
    """Append the table to the document's body (before its final section properties); ``docx_body.save`` writes
    the document with it."""
    xml = table_xml(widths_cm, header, rows, **options)
    if xml is None:
        append_table(document, table_element(widths_cm, header, rows, **options))
    else:
        append_written(document, xml)
