"""Consolidating behind the button moves whole blocks: a bounded number of Excel actions at 20,000 actions.

Counted on xlwings' remote engine, where every call to Excel is one action in ``book.json()``.
"""

from __future__ import annotations

import copy
from datetime import date

import pytest
import xlwings as xw
from openpyxl import load_workbook

from ragbook import commands
from ragbook.core.model import Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.core.returns import ACTIONS_SHEET, RETURN_HEADERS
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.ribbon import run_button
from tests.helpers.large import AGENCIES, LIMIT, SIZE, large_action
from tests.helpers.officejs import payload_of

pytestmark = pytest.mark.slow

FILLED_PER_RETURN = 200


@pytest.fixture(scope="module")
def issued(tmp_path_factory):
    folder = tmp_path_factory.mktemp("consolidate")
    plan = folder / "ActionPlan.xlsm"
    master = MasterWorkbook.create(plan)
    master.write_register(Register(DEFAULT_INDEX, [large_action(n) for n in range(SIZE)], AGENCIES))
    master.save()
    report = commands.issue_plan(plan, folder / "returns", today=date(2026, 11, 2))
    column = {header: i for i, header in enumerate(RETURN_HEADERS, start=1)}
    for item in report.returns:
        book = load_workbook(item.path)
        ws = book[ACTIONS_SHEET]
        for row in range(2, 2 + FILLED_PER_RETURN):
            ws.cell(row, column["Progress Update"], f"Quarter 3 update from {item.agency}, row {row}.")
            ws.cell(row, column["Updated By"], "A. Officer")
        if item.agency == "Health":  # and a Blue without evidence, held: the press writes Held Updates too
            ws.cell(2 + FILLED_PER_RETURN, column["New Rating"], "B")
        book.save(item.path)
    return payload_of(plan), folder / "returns", len(report.returns)


def test_consolidate_20000_actions_behind_the_button(issued):
    payload, returns, count = issued
    book = xw.Book(json=copy.deepcopy(payload))
    text = run_button(book, "consolidate_returns", str(returns), today=date(2026, 11, 30))
    actions = book.json()["actions"]
    lines = text.splitlines()
    assert lines[0] == "3 returns checked (2 received, 1 partly accepted); 1200 changes recorded on the Audit Log."
    assert "without evidence; held back" in lines[1]
    assert lines[-1] == "Validated again: 0 errors, 0 warnings on the Exceptions sheet, 0 cells marked with a note."
    assert len(actions) <= LIMIT, " ".join(f"{a['func']}@{a['sheet_position']}" for a in actions)
    written = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == 0]
    assert sum(a["row_count"] for a in written) == SIZE  # the Register, once, as a block
    assert count == len(AGENCIES)
