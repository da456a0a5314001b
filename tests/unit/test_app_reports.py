"""The Report step's use cases (refresh the Summary, write the board report) on an in-memory master."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

import pytest

from ragbook.app import reports
from ragbook.core.errors import InputError
from ragbook.core.model import Action, Register
from ragbook.core.records import AuditEntry, Finding, ReturnRecord, ReturnStatus
from tests.helpers.fakes import FakeMaster, FakePlans, FakeReportWriter
from tests.helpers.small_plan import REVIEW, small_plan

TODAY = date(2026, 6, 1)
EARLIER_ROUND, LATEST_ROUND = date(2026, 1, 5), date(2026, 4, 1)
OUT = Path("board-report.docx")
OTHER_REVIEW = "CSPR Child E"


def with_history(master: FakeMaster) -> FakeMaster:
    """Two rounds of returns, a rating moved in each, and one moved after the latest round went out."""
    master.returns = [
        ReturnRecord("R1-Police", "Police", EARLIER_ROUND, date(2026, 2, 2), date(2026, 1, 20), ReturnStatus.RECEIVED),
        ReturnRecord("R2-Police", "Police", LATEST_ROUND, date(2026, 4, 30), None, ReturnStatus.PENDING),
    ]
    master.audit = [
        AuditEntry(datetime(2026, 1, 20, 9), "return R1-Police.xlsx", "Police", REVIEW, "1.2", "RAG", "G", "A"),
        AuditEntry(datetime(2026, 4, 20, 9), "return R2-Health.xlsx", "Health", REVIEW, "2.1", "RAG", "G", "B"),
    ]
    return master


def two_reviews() -> Register:
    register = small_plan()
    register.actions.append(Action(OTHER_REVIEW, "1.1", "Audit the front door.", "Dip sample 20 contacts.", "Police",
                                   date(2026, 9, 30), progress="Audit planned.", rag="G"))
    return register


# ---------------------------------------------------------------------------- summary
def test_summary_counts_movement_since_the_latest_round(master, plans):
    with_history(master)
    report = reports.summary_plan(plans, today=TODAY)
    summary = report.summary
    assert summary.since == LATEST_ROUND
    assert [(m.old, m.new, m.count, m.refs) for m in summary.movement] == [("G", "B", 1, (f"{REVIEW} 2.1",))]
    assert plans.stored.summary == summary and plans.saves == 1


def test_a_date_given_counts_movement_from_that_day_instead(master, plans):
    with_history(master)
    summary = reports.summary_plan(plans, since=EARLIER_ROUND, today=TODAY).summary
    assert summary.since == EARLIER_ROUND
    assert sorted((m.old, m.new) for m in summary.movement) == [("G", "A"), ("G", "B")]


def test_the_summary_counts_every_action_by_rating_and_the_returns_by_agency(master, plans):
    with_history(master)
    summary = reports.summary_plan(plans, today=TODAY).summary
    assert dict(zip(summary.buckets, summary.overall.counts)) == {"Blue": 1, "Green": 1, "Amber": 1, "Red": 0,
                                                                 "Unrated": 0}
    assert summary.actions == 3 and summary.today == TODAY
    police = next(line for line in summary.returns if line.agency == "Police")
    assert (police.issued, police.returned, police.pending) == (2, 1, 1)


def test_without_returns_movement_counts_over_the_whole_audit_log(master):
    master.audit = with_history(FakeMaster()).audit
    report = reports.refresh_summary(master, today=TODAY)
    assert report.summary.since is None and len(report.summary.movement) == 2
    assert master.summary == report.summary and master.writes == ["summary"]


# ---------------------------------------------------------------------------- board report
def test_a_board_report_has_a_part_for_each_review_and_saves_nothing(master, plans, writer):
    master.register = two_reviews()
    report = reports.report_plan(plans, writer, OUT, today=TODAY)
    assert report.out == OUT and not report.refused and not report.public
    assert report.reviews == (REVIEW, OTHER_REVIEW)
    written = writer.written[OUT]
    assert [(p.review, [a.ref for a in p.actions], p.summary.actions) for p in written.parts] == [
        (REVIEW, ["1.1", "1.2", "2.1"], 3), (OTHER_REVIEW, ["1.1"], 1)]
    assert written.today == TODAY and written.note == ""
    assert plans.opened == ["reading"] and plans.saves == 0


def test_a_report_of_one_review_finds_it_whatever_its_case(master, plans, writer):
    master.register = two_reviews()
    report = reports.report_plan(plans, writer, OUT, review=" cspr child e ", today=TODAY)
    assert report.reviews == (OTHER_REVIEW,)
    assert [p.review for p in writer.written[OUT].parts] == [OTHER_REVIEW]


def test_an_unknown_review_is_refused_naming_the_reviews_there_are(plans, writer):
    with pytest.raises(InputError, match=rf"has no review 'SAR X' \(its reviews: '{REVIEW}'\)"):
        reports.report_plan(plans, writer, OUT, review="SAR X", today=TODAY)
    assert writer.written == {}


def test_a_report_that_cannot_be_written_is_refused_before_any_work(master, plans):
    writer = FakeReportWriter(refuse={OUT: "the folder does not exist"})
    master.register.actions[0] = replace(master.register.actions[0], progress="Call 07700 900123.")
    with pytest.raises(InputError, match="the folder does not exist"):
        reports.report_plan(plans, writer, OUT, public=True, today=TODAY)
    assert writer.written == {} and plans.saves == 0 and plans.stored.findings == []


def test_a_plan_with_no_actions_has_no_report(writer):
    plans = FakePlans(FakeMaster())
    with pytest.raises(InputError, match="has no actions to report on yet"):
        reports.report_plan(plans, writer, OUT, today=TODAY)
    assert writer.written == {}


def test_a_public_report_is_refused_while_personal_data_is_unaccepted(master, plans, writer):
    master.register.actions[1] = replace(master.register.actions[1], progress="Sent to j.bloggs@example.org.")
    report = reports.report_plan(plans, writer, OUT, public=True, today=TODAY)
    assert report.refused and report.out is None
    assert [(p.ref, p.field, p.kind) for p in report.findings] == [("1.2", "Progress", "email")]
    assert writer.written == {}
    # The findings are listed on the Exceptions sheet, so the master is saved even though nothing was written.
    assert [(f.rule, f.ref) for f in plans.stored.findings] == [("personal-data", "1.2")]
    assert plans.opened == ["editing"] and plans.saves == 1


def test_a_public_report_replaces_earlier_personal_data_warnings_and_keeps_other_findings(master, plans, writer):
    kept = Finding("warning", "lead-missing", REVIEW, "2.1", "Lead Agency", "no lead agency is assigned")
    stale = Finding("warning", "personal-data", REVIEW, "1.1", "Progress", "may hold a name")
    master.findings = [kept, stale]
    master.register.actions[1] = replace(master.register.actions[1], progress="Sent to j.bloggs@example.org.")
    reports.report_plan(plans, writer, OUT, public=True, today=TODAY)
    reports.report_plan(plans, writer, OUT, public=True, today=TODAY)  # refusing again piles nothing up
    assert [(f.rule, f.ref) for f in plans.stored.findings] == [("lead-missing", "2.1"), ("personal-data", "1.2")]


def test_accepted_personal_data_is_published_with_a_note_saying_so(master, plans, writer):
    master.register.actions[1] = replace(master.register.actions[1], progress="Sent to j.bloggs@example.org.")
    report = reports.report_plan(plans, writer, OUT, public=True, accept_findings=True, today=TODAY)
    assert report.out == OUT and report.accepted and len(report.findings) == 1
    assert writer.written[OUT].note == ("Checked for personal data on 01/06/2026: 1 possible items were reviewed "
                                        "and accepted for publication.")


def test_a_clean_public_report_says_the_scan_found_nothing(plans, writer):
    report = reports.report_plan(plans, writer, OUT, public=True, today=TODAY)
    assert report.out == OUT and report.findings == () and not report.accepted
    assert writer.written[OUT].note == "Checked for personal data on 01/06/2026: nothing found."
    assert plans.stored.findings == []


def test_each_part_of_the_report_counts_movement_since_the_latest_round(master, plans, writer):
    with_history(master)
    reports.report_plan(plans, writer, OUT, today=TODAY)
    (part,) = writer.written[OUT].parts
    assert part.summary.since == LATEST_ROUND and [(m.old, m.new) for m in part.summary.movement] == [("G", "B")]
