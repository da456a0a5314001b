"""The board report as a committee paper: written for a master file, read back with python-docx. (The
command's messages and refusals are tested in tests/e2e/test_report_cli.py, the PDF's rendering and tags in
tests/e2e/test_render.py.)"""

from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from datetime import date

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from ragbook import commands
from ragbook.cli import cli
from ragbook.core.model import Action, Register
from ragbook.core.settings import Settings
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.plans import FilePlans
from tests.helpers.history import build_two_rounds
from tests.helpers.large import AGENCIES, large_action
from tests.helpers.returns import fill_return
from tests.helpers.reporting import (A, C, EXCEPTION_HEADERS, REPORT_HEADERS, TODAY, action_table, body_order,
                                     exception_table, shading, table_with, v_merge)

SETTINGS = Settings(partnership="Thurrock Safeguarding Children Partnership", contact="Business Manager",
                    email="lscp.business@example.org", marking="official-sensitive")


def report(plan, tmp_path, *options: str):
    out = tmp_path / "board-report.docx"
    result = CliRunner().invoke(cli, ["report", str(plan), "--out", str(out), "--today", "01/06/2021", *options])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote the board report {out} (SCR Sam and Kyle).\n"
    return Document(str(out))


def with_settings(plan, settings: Settings = SETTINGS):
    with FilePlans(plan).editing() as master:
        master.write_settings(settings)
    return plan


def test_the_first_page_says_whose_paper_it_is_and_what_the_board_is_asked(history_plan, tmp_path):
    document = report(with_settings(history_plan), tmp_path)
    paragraphs = [(p.style.name, p.text) for p in document.paragraphs]
    assert paragraphs[:6] == [
        ("Normal", "Thurrock Safeguarding Children Partnership Board"),
        ("Heading 1", "Action plan progress report: SCR Sam and Kyle"),
        ("Normal", "Report date: 1 June 2021"),
        ("Normal", "Protective marking: OFFICIAL-SENSITIVE"),
        ("Normal", "Author: Partnership Business Unit, Business Manager, lscp.business@example.org"),
        ("Normal", "Plan: SCR Sam and Kyle (18 actions, 5 recommendations)"),
    ]
    headings = [text for style, text in paragraphs if style == "Heading 2"]
    assert headings[:4] == ["1. Purpose", "2. The board is asked to", "3. Progress at a glance",
                            "4. Exceptions: Red, Amber, overdue and held for evidence"]
    asks = [text for style, text in paragraphs if style == "List Number"]
    assert asks[0] == "note the progress on the 18 actions of the plan: 13 Blue, 1 Amber, 4 Unrated."
    assert "agree the revised dates of the 3 actions rated Amber or past their date (2.3, 1.3, 4.2)" in asks[1]
    assert any(a.startswith("note that Police and Education have not yet sent their returns") for a in asks)
    assert any("correct the 6 actions the plan cannot show properly (1.3, 2.1, 3.3, 3.4, 4.2, 5.5" in a for a in asks)
    # The exceptions come before the figures' chart, the returns and the full plan.
    order = body_order(document)
    assert order.index("[table: Ref]") < order.index("5. Movement since the last round of returns (15/05/2021)")
    assert order.index("6. Returns from agencies this round") < order.index("8. The full plan")


def test_exceptions_name_each_actions_lead_dates_rating_and_latest_update(history_plan, tmp_path):
    document = report(history_plan, tmp_path)
    table = exception_table(document)
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    # Amber first, then the overdue, the oldest first; each with its action, lead, dates and latest update.
    assert [(r[0], r[2], r[3], r[4], r[5], r[6]) for r in rows] == [
        ("2.3", "Partnership Business Unit", "31/03/2022", "30/06/2022", "Amber", "Amber"),
        ("1.3", "Partnership Business Unit", "31/12/2020", "", "Unrated", "5 months overdue"),
        ("4.2", "Children's Social Care; Police; Health; Education", "31/03/2021", "", "Unrated", "2 months overdue"),
    ]
    assert rows[0][1] == "Create and implement models of Multi-Agency group supervision."
    assert rows[0][7].startswith("A range of models have been discussed") and rows[0][7].endswith("\u2026")
    # The rating is a word on its colour: never the colour alone.
    assert [shading(tr.tc_lst[5]) for tr in table._tbl.tr_lst[1:]] == ["FFC000", "D9D9D9", "D9D9D9"]


