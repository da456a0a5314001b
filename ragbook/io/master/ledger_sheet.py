"""The hidden ``Returns Ledger`` sheet of the master (see ``core.ledger`` for what it holds and why).

It is very hidden (not listed under Unhide in Excel) because the business team never edits it: it holds the
key of the row hashes and every return's issued and received content. It grows by one row per issued action
per round, so ``MasterWorkbook`` streams it like the list sheets. Dates are written as ISO text: the sheet is
machine data.
"""

from __future__ import annotations

from datetime import date, datetime

from openpyxl import Workbook

from ...core.ledger import LEDGER_SHEET, Ledger, ledger_rows


def ledger_values(ledger: Ledger) -> list[list[object]]:
    """The sheet's rows: plain values, dates as ISO text."""
    return [[_plain(v) for v in values] for values in ledger_rows(ledger)]


def add_sheet(book: Workbook) -> None:
    """An empty, very hidden ledger sheet at the end; its rows are streamed in on saving."""
    ws = book.create_sheet(LEDGER_SHEET)
    ws.sheet_state = "veryHidden"


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return value or None
    return value
