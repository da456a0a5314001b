"""Saving a master: openpyxl writes the package, the streamed sheets' rows go in as XML text on the way out.

Each streamed row's cells name a style by its ``cellXfs`` index, so every style the rows use is registered in
openpyxl's workbook before it writes ``styles.xml``; the rating cells take their colours from the index then.
A list sheet nothing wrote to since the master was opened keeps its rows' XML as it was
(``MasterWorkbook.kept_sheet_data``).

The Register's notes are the master's own (``MasterWorkbook.notes``), written as their comments part and VML
drawing in one go (``xlsx.notes``): openpyxl is given one stand-in note, so that it writes the relationships,
the content types and the sheet's ``legacyDrawing`` as for any note, and the two parts it wrote for it are
replaced on the way out.
"""

from __future__ import annotations

import io
import zipfile
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.writer.excel import ExcelWriter

from ...core.errors import InputError
from ..sheets import contract as c
from ..sheets.values import DATE_FORMAT, DATETIME_FORMAT
from ..sheets.printing import capacity, row_points
from ..xlsx.cells import drop_empty_protection, font, style_id
from ..xlsx.notes import NOTES_DRAWINGS, anchor_notes, comments_part, drawing_part
from ..xlsx.strings import escape_looking_text, holds_strings
from . import package, sheetxml
from .layout import CENTRE, HEADER_FILL, HEADER_FONT, REGISTER_HEADER_HEIGHT, TOP, WRAP, columns_of, print_setup

if TYPE_CHECKING:  # the master holds its writer's input; the writer never makes a master
    from .workbook import MasterWorkbook


