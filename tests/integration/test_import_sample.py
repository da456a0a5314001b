"""The real sample plan imports with every action and every repair reported."""

from __future__ import annotations

from ragbook import commands
from ragbook.core.privacy import scan
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.demo import sample_plan
from ragbook.io.importers import read_source
from ragbook.io.master.workbook import MasterWorkbook


def test_the_sample_gives_eighteen_actions_in_ref_order(sample_master):
    register = MasterWorkbook.open(sample_master).read_register()
    assert [a.ref for a in register.actions] == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4",
        "4.1", "4.2", "5.1", "5.2", "5.3", "5.4", "5.5", "5.6",
    ]
    assert {a.review for a in register.actions} == {"SCR Sam and Kyle"}


def test_every_repair_of_the_sample_is_reported_one_line_each(sample, tmp_path):
    report = commands.new_plan(tmp_path / "plan.xlsx", sample)
    lines = [str(r) for r in report.repairs]
    assert lines[:7] == [
        "line 14 (ref 3.3): ref was blank; inferred 3.3 (follows 3.2)",
        "line 23 (ref 5.4): ref was blank; inferred 5.4 (follows 5.3)",
        "line 24 (ref 5.5): ref was '-'; inferred 5.5 (follows 5.4)",
        "line 25 (ref 5.6): ref was '-'; inferred 5.6 (follows 5.5)",
        "line 14 (ref 3.3): recommendation text was cut short ('principles within the Signs of Safety ap'...); "
        "recovered from 3.1; the action beside it may be cut short too, check it",
        "line 15 (ref 3.4): recommendation text was blank; recovered from 3.1",
        "line 16 (ref 4.1): recommendation text was cut short ('auditing the operation of the Prevention'...); "
        "recovered from 4.2; the action beside it may be cut short too, check it",
    ]
    lookalikes = [line for line in lines if "Cyrillic Capital Letter Ve" in line]
    assert len(lookalikes) == 13
    assert lookalikes[0] == (
        "line 4 (ref 1.1): rating 'В' holds look-alike letters В (Cyrillic Capital Letter Ve); read as B (Blue)"
    )
    assert lines[-1] == (
        "line 32: rating index row 'Action experiencing threatening problems and issue'... had lost its label; "
        "read as Red (the only rating the legend did not name)"
    )
    assert len(lines) == 21


def test_what_cannot_be_repaired_is_imported_as_it_is(sample_master):
    actions = {a.ref: a for a in MasterWorkbook.open(sample_master).read_register().actions}
    assert actions["2.1"].action == ""
    assert actions["5.5"].action == "]"
    assert actions["1.3"].rag == "" and actions["4.2"].rag == ""
    assert actions["2.3"].rag == "A"
    assert actions["3.4"].recommendation == actions["3.1"].recommendation
    assert actions["3.3"].recommendation.startswith("Thurrock Safeguarding Children Partnership should, using")


def test_the_sample_legend_becomes_the_rating_index_with_its_own_wording(sample_master):
    index = MasterWorkbook.open(sample_master).read_index()
    assert [(r.code, r.label) for r in index.ratings] == [("B", "Blue"), ("G", "Green"), ("A", "Amber"), ("R", "Red")]
    assert index["R"].meaning == (
        "Action experiencing threatening problems and issues, behind schedule and not expected to recover."
    )
    assert [r.fill for r in index.ratings] == [r.fill for r in DEFAULT_INDEX.ratings]


def test_importing_the_same_plan_twice_adds_nothing(sample, sample_master):
    report = commands.import_plan(sample, sample_master)
    assert (report.added, report.updated, report.unchanged) == (0, 0, 18)
    assert len(MasterWorkbook.open(sample_master).read_register()) == 18


def test_a_source_whose_index_differs_is_reported_not_mixed(sample, tmp_path):
    from tests.helpers.plan_files import write_docx

    plan = tmp_path / "plan.xlsx"
    commands.new_plan(plan, sample)
    report = commands.import_plan(write_docx(tmp_path / "other.docx"), plan)
    assert "Amber means 'Action commenced, some delay will recover to completion.' in the master but " \
           "'Needs monitoring.' in the source" in report.index_differences
    assert MasterWorkbook.open(plan).read_index()["A"].meaning == "Action commenced, some delay will recover to completion."


def test_the_sample_validates_with_the_problems_a_careful_reader_sees(sample_master):
    from collections import defaultdict
    from datetime import date

    report = commands.validate_plan(sample_master, date(2026, 11, 26))
    by_rule = defaultdict(list)
    for f in report.findings:
        by_rule[f.rule].append(f.ref)
    assert by_rule["rating-missing"] == ["1.3", "2.1", "3.3", "4.2"]
    assert by_rule["action-blank"] == ["2.1"]
    assert by_rule["action-garbled"] == ["3.3", "3.4", "5.5"]
    assert by_rule["amber-no-revised-date"] == ["2.3"]
    assert len(by_rule["blue-no-evidence"]) == 13  # the sample records progress, never evidence of embedding
    assert len(by_rule["lead-missing"]) == len(by_rule["target-missing"]) == 18  # it names no agencies or dates
    assert set(by_rule) == {"rating-missing", "action-blank", "action-garbled", "amber-no-revised-date",
                            "blue-no-evidence", "lead-missing", "target-missing"}


def test_the_sample_plan_passes_without_false_alarms():
    imported = read_source(sample_plan(), DEFAULT_INDEX, None)
    assert len(imported.rows) == 18
    assert scan(row.action for row in imported.rows) == []
