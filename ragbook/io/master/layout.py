"""How the master's sheets look: header styles, tables, dropdowns and rating rules, set through openpyxl.

These are the parts of a master openpyxl still handles after the list sheets' rows went to ``sheetxml``: the
header row of each sheet, its table's extent and columns, the Register's validation and colour rules. A new
master is built from them, and an opened one has them brought up to date.
"""

from __future__ import annotations

from typing import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.filters import AutoFilter
from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet

from ...core.ratings import RatingIndex
from ...core.round import DEFAULT_ROUND
from ...core.settings import DEFAULT_SETTINGS
from ..sheets import contract as c
from ..sheets.printing import capacity, row_points
from ..sheets.records import round_values, settings_values
from ..xlsx.cells import add_rating_rules, font, print_to_scale, put

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = font(bold=True, color="FFFFFF")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
CENTRE = Alignment(horizontal="center", vertical="top")
REGISTER_HEADER_HEIGHT = 30
UNRATED_FILL = PatternFill("solid", fgColor="D9D9D9", bgColor="D9D9D9")
# The columns repeated on each page of a sheet printed more than one page wide.
TITLE_COLUMNS = {c.REGISTER: "A:B", c.HELD_UPDATES: "A:E"}
SEVERITY_AREA = "A2:A1048576"
SEVERITY_LOOKS = {"error": ("C00000", "FFFFFF"), "warning": ("FFC000", "000000")}


def columns_of(sheet: str) -> Sequence[c.Column]:
    """The contract's columns of a streamed sheet; none for machine data such as the ledger."""
    return c.REGISTER_COLUMNS if sheet == c.REGISTER else c.LIST_SHEETS.get(sheet, ())


def _only_column(sqref: object, column: int) -> bool:
    ranges = list(getattr(sqref, "ranges", []))
    return bool(ranges) and all(r.min_col == r.max_col == column for r in ranges)


def replace_rating_rules(ws: Worksheet, column: int, area: str, index: RatingIndex) -> None:
    """Drop earlier colour rules on the rating column (ragbook's own) and add one rule per rating."""
    kept = type(ws.conditional_formatting)()
    for rng in ws.conditional_formatting:
        if not _only_column(rng.sqref, column):
            for rule in rng.rules:
                kept.add(str(rng.sqref), rule)
    ws.conditional_formatting = kept
    add_rating_rules(ws, area, index)
    # An action with no rating is marked grey, as the Summary and the report show "Unrated".
    first = area.split(":", 1)[0]
    ws.conditional_formatting.add(area, FormulaRule(formula=[f"LEN(TRIM({first}))=0"], fill=UNRATED_FILL))


def replace_validation(ws: Worksheet, column: int, validation: DataValidation) -> None:
    ws.data_validations.dataValidation = [
        dv for dv in ws.data_validations.dataValidation if not _only_column(dv.sqref, column)
    ]
    ws.add_data_validation(validation)


def write_rows(ws: Worksheet, columns: Sequence[c.Column], rows: Iterable[Sequence[object]]) -> int:
    """Replace every row under the header of a small openpyxl sheet with ``rows``; returns how many."""
    old_last = ws.max_row
    count = 0
    wrapped = [(i, capacity(col.width)) for i, col in enumerate(columns) if col.wrap]
    for count, values in enumerate(rows, start=1):
        for position, (column, value) in enumerate(zip(columns, values), start=1):
            cell = ws.cell(count + 1, position)
            put(cell, value, column)
            cell.alignment = WRAP if column.wrap else TOP
        # A wrapped text's row is made tall enough to print it: LibreOffice and some printers do not grow it.
        ws.row_dimensions[count + 1].height = row_points(list(values), wrapped)
    if old_last > count + 1:
        ws.delete_rows(count + 2, old_last - count - 1)
    return count


