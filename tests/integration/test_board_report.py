"""The board report: written for a master file, read back with python-docx. (The command's messages and
refusals are tested in tests/e2e/test_report_cli.py, the PDF's rendering in tests/e2e/test_render.py.)"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date

from click.testing import CliRunner
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from ragbook import commands
from ragbook.cli import cli
from ragbook.core.model import Action
from ragbook.io.master.workbook import MasterWorkbook
from tests.helpers.reporting import A, C, TODAY, action_table, shading, v_merge


def test_report_layout_read_back(history_plan, tmp_path):
    out = tmp_path / "board-report.docx"
    result = CliRunner().invoke(cli, ["report", str(history_plan), "--out", str(out), "--today", "01/06/2021"])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote the board report {out} (SCR Sam and Kyle).\n"
    register = MasterWorkbook.open(history_plan).read_register()
    document = Document(str(out))

    section = document.sections[0]
    assert section.orientation == WD_ORIENT.LANDSCAPE and section.page_width > section.page_height

    paragraphs = [p.text for p in document.paragraphs]
    assert paragraphs[0] == "SCR Sam and Kyle: action plan progress"
    assert "Report date: 1 June 2021" in paragraphs
    assert any(p.startswith("18 actions: 13 Blue, 1 Amber, 4 Unrated.") and "2 not complete" in p for p in paragraphs)

    table = action_table(document)
    rows = table._tbl.tr_lst
    assert len(rows) == 1 + len(register)
    assert rows[0].trPr.find(qn("w:tblHeader")).get(qn("w:val")) == "true"  # repeated on every page
    assert all(tr.trPr is None or tr.trPr.find(qn("w:tblHeader")) is None for tr in rows[1:])

    index = register.index
    for tr, action in zip(rows[1:], register.actions):
        cells = tr.tc_lst
        assert cells[0].xpath("string(.)") == action.ref
        assert cells[2].xpath("string(.)") == action.action.replace("\n", "")
        rating = index.get(index.normalise(action.rag).code)
        assert shading(cells[4]) == (rating.fill if rating else "D9D9D9")
        assert cells[4].xpath("string(.)") == (rating.label if rating else "Unrated")

    # Each recommendation's cell is merged down across its actions: restart on its first row, continue below.
    merges = [(action.ref, v_merge(tr.tc_lst[1])) for tr, action in zip(rows[1:], register.actions)]
    assert merges == [
        ("1.1", "restart"), ("1.2", "continue"), ("1.3", "continue"),
        ("2.1", "restart"), ("2.2", "continue"), ("2.3", "continue"),
        ("3.1", "restart"), ("3.2", "continue"), ("3.3", "continue"), ("3.4", "continue"),
        ("4.1", "restart"), ("4.2", "continue"),
        ("5.1", "restart"), ("5.2", "continue"), ("5.3", "continue"), ("5.4", "continue"), ("5.5", "continue"),
        ("5.6", "continue"),
    ]
    first_recommendation = next(a.recommendation for a in register if a.ref == "1.1")
    assert rows[1].tc_lst[1].xpath("string(.)") == first_recommendation.replace("\n", "")
    assert all(tr.tc_lst[1].xpath("string(.)") == "" for tr in rows[2:4])

    # The rating bar: one cell per rating present, shaded from the index, widest for the most common.
    bar = document.tables[0]
    assert [cell.text for cell in bar.rows[0].cells] == ["Blue 13", "Amber 1", "Unrated 4"]
    assert [shading(tc) for tc in bar._tbl.tr_lst[0].tc_lst] == ["0070C0", "FFC000", "D9D9D9"]
    widths = [int(col.get(qn("w:w"))) for col in bar._tbl.tblGrid.findall(qn("w:gridCol"))]
    assert widths[0] > widths[2] > 0

    # The native chart: ratings stacked per recommendation, each series coloured from the index.
    (chart,) = [rel.target_part for rel in document.part.rels.values() if rel.reltype.endswith("/chart")]
    root = ET.fromstring(chart.blob)
    assert root.find(f".//{C}grouping").get("val") == "stacked"
    series = [(s.find(f"{C}tx//{C}v").text, s.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val"),
               [int(float(v.text)) for v in s.findall(f"{C}val//{C}pt/{C}v")]) for s in root.iter(f"{C}ser")]
    assert series == [("Blue", "0070C0", [2, 1, 3, 1, 6]), ("Amber", "FFC000", [0, 1, 0, 0, 0]),
                      ("Unrated", "D9D9D9", [1, 1, 1, 1, 0])]
    assert [v.text for v in root.find(f".//{C}cat").iter(f"{C}v")] == [f"Rec. {n}" for n in range(1, 6)]
    assert len(document.inline_shapes) == 1

    # The key at the end: every rating of the index, shaded, with its meaning.
    key = document.tables[-1]
    assert [(row.cells[0].text, row.cells[1].text) for row in key.rows] == [(r.label, r.meaning) for r in index.ratings]
    assert [shading(tr.tc_lst[0]) for tr in key._tbl.tr_lst] == [r.fill for r in index.ratings]


def test_report_of_one_review_among_several(history_plan, tmp_path):
    master = MasterWorkbook.open(history_plan)
    register = master.read_register()
    register.actions.append(Action("CSPR Child D", "1.1", "Audit the front door.", "Dip sample 20 contacts.",
                                   "Police", date(2021, 9, 30), progress="Audit planned.", rag="G"))
    master.write_register(register)
    master.save()
    out = tmp_path / "child-d.docx"
    report = commands.report_plan(history_plan, out, review="cspr child d", today=TODAY)
    assert report.reviews == ("CSPR Child D",)
    table = action_table(Document(str(out)))
    assert [row.cells[0].text for row in table.rows[1:]] == ["1.1"]
    everything = commands.report_plan(history_plan, tmp_path / "all.docx", today=TODAY)
    assert everything.reviews == ("SCR Sam and Kyle", "CSPR Child D")
    document = Document(str(tmp_path / "all.docx"))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "SCR Sam and Kyle: action plan progress", "CSPR Child D: action plan progress"]


def test_report_movement_since_a_chosen_date(history_plan, tmp_path):
    out = tmp_path / "since.docx"
    result = CliRunner().invoke(cli, ["report", str(history_plan), "--out", str(out), "--since", "01/04/2021",
                                      "--today", "01/06/2021"])
    assert result.exit_code == 0, result.output
    text = [p.text for p in Document(str(out)).paragraphs]
    assert ("18 actions: 13 Blue, 1 Amber, 4 Unrated. Movement since 01/04/2021: 3 moved Amber to Green; 1 moved "
            "Green to Red. 2 not complete and past their date, the oldest due 31/12/2020.") in text
