"""The quarterly cycle's buttons on xlwings' remote engine, each against the use case its command runs on the file:
Issue returns with a password file and the Round sheet's emails, Consolidate returns from chosen files and from
protected returns, Apply decisions, and Validate as at the Round sheet's date. (Chase returns and Re-issue return:
tests/e2e/test_ribbon_chase_reissue.py.)
"""

from __future__ import annotations

import getpass
import shutil
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ragbook import commands
from ragbook.app import returns
from ragbook.app.plan import validate_master
from ragbook.core.round import RoundSettings, SendAs
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.io.ooxml.kinds import ENCRYPTED_OLE, sniff
from ragbook.io.returns.folder import ReturnFolder
from ragbook.io.sheets import contract as c
from tests.helpers.officejs import press
from tests.helpers.returns import DUE, ISSUED, Cycle, fill_return
from tests.helpers.sheets import sheet_rows, state
from tests.helpers.parity import by_file, set_round

TODAY = date(2026, 1, 5)
CONSOLIDATED = date(2026, 2, 1)
MOMENTS = {"Audit Log": {"When"}, "Register": {"Last Updated"}, "Returns": {"Issued", "Received"},
           "Updates": {"When"}, "Held Updates": {"Received"}}
PASSWORD = "Spring-Rain-42"


def desktop_master(tmp_path: Path) -> Path:
    """The sample's master as the desktop keeps it: an .xlsm, leads assigned, Apply colours pressed (so its ratings
    are coloured by rules, which follow a rating a button changes)."""
    plan = tmp_path / "ActionPlan.xlsm"
    commands.new_plan(plan, sample_plan())
    assign_demo_leads(plan)
    coloured, _, _ = press(plan, "apply_colours")
    shutil.move(coloured, plan)
    return plan


@pytest.fixture
def cycle(tmp_path) -> Cycle:
    """That master with a round of returns issued."""
    plan = desktop_master(tmp_path)
    return Cycle(plan, commands.issue_plan(plan, tmp_path / "returns", due=DUE, today=ISSUED), tmp_path)


@pytest.fixture
def password_file(tmp_path) -> Path:
    path = tmp_path / "round password.txt"
    path.write_text(PASSWORD + "\n", encoding="utf-8")
    return path


# ---------------------------------------------------------------------------- issue returns
def test_issue_returns_with_a_password_file_matches_the_command(cycle: Cycle, tmp_path, password_file):
    set_round(cycle.plan, send_as=SendAs.NONE)
    by_command, _ = by_file(cycle.plan, returns.issue_returns, ReturnFolder(), tmp_path / "cli-out",
                            password=PASSWORD, today=TODAY)
    after, _, alerts = press(cycle.plan, "issue_returns", str(tmp_path / "out"), today=TODAY,
                             password_file=str(password_file))
    assert alerts[0][1:] == ("Action Plan", "info"), alerts
    assert PASSWORD not in alerts[0][0]
    assert state(after, MOMENTS) == state(by_command, MOMENTS)
    issued = sorted((tmp_path / "out").iterdir())
    assert [p.name for p in issued] == sorted(p.name for p in (tmp_path / "cli-out").iterdir())  # no email drafts
    assert {sniff(p).kind for p in issued} == {ENCRYPTED_OLE}


@pytest.mark.parametrize(("send_as", "drafts", "said"), [
    (SendAs.EML, 5, "An email draft (.eml) is beside each return, ready to send."),
    (SendAs.NONE, 0, None),
])
def test_issue_returns_writes_the_emails_the_round_sheet_asks_for(cycle: Cycle, tmp_path, send_as, drafts, said):
    set_round(cycle.plan, send_as=send_as)
    _, _, alerts = press(cycle.plan, "issue_returns", str(tmp_path / "out"), today=TODAY)
    assert len(list((tmp_path / "out").glob("*.eml"))) == drafts
    assert alerts[0][0].splitlines()[-1] == said if said else "email" not in alerts[0][0].lower()


