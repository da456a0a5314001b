"""The summary figures for generated plans, on values built in memory (no files).

The same figures against the sample plan's master are in tests/integration/test_summary_of_the_sample.py.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.core.records import AuditEntry
from ragbook.core.summary import NO_LEAD, lead_groups, movement, summarise
from tests.helpers.summary import label_of, registers


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
