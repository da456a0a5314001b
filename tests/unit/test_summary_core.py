"""The summary figures: against the Register of the sample plan, and for generated plans."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ragbook.core.model import Action, Agency, Register
from ragbook.core.ratings import DEFAULT_INDEX, Rating, RatingIndex
from ragbook.core.summary import (NO_LEAD, UNRATED, headline, latest_round, lead_groups, movement, returns_matrix,
                                  slippage, summarise)
from ragbook.core.records import AuditEntry
from ragbook.io.master.workbook import MasterWorkbook
from support_reporting import ROUND_ISSUED, TODAY, build_sample


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    plan = build_sample(tmp_path_factory.mktemp("sample"))
    master = MasterWorkbook.open(plan)
    return master.read_register(), master.read_audit(), master.read_returns()


def label_of(index: RatingIndex, rag: str) -> str:
    """The oracle: an action's bucket, worked out independently of the summary code."""
    text = rag.strip().upper().replace("\u0412", "B").replace("\u0410", "A")  # Cyrillic VE and A
    for rating in index.ratings:
        if text in {rating.code.upper(), rating.label.upper()}:
            return rating.label
    return UNRATED


def test_sample_counts_equal_the_register(sample):
    register, audit, returns = sample
    summary = summarise(register, audit, returns, TODAY, ROUND_ISSUED)
    expected = Counter(label_of(register.index, a.rag) for a in register)
    assert dict(zip(summary.buckets, summary.overall.counts)) == {b: expected.get(b, 0) for b in summary.buckets}
    # The sample plan as published: 13 Blue, 1 Amber, 4 cells left blank, 18 actions.
    assert summary.overall.counts == (13, 0, 1, 0, 4)
    assert summary.actions == summary.overall.total == 18
    assert [t.group for t in summary.by_recommendation] == [f"Recommendation {n}" for n in range(1, 6)]
    assert [t.total for t in summary.by_recommendation] == [3, 3, 4, 2, 6]
    assert summary.by_recommendation[1].counts == (1, 0, 1, 0, 1)  # 2.1 unrated, 2.2 Blue, 2.3 Amber
    assert summary.overall.shares()[0] == pytest.approx(13 / 18)


def test_sample_lead_agencies_in_the_agencies_sheet_order(sample):
    register, audit, returns = sample
    summary = summarise(register, audit, returns, TODAY)
    assert [t.group for t in summary.by_agency] == [
        "Partnership Business Unit", "Children's Social Care", "Police", "Health", "Education", "All agencies"]
    # 4.2 is led by four agencies jointly: it counts for each of them.
    assert summary.by_agency[2].total == 2  # Police: 4.2 and 5.2
    assert sum(t.total for t in summary.by_agency) == sum(len(lead_groups(a)) for a in register)


def test_sample_overdue_oldest_first_and_never_blue(sample):
    register, audit, returns = sample
    summary = summarise(register, audit, returns, TODAY)
    refs = [o.ref for o in summary.overdue]
    # Not Blue and past their date on 1 June 2021: 1.3 (31/12/2020), 4.2 (31/03/2021); 2.1 is not due till
    # 2022, 2.3 was revised to 2022 and 3.3 to September 2021.
    assert refs == ["1.3", "4.2"]
    assert summary.overdue[0].days == (TODAY - date(2020, 12, 31)).days
    assert summary.overdue[0].lead_agency == "Partnership Business Unit"
    assert all(label_of(register.index, next(a for a in register if a.ref == o.ref).rag) != "Blue"
               for o in summary.overdue)


def test_movement_since_the_latest_round_of_returns(sample):
    register, audit, returns = sample
    assert latest_round(returns) == date(2021, 5, 15)
    moved = movement(register.index, audit, ROUND_ISSUED)
    assert [(m.old, m.new, m.count) for m in moved] == [("A", "G", 3), ("G", "R", 1)]
    assert moved[0].refs == ("SCR Sam and Kyle 1.1", "SCR Sam and Kyle 3.1", "SCR Sam and Kyle 3.2")
    # 5.5 went Green to Amber and back within the quarter: no net movement. Over the whole log, 5.2 adds one.
    everything = movement(register.index, audit, None)
    assert [(m.old, m.new, m.count) for m in everything] == [("A", "G", 4), ("G", "R", 1)]
    summary = summarise(register, audit, returns, TODAY, ROUND_ISSUED)
    assert headline(summary) == (
        "18 actions: 13 Blue, 1 Amber, 4 Unrated. Movement since 01/04/2021: 3 moved Amber to Green; 1 moved Green "
        "to Red. 2 not complete and past their date, the oldest due 31/12/2020.")


