"""The Summary sheet: written by the summary use case on a master file, read back, charts coloured from the
Rating Index. (``ragbook summary`` itself is tested in tests/e2e, the LibreOffice rendering in tests/e2e/test_render.py.)"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from openpyxl import load_workbook

from ragbook import commands
from ragbook.app import reports
from ragbook.core.ratings import DEFAULT_INDEX, RatingIndex
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.sheets import contract as c
from tests.helpers.history import CHASED, TODAY as ROUNDS_TODAY, build_two_rounds
from tests.helpers.reporting import A, C, ROUND_ISSUED, TODAY, block_rows, chart_parts, copy_of, summary_values
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


# ---------------------------------------------------------------------------- ratings by round
@pytest.fixture(scope="module")
def two_rounds_master(tmp_path_factory):
    return build_two_rounds(tmp_path_factory.mktemp("two-rounds"))


@pytest.fixture
def two_rounds_plan(two_rounds_master, tmp_path):
    return copy_of(two_rounds_master, tmp_path / "plan")


def test_two_rounds_give_each_actions_rating_by_round_and_its_direction_worst_first(two_rounds_plan):
    commands.summary_plan(two_rounds_plan, today=ROUNDS_TODAY)
    title = next(row[0] for row in summary_values(two_rounds_plan)
                 if isinstance(row[0], str) and row[0].startswith("Ratings by round: the actions"))
    assert title == "Ratings by round: the actions that moved or stand Red or Amber, worst first (1 other not listed)"
    rows = [row[:6] for row in block_rows(two_rounds_plan, "Ratings by round: the actions")]
    review = "SCR Sam and Kyle"
    assert rows == [
        (review, "Children's Social Care; Police; Health; Education", "4.2", "worse", "Amber", "Red"),  # shared: worst
        (review, "Police", "5.2", "worse", "Green", "Amber"),
        (review, "Health", "5.4", "improved", "Amber", "Green"),
    ]  # 5.3 stayed Blue: not listed
    header = summary_values(two_rounds_plan)[[r[0] for r in summary_values(two_rounds_plan)].index(title) + 1]
    assert header[:6] == ("Review", "Lead agency", "Ref", "Direction", "R1", "R2")


def test_the_counts_by_round_leave_each_action_where_its_latest_rating_put_it(two_rounds_plan):
    commands.summary_plan(two_rounds_plan, today=ROUNDS_TODAY)
    rows = block_rows(two_rounds_plan, "Ratings by round: where")
    assert [row[:6] for row in rows] == [("R1", 1, 1, 2, 0, 4), ("R2", 1, 1, 1, 1, 4)]


def test_agencies_chased_twice_and_still_pending_are_listed_to_escalate(two_rounds_plan):
    commands.summary_plan(two_rounds_plan, today=ROUNDS_TODAY)
    ((agency, return_id, chases, due, chased, late, *_),) = block_rows(two_rounds_plan, "Agencies chased twice")
    assert (agency, chases, due.date(), chased.date(), late) == ("Education", 2, date(2021, 5, 2), CHASED, "30 days")
    assert return_id.startswith("R002-Education")


def test_the_round_chart_stacks_a_series_per_rating_in_the_index_colours_one_category_per_round(two_rounds_plan):
    commands.summary_plan(two_rounds_plan, today=ROUNDS_TODAY)
    assert len(load_workbook(two_rounds_plan)[c.SUMMARY]._charts) == 3
    chart = next(ET.fromstring(x) for x in chart_parts(two_rounds_plan).values() if ">Ratings by round<" in x)
    assert chart.find(f".//{C}grouping").get("val") == "stacked"
    series = list(chart.iter(f"{C}ser"))
    assert [s.find(f"{C}spPr/{A}solidFill/{A}srgbClr").get("val") for s in series] == [
        "0070C0", "00B050", "FFC000", "C00000"]
    ws = load_workbook(two_rounds_plan)[c.SUMMARY]
    categories = series[0].find(f"{C}cat/{C}numRef/{C}f")
    categories = categories if categories is not None else series[0].find(f"{C}cat/{C}strRef/{C}f")
    assert [row[0].value for row in ws[categories.text.split("!")[1].replace("$", "")]] == ["R1", "R2"]
    reds = series[3].find(f"{C}val/{C}numRef/{C}f").text.split("!")[1].replace("$", "")
    assert [row[0].value for row in ws[reds]] == [0, 1]


def test_a_plan_without_updates_says_so_and_draws_no_round_chart(history_plan):
    commands.summary_plan(history_plan, today=TODAY)
    assert block_rows(history_plan, "Ratings by round: where")[0][0].startswith("No updates yet")
    assert block_rows(history_plan, "Ratings by round: the actions")[0][0] == "No updates yet."
    assert block_rows(history_plan, "Agencies chased twice")[0][0] == "No return is still pending after 2 reminders."
