"""The returns ledger as values: it survives its sheet's rows."""

from __future__ import annotations

from datetime import date

from ragbook.core.ledger import Ledger, LedgerEntry, ledger_rows, parse_ledger


def test_the_ledger_survives_its_sheet_round_trip() -> None:
    ledger = Ledger("ab" * 16, [LedgerEntry("R001-Police-ABCDEF", 1, "Police", date(2026, 1, 5), None, "SCR", "1.10",
                                            1, "f" * 32, progress="=SUM(A1)", revised_date=date(2026, 3, 31))])
    assert parse_ledger(ledger_rows(ledger)) == ledger
    assert parse_ledger([]) == Ledger()
