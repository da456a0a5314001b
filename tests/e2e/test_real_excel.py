"""The same use cases on the desktop engines (Excel on Windows or a Mac, driven by xlwings): skipped elsewhere.

On Linux the remote engine stands in (test_ribbon_parity.py). Here real Excel does the work: the status
bar, notes, conditional formats and validation go through COM/AppleScript instead of actions. Message boxes
are modal, so these tests call the use cases through ``LiveMaster`` rather than pressing the buttons.
"""

from __future__ import annotations

import shutil
import sys
from datetime import date

import pytest

from ragbook import commands
from ragbook.app import plan as plan_use_cases
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.io.live.master import LiveMaster
from tests.helpers.sheets import state

pytestmark = [
    pytest.mark.excel,
    pytest.mark.skipif(sys.platform not in ("win32", "darwin"), reason="needs Microsoft Excel (Windows or macOS)"),
]
QUARTER_END = date(2020, 6, 30)


@pytest.fixture
def excel():
    xw = pytest.importorskip("xlwings")
    try:
        app = xw.App(visible=False, add_book=False)
    except Exception as exc:  # noqa: BLE001 - no Excel installed, or it cannot be automated here
        pytest.skip(f"Excel cannot be started ({exc})")
    app.display_alerts = False
    yield app
    app.quit()


@pytest.mark.parametrize("use_case", ["validate", "colour"])
def test_live_excel_leaves_what_the_command_leaves(excel, tmp_path, use_case):
    plan = tmp_path / "ActionPlan.xlsm"
    commands.new_plan(plan, sample_plan())
    assign_demo_leads(plan)
    by_command = tmp_path / "cli-ActionPlan.xlsm"
    shutil.copy(plan, by_command)
    live = tmp_path / "live-ActionPlan.xlsm"
    shutil.copy(plan, live)
    if use_case == "validate":
        commands.validate_plan(by_command, QUARTER_END)
    else:
        commands.colour_plan(by_command)
    book = excel.books.open(str(live))
    master = LiveMaster(book)
    if use_case == "validate":
        plan_use_cases.validate_master(master, QUARTER_END)
    else:
        plan_use_cases.colour_master(master)
    book.save()
    book.close()
    mine, theirs = state(live), state(by_command)
    for sheet in ("Register", "Exceptions", "Rating Index", "Agencies"):
        assert mine[sheet]["values"] == theirs[sheet]["values"], sheet
        assert mine[sheet]["notes"] == theirs[sheet]["notes"], sheet
    assert mine["rating looks"] == theirs["rating looks"]
