"""Held updates decided on an in-memory master: consolidation puts them on the Held Updates sheet, a person types
Accept or Reject there, and *Apply decisions* (``app.decisions``) carries the decisions out."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from ragbook.app import decisions, returns
from ragbook.core.errors import InputError
from ragbook.core.decisions import not_accepted_for
from ragbook.core.ledger import REJECTED
from ragbook.core.records import ReturnStatus
from tests.helpers.fakes import FakePlans, FakeReturnFiles

OUT = Path("returns")
ISSUED, DUE, RECEIVED, DECIDED = date(2026, 1, 5), date(2026, 2, 2), date(2026, 2, 1), date(2026, 2, 10)
BLUE_WITHOUT_EVIDENCE = {"1.1": {"New Rating": "B", "Progress Update": "Policy live.", "Updated By": "DI Shah"}}


def hold_a_blue(plans: FakePlans, files: FakeReturnFiles) -> returns.IssueReport:
    """Issue the round, and consolidate Police's return claiming Blue on 1.1 without evidence (held)."""
    issued = returns.issue_plan(plans, files, OUT, due=DUE, today=ISSUED)
    files.send_back(path_of(issued, "Police"), BLUE_WITHOUT_EVIDENCE)
    report = returns.consolidate_plan(plans, files, [Path("returned")], today=RECEIVED)
    assert report.held == 1
    return issued


def path_of(report: returns.IssueReport, agency: str) -> Path:
    return next(r.path for r in report.returns if r.agency == agency)


def type_decision(plans: FakePlans, decision: str, note: str = "", by: str = "") -> None:
    """What a person does on the Held Updates sheet, then saves."""
    stored = plans.stored
    stored.held = [replace(row, decision=decision, decision_note=note, decided_by=by) for row in stored.held]


def decide(plans: FakePlans, who: str = "jsmith") -> decisions.DecisionReport:
    return decisions.decide_plan(plans, who=who, today=DECIDED)


def test_a_held_update_is_on_the_held_updates_sheet_with_its_reason(plans, files):
    hold_a_blue(plans, files)
    (row,) = plans.stored.held
    assert (row.agency, row.ref, row.rating, row.progress) == ("Police", "1.1", "B", "Policy live.")
    assert "without evidence" in row.reason and row.decision == ""
    assert plans.stored.updates == []


def test_an_accepted_blue_arrives_in_the_register_with_an_audit_row_and_an_updates_row(plans, files):
    hold_a_blue(plans, files)
    type_decision(plans, "Accept", "Evidence seen at the board")
    report = decide(plans)
    stored = plans.stored
    assert [r.ref for r in report.accepted] == ["1.1"] and report.rejected == () and report.problems == ()
    assert stored.register.actions[0].rag == "B" and stored.register.actions[0].progress == "Policy live."
    decision = stored.audit[-1]
    assert (decision.field, decision.new) == ("Held update", "accepted by jsmith: Evidence seen at the board")
    assert ("1.1", "RAG", "G", "B") in {(e.ref, e.field, e.old, e.new) for e in stored.audit}
    (update,) = stored.updates
    assert (update.ref, update.rating, update.accepted, update.when) == ("1.1", "B", "jsmith on review",
                                                                        datetime(2026, 2, 10))
    assert stored.held == [] and report.changes == 3  # RAG, Progress, Updated By
    assert report.summary_refreshed and stored.summary.today == DECIDED


def test_applying_decisions_validates_the_plan_again(plans, files):
    hold_a_blue(plans, files)
    type_decision(plans, "Accept")
    plans.stored.writes.clear()
    report = decide(plans)
    writes = plans.stored.writes
    assert {"findings", "notes"} <= set(writes) and writes.index("findings") > writes.index("held")
    assert report.validation.actions == 3


