"""The Settings sheet: the partnership's name, contact and protective marking, on a master file and in the live
workbook, and where they are used (the Summary, the printed sheets, the returns' Instructions, the emails)."""

from __future__ import annotations

import copy
from datetime import date

import xlwings as xw
from openpyxl import load_workbook

from ragbook import commands
from ragbook.core.returns import Identity, ReturnSpec
from ragbook.core.settings import DEFAULT_SETTINGS, SETTINGS, Settings
from ragbook.io.live.master import LiveMaster
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.plans import FilePlans
from ragbook.io.returns.eml import draft_text
from ragbook.io.returns.writer import build_return
from ragbook.io.sheets import contract as c
from tests.helpers.officejs import payload_of
from tests.helpers.reporting import TODAY

PARTNERSHIP = Settings(partnership="Thurrock Safeguarding Children Partnership", contact="Jo Bloggs",
                       email="lscp.business@example.org", marking="OFFICIAL-SENSITIVE")


def test_a_new_master_names_every_setting_and_reads_the_defaults(sample_master):
    ws = load_workbook(sample_master)[c.SETTINGS]
    rows = [[cell.value for cell in row] for row in ws.iter_rows(min_row=1, max_row=1 + len(SETTINGS))]
    assert rows[0] == ["Setting", "Value", "What it is for"]
    assert [r[0] for r in rows[1:]] == [s.label for s in SETTINGS] and all(r[1] is None for r in rows[1:])
    assert MasterWorkbook.open(sample_master).read_settings() == DEFAULT_SETTINGS


def test_an_older_master_gains_the_sheet_and_keeps_the_defaults(sample_master):
    book = load_workbook(sample_master)
    del book[c.SETTINGS]
    book.save(sample_master)
    master = MasterWorkbook.open(sample_master)
    assert master.read_settings() == DEFAULT_SETTINGS
    master.write_settings(PARTNERSHIP)
    master.save()
    assert MasterWorkbook.open(sample_master).read_settings() == PARTNERSHIP


def test_the_summary_and_the_printed_sheets_carry_the_settings(history_plan):
    with FilePlans(history_plan).editing() as master:
        master.write_settings(PARTNERSHIP)
    commands.summary_plan(history_plan, today=TODAY)
    book = load_workbook(history_plan)
    summary = book[c.SUMMARY]
    assert summary["A1"].value == "Summary: Thurrock Safeguarding Children Partnership"
    assert summary["A3"].value.startswith("OFFICIAL-SENSITIVE")
    for name in (c.SUMMARY, c.REGISTER, c.EXCEPTIONS, c.AUDIT_LOG, c.RETURNS):
        assert book[name].oddHeader.center.text == "OFFICIAL-SENSITIVE", name
        assert "&P of &N" in book[name].oddFooter.center.text


def test_the_live_workbook_reads_the_settings_or_the_defaults(history_plan, tmp_path):
    with FilePlans(history_plan).editing() as master:
        master.write_settings(PARTNERSHIP)
    payload = payload_of(history_plan)
    assert LiveMaster(xw.Book(json=copy.deepcopy(payload))).read_settings() == PARTNERSHIP
    older = copy.deepcopy(payload)
    older["sheets"] = [s for s in older["sheets"] if s["name"] != c.SETTINGS]
    assert LiveMaster(xw.Book(json=older)).read_settings() == DEFAULT_SETTINGS


def test_returns_and_emails_name_the_partnership_when_given_it(sample_master):
    register = MasterWorkbook.open(sample_master).read_register()
    spec = ReturnSpec(Identity("R001-Police-ABC123", "Police", 1, date(2026, 4, 1)), date(2026, 4, 30),
                      tuple(register.actions[:2]), register.index,
                      PARTNERSHIP.plan_label(["SCR Sam and Kyle"], "ActionPlan.xlsx"), PARTNERSHIP.return_contact)
    instructions = build_return(spec, "secret")["Instructions"]
    facts = {row[0]: row[1] for row in instructions.iter_rows(min_row=3, max_row=9, max_col=2, values_only=True)}
    assert facts["Plan"] == "Thurrock Safeguarding Children Partnership: SCR Sam and Kyle"
    assert facts["Questions to"] == "Jo Bloggs, lscp.business@example.org"
    _, body = draft_text("Police", "DI Shah", spec.plan_name, spec.due, False, PARTNERSHIP.signature())
    assert body.endswith("Jo Bloggs\nPartnership Business Unit\nThurrock Safeguarding Children Partnership\n"
                         "lscp.business@example.org\n")
    _, unsigned = draft_text("Police", "", "ActionPlan.xlsx", None, False)
    assert unsigned.endswith("\n\nPartnership Business Unit\n")


def test_issuing_returns_names_the_partnership_on_each_return_and_signs_its_email(cycle):
    with FilePlans(cycle.plan).editing() as master:
        master.write_settings(PARTNERSHIP)
    report = commands.issue_plan(cycle.plan, cycle.folder / "round-2", eml=True)
    police = next(r for r in report.returns if r.agency == "Police")
    instructions = load_workbook(police.path)["Instructions"]
    facts = {row[0]: row[1] for row in instructions.iter_rows(min_row=3, max_row=9, max_col=2, values_only=True)}
    assert facts["Plan"] == "Thurrock Safeguarding Children Partnership: SCR Sam and Kyle"
    assert facts["Questions to"] == "Jo Bloggs, lscp.business@example.org"
    draft = police.draft.read_text()
    assert "Thurrock Safeguarding Children Partnership" in draft and "Jo Bloggs" in draft
    assert report.signature[0] == "Jo Bloggs"
