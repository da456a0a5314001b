"""A round once its returns are out (chase the agencies still awaited, re-issue one return), and what Issue
returns now takes from the Round and Agencies sheets, on an in-memory master."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ragbook.app import decisions, returns, rounds
from ragbook.core.errors import InputError
from ragbook.core.ledger import PENDING
from ragbook.core.records import Finding, ReturnStatus, Severity
from ragbook.core.round import RoundSettings
from tests.helpers.fakes import FakePlans, FakeReturnFiles
from tests.helpers.small_plan import REVIEW

OUT = Path("returns")
REMINDERS = Path("reminders")
ISSUED = date(2026, 1, 5)
DUE = date(2026, 2, 2)
AFTER_DUE = date(2026, 2, 5)
HELD_BLUE = {"1.1": {"New Rating": "B", "Updated By": "DI Shah"}}  # Blue without evidence: held for review


def issue(plans: FakePlans, files: FakeReturnFiles, **options) -> returns.IssueReport:
    options = {"due": DUE, "today": ISSUED, **options}
    return returns.issue_plan(plans, files, OUT, **options)


def chase(plans: FakePlans, files: FakeReturnFiles, today: date = AFTER_DUE, **options) -> rounds.ChaseReport:
    return rounds.chase_plan(plans, files, REMINDERS, today=today, **options)


def reissue(plans: FakePlans, files: FakeReturnFiles, agency: str = "Police", **options) -> returns.IssueReport:
    return rounds.reissue_plan(plans, files, OUT, agency, **{"today": date(2026, 1, 20), **options})


def path_of(report: returns.IssueReport, agency: str) -> Path:
    return next(r.path for r in report.returns if r.agency == agency)


def consolidate(plans: FakePlans, files: FakeReturnFiles, *paths: Path) -> returns.ConsolidationReport:
    return returns.consolidate_plan(plans, files, list(paths), today=date(2026, 2, 1))


def record_of(plans: FakePlans, agency: str):
    return next(r for r in plans.stored.returns if r.agency == agency)


def rejected_on_review(plans: FakePlans, files: FakeReturnFiles, issued: returns.IssueReport) -> None:
    """Police's Blue without evidence is held, and a person rejects it on the Held Updates sheet."""
    consolidate(plans, files, files.send_back(path_of(issued, "Police"), HELD_BLUE))
    plans.stored.held = [replace(h, decision="Reject", decision_note="no evidence") for h in plans.stored.held]
    decisions.decide_plan(plans, who="Jo")


# ---------------------------------------------------------------------------- chase
def test_after_the_due_date_every_agency_still_pending_gets_a_reminder_naming_its_actions(plans, files):
    issue(plans, files)
    report = chase(plans, files)
    assert [(c.agency, c.awaited, c.chases, c.overdue) for c in report.chased] == [
        ("Police", (f"{REVIEW} 1.1", f"{REVIEW} 1.2"), 1, 3), ("Health", (f"{REVIEW} 1.2", f"{REVIEW} 2.1"), 1, 3)]
    police = report.chased[0]
    assert (police.email, police.contact, police.due, police.draft) == (
        "police@example.org", "DI Shah", DUE, REMINDERS / f"{police.return_id}-reminder-20260205.eml")
    sent = files.reminders[police.draft]
    assert [a.action for a in sent.reminder.awaited] == ["Recirculate the escalation policy.",
                                                         "Report on use of the policy."]
    assert sent.plan_name == report.plan_name and sent.signature == report.signature
    assert [(r.agency, r.chased, r.chases) for r in plans.stored.returns] == [
        ("Police", AFTER_DUE, 1), ("Health", AFTER_DUE, 1)]
    assert REMINDERS in files.folders


def test_only_agencies_still_pending_are_chased_and_a_rejected_return_still_is(plans, files):
    issued = issue(plans, files, agencies=["Police", "Health"])
    consolidate(plans, files, files.send_back(path_of(issued, "Police"), {"1.1": {"Progress Update": "Done."}}))
    refused = Path("returned") / path_of(issued, "Health").name
    files.arrived[refused] = InputError("is not a workbook")
    consolidate(plans, files, refused)
    assert record_of(plans, "Health").status == ReturnStatus.REJECTED
    report = chase(plans, files)
    assert [c.agency for c in report.chased] == ["Health"]
    assert report.chased[0].reminder.refused
    assert record_of(plans, "Police").chases == 0


