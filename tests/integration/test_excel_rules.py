"""Every file ragbook writes keeps the rules Excel enforces that no schema states, at the edges of its limits.

The edge journey imports a plan holding a 40,000-character progress note, gives the master an index of
nine ratings with long labels and an agency with a 300-character name, issues returns (one set encrypted),
consolidates a filled return and an untouched one, refreshes the Summary and writes the board report; every
file written on the way is checked part by part (tests/helpers/excel_rules.py).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ragbook import commands
from ragbook.core.limits import CELL_TEXT_MAX, CONTINUED, escape_text
from ragbook.core.model import Agency
from ragbook.core.ratings import Rating, RatingIndex
from ragbook.demo import run_demo
from ragbook.demo_returns import fill_return
from ragbook.io.xlsx.validation import rating_list
from ragbook.io.plans import FilePlans
from ragbook.io.returns.crypto import decrypt
from tests.helpers.excel_rules import problems

LONG_AGENCY = "Northshire and Southvale Integrated Care Board " * 6 + "(Safeguarding)"
PROGRESS = " ".join(f"Quarter {n}: training delivered to team {n} and audited." for n in range(1, 800))
NINE = RatingIndex(tuple(
    Rating(code, label * 3, f"{label} meaning, explained at length for the board." * 3, fill, font)
    for code, label, fill, font in (
        ("B", "Blue complete and embedded ", "0070C0", "FFFFFF"), ("G", "Green on track ", "00B050", "000000"),
        ("A", "Amber some delay ", "FFC000", "000000"), ("R", "Red off track ", "C00000", "FFFFFF"),
        ("NS", "Not started ", "D9D9D9", "000000"), ("S", "Superseded ", "BFBFBF", "000000"),
        ("C", "Closed by the board ", "7030A0", "FFFFFF"), ("D", "Deferred ", "FFFF00", "000000"),
        ("W", "Withdrawn ", "808080", "FFFFFF"))))


def write_plan(path: Path) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Review", "Ref", "Recommendation", "Action", "Lead Agency", "Target Date", "Progress", "RAG"])
        writer.writerow(["DHR Edge", "1.1", "Train every team", "Deliver and audit training", LONG_AGENCY,
                         "31/03/2027", PROGRESS, "A"])
        writer.writerow(["DHR Edge", "1.2", "Keep _x0041_ literal", "Write _x0041_ as typed", "Police",
                         "30/06/2027", "Started.", "G"])
        writer.writerow(["DHR Edge", "2.1", "Share information", "Agree a protocol", LONG_AGENCY,
                         "30/09/2027", "Draft circulated.", "G"])
    return path


@pytest.fixture(scope="module")
def edge(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("edge")
    plan = folder / "ActionPlan.xlsx"
    imported = commands.new_plan(plan, write_plan(folder / "plan.csv"))
    with FilePlans(plan).editing() as master:
        register = master.read_register()
        register.index = NINE
        register.agencies = [Agency(LONG_AGENCY, "A. Lead", "lead@example.org"), Agency("Police", "DI Shah", "")]
        master.write_index(NINE)
        master.write_register(register)
    issued = commands.issue_plan(plan, folder / "returns")
    encrypted = commands.issue_plan(plan, folder / "encrypted", password="correct horse")
    long_return = next(r.path for r in issued.returns if r.agency == LONG_AGENCY)
    untouched = next(r.path for r in issued.returns if r.agency == "Police")
    # Typed in Excel, which writes an escape-looking text with its underscore escaped.
    fill_return(long_return, {"2.1": {"New Rating": "NS", "Progress Update": escape_text("Protocol signed _x0042_."),
                                      "Updated By": "A. Lead"}})
    consolidation = commands.consolidate_plan(plan, [long_return, untouched])
    commands.summary_plan(plan)
    report = folder / "board-report.docx"
    commands.report_plan(plan, report)
    xlsm = folder / "ActionPlan.xlsm"
    commands.new_plan(xlsm, folder / "plan.csv")
    return {"plan": plan, "xlsm": xlsm, "imported": imported, "issued": issued, "encrypted": encrypted,
            "consolidation": consolidation, "report": report, "folder": folder}


def written_files(edge) -> dict[str, bytes]:
    files = {"master .xlsx": edge["plan"].read_bytes(), "master .xlsm": edge["xlsm"].read_bytes(),
             "board report": edge["report"].read_bytes()}
    files.update({f"return {r.agency[:20]}": r.path.read_bytes() for r in edge["issued"].returns})
    for r in edge["encrypted"].returns:
        files[f"encrypted return {r.agency[:20]}"] = decrypt(r.path.read_bytes(), "correct horse", r.path)
    return files


def test_every_file_of_the_edge_journey_keeps_excels_rules(edge):
    found = {name: problems(data) for name, data in written_files(edge).items()}
    assert found == {name: [] for name in found}


def test_the_long_progress_note_is_split_between_its_cell_and_the_cells_note(edge):
    assert any("more than an Excel cell holds" in str(r) for r in edge["imported"].repairs)
    ws = load_workbook(edge["plan"])["Register"]
    cell = next(row[7] for row in ws.iter_rows(min_row=2) if row[1].value == "1.1")
    assert len(cell.value) <= CELL_TEXT_MAX and cell.value.endswith(CONTINUED)
    assert cell.comment is not None and (cell.value[: -len(CONTINUED)] + " " + cell.comment.text) == PROGRESS


def test_an_untouched_return_holding_the_long_text_consolidates_as_unchanged(edge):
    outcomes = {o.agency: o for o in edge["consolidation"].outcomes}
    assert outcomes[LONG_AGENCY].status == "Received", outcomes[LONG_AGENCY].reasons
    assert outcomes["Police"].status == "Received", outcomes["Police"].reasons
    assert "no updates were filled in" in " ".join(outcomes["Police"].warnings)


def test_text_that_looks_like_an_excel_escape_reads_back_as_written(edge):
    with FilePlans(edge["plan"]).reading() as master:
        actions = {a.ref: a for a in master.read_register().actions}
    assert actions["1.2"].recommendation == "Keep _x0041_ literal"
    assert actions["2.1"].progress == "Protocol signed _x0042_."


def test_the_returns_footer_and_dropdown_fit_excels_limits(edge):
    path = next(r.path for r in edge["issued"].returns if r.agency == LONG_AGENCY)
    ws = load_workbook(path)["Actions"]
    footer = ws.oddFooter.center.text
    assert len(footer) <= 245 and "page &P of &N" in footer and footer.startswith("Northshire")
    rating = next(v for v in ws.data_validations.dataValidation if v.type == "list")
    assert len(rating.prompt) <= 255 and len(rating.promptTitle) <= 32


# ---------------------------------------------------------------------------- the check finds what it checks
def rewritten(data: bytes, part: str, change) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            body = source.read(info)
            target.writestr(info, change(body) if info.filename == part else body)
    return out.getvalue()


@pytest.mark.parametrize("part, change, complaint", [
    ("xl/workbook.xml", lambda b: b.replace(b"<bookViews>", b"<workbookProtection/><bookViews>"),
     "empty workbookProtection"),
    ("xl/tables/table1.xml", lambda b: b.replace(b'<autoFilter ref="A1:L4"/>', b""), "no filter buttons"),
    ("xl/worksheets/sheet1.xml", lambda b: b.replace(b"<t>Started.</t>", b"<t>" + b"x" * 40_000 + b"</t>"),
     "40,000 characters"),
    ("xl/worksheets/sheet1.xml", lambda b: re.sub(rb' s="\d+"', b' s="999"', b, count=1), "beyond the"),
    ("xl/drawings/commentsDrawing1.vml", lambda b: b.replace(b"Anchor>", b"Anchored>"), "has no anchor"),
    ("[Content_Types].xml", lambda b: b.replace(b'Extension="xml"', b'Extension="xmlx"').replace(
        b'PartName="/xl/styles.xml"', b'PartName="/xl/style.xml"'), "xl/styles.xml: has no content type"),
])
def test_the_check_finds_a_broken_rule(edge, part, change, complaint):
    assert problems(edge["plan"].read_bytes()) == []
    assert any(complaint in line for line in problems(rewritten(edge["plan"].read_bytes(), part, change)))


def test_a_note_keeps_its_size_and_an_anchor_beside_its_cell_across_saves(edge):
    """The long note was written at import; the consolidation and the Summary saved the master again since."""
    with zipfile.ZipFile(edge["plan"]) as archive:
        drawing = archive.read("xl/drawings/commentsDrawing1.vml").decode()
    shape = next(s for s in drawing.split("</ns0:shape>") if "<ns2:Row>1</ns2:Row><ns2:Column>7</ns2:Column>" in s)
    assert "width:480px;height:400px" in shape
    assert "<ns2:Anchor>8, 15, 0, 10, 16, 15, 20, 4</ns2:Anchor>" in shape


def test_every_file_the_demo_writes_keeps_excels_rules(tmp_path):
    plan = run_demo(tmp_path / "demo", say=lambda line: None)
    # returned/ holds what the demo's agencies sent back (some of it broken on purpose): not ragbook's files.
    written = sorted(p for p in plan.parent.rglob("*") if p.suffix in (".xlsx", ".xlsm", ".docx")
                     and "returned" not in p.relative_to(plan.parent).parts)
    assert {p.suffix for p in written} >= {".xlsm", ".xlsx", ".docx"}
    found = {str(p.relative_to(plan.parent)): problems(p.read_bytes()) for p in written}
    assert found == {name: [] for name in found}


def test_a_dropdown_of_many_ratings_points_at_the_index_cells_instead_of_an_inline_list():
    many = RatingIndex(tuple(Rating(f"CODE{n:02}", f"Rating {n}", "", "D9D9D9", "000000") for n in range(40)))
    assert rating_list(NINE, "Rating Index", "A", 2) == '"B,G,A,R,NS,S,C,D,W"'
    assert rating_list(many, "Rating Index", "A", 2) == "'Rating Index'!$A$2:$A$41"


@pytest.mark.parametrize("code", ['A"', "A,B"])
def test_a_rating_code_a_dropdown_cannot_offer_is_refused(code):
    with pytest.raises(ValueError, match="comma or a double quote"):
        Rating(code, "Label", "", "D9D9D9", "000000")


def test_a_persons_note_on_another_sheet_keeps_its_size_across_a_save(sample_master):
    from openpyxl.comments import Comment

    book = load_workbook(sample_master)
    note = Comment("Check the colours with the board.", "Jo")
    note.width, note.height = 300, 150
    book["Rating Index"]["B3"].comment = note
    book.save(sample_master)
    commands.colour_plan(sample_master)
    with zipfile.ZipFile(sample_master) as archive:
        drawings = [archive.read(n).decode() for n in archive.namelist() if n.endswith(".vml")]
    shapes = [shape for drawing in drawings for shape in drawing.split("</ns0:shape>")
              if "width:300px;height:150px" in shape]
    assert len(shapes) == 1 and "Anchor>2, 15, 1, 10, 7, 15, 9, 4</" in shapes[0]
