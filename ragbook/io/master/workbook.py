"""The master workbook on disk, read and written with openpyxl.

``MasterWorkbook.open`` refuses a master Excel has open, a file that is not a workbook, and one missing a
contract sheet, before anything is changed; ``save`` goes through ``save.save_atomically`` so a crash never
leaves a half-written master. Both ``.xlsx`` and ``.xlsm`` masters are handled: an ``.xlsm`` is loaded with
``keep_vba`` so its VBA project and ribbon survive.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ...core.errors import InputError
from ...core.model import Action, Agency, Register
from ...core.ratings import DEFAULT_INDEX, Rating, RatingIndex
from ...core.rules import FIELD_LABELS, Finding
from . import contract as c
from .cells import date_of, put, text_of
from .save import check_not_open, save_atomically
from ..files import ENCRYPTED_OLE, XLSM, XLSX, check_package, describe_kind, refuse_password, sniff

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
ERROR_NOTE_FILL = "FFC7CE"


@dataclass
class MasterWorkbook:
    path: Path
    book: Workbook

    @property
    def name(self) -> str:
        return str(self.path)

    # ----------------------------------------------------------------- opening and saving
    @classmethod
    def create(cls, path: Path, index: RatingIndex = DEFAULT_INDEX) -> MasterWorkbook:
        if path.suffix.lower() not in {".xlsx", ".xlsm"}:
            raise InputError(f"{path}: a master must be an .xlsx or .xlsm workbook.")
        master = cls(path, new_book())
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
        check_package(path)
        try:
            book = load_workbook(path, keep_vba=(kind == XLSM), rich_text=False)
        except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError) as exc:
            raise InputError(f"{path}: cannot be opened as a workbook ({exc.__class__.__name__}: {exc}).") from None
        missing = [name for name in (c.REGISTER, c.RATING_INDEX) if name not in book.sheetnames]
        if missing:
            raise InputError(f"{path}: has no {' or '.join(repr(m) for m in missing)} sheet, so it is not a ragbook "
                             f"master; create one with 'ragbook new'.")
        master = cls(path, book)
        master._ensure_sheets()
        return master

    def save(self) -> None:
        save_atomically(self.book, self.path, verify=_verify_saved)

    def _ensure_sheets(self) -> None:
        """Add any contract sheet an older master lacks (they are all lists, safe to add empty)."""
        for name, columns in c.LIST_SHEETS.items():
            if name not in self.book.sheetnames:
                _make_list_sheet(self.book, name, columns)
        if c.SUMMARY not in self.book.sheetnames:
            self.book.create_sheet(c.SUMMARY, 1)

    def sheet(self, name: str) -> Worksheet:
        return self.book[name]

    # ----------------------------------------------------------------- reading
    def read_index(self) -> RatingIndex:
        ratings = []
        for row_number, row in self._list_rows(c.RATING_INDEX):
            code, label, meaning, fill, font = (text_of(row.get(h)).strip() for h in ("Code", "Label", "Meaning", "Fill", "Font"))
            if not code and not label:
                continue
            try:
                ratings.append(Rating(code or label[:1].upper(), label or code, meaning, fill or "D9D9D9", font or "000000"))
            except ValueError as exc:
                raise InputError(f"{self.path}: sheet '{c.RATING_INDEX}' row {row_number}: {exc}.") from None
        try:
            return RatingIndex(tuple(ratings))
        except ValueError as exc:
            raise InputError(f"{self.path}: sheet '{c.RATING_INDEX}': {exc}; fix the index before going on.") from None

    def read_agencies(self) -> list[Agency]:
        agencies = []
        for _, row in self._list_rows(c.AGENCIES):
            name = text_of(row.get("Agency")).strip()
            if name:
                agencies.append(Agency(name, text_of(row.get("Contact")).strip(), text_of(row.get("Email")).strip()))
        return agencies

    def read_register(self) -> Register:
        ws = self.book[c.REGISTER]
        headers = _header_map(ws)
        missing = [col.header for col in c.REGISTER_COLUMNS if col.header not in headers]
        if missing:
            raise InputError(f"{self.path}: sheet '{c.REGISTER}' has no {', '.join(missing)} column; restore the "
                             f"header row (row 1).")
        actions = []
        for values in ws.iter_rows(min_row=2, max_col=ws.max_column, values_only=True):
            fields = {}
            for col in c.REGISTER_COLUMNS:
                raw = values[headers[col.header] - 1] if headers[col.header] - 1 < len(values) else None
                if col.kind == "date":
                    fields[col.attribute] = date_of(raw)
                elif col.kind == "datetime":
                    fields[col.attribute] = raw if raw not in ("",) else None
                else:
                    fields[col.attribute] = text_of(raw)
            if not any(v not in (None, "") for v in fields.values()):
                continue
            actions.append(Action(**fields))
        return Register(self.read_index(), actions, self.read_agencies())

    def _list_rows(self, sheet: str) -> Iterable[tuple[int, dict[str, object]]]:
        ws = self.book[sheet]
        headers = _header_map(ws)
        for number, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
            if all(v in (None, "") for v in values):
                continue
            yield number, {h: values[i - 1] for h, i in headers.items() if i - 1 < len(values)}

    def read_list(self, sheet: str) -> list[dict[str, object]]:
        return [row for _, row in self._list_rows(sheet)]

    # ----------------------------------------------------------------- writing
    def write_register(self, register: Register) -> None:
        ws = self.book[c.REGISTER]
        _write_rows(ws, c.REGISTER_COLUMNS, ([getattr(a, col.attribute) for col in c.REGISTER_COLUMNS] for a in register.actions))
        for row in ws.iter_rows(min_row=2, min_col=2, max_col=2):
            row[0].number_format = "@"  # refs such as 1.10 must never turn into the number 1.1
        _fit_table(ws, c.REGISTER_TABLE, len(c.REGISTER_COLUMNS), len(register.actions))
        _fit_row_heights(ws, c.REGISTER_COLUMNS, register.actions)
        self._date_validation(len(register.actions))
        self.write_agencies(register.agencies)

    def write_index(self, index: RatingIndex) -> None:
        ws = self.book[c.RATING_INDEX]
        _write_rows(ws, c.RATING_INDEX_COLUMNS, ([r.code, r.label, r.meaning, r.fill, r.font] for r in index.ratings))
        _fit_table(ws, c.table_name(c.RATING_INDEX), 5, len(index.ratings))
        for row_number, rating in enumerate(index.ratings, start=2):
            for col in (1, 2):
                cell = ws.cell(row_number, col)
                cell.fill = PatternFill("solid", fgColor=rating.fill)
                cell.font = Font(color=rating.font, bold=True)

    def write_agencies(self, agencies: Sequence[Agency]) -> None:
        self.write_list(c.AGENCIES, ([a.name, a.contact, a.email] for a in agencies))

    def write_list(self, sheet: str, rows: Iterable[Sequence[object]]) -> None:
        columns = c.LIST_SHEETS[sheet]
        ws = self.book[sheet]
        count = _write_rows(ws, columns, rows)
        _fit_table(ws, c.table_name(sheet), len(columns), count)

    def append_list(self, sheet: str, rows: Iterable[Sequence[object]]) -> None:
        existing = [[row.get(col.header) for col in c.LIST_SHEETS[sheet]] for row in self.read_list(sheet)]
        self.write_list(sheet, existing + [list(r) for r in rows])

    def write_exceptions(self, findings: Sequence[Finding]) -> None:
        self.write_list(c.EXCEPTIONS, ([f.severity, f.rule, f.review, f.ref, f.field, f.message] for f in findings))

    def mark_findings(self, register: Register, findings: Sequence[Finding]) -> int:
        """Put a note on each offending Register cell, and take away the notes of problems now fixed."""
        ws = self.book[c.REGISTER]
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                if cell.comment is not None and cell.comment.author == c.NOTE_AUTHOR:
                    cell.comment = None
        headers = _header_map(ws)
        row_of: dict[tuple[str, str], int] = {}
        for number, action in enumerate(register.actions, start=2):
            row_of.setdefault((action.review, action.ref), number)
        notes: dict[tuple[int, int], list[str]] = {}
        for f in findings:
            row = row_of.get((f.review, f.ref))
            column = headers.get(f.field)
            if row is None or column is None:
                continue
            notes.setdefault((row, column), []).append(f"{f.severity.upper()} {f.rule}: {f.message}")
        for (row, column), lines in notes.items():
            note = Comment("\n".join(lines), c.NOTE_AUTHOR)
            note.width, note.height = 320, 40 + 30 * len(lines)
            ws.cell(row, column).comment = note
        return len(notes)

    def apply_colours(self, register: Register) -> dict[str, int]:
        """Colour every rating from the index, add the dropdown and the live recolouring rules."""
        ws = self.book[c.REGISTER]
        index = register.index
        column = _header_map(ws)[FIELD_LABELS["rag"]]
        letter = get_column_letter(column)
        last = max(len(register.actions) + 1, 2)
        counts: dict[str, int] = {}
        for row in ws.iter_rows(min_row=2, max_row=len(register.actions) + 1, min_col=column, max_col=column):
            cell = row[0]
            rating = index.get(text_of(cell.value).strip())
            if rating is None:
                cell.fill = PatternFill(fill_type=None)
                cell.font = Font()
                counts["unrated or unknown"] = counts.get("unrated or unknown", 0) + 1
            else:
                cell.fill = PatternFill("solid", fgColor=rating.fill)
                cell.font = Font(color=rating.font, bold=True)
                counts[rating.label] = counts.get(rating.label, 0) + 1
            cell.alignment = Alignment(horizontal="center", vertical="top")
        area = f"{letter}2:{letter}{last}"
        _replace_rating_rules(ws, letter, area, index)
        _replace_validation(ws, letter, DataValidation(
            type="list", formula1=_list_formula(index), allow_blank=True, showErrorMessage=True,
            errorTitle="Rating", error=f"Choose one of the ratings on the {c.RATING_INDEX} sheet.",
            promptTitle="Rating", prompt=" / ".join(f"{r.code} = {r.label}" for r in index.ratings),
            showInputMessage=True, sqref=area))
        self.write_index(index)
        return counts

    def _date_validation(self, rows: int) -> None:
        ws = self.book[c.REGISTER]
        headers = _header_map(ws)
        for header in (FIELD_LABELS["target_date"], FIELD_LABELS["revised_date"]):
            letter = get_column_letter(headers[header])
            _replace_validation(ws, letter, DataValidation(
                type="date", operator="greaterThan", formula1="DATE(2000,1,1)", allow_blank=True,
                showErrorMessage=True, errorTitle="Date", error="Enter a date, such as 31/03/2026.",
                sqref=f"{letter}2:{letter}{max(rows + 1, 2)}"))


def _list_formula(index: RatingIndex) -> str:
    """The dropdown lists the codes; Excel limits an inline list to 255 characters."""
    return '"' + ",".join(index.codes) + '"'


def _replace_rating_rules(ws: Worksheet, letter: str, area: str, index: RatingIndex) -> None:
    """Drop earlier colour rules on the rating column (ragbook's own) and add one rule per rating."""
    kept = type(ws.conditional_formatting)()
    for rng in ws.conditional_formatting:
        if not str(rng.sqref).startswith(f"{letter}2:"):
            for rule in rng.rules:
                kept.add(str(rng.sqref), rule)
    ws.conditional_formatting = kept
    for rating in index.ratings:
        escaped = rating.code.replace('"', '""')
        ws.conditional_formatting.add(area, CellIsRule(
            operator="equal", formula=[f'"{escaped}"'],
            fill=PatternFill("solid", fgColor=rating.fill, bgColor=rating.fill),
            font=Font(color=rating.font, bold=True)))


def _replace_validation(ws: Worksheet, letter: str, validation: DataValidation) -> None:
    ws.data_validations.dataValidation = [
        dv for dv in ws.data_validations.dataValidation if not str(dv.sqref).startswith(f"{letter}2:")
    ]
    ws.add_data_validation(validation)


def _header_map(ws: Worksheet) -> dict[str, int]:
    headers = {}
    for cell in next(ws.iter_rows(min_row=1, max_row=1), ()):
        if cell.value not in (None, ""):
            headers.setdefault(str(cell.value).strip(), cell.column)
    return headers


def _write_rows(ws: Worksheet, columns: Sequence[c.Column], rows: Iterable[Sequence[object]]) -> int:
    """Replace every row under the header with ``rows``, styled by column; returns how many were written."""
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


def _fit_row_heights(ws: Worksheet, columns: Sequence[c.Column], actions: Sequence[Action]) -> None:
    """Set each row tall enough for its wrapped text: not every spreadsheet program fits rows on opening."""
    wrapped = [col for col in columns if col.wrap]
    for number, action in enumerate(actions, start=2):
        lines = 1
        for col in wrapped:
            text = text_of(getattr(action, col.attribute))
            chars_per_line = max(col.width * 1.15, 1)
            lines = max(lines, sum(max(1, -(-len(part) // int(chars_per_line))) for part in text.split("\n")))
        ws.row_dimensions[number].height = min(409, 15 * lines + 3)


def _fit_table(ws: Worksheet, name: str, width: int, rows: int) -> None:
    ref = f"A1:{get_column_letter(width)}{max(rows + 1, 2)}"
    table = ws.tables.get(name)
    if table is None:
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
    table.ref = ref
    if table.autoFilter is not None:
        table.autoFilter.ref = ref


def _style_sheet(ws: Worksheet, columns: Sequence[c.Column]) -> None:
    for position, column in enumerate(columns, start=1):
        cell = ws.cell(1, position, column.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(position)].width = column.width
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.4


def _make_list_sheet(book: Workbook, name: str, columns: Sequence[c.Column]) -> Worksheet:
    ws = book.create_sheet(name)
    _style_sheet(ws, columns)
    _fit_table(ws, c.table_name(name), len(columns), 0)
    return ws


def new_book() -> Workbook:
    """An empty master with every sheet of the contract, styled, in order."""
    book = Workbook()
    register = book.active
    register.title = c.REGISTER
    _style_sheet(register, c.REGISTER_COLUMNS)
    register.freeze_panes = "C2"
    register.row_dimensions[1].height = 30
    _fit_table(register, c.REGISTER_TABLE, len(c.REGISTER_COLUMNS), 0)
    summary = book.create_sheet(c.SUMMARY)
    summary["A1"] = "Summary"
    summary["A1"].font = Font(bold=True, size=14)
    summary["A2"] = "Run 'Refresh summary' (or 'ragbook summary') to build the dashboard."
    for name in c.SHEET_ORDER[2:]:
        _make_list_sheet(book, name, c.LIST_SHEETS[name])
    book[c.EXCEPTIONS].sheet_properties.tabColor = "C00000"
    return book


def _verify_saved(path: Path) -> None:
    """The file just written must open and hold the Register header, or the old master is kept."""
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