def test_a_partly_accepted_return_is_not_chased(plans, files):
    issued = issue(plans, files, agencies=["Police"])
    consolidate(plans, files, files.send_back(path_of(issued, "Police"), HELD_BLUE))
    assert record_of(plans, "Police").status == ReturnStatus.PARTLY_ACCEPTED
    report = chase(plans, files)
    assert report.chased == () and files.reminders == {}


def test_a_return_not_yet_due_is_not_chased_unless_the_days_before_reach_it(plans, files):
    issue(plans, files)
    early = date(2026, 1, 30)
    report = chase(plans, files, today=early)
    assert report.chased == () and files.reminders == {}
    assert report.notes == ("no return awaited is past its due date as at 30/01/2026",
                            "2 returns still awaited are not due yet, so they were not chased")
    assert all(r.chases == 0 and r.chased is None for r in plans.stored.returns)
    assert chase(plans, files, today=early, days_before=2).chased == ()
    reached = chase(plans, files, today=early, days_before=3)
    assert [(c.agency, c.overdue) for c in reached.chased] == [("Police", -3), ("Health", -3)]


def test_without_days_before_the_round_sheets_chase_days_count(plans, files, master):
    master.round = RoundSettings(chase_days=5)
    issue(plans, files)
    assert len(chase(plans, files, today=date(2026, 1, 28)).chased) == 2


def test_chasing_twice_on_one_day_counts_once_and_a_later_day_counts_again(plans, files):
    issue(plans, files)
    chase(plans, files)
    again = chase(plans, files)
    assert [c.chases for c in again.chased] == [1, 1]
    assert again.notes[-1] == "Police, Health were chased today already, so this chase was not counted again"
    later = chase(plans, files, today=date(2026, 2, 12))
    assert [c.chases for c in later.chased] == [2, 2]
    assert [(r.chased, r.chases) for r in plans.stored.returns] == [(date(2026, 2, 12), 2)] * 2
    assert len(files.reminders) == 4  # one draft a day per return: the first day's is kept


def test_nothing_awaited_is_said_and_nothing_written(plans, files, master):
    report = chase(plans, files)
    assert report.chased == () and report.notes == (
        "no return is awaited (none is Pending or Rejected on the Returns sheet)",)
    assert files.reminders == {} and files.folders == [] and plans.stored.writes == []


def test_without_email_drafts_the_chase_is_recorded_and_the_report_says_what_each_draft_needs(plans, files):
    issue(plans, files)
    report = chase(plans, files, eml=False)
    assert files.reminders == {} and REMINDERS not in files.folders
    assert [c.draft for c in report.chased] == [None, None]
    police = report.chased[0]
    assert (police.reminder.agency.email, police.reminder.return_id, police.reminder.due) == (
        "police@example.org", police.return_id, DUE)
    assert [r.chases for r in plans.stored.returns] == [1, 1]


def test_only_the_agencys_latest_return_is_chased(plans, files):
    issue(plans, files)
    second = issue(plans, files, today=date(2026, 4, 1), due=date(2026, 4, 30))
    report = chase(plans, files, today=date(2026, 5, 1))
    assert [c.return_id for c in report.chased] == [r.return_id for r in second.returns]
    assert "2 older returns still awaited were not chased: a newer return to the same agency supersedes each" in (
        report.notes)


def test_a_reminder_that_cannot_be_written_takes_back_the_others_and_records_nothing(plans, master):
    files = FakeReturnFiles(fail_on_chase=2)
    issue(plans, files)
    before = list(plans.stored.returns)
    with pytest.raises(InputError, match="a reminder could not be written .*nothing was chased"):
        chase(plans, files)
    assert files.reminders == {} and len([p for p in files.removed if "reminder" in p.name]) == 1
    assert plans.stored.returns == before


def test_the_awaited_actions_are_those_still_pending(plans, files):
    issue(plans, files)
    ledger = plans.stored.ledger
    police = [e for e in ledger.entries if e.agency == "Police"]
    ledger.replace_entries([replace(police[0], state="applied")])
    assert chase(plans, files).chased[0].awaited == (f"{REVIEW} 1.2",)


