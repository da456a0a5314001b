"""Saving a master: openpyxl writes the package, the streamed sheets' rows go in as XML text on the way out.

Each streamed row's cells name a style by its ``cellXfs`` index, so every style the rows use is registered in
openpyxl's workbook before it writes ``styles.xml``; the rating cells take their colours from the index then.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ..sheets import contract as c
from ..sheets.values import DATE_FORMAT, DATETIME_FORMAT
from . import package, sheetxml
from .layout import CENTRE, HEADER_FILL, HEADER_FONT, REGISTER_HEADER_HEIGHT, TOP, WRAP, columns_of

if TYPE_CHECKING:  # the master holds its writer's input; the writer never makes a master
    from .workbook import MasterWorkbook


class Writer:
    """Saves a master: openpyxl writes every part uncompressed in memory, the streamed sheets' rows are put in
    as XML text, and the package is compressed once into the target file."""

    def __init__(self, master: MasterWorkbook) -> None:
        self.master = master

    def save(self, target: Path) -> None:
        book = self.master.book
        # Every style the rows use is registered before openpyxl writes styles.xml; the rows themselves are
        # turned into XML one sheet at a time while the package is compressed, so that only one sheet's
        # XML is in memory at once (tens of megabytes each at 20,000 actions).
        writers = {name: self._prepare(name) for name in self.master.lists}
        book.properties.modified = datetime.now().replace(microsecond=0)
        buffer = io.BytesIO()
        archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED, allowZip64=True)
        ExcelWriter(book, archive).save()
        # Only now are the sheets' part names known: openpyxl numbers the parts as it writes them.
        package.repack(buffer.getvalue(), {book[name].path.lstrip("/"): put for name, put in writers.items()}, target)

    def _prepare(self, name: str) -> Callable[[bytes], bytes]:
        """Register the sheet's styles now; return what puts its rows into the sheet part openpyxl writes."""
        master, book = self.master, self.master.book
        ws = book[name]
        content = master.lists[name]
        columns = columns_of(name)
        width = max(len(content.headers), len(columns), max(map(len, content.rows), default=0))
        header_style = ws.cell(1, 1).style_id if ws.cell(1, 1).has_style else _style_id(book, font=HEADER_FONT, fill=HEADER_FILL)
        for position, header in enumerate(content.headers, start=1):
            ws.cell(1, position).value = header  # the table's column names are taken from these cells
        header = [(h, header_style) for h in content.headers]
        styles = [_column_style(book, columns[i] if i < len(columns) else None) for i in range(width)]
        heights = overrides = None
        header_height = ws.row_dimensions[1].height
        if name == c.REGISTER:
            index = master.read_index()
            rating_styles = {
                r.code: _style_id(book, fill=PatternFill("solid", fgColor=r.fill), font=Font(color=r.font, bold=True),
                                  alignment=CENTRE)
                for r in index.ratings
            }
            rag_at = [col.attribute for col in c.REGISTER_COLUMNS].index("rag")
            plain_rag = _style_id(book, alignment=CENTRE)

            def overrides(position: int, value: object) -> int | None:
                if position != rag_at:
                    return None
                return rating_styles.get(str(value).strip(), plain_rag) if isinstance(value, str) else plain_rag

            heights = _row_height
            header_height = header_height or REGISTER_HEADER_HEIGHT

        def put_rows(sheet_xml: bytes) -> bytes:
            xml, count = sheetxml.sheet_data(header, header_height, content.rows, styles, heights, overrides)
            return package.with_sheet_data(sheet_xml, xml, f"A1:{get_column_letter(max(width, 1))}{count + 1}")

        return put_rows


def _style_id(book: Workbook, **style: object) -> int:
    """The cellXfs index openpyxl will write for this combination of font, fill, alignment and format."""
    cell = Cell(book.active)
    for attribute, value in style.items():
        setattr(cell, attribute, value)
    return cell.style_id


def _column_style(book: Workbook, column: c.Column | None) -> sheetxml.ColumnStyle:
    alignment = WRAP if column is not None and column.wrap else TOP
    text_format = column.number_format if column is not None else "General"
    return sheetxml.ColumnStyle(
        text=_style_id(book, alignment=alignment, number_format=text_format),
        quoted=_style_id(book, alignment=alignment, number_format=text_format, quotePrefix=True),
        date=_style_id(book, alignment=alignment, number_format=DATE_FORMAT),
        datetime=_style_id(book, alignment=alignment, number_format=DATETIME_FORMAT),
    )


_WRAPPED = [(position, int(col.width * 1.15)) for position, col in enumerate(c.REGISTER_COLUMNS) if col.wrap]


def _row_height(values: Sequence[object]) -> float:
    """Tall enough for the row's wrapped text: not every spreadsheet program fits rows on opening."""
    lines = 1
    for position, chars_per_line in _WRAPPED:
        value = values[position]
        if type(value) is not str or len(value) <= chars_per_line and "\n" not in value:
            continue
        if "\n" in value:
            needed = sum(max(1, -(-len(part) // chars_per_line)) for part in value.split("\n"))
        else:
            needed = -(-len(value) // chars_per_line)
        lines = max(lines, needed)
    return min(409, 15 * lines + 3)