def test_slippage_counts_each_revision(sample):
    register, audit, _ = sample
    lines = {s.ref: s for s in slippage(register, audit)}
    assert set(lines) == {"2.3", "3.3"}
    assert lines["2.3"].revisions == 2 and lines["2.3"].days == (date(2022, 6, 30) - date(2022, 3, 31)).days
    assert lines["3.3"].revisions == 1 and lines["3.3"].days == (date(2021, 9, 30) - date(2021, 2, 28)).days


def test_returns_matrix_issued_came_back_pending(sample):
    register, _, returns = sample
    lines = {r.agency: r for r in returns_matrix(register.agency_names(), returns, TODAY)}
    assert list(lines) == ["Partnership Business Unit", "Children's Social Care", "Police", "Health", "Education"]
    police = lines["Police"]
    assert (police.issued, police.returned, police.accepted, police.pending, police.overdue) == (2, 1, 1, 1, 1)
    assert police.oldest_pending == ROUND_ISSUED and police.days_pending == (TODAY - ROUND_ISSUED).days
    assert (lines["Children's Social Care"].partly, lines["Health"].rejected) == (1, 1)
    education = lines["Education"]
    assert (education.pending, education.overdue, education.days_pending) == (1, 0, 17)


# ---------------------------------------------------------------------------- generated plans
REVIEWS = ("SCR Sam and Kyle", "CSPR Child D", "SAR Mr E")
AGENCIES = ("Police", "Health", "Children's Social Care", "Education")
OTHER_INDEX = RatingIndex((
    Rating("C", "Complete", "Completed and evidenced.", "0070C0", "FFFFFF"),
    Rating("OT", "On track", "On track.", "00B050", "000000"),
    Rating("M", "Monitor", "Needs monitoring.", "FFC000", "000000"),
))


@st.composite
def registers(draw):
    index = draw(st.sampled_from([DEFAULT_INDEX, OTHER_INDEX]))
    rags = st.sampled_from(list(index.codes) + [r.label.lower() for r in index.ratings] + ["", " ", "X", "\u0412"])
    leads = st.lists(st.sampled_from(AGENCIES + ("All agencies", "Probation")), max_size=3).map("; ".join)
    dates = st.one_of(st.none(), st.dates(date(2019, 1, 1), date(2023, 12, 31)))
    keys = draw(st.lists(st.tuples(st.sampled_from(REVIEWS), st.integers(1, 6), st.integers(1, 5)), unique=True,
                         max_size=40))
    actions = [
        Action(review, f"{rec}.{number}", f"Recommendation {rec}", f"Action {number}", draw(leads), draw(dates),
               draw(dates), "", "", draw(rags))
        for review, rec, number in keys
    ]
    return Register(index, actions, [Agency(a) for a in AGENCIES])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(registers(), st.dates(date(2020, 1, 1), date(2023, 1, 1)))
def test_generated_plans_every_action_in_exactly_one_bucket_per_view(register, today):
    summary = summarise(register, [], [], today)
    n = len(register)
    assert summary.overall.total == n
    assert sum(t.total for t in summary.by_review) == n
    assert sum(t.total for t in summary.by_recommendation) == n
    assert sum(t.total for t in summary.by_agency) == sum(len(lead_groups(a)) for a in register)
    oracle = [label_of(register.index, a.rag) for a in register]
    assert dict(zip(summary.buckets, summary.overall.counts)) == {b: oracle.count(b) for b in summary.buckets}
    for tally in summary.by_review:
        members = [label for a, label in zip(register, oracle) if a.review == tally.group]
        assert tally.counts == tuple(members.count(b) for b in summary.buckets)
    for tally in summary.by_agency:
        members = [label for a, label in zip(register, oracle)
                   if tally.group in lead_groups(a) or (tally.group == NO_LEAD and not a.lead_agencies)]
        assert tally.counts == tuple(members.count(b) for b in summary.buckets)
    for tally in summary.by_review + summary.by_recommendation + summary.by_agency + (summary.overall,):
        assert sum(tally.shares()) == pytest.approx(1.0 if tally.total else 0.0)
    complete = [r.label for r in register.index.ratings][0] if register.index.ratings[0].label == "Blue" else None
    dues = [o.due for o in summary.overdue]
    assert dues == sorted(dues) and all(d < today for d in dues)
    assert complete is None or all(summary.label(o.rating) != complete for o in summary.overdue)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["A", "G", "R", "B", ""]), st.sampled_from(["A", "G", "R", "B", ""]),
                          st.sampled_from(["1.1", "1.2", "2.1"]), st.integers(0, 90)), max_size=30))
def test_movement_nets_each_action_once(changes):
    start = date(2021, 1, 1)
    audit = [AuditEntry(start + timedelta(days=d), "", "", "R", ref, "RAG", old, new) for old, new, ref, d in changes]
    moved = movement(DEFAULT_INDEX, audit, None)
    refs = [ref for m in moved for ref in m.refs]
    assert len(refs) == len(set(refs)) == sum(m.count for m in moved)
    assert all(m.old != m.new for m in moved)
