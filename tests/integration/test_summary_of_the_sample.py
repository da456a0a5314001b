"""The summary figures against the Register of the sample plan with a quarter of history, read from its master."""

from __future__ import annotations

from collections import Counter
from datetime import date

import pytest

from ragbook.core.summary import headline, latest_round, lead_groups, movement, returns_matrix, slippage, summarise
from ragbook.io.master.workbook import MasterWorkbook
from tests.helpers.reporting import ROUND_ISSUED, TODAY
from tests.helpers.summary import label_of


@pytest.fixture(scope="module")
def history(history_master):
    """The Register, Audit Log and Returns of the master with history, as the summary code receives them."""
    master = MasterWorkbook.open(history_master)
    return master.read_register(), master.read_audit(), master.read_returns()


def test_sample_counts_equal_the_register(history):
    register, audit, returns = history
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


def test_sample_lead_agencies_in_the_agencies_sheet_order(history):
    register, audit, returns = history
    summary = summarise(register, audit, returns, TODAY)
    assert [t.group for t in summary.by_agency] == [
        "Partnership Business Unit", "Children's Social Care", "Police", "Health", "Education", "All agencies"]
    # 4.2 is led by four agencies jointly: it counts for each of them.
    assert summary.by_agency[2].total == 2  # Police: 4.2 and 5.2
    assert sum(t.total for t in summary.by_agency) == sum(len(lead_groups(a)) for a in register)


def test_sample_overdue_oldest_first_and_never_blue(history):
    register, audit, returns = history
    summary = summarise(register, audit, returns, TODAY)
    refs = [o.ref for o in summary.overdue]
    # Not Blue and past their date on 1 June 2021: 1.3 (31/12/2020), 4.2 (31/03/2021); 2.1 is not due till
    # 2022, 2.3 was revised to 2022 and 3.3 to September 2021.
    assert refs == ["1.3", "4.2"]
    assert summary.overdue[0].days == (TODAY - date(2020, 12, 31)).days
    assert summary.overdue[0].lead_agency == "Partnership Business Unit"
    assert all(label_of(register.index, next(a for a in register if a.ref == o.ref).rag) != "Blue"
               for o in summary.overdue)


def test_movement_since_the_latest_round_of_returns(history):
    register, audit, returns = history
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


def test_slippage_counts_each_revision(history):
    register, audit, _ = history
    lines = {s.ref: s for s in slippage(register, audit)}
    assert set(lines) == {"2.3", "3.3"}
    assert lines["2.3"].revisions == 2 and lines["2.3"].days == (date(2022, 6, 30) - date(2022, 3, 31)).days
    assert lines["3.3"].revisions == 1 and lines["3.3"].days == (date(2021, 9, 30) - date(2021, 2, 28)).days


def test_returns_matrix_issued_came_back_pending(history):
    register, _, returns = history
    lines = {r.agency: r for r in returns_matrix(register.agency_names(), returns, TODAY)}
    assert list(lines) == ["Partnership Business Unit", "Children's Social Care", "Police", "Health", "Education"]
    police = lines["Police"]
    assert (police.issued, police.returned, police.accepted, police.pending, police.overdue) == (2, 1, 1, 1, 1)
    assert police.oldest_pending == ROUND_ISSUED and police.days_pending == (TODAY - ROUND_ISSUED).days
    assert (lines["Children's Social Care"].partly, lines["Health"].rejected) == (1, 1)
    education = lines["Education"]
    assert (education.pending, education.overdue, education.days_pending) == (1, 0, 17)
