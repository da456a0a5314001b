"""The returns cycle's use cases (issue returns, consolidate what comes back) on an in-memory master."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from ragbook.app import returns
from ragbook.core.errors import InputError
from ragbook.core.ledger import Ledger
from ragbook.core.records import ReturnStatus
from ragbook.core.returns import Identity, ReturnContent
from tests.helpers.fakes import FakeMaster, FakePlans, FakeReturnFiles
from tests.helpers.small_plan import REVIEW, small_plan

OUT = Path("returns")
BACK = Path("returned")
ISSUED = date(2026, 1, 5)
DUE = date(2026, 2, 2)
RECEIVED = date(2026, 2, 1)


def issue(plans: FakePlans, files: FakeReturnFiles, **options) -> returns.IssueReport:
    return returns.issue_plan(plans, files, OUT, due=DUE, today=ISSUED, **options)


def path_of(report: returns.IssueReport, agency: str) -> Path:
    return next(r.path for r in report.returns if r.agency == agency)


# ---------------------------------------------------------------------------- issue
def test_issuing_writes_one_return_per_agency_that_leads_actions(plans, files):
    report = issue(plans, files)
    assert [(r.agency, r.actions) for r in report.returns] == [("Police", 2), ("Health", 2)]
    assert report.notes == ("Education leads no actions, so it was sent no return",)
    assert (report.round, report.issued, report.due) == (1, ISSUED, DUE)
    specs = {spec.identity.agency: spec for spec in (w.spec for w in files.written.values())}
    assert [a.ref for a in specs["Police"].actions] == ["1.1", "1.2"]
    assert [a.ref for a in specs["Health"].actions] == ["1.2", "2.1"]
    assert all(path.parent == OUT and path.name == f"{w.spec.identity.return_id}.xlsx"
               for path, w in files.written.items())
    assert files.folders == [OUT]
    assert {w.secret for w in files.written.values()} == {plans.stored.ledger.secret}


def test_issuing_records_each_return_as_pending(plans, files):
    report = issue(plans, files)
    stored = plans.stored
    assert [(r.return_id, r.agency, r.issued, r.due, r.received, r.status, r.file) for r in stored.returns] == [
        (r.return_id, r.agency, ISSUED, DUE, None, ReturnStatus.PENDING, r.path.name) for r in report.returns]
    entries = stored.ledger.entries
    assert [(e.return_id, e.ref, e.position) for e in entries] == [
        (path_of(report, "Police").stem, "1.1", 1), (path_of(report, "Police").stem, "1.2", 2),
        (path_of(report, "Health").stem, "1.2", 1), (path_of(report, "Health").stem, "2.1", 2)]
    assert {e.round for e in entries} == {1} and all(e.issued_hash for e in entries)
    assert plans.saves == 1


def test_a_second_issue_is_a_new_round_with_new_ids(plans, files):
    first = issue(plans, files)
    second = issue(plans, files)
    assert second.round == 2
    assert not {r.return_id for r in first.returns} & {r.return_id for r in second.returns}
    assert len(plans.stored.returns) == 4 and plans.stored.ledger.last_round == 2


def test_chosen_agencies_only_are_sent_returns(plans, files):
    report = issue(plans, files, agencies=["health"])
    assert [r.agency for r in report.returns] == ["Health"]
    assert [r.agency for r in plans.stored.returns] == ["Health"]


def test_an_unknown_agency_is_refused_before_anything_is_written(plans, files, master):
    with pytest.raises(InputError, match="'Probation' is not on the Agencies sheet"):
        issue(plans, files, agencies=["Police", "Probation"])
    assert files.written == {} and files.folders == []
    assert plans.saves == 0 and plans.stored is master


def test_a_plan_without_agencies_issues_nothing_and_says_why(files):
    plans = FakePlans(FakeMaster(replace(small_plan(), agencies=[]), ledger=Ledger.new()))
    report = issue(plans, files)
    assert report.returns == () and report.round == 0
    assert "lists no agencies" in report.notes[0]
    assert files.written == {} and plans.stored.returns == [] and plans.stored.ledger.entries == []


def test_a_write_that_fails_midway_removes_what_was_written_and_saves_nothing(plans, master):
    files = FakeReturnFiles(fail_on_write=2)
    with pytest.raises(InputError, match="nothing was issued"):
        issue(plans, files)
    assert files.written == {}
    assert len(files.removed) == 1  # the first return, written before the disk filled
    assert plans.saves == 0 and plans.stored is master and master.ledger.entries == []


def test_a_master_that_cannot_be_saved_takes_its_returns_back(master, files):
    class UnsavablePlans(FakePlans):
        def editing(self):
            plans = self

            class Block:
                def __enter__(self):
                    self.inner = FakePlans.editing(plans)
                    return self.inner.__enter__()

                def __exit__(self, *exc):
                    if exc[0] is None:
                        raise InputError("ActionPlan.xlsx: is open in Excel; close it and try again.")
                    return self.inner.__exit__(*exc)
            return Block()

    plans = UnsavablePlans(master)
    with pytest.raises(InputError, match="open in Excel"):
        issue(plans, files)
    assert files.written == {}  # returns the master does not know of must not go out
    assert len(files.removed) == 2


def test_email_drafts_go_beside_each_return_and_a_missing_address_is_noted(plans, files):
    report = issue(plans, files, eml=True)
    assert [r.draft for r in report.returns] == [r.path.with_suffix(".eml") for r in report.returns]
    assert "Health has no email address on the Agencies sheet; its draft has no recipient" in report.notes
    police = files.drafts[path_of(report, "Police").with_suffix(".eml")]
    assert (police[0], police[1].email, police[3], police[4]) == (path_of(report, "Police"), "police@example.org",
                                                                  DUE, False)
    assert sorted(report.files) == sorted(list(files.written) + list(files.drafts))


def test_a_password_goes_to_every_return_and_the_report_says_they_are_encrypted(plans, files):
    report = issue(plans, files, password="s3cret", eml=True)
    assert report.encrypted
    assert {w.password for w in files.written.values()} == {"s3cret"}
    assert all(encrypted for *_, encrypted in files.drafts.values())


# ---------------------------------------------------------------------------- consolidate
def consolidate(plans: FakePlans, files: FakeReturnFiles, *paths: Path) -> returns.ConsolidationReport:
    return returns.consolidate_plan(plans, files, list(paths) or [BACK], today=RECEIVED)


def test_consolidating_appends_audit_entries_and_updates_return_records(plans, files):
    issued = issue(plans, files)
    files.send_back(path_of(issued, "Police"), {"1.1": {"New Rating": "B", "Progress Update": "Policy live.",
                                                        "Evidence": "Policy v2 on the website",
                                                        "Updated By": "DI Shah"}})
    report = consolidate(plans, files)
    stored = plans.stored
    assert [(o.agency, o.status) for o in report.outcomes] == [("Police", ReturnStatus.RECEIVED)]
    action = stored.register.actions[0]
    assert (action.rag, action.progress, action.evidence, action.updated_by) == (
        "B", "Policy live.", "Policy v2 on the website", "DI Shah")
    changes = {(e.ref, e.field, e.old, e.new) for e in stored.audit}
    assert ("1.1", "RAG", "G", "B") in changes
    assert all(e.agency == "Police" and e.review == REVIEW for e in stored.audit)
    assert report.changes == len(stored.audit) > 0
    records = {r.agency: r for r in stored.returns}
    assert (records["Police"].status, records["Police"].received) == (ReturnStatus.RECEIVED, RECEIVED)
    assert records["Health"].status == ReturnStatus.PENDING
    assert report.pending == (f"{path_of(issued, 'Health').stem} (Health)",)


def test_consolidating_refreshes_the_summary_in_the_same_save(plans, files):
    issued = issue(plans, files)
    files.send_back(path_of(issued, "Health"), {"2.1": {"Progress Update": "Re-audit booked.", "Updated By": "NN"}})
    saves = plans.saves
    report = consolidate(plans, files)
    assert report.summary_refreshed
    summary = plans.stored.summary
    assert summary is not None and summary.actions == 3 and summary.today == RECEIVED
    assert plans.saves == saves + 1


def test_a_blue_rating_without_evidence_is_held_back(plans, files):
    issued = issue(plans, files)
    files.send_back(path_of(issued, "Police"), {"1.1": {"New Rating": "B", "Updated By": "DI Shah"}})
    report = consolidate(plans, files)
    (outcome,) = report.outcomes
    assert outcome.status == ReturnStatus.PARTLY_ACCEPTED and "without evidence" in outcome.reasons[0]
    assert plans.stored.register.actions[0].rag == "G"
    assert {r.agency: r.status for r in plans.stored.returns}["Police"] == ReturnStatus.PARTLY_ACCEPTED


def test_a_refused_return_is_marked_rejected_and_the_others_still_apply(plans, files):
    issued = issue(plans, files)
    health = path_of(issued, "Health")
    files.arrived[BACK / health.name] = InputError("is not a workbook (it is a zip of something else)")
    files.send_back(path_of(issued, "Police"), {"1.2": {"New Rating": "G", "Updated By": "DI Shah"}})
    report = consolidate(plans, files)
    assert sorted((o.path, o.status) for o in report.outcomes) == sorted([
        (str(BACK / health.name), ReturnStatus.REJECTED), (str(BACK / path_of(issued, "Police").name),
                                                           ReturnStatus.RECEIVED)])
    assert report.has_problems
    records = {r.agency: r for r in plans.stored.returns}
    assert records["Health"].status == ReturnStatus.REJECTED and "is not a workbook" in records["Health"].notes
    assert records["Police"].status == ReturnStatus.RECEIVED
    assert plans.stored.register.actions[1].rag == "G"


def test_a_return_forged_for_another_plan_is_rejected_and_changes_nothing(plans, files, master):
    issue(plans, files)
    forged = Identity("R9-Police-FFFFFF", "Police", 1, ISSUED)
    files.arrived[BACK / "forged.xlsx"] = ReturnContent(str(BACK / "forged.xlsx"),
                                                        (("properties", forged), ("identity sheet", forged)), ())
    report = consolidate(plans, files)
    (outcome,) = report.outcomes
    assert outcome.status == ReturnStatus.REJECTED and "never issued from this master" in outcome.reasons[0]
    assert plans.stored.register == master.register and plans.stored.audit == []
    assert {r.status for r in plans.stored.returns} == {ReturnStatus.PENDING}


def test_nothing_found_reports_the_pending_returns_and_changes_nothing(plans, files):
    issued = issue(plans, files)
    report = consolidate(plans, files)
    assert report.outcomes == () and not report.summary_refreshed
    assert report.notes == (f"no returns were found in {BACK}",)
    assert report.pending == tuple(f"{r.return_id} ({r.agency})" for r in issued.returns)
    assert plans.stored.audit == [] and plans.stored.summary is None


def test_consolidating_the_same_return_again_changes_nothing(plans, files):
    issued = issue(plans, files)
    files.send_back(path_of(issued, "Police"), {"1.1": {"New Rating": "A", "Revised Date": date(2027, 3, 31),
                                                        "Updated By": "DI Shah"}})
    consolidate(plans, files)
    after_first = (plans.stored.register, list(plans.stored.audit))
    again = consolidate(plans, files)
    assert again.changes == 0
    assert (plans.stored.register, plans.stored.audit) == after_first


def test_consolidate_returns_stamps_the_audit_with_the_day_given(master, files):
    issued = returns.issue_returns(master, files, OUT, today=ISSUED)
    files.send_back(path_of(issued, "Police"), {"1.1": {"New Rating": "R", "Updated By": "DI Shah"}})
    report = returns.consolidate_returns(master, files, [BACK], today=RECEIVED)
    assert report.plan == master.name and not report.summary_refreshed
    assert {e.when for e in master.audit} == {datetime(2026, 2, 1)}
    assert master.summary is None  # only consolidate_plan refreshes the Summary