def test_a_rejected_update_leaves_the_register_and_is_listed_for_the_next_return(plans, files, master):
    hold_a_blue(plans, files)
    before = plans.stored.register
    type_decision(plans, "reject", "No evidence attached")
    report = decide(plans)
    stored = plans.stored
    assert [r.ref for r in report.rejected] == ["1.1"] and stored.register == before and stored.updates == []
    (entry,) = [e for e in stored.ledger.entries if e.ref == "1.1"]
    assert entry.state == REJECTED and entry.note == "rejected on review by jsmith: No evidence attached"
    assert stored.audit[-1].new == "rejected by jsmith: No evidence attached" and stored.held == []
    assert not_accepted_for(stored.ledger, "Police") == [
        (entry.review, "1.1", "rejected on review by jsmith: No evidence attached")]


def test_consolidating_a_rejected_return_again_does_not_hold_its_update_again(plans, files):
    hold_a_blue(plans, files)
    type_decision(plans, "Reject", "No evidence attached")
    decide(plans)
    again = returns.consolidate_plan(plans, files, [Path("returned")], today=RECEIVED)
    stored = plans.stored
    assert stored.held == [] and [e.state for e in stored.ledger.entries if e.ref == "1.1"] == [REJECTED]
    assert again.outcomes[0].reasons[0].endswith("the update of action SCR Adult D 1.1 was rejected on review by "
                                                 "jsmith: No evidence attached")


def test_consolidating_an_accepted_return_again_changes_nothing(plans, files):
    hold_a_blue(plans, files)
    type_decision(plans, "Accept")
    decide(plans)
    before = (plans.stored.register, list(plans.stored.audit), list(plans.stored.updates))
    again = returns.consolidate_plan(plans, files, [Path("returned")], today=RECEIVED)
    stored = plans.stored
    assert (stored.register, stored.audit, stored.updates, stored.held) == (*before, [])
    assert again.outcomes[0].status == ReturnStatus.RECEIVED and again.updates == 0


def test_a_decision_typed_survives_the_consolidation_of_another_return(plans, files):
    issued = hold_a_blue(plans, files)
    type_decision(plans, "Accept", "Seen", "A Manager")
    files.send_back(path_of(issued, "Health"), {"2.1": {"Progress Update": "Re-audit booked.", "Updated By": "NN"}},
                    into=Path("later"))
    returns.consolidate_plan(plans, files, [Path("later")], today=RECEIVED)
    (row,) = plans.stored.held
    assert (row.decision, row.decision_note, row.decided_by) == ("Accept", "Seen", "A Manager")
    report = decide(plans)
    assert plans.stored.audit[-1].new == "accepted by A Manager: Seen" and len(report.accepted) == 1


def test_without_decisions_nothing_is_written(plans, files):
    hold_a_blue(plans, files)
    plans.stored.writes.clear()
    report = decide(plans)
    assert not report.recorded and len(report.left) == 1 and report.undecided == 1
    assert plans.stored.writes == [] and not report.summary_refreshed


def test_a_decision_that_cannot_be_carried_out_is_reported_and_nothing_is_written(plans, files):
    hold_a_blue(plans, files)
    type_decision(plans, "Maybe")
    plans.stored.writes.clear()
    report = decide(plans)
    assert report.problems and "'Maybe' is neither Accept nor Reject" in report.problems[0]
    assert plans.stored.writes == [] and plans.stored.held[0].decision == "Maybe"


def test_apply_decisions_works_on_one_master_without_refreshing_the_summary(master, files):
    plans = FakePlans(master)
    hold_a_blue(plans, files)
    type_decision(plans, "Accept")
    working = plans.stored
    working.summary = None
    report = decisions.apply_decisions(working, who="jsmith", today=DECIDED)
    assert report.recorded and working.summary is None and working.register.actions[0].rag == "B"
    assert {r.status for r in working.returns if r.agency == "Police"} == {ReturnStatus.PARTLY_ACCEPTED}


def test_decisions_are_applied_in_someones_name(plans, files):
    hold_a_blue(plans, files)
    type_decision(plans, "Accept")
    with pytest.raises(InputError, match="in someone's name"):
        decide(plans, who="  ")