# ---------------------------------------------------------------------------- re-issue
def test_a_reissued_return_keeps_its_id_and_round_and_replaces_its_ledger_entries(plans, files):
    issued = issue(plans, files)
    old = [e for e in plans.stored.ledger.entries if e.agency == "Police"]
    report = reissue(plans, files)
    (item,) = report.returns
    assert (item.return_id, report.round, report.issued, report.due) == (
        old[0].return_id, 1, date(2026, 1, 20), DUE)
    assert item.path == path_of(issued, "Police")
    spec = files.written[item.path].spec
    assert (spec.identity.return_id, spec.identity.round, spec.identity.issued) == (
        old[0].return_id, 1, date(2026, 1, 20))
    fresh = [e for e in plans.stored.ledger.entries if e.agency == "Police"]
    assert [(e.ref, e.position, e.issued, e.state) for e in fresh] == [
        ("1.1", 1, date(2026, 1, 20), PENDING), ("1.2", 2, date(2026, 1, 20), PENDING)]
    assert len(plans.stored.ledger.entries) == len(old) + 2  # Health's two are as they were
    record = record_of(plans, "Police")
    assert (record.issued, record.status, record.notes, record.file) == (
        ISSUED, ReturnStatus.PENDING, "Re-issued 20/01/2026", item.path.name)


def test_a_reissued_return_carries_the_agencys_actions_as_they_stand_and_the_due_date_given(plans, files):
    issue(plans, files)
    plans.stored.register.actions[0] = replace(plans.stored.register.actions[0], progress="Policy redrafted.")
    report = reissue(plans, files, due=date(2026, 2, 20), eml=True)
    spec = files.written[report.returns[0].path].spec
    assert spec.actions[0].progress == "Policy redrafted." and spec.due == date(2026, 2, 20)
    assert report.returns[0].draft in files.drafts and record_of(plans, "Police").due == date(2026, 2, 20)


def test_the_reissued_return_consolidates_and_a_copy_of_the_old_one_is_refused(plans, files):
    issued = issue(plans, files)
    old_copy = files.send_back(path_of(issued, "Police"), {"1.1": {"Progress Update": "Old."}}, into=Path("old"))
    reissue(plans, files)
    new_copy = files.send_back(path_of(issued, "Police"), {"1.1": {"Progress Update": "New."}})
    refused = consolidate(plans, files, old_copy).outcomes[0]
    assert refused.status == ReturnStatus.REJECTED and "issued on 20/01/2026" in refused.reasons[0]
    report = consolidate(plans, files, new_copy)
    assert report.outcomes[0].status == ReturnStatus.RECEIVED
    assert plans.stored.register.actions[0].progress == "New."


def test_a_rejected_return_can_be_reissued(plans, files):
    issued = issue(plans, files)
    refused = Path("returned") / path_of(issued, "Police").name
    files.arrived[refused] = InputError("is not a workbook")
    consolidate(plans, files, refused)
    report = reissue(plans, files)
    record = record_of(plans, "Police")
    assert report.returns[0].return_id == path_of(issued, "Police").stem
    assert (record.status, record.received) == (ReturnStatus.PENDING, None)
    assert record.notes.startswith("Re-issued 20/01/2026; ") and "is not a workbook" in record.notes


def test_a_return_that_came_back_is_not_reissued(plans, files):
    issued = issue(plans, files)
    consolidate(plans, files, files.send_back(path_of(issued, "Police"), {"1.1": {"Progress Update": "Done."}}))
    stored, written = plans.stored, dict(files.written)
    with pytest.raises(InputError) as refused:
        reissue(plans, files)
    assert str(refused.value) == (f"ActionPlan.xlsx: Police's return {path_of(issued, 'Police').stem} came back on "
                                  f"01/02/2026 (Received), so it cannot be re-issued; send it again in the next "
                                  f"round.")
    assert plans.stored is stored and files.written == written