def fit_table(ws: Worksheet, name: str, headers: Sequence[str], rows: int) -> None:
    ref = f"A1:{get_column_letter(len(headers))}{max(rows + 1, 2)}"
    table = ws.tables.get(name)
    if table is None:
        table = Table(displayName=name, ref=ref)
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        ws.add_table(table)
    table.ref = ref
    # Named explicitly: left empty, openpyxl would build a cell object for every cell of the table to find them.
    table.tableColumns = [TableColumn(id=i, name=h) for i, h in enumerate(headers, start=1)]
    # Filter buttons on the header row, as Excel gives every table it makes.
    if table.autoFilter is None:
        table.autoFilter = AutoFilter(ref=ref)
    table.autoFilter.ref = ref


def print_setup(ws: Worksheet, name: str, marking: str = "") -> float:
    """How a list sheet prints (see ``cells.print_to_scale``): set on every save, so older masters follow.
    ``marking`` (the protective marking) heads every page; the foot names the sheet and the page."""
    columns = columns_of(name)
    # The widths the sheet has (a person may have widened a column), else the contract's.
    widths = [ws.column_dimensions[get_column_letter(i)].width or col.width for i, col in enumerate(columns, start=1)]
    scale = print_to_scale(ws, widths, title_columns=TITLE_COLUMNS.get(name))
    ws.print_options.gridLines = False
    if marking:
        ws.oddHeader.center.text = marking
    ws.oddFooter.center.text = f"{name}, page &P of &N"
    if name == c.EXCEPTIONS:
        _severity_rules(ws)
    return scale


def _severity_rules(ws: Worksheet) -> None:
    """Errors red and warnings amber in the Severity column, by rules over the whole column (so the live
    workbook's rewrites of the rows keep them)."""
    if any(str(rng.sqref) == SEVERITY_AREA for rng in ws.conditional_formatting):
        return
    for word, (fill, colour) in SEVERITY_LOOKS.items():
        ws.conditional_formatting.add(SEVERITY_AREA, CellIsRule(
            operator="equal", formula=[f'"{word}"'], fill=PatternFill("solid", fgColor=fill, bgColor=fill),
            font=font(bold=True, color=colour)))


def _style_sheet(ws: Worksheet, columns: Sequence[c.Column]) -> None:
    for position, column in enumerate(columns, start=1):
        cell = ws.cell(1, position, column.header)
        cell.fill, cell.font = HEADER_FILL, HEADER_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(position)].width = column.width
    ws.freeze_panes = "A2"
    print_setup(ws, ws.title)


def make_list_sheet(book: Workbook, name: str, columns: Sequence[c.Column]) -> Worksheet:
    ws = book.create_sheet(name)
    _style_sheet(ws, columns)
    rows = 0
    if name == c.SETTINGS:  # every setting named, its value blank: the defaults hold until someone fills it in
        rows = write_rows(ws, columns, [[label, None, purpose] for label, _, purpose in settings_values(DEFAULT_SETTINGS)])
    if name == c.ROUND:
        rows = write_rows(ws, columns, round_values(DEFAULT_ROUND))
    fit_table(ws, c.table_name(name), [col.header for col in columns], rows)
    return ws


def new_book() -> Workbook:
    """An empty master with every sheet of the contract, styled, in order."""
    book = Workbook()
    register = book.active
    register.title = c.REGISTER
    _style_sheet(register, c.REGISTER_COLUMNS)
    register.freeze_panes = "C2"
    register.row_dimensions[1].height = REGISTER_HEADER_HEIGHT
    fit_table(register, c.REGISTER_TABLE, [col.header for col in c.REGISTER_COLUMNS], 0)
    summary = book.create_sheet(c.SUMMARY)
    summary["A1"] = "Summary"
    summary["A1"].font = font(bold=True, size=14)
    summary["A2"] = "Run 'Refresh summary' (or 'ragbook summary') to build the dashboard."
    for name in c.SHEET_ORDER[2:]:
        make_list_sheet(book, name, c.LIST_SHEETS[name])
    book[c.EXCEPTIONS].sheet_properties.tabColor = "C00000"
    return book
