"""The Summary sheet: written by ``ragbook summary``, read back, charts coloured from the Rating Index."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
import xml.etree.ElementTree as ET
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from ragbook.app import reports
from ragbook import commands
from ragbook.cli import cli
from dataclasses import replace

from ragbook.core.ratings import DEFAULT_INDEX, RatingIndex
from ragbook.io.sheets import contract as c
from ragbook.io.master.workbook import MasterWorkbook
from support_reporting import ROUND_ISSUED, TODAY, build_sample, copy_of
from test_summary_core import registers

SOFFICE = shutil.which("soffice")
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


@pytest.fixture(scope="module")
def sample_plan_file(tmp_path_factory):
    return build_sample(tmp_path_factory.mktemp("sample"))


@pytest.fixture
def plan(sample_plan_file, tmp_path):
    return copy_of(sample_plan_file, tmp_path)


def sheet_values(path: Path) -> list[tuple]:
    book = load_workbook(path)
    return [tuple(row) for row in book[c.SUMMARY].iter_rows(values_only=True)]


def block_rows(path: Path, title_start: str) -> list[tuple]:
    """The rows of one table of the Summary sheet: under its title and header, down to the blank line."""
    rows = sheet_values(path)
    start = next(i for i, row in enumerate(rows) if isinstance(row[0], str) and row[0].startswith(title_start))
    found = []
    for row in rows[start + 2:]:
        if all(v is None for v in row[:12]):
            break
        found.append(row)
    return found


def chart_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name).decode() for name in package.namelist()
                if re.match(r"xl/charts/chart\d+\.xml$", name)}


def test_summary_command_writes_the_figures(plan):
    result = CliRunner().invoke(cli, ["summary", str(plan), "--since", "01/04/2021", "--today", "01/06/2021"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Refreshed the Summary sheet of {plan}. 18 actions: 13 Blue, 1 Amber, 4 Unrated. Movement since "
        f"01/04/2021: 3 moved Amber to Green; 1 moved Green to Red. 2 not complete and past their date, the oldest "
        f"due 31/12/2020.\nReturns: 6 issued, 4 came back, 2 pending.\n")
    overall = block_rows(plan, "Ratings overall")
    assert overall == [("All actions", 13, 0, 1, 0, 4, 18, 13 / 18, 0, 1 / 18, 0, 4 / 18) + (None,) * (len(overall[0]) - 12)]
    recommendations = block_rows(plan, "By recommendation")
    assert [(r[0], r[6]) for r in recommendations] == [(f"Recommendation {n}", t) for n, t in
                                                       zip(range(1, 6), (3, 3, 4, 2, 6))]
    overdue = block_rows(plan, "Overdue")
    assert [(r[2], r[3], r[4], r[5], r[6]) for r in overdue] == [
        ("1.3", datetime(2020, 12, 31), 152, "Unrated", "Partnership Business Unit"),
        ("4.2", datetime(2021, 3, 31), 62, "Unrated", "Children's Social Care; Police; Health; Education"),
    ]
    assert [r[:4] for r in block_rows(plan, "Movement")] == [
        ("Amber", "Green", 3, "SCR Sam and Kyle 1.1, SCR Sam and Kyle 3.1, SCR Sam and Kyle 3.2"),
        ("Green", "Red", 1, "SCR Sam and Kyle 5.3")]
    assert [(r[0], r[1], r[4], r[5]) for r in block_rows(plan, "Target-date slippage")] == [
        ("SCR Sam and Kyle", "2.3", 2, 91), ("SCR Sam and Kyle", "3.3", 1, 214)]
    returns = {r[0]: r[1:7] for r in block_rows(plan, "Returns")}
    assert returns["Police"] == (2, 1, 1, 0, 0, 1)
    assert returns["Children's Social Care"] == (1, 1, 0, 1, 0, 0)


def test_refresh_is_idempotent_and_keeps_the_sheet_second(plan):
    commands.summary_plan(plan, today=TODAY)
    first = sheet_values(plan)
    commands.summary_plan(plan, today=TODAY)
    assert sheet_values(plan) == first
    book = load_workbook(plan)
    assert book.sheetnames[:2] == [c.REGISTER, c.SUMMARY]
    assert len(book[c.SUMMARY]._charts) == 2
    assert len(chart_parts(plan)) == 2


def test_default_movement_starts_at_the_latest_round(plan):
    report = commands.summary_plan(plan, today=TODAY)
    assert report.summary.since == date(2021, 5, 15)
    assert report.summary.movement == ()  # nothing moved after the Education return went out
    assert block_rows(plan, "Movement")[0][0] == "No rating has moved."


def test_charts_point_at_the_tables_and_take_the_index_colours(plan):
    master = MasterWorkbook.open(plan)
    index = master.read_index()
    # A partnership's own colours: the charts must follow the Rating Index sheet, not a built-in palette.
    master.write_index(RatingIndex(tuple(replace(r, fill="7030A0") if r.code == "B" else r for r in index.ratings)))
    reports.refresh_summary(master, since=ROUND_ISSUED, today=TODAY)
    master.save()
    charts = chart_parts(plan)
    doughnut = next(ET.fromstring(x) for x in charts.values() if "doughnutChart" in x)
    stacked = next(ET.fromstring(x) for x in charts.values() if "barChart" in x)
    fills = ["7030A0", "00B050", "FFC000", "C00000", "D9D9D9"]
    assert [p.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val") for p in doughnut.iter(f"{C}dPt")] == fills
    assert [s.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val") for s in stacked.iter(f"{C}ser")] == fills
    assert stacked.find(f".//{C}grouping").get("val") == "stacked"
    # The doughnut plots the overall row; the bars plot one rating column each, over the recommendation rows.
    book = load_workbook(plan)
    ws = book[c.SUMMARY]
    values_ref = doughnut.find(f".//{C}val/{C}numRef/{C}f").text
    sheet, cells = values_ref.split("!")
    assert sheet.strip("'") == c.SUMMARY
    assert [cell.value for cell in ws[cells.replace("$", "")][0]] == [13, 0, 1, 0, 4]
    first_series = stacked.find(f".//{C}ser/{C}val/{C}numRef/{C}f").text.split("!")[1].replace("$", "")
    assert [row[0].value for row in ws[first_series]] == [2, 1, 3, 1, 6]  # Blue per recommendation


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(register=registers())
def test_generated_plans_sheet_totals_add_up(register, tmp_path_factory):
    plan = tmp_path_factory.mktemp("generated") / "ActionPlan.xlsx"
    master = MasterWorkbook.create(plan, register.index)
    master.write_register(register)
    report = reports.refresh_summary(master, today=date(2021, 6, 1))
    master.save()
    overall = block_rows(plan, "Ratings overall")[0]
    width = len(report.summary.buckets)
    assert overall[1 + width] == len(register) == sum(overall[1:1 + width])
    for title in ("By review", "By recommendation"):
        rows = block_rows(plan, title)
        if register.actions:
            assert sum(r[1 + width] for r in rows) == len(register)
            assert all(sum(r[1:1 + width]) == r[1 + width] for r in rows)


def test_empty_plan_summary(tmp_path):
    plan = tmp_path / "Empty.xlsx"
    MasterWorkbook.create(plan, DEFAULT_INDEX).save()
    report = commands.summary_plan(plan, today=TODAY)
    assert report.summary.actions == 0
    assert block_rows(plan, "By review")[0][0] == "No actions yet."


def ppm_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of a binary PPM (what pdftoppm writes without -png)."""
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P6"
    return int(parts[1]), int(parts[2]), parts[4]


