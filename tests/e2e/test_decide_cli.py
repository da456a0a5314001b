"""History kept and held updates decided, on real files: ``ragbook consolidate`` puts every update applied on the
Updates sheet and every update held on the Held Updates sheet; a person types Accept or Reject there (in the
saved master, as in Excel); ``ragbook decide`` carries the decisions out."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from click.testing import CliRunner
from openpyxl import load_workbook

from ragbook import commands
from ragbook.cli import cli
from ragbook.core.ledger import REJECTED
from ragbook.io.plans import FilePlans
from ragbook.io.sheets import contract as c
from tests.helpers.returns import Cycle, audit_rows, fill_return, register_rows
from tests.helpers.sheets import sheet_rows

REVIEW = "SCR Sam and Kyle"
BLUE_WITHOUT_EVIDENCE = {"3.3": {"New Rating": "B", "Progress Update": "Multi-agency audit completed.",
                                 "Updated By": "Head of Service"}}
POLICE = {"5.2": {"New Rating": "G", "Progress Update": "Briefing delivered.", "Updated By": "DI Shah"}}


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def consolidate(cycle: Cycle, *paths: Path, today: str = "01/02/2026"):
    return run("consolidate", cycle.plan, *paths, "--today", today)


def hold_a_blue(cycle: Cycle) -> Path:
    path = cycle.copy_of("Children's Social Care")
    fill_return(path, BLUE_WITHOUT_EVIDENCE)
    result = consolidate(cycle, path)
    assert result.exit_code == 1 and "1 held for review on the Held Updates sheet" in result.output, result.output
    return path


def type_decision(plan: Path, ref: str, decision: str, note: str = "") -> None:
    """What a person does in Excel: type in the Held Updates sheet's Decision columns, then save."""
    book = load_workbook(plan)
    ws = book[c.HELD_UPDATES]
    column = {cell.value: cell.column for cell in ws[1]}
    row = next(r for r in range(2, ws.max_row + 1) if ws.cell(r, column["Ref"]).value == ref)
    ws.cell(row, column["Decision"]).value = decision
    ws.cell(row, column["Decision Note"]).value = note
    book.save(plan)


def ledger_of(plan: Path):
    with FilePlans(plan).reading() as master:
        return master.read_ledger()


def test_a_blue_without_evidence_is_held_with_its_reason_on_the_held_updates_sheet(cycle: Cycle) -> None:
    path = hold_a_blue(cycle)
    (row,) = sheet_rows(cycle.plan, c.HELD_UPDATES)
    assert (row["Return ID"], row["Agency"], row["Review"], row["Ref"], row["Rating"]) == (
        path.stem, "Children's Social Care", REVIEW, "3.3", "B")
    assert "was rated Blue (complete) without evidence" in row["Reason"] and row["Decision"] is None
    assert sheet_rows(cycle.plan, c.UPDATES) == []


def test_an_accepted_blue_arrives_in_the_register_with_an_audit_row_and_an_updates_row(cycle: Cycle) -> None:
    path = hold_a_blue(cycle)
    audit_before = len(audit_rows(cycle.plan))
    type_decision(cycle.plan, "3.3", "Accept", "Audit report seen by the board")
    result = run("decide", cycle.plan, "--who", "J Smith", "--today", "10/02/2026")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == ("Applied the decisions on the Held Updates sheet: 1 accepted (3 changes recorded on the "
                        "Audit Log), 0 rejected; 0 still held.")
    assert f"  accepted {path.stem} Children's Social Care: {REVIEW} 3.3" in lines
    assert any(line.startswith("Validated again: ") for line in lines)
    action = register_rows(cycle.plan)[(REVIEW, "3.3")]
    assert (action["RAG"], action["Progress"], action["Updated By"]) == (
        "B", "Multi-agency audit completed.", "Head of Service")
    new = audit_rows(cycle.plan)[audit_before:]
    assert {(r["Source"], r["Field"], r["New"]) for r in new} >= {
        (path.stem, "RAG", "B"), (path.stem, "Held update", "accepted by J Smith: Audit report seen by the board")}
    (update,) = sheet_rows(cycle.plan, c.UPDATES)
    assert (update["Ref"], update["Rating"], update["Round"], update["Accepted"]) == ("3.3", "B", 1, "J Smith on review")
    assert update["When"] == datetime(2026, 2, 10)
    assert sheet_rows(cycle.plan, c.HELD_UPDATES) == []


def test_a_rejected_update_leaves_the_register_as_it_was(cycle: Cycle, monkeypatch) -> None:
    hold_a_blue(cycle)
    before = register_rows(cycle.plan)
    type_decision(cycle.plan, "3.3", "Reject", "No evidence attached")
    monkeypatch.setattr("getpass.getuser", lambda: "jsmith")
    result = run("decide", cycle.plan, "--today", "10/02/2026")
    assert result.exit_code == 0, result.output
    assert register_rows(cycle.plan) == before
    (entry,) = [e for e in ledger_of(cycle.plan).entries if e.ref == "3.3"]
    assert entry.state == REJECTED and entry.note == "rejected on review by jsmith: No evidence attached"
    last = audit_rows(cycle.plan)[-1]
    assert (last["Ref"], last["Field"], last["New"]) == ("3.3", "Held update", "rejected by jsmith: No evidence attached")
    assert sheet_rows(cycle.plan, c.HELD_UPDATES) == [] and sheet_rows(cycle.plan, c.UPDATES) == []


