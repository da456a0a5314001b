"""``ragbook chase`` and ``ragbook returns --reissue`` on real files: a round of the sample plan issued, two
agencies' returns consolidated, then reminders to the agencies still pending, recorded on the Returns sheet;
one return re-issued and consolidated; and Issue returns leaving out agencies not In This Round and warning
of error-level findings."""

from __future__ import annotations

import email
import json
from dataclasses import replace
from datetime import date, datetime
from email import policy
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from ragbook.cli import cli
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.plans import FilePlans
from tests.helpers.returns import Cycle, fill_return, returns_rows

POLICE = {"5.2": {"New Rating": "G", "Progress Update": "Briefing delivered.", "Updated By": "DI Shah"}}
HEALTH = {"5.4": {"Progress Update": "Training figures collected.", "Updated By": "Designated Nurse"}}
STILL_PENDING = ["Partnership Business Unit", "Children's Social Care", "Education"]


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def on_day(value: object) -> object:
    return value.date() if isinstance(value, datetime) else value


@pytest.fixture
def consolidated(cycle: Cycle) -> Cycle:
    """The round issued on 05/01/2026 (due 02/02/2026), Police's and Health's returns consolidated."""
    for agency, answers in (("Police", POLICE), ("Health", HEALTH)):
        fill_return(cycle.copy_of(agency), answers)
    result = run("consolidate", cycle.plan, cycle.folder / "returned", "--today", "01/02/2026")
    assert result.exit_code == 0, result.output
    return cycle


def ids(cycle: Cycle, agencies: list[str]) -> list[str]:
    return [next(r.return_id for r in cycle.report.returns if r.agency == a) for a in agencies]


def drafted(folder: Path) -> dict[str, email.message.EmailMessage]:
    return {p.name: email.message_from_bytes(p.read_bytes(), policy=policy.default) for p in sorted(folder.iterdir())}


# ---------------------------------------------------------------------------- chase
def test_a_chase_after_the_due_date_drafts_reminders_only_to_the_agencies_still_pending(consolidated, tmp_path):
    out = tmp_path / "reminders"
    result = run("chase", consolidated.plan, "--out", out, "--today", "05/02/2026")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Chased 3 returns from {consolidated.plan} as at 05/02/2026:"
    pending = ids(consolidated, STILL_PENDING)
    assert [line.split()[0] for line in lines[1:4]] == pending
    assert lines[3] == (f"  {pending[2]}  Education: due 02/02/2026, 3 days overdue, chase 1; awaiting SCR Sam and "
                        f"Kyle 1.2, SCR Sam and Kyle 4.2, SCR Sam and Kyle 5.5, SCR Sam and Kyle 5.6 -> "
                        f"{pending[2]}-reminder-20260205.eml")
    messages = drafted(out)
    assert sorted(messages) == sorted(f"{i}-reminder-20260205.eml" for i in pending)
    education = messages[f"{pending[2]}-reminder-20260205.eml"]
    assert education["To"] == "education.safeguarding@example.org"
    subject = education["Subject"]
    assert subject.startswith("Reminder: ") and "return for Education due 02/02/2026" in subject
    assert education["X-Unsent"] == "1" and not list(education.iter_attachments())
    body = education.get_content()
    assert f"Education's return {pending[2]} ({pending[2]}.xlsx)" in body and "3 days ago" in body
    assert "- SCR Sam and Kyle 5.5: " in body and "- SCR Sam and Kyle 5.2" not in body
    rows = returns_rows(consolidated.plan)
    assert [(on_day(rows[i]["Chased"]), rows[i]["Chases"]) for i in pending] == [(date(2026, 2, 5), 1)] * 3
    assert all(rows[i]["Chased"] is None and not rows[i]["Chases"] for i in ids(consolidated, ["Police", "Health"]))