def test_the_full_plan_keeps_rows_whole_and_repeats_its_header(history_plan, tmp_path):
    document = report(history_plan, tmp_path)
    register = MasterWorkbook.open(history_plan).read_register()
    table = action_table(document)
    rows = table._tbl.tr_lst
    assert len(rows) == 1 + len(register)
    header = rows[0].trPr.find(qn("w:tblHeader"))  # repeated on every page, written as Word writes it
    assert header is not None and header.get(qn("w:val")) is None
    assert all(tr.trPr.find(qn("w:tblHeader")) is None for tr in rows[1:])
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)  # no row starts on one page, ends on the next
    index = register.index
    for tr, action in zip(rows[1:], register.actions):
        cells = tr.tc_lst
        assert cells[0].xpath("string(.)") == action.ref
        assert action.lead_agency in cells[3].xpath("string(.)")
        rating = index.get(index.normalise(action.rag).code)
        assert shading(cells[7]) == (rating.fill if rating else "D9D9D9")
        assert cells[7].xpath("string(.)") == (rating.label if rating else "Unrated")
    by_ref = {tr.tc_lst[0].xpath("string(.)"): tr for tr in rows[1:]}
    assert by_ref["2.3"].tc_lst[4].xpath("string(.)") == "31/03/2022Revised 30/06/2022"
    # Blank and garbled actions are said to be so, never printed silently.
    assert by_ref["2.1"].tc_lst[2].xpath("string(.)") == "[No action recorded: see 'Gaps in the plan'.]"
    assert "garbled" in by_ref["5.5"].tc_lst[2].xpath("string(.)")
    # Each recommendation's cell is merged down across its actions.
    merges = [(action.ref, v_merge(tr.tc_lst[1])) for tr, action in zip(rows[1:], register.actions)]
    assert [m for _, m in merges] == ["restart", "continue", "continue"] * 2 + ["restart"] + ["continue"] * 3 + [
        "restart", "continue", "restart"] + ["continue"] * 5
    first_recommendation = next(a.recommendation for a in register if a.ref == "1.1")
    assert rows[1].tc_lst[1].xpath("string(.)") == first_recommendation.replace("\n", "")


def test_plain_tables_have_no_merged_cells(history_plan, tmp_path):
    document = report(history_plan, tmp_path, "--plain-tables")
    table = action_table(document)
    assert not table._tbl.xpath(".//w:vMerge") and not table._tbl.xpath(".//w:gridSpan")
    texts = [tr.tc_lst[1].xpath("string(.)") for tr in table._tbl.tr_lst[1:]]
    assert all(texts) and texts[1] == "Recommendation 1: see 1.1"


def test_gaps_in_the_plan_are_listed_from_validation(history_plan, tmp_path):
    document = report(history_plan, tmp_path)
    gaps = table_with(document, ["Review", "Ref", "Field", "Severity", "Problem"])
    rows = [(row.cells[1].text, row.cells[2].text, row.cells[3].text) for row in gaps.rows[1:]]
    assert ("2.1", "Action", "Error") in rows and ("5.5", "Action", "Warning") in rows
    assert ("1.3", "RAG", "Error") in rows and len(rows) == 8


