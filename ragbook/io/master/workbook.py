"""The master workbook on disk.

``MasterWorkbook.open`` refuses a master Excel has open, a file that is not a workbook, and one missing a
contract sheet, before anything is changed; ``save`` goes through ``save.save_atomically`` so a crash never
leaves a half-written master. Both ``.xlsx`` and ``.xlsm`` masters are handled: an ``.xlsm`` is loaded with
``keep_vba`` so its VBA project and ribbon survive.

The list sheets that grow with the plan (``contract.STREAMED_SHEETS``) are held as plain rows of values:
read with python-calamine and written as XML text by ``sheetxml`` (see ``package`` for why). Everything else
is an openpyxl workbook, loaded from a copy of the package in which those sheets hold only their header row.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Callable, Iterable, Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from ...core.errors import InputError
from ...core.ledger import LEDGER_SHEET, Ledger, parse_ledger
from ...core.model import ActionKey, Agency, Register
from ...core.ratings import DEFAULT_INDEX, RatingIndex
from ...core.records import AuditEntry, Finding, ReturnRecord
from ...core.summary import Summary
from ..files import ENCRYPTED_OLE, XLSM, XLSX, check_zip_limits, describe_kind, refuse_dtd, refuse_password, sniff
from ..sheets import contract as c
from ..sheets import records
from ..sheets.values import text_of
from . import ledger_sheet, package, sheetxml
from ..xlsx.cells import add_rating_rules, landscape_fit_to_width, put
from .preserve import check_macros_kept, check_preservable, macro_parts
from .save import check_not_open, save_atomically
from ..xlsm.template import packaged_template

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTRE = Alignment(horizontal="center", vertical="top")
DATE_FORMAT, DATETIME_FORMAT = "dd/mm/yyyy", "dd/mm/yyyy hh:mm"
REGISTER_HEADER_HEIGHT = 30


@dataclass
class ListRows:
    """A streamed sheet's content: its header texts and its rows of plain values (no styles)."""

    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)


