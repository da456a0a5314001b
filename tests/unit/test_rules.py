"""Validation finds what a careful business manager would, and nothing else."""

from __future__ import annotations

from datetime import date

import pytest

from ragbook.core.model import Action, Agency, Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.core.rules import RULES, validate

TODAY = date(2026, 6, 1)
GOOD = Action(
    review="SCR A", ref="1.1", recommendation="Review the escalation policy.", action="Recirculate the policy.",
    lead_agency="Police", target_date=date(2026, 12, 31), progress="Draft shared.", evidence="", rag="G",
)


def rules_for(*actions: Action, agencies=("Police", "Health")) -> list[str]:
    register = Register(DEFAULT_INDEX, list(actions), [Agency(a) for a in agencies])
    return sorted(f.rule for f in validate(register, TODAY))


def test_a_well_kept_action_has_no_findings():
    assert rules_for(GOOD) == []


def test_every_rule_has_a_severity():
    assert {rule.severity for rule in RULES.values()} == {"error", "warning"}


@pytest.mark.parametrize(
    "changes, expected",
    [
        ({"rag": ""}, ["rating-missing"]),
        ({"rag": "Purple"}, ["rating-unknown"]),
        ({"ref": ""}, ["ref-missing"]),
        ({"ref": "one"}, ["ref-malformed"]),
        ({"action": "  "}, ["action-blank"]),
        ({"action": "]"}, ["action-garbled"]),
        ({"action": "and then the plans are shared"}, ["action-garbled"]),
        ({"lead_agency": ""}, ["lead-missing"]),
        ({"lead_agency": "Polce"}, ["lead-unknown"]),
        ({"lead_agency": "All agencies"}, []),
        ({"target_date": None}, ["target-missing"]),
        ({"target_date": "next spring"}, ["date-invalid"]),
        ({"revised_date": "soon"}, ["date-invalid"]),
        ({"rag": "B"}, ["blue-no-evidence"]),
        ({"rag": "B", "evidence": "Audit of 10 cases, March 2026"}, []),
        ({"target_date": date(2026, 1, 31)}, ["overdue"]),
        ({"target_date": date(2026, 1, 31), "revised_date": date(2026, 9, 30)}, []),
        ({"rag": "A", "revised_date": None}, ["amber-no-revised-date"]),
        ({"rag": "A", "revised_date": date(2026, 5, 1)}, ["amber-past-revised"]),
        ({"rag": "A", "revised_date": date(2026, 9, 1)}, []),
        ({"rag": "R", "progress": ""}, ["red-no-explanation"]),
        ({"rag": "R"}, []),
    ],
)
def test_each_rule_fires_on_its_own_problem(changes, expected):
    assert rules_for(GOOD.with_changes(**changes)) == expected


def test_a_duplicated_ref_is_reported_on_both_actions():
    assert rules_for(GOOD, GOOD.with_changes(action="Another action.")) == ["ref-duplicate", "ref-duplicate"]


def test_the_same_ref_in_two_reviews_is_not_a_duplicate():
    assert rules_for(GOOD, GOOD.with_changes(review="SCR B")) == []


def test_recommendation_text_that_differs_between_its_actions_is_flagged_where_it_differs():
    other = GOOD.with_changes(ref="1.2", recommendation="Review the escalation policy")
    assert rules_for(GOOD.with_changes(recommendation="Review the escalation policy within six months."), other) == [
        "recommendation-inconsistent"
    ]


def test_an_unknown_rating_suggests_the_nearest():
    register = Register(DEFAULT_INDEX, [GOOD.with_changes(rag="Ambr")], [Agency("Police")])
    (found,) = validate(register, TODAY)
    assert found.message == "Rating 'Ambr' is not in the Rating Index (B, G, A, R); did you mean A (Amber)?"
    assert (found.severity, found.field) == ("error", "RAG")


def test_amber_past_its_revised_date_asks_whether_it_should_be_red():
    register = Register(DEFAULT_INDEX, [GOOD.with_changes(rag="A", revised_date=date(2026, 5, 1))], [Agency("Police")])
    (found,) = validate(register, TODAY)
    assert found.message == "Rated Amber and past its revised date 01/05/2026; should it be Red?"


def test_rules_follow_the_partnerships_own_labels_not_fixed_codes():
    from ragbook.core.ratings import Rating, RatingIndex

    index = RatingIndex((Rating("C", "Blue", "Completed", "0070C0", "FFFFFF"), Rating("X", "Red", "Off track", "C00000", "FFFFFF")))
    register = Register(index, [GOOD.with_changes(rag="C"), GOOD.with_changes(ref="1.2", rag="X", progress="")],
                        [Agency("Police")])
    assert sorted(f.rule for f in validate(register, TODAY)) == ["blue-no-evidence", "red-no-explanation"]