def test_a_decision_typed_survives_a_later_consolidation_of_another_return(cycle: Cycle) -> None:
    hold_a_blue(cycle)
    type_decision(cycle.plan, "3.3", "Accept", "Seen")
    police = cycle.copy_of("Police")
    fill_return(police, POLICE)
    assert consolidate(cycle, police).exit_code == 0
    (row,) = sheet_rows(cycle.plan, c.HELD_UPDATES)
    assert (row["Ref"], row["Decision"], row["Decision Note"]) == ("3.3", "Accept", "Seen")
    assert run("decide", cycle.plan, "--who", "J Smith").exit_code == 0
    assert register_rows(cycle.plan)[(REVIEW, "3.3")]["RAG"] == "B"


def test_a_decision_that_is_neither_word_is_named_and_exits_1(cycle: Cycle) -> None:
    hold_a_blue(cycle)
    type_decision(cycle.plan, "3.3", "Maybe")
    before = cycle.plan.read_bytes()
    result = run("decide", cycle.plan, "--who", "J Smith")
    assert result.exit_code == 1
    assert ("not applied: Held Updates row 2 (" in result.output
            and "the decision 'Maybe' is neither Accept nor Reject" in result.output)
    assert cycle.plan.read_bytes() == before  # nothing decided: the master is not even saved


def test_two_rounds_give_updates_of_both_and_a_file_consolidated_twice_adds_none(cycle: Cycle) -> None:
    first = cycle.copy_of("Police")
    fill_return(first, POLICE)
    assert consolidate(cycle, first).exit_code == 0
    assert consolidate(cycle, first).exit_code == 0  # again: nothing new
    second = commands.issue_plan(cycle.plan, cycle.folder / "q2", due=date(2026, 5, 1), today=date(2026, 4, 1))
    returned = next(r.path for r in second.returns if r.agency == "Police")
    fill_return(returned, {"5.2": {"New Rating": "A", "Revised Date": date(2026, 9, 30), "Updated By": "DI Shah"}})
    assert consolidate(cycle, returned, today="01/05/2026").exit_code == 0
    assert consolidate(cycle, returned, today="02/05/2026").exit_code == 0
    rows = [(r["Round"], r["Ref"], r["Rating"]) for r in sheet_rows(cycle.plan, c.UPDATES)]
    assert rows == [(1, "5.2", "G"), (2, "5.2", "A")]
    assert register_rows(cycle.plan)[(REVIEW, "5.2")]["RAG"] == "A"


def test_an_action_shared_by_two_agencies_keeps_each_agencys_update_as_its_own_row(cycle: Cycle) -> None:
    police, health = cycle.copy_of("Police"), cycle.copy_of("Health")
    fill_return(police, {"4.2": {"New Rating": "A", "Progress Update": "Third session postponed."}})
    fill_return(health, {"4.2": {"New Rating": "G", "Progress Update": "Health staff trained."}})
    assert consolidate(cycle, police, health).exit_code == 0
    rows = {r["Agency"]: (r["Rating"], r["Progress"]) for r in sheet_rows(cycle.plan, c.UPDATES) if r["Ref"] == "4.2"}
    assert rows == {"Police": ("A", "Third session postponed."), "Health": ("G", "Health staff trained.")}
    shared = register_rows(cycle.plan)[(REVIEW, "4.2")]
    assert shared["RAG"] == "A" and shared["Progress"] == ("Health: Health staff trained.\n\n"
                                                           "Police: Third session postponed.")


def test_consolidation_validates_the_plan_again(cycle: Cycle) -> None:
    assert sheet_rows(cycle.plan, c.EXCEPTIONS) == []  # never validated since the returns were issued
    path = cycle.copy_of("Police")
    fill_return(path, {"5.2": {"New Rating": "A", "Updated By": "DI Shah"}})  # Amber without a revised date
    result = consolidate(cycle, path)
    assert result.exit_code == 0, result.output
    findings = sheet_rows(cycle.plan, c.EXCEPTIONS)
    assert any((f["Ref"], f["Field"]) == ("5.2", "Revised Date") for f in findings)
    report = commands.validate_plan(cycle.plan, today=date(2026, 2, 1))
    assert sheet_rows(cycle.plan, c.EXCEPTIONS) == findings  # just what Validate finds on the same day
    assert f"Validated again: {report.errors} errors, {report.warnings} warnings" in result.output
    book = load_workbook(cycle.plan)
    noted = {cell.coordinate for row in book[c.REGISTER].iter_rows() for cell in row
             if cell.comment is not None and cell.comment.author == c.NOTE_AUTHOR}
    assert len(noted) == report.marked_cells > 0
