"""The board report: written by ``ragbook report``, read back with python-docx, converted by LibreOffice."""

from __future__ import annotations

import shutil
import xml.etree.ElementTree as ET
import subprocess
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn

from ragbook import commands
from ragbook.cli import cli
from ragbook.core.model import Action
from ragbook.io.reports import pdf
from ragbook.io.sheets import contract as c
from ragbook.io.master.workbook import MasterWorkbook
from tests.support.sheets import sheet_rows
from support_reporting import TODAY, build_sample, copy_of
from test_summary_sheet import A, C, count_colour, ppm_pixels

SOFFICE = shutil.which("soffice")
HEADERS = ["Ref", "Recommendation", "Actions", "Progress/Comments", "RAG"]


@pytest.fixture(scope="module")
def sample_plan_file(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture
def plan(sample_plan_file, tmp_path):
    return copy_of(sample_plan_file, tmp_path / "plan")


def action_table(document):
    return next(t for t in document.tables if [cell.text for cell in t.rows[0].cells] == HEADERS)


def shading(tc) -> str | None:
    shd = tc.tcPr.find(qn("w:shd")) if tc.tcPr is not None else None
    return shd.get(qn("w:fill")) if shd is not None else None


def v_merge(tc) -> str | None:
    merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
    if merge is None:
        return None
    return merge.get(qn("w:val")) or "continue"


def test_report_layout_read_back(plan, tmp_path):
    out = tmp_path / "board-report.docx"
    result = CliRunner().invoke(cli, ["report", str(plan), "--out", str(out), "--today", "01/06/2021"])
    assert result.exit_code == 0, result.output
    assert result.output == f"Wrote the board report {out} (SCR Sam and Kyle).\n"
    register = MasterWorkbook.open(plan).read_register()
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


def test_report_of_one_review_among_several(plan, tmp_path):
    master = MasterWorkbook.open(plan)
    register = master.read_register()
    register.actions.append(Action("CSPR Child D", "1.1", "Audit the front door.", "Dip sample 20 contacts.",
                                   "Police", date(2021, 9, 30), progress="Audit planned.", rag="G"))
    master.write_register(register)
    master.save()
    out = tmp_path / "child-d.docx"
    report = commands.report_plan(plan, out, review="cspr child d", today=TODAY)
    assert report.reviews == ("CSPR Child D",)
    table = action_table(Document(str(out)))
    assert [row.cells[0].text for row in table.rows[1:]] == ["1.1"]
    everything = commands.report_plan(plan, tmp_path / "all.docx", today=TODAY)
    assert everything.reviews == ("SCR Sam and Kyle", "CSPR Child D")
    document = Document(str(tmp_path / "all.docx"))
    assert [p.text for p in document.paragraphs if p.style.name == "Heading 1"] == [
        "SCR Sam and Kyle: action plan progress", "CSPR Child D: action plan progress"]


def plant_personal_data(plan: Path) -> None:
    master = MasterWorkbook.open(plan)
    register = master.read_register()
    for position, action in enumerate(register.actions):
        if action.ref == "2.2":
            register.actions[position] = action.with_changes(
                progress=action.progress + " Debrief with Kyle's mother on 07700 900123.")
        if action.ref == "5.1":
            register.actions[position] = action.with_changes(evidence="Attendance list sent by j.bloggs@example.org")
    master.write_register(register)
    master.save()


def exceptions(plan: Path) -> list[dict]:
    return sheet_rows(plan, c.EXCEPTIONS)


def test_public_report_refused_until_findings_are_accepted_or_resolved(plan, tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["validate", str(plan), "--today", "01/06/2021"]).exit_code == 1
    validation_rows = len(exceptions(plan))
    plant_personal_data(plan)
    out = tmp_path / "public.docx"

    refused = runner.invoke(cli, ["report", str(plan), "--out", str(out), "--public", "--today", "01/06/2021"])
    assert refused.exit_code == 1
    assert not out.exists()
    assert refused.stderr == (
        "  - SCR Sam and Kyle 2.2: Progress may hold a phone number ('07700 900123'); remove it before publishing, "
        "or accept it with --accept-personal-data.\n"
        "  - SCR Sam and Kyle 2.2: Progress may hold a name next to a family word (\"Kyle's mother\"); remove it "
        "before publishing, or accept it with --accept-personal-data.\n"
        "  - SCR Sam and Kyle 5.1: Evidence may hold an email address ('j.bloggs@example.org'); remove it before "
        "publishing, or accept it with --accept-personal-data.\n"
        f"Refused to write the public report {out}: 3 possible items of personal data, listed above and on the "
        f"Exceptions sheet of {plan}; remove them, or accept them with --accept-personal-data.\n")
    rows = exceptions(plan)
    personal = [r for r in rows if r["Rule"] == "personal-data"]
    assert [(r["Severity"], r["Ref"], r["Field"]) for r in personal] == [
        ("warning", "2.2", "Progress"), ("warning", "2.2", "Progress"), ("warning", "5.1", "Evidence")]
    assert len(rows) == validation_rows + 3  # validation's findings are kept

    # Refusing again does not pile up duplicates.
    assert runner.invoke(cli, ["report", str(plan), "--out", str(out), "--public"]).exit_code == 1
    assert len(exceptions(plan)) == validation_rows + 3

    accepted = runner.invoke(cli, ["report", str(plan), "--out", str(out), "--public", "--accept-personal-data",
                                   "--today", "01/06/2021"])
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout.endswith(f"Wrote the board report {out} (SCR Sam and Kyle) after accepting 3 possible "
                                    f"items of personal data.\n")
    assert "3 possible items were reviewed and accepted" in "\n".join(p.text for p in Document(str(out)).paragraphs)

    # Resolved: the text is cleaned, the warnings go from the Exceptions sheet, and the report is written.
    master = MasterWorkbook.open(plan)
    register = master.read_register()
    register.actions = [a.with_changes(progress=a.progress.replace(" Debrief with Kyle's mother on 07700 900123.", ""),
                                       evidence="" if a.ref == "5.1" else a.evidence) for a in register.actions]
    master.write_register(register)
    master.save()
    out.unlink()
    clean = runner.invoke(cli, ["report", str(plan), "--out", str(out), "--public"])
    assert clean.exit_code == 0, clean.output
    assert clean.stdout == (f"Wrote the board report {out} (SCR Sam and Kyle); the personal-data scan found "
                            f"nothing.\n")
    assert len(exceptions(plan)) == validation_rows


def test_report_command_errors(plan, tmp_path, monkeypatch):
    runner = CliRunner()
    result = runner.invoke(cli, ["report", str(plan), "--out", str(tmp_path / "r.docx"), "--review", "SAR X"])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {plan}: has no review 'SAR X' (its reviews: 'SCR Sam and Kyle').\n"
    result = runner.invoke(cli, ["report", str(plan), "--out", str(tmp_path / "r.txt")])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path / 'r.txt'}: a board report is written as .docx or .pdf; choose a "
                             f"name ending in one of them.\n")
    result = runner.invoke(cli, ["report", str(plan), "--out", str(tmp_path / "r.docx"), "--accept-personal-data"])
    assert result.exit_code == 2
    assert "--accept-personal-data only applies to a --public report." in result.stderr
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    result = runner.invoke(cli, ["report", str(plan), "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path / 'r.pdf'}: cannot be made because LibreOffice (soffice) is not "
                             f"installed; install it, or write a Word report with --out r.docx.\n")
    assert not (tmp_path / "r.pdf").exists()


def test_summary_command_error_names_the_file(tmp_path):
    missing = tmp_path / "nope.xlsx"
    missing.write_text("not a workbook")
    result = CliRunner().invoke(cli, ["summary", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {missing}: is ")


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_pdf_report_renders_the_table(plan, tmp_path):
    out = tmp_path / "board-report.pdf"
    result = CliRunner().invoke(cli, ["report", str(plan), "--out", str(out), "--today", "01/06/2021"])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", "-layout", "-f", "1", "-l", "1", str(out), "-"], capture_output=True,
                          text=True, check=True).stdout
    for header in HEADERS:
        assert header in text
    assert "Escalation Policy finalised in July" in text
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", str(out), str(tmp_path / "page")], check=True,
                   timeout=60)
    (page,) = tmp_path.glob("page*.ppm")
    width, height, rgb = ppm_pixels(page)
    assert width > height  # landscape
    assert count_colour(rgb, "0070C0") > 500  # the Blue of the rating bar and the RAG cells
    assert count_colour(rgb, "1F3864") > 100  # the table's header row


def test_report_movement_since_a_chosen_date(plan, tmp_path):
    out = tmp_path / "since.docx"
    result = CliRunner().invoke(cli, ["report", str(plan), "--out", str(out), "--since", "01/04/2021",
                                      "--today", "01/06/2021"])
    assert result.exit_code == 0, result.output
    text = [p.text for p in Document(str(out)).paragraphs]
    assert ("18 actions: 13 Blue, 1 Amber, 4 Unrated. Movement since 01/04/2021: 3 moved Amber to Green; 1 moved "
            "Green to Red. 2 not complete and past their date, the oldest due 31/12/2020.") in text


def test_report_refuses_a_missing_folder_and_an_empty_plan(plan, tmp_path):
    runner = CliRunner()
    out = tmp_path / "no-such-folder" / "r.docx"
    result = runner.invoke(cli, ["report", str(plan), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {out}: the folder {out.parent} does not exist; create it or choose another "
                             f"place.\n")
    assert not out.parent.exists()
    empty = tmp_path / "Empty.xlsx"
    MasterWorkbook.create(empty).save()
    result = runner.invoke(cli, ["report", str(empty), "--out", str(tmp_path / "r.docx")])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {empty}: has no actions to report on yet; import a plan first.\n"
