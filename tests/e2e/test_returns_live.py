"""The returns buttons on a live master that has no ledger yet (one built as the ribbon workbook's template):
the button adds the ledger, and the returns it issues come back through the command line."""

from __future__ import annotations

import shutil
from datetime import date

from openpyxl import load_workbook

from ragbook.core.ledger import LEDGER_SHEET
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.demo_returns import fill_return
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.commands import consolidate_plan
from ragbook import commands
from tests.helpers.officejs import press

TODAY = date(2021, 4, 1)


def test_issue_button_adds_the_ledger_and_its_returns_consolidate(tmp_path):
    plan = tmp_path / "ActionPlan.xlsm"
    MasterWorkbook.create(plan).save()  # as the template is built: no ledger, no key
    commands.import_plan(sample_plan(), plan)
    assign_demo_leads(plan)
    out = tmp_path / "out"
    out.mkdir()
    after, actions, alerts = press(plan, "issue_returns", str(out), today=TODAY)
    assert alerts[0][1:] == ("Action Plan", "info"), alerts
    book = load_workbook(after, keep_vba=True)
    assert book[LEDGER_SHEET].sheet_state == "hidden" and book.active.title != LEDGER_SHEET
    ledger = MasterWorkbook.open(after).read_ledger()
    assert len(ledger.secret) == 32 and len(ledger.entries) == 30
    police = next(out.glob("R001-Police-*.xlsx"))
    returned = tmp_path / "returned" / police.name
    returned.parent.mkdir()
    shutil.copyfile(police, returned)
    fill_return(returned, {"5.2": {"New Rating": "G", "Progress Update": "Briefed.", "Updated By": "DI Shah"}})
    report = consolidate_plan(after, [returned], today=TODAY)
    assert [o.status for o in report.outcomes] == ["Received"] and report.changes == 3
