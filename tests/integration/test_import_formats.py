"""Word, Excel and CSV plans import, validate and colour like the text sample."""

from __future__ import annotations

from datetime import date

from openpyxl import load_workbook

from ragbook import commands
from ragbook.io.plans import FilePlans
from ragbook.io.master.workbook import MasterWorkbook
from tests.helpers.plan_files import REC_1, write_docx, write_xlsx

TODAY = date(2026, 6, 1)


def read(plan):
    return MasterWorkbook.open(plan).read_register()


def test_a_word_plan_with_merged_recommendation_cells_imports_every_action(tmp_path):
    plan = tmp_path / "plan.xlsx"
    report = commands.new_plan(plan, write_docx(tmp_path / "plan.docx"))
    assert report.review == "SAR Adult D"
    register = read(plan)
    assert [(a.ref, a.rag) for a in register.actions] == [("1.1", "B"), ("1.2", "G"), ("2.1", "A")]
    assert register.actions[1].recommendation == REC_1  # merged down from 1.1, not a repair
    assert not [r for r in report.repairs if "recommendation" in r.message]
    assert register.actions[0].target_date == date(2026, 3, 31)
    assert register.actions[0].lead_agency == "Partnership Business Unit"
    assert register.actions[0].evidence == "Policy v2 on website"


def test_a_word_plans_key_becomes_the_new_masters_index(tmp_path):
    plan = tmp_path / "plan.xlsx"
    commands.new_plan(plan, write_docx(tmp_path / "plan.docx"))
    index = MasterWorkbook.open(plan).read_index()
    assert index["A"].meaning == "Needs monitoring."
    assert index["R"].meaning == "Not on track, remedial action required."


def test_an_excel_plan_with_other_header_words_imports(tmp_path):
    plan = tmp_path / "plan.xlsx"
    report = commands.new_plan(plan, write_xlsx(tmp_path / "plan.xlsx.src.xlsx"))
    assert report.review == "DHR Family E"
    register = read(plan)
    assert [(a.ref, a.lead_agency, a.rag) for a in register.actions] == [
        ("1.1", "Partnership Business Unit", "B"), ("1.2", "Police", "G"), ("2.1", "Children's Social Care", "A")
    ]
    assert register.actions[2].target_date == date(2025, 12, 31)


def test_a_csv_plan_imports_with_a_review_name_given(tmp_path):
    source = tmp_path / "plan.csv"
    source.write_text(
        "Ref,Recommendation,Actions,Lead Agency,Target Date,Progress/Comments,RAG Rating\n"
        '1.1,"Improve, urgently, the escalation policy",Rewrite the policy,Police,2026-03-31,"Started, on plan",G\n',
        encoding="utf-8",
    )
    plan = tmp_path / "plan.xlsx"
    commands.new_plan(plan, source, review="LCSPR Child F")
    (action,) = read(plan).actions
    assert (action.review, action.recommendation, action.progress) == (
        "LCSPR Child F", "Improve, urgently, the escalation policy", "Started, on plan")


def test_imported_word_and_excel_plans_validate_and_colour(tmp_path):
    plan = tmp_path / "plan.xlsx"
    commands.new_plan(plan, write_docx(tmp_path / "plan.docx"))
    commands.import_plan(write_xlsx(tmp_path / "other.xlsx"), plan)
    with FilePlans(plan).editing() as master:
        register = master.read_register()
        register.agencies = [__import__("ragbook.core.model", fromlist=["Agency"]).Agency(n) for n in
                             ("Partnership Business Unit", "Police")]
        master.write_register(register)
    report = commands.validate_plan(plan, TODAY)
    rules = sorted({(f.review, f.ref, f.rule) for f in report.findings})
    assert ("SAR Adult D", "2.1", "lead-unknown") in rules
    assert ("SAR Adult D", "2.1", "overdue") in rules
    assert ("SAR Adult D", "2.1", "amber-no-revised-date") in rules
    assert ("DHR Family E", "1.2", "blue-no-evidence") not in rules
    counts = commands.colour_plan(plan).counts
    assert counts == {"Blue": 2, "Green": 2, "Amber": 2}
    ws = load_workbook(plan)["Register"]
    assert ws["J2"].fill.fgColor.rgb == "000070C0"