def test_a_second_chase_on_a_later_day_makes_two_and_the_same_day_counts_once(consolidated, tmp_path):
    out = tmp_path / "reminders"
    assert run("chase", consolidated.plan, "--out", out, "--today", "05/02/2026").exit_code == 0
    same_day = run("chase", consolidated.plan, "--out", out, "--today", "05/02/2026")
    assert same_day.output.splitlines()[-1] == ("  note: Partnership Business Unit, Children's Social Care, Education "
                                                "were chased today already, so this chase was not counted again")
    result = run("chase", consolidated.plan, "--out", out, "--today", "12/02/2026", "--json")
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert [(c["agency"], c["chases"], c["overdue"]) for c in payload["chased"]] == [
        (agency, 2, 10) for agency in STILL_PENDING]
    assert payload["chased"][1]["awaited"][0] == "SCR Sam and Kyle 1.2"
    rows = returns_rows(consolidated.plan)
    assert [(on_day(rows[i]["Chased"]), rows[i]["Chases"]) for i in ids(consolidated, STILL_PENDING)] == [
        (date(2026, 2, 12), 2)] * 3
    assert len(list(out.iterdir())) == 6  # each day's reminders are kept


def test_before_the_due_date_nothing_is_chased_unless_the_days_before_reach_it(consolidated, tmp_path):
    out = tmp_path / "reminders"
    before = consolidated.plan.read_bytes()
    result = run("chase", consolidated.plan, "--out", out, "--today", "30/01/2026")
    assert result.exit_code == 0
    assert result.output == ("No reminders were drafted: no return awaited is past its due date as at 30/01/2026; "
                             "3 returns still awaited are not due yet, so they were not chased.\n")
    assert not out.exists() and consolidated.plan.read_bytes() == before
    short = run("chase", consolidated.plan, "--out", out, "--today", "30/01/2026", "--days-before", "2")
    assert short.output.startswith("No reminders were drafted: ")
    reached = run("chase", consolidated.plan, "--out", out, "--today", "30/01/2026", "--days-before", "3")
    assert reached.output.splitlines()[0] == f"Chased 3 returns from {consolidated.plan} as at 30/01/2026:"
    assert reached.output.count(": due 02/02/2026, in 3 days, chase 1; ") == 3


# ---------------------------------------------------------------------------- re-issue
def test_a_reissued_return_keeps_its_id_replaces_its_ledger_entries_and_consolidates(consolidated, tmp_path):
    (education_id,) = ids(consolidated, ["Education"])
    old_entries = MasterWorkbook.open(consolidated.plan).read_ledger().of_return(education_id)
    out = tmp_path / "again"
    result = run("returns", consolidated.plan, "--out", out, "--reissue", "education", "--eml", "--today",
                 "03/02/2026")
    assert result.exit_code == 0, result.output
    assert result.output == (f"Re-issued Education's return {education_id} (round 1, due 02/02/2026) into {out}: 4 "
                             f"actions ({education_id}.xlsx; email draft {education_id}.eml); a copy that comes back "
                             f"is checked against this one.\n"
                             f"Warning: the plan still has 5 error-level findings (on the Exceptions sheet); the "
                             f"returns carry the actions as they stand, errors included.\n")
    assert sorted(p.name for p in out.iterdir()) == [f"{education_id}.eml", f"{education_id}.xlsx"]
    entries = MasterWorkbook.open(consolidated.plan).read_ledger().of_return(education_id)
    assert [(e.ref, e.position, e.issued) for e in entries] == [
        (e.ref, e.position, date(2026, 2, 3)) for e in old_entries]
    assert [e.issued_hash for e in entries] == [e.issued_hash for e in old_entries]  # the actions did not change
    record = returns_rows(consolidated.plan)[education_id]
    assert (on_day(record["Issued"]), record["Status"], record["Notes"]) == (
        date(2026, 1, 5), "Pending", "Re-issued 03/02/2026")

    old_copy = consolidated.copy_of("Education", "old-copy.xlsx")
    fill_return(old_copy, {"5.5": {"Progress Update": "From the lost file.", "Updated By": "Head"}})
    refused = run("consolidate", consolidated.plan, old_copy, "--json", "--today", "04/02/2026")
    assert json.loads(refused.output)["returns"][0]["status"] == "Rejected"
    fresh = out / f"{education_id}.xlsx"
    fill_return(fresh, {"5.5": {"Progress Update": "Audit booked.", "Updated By": "Head"}})
    accepted = run("consolidate", consolidated.plan, fresh, "--today", "04/02/2026")
    assert accepted.exit_code == 0, accepted.output
    assert returns_rows(consolidated.plan)[education_id]["Status"] == "Received"


