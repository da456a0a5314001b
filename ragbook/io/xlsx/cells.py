"""Writing and reading single values the way the contract wants them, whatever a person typed."""

from __future__ import annotations

from datetime import date, datetime

from openpyxl.cell.cell import Cell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ...core.errors import InputError
from ...core.limits import CELL_TEXT_MAX
from ..sheets.contract import Column
from ..sheets.values import DATE_FORMAT, DATETIME_FORMAT


def put(cell: Cell, value: object, column: Column | None = None) -> None:
    """Write ``value``; text always stays text (a progress note starting with ``=`` must never run as a formula)."""
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        if len(value) > CELL_TEXT_MAX:  # openpyxl would cut it without a word: the file would differ from the plan
            raise InputError(f"sheet '{cell.parent.title}' cell {cell.coordinate}: a text of {len(value):,} "
                             f"characters is more than an Excel cell holds ({CELL_TEXT_MAX:,}); nothing was written.")
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



def style_id(book, **style: object) -> int:
    """The cellXfs index openpyxl will write for this combination of font, fill, alignment and format (cells
    ragbook writes as XML text name their style by it)."""
    cell = Cell(book.active)
    for attribute, value in style.items():
        setattr(cell, attribute, value)
    return cell.style_id


def drop_empty_protection(book) -> None:
    """An empty ``<workbookProtection/>`` (openpyxl writes one for a new book) protects nothing; Excel flags it."""
    if book.security is not None and not any(vars(book.security).values()):
        book.security = None


# ---------------------------------------------------------------------------- printing
# Every font ragbook sets names its face and size: a font without a name prints in whatever the spreadsheet
# program falls back to (a serif face, in LibreOffice), beside the body text's Calibri.
FONT_NAME, BODY_PT = "Calibri", 11
MIN_PRINT_PT = 9  # no text smaller than this on paper


def font(**style: object):
    """An openpyxl ``Font`` in the workbook's face and size unless told otherwise (``size=16``, ``bold=True``)."""
    from openpyxl.styles import Font  # noqa: PLC0415

    style.setdefault("name", FONT_NAME)
    style.setdefault("size", BODY_PT)
    return Font(**style)


def print_to_scale(ws, widths, *, title_rows: str | None = "1:1", title_columns: str | None = None,
                   smallest_pt: float = BODY_PT) -> float:
    """A4 landscape, the header row repeated; one page wide only when that keeps every font at 9 pt or more.

    A sheet too wide for that is printed at the largest scale keeping 9 pt (over, then down), with
    ``title_columns`` (such as ``A:B``) repeated on each page so every page still names its rows. Returns
    the print scale (1 = 100%).
    """
    from ..sheets.printing import HEADER_MARGIN, SIDE_MARGIN, TOP_MARGIN, fit_scale  # noqa: PLC0415

    if title_rows:
        ws.print_title_rows = title_rows
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    margins = ws.page_margins
    margins.left = margins.right = SIDE_MARGIN
    margins.top = margins.bottom = TOP_MARGIN
    margins.header = margins.footer = HEADER_MARGIN
    scale = fit_scale(widths)
    if smallest_pt * scale >= MIN_PRINT_PT:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.page_setup.scale = None
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        return scale
    readable = -(-100 * MIN_PRINT_PT // smallest_pt) / 100  # the smallest scale keeping 9 pt, rounded up
    ws.sheet_properties.pageSetUpPr.fitToPage = False
    ws.page_setup.fitToWidth = ws.page_setup.fitToHeight = None
    ws.page_setup.scale = int(round(readable * 100))
    ws.page_setup.pageOrder = "overThenDown"
    if title_columns:
        ws.print_title_cols = title_columns
    return readable


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
