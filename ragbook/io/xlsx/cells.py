"""Writing and reading single values the way the contract wants them, whatever a person typed."""

from __future__ import annotations

from datetime import date, datetime

from openpyxl.cell.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ..sheets.contract import Column
from ..sheets.values import DATE_FORMAT, DATETIME_FORMAT


def put(cell: Cell, value: object, column: Column | None = None) -> None:
    """Write ``value``; text always stays text (a progress note starting with ``=`` must never run as a formula)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value or None
        formula_like = value.startswith("=")
        if formula_like:
            cell.data_type = "s"
        if cell.quotePrefix != formula_like:
            cell.quotePrefix = formula_like
        return
    cell.value = value
    if isinstance(value, datetime):
        cell.number_format = DATETIME_FORMAT if value.time() != datetime.min.time() else DATE_FORMAT
    elif isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif column is not None and column.kind == "date" and value is None:
        cell.number_format = DATE_FORMAT



def landscape_fit_to_width(ws) -> None:
    """Print setup shared by every sheet a person prints: A4 landscape, one page wide, header row repeated."""
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def add_rating_rules(ws, area: str, index) -> None:
    """One conditional-format rule per rating of ``index`` over ``area``: a rating typed by hand in Excel
    takes its index colours at once (the Register's rating column, a return's rating columns)."""
    from openpyxl.formatting.rule import CellIsRule  # noqa: PLC0415
    from openpyxl.styles import Font, PatternFill  # noqa: PLC0415

    for rating in index.ratings:
        escaped = rating.code.replace('"', '""')
        ws.conditional_formatting.add(area, CellIsRule(
            operator="equal", formula=[f'"{escaped}"'],
            fill=PatternFill("solid", fgColor=rating.fill, bgColor=rating.fill),
            font=Font(color=rating.font, bold=True)))
