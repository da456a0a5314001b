"""The Summary sheet's cells as ``<sheetData>`` XML text, like the streamed list sheets.

openpyxl draws everything around the cells (column widths, the rating colours' rules, the charts, page
breaks, print settings: ``summary_sheet.draw_frame``); the cells themselves, tens of thousands at 20,000
actions, are written here as inline strings and numbers whose styles are registered in openpyxl's workbook
first. Written this way, the sheet holds no shared string, so a command that does not redraw the Summary
carries its cells over as they are (``package.emptied``, ``MasterWorkbook.kept_sheet_data``) instead of
loading them into openpyxl and writing them out again.
"""

from __future__ import annotations

from typing import Iterator

from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook

from ..sheets.summary_layout import Block, SheetLayout
from ..sheets.values import DATE_FORMAT, DATETIME_FORMAT
from ..xlsx.cells import font, style_id
from .sheetxml import ColumnStyle, cell_xml

TOP, TOP_WRAP = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)
TITLE_FONT = dict(bold=True, size=12, color="1F3864")
NOTE_FONT = dict(italic=True, color="595959")


def _figure(value: float) -> str:
    """A figure of the Summary to 16 significant digits, as openpyxl writes one: a share such as 1/6 reads back
    the same after any program that rewrites the sheet (the Summary's figures are counts and shares)."""
    return "%.16g" % value


class SummaryCells:
    """The cells of one drawn ``SheetLayout``, their styles registered in ``book`` when this is made (before
    openpyxl writes ``styles.xml``), turned into XML when the package is written."""

    def __init__(self, book: Workbook, sheet_layout: SheetLayout) -> None:
        self.layout = sheet_layout
        self._book = book
        self._styles: dict[tuple, ColumnStyle] = {}
        self.cells: dict[int, dict[int, str]] = {}  # row -> column -> the cell's XML (a later value wins)
        self._place_cells()

    def _style(self, *, font_style: dict | None = None, fill: str | None = None, alignment: Alignment | None = None,
               number_format: str = "General") -> ColumnStyle:
        key = (tuple(sorted((font_style or {}).items())), fill, repr(alignment), number_format)
        if key not in self._styles:
            look: dict[str, object] = {}
            if font_style is not None:
                look["font"] = font(**font_style)
            if fill is not None:
                look["fill"] = PatternFill("solid", fgColor=fill)
            if alignment is not None:
                look["alignment"] = alignment
            book = self._book
            self._styles[key] = ColumnStyle(
                text=style_id(book, number_format=number_format, **look),
                quoted=style_id(book, number_format=number_format, quotePrefix=True, **look),
                date=style_id(book, number_format=DATE_FORMAT, **look),
                datetime=style_id(book, number_format=DATETIME_FORMAT, **look))
        return self._styles[key]

    def _put(self, row: int, column: int, value: object, style: ColumnStyle) -> None:
        ref = f"{get_column_letter(column)}{row}"
        # A blank keeps its look (the header over the first column of a table is blank, but filled).
        self.cells.setdefault(row, {})[column] = (cell_xml(ref, value, style, number=_figure)
                                                  or f'<c r="{ref}" s="{style.text}"/>')

    def _place_cells(self) -> None:
        sheet_layout = self.layout
        self._put(1, 1, sheet_layout.title, self._style(font_style=dict(bold=True, size=16, color="1F3864")))
        self._put(2, 1, sheet_layout.subtitle, self._style(font_style=NOTE_FONT))
        self._put(3, 1, sheet_layout.marking, self._style(font_style=dict(bold=True)))
        for block in sheet_layout.blocks:
            self._place_block(block)

    def _place_block(self, block: Block) -> None:
        self._put(block.row, 1, block.title, self._style(font_style=TITLE_FONT))
        fills = {offset: (fill, colour) for offset, fill, colour in block.fills}
        for offset, header in enumerate(block.header):
            fill, colour = fills.get(offset, ("1F3864", "FFFFFF"))
            alignment = Alignment(horizontal="center" if offset else "left", vertical="center", wrap_text=True)
            self._put(block.header_row, 1 + offset, header,
                      self._style(font_style=dict(bold=True, color=colour), fill=fill, alignment=alignment))
        if not block.rows:
            self._put(block.first_data_row, 1, block.note, self._style(font_style=NOTE_FONT))
            return
        styles = []
        for offset in range(len(block.header)):
            number_format = ("0%" if offset in block.percent_columns else
                             DATE_FORMAT if offset in block.date_columns else "General")
            styles.append(self._style(alignment=TOP_WRAP if offset in block.wrap_columns else TOP,
                                      number_format=number_format))
        for number, values in enumerate(block.rows, start=block.first_data_row):
            for offset, value in enumerate(values):
                self._put(number, 1 + offset, value, styles[offset] if offset < len(styles) else styles[-1])

    @property
    def last_column(self) -> int:
        return max((max(cells) for cells in self.cells.values() if cells), default=1)

    @property
    def last_row(self) -> int:
        heights = [number for number, _ in self.layout.heights]
        return max([*self.cells, *heights, 1])

    def sheet_data(self) -> Iterator[bytes]:
        """The ``<sheetData>`` element, rows in order, each row's cells in column order, heights as drawn."""
        heights = dict(self.layout.heights)
        yield b"<sheetData>"
        out: list[str] = []
        for number in sorted({*self.cells, *heights}):
            height = heights.get(number)
            attributes = f' ht="{height}" customHeight="1"' if height else ""
            cells = "".join(xml for _, xml in sorted(self.cells.get(number, {}).items()))
            out.append(f'<row r="{number}"{attributes}>{cells}</row>' if cells else f'<row r="{number}"{attributes}/>')
            if len(out) >= 2000:
                yield "".join(out).encode("utf-8")
                out.clear()
        yield "".join(out).encode("utf-8")
        yield b"</sheetData>"
