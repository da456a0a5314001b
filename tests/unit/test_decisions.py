"""Held updates decided (``core.decisions``): the Held Updates rows from the ledger, Accept and Reject carried out
on the register and the ledger, and the updates rejected on review listed for an agency's next return."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

import pytest

from ragbook.core.consolidate import locked_values
from ragbook.core.decisions import apply_decisions, held_records, not_accepted_for
from ragbook.core.ledger import APPLIED, HELD, PENDING, REJECTED, Ledger, LedgerEntry
from ragbook.core.model import Register
from ragbook.core.records import AuditEntry, HeldRecord, UpdateRecord
from tests.helpers.small_plan import REVIEW, small_plan

ISSUED = date(2026, 1, 5)
RECEIVED = datetime(2026, 2, 1, 9, 0)
DECIDED = datetime(2026, 2, 10, 14, 0)
BLUE_HELD = "row 2: action SCR Adult D 1.1 was rated Blue (complete) without evidence; held back"


def entry(register: Register, ledger: Ledger, ref: str, agency: str = "Police", round_: int = 1,
          position: int = 1, **fields) -> LedgerEntry:
    action = next(a for a in register.actions if a.ref == ref)
    return LedgerEntry(f"R{round_:03d}-{agency}", round_, agency, ISSUED, None, REVIEW, ref, position,
                       ledger.row_hash(locked_values(action)), **fields)


@pytest.fixture
def register() -> Register:
    return small_plan()


@pytest.fixture
def ledger(register) -> Ledger:
    ledger = Ledger.new()
    ledger.entries = [
        entry(register, ledger, "1.1", state=HELD, received=RECEIVED, rag="B", progress="Policy live.",
              updated_by="DI Shah", note=BLUE_HELD),
        entry(register, ledger, "1.2", position=2, state=PENDING),
    ]
    return ledger


def decided(ledger: Ledger, decision: str, note: str = "", by: str = "") -> list[HeldRecord]:
    return [replace(row, decision=decision, decision_note=note, decided_by=by) for row in held_records(ledger)]


# ---------------------------------------------------------------------------- the Held Updates rows
def test_the_held_updates_rows_are_the_ledgers_held_entries_with_their_reason(ledger):
    (row,) = held_records(ledger)
    assert (row.return_id, row.round, row.agency, row.review, row.ref) == ("R001-Police", 1, "Police", REVIEW, "1.1")
    assert (row.rating, row.progress, row.updated_by, row.received) == ("B", "Policy live.", "DI Shah", RECEIVED)
    assert row.reason == BLUE_HELD and (row.decision, row.decision_note, row.decided_by) == ("", "", "")


def test_a_decision_typed_on_a_row_still_held_is_kept_and_rows_no_longer_held_go(register, ledger):
    typed = decided(ledger, "Accept", "Evidence seen at the meeting", "J Smith")
    gone = HeldRecord("R001-Health", 1, "Health", REVIEW, "1.2", "B", "", "", None, "", RECEIVED, "held", "Reject")
    ledger.entries.append(entry(register, ledger, "2.1", "Health", state=HELD, rag="R", note="changed in master"))
    rows = held_records(ledger, [gone, *typed])
    assert [(r.ref, r.decision, r.decision_note, r.decided_by) for r in rows] == [
        ("1.1", "Accept", "Evidence seen at the meeting", "J Smith"), ("2.1", "", "", "")]


def test_a_decision_is_not_carried_over_to_an_update_a_later_copy_of_the_return_changed(ledger):
    typed = decided(ledger, "Accept", "Evidence seen at the meeting", "J Smith")
    ledger.entries[0] = replace(ledger.entries[0], progress="Policy live; audit booked.")
    (row,) = held_records(ledger, typed)
    assert (row.progress, row.decision) == ("Policy live; audit booked.", "")
    assert row.reason.startswith(BLUE_HELD) and row.reason.endswith("the decision was cleared; decide again.)")
    assert not apply_decisions(small_plan(), ledger, [row], "jsmith", DECIDED).decided


# ---------------------------------------------------------------------------- Accept
def test_accept_applies_the_held_update_and_says_on_the_audit_log_who_accepted_it(register, ledger):
    done = apply_decisions(register, ledger, decided(ledger, "Accept", "Evidence seen at the meeting"), "jsmith",
                           DECIDED)
    action = register.actions[0]
    assert (action.rag, action.progress, action.updated_by, action.last_updated) == (
        "B", "Policy live.", "DI Shah", DECIDED)
    held = ledger.entries[0]
    assert held.state == APPLIED and held.note == "accepted on review by jsmith: Evidence seen at the meeting"
    assert held.applied_hash == ledger.row_hash(locked_values(action))
    assert done.register_changed and [r.ref for r in done.accepted] == ["1.1"] and not done.problems
    assert done.audit[-1] == AuditEntry(DECIDED, "R001-Police", "Police", REVIEW, "1.1", "Held update",
                                        f"held: {BLUE_HELD}", "accepted by jsmith: Evidence seen at the meeting")
    assert {(e.source, e.field, e.old, e.new) for e in done.audit[:-1]} == {
        ("R001-Police", "RAG", "G", "B"), ("R001-Police", "Progress", "Draft shared.", "Policy live."),
        ("R001-Police", "Updated By", "", "DI Shah")}
    assert done.updates == [UpdateRecord(DECIDED, 1, "R001-Police", "Police", REVIEW, "1.1", "B", "Policy live.", "",
                                         None, "DI Shah", "jsmith on review")]


def test_the_name_typed_in_decided_by_is_the_one_recorded(register, ledger):
    done = apply_decisions(register, ledger, decided(ledger, "accepted", by="A Manager"), "jsmith", DECIDED)
    assert done.audit[-1].new == "accepted by A Manager" and done.updates[0].accepted == "A Manager on review"


def test_an_accepted_update_on_a_shared_action_is_merged_as_consolidation_merges(register, ledger):
    ledger.entries = [
        entry(register, ledger, "1.2", "Health", state=APPLIED, rag="A", progress="Health reported."),
        entry(register, ledger, "1.2", "Police", position=2, state=HELD, rag="R", progress="Police behind.",
              note="row 3: action changed in the master after issue; held for review"),
    ]
    apply_decisions(register, ledger, decided(ledger, "Accept"), "jsmith", DECIDED)
    shared = register.actions[1]
    assert shared.rag == "R"  # the worst rating of the round
    assert shared.progress == "Health: Health reported.\n\nPolice: Police behind."


def test_an_accept_for_an_action_no_longer_in_the_register_is_a_problem_and_stays_held(register, ledger):
    register.actions = register.actions[1:]
    done = apply_decisions(register, ledger, decided(ledger, "Accept"), "jsmith", DECIDED)
    assert not done.decided and [r.ref for r in done.left] == ["1.1"] and done.audit == []
    assert done.problems == ["Held Updates row 2 (R001-Police, action SCR Adult D 1.1): action SCR Adult D 1.1 is no "
                             "longer in the Register, so it cannot be accepted; it stays held (reject it, or put "
                             "the action back first)"]
    assert ledger.entries[0].state == HELD


def test_an_accept_for_an_action_twice_in_the_register_is_a_problem(register, ledger):
    register.actions.append(register.actions[0])
    done = apply_decisions(register, ledger, decided(ledger, "Accept"), "jsmith", DECIDED)
    assert "appears more than once in the Register" in done.problems[0] and ledger.entries[0].state == HELD


# ---------------------------------------------------------------------------- Reject, and words that are neither
def test_reject_leaves_the_register_and_records_who_rejected_it_and_why(register, ledger):
    before = list(register.actions)
    done = apply_decisions(register, ledger, decided(ledger, "Reject", "No evidence attached"), "jsmith", DECIDED)
    assert register.actions == before and not done.register_changed and done.updates == []
    assert ledger.entries[0].state == REJECTED
    assert ledger.entries[0].note == "rejected on review by jsmith: No evidence attached"
    assert [(e.field, e.old, e.new) for e in done.audit] == [
        ("Held update", f"held: {BLUE_HELD}", "rejected by jsmith: No evidence attached")]


def test_a_word_that_is_neither_accept_nor_reject_names_the_row_and_stays_held(register, ledger):
    done = apply_decisions(register, ledger, decided(ledger, "Maybe"), "jsmith", DECIDED)
    assert done.problems == ["Held Updates row 2 (R001-Police, action SCR Adult D 1.1): the decision 'Maybe' is "
                             "neither Accept nor Reject; type one of them and apply the decisions again"]
    assert ledger.entries[0].state == HELD and [r.decision for r in done.left] == ["Maybe"]


def test_a_row_left_blank_is_left_held_without_a_problem(register, ledger):
    done = apply_decisions(register, ledger, held_records(ledger), "jsmith", DECIDED)
    assert not done.decided and not done.problems and len(done.left) == 1


def test_a_decision_on_an_update_no_longer_held_is_not_applied(register, ledger):
    rows = decided(ledger, "Accept")
    ledger.entries[0] = replace(ledger.entries[0], state=APPLIED)
    done = apply_decisions(register, ledger, rows, "jsmith", DECIDED)
    assert "is no longer held" in done.problems[0] and not done.decided


# ---------------------------------------------------------------------------- for the next return
def test_not_accepted_for_lists_the_agencys_latest_round_updates_rejected_on_review(register, ledger):
    apply_decisions(register, ledger, decided(ledger, "Reject", "No evidence attached"), "jsmith", DECIDED)
    ledger.entries.append(entry(register, ledger, "2.1", "Health", state=REJECTED, note="row 2: a formula"))
    assert not_accepted_for(ledger, "police") == [
        (REVIEW, "1.1", "rejected on review by jsmith: No evidence attached")]
    assert not_accepted_for(ledger, "Health") == []  # rejected by consolidation, not on review
    ledger.entries.append(entry(register, ledger, "1.1", "Police", round_=2))
    assert not_accepted_for(ledger, "Police") == []  # a later round was issued: that one is the latest
    assert not_accepted_for(ledger, "Education") == []
