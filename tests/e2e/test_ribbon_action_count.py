"""A button costs a bounded number of Excel actions, whatever the size of the register.

Counted on xlwings' remote engine, where every call to Excel is one action in ``book.json()``: a register of
20,000 actions must take at most 25 (a cell-by-cell loop would take hundreds of thousands).
"""

from __future__ import annotations

import copy
from datetime import date

import pytest
import xlwings as xw

from ragbook.core.model import Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.demo import sample_plan
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.ribbon import run_button
from tests.helpers.large import AGENCIES, LIMIT, SIZE, large_action
from tests.helpers.officejs import payload_of

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def payload(tmp_path_factory):
    path = tmp_path_factory.mktemp("big") / "ActionPlan.xlsm"
    master = MasterWorkbook.create(path)
    actions = [large_action(n) for n in range(SIZE)]
    actions[7] = actions[7].with_changes(rag="Purple")   # a few problems, so that validation marks cells
    actions[70] = actions[70].with_changes(lead_agency="")
    actions[700] = actions[700].with_changes(rag="R", progress="")
    master.write_register(Register(DEFAULT_INDEX, actions, AGENCIES))
    master.save()
    return payload_of(path)


def _press(payload, key, chosen="", today=None):
    book = xw.Book(json=copy.deepcopy(payload))
    text = run_button(book, key, chosen, today=today)
    return text, book.json()["actions"]


def test_validate_20000_actions(payload):
    text, actions = _press(payload, "validate", today=date(2026, 11, 1))
    assert text is not None and text.endswith("3 cells marked with a note.") and "20000 actions checked" in text
    assert len(actions) <= LIMIT, [a["func"] for a in actions]


def test_apply_colours_20000_actions(payload):
    text, actions = _press(payload, "apply_colours")
    assert text is not None and "6667 Blue" in text
    assert len(actions) <= LIMIT, [a["func"] for a in actions]


def test_import_into_20000_actions(payload):
    text, actions = _press(payload, "import_plan", str(sample_plan()))
    assert text is not None and text.startswith("Imported 18 actions")
    assert len(actions) <= LIMIT, [a["func"] for a in actions]
    # The whole register is written as one block, which xlwings' remote engine sends in a few chunks.
    written = [a for a in actions if a["func"] == "setValues" and a["sheet_position"] == 0]
    assert sum(a["row_count"] for a in written) == SIZE + 18 and len(written) <= 4
    assert [a["start_row"] for a in written] == sorted(a["start_row"] for a in written)


def test_refresh_summary_20000_actions(payload):
    text, actions = _press(payload, "refresh_summary", today=date(2026, 11, 1))
    assert text is not None and "Summary" in text, text
    assert len(actions) <= LIMIT, " ".join(a["func"] for a in actions)


def test_issue_returns_20000_actions(payload, tmp_path):
    text, actions = _press(payload, "issue_returns", str(tmp_path), today=date(2026, 11, 1))
    assert text is not None and text.startswith("Issued 3 returns (round 1)"), text
    assert len(actions) <= LIMIT, " ".join(a["func"] for a in actions)
    assert len(list(tmp_path.glob("*.xlsx"))) == 3