def test_a_return_with_held_updates_is_not_reissued(plans, files):
    issued = issue(plans, files)
    consolidate(plans, files, files.send_back(path_of(issued, "Police"), HELD_BLUE))
    plans.stored.returns = [replace(r, status=ReturnStatus.PENDING) for r in plans.stored.returns]  # typed back
    with pytest.raises(InputError, match="decide its held updates first"):
        reissue(plans, files)


def test_an_agency_never_sent_a_return_or_not_on_the_sheet_is_refused(plans, files):
    issue(plans, files, agencies=["Health"])
    with pytest.raises(InputError, match="Police has not been sent a return yet"):
        reissue(plans, files)
    with pytest.raises(InputError, match="'Probation' is not on the Agencies sheet"):
        reissue(plans, files, "Probation")
    assert plans.saves == 1


# ---------------------------------------------------------------------------- issue, from the Round sheet
def test_agencies_not_in_this_round_are_left_out_and_said_so(plans, files, master):
    master.register.agencies[1] = replace(master.register.agencies[1], in_round=False)
    report = issue(plans, files)
    assert [r.agency for r in report.returns] == ["Police"]
    assert report.notes[0] == ("Health is not in this round (In This Round is No on the Agencies sheet), so it "
                               "was sent no return")
    assert [r.agency for r in issue(plans, files, agencies=["Health"]).returns] == ["Health"]


def test_without_a_due_date_the_round_sheets_is_taken_else_the_end_of_the_quarter(plans, files, master):
    assert issue(plans, files, due=None).due == date(2026, 3, 31)
    plans.stored.round = RoundSettings(due=date(2026, 2, 27))
    report = issue(plans, files, due=None)
    assert report.due == date(2026, 2, 27)
    assert {w.spec.due for p, w in files.written.items() if p.name.startswith("R002")} == {date(2026, 2, 27)}


def test_issuing_warns_of_error_findings_listed_or_found_now(plans, files, master):
    assert issue(plans, files).warnings == ()
    plans.stored.findings = [Finding(Severity.ERROR, "ref", REVIEW, "1.1", "Ref", "bad")]
    assert issue(plans, files).warnings == ("the plan has 0 error-level findings as it stands (the Exceptions sheet "
                                            "lists 1: press Validate to bring it up to date); the returns carry the "
                                            "actions as they stand, errors included",)
    plans.stored.register.actions[0] = replace(plans.stored.register.actions[0], rag="Purple")
    plans.stored.findings = []
    found = issue(plans, files).warnings
    assert found and found[0].startswith("the plan has 1 error-level findings as it stands (the Exceptions sheet "
                                         "lists 0")


def test_updates_rejected_on_review_are_listed_on_the_agencys_next_return(plans, files):
    first = issue(plans, files)
    rejected_on_review(plans, files, first)
    second = issue(plans, files, today=date(2026, 4, 1))
    specs = {w.spec.identity.agency: w.spec for p, w in files.written.items() if p in second.files}
    assert specs["Police"].not_accepted == ((REVIEW, "1.1", "rejected on review by Jo: no evidence"),)
    assert specs["Health"].not_accepted == ()
    again = reissue(plans, files, today=date(2026, 4, 2))
    assert files.written[again.returns[0].path].spec.not_accepted == specs["Police"].not_accepted


def test_a_master_that_cannot_be_saved_takes_its_reminders_and_reissued_return_back(plans, files):
    issue(plans, files)

    class UnsavablePlans(FakePlans):
        def editing(self):
            block = FakePlans.editing(self)

            class Refusing:
                def __enter__(self):
                    return block.__enter__()

                def __exit__(self, *exc):
                    if exc[0] is None:
                        raise InputError("ActionPlan.xlsx: is open in Excel; close it and try again.")
                    return block.__exit__(*exc)
            return Refusing()

    unsavable = UnsavablePlans(plans.stored)
    with pytest.raises(InputError, match="open in Excel"):
        chase(unsavable, files)
    assert files.reminders == {} and len(files.removed) == 2
    with pytest.raises(InputError, match="open in Excel"):
        reissue(unsavable, files)
    assert path_of_return(files, "Police") is None  # the re-issued file, which the master does not know of


def path_of_return(files: FakeReturnFiles, agency: str) -> Path | None:
    return next((p for p, w in files.written.items() if w.spec.identity.agency == agency), None)