def test_page_header_footer_and_accessibility(history_plan, tmp_path):
    document = report(with_settings(history_plan), tmp_path)
    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height
    assert section.header.paragraphs[0].text == "OFFICIAL-SENSITIVE"
    footer = section.footer.paragraphs[0]._p
    fields = [t.text.strip() for t in footer.iter(qn("w:instrText"))]
    assert fields == ["PAGE", "NUMPAGES"] and footer.xpath("string(.)").startswith("OFFICIAL-SENSITIVE")
    properties = document.core_properties
    assert properties.title == "Action plan progress report: SCR Sam and Kyle" and properties.language == "en-GB"
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:val")) == "en-GB"
    # Alternative text on every chart and picture; every table's first row a header; no text under 9 pt.
    pictures = document.element.body.iter(qn("wp:docPr"))
    assert all(len(p.get("descr", "")) > 40 for p in pictures)
    assert all(t.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None for t in document.tables)
    sizes = [int(sz.get(qn("w:val"))) for sz in document.element.body.iter(qn("w:sz"))]
    assert sizes and min(sizes) >= 18
    # The chart: ratings stacked per recommendation, each series coloured from the index.
    (chart,) = [rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/chart")]
    root = ET.fromstring(chart.blob)
    series = [(s.find(f"{C}tx//{C}v").text, s.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val"),
               [int(float(v.text)) for v in s.findall(f"{C}val//{C}pt/{C}v")]) for s in root.iter(f"{C}ser")]
    assert series == [("Blue", "0070C0", [2, 1, 3, 1, 6]), ("Amber", "FFC000", [0, 1, 0, 0, 0]),
                      ("Unrated", "D9D9D9", [1, 1, 1, 1, 0])]


def test_the_annual_table_counts_what_was_implemented_and_why_not(history_plan, tmp_path):
    with FilePlans(history_plan).editing() as master:
        register = master.read_register()
        register.actions = [a.with_changes(progress="Not implemented: the service was recommissioned in 2021.",
                                           rag="") if a.ref == "4.2" else a for a in register.actions]
        master.write_register(register)
    document = report(history_plan, tmp_path, "--annual")
    summary = table_with(document, ["Status", "Recommendations", "Actions"])
    assert [[c.text for c in row.cells] for row in summary.rows[1:]] == [
        ["Implemented (actions complete)", "1", "13"], ["In progress", "3", "4"], ["Not started", "0", "0"],
        ["Not implemented", "1", "1"], ["Total", "5", "18"]]
    table = table_with(document, ["Rec.", "Recommendation", "Actions", "Complete", "Status", "Why not implemented"])
    fourth = [c.text for c in table.rows[4].cells]
    assert fourth[0] == "4" and fourth[4] == "Not implemented"
    assert fourth[5] == "4.2: the service was recommissioned in 2021."


def test_report_of_one_review_among_several(history_plan, tmp_path):
    master = MasterWorkbook.open(history_plan)
    register = master.read_register()
    register.actions.append(Action("CSPR Child D", "1.1", "Audit the front door.", "Dip sample 20 contacts.",
                                   "Police", date(2021, 9, 30), progress="Audit planned.", rag="G"))
    master.write_register(register)
    master.save()
    out = tmp_path / "child-d.docx"
    done = commands.report_plan(history_plan, out, review="cspr child d", today=TODAY)
    assert done.reviews == ("CSPR Child D",)
    table = action_table(Document(str(out)))
    assert [row.cells[0].text for row in table.rows[1:]] == ["1.1"]
    everything = commands.report_plan(history_plan, tmp_path / "all.docx", today=TODAY)
    assert everything.reviews == ("SCR Sam and Kyle", "CSPR Child D")
    document = Document(str(tmp_path / "all.docx"))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "Action plan progress report: SCR Sam and Kyle and CSPR Child D"]
    plan_part = [p.text for p in document.paragraphs if p.style.name == "Heading 3"]
    assert plan_part.count("SCR Sam and Kyle") >= 3 and plan_part.count("CSPR Child D") >= 3


