"""The hidden ``Returns Ledger`` sheet of the master (see ``core.ledger`` for what it holds and why).

It is very hidden (not listed under Unhide in Excel) because the business team never edits it: it holds the
key of the row hashes and every return's issued and received content. Dates are written as ISO text: the
sheet is machine data, and text needs no per-cell number format (which costs openpyxl a style lookup per
cell, seconds at 20,000 actions).
"""

from __future__ import annotations

from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ...core.ledger import LEDGER_SHEET, Ledger, ledger_rows, parse_ledger


def read_ledger(book: Workbook) -> Ledger:
    if LEDGER_SHEET not in book.sheetnames:
        return Ledger()
    return parse_ledger(list(book[LEDGER_SHEET].iter_rows(values_only=True)))


def write_ledger(book: Workbook, ledger: Ledger) -> None:
    position = None
    if LEDGER_SHEET in book.sheetnames:
        position = book.sheetnames.index(LEDGER_SHEET)
        book.remove(book[LEDGER_SHEET])
    ws = book.create_sheet(LEDGER_SHEET, position)
    ws.sheet_state = "veryHidden"
    formula_like = []
    for number, values in enumerate(ledger_rows(ledger), start=1):
        row = [_plain(v) for v in values]
        ws.append(row)
        formula_like += [(number, column) for column, v in enumerate(row, start=1)
                         if isinstance(v, str) and v.startswith("=")]
    for number, column in formula_like:  # text, never a formula: a progress note may start with "="
        cell = ws.cell(number, column)
        cell.data_type = "s"


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value) or None
    return value