@dataclass
class MasterWorkbook:
    path: Path
    book: Workbook
    lists: dict[str, ListRows] = field(default_factory=dict)
    # Register columns a user added beyond the contract: their headers, and their values by action key.
    extra_headers: list[str] = field(default_factory=list)
    extra_values: dict[ActionKey, list[object]] = field(default_factory=dict)
    # An .xlsm master's VBA project and ribbon as opened: a save must leave them exactly as they were.
    macros: dict[str, object] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return str(self.path)

    # ----------------------------------------------------------------- opening and saving
    @classmethod
    def create(cls, path: Path, index: RatingIndex = DEFAULT_INDEX) -> MasterWorkbook:
        if path.suffix.lower() not in {".xlsx", ".xlsm"}:
            raise InputError(f"{path}: a master must be an .xlsx or .xlsm workbook.")
        if path.suffix.lower() == ".xlsm":
            # The macro-enabled master starts as a copy of the built ActionPlan.xlsm: its VBA and ribbon.
            template = packaged_template()
            book = load_workbook(io.BytesIO(template), keep_vba=True, rich_text=False)
            master = cls(path, book, macros=macro_parts(io.BytesIO(template)))
        else:
            master = cls(path, new_book())
        for name in c.STREAMED_SHEETS:
            master.lists[name] = ListRows([col.header for col in _columns(name)])
        master.write_index(index)
        master.write_register(Register(index))
        return master

    @classmethod
    def open(cls, path: Path) -> MasterWorkbook:
        check_not_open(path)
        kind = sniff(path)
        if kind == ENCRYPTED_OLE:
            raise refuse_password(path)
        if kind not in {XLSX, XLSM}:
            raise InputError(f"{path}: is {describe_kind(kind)}, not a ragbook master workbook.")
        check_preservable(path)
        original = path.read_bytes()
        try:
            with zipfile.ZipFile(io.BytesIO(original)) as archive:
                check_zip_limits(path, archive)
                copy = package.cut_list_sheets(path, archive, {*c.STREAMED_SHEETS, LEDGER_SHEET}, check=refuse_dtd)
            book = load_workbook(io.BytesIO(copy.data), keep_vba=(kind == XLSM), rich_text=False)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError) as exc:
            raise InputError(f"{path}: cannot be opened as a workbook ({exc.__class__.__name__}: {exc}).") from None
        missing = [name for name in (c.REGISTER, c.RATING_INDEX) if name not in book.sheetnames]
        if missing:
            raise InputError(f"{path}: has no {' or '.join(repr(m) for m in missing)} sheet, so it is not a ragbook "
                             f"master; create one with 'ragbook new'.")
        master = cls(path, book, macros=macro_parts(path) if kind == XLSM else {})
        master._ensure_sheets()
        master._read_streamed(original)
        return master

    def _ensure_sheets(self) -> None:
        """Add any contract sheet an older master lacks (they are all lists, safe to add empty)."""
        for name, columns in c.LIST_SHEETS.items():
            if name not in self.book.sheetnames:
                _make_list_sheet(self.book, name, columns)
        if c.SUMMARY not in self.book.sheetnames:
            self.book.create_sheet(c.SUMMARY, 1)

    def _read_streamed(self, original: bytes) -> None:
        from python_calamine import CalamineWorkbook  # noqa: PLC0415 - only needed when opening a master

        try:
            values = CalamineWorkbook.from_filelike(io.BytesIO(original))
            for name in c.STREAMED_SHEETS:
                if name not in values.sheet_names:
                    self.lists[name] = ListRows([col.header for col in _columns(name)])
                    continue
                rows = values.get_sheet_by_name(name).to_python(skip_empty_area=False)
                headers = [text_of(v).strip() for v in rows[0]] if rows else []
                while headers and not headers[-1]:
                    headers.pop()
                body = [list(r) for r in rows[1:] if any(v not in (None, "") for v in r)]
                self.lists[name] = ListRows(headers or [col.header for col in _columns(name)], body)
            if LEDGER_SHEET in values.sheet_names:
                rows = values.get_sheet_by_name(LEDGER_SHEET).to_python(skip_empty_area=False)
                self.lists[LEDGER_SHEET] = ListRows(list(rows[0]) if rows else [], [list(r) for r in rows[1:]])
        except Exception as exc:  # noqa: BLE001 - calamine raises its own error kinds for broken sheets
            raise InputError(f"{self.path}: its sheets cannot be read ({exc}).") from None

    def save(self) -> None:
        save_atomically(_Writer(self), self.path, verify=self._verify)

    def _verify(self, written: Path) -> None:
        _verify_saved(written)
        if self.macros:
            check_macros_kept(self.macros, written, self.path)

    def sheet(self, name: str) -> Worksheet:
        return self.book[name]

    # ----------------------------------------------------------------- reading
    def read_index(self) -> RatingIndex:
        return records.index_from(self._headed_rows(c.RATING_INDEX), str(self.path))

    def read_agencies(self) -> list[Agency]:
        return records.agencies_from(self._headed_rows(c.AGENCIES))

    def read_findings(self) -> list[Finding]:
        return records.findings_from(self._headed_rows(c.EXCEPTIONS))

    def read_audit(self) -> list[AuditEntry]:
        return records.audit_from(self._headed_rows(c.AUDIT_LOG))

    def read_returns(self) -> list[ReturnRecord]:
        return records.returns_from(self._headed_rows(c.RETURNS))

    def read_register(self) -> Register:
        content = self.lists[c.REGISTER]
        read = records.actions_from(content.headers, content.rows, str(self.path))
        self.extra_headers, self.extra_values = read.extra_headers, read.extra_values
        return Register(self.read_index(), read.actions, self.read_agencies())

    def _headed_rows(self, sheet: str) -> list[tuple[int, records.HeadedRow]]:
        if sheet in self.lists:
            return records.headed_rows(self.lists[sheet].headers, self.lists[sheet].rows)
        ws = self.book[sheet]
        header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        return records.headed_rows(header, ws.iter_rows(min_row=2, values_only=True))

    def read_ledger(self) -> Ledger:
        content = self.lists.get(LEDGER_SHEET)
        return parse_ledger([content.headers, *content.rows]) if content else Ledger()

    def write_ledger(self, ledger: Ledger) -> None:
        first, *rest = ledger_sheet.ledger_values(ledger)
        self.lists[LEDGER_SHEET] = ListRows(first, rest)
        if LEDGER_SHEET not in self.book.sheetnames:
            ledger_sheet.add_sheet(self.book)

    # ----------------------------------------------------------------- writing
    def write_register(self, register: Register) -> None:
        blank_extras = [None] * len(self.extra_headers)
        rows = [
            [getattr(a, col.attribute) for col in c.REGISTER_COLUMNS] + self.extra_values.get(a.key, blank_extras)
            for a in register.actions
        ]
        self.lists[c.REGISTER] = ListRows([col.header for col in c.REGISTER_COLUMNS] + self.extra_headers, rows)
        ws = self.book[c.REGISTER]
        _fit_table(ws, c.REGISTER_TABLE, [col.header for col in c.REGISTER_COLUMNS], len(rows))
        self._date_validation(len(rows))
        self.write_agencies(register.agencies)

    def write_index(self, index: RatingIndex) -> None:
        ws = self.book[c.RATING_INDEX]
        _write_rows(ws, c.RATING_INDEX_COLUMNS, records.index_values(index))
        _fit_table(ws, c.table_name(c.RATING_INDEX), [col.header for col in c.RATING_INDEX_COLUMNS], len(index.ratings))
        for row_number, rating in enumerate(index.ratings, start=2):
            for col in (1, 2):
                cell = ws.cell(row_number, col)
                cell.fill = PatternFill("solid", fgColor=rating.fill)
                cell.font = Font(color=rating.font, bold=True)

    def write_agencies(self, agencies: Sequence[Agency]) -> None:
        self._write_list(c.AGENCIES, records.agency_values(agencies))

    def write_findings(self, findings: Sequence[Finding]) -> None:
        self._write_list(c.EXCEPTIONS, records.finding_values(findings))

    def append_audit(self, entries: Iterable[AuditEntry]) -> None:
        self._write_list(c.AUDIT_LOG, records.audit_values([*self.read_audit(), *entries]))

    def write_returns(self, returns: Sequence[ReturnRecord]) -> None:
        self._write_list(c.RETURNS, records.return_values(returns))

    def _write_list(self, sheet: str, rows: Iterable[Sequence[object]]) -> None:
        columns = c.LIST_SHEETS[sheet]
        headers = [col.header for col in columns]
        if sheet in c.STREAMED_SHEETS:
            self.lists[sheet] = ListRows(headers, [list(r) for r in rows])
            count = len(self.lists[sheet].rows)
        else:
            count = _write_rows(self.book[sheet], columns, rows)
        _fit_table(self.book[sheet], c.table_name(sheet), headers, count)

    def mark_findings(self, register: Register, findings: Sequence[Finding]) -> int:
        """Put a note on each offending Register cell, and take away the notes of problems now fixed."""
        ws = self.book[c.REGISTER]
        for cell in list(ws._cells.values()):  # a streamed sheet holds only its header and noted cells
            if cell.comment is not None and cell.comment.author == c.NOTE_AUTHOR:
                cell.comment = None
        notes = records.finding_notes(register, findings, records.header_map([col.header for col in c.REGISTER_COLUMNS]))
        for (row, column), text in notes.items():
            note = Comment(text, c.NOTE_AUTHOR)
            note.width, note.height = 320, 40 + 30 * (text.count("\n") + 1)
            ws.cell(row, column).comment = note
        return len(notes)

    def apply_colours(self, register: Register) -> dict[str, int]:
        """Add the ratings dropdown and live recolouring rules, and repaint the index; count the ratings.

        The rating cells themselves take their colours from the index on every save (see ``_Writer``).
        """
        ws = self.book[c.REGISTER]
        index = register.index
        column = [col.attribute for col in c.REGISTER_COLUMNS].index("rag") + 1
        letter = get_column_letter(column)
        area = f"{letter}2:{letter}{max(len(register.actions) + 1, 2)}"
        counts: dict[str, int] = {}
        for action in register.actions:
            rating = index.get(action.rag.strip())
            label = rating.label if rating else "unrated or unknown"
            counts[label] = counts.get(label, 0) + 1
        _replace_rating_rules(ws, column, area, index)
        _replace_validation(ws, column, DataValidation(
            type="list", formula1=_list_formula(index), allow_blank=True, showErrorMessage=True,
            errorTitle="Rating", error=f"Choose one of the ratings on the {c.RATING_INDEX} sheet.",
            promptTitle="Rating", prompt=" / ".join(f"{r.code} = {r.label}" for r in index.ratings),
            showInputMessage=True, sqref=area))
        self.write_index(index)
        return counts

    def write_summary(self, summary: Summary) -> None:
        from ..sheets.summary_layout import layout  # noqa: PLC0415 - only the summary needs the drawing code
        from .summary_sheet import draw  # noqa: PLC0415

        draw(self.book, layout(summary))

    def _date_validation(self, rows: int) -> None:
        ws = self.book[c.REGISTER]
        for attribute in ("target_date", "revised_date"):
            column = [col.attribute for col in c.REGISTER_COLUMNS].index(attribute) + 1
            letter = get_column_letter(column)
            _replace_validation(ws, column, DataValidation(
                type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                showErrorMessage=True, errorTitle="Date", error="Enter a date, such as 31/03/2026.",
                sqref=f"{letter}2:{letter}{max(rows + 1, 2)}"))


