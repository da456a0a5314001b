"""Word tables written as XML text, fast, as Word itself writes them.

python-docx builds a table cell by cell, each through its object model: for a plan of hundreds of actions
that takes seconds. Here a table is one string of WordprocessingML parsed once, from one template per row
and cell. Every table has fixed column widths (on the grid, which LibreOffice reads, and on each cell, which
Word reads), its header row marked to repeat on each page (``w:tblHeader``, the bare element as Word writes
it), and every row kept whole on a page (``w:cantSplit``): a row never starts on one page and ends on the next.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from docx.oxml import parse_xml
from docx.shared import Cm

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
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


def _run(text: str, cell: Cell, size: int, italic: bool = False) -> str:
    props = []
    if cell.bold:
        props.append("<w:b/>")
    if italic or cell.italic:
        props.append("<w:i/>")
    if cell.colour:
        props.append(f'<w:color w:val="{cell.colour}"/>')
    props.append(f'<w:sz w:val="{size}"/><w:szCs w:val="{size}"/>')
    return f'<w:r><w:rPr>{"".join(props)}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def _paragraphs(cell: Cell, size: int) -> str:
    jc = '<w:jc w:val="center"/>' if cell.centre else ""
    ppr = f'<w:pPr><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>{jc}</w:pPr>'
    lines = (cell.text or "").split("\n")
    out = [f"<w:p>{ppr}{_run(line, cell, size) if line else ''}</w:p>" for line in lines]
    if cell.note:
        out.append(f"<w:p>{ppr}{_run(cell.note, cell, size, italic=True)}</w:p>")
    return "".join(out)


def _cell(cell: Cell, width: int, size: int) -> str:
    props = [f'<w:tcW w:w="{width}" w:type="dxa"/>']
    if cell.span > 1:
        props.append(f'<w:gridSpan w:val="{cell.span}"/>')
    if cell.merge == "restart":
        props.append('<w:vMerge w:val="restart"/>')
    elif cell.merge == "continue":
        props.append("<w:vMerge/>")
    if cell.fill:
        props.append(f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.fill}"/>')
    props.append('<w:vAlign w:val="top"/>')
    return f'<w:tc><w:tcPr>{"".join(props)}</w:tcPr>{_paragraphs(cell, size)}</w:tc>'


def _row(cells: Sequence[Cell], widths: Sequence[int], size: int, header: bool) -> str:
    props = "<w:cantSplit/><w:tblHeader/>" if header else "<w:cantSplit/>"
    out, column = [], 0
    for cell in cells:
        width = sum(widths[column:column + cell.span])
        out.append(_cell(cell, width, size))
        column += cell.span
    return f'<w:tr><w:trPr>{props}</w:trPr>{"".join(out)}</w:tr>'


def table_element(widths_cm: Sequence[float], header: Sequence[Cell] | None, rows: Sequence[Sequence[Cell]], *,
                  size_pt: float = 9, caption: str = "", style: str = "TableGrid", centred: bool = False):
    """The ``w:tbl`` element: ``header`` (None for a table without one) repeated on every page, then ``rows``."""
    widths = [twips(w) for w in widths_cm]
    size = int(round(size_pt * 2))
    caption_xml = f'<w:tblCaption w:val="{escape(caption)}"/>' if caption else ""
    jc = '<w:jc w:val="center"/>' if centred else ""
    parts = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="{style}"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        f'{jc}<w:tblLayout w:type="fixed"/>'
        f'<w:tblLook w:val="04A0" w:firstRow="{1 if header else 0}" w:lastRow="0" w:firstColumn="0" '
        f'w:lastColumn="0" w:noHBand="0" w:noVBand="1"/>{caption_xml}</w:tblPr><w:tblGrid>',
        "".join(f'<w:gridCol w:w="{w}"/>' for w in widths), "</w:tblGrid>",
    ]
    if header is not None:
        parts.append(_row(header, widths, size, header=True))
    parts.extend(_row(cells, widths, size, header=False) for cells in rows)
    parts.append("</w:tbl>")
    return parse_xml("".join(parts))


def add_table(document, widths_cm: Sequence[float], header: Sequence[Cell] | None, rows: Sequence[Sequence[Cell]],
              **options):
    """Append the table to the document's body (before its final section properties); returns the element."""
    element = table_element(widths_cm, header, rows, **options)
    body = document.element.body
    sect_pr = body.find(f"{{{W_NS}}}sectPr")
    if sect_pr is not None:
        sect_pr.addprevious(element)
    else:
        body.append(element)
    return element