def test_report_movement_since_a_chosen_date(history_plan, tmp_path):
    with FilePlans(history_plan).editing() as master:  # 5.3 went Green to Red on 22/04/2021 (the audit log)
        register = master.read_register()
        register.actions = [a.with_changes(rag="R") if a.ref == "5.3" else a for a in register.actions]
        master.write_register(register)
    document = report(history_plan, tmp_path, "--since", "01/04/2021")
    text = [p.text for p in document.paragraphs]
    assert any(t.startswith("18 actions: 12 Blue, 1 Amber, 1 Red, 4 Unrated. Movement since 01/04/2021: 3 moved "
                            "Amber to Green; 1 moved Green to Red.") for t in text)
    rows = [[c.text for c in row.cells] for row in exception_table(document).rows[1:]]
    assert rows[0][0] == "5.3" and rows[0][5] == "Red" and rows[0][6] == "Red; 6 months overdue; worse (was Green)"
    movement = table_with(document, ["From", "To", "Actions", "Refs"])
    assert [[c.text for c in row.cells] for row in movement.rows[1:]] == [
        ["Amber", "Green", "3", "SCR Sam and Kyle 1.1, SCR Sam and Kyle 3.1, SCR Sam and Kyle 3.2"],
        ["Green", "Red", "1", "SCR Sam and Kyle 5.3"]]


def test_a_300_action_report_is_quick(tmp_path):
    plan = tmp_path / "ActionPlan.xlsx"
    master = MasterWorkbook.create(plan)
    actions = [large_action(n).with_changes(review="CSPR Big", ref=f"{n // 6 + 1}.{n % 6 + 1}") for n in range(300)]
    master.write_register(Register(master.read_index(), actions, AGENCIES))
    master.save()
    started = time.perf_counter()
    commands.report_plan(plan, tmp_path / "big.docx", today=TODAY, annual=True)
    elapsed = time.perf_counter() - started
    assert len(action_table(Document(str(tmp_path / "big.docx"))).rows) == 301
    assert elapsed < 5, f"the report of 300 actions took {elapsed:.1f} s"


def test_headers_are_the_papers(history_plan, tmp_path):
    document = report(history_plan, tmp_path)
    assert [cell.text for cell in exception_table(document).rows[0].cells] == EXCEPTION_HEADERS
    assert [cell.text for cell in action_table(document).rows[0].cells] == REPORT_HEADERS


def test_a_blue_held_back_for_want_of_evidence_is_an_exception(cycle, tmp_path):
    police = cycle.return_of("Police")
    fill_return(police, {"4.2": {"New Rating": "B", "Progress Update": "All sessions held.", "Updated By": "DI Shah"}})
    consolidated = commands.consolidate_plan(cycle.plan, [police])
    assert any("without evidence" in reason for o in consolidated.outcomes for reason in o.reasons)
    out = tmp_path / "held.docx"
    commands.report_plan(cycle.plan, out, today=date(2026, 4, 1))
    document = Document(str(out))
    rows = {row.cells[0].text: [c.text for c in row.cells] for row in exception_table(document).rows[1:]}
    assert "Blue from Police held: no evidence yet" in rows["4.2"][6]
    asks = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert any("4.2" in a and "held until the agencies send their evidence" in a for a in asks)


def test_a_row_taller_than_a_page_is_cut_into_rows_that_repeat_its_ref(history_plan, tmp_path):
    long_progress = " ".join(f"Quarter {n}: the audit of {n * 3} cases found practice improving in every team."
                             for n in range(1, 60))
    with FilePlans(history_plan).editing() as master:
        register = master.read_register()
        register.actions = [a.with_changes(progress=long_progress) if a.ref == "3.1" else a for a in register.actions]
        master.write_register(register)
    table = action_table(report(history_plan, tmp_path))
    refs = [tr.tc_lst[0].xpath("string(.)") for tr in table._tbl.tr_lst[1:]]
    pieces = [r for r in refs if r.startswith("3.1")]
    assert pieces[0] == "3.1" and len(pieces) >= 2 and set(pieces[1:]) == {"3.1cont."}  # "3.1", then "cont."
    rows = [tr for tr in table._tbl.tr_lst[1:] if tr.tc_lst[0].xpath("string(.)").startswith("3.1")]
    assert "".join(tr.tc_lst[5].xpath("string(.)") for tr in rows).replace(" ", "") == long_progress.replace(" ", "")
    assert all(tr.trPr.find(qn("w:cantSplit")) is not None for tr in rows)


# ---------------------------------------------------------------------------- ratings by round
@pytest.fixture(scope="module")
def two_rounds_master(tmp_path_factory):
    return build_two_rounds(tmp_path_factory.mktemp("two-rounds"))