class _Writer:
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
        columns = _columns(name)
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


def _columns(sheet: str) -> Sequence[c.Column]:
    """The contract's columns of a streamed sheet; none for machine data such as the ledger."""
    return c.REGISTER_COLUMNS if sheet == c.REGISTER else c.LIST_SHEETS.get(sheet, ())


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


def _list_formula(index: RatingIndex) -> str:
    """The dropdown lists the codes; Excel limits an inline list to 255 characters."""
    return '"' + ",".join(index.codes) + '"'


def _only_column(sqref: object, column: int) -> bool:
    ranges = list(getattr(sqref, "ranges", []))
    return bool(ranges) and all(r.min_col == r.max_col == column for r in ranges)


def _replace_rating_rules(ws: Worksheet, column: int, area: str, index: RatingIndex) -> None:
    """Drop earlier colour rules on the rating column (ragbook's own) and add one rule per rating."""
    kept = type(ws.conditional_formatting)()
    for rng in ws.conditional_formatting:
        if not _only_column(rng.sqref, column):
            for rule in rng.rules:
                kept.add(str(rng.sqref), rule)
    ws.conditional_formatting = kept
    add_rating_rules(ws, area, index)


def _replace_validation(ws: Worksheet, column: int, validation: DataValidation) -> None:
    ws.data_validations.dataValidation = [
        dv for dv in ws.data_validations.dataValidation if not _only_column(dv.sqref, column)
    ]
    ws.add_data_validation(validation)



