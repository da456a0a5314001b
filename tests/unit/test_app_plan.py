"""The Start and Maintain use cases (new plan, import, validate, colour) on an in-memory master."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ragbook.app import plan
from ragbook.core.errors import InputError
from ragbook.core.model import Action
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.core.records import Finding
from ragbook.core.repair import ImportedPlan, LegendEntry, SourceRow
from tests.helpers.fakes import FakeMaster, FakePlans, FakeSources
from tests.helpers.small_plan import CARE_PLANS, ESCALATION, REVIEW, small_plan

SOURCE = Path("SCR Adult D action plan.docx")
TODAY = date(2026, 6, 1)
OUR_WORDS = {"Blue": "Done, and the evidence seen by the board.", "Green": "Going to plan.",
             "Amber": "Slipping; watch it.", "Red": "Stuck; the board must act."}


def source_plan(*rows: Action, legend: dict[str, str] | None = None) -> ImportedPlan:
    return ImportedPlan(REVIEW, [SourceRow(f"table 1 row {n}", a) for n, a in enumerate(rows, start=2)],
                        [LegendEntry(f"key row {n}", label, meaning)
                         for n, (label, meaning) in enumerate((legend or {}).items(), start=1)])


def sources(*rows: Action, legend: dict[str, str] | None = None) -> FakeSources:
    return FakeSources({SOURCE: source_plan(*rows, legend=legend)})


# ---------------------------------------------------------------------------- new plan
def test_a_new_plan_without_a_source_is_an_empty_master_with_its_own_ledger_key():
    plans = FakePlans()
    assert plan.new_plan(plans, FakeSources({})) is None
    assert plans.saves == 1
    assert len(plans.stored.register) == 0
    assert plans.stored.ledger.secret and plans.stored.ledger.entries == []
    other = FakePlans(name="Other.xlsx")
    plan.new_plan(other, FakeSources({}))
    assert other.stored.ledger.secret != plans.stored.ledger.secret  # each master its own key


def test_a_new_plan_from_a_source_imports_it_and_takes_its_legend_as_the_rating_index():
    plans = FakePlans()
    report = plan.new_plan(plans, sources(*small_plan().actions, legend=OUR_WORDS), SOURCE)
    assert (report.actions, report.added, report.updated, report.unchanged) == (3, 3, 0, 0)
    assert report.review == REVIEW and report.source == SOURCE
    stored = plans.stored
    assert [a.ref for a in stored.register] == ["1.1", "1.2", "2.1"]
    assert [r.meaning for r in stored.register.index.ratings] == list(OUR_WORDS.values())
    assert [r.fill for r in stored.register.index.ratings] == [r.fill for r in DEFAULT_INDEX.ratings]
    assert all(a.updated_by == f"import of {SOURCE.name}" for a in stored.register)
    assert plans.saves == 1


def test_a_new_plan_is_refused_over_an_existing_master(plans, master):
    with pytest.raises(InputError, match="already exists"):
        plan.new_plan(plans, sources(*small_plan().actions), SOURCE)
    assert plans.saves == 0
    assert plans.stored is master and master.writes == []


# ---------------------------------------------------------------------------- import
def test_importing_adds_new_actions_updates_changed_ones_and_stamps_them(plans):
    before = small_plan().actions
    changed = replace(before[0], progress="Policy recirculated in January.", last_updated=None, updated_by="")
    added = Action(REVIEW, "3.1", "Train front-door staff.", "Deliver the training.", "Health", date(2027, 1, 31),
                   rag="G")
    report = plan.import_plan(plans, sources(changed, before[1], added), SOURCE)
    assert (report.actions, report.added, report.updated, report.unchanged) == (3, 1, 1, 1)
    register = plans.stored.register
    assert [a.ref for a in register] == ["1.1", "1.2", "2.1", "3.1"]
    assert register.actions[0].progress == "Policy recirculated in January."
    assert register.actions[0].updated_by == f"import of {SOURCE.name}"
    assert register.actions[1] == before[1]  # unchanged: not restamped
    assert plans.saves == 1


def test_a_blank_field_in_the_source_never_blanks_what_the_master_holds(plans):
    blanked = replace(small_plan().actions[2], progress="", evidence="")
    report = plan.import_plan(plans, sources(blanked), SOURCE)
    assert report.unchanged == 1
    kept = plans.stored.register.actions[2]
    assert (kept.progress, kept.evidence) == ("Audit done.", "Audit report")


def test_the_sources_ratings_are_repaired_and_each_repair_reported(plans):
    typed = Action(REVIEW, "2.2", CARE_PLANS, "Re-audit in a year.", "Health", date(2027, 3, 31), rag="green")
    report = plan.import_plan(plans, sources(typed), SOURCE)
    assert plans.stored.register.actions[-1].rag == "G"
    assert [r.location for r in report.repairs] == ["table 1 row 2"]
    assert report.repairs[0].ref == "2.2"


def test_a_legend_that_differs_from_the_masters_index_is_reported_not_applied(plans, master):
    report = plan.import_plan(plans, sources(*small_plan().actions, legend={"Blue": "Done.", "Purple": "Parked."}),
                              SOURCE)
    assert report.index_differences  # said, so the team can decide
    assert plans.stored.register.index == master.register.index


def test_a_review_named_on_the_command_line_is_asked_of_the_source_and_reported(plans):
    given = sources(*small_plan().actions)
    report = plan.import_plan(plans, given, SOURCE, review="SCR Adult D (2026)")
    assert report.review == "SCR Adult D (2026)"
    assert [(path, review) for path, _, review in given.asked] == [(SOURCE, "SCR Adult D (2026)")]


def test_a_failed_import_saves_nothing(plans, master):
    failing = FakeSources({SOURCE: InputError(f"{SOURCE}: is not a Word document.")})
    with pytest.raises(InputError, match="is not a Word document"):
        plan.import_plan(plans, failing, SOURCE)
    assert plans.saves == 0
    assert plans.stored is master and master.writes == []
    assert master.register == small_plan()


def test_importing_a_missing_source_saves_nothing(plans, master):
    with pytest.raises(InputError, match="does not exist"):
        plan.import_plan(plans, FakeSources({}), Path("nowhere.docx"))
    assert plans.saves == 0 and plans.stored is master


# ---------------------------------------------------------------------------- validate
def test_validation_lists_findings_and_marks_cells_on_the_master(master, plans):
    master.register.actions[0] = replace(master.register.actions[0], rag="Purple")
    master.register.actions[2] = replace(master.register.actions[2], lead_agency="Probation")
    report = plan.validate_plan(plans, TODAY)
    rules = {(f.ref, f.rule) for f in report.findings}
    assert {("1.1", "rating-unknown"), ("2.1", "lead-unknown")} <= rules
    assert report.errors == 2 and report.actions == 3
    stored = plans.stored
    assert stored.findings == list(report.findings)
    assert (REVIEW, "1.1", "RAG") in stored.marked and (REVIEW, "2.1", "Lead Agency") in stored.marked
    assert report.marked_cells == len(stored.marked)
    assert plans.saves == 1


def test_validation_also_warns_of_personal_data(master, plans):
    master.register.actions[1] = replace(master.register.actions[1], progress="Spoke to j.bloggs@example.org.")
    report = plan.validate_plan(plans, TODAY)
    personal = [f for f in report.findings if f.rule == "personal-data"]
    assert [(f.ref, f.field, f.severity) for f in personal] == [("1.2", "Progress", "warning")]
    assert report.warnings >= 1 and report.errors == 0
    assert personal[0] in plans.stored.findings


def test_validating_a_clean_plan_clears_earlier_findings_and_notes(master, plans):
    stale = Finding("error", "rating-missing", REVIEW, "1.1", "RAG", "the action has no rating")
    master.findings = [stale]
    master.marked = {(REVIEW, "1.1", "RAG"): "the action has no rating"}
    report = plan.validate_plan(plans, TODAY)
    assert report.findings == () and report.marked_cells == 0
    assert plans.stored.findings == [] and plans.stored.marked == {}


def test_validate_master_works_on_the_master_it_is_given(master):
    master.register.actions[0] = replace(master.register.actions[0], rag="")
    report = plan.validate_master(master, TODAY)
    assert report.plan == master.name
    assert [(f.ref, f.rule) for f in master.findings if f.is_error] == [("1.1", "rating-missing")]


# ---------------------------------------------------------------------------- colour
def test_colouring_counts_the_ratings_and_colours_the_master(master, plans):
    master.register.actions.append(Action(REVIEW, "2.2", CARE_PLANS, "Re-audit.", "Health", rag=""))
    report = plan.colour_plan(plans)
    assert report.counts == {"Green": 1, "Amber": 1, "Blue": 1, "unrated or unknown": 1}
    assert report.plan == master.name
    assert plans.stored.coloured and plans.saves == 1


def test_colour_master_colours_the_master_it_is_given():
    master = FakeMaster(small_plan())
    assert plan.colour_master(master).counts == {"Green": 1, "Amber": 1, "Blue": 1}
    assert master.writes == ["colours"]


def test_a_source_without_rows_adds_nothing(plans):
    report = plan.import_plan(plans, FakeSources({SOURCE: ImportedPlan(REVIEW, [], notes=["no table found"])}),
                              SOURCE)
    assert (report.actions, report.added) == (0, 0)
    assert report.notes == ("no table found",)
    assert [a.ref for a in plans.stored.register] == ["1.1", "1.2", "2.1"]
    assert ESCALATION in {a.recommendation for a in plans.stored.register}


def test_validation_without_a_date_judges_overdue_as_at_the_round_sheets_validate_as_at():
    from ragbook.core.round import RoundSettings

    late = Action(REVIEW, "1.1", "Share the plan", "Write to every agency", "Police", date(2026, 3, 31), rag="G")
    master = FakeMaster()
    master.register.actions = [late]
    master.round = RoundSettings(validate_as_at=date(2026, 3, 1))
    assert not [f for f in plan.validate_master(master).findings if f.rule == "overdue"]
    master.round = RoundSettings(validate_as_at=date(2026, 4, 1))
    assert [f.ref for f in plan.validate_master(master).findings if f.rule == "overdue"] == ["1.1"]