def count_colour(rgb: bytes, hex_colour: str, tolerance: int = 12) -> int:
    target = bytes.fromhex(hex_colour)
    count = 0
    for i in range(0, len(rgb) - 2, 3):
        if all(abs(rgb[i + k] - target[k]) <= tolerance for k in range(3)):
            count += 1
    return count


@pytest.mark.libreoffice
@pytest.mark.skipif(SOFFICE is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_renders_the_summary_charts(plan, tmp_path):
    commands.summary_plan(plan, since=ROUND_ISSUED, today=TODAY)
    out = tmp_path / "pdf"
    subprocess.run([SOFFICE, f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(out), str(plan)], check=True, capture_output=True,
                   timeout=180)
    pdf = out / "ActionPlan.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    number = next(i for i, page in enumerate(pages, start=1) if "Ratings per recommendation" in page)
    assert "Ratings overall" in pages[number - 1]
    subprocess.run(["pdftoppm", "-r", "40", "-f", str(number), "-l", str(number), str(pdf), str(tmp_path / "page")],
                   check=True, timeout=60)
    (page,) = tmp_path.glob("page*.ppm")
    _, _, rgb = ppm_pixels(page)
    # The charts' Blue and Amber come from the index: many pixels of each, well beyond the table headers'.
    assert count_colour(rgb, "0070C0") > 300
    assert count_colour(rgb, "FFC000") > 30