def _write_rows(ws: Worksheet, columns: Sequence[c.Column], rows: Iterable[Sequence[object]]) -> int:
    """Replace every row under the header of a small openpyxl sheet with ``rows``; returns how many."""
    old_last = ws.max_row
    count = 0
    for count, values in enumerate(rows, start=1):
        for position, (column, value) in enumerate(zip(columns, values), start=1):
            cell = ws.cell(count + 1, position)
            put(cell, value, column)
            cell.alignment = WRAP if column.wrap else TOP
    if old_last > count + 1:
        ws.delete_rows(count + 2, old_last - count - 1)
    return count


def _fit_table(ws: Worksheet, name: str, headers: Sequence[str], rows: int) -> None:
    ref = f"A1:{get_column_letter(len(headers))}{max(rows + 1, 2)}"
    table = ws.tables.get(name)
    if table is None:
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
    table.ref = ref
    # Named explicitly: left empty, openpyxl would build a cell object for every cell of the table to find them.
    table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)]
    if table.autoFilter is not None:
        table.autoFilter.ref = ref


def _style_sheet(ws: Worksheet, columns: Sequence[c.Column]) -> None:
    for position, column in enumerate(columns, start=1):
        cell = ws.cell(1, position, column.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(position)].width = column.width
    ws.freeze_panes = "A2"
    landscape_fit_to_width(ws)
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4


def _make_list_sheet(book: Workbook, name: str, columns: Sequence[c.Column]) -> Worksheet:
    ws = book.create_sheet(name)
    _style_sheet(ws, columns)
    _fit_table(ws, c.table_name(name), [col.header for col in columns], 0)
    return ws


def blank_book() -> Workbook:
    """The openpyxl book of an empty ``.xlsx`` master (the ribbon workbook's builder starts from it)."""
    return MasterWorkbook.create(Path("blank.xlsx")).book


def new_book() -> Workbook:
    """An empty master with every sheet of the contract, styled, in order."""
    book = Workbook()
    register = book.active
    register.title = c.REGISTER
    _style_sheet(register, c.REGISTER_COLUMNS)
    register.freeze_panes = "C2"
    register.row_dimensions[1].height = REGISTER_HEADER_HEIGHT
    _fit_table(register, c.REGISTER_TABLE, [col.header for col in c.REGISTER_COLUMNS], 0)
    summary = book.create_sheet(c.SUMMARY)
    summary["A1"] = "Summary"
    summary["A1"].font = Font(bold=True, size=14)
    summary["A2"] = "Run 'Refresh summary' (or 'ragbook summary') to build the dashboard."
    for name in c.SHEET_ORDER[2:]:
        _make_list_sheet(book, name, c.LIST_SHEETS[name])
    book[c.EXCEPTIONS].sheet_properties.tabColor = "C00000"
    return book


def _verify_saved(path: Path) -> None:
    """The file just written must be an intact package holding the Register header, or the old master is kept."""
    with zipfile.ZipFile(path) as archive:
        broken = archive.testzip()
        if broken is not None:
            raise InputError(f"{path}: part {broken} of the written file is damaged.")
    book = load_workbook(path, read_only=True, keep_vba=False)
    try:
        if c.REGISTER not in book.sheetnames:
            raise InputError(f"{path}: the written file has no Register sheet.")
        ws = book[c.REGISTER]
        header = [cell.value for cell in next(ws.iter_rows(min_row=1, max_row=1))]
        if header[: len(c.REGISTER_COLUMNS)] != [col.header for col in c.REGISTER_COLUMNS]:
            raise InputError(f"{path}: the written file's Register header is not the contract's.")
    finally:
        book.close()