def test_a_return_that_came_back_is_not_reissued_and_the_master_is_untouched(consolidated, tmp_path):
    before = consolidated.plan.read_bytes()
    (police_id,) = ids(consolidated, ["Police"])
    result = CliRunner().invoke(cli, ["returns", str(consolidated.plan), "--out", str(tmp_path / "again"),
                                      "--reissue", "Police"])
    assert result.exit_code == 2
    assert result.output == (f"Error: {consolidated.plan}: Police's return {police_id} came back on 01/02/2026 "
                             f"(Received), so it cannot be re-issued; send it again in the next round.\n")
    assert consolidated.plan.read_bytes() == before and not (tmp_path / "again").exists()


# ---------------------------------------------------------------------------- issue, from the Agencies sheet
def test_an_agency_not_in_this_round_is_left_out_and_the_findings_are_warned_of(cycle, tmp_path):
    with FilePlans(cycle.plan).editing() as master:
        agencies = master.read_register().agencies
        master.write_agencies([replace(a, in_round=a.name != "Education") for a in agencies])
    out = tmp_path / "q2"
    result = run("returns", cycle.plan, "--out", out, "--today", "01/04/2026")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Issued 4 returns (round 2, due 30/06/2026) from {cycle.plan} into {out}:"
    assert "Education" not in "\n".join(lines[1:5])
    assert lines[5:] == [
        "  note: Education is not in this round (In This Round is No on the Agencies sheet), so it was sent no return",
        "Warning: the plan has 5 error-level findings as it stands (the Exceptions sheet lists 0: press Validate to "
        "bring it up to date); the returns carry the actions as they stand, errors included.",
    ]
    assert len(list(out.iterdir())) == 4


def test_an_update_rejected_on_review_is_listed_on_the_agencys_next_return(cycle, tmp_path):
    blue = {"5.3": {"New Rating": "B", "Progress Update": "Template in use.", "Updated By": "Designated Nurse"}}
    fill_return(cycle.copy_of("Health"), blue)
    assert run("consolidate", cycle.plan, cycle.folder / "returned", "--today", "01/02/2026").exit_code == 1
    with FilePlans(cycle.plan).editing() as master:
        master.write_held([replace(h, decision="Reject", decision_note="no evidence") for h in master.read_held()])
    assert run("decide", cycle.plan, "--who", "Jo", "--today", "02/02/2026").exit_code == 0
    out = tmp_path / "q2"
    assert run("returns", cycle.plan, "--out", out, "--agency", "Health", "--agency", "Police",
               "--today", "01/04/2026").exit_code == 0
    health, police = (next(out.glob(f"R002-{name}-*.xlsx")) for name in ("Health", "Police"))
    listed = instructions_of(health)
    heading = listed.index("Updates from your last return that were not accepted:")
    assert listed[heading + 1] == "SCR Sam and Kyle 5.3 — rejected on review by Jo: no evidence"
    assert listed[heading + 2] == "Rating index"
    assert "Updates from your last return that were not accepted:" not in instructions_of(police)


def instructions_of(path: Path) -> list[str]:
    book = load_workbook(path, read_only=True)
    try:
        return [str(row[0]) for row in book["Instructions"].iter_rows(values_only=True) if row and row[0]]
    finally:
        book.close()
