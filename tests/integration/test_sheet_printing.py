"""How the master's sheets look and print, read back from the file: named fonts, print scales that keep 9 pt,
rows tall enough for their wrapped text, the Exceptions worst first and coloured, the Audit Log's moments,
unrated actions marked, and the Summary laid out a table to a page with its columns as wide as their content.
(What LibreOffice makes of them is tested in tests/e2e/test_render.py.)"""

from __future__ import annotations

from datetime import datetime

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from ragbook import commands
from ragbook.io.sheets import contract as c
from ragbook.io.sheets.printing import capacity, fit_scale, wrapped_lines
from tests.helpers.reporting import ROUND_ISSUED, TODAY


def printed_master(history_plan):
    commands.validate_plan(history_plan, TODAY)
    commands.colour_plan(history_plan)
    commands.summary_plan(history_plan, since=ROUND_ISSUED, today=TODAY)
    return load_workbook(history_plan)


def test_every_sheet_prints_at_9_pt_or_more(history_plan):
    book = printed_master(history_plan)
    for name in c.SHEET_ORDER:
        ws = book[name]
        widths = [ws.column_dimensions[get_column_letter(i)].width or 8.43 for i in range(1, ws.max_column + 1)]
        assert ws.page_setup.orientation == "landscape" and str(ws.page_setup.paperSize) == ws.PAPERSIZE_A4, name
        if ws.sheet_properties.pageSetUpPr.fitToPage:  # fitted only where that keeps 11 pt text at 9 pt
            assert ws.page_setup.fitToWidth == 1 and 11 * fit_scale(widths) >= 9, (name, fit_scale(widths))
        else:
            assert ws.page_setup.scale * 11 / 100 >= 9, name
    register = book[c.REGISTER]
    assert register.page_setup.scale == 82 and register.print_title_cols == "$A:$B"


def test_headers_name_their_font_and_rows_hold_their_text(history_plan):
    book = printed_master(history_plan)
    for name in (c.REGISTER, c.EXCEPTIONS, c.AUDIT_LOG, c.RETURNS, c.SUMMARY):
        ws = book[name]
        row = 1 if name != c.SUMMARY else 6
        fonts = {ws.cell(row, col).font.name for col in range(1, ws.max_column + 1) if ws.cell(row, col).value}
        assert fonts == {"Calibri"}, (name, fonts)
    # Every wrapped cell of the list sheets has a row tall enough for its lines (15 points a line).
    for name in (c.REGISTER, c.EXCEPTIONS, c.AUDIT_LOG, c.RETURNS):
        ws = book[name]
        columns = c.REGISTER_COLUMNS if name == c.REGISTER else c.LIST_SHEETS[name]
        for row in ws.iter_rows(min_row=2):
            for cell, column in zip(row, columns):
                if column.wrap and isinstance(cell.value, str):
                    lines = wrapped_lines(cell.value, capacity(column.width))
                    height = ws.row_dimensions[cell.row].height or 15
                    assert height >= min(409, 15 * lines), (name, cell.coordinate, lines, height)


def test_exceptions_worst_first_coloured_and_the_audit_log_with_its_time(history_plan):
    book = printed_master(history_plan)
    exceptions = book[c.EXCEPTIONS]
    severities = [row[0].value for row in exceptions.iter_rows(min_row=2) if row[0].value]
    assert severities == sorted(severities) and severities[0] == "error" and severities[-1] == "warning"
    rules = {rule.formula[0]: rule.dxf.fill.fgColor.rgb for cf in exceptions.conditional_formatting
             for rule in cf.rules if str(cf.sqref) == "A2:A1048576"}
    assert rules == {'"error"': "00C00000", '"warning"': "00FFC000"}
    when = book[c.AUDIT_LOG]["A2"]
    assert when.number_format == "dd/mm/yyyy hh:mm"
    register = book[c.REGISTER]
    unrated = [rule.formula[0] for cf in register.conditional_formatting for rule in cf.rules if rule.type == "expression"]
    assert unrated == ["LEN(TRIM(J2))=0"]


def test_the_summary_prints_a_table_to_a_page_with_its_wording(history_plan):
    book = printed_master(history_plan)
    ws = book[c.SUMMARY]
    breaks = [b.id for b in ws.row_breaks.brk]
    titles = {ws.cell(r, 1).value: r for r in range(1, ws.max_row + 1) if isinstance(ws.cell(r, 1).value, str)}
    # The first page: the ratings overall and by review, and the charts; each later table starts a page or
    # follows one that left room for it.
    assert breaks[0] > titles["By review"] and titles["By recommendation"] == breaks[0] + 1
    assert all(titles.get(ws.cell(b + 1, 1).value) == b + 1 for b in breaks)  # every break is before a title
    assert not ws.print_title_rows
    # Every column is at least as wide as its widest word or number; wrapped text has its row.
    widths = {col: ws.column_dimensions[get_column_letter(col)].width for col in range(1, ws.max_column + 1)}
    for row in ws.iter_rows(min_row=5):
        for cell in row:
            if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                shown = f"{cell.value:.0%}" if cell.number_format == "0%" else f"{cell.value:g}"
                assert widths[cell.column] >= len(shown) + 1, cell.coordinate
            elif isinstance(cell.value, datetime):
                assert widths[cell.column] >= 11, cell.coordinate
            elif isinstance(cell.value, str) and not cell.alignment.wrap_text and cell.column > 1:
                assert widths[cell.column] >= len(cell.value) * 0.9, (cell.coordinate, cell.value)
    recommendation = ws.cell(titles["By recommendation"] + 2, 1)
    assert recommendation.value.startswith("1. Thurrock Safeguarding") and recommendation.alignment.wrap_text
    assert ws.row_dimensions[recommendation.row].height >= 30
    # The ratings in the overdue and movement tables take their colours from the rules on the labels.
    labels = {rule.formula[0] for cf in ws.conditional_formatting for rule in cf.rules}
    assert {'"Blue"', '"Amber"', '"Unrated"'} <= labels