def rounds_report(plan, tmp_path):
    out = tmp_path / "board-report.docx"
    result = CliRunner().invoke(cli, ["report", str(plan), "--out", str(out), "--today", "01/06/2021"])
    assert result.exit_code == 0, result.output
    return Document(str(out))


def test_the_ratings_by_round_section_charts_each_round_and_lists_what_moved_worst_first(two_rounds_master,
                                                                                         tmp_path):
    document = rounds_report(two_rounds_master, tmp_path)
    order = body_order(document)
    start = order.index("6. Ratings by round")
    assert order[start + 1].startswith("Each action's rating in each round of returns")
    assert order[start + 3:start + 6] == [
        "Ratings by round: R1: 1 Blue, 1 Green, 2 Amber; R2: 1 Blue, 1 Green, 1 Amber, 1 Red.", "[table: Ref]",
        "Not listed: 1 other action with updates, which neither moved nor stands Red or Amber."]
    table = table_with(document, ["Ref", "Lead", "Direction", "R1", "R2"])
    rows = [[cell.text for cell in row.cells] for row in table.rows[1:]]
    assert rows == [["4.2", "Children's Social Care; Police; Health; Education", "worse", "Amber", "Red"],
                    ["5.2", "Police", "worse", "Green", "Amber"], ["5.4", "Health", "improved", "Amber", "Green"]]
    assert [shading(cell._tc) for cell in table.rows[1].cells[3:]] == ["FFC000", "C00000"]  # the word and its colour
    assert table.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None


def test_the_round_chart_has_a_column_per_round_and_says_itself_in_words(two_rounds_master, tmp_path):
    document = rounds_report(two_rounds_master, tmp_path)
    charts = [ET.fromstring(rel.target_part.blob) for rel in document.part.rels.values()
              if rel.reltype.endswith("/chart")]
    (chart,) = [c for c in charts if "Ratings by round" in "".join(t.text or "" for t in c.iter(f"{A}t"))]
    series = [(s.find(f"{C}tx//{C}v").text, s.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val"),
               [int(float(v.text)) for v in s.findall(f"{C}val//{C}pt/{C}v")]) for s in chart.iter(f"{C}ser")]
    assert series == [("Blue", "0070C0", [1, 1]), ("Green", "00B050", [1, 1]), ("Amber", "FFC000", [2, 1]),
                      ("Red", "C00000", [0, 1])]
    assert [v.text for v in next(chart.iter(f"{C}cat")).iter(f"{C}v")] == ["R1", "R2"]
    described = [p.get("descr") for p in document.element.body.iter(qn("wp:docPr"))]
    assert any(d.startswith("Chart of the ratings by round") and "R2: 1 Blue, 1 Green, 1 Amber, 1 Red" in d
               for d in described)


def test_agencies_chased_twice_are_listed_under_the_returns_and_the_board_is_asked_to_escalate(two_rounds_master,
                                                                                             tmp_path):
    document = rounds_report(two_rounds_master, tmp_path)
    order = body_order(document)
    assert order.index("Agencies chased twice or more (escalate)") > order.index("7. Returns from agencies this round")
    table = table_with(document, ["Agency", "Return", "Due", "Chases", "Last chased", "Past due by"])
    ((agency, return_id, due, chases, chased, late),) = [[c.text for c in row.cells] for row in table.rows[1:]]
    assert (agency, due, chases, chased, late) == ("Education", "02/05/2021", "2", "20/05/2021", "30 days")
    assert return_id.startswith("R002-Education")
    asks = [p.text for p in document.paragraphs if p.style.name == "List Number"]
    assert "agree how to escalate with Education: chased twice or more and still no return (see 'Agencies chased " \
           "twice or more')." in asks


def test_a_plan_without_updates_has_no_ratings_by_round_section(history_plan, tmp_path):
    order = body_order(report(history_plan, tmp_path))
    assert not any("Ratings by round" in line for line in order)
    assert "Agencies chased twice or more (escalate)" not in order
