"""Chase returns and Re-issue return on xlwings' remote engine, each against the use case its command runs on the file:
a chase after the due date drafts reminders only to the agencies still pending, and a re-issue goes to the agency
typed in the VBA's box or, pressed without it (the web edition), the one in the selected row."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from ragbook import commands, present
from ragbook.app import rounds
from ragbook.core.round import SendAs
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.io.ooxml.kinds import ENCRYPTED_OLE, sniff
from ragbook.io.plans import FilePlans
from ragbook.io.returns.folder import ReturnFolder
from ragbook.io.sheets import contract as c
from ragbook.ribbon.drafts import Mail, chased_emails
from tests.helpers.officejs import press
from tests.helpers.returns import DUE, ISSUED, Cycle, fill_return
from tests.helpers.sheets import sheet_rows, state
from tests.helpers.parity import by_file, set_round

AFTER_DUE = date(2026, 2, 10)
MOMENTS = {"Audit Log": {"When"}, "Register": {"Last Updated"}, "Returns": {"Issued", "Received"},
           "Updates": {"When"}, "Held Updates": {"Received"}}
NO_OUTLOOK = ("Outlook is not on this computer, so the emails were written as .eml files in the folder chosen "
              "instead; open one to send it.")


@pytest.fixture
def cycle(tmp_path) -> Cycle:
    """The desktop's master (.xlsm, Apply colours pressed), a round issued, and Police's return back."""
    plan = tmp_path / "ActionPlan.xlsm"
    commands.new_plan(plan, sample_plan())
    assign_demo_leads(plan)
    coloured, _, _ = press(plan, "apply_colours")
    shutil.move(coloured, plan)
    cycle = Cycle(plan, commands.issue_plan(plan, tmp_path / "returns", due=DUE, today=ISSUED), tmp_path)
    fill_return(cycle.copy_of("Police"), {"5.2": {"New Rating": "A", "Updated By": "DI Shah"}})
    commands.consolidate_plan(plan, [tmp_path / "returned"], today=date(2026, 1, 20))
    return cycle


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


# ---------------------------------------------------------------------------- chase
def test_a_chase_after_the_due_date_reminds_only_the_agencies_still_pending(cycle: Cycle, tmp_path):
    by_command, report = by_file(cycle.plan, rounds.chase_returns, ReturnFolder(), tmp_path / "cli-reminders",
                                 today=AFTER_DUE)
    after, _, alerts = press(cycle.plan, "chase_returns", str(tmp_path / "reminders"), today=AFTER_DUE)
    text, title, mode = alerts[0]
    assert (title, mode) == ("Action Plan", "info")
    assert text == present.chase_message(report).replace(str(tmp_path / "cli-reminders"), str(tmp_path / "reminders")) \
        + "\n" + NO_OUTLOOK
    assert state(after, MOMENTS) == state(by_command, MOMENTS)
    assert names(tmp_path / "reminders") == names(tmp_path / "cli-reminders")
    chased = {row["Agency"]: row["Chases"] for row in sheet_rows(after, c.RETURNS) if row["Chases"]}
    assert set(chased) == {"Partnership Business Unit", "Children's Social Care", "Health", "Education"}  # not Police
    assert len(names(tmp_path / "reminders")) == 4


def test_a_chase_with_no_emails_still_records_the_chases(cycle: Cycle, tmp_path):
    set_round(cycle.plan, send_as=SendAs.NONE)
    by_command, _ = by_file(cycle.plan, rounds.chase_returns, ReturnFolder(), tmp_path / "cli", today=AFTER_DUE,
                            eml=False)
    after, _, alerts = press(cycle.plan, "chase_returns", str(tmp_path / "reminders"), today=AFTER_DUE)
    assert alerts[0][0].startswith("Chased 4 returns still awaited") and ".eml" not in alerts[0][0]
    assert state(after, MOMENTS) == state(by_command, MOMENTS)
    assert names(tmp_path / "reminders") == []


def test_a_chase_before_anything_is_due_drafts_nothing(cycle: Cycle, tmp_path):
    _, actions, alerts = press(cycle.plan, "chase_returns", str(tmp_path / "reminders"), today=date(2026, 1, 21))
    assert alerts[0][0].startswith("No reminders were drafted: no return awaited is past its due date")
    assert [a["func"] for a in actions] == ["alert"] and names(tmp_path / "reminders") == []


def test_reminders_outlook_does_not_take_are_written_as_eml_files(cycle: Cycle, tmp_path):
    with FilePlans(cycle.plan).editing() as master:
        report = rounds.chase_returns(master, ReturnFolder(), tmp_path / "unused", today=AFTER_DUE, eml=False)
    folder = tmp_path / "reminders"
    assert chased_emails(report, Mail(eml=False, outlook=True), folder) == [
        f"Outlook did not take the reminders, so 4 were written as .eml files in {folder} instead (any Outlook did "
        f"save are in its Drafts folder too)."]
    assert len(names(folder)) == 4 and names(tmp_path / "unused") == []


# ---------------------------------------------------------------------------- re-issue
def test_re_issue_to_the_agency_typed_matches_the_use_case(cycle: Cycle, tmp_path):
    by_command, report = by_file(cycle.plan, rounds.reissue_return, ReturnFolder(), tmp_path / "cli-out", "Health",
                                 eml=True, today=AFTER_DUE)
    after, _, alerts = press(cycle.plan, "reissue_return", str(tmp_path / "out"), today=AFTER_DUE, extra="Health")
    assert alerts[0][1:] == ("Action Plan", "info"), alerts
    assert alerts[0][0].startswith("Re-issued Health's return ")
    assert alerts[0][0].endswith(NO_OUTLOOK)
    assert state(after, MOMENTS) == state(by_command, MOMENTS)
    assert names(tmp_path / "out") == names(tmp_path / "cli-out") == sorted(
        [report.returns[0].path.name, report.returns[0].path.with_suffix(".eml").name])


@pytest.mark.parametrize(("sheet", "agency"), [(c.RETURNS, "Health"), (c.AGENCIES, "Education")])
def test_re_issue_pressed_without_a_name_uses_the_selected_row(cycle: Cycle, tmp_path, sheet, agency):
    row = next(n for n, r in enumerate(sheet_rows(cycle.plan, sheet), start=2) if r["Agency"] == agency)
    after, _, alerts = press(cycle.plan, "reissue_return", str(tmp_path / "out"), today=AFTER_DUE,
                             selection=(sheet, f"C{row}"))
    assert alerts[0][0].startswith(f"Re-issued {agency}'s return "), alerts


def test_re_issue_with_no_agency_named_or_selected_says_how_to_choose_one(cycle: Cycle, tmp_path):
    _, actions, alerts = press(cycle.plan, "reissue_return", str(tmp_path / "out"), today=AFTER_DUE,
                               selection=(c.REGISTER, "B3"))
    assert alerts == [("No agency was chosen; select the agency's row on the Returns or Agencies sheet, then press "
                       "Re-issue return again.", "Action Plan: could not run", "critical")]
    assert [a["func"] for a in actions] == ["alert"]


def test_re_issue_of_a_return_that_came_back_is_refused_as_the_command_refuses_it(cycle: Cycle, tmp_path):
    _, _, alerts = press(cycle.plan, "reissue_return", str(tmp_path / "out"), today=AFTER_DUE, extra="Police")
    assert alerts[0][2] == "critical" and "came back" in alerts[0][0]


def test_re_issue_with_a_password_file(cycle: Cycle, tmp_path):
    password = tmp_path / "pw.txt"
    password.write_text("Winter-Sun-7\n")
    set_round(cycle.plan, send_as=SendAs.NONE)
    _, _, alerts = press(cycle.plan, "reissue_return", str(tmp_path / "out"), today=AFTER_DUE, extra="Health",
                         password_file=str(password))
    assert ", password-protected:" in alerts[0][0] and "Winter-Sun-7" not in alerts[0][0]
    (issued,) = (tmp_path / "out").iterdir()
    assert sniff(issued).kind == ENCRYPTED_OLE
