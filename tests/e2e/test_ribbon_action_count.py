"""A button costs a bounded number of Excel actions, whatever the size of the register.

Counted on xlwings' remote engine, where every call to Excel is one action in ``book.json()``: a register of
20,000 actions must take at most 25 (a cell-by-cell loop would take hundreds of thousands).
"""

from __future__ import annotations

import copy
import shutil
from datetime import date

import pytest
import xlwings as xw
from openpyxl import load_workbook

from ragbook import commands
from ragbook.core.model import Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.core.returns import ACTIONS_SHEET, RETURN_HEADERS
from ragbook.core.sheets import HELD_UPDATES
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
    assert text is not None and text.startswith("Issued 3 returns (round 1, due 31/12/2026)"), text
    assert len(actions) <= LIMIT, " ".join(a["func"] for a in actions)
    assert len(list(tmp_path.glob("*.xlsx"))) == 3



# ---------------------------------------------------------------------------- the quarterly cycle's buttons
HELD_PER_RETURN = 200


@pytest.fixture(scope="module")
def round_issued(tmp_path_factory):
    """The large master with a round issued (due 30/11/2026), as a file and as the payload Excel sends."""
    folder = tmp_path_factory.mktemp("round")
    plan = folder / "ActionPlan.xlsm"
    master = MasterWorkbook.create(plan)
    master.write_register(Register(DEFAULT_INDEX, [large_action(n) for n in range(SIZE)], AGENCIES))
    master.save()
    report = commands.issue_plan(plan, folder / "returns", due=date(2026, 11, 30), today=date(2026, 11, 2))
    return plan, report


@pytest.fixture(scope="module")
def decided(round_issued, tmp_path_factory):
    """Every return back with 200 Blues without evidence (held); on Held Updates the first of each agency's is marked
    Accept, the rest Reject (an accepted Blue without evidence is a finding, and each finding's cell note is an
    action of its own, whatever the register's size)."""
    plan, report = round_issued
    copy = tmp_path_factory.mktemp("decided") / "ActionPlan.xlsm"
    shutil.copy(plan, copy)
    column = {header: i for i, header in enumerate(RETURN_HEADERS, start=1)}
    for item in report.returns:
        book = load_workbook(item.path)
        ws = book[ACTIONS_SHEET]
        for row in range(2, 2 + HELD_PER_RETURN):
            ws.cell(row, column["New Rating"], "B")
            ws.cell(row, column["Updated By"], "A. Officer")
        book.save(item.path)
    commands.consolidate_plan(copy, [item.path for item in report.returns], today=date(2026, 11, 20))
    book = load_workbook(copy, keep_vba=True)
    ws = book[HELD_UPDATES]
    header = [cell.value for cell in ws[1]]
    agency, decision = header.index("Agency"), header.index("Decision") + 1
    seen: set[str] = set()
    for row in ws.iter_rows(min_row=2):
        first = row[agency].value not in seen
        seen.add(row[agency].value)
        ws.cell(row[0].row, decision, "Accept" if first else "Reject")
    book.save(copy)
    return payload_of(copy), ws.max_row - 1, len(seen)


def test_apply_decisions_20000_actions(decided):
    payload, held, accepted = decided
    assert held >= HELD_PER_RETURN and accepted >= 2
    text, actions = _press(payload, "apply_decisions", today=date(2026, 11, 25))
    assert text is not None and text.startswith(f"Applied the decisions on the Held Updates sheet: {accepted} "
                                                f"accepted"), text
    assert f"{held - accepted} rejected" in text
    assert len(actions) <= LIMIT, " ".join(f"{a['func']}@{a.get('sheet_position')}" for a in actions)


def test_chase_returns_20000_actions(round_issued, tmp_path):
    pytest.importorskip("ragbook.app.rounds", reason="the chase use case comes with the rounds module")
    text, actions = _press(payload_of(round_issued[0]), "chase_returns", str(tmp_path), today=date(2026, 12, 5))
    assert text is not None and "could not" not in text, text
    assert len(actions) <= LIMIT, " ".join(a["func"] for a in actions)


def test_reissue_return_20000_actions(round_issued, tmp_path):
    pytest.importorskip("ragbook.app.rounds", reason="the re-issue use case comes with the rounds module")
    book = xw.Book(json=payload_of(round_issued[0]))
    text = run_button(book, "reissue_return", str(tmp_path), extra="Health", today=date(2026, 11, 10))
    actions = book.json()["actions"]
    assert text is not None and "Health" in text, text
    assert len(actions) <= LIMIT, " ".join(a["func"] for a in actions)


@pytest.fixture(scope="module")
def two_rounds(tmp_path_factory):
    """The large master after two rounds: every action updated in each (a third of them moved), and two agencies'
    returns still pending after two reminders."""
    from datetime import datetime  # noqa: PLC0415 - only this fixture stamps updates
    from ragbook.core.records import ReturnRecord, ReturnStatus, UpdateRecord  # noqa: PLC0415

    plan = tmp_path_factory.mktemp("rounds") / "ActionPlan.xlsm"
    master = MasterWorkbook.create(plan)
    actions = [large_action(n) for n in range(SIZE)]
    master.write_register(Register(DEFAULT_INDEX, actions, AGENCIES))
    master.append_updates(
        UpdateRecord(datetime(2026, 3 * number + 1, 1), number, f"R{number}-{n % 3}", a.lead_agency, a.review, a.ref,
                     "GAR"[n % 3] if number == 1 and n % 3 else a.rag, "Progress.", "", None, "A. Officer",
                     "consolidation")
        for number in (1, 2) for n, a in enumerate(actions))
    master.write_returns([ReturnRecord(f"R2-{n}", agency.name, date(2026, 7, 1), date(2026, 7, 31), None,
                                       ReturnStatus.PENDING, chased=date(2026, 8, 20), chases=2)
                          for n, agency in enumerate(AGENCIES[:2])])
    master.save()
    return payload_of(plan)


def test_refresh_summary_20000_actions_after_two_rounds(two_rounds):
    text, actions = _press(two_rounds, "refresh_summary", today=date(2026, 11, 1))
    assert text is not None and "Summary" in text, text
    assert len(actions) <= LIMIT, " ".join(a["func"] for a in actions)
    values = [row[0] for a in actions if a["func"] == "setValues" for row in a["values"] if row and row[0]]
    assert any(str(v).startswith("Ratings by round: the 1,000 worst of the") for v in values)
    assert "Agencies chased twice or more (escalate)" in values
    assert sum(a["func"] == "addChart" for a in actions) == 3
