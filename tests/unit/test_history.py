"""Each action's rating by round, its direction of travel, the counts per round and the agencies to escalate
(core.history), on records built in memory; and the summary and report use cases drawing them from the Updates
sheet (tests/helpers/fakes.py)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from ragbook.app.reports import board_report, refresh_summary
from ragbook.core.history import IMPROVED, NEW, SAME, WORSE, direction, history, ratings_by_round, to_escalate, travel
from ragbook.core.model import Action, Agency, Register
from ragbook.core.paper import asks, round_note
from ragbook.core.ratings import DEFAULT_INDEX, Rating, RatingIndex, rank, worst
from ragbook.core.records import ReturnRecord, ReturnStatus, UpdateRecord
from ragbook.core.summary import summarise
from tests.helpers.fakes import FakeMaster, FakeReportWriter

REVIEW = "CSPR Child D"
TODAY = date(2026, 7, 1)
# The same four ratings listed Red first, as some partnerships list them.
RED_FIRST = RatingIndex(tuple(reversed(DEFAULT_INDEX.ratings)))


def plan() -> Register:
    return Register(DEFAULT_INDEX, [
        Action(REVIEW, "1.1", "Train staff.", "Deliver training.", "Health", rag="G"),
        Action(REVIEW, "1.2", "Train staff.", "Audit the training.", "Police", rag="A"),
        Action(REVIEW, "2.1", "Share records.", "Agree a protocol.", "Police; Health", rag="R"),
        Action(REVIEW, "2.2", "Share records.", "Sign the protocol.", "Health", rag="B"),
        Action(REVIEW, "3.1", "Close the gap.", "Write the policy.", "Education", rag=""),
    ], [Agency("Health"), Agency("Police"), Agency("Education")])


def update(number: int, agency: str, ref: str, rating: str, return_id: str | None = None,
           review: str = REVIEW) -> UpdateRecord:
    return UpdateRecord(datetime(2026, 3 * number, 1, 9), number, return_id or f"{agency[:3].upper()}-R{number}",
                        agency, review, ref, rating, f"Progress in round {number}.", "", None, agency, "consolidation")


TWO_ROUNDS = [
    update(1, "Health", "1.1", "A"), update(1, "Police", "1.2", "G"), update(1, "Police", "2.1", "G"),
    update(1, "Health", "2.1", "A"), update(1, "Health", "2.2", "G"),
    update(2, "Health", "1.1", "G"), update(2, "Police", "1.2", "A"), update(2, "Police", "2.1", "R"),
    update(2, "Health", "2.1", "G"), update(2, "Health", "2.2", "G"), update(2, "Education", "3.1", "G"),
]


def lines_of(found) -> dict[str, tuple[tuple[str, ...], str]]:
    return {a.ref: (a.ratings, a.direction) for a in found.actions}


def test_each_action_has_its_rating_in_each_round_and_its_direction_between_the_latest_two():
    found = history(plan(), TWO_ROUNDS)
    assert found.rounds == (1, 2)
    assert lines_of(found) == {
        "1.1": (("A", "G"), IMPROVED), "1.2": (("G", "A"), WORSE), "2.1": (("A", "R"), WORSE),
        "2.2": (("G", "G"), SAME), "3.1": (("", "G"), NEW)}
    assert [a.lead_agency for a in found.actions] == ["Health", "Police", "Police; Health", "Health", "Education"]


def test_a_shared_action_takes_the_worst_rating_its_agencies_gave_that_round():
    rated = ratings_by_round(DEFAULT_INDEX, TWO_ROUNDS)
    assert rated[(REVIEW, "2.1")] == {1: "A", 2: "R"}  # Police G and Health A, then Police R and Health G


def test_the_worst_is_consolidations_rule_so_an_index_listed_red_first_still_reads_red_as_worst():
    assert worst(DEFAULT_INDEX, ["G", "A", "B"]) == "A"
    assert worst(RED_FIRST, ["G", "R", "B"]) == "R"
    assert travel(RED_FIRST, "R", "G") == IMPROVED and travel(DEFAULT_INDEX, "B", "R") == WORSE
    other = RatingIndex((Rating("C", "Complete", "", "0070C0", "FFFFFF"), Rating("M", "Monitor", "", "FFC000", "000000")))
    assert rank(other, "C") < rank(other, "M")  # an index without the four roles is read in its own order


def test_a_return_consolidated_again_counts_once_with_its_latest_line():
    again = [update(1, "Police", "1.2", "R"), update(1, "Police", "1.2", "G")]  # the same return, corrected
    assert ratings_by_round(DEFAULT_INDEX, again)[(REVIEW, "1.2")] == {1: "G"}


def test_a_return_consolidated_again_without_a_rating_keeps_the_rating_it_gave_as_the_register_does():
    again = [update(1, "Police", "1.2", "R"), update(1, "Police", "1.2", "")]
    assert ratings_by_round(DEFAULT_INDEX, again)[(REVIEW, "1.2")] == {1: "R"}


def test_the_report_says_what_the_list_by_round_leaves_out():
    assert round_note(history(plan(), TWO_ROUNDS)) == (
        "Not listed: 2 other actions with updates, which neither moved nor stand Red or Amber.")
    steady = history(plan(), [update(1, "Health", "2.2", "G"), update(2, "Health", "2.2", "G")])
    assert round_note(steady) == "The only action with updates neither moved nor stands Red or Amber."
    assert round_note(history(plan(), [update(1, "Health", "1.1", "R")])) == ""


def test_a_reissued_return_is_a_second_return_of_the_round_and_the_worst_stands():
    reissued = [update(1, "Police", "1.2", "G"), update(1, "Police", "1.2", "A", return_id="POL-R1-2")]
    assert ratings_by_round(DEFAULT_INDEX, reissued)[(REVIEW, "1.2")] == {1: "A"}


def test_direction_is_new_after_one_rating_blank_before_any_and_skips_rounds_without_a_rating():
    assert direction(DEFAULT_INDEX, ["", "G"]) == NEW
    assert direction(DEFAULT_INDEX, ["", ""]) == ""
    assert direction(DEFAULT_INDEX, ["R", "", "A"]) == IMPROVED  # the latest two rounds in which it was rated


def test_an_update_without_a_rating_keeps_the_round_but_rates_nothing():
    found = history(plan(), [update(1, "Health", "1.1", "G"), update(2, "Health", "1.1", "")])
    assert found.rounds == (1, 2)
    assert lines_of(found)["1.1"] == (("G", ""), NEW)


def test_ratings_typed_loosely_are_read_as_the_index_reads_them():
    found = history(plan(), [update(1, "Health", "2.2", " blue "), update(2, "Health", "2.2", "\u0412")])
    assert lines_of(found)["2.2"] == (("B", "B"), SAME)


def test_counts_per_round_leave_an_action_where_it_stood_when_its_agency_did_not_reply():
    updates = [update(1, "Health", "1.1", "A"), update(1, "Police", "1.2", "B"), update(2, "Health", "1.1", "G")]
    found = history(plan(), updates)
    assert [(c.round, c.counts) for c in found.by_round] == [(1, (1, 0, 1, 0)), (2, (1, 1, 0, 0))]


@given(st.lists(st.tuples(st.integers(1, 4), st.sampled_from(["Health", "Police"]),
                          st.sampled_from(["1.1", "1.2", "2.1", "9.9"]), st.sampled_from(["B", "G", "A", "R", ""])),
                max_size=30))
def test_every_round_counts_each_action_rated_so_far_once(rows):
    updates = [update(number, agency, ref, rating) for number, agency, ref, rating in rows]
    found = history(plan(), updates)
    rated_by: dict[int, set[str]] = {}
    for number in found.rounds:
        rated_by[number] = {ref for n, _, ref, rating in rows if n <= number and rating}
        assert next(c for c in found.by_round if c.round == number).total == len(rated_by[number])
    assert {a.ref for a in found.actions} == {ref for _, _, ref, _ in rows}


def test_an_action_no_longer_in_the_register_keeps_its_history_without_a_lead():
    found = history(plan(), [update(1, "Health", "9.9", "G")])
    assert [(a.ref, a.lead_agency) for a in found.actions] == [("9.9", "")]


def test_the_listed_actions_are_those_that_moved_or_stand_red_or_amber():
    found = history(plan(), TWO_ROUNDS)
    # Worst first: those that got worse (now Red, then Amber), then the one that improved; 2.2 stayed Green and
    # 3.1 is rated for the first time, Green.
    assert [(a.ref, a.direction) for a in found.listed] == [("2.1", WORSE), ("1.2", WORSE), ("1.1", IMPROVED)]
    assert found.omitted == 2


def test_agencies_chased_twice_or_more_and_still_pending_are_escalated_most_chased_first():
    returns = [
        ReturnRecord("POL-R2", "Police", date(2026, 4, 1), date(2026, 4, 30), None, ReturnStatus.PENDING,
                     chased=date(2026, 5, 20), chases=2),
        ReturnRecord("EDU-R2", "Education", date(2026, 4, 1), "30/04/2026", None, ReturnStatus.PENDING,
                     chased=date(2026, 6, 1), chases=3),
        ReturnRecord("HEA-R2", "Health", date(2026, 4, 1), date(2026, 4, 30), date(2026, 5, 2), ReturnStatus.RECEIVED,
                     chased=date(2026, 4, 28), chases=2),
        ReturnRecord("CSC-R2", "Children's Social Care", date(2026, 4, 1), date(2026, 4, 30), None,
                     ReturnStatus.PENDING, chased=date(2026, 5, 5), chases=1),
    ]
    escalated = to_escalate(returns)
    assert [(e.agency, e.return_id, e.chases, e.due, e.chased) for e in escalated] == [
        ("Education", "EDU-R2", 3, date(2026, 4, 30), date(2026, 6, 1)),
        ("Police", "POL-R2", 2, date(2026, 4, 30), date(2026, 5, 20))]


def test_a_review_summary_holds_its_own_history_and_leaves_escalation_to_the_whole_plan():
    other = update(1, "Health", "1.1", "R", review="SAR Mr E")
    returns = [ReturnRecord("POL-R2", "Police", None, None, None, ReturnStatus.PENDING, chases=2)]
    whole = summarise(plan(), [], returns, TODAY, updates=TWO_ROUNDS + [other])
    part = summarise(plan(), [], returns, TODAY, review=REVIEW, updates=TWO_ROUNDS + [other])
    assert len(whole.history.actions) == 6 and len(whole.history.escalate) == 1
    assert len(part.history.actions) == 5 and part.history.escalate == ()


def test_refresh_summary_reads_the_updates_sheet():
    master = FakeMaster(register=plan(), updates=list(TWO_ROUNDS))
    report = refresh_summary(master, today=TODAY)
    assert report.summary.history.rounds == (1, 2)
    assert master.summary is report.summary


def test_the_board_paper_carries_the_reported_reviews_history_and_asks_to_escalate(tmp_path: Path):
    returns = [ReturnRecord("POL-R2", "Police", date(2026, 4, 1), date(2026, 4, 30), None, ReturnStatus.PENDING,
                            chased=date(2026, 5, 20), chases=2)]
    master = FakeMaster(register=plan(), updates=list(TWO_ROUNDS), returns=returns)
    writer = FakeReportWriter()
    board_report(master, writer, tmp_path / "report.docx", today=TODAY)
    paper = writer.written[tmp_path / "report.docx"]
    assert paper.history.rounds == (1, 2) and [e.agency for e in paper.history.escalate] == ["Police"]
    assert any(ask.startswith("agree how to escalate with Police") for ask in asks(paper, [], []))