class Writer:
    """Saves a master: openpyxl writes every part uncompressed in memory, the streamed sheets' rows are put in
    as XML text, and the package is compressed once into the target file."""

    def __init__(self, master: MasterWorkbook) -> None:
        self.master = master
        self.marking = master.read_settings().protective_marking if c.SETTINGS in master.book.sheetnames else ""

    def save(self, target: Path) -> None:
        book = self.master.book
        # Every style the rows use is registered before openpyxl writes styles.xml; the rows themselves are
        # turned into XML one sheet at a time while the package is compressed, so that only one sheet's
        # XML is in memory at once (tens of megabytes each at 20,000 actions).
        writers = {name: self._prepare(name) for name in self.master.lists}
        for name in c.LIST_SHEETS:  # the small list sheets print the same way (they are not streamed)
            if name not in self.master.lists and name in book.sheetnames:
                print_setup(book[name], name, self.marking)
        book.properties.modified = datetime.now().replace(microsecond=0)
        drop_empty_protection(book)
        buffer = io.BytesIO()
        archive = zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED, allowZip64=True)
        register = book[c.REGISTER]
        stand_in = register.cell(1, 1)
        if self.master.notes:
            stand_in.comment = Comment(c.NOTE_AUTHOR, c.NOTE_AUTHOR)
        try:
            ExcelWriter(book, archive).save()
        finally:
            stand_in.comment = None
        # Only now are the sheets' part names known: openpyxl numbers the parts as it writes them.
        rewrites = {book[name].path.lstrip("/"): put for name, put in writers.items()}
        summary = self._prepare_summary()
        if summary is not None and c.SUMMARY in book.sheetnames:
            rewrites[book[c.SUMMARY].path.lstrip("/")] = summary
        with zipfile.ZipFile(buffer) as written:
            for name in written.namelist():
                if name.startswith(NOTES_DRAWINGS):
                    rewrites[name] = anchor_notes
                elif holds_strings(name) and name not in rewrites:  # the streamed sheets escape their own rows
                    rewrites[name] = escape_looking_text
            if self.master.notes:
                comments, drawing = package.written_note_parts(written, register.path.lstrip("/"))
                notes = self.master.notes
                rewrites[comments] = lambda _: comments_part(notes)
                rewrites[drawing] = lambda _: drawing_part(notes)
        package.repack(buffer.getvalue(), rewrites, target)

    def _prepare(self, name: str) -> Callable[[bytes], bytes]:
        """Register the sheet's styles now; return what puts its rows into the sheet part openpyxl writes."""
        master, book = self.master, self.master.book
        ws = book[name]
        columns = columns_of(name)
        lists = master.lists
        if not lists.is_read(name):
            kept = master.kept_sheet_data(name)
            if kept is not None:  # never read, so never changed: its rows go back as they were
                if columns:
                    print_setup(ws, name, self.marking)
                return lambda sheet_xml: package.with_sheet_data(sheet_xml, *kept)
        content = lists[name]
        width = max(len(content.headers), len(columns), max(map(len, content.rows), default=0))
        # The header's look is ragbook's own too (a named font, so that it prints in the body's face).
        header_style = style_id(book, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGNMENT)
        if columns:
            print_setup(ws, name, self.marking)
        for position, header in enumerate(content.headers, start=1):
            ws.cell(1, position).value = header  # the table's column names are taken from these cells
        header = [(h, header_style) for h in content.headers]
        styles = [_column_style(book, columns[i] if i < len(columns) else None) for i in range(width)]
        overrides = None
        wrapped = [(i, capacity(col.width)) for i, col in enumerate(columns) if col.wrap]

        def heights(values: Sequence[object]) -> float | None:
            return row_points(values, wrapped)

        header_height = ws.row_dimensions[1].height or _header_height(columns)
        if name == c.REGISTER:
            index = master.read_index()
            rating_styles = {
                r.code: style_id(book, fill=PatternFill("solid", fgColor=r.fill), font=font(color=r.font, bold=True),
                                  alignment=CENTRE)
                for r in index.ratings
            }
            rag_at = [col.attribute for col in c.REGISTER_COLUMNS].index("rag")
            plain_rag = style_id(book, alignment=CENTRE)

            def overrides(position: int, value: object) -> int | None:
                if position != rag_at:
                    return None
                return rating_styles.get(str(value).strip(), plain_rag) if isinstance(value, str) else plain_rag

            header_height = header_height or REGISTER_HEADER_HEIGHT

        def put_rows(sheet_xml: bytes) -> bytes | Iterator[bytes]:
            kept = master.kept_sheet_data(name)  # read only now, one sheet at a time, as the rows are written
            if kept is not None:
                data, dimension = kept
                added = content.rows[master.appended_from.get(name, len(content.rows)):]
                if not added:
                    return package.with_sheet_data(sheet_xml, data, dimension)
                last = package.last_row_number(data)
                rows = sheetxml.row_chunks(added, styles, last + 1, heights, overrides)
                extent = f"A1:{get_column_letter(max(width, _columns_of_extent(dimension)))}{last + len(added)}"
                return self._refusing_long_text(name, package.with_sheet_data_chunks(
                    sheet_xml, package.appended(data, rows), extent))
            chunks = sheetxml.sheet_data_chunks(header, header_height, content.rows, styles, heights, overrides)
            extent = f"A1:{get_column_letter(max(width, 1))}{len(content.rows) + 1}"
            return self._refusing_long_text(name, package.with_sheet_data_chunks(sheet_xml, chunks, extent))

        return put_rows

    def _refusing_long_text(self, sheet: str, pieces: Iterator[bytes]) -> Iterator[bytes]:
        """The pieces of a sheet part; a text longer than a cell holds stops the save with one sentence."""
        try:
            yield from pieces
        except sheetxml.CellTooLongError as exc:
            raise InputError(f"{self.master.path}: sheet '{sheet}' {exc}, so it was not saved; the master is "
                             f"unchanged.") from None

    def _prepare_summary(self) -> Callable[[bytes], bytes | Iterator[bytes]] | None:
        """What puts the Summary's cells into its part: those drawn since opening, or those it had, kept."""
        master = self.master
        drawn = master.summary_cells
        if drawn is not None:
            extent = f"A1:{get_column_letter(drawn.last_column)}{drawn.last_row}"
            return lambda sheet_xml: self._refusing_long_text(
                c.SUMMARY, package.with_sheet_data_chunks(sheet_xml, drawn.sheet_data(), extent))
        kept = master.kept_sheet_data(c.SUMMARY)
        if kept is None:
            return None  # openpyxl holds its cells (an older master's), or it has none
        return lambda sheet_xml: package.with_sheet_data(sheet_xml, *kept)


def _columns_of_extent(dimension: str) -> int:
    """How many columns a dimension such as ``A1:M2001`` spans."""
    return column_index_from_string(dimension.rsplit(":", 1)[-1].rstrip("0123456789") or "A")


def _column_style(book: Workbook, column: c.Column | None) -> sheetxml.ColumnStyle:
    alignment = WRAP if column is not None and column.wrap else TOP
    text_format = column.number_format if column is not None else "General"
    with_time = style_id(book, alignment=alignment, number_format=DATETIME_FORMAT)
    return sheetxml.ColumnStyle(
        text=style_id(book, alignment=alignment, number_format=text_format),
        quoted=style_id(book, alignment=alignment, number_format=text_format, quotePrefix=True),
        # A date-and-time column shows the time even at midnight: "When" is a moment, not a day.
        date=with_time if column is not None and column.kind == "datetime" else
        style_id(book, alignment=alignment, number_format=DATE_FORMAT),
        datetime=with_time,
    )


HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")


def _header_height(columns: Sequence[c.Column]) -> float | None:
    """Two lines when a header is wider than its column (it wraps), else the default."""
    return 30 if any(len(col.header) > capacity(col.width, bold=True) for col in columns) else None