def test_a_password_file_that_cannot_be_read_issues_nothing(cycle: Cycle, tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("\n")
    after, actions, alerts = press(cycle.plan, "issue_returns", str(tmp_path / "out"), today=TODAY,
                                   password_file=str(empty))
    assert alerts == [(f"{empty}: the password file is empty; put the password on its first line.",
                       "Action Plan: could not run", "critical")]
    assert [a["func"] for a in actions] == ["alert"] and not (tmp_path / "out").exists()


# ---------------------------------------------------------------------------- consolidate returns
def returned(cycle: Cycle) -> list[Path]:
    police, health = cycle.copy_of("Police"), cycle.copy_of("Health")
    fill_return(police, {"5.2": {"New Rating": "A", "Updated By": "DI Shah"}})
    fill_return(health, {"4.1": {"Progress Update": "Audit done.", "Updated By": "Nurse"}})
    return [police, health]


def test_consolidating_chosen_files_matches_the_command_on_those_files(cycle: Cycle):
    police, health = returned(cycle)
    by_command, _ = by_file(cycle.plan, returns.consolidate_returns, ReturnFolder(), [police], today=CONSOLIDATED)
    after, _, alerts = press(cycle.plan, "consolidate_returns", [str(police)], today=CONSOLIDATED)
    assert alerts[0][1] == "Action Plan", alerts
    assert alerts[0][0].startswith("1 returns checked (1 received)")
    assert state(after, MOMENTS) == state(by_command, MOMENTS)


@pytest.fixture
def protected_round(tmp_path, password_file) -> Path:
    """A master whose returns were issued with a password, Police's filled in (still protected) and back."""
    from ragbook.io.returns.crypto import decrypt, encrypt  # noqa: PLC0415

    plan = desktop_master(tmp_path)
    report = commands.issue_plan(plan, tmp_path / "issued", password=PASSWORD, today=TODAY)
    police = next(r.path for r in report.returns if r.agency == "Police")
    plain = tmp_path / "plain.xlsx"
    plain.write_bytes(decrypt(police.read_bytes(), PASSWORD, police))
    fill_return(plain, {"5.2": {"New Rating": "A", "Updated By": "DI Shah"}})
    police.write_bytes(encrypt(plain.read_bytes(), PASSWORD))
    plain.unlink()
    return plan


def test_a_protected_return_without_a_password_is_left_unread_and_the_message_says_what_to_do(protected_round,
                                                                                              tmp_path):
    folder = tmp_path / "issued"
    after, actions, alerts = press(protected_round, "consolidate_returns", str(folder), today=CONSOLIDATED)
    names = ", ".join(sorted(p.name for p in folder.iterdir()))
    assert alerts == [(f"5 returns are protected with a password and were not read ({names}); press Consolidate "
                       f"returns again and answer Yes when asked whether any are protected with a password.",
                       "Action Plan", "info")]
    assert [a["func"] for a in actions] == ["alert"]  # nothing marked rejected on the Returns sheet: not a refusal


def test_a_protected_return_with_the_password_file_matches_the_command(protected_round, tmp_path, password_file):
    folder = tmp_path / "issued"
    by_command, _ = by_file(protected_round, returns.consolidate_returns, ReturnFolder(), [folder],
                            password=PASSWORD, today=CONSOLIDATED)
    after, _, alerts = press(protected_round, "consolidate_returns", str(folder), today=CONSOLIDATED,
                             password_file=str(password_file))
    assert alerts[0][0].startswith("5 returns checked (5 received); 2 changes recorded on the Audit Log."), alerts
    assert "protected with a password" not in alerts[0][0]
    assert state(after, MOMENTS) == state(by_command, MOMENTS)
    assert [r["Ref"] for r in sheet_rows(after, c.UPDATES)] == ["5.2"]


def test_protected_and_plain_returns_together_the_plain_ones_go_in(cycle: Cycle, tmp_path):
    police, health = returned(cycle)
    from ragbook.io.returns.crypto import encrypt  # noqa: PLC0415

    health.write_bytes(encrypt(health.read_bytes(), PASSWORD))
    by_command, _ = by_file(cycle.plan, returns.consolidate_returns, ReturnFolder(), [police], today=CONSOLIDATED)
    after, _, alerts = press(cycle.plan, "consolidate_returns", [str(police), str(health)], today=CONSOLIDATED)
    lines = alerts[0][0].splitlines()
    assert lines[0].startswith("1 returns checked (1 received)")
    assert lines[-1] == (f"1 returns are protected with a password and were not read ({health.name}); press "
                         f"Consolidate returns again and answer Yes when asked whether any are protected with a "
                         f"password.")
    assert state(after, MOMENTS) == state(by_command, MOMENTS)


# ---------------------------------------------------------------------------- apply decisions
def test_apply_decisions_matches_the_use_case_naming_the_computers_user(cycle: Cycle, tmp_path):
    from ragbook.app.decisions import apply_decisions  # noqa: PLC0415

    fill_return(cycle.copy_of("Children's Social Care"), {"3.3": {"New Rating": "B", "Updated By": "Head"}})
    commands.consolidate_plan(cycle.plan, [cycle.folder / "returned"], today=CONSOLIDATED)
    book = load_workbook(cycle.plan)
    ws = book[c.HELD_UPDATES]
    column = {cell.value: cell.column for cell in ws[1]}
    ws.cell(2, column["Decision"]).value = "Accept"
    ws.cell(2, column["Decision Note"]).value = "Audit seen"
    book.save(cycle.plan)
    decided = date(2026, 2, 10)
    by_command, report = by_file(cycle.plan, apply_decisions, who=getpass.getuser(), today=decided)
    after, _, alerts = press(cycle.plan, "apply_decisions", today=decided)
    assert alerts[0][1:] == ("Action Plan", "info"), alerts
    assert alerts[0][0].startswith("Applied the decisions on the Held Updates sheet: 1 accepted")
    assert state(after, MOMENTS) == state(by_command, MOMENTS)
    assert sheet_rows(after, c.UPDATES)[-1]["Accepted"] == f"{getpass.getuser()} on review"


def test_apply_decisions_with_nothing_held_says_so(cycle: Cycle):
    _, actions, alerts = press(cycle.plan, "apply_decisions")
    assert alerts == [("No updates are held for review; there is nothing to decide.", "Action Plan", "info")]
    assert [a["func"] for a in actions] == ["alert"]


# ---------------------------------------------------------------------------- validate
def test_validate_counts_from_the_round_sheets_date(cycle: Cycle):
    as_at = date(2030, 1, 1)  # long after every target date: overdue findings the press's own day would not give
    set_round(cycle.plan, validate_as_at=as_at)
    by_command, report = by_file(cycle.plan, validate_master, as_at)
    after, _, alerts = press(cycle.plan, "validate", today=TODAY)
    assert state(after) == state(by_command)
    assert f"{report.errors} errors, {report.warnings} warnings" in alerts[0][0]
    assert RoundSettings().validate_as_at is None  # blank by default: as at the press's day


def test_issue_returns_warns_when_the_plan_still_has_errors(cycle: Cycle, tmp_path):
    by_command, report = by_file(cycle.plan, returns.issue_returns, ReturnFolder(), tmp_path / "cli-out", today=TODAY)
    assert report.warnings  # the sample's plan has error-level findings
    _, _, alerts = press(cycle.plan, "issue_returns", str(tmp_path / "out"), today=TODAY)
    shown = [line for line in alerts[0][0].splitlines() if line.startswith("Warning: ")]
    assert shown == [f"Warning: {warning}." for warning in report.warnings]
