"""The pure rules of consolidation, on values built in memory (no files)."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from ragbook.core.consolidate import consolidate_return, locked_values
from ragbook.core.limits import CELL_TEXT_MAX
from ragbook.core.ledger import APPLIED, Ledger, LedgerEntry, keyed_hash
from ragbook.core.model import Action, Agency, Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.core.returns import (RETURN_HEADERS, Identity, ReturnContent, ReturnRow, check_inputs,
                                  column_letter)

WHEN = datetime(2026, 2, 1)
SHARED = Action("SCR", "1.1", "Rec", "Do it", "Police; Health", date(2026, 3, 31), None, "Started", "", "G")
POLICE_ONLY = Action("SCR", "1.2", "Rec", "Do more", "Police", date(2026, 3, 31), None, "", "", "A")


def setup() -> tuple[Register, Ledger]:
    register = Register(DEFAULT_INDEX, [SHARED, POLICE_ONLY], [Agency("Police"), Agency("Health")])
    ledger = Ledger("k" * 32)
    for agency, actions in (("Police", [SHARED, POLICE_ONLY]), ("Health", [SHARED])):
        return_id = ledger.return_id(1, agency)
        ledger.entries += [LedgerEntry(return_id, 1, agency, date(2026, 1, 5), None, a.review, a.ref, n,
                                       ledger.row_hash(locked_values(a))) for n, a in enumerate(actions, start=1)]
    return register, ledger


def content(ledger: Ledger, agency: str, inputs: dict[str, tuple], actions=None, copies=None) -> ReturnContent:
    return_id = ledger.return_id(1, agency)
    identity = Identity(return_id, agency, 1, date(2026, 1, 5))
    actions = actions or ([SHARED, POLICE_ONLY] if agency == "Police" else [SHARED])
    rows = tuple(ReturnRow(n, tuple(locked_values(a)) + tuple(inputs.get(a.ref, (None,) * 5)))
                 for n, a in enumerate(actions, start=2))
    return ReturnContent(f"{return_id}.xlsx", copies or (("props", identity), ("sheet", identity)), rows)


def test_shared_actions_combine_whatever_the_order() -> None:
    police = {"1.1": ("G", "Police words", None, date(2026, 5, 1), "PC Lee")}
    health = {"1.1": ("R", "Health words", "Audit", date(2026, 4, 1), None)}
    results = []
    for order in (("Police", "Health"), ("Health", "Police")):
        register, ledger = setup()
        for agency in order:
            outcome = consolidate_return(register, ledger, content(ledger, agency, police if agency == "Police"
                                                                   else health), WHEN)
            assert outcome.status == "Received", outcome.reasons
        results.append(register.actions[0])
    assert results[0] == results[1]
    shared = results[0]
    assert shared.rag == "R" and shared.revised_date == date(2026, 5, 1)
    assert shared.progress == "Health: Health words\n\nPolice: Police words"
    assert shared.evidence == "Audit" and shared.updated_by == "Health; PC Lee"


def test_a_resent_copy_held_after_a_hand_edit_keeps_what_was_applied() -> None:
    register, ledger = setup()
    first = content(ledger, "Police", {"1.2": ("G", "Done half", None, None, None)})
    assert consolidate_return(register, ledger, first, WHEN).applied == 1
    register.actions[1] = register.actions[1].with_changes(action="Rewritten by hand")
    again = consolidate_return(register, ledger, first, WHEN)
    assert again.status == "Partly accepted" and "changed in the master" in again.reasons[0]
    entry = next(e for e in ledger.entries if e.ref == "1.2")
    assert entry.state == APPLIED and entry.progress == "Done half"


def test_an_ambiguous_action_in_the_master_is_held() -> None:
    register, ledger = setup()
    register.actions.append(POLICE_ONLY.with_changes(action="A second 1.2"))
    outcome = consolidate_return(register, ledger, content(ledger, "Police", {"1.2": ("G", None, None, None, None)}), WHEN)
    assert "appears more than once in the master's Register" in outcome.reasons[0]
    assert register.actions[1] == POLICE_ONLY


@pytest.mark.parametrize("copies, reason", [
    ((), "carries no return identity"),
    ((("props", Identity("X", "Police", 1, None)), ("sheet", Identity("Y", "Police", 1, None))),
     "identity copies disagree (props says X for Police, sheet says Y for Police)"),
])
def test_identity_problems_reject_the_whole_return(copies, reason) -> None:
    register, ledger = setup()
    outcome = consolidate_return(register, ledger, content(ledger, "Police", {}, copies=copies or (("props", None),)), WHEN)
    assert outcome.status == "Rejected" and reason in outcome.reasons[0]


def test_inputs_are_read_strictly() -> None:
    def row(*inputs, formulas=()):
        return ReturnRow(7, tuple(locked_values(POLICE_ONLY)) + inputs, frozenset(formulas))

    ok = check_inputs(row(" g ", 12.0, True, "2026-04-30", "Jo"), DEFAULT_INDEX)
    assert ok.errors == () and ok.submission.rag == "G" and ok.submission.progress == "12"
    assert ok.submission.evidence == "TRUE" and ok.submission.revised_date == date(2026, 4, 30)
    assert check_inputs(row("Gren", None, None, None, None), DEFAULT_INDEX).errors == (
        "cell I7: rating 'Gren' is not in the rating index (B, G, A, R); did you mean G (Green)?",)
    assert check_inputs(row(None, None, None, 45000.0, None), DEFAULT_INDEX).errors == (
        "cell L7: '45000' is not a date; enter a date such as 31/03/2026",)
    assert check_inputs(row(None, None, None, date(1990, 1, 1), None), DEFAULT_INDEX).errors == (
        "cell L7: 01/01/1990 is not a plausible revised date",)
    assert check_inputs(row(None, 2, None, None, None, formulas=[9]), DEFAULT_INDEX).errors == (
        "cell J7 holds a formula; type the value itself",)


def test_the_keyed_hash_ignores_how_excel_spelled_a_value_but_not_what_it_says() -> None:
    assert keyed_hash("k", ["a\r\nb ", datetime(2026, 1, 1), 2.0]) == keyed_hash("k", ["a\nb", date(2026, 1, 1), "2"])
    assert keyed_hash("k", ["a"]) != keyed_hash("k", ["b"]) != keyed_hash("other", ["b"])
    assert [column_letter(i) for i in (0, 12, 25, 26)] == ["A", "M", "Z", "AA"]
    assert len(RETURN_HEADERS) == 13


def test_many_agencies_long_texts_on_one_action_fit_its_cell_and_stay_whole_in_the_ledger() -> None:
    agencies = [f"Agency {n}" for n in range(1, 10)]
    action = Action("SCR", "1.1", "Rec", "Share", "; ".join(agencies), date(2026, 3, 31), None, "", "", "A")
    register = Register(DEFAULT_INDEX, [action], [Agency(a) for a in agencies])
    ledger = Ledger("k" * 32)
    for agency in agencies:
        ledger.entries.append(LedgerEntry(ledger.return_id(1, agency), 1, agency, date(2026, 1, 5), None, "SCR",
                                          "1.1", 1, ledger.row_hash(locked_values(action))))
    words = {agency: f"{agency} reports" + " progress made" * 280 for agency in agencies}  # 3,900+ each
    for agency in agencies:
        outcome = consolidate_return(register, ledger, content(ledger, agency, {"1.1": (None, words[agency], None,
                                                                                        None, None)}, [action]), WHEN)
        assert outcome.status == "Received", outcome.reasons
    progress = register.actions[0].progress
    assert len(progress) <= CELL_TEXT_MAX
    assert all(f"{agency}: {agency} reports progress made" in progress for agency in agencies)
    assert {e.agency: e.progress for e in ledger.entries} == words
