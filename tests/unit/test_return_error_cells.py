"""Excel error cells (#N/A, #DIV/0!...) in a returned row: reported, cell by cell, never read as blanks."""

from __future__ import annotations

from datetime import date, datetime

from ragbook.core.consolidate import consolidate_return, locked_values
from ragbook.core.ledger import Ledger, LedgerEntry
from ragbook.core.model import Action, Agency, Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.core.returns import Identity, ReturnContent, ReturnRow, check_inputs

ACTION = Action("SCR", "1.2", "Rec", "Do more", "Police", date(2026, 3, 31), None, "", "", "A")
OTHER = Action("SCR", "1.3", "Rec", "And more", "Police", date(2026, 3, 31), None, "", "", "A")


def row(number: int, action: Action, inputs: tuple, errors: dict[int, str] | None = None) -> ReturnRow:
    return ReturnRow(number, tuple(locked_values(action)) + inputs, frozenset(), errors or {})


def test_an_error_in_an_input_refuses_the_row_naming_column_cell_and_error() -> None:
    check = check_inputs(row(4, ACTION, (None, "Done", None, None, "Jo"), {8: "#N/A", 11: "#DIV/0!"}), DEFAULT_INDEX)
    assert check.submission is None
    assert check.errors == (
        "row 4: New Rating (I4) holds the Excel error #N/A, not a rating; type the value itself",
        "row 4: Revised Date (L4) holds the Excel error #DIV/0!, not a date; type the value itself")


def test_a_row_without_errors_reads_as_before() -> None:
    assert check_inputs(row(4, ACTION, ("G", "Done", None, None, "Jo")), DEFAULT_INDEX).submission.rag == "G"


def test_a_return_with_an_error_cell_applies_its_other_rows() -> None:
    register = Register(DEFAULT_INDEX, [ACTION, OTHER], [Agency("Police")])
    ledger = Ledger("k" * 32)
    return_id = ledger.return_id(1, "Police")
    ledger.entries += [LedgerEntry(return_id, 1, "Police", date(2026, 1, 5), None, a.review, a.ref, n,
                                   ledger.row_hash(locked_values(a))) for n, a in enumerate([ACTION, OTHER], start=1)]
    identity = Identity(return_id, "Police", 1, date(2026, 1, 5))
    rows = (row(2, ACTION, ("G", None, None, None, None), {8: "#REF!"}), row(3, OTHER, ("R", "Late", None, None, None)))
    content = ReturnContent("police.xlsx", (("props", identity), ("sheet", identity)), rows)
    outcome = consolidate_return(register, ledger, content, datetime(2026, 2, 1))
    assert outcome.status == "Partly accepted"
    assert any("New Rating (I2) holds the Excel error #REF!" in reason for reason in outcome.reasons)
    assert [a.rag for a in register.actions] == ["A", "R"]
