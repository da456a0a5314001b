"""The hidden ``Returns Ledger`` sheet of the master (see ``core.ledger`` for what it holds and why).

It is very hidden (not listed under Unhide in Excel) because the business team never edits it: it holds the
key of the row hashes and every return's issued and received content.
"""

from __future__ import annotations

from openpyxl import Workbook

from ...core.ledger import LEDGER_HEADERS, LEDGER_SHEET, Ledger, ledger_rows, parse_ledger
from .cells import put

_DATE_COLUMNS = {LEDGER_HEADERS.index(h) + 1 for h in ("Issued", "Due", "Revised Date")}
_DATETIME_COLUMNS = {LEDGER_HEADERS.index("Received") + 1}


def read_ledger(book: Workbook) -> Ledger:
    if LEDGER_SHEET not in book.sheetnames:
        return Ledger()
    return parse_ledger(list(book[LEDGER_SHEET].iter_rows(values_only=True)))


def write_ledger(book: Workbook, ledger: Ledger) -> None:
    if LEDGER_SHEET in book.sheetnames:
        ws = book[LEDGER_SHEET]
        ws.delete_rows(1, ws.max_row)
    else:
        ws = book.create_sheet(LEDGER_SHEET)
    ws.sheet_state = "veryHidden"
    for number, values in enumerate(ledger_rows(ledger), start=1):
        for column, value in enumerate(values, start=1):
            cell = ws.cell(number, column)
            put(cell, value)
            if number > 2 and column in _DATE_COLUMNS:
                cell.number_format = "dd/mm/yyyy"
            elif number > 2 and column in _DATETIME_COLUMNS:
                cell.number_format = "dd/mm/yyyy hh:mm:ss"
