"""The Summary sheet: written by the summary use case on a master file, read back, charts coloured from the
Rating Index. (``ragbook summary`` itself is tested in tests/e2e, the LibreOffice rendering in tests/e2e/test_render.py.)"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from ragbook import commands
from ragbook.app import reports
from ragbook.core.ratings import DEFAULT_INDEX, RatingIndex
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.sheets import contract as c
from tests.helpers.reporting import A, C, ROUND_ISSUED, TODAY, block_rows, chart_parts, summary_values
from tests.helpers.summary import registers


def test_refresh_is_idempotent_and_keeps_the_sheet_second(history_plan):
    commands.summary_plan(history_plan, today=TODAY)
    first = summary_values(history_plan)
    commands.summary_plan(history_plan, today=TODAY)
    assert summary_values(history_plan) == first
    book = load_workbook(history_plan)
    assert book.sheetnames[:2] == [c.REGISTER, c.SUMMARY]
    assert len(book[c.SUMMARY]._charts) == 2
    assert len(chart_parts(history_plan)) == 2


def test_default_movement_starts_at_the_latest_round(history_plan):
    report = commands.summary_plan(history_plan, today=TODAY)
    assert report.summary.since == date(2021, 5, 15)
    assert report.summary.movement == ()  # nothing moved after the Education return went out
    assert block_rows(history_plan, "Movement")[0][0] == "No rating has moved."


def test_charts_point_at_the_tables_and_take_the_index_colours(history_plan):
    master = MasterWorkbook.open(history_plan)
    index = master.read_index()
    # A partnership's own colours: the charts must follow the Rating Index sheet, not a built-in palette.
    master.write_index(RatingIndex(tuple(replace(r, fill="7030A0") if r.code == "B" else r for r in index.ratings)))
    reports.refresh_summary(master, since=ROUND_ISSUED, today=TODAY)
    master.save()
    charts = chart_parts(history_plan)
    doughnut = next(ET.fromstring(x) for x in charts.values() if "doughnutChart" in x)
    stacked = next(ET.fromstring(x) for x in charts.values() if "barChart" in x)
    fills = ["7030A0", "00B050", "FFC000", "C00000", "D9D9D9"]
    assert [p.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val") for p in doughnut.iter(f"{C}dPt")] == fills
    assert [s.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val") for s in stacked.iter(f"{C}ser")] == fills
    assert stacked.find(f".//{C}grouping").get("val") == "stacked"
    # The doughnut plots the overall row; the bars plot one rating column each, over the recommendation rows.
    book = load_workbook(history_plan)
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
