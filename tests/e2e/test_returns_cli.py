"""``ragbook returns`` and ``ragbook consolidate`` on the command line: output, exit codes, and the master's
safety (refused while Excel has it open, untouched when anything fails)."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ragbook import commands, present
from ragbook.app import returns as returns_cycle
from ragbook.cli import cli

from tests.helpers.hostile import run_ragbook
from tests.helpers.returns import Cycle, fill_return, returns_rows
GOOD = {"5.2": {"New Rating": "G", "Progress Update": "Briefing delivered.", "Updated By": "DI Shah"}}


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_returns_command_writes_one_return_per_chosen_agency(cycle: Cycle, tmp_path: Path) -> None:
    result = run("returns", cycle.plan, "--out", tmp_path / "q2", "--agency", "Police", "--agency", "Education",
                 "--due", "30/04/2026", "--eml", "--today", "01/04/2026")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == f"Issued 2 returns (round 2, due 30/04/2026) from {cycle.plan} into {tmp_path / 'q2'}:"
    assert lines[1].startswith("  R002-Police-") and lines[1].endswith(".eml")
    assert ": 4 actions -> R002-Police-" in lines[1]
    assert sorted(p.suffix for p in (tmp_path / "q2").iterdir()) == [".eml", ".eml", ".xlsx", ".xlsx"]


def test_returns_command_with_an_empty_password_file_exits_2(cycle: Cycle, tmp_path: Path) -> None:
    secret = tmp_path / "password.txt"
    secret.write_text("\n")
    result = run("returns", cycle.plan, "--out", tmp_path / "out", "--password-file", secret)
    assert result.exit_code == 2
    assert result.output == (f"Error: {secret}: the password file is empty; put the password on its first "
                             f"line.\n")


def test_consolidate_reports_each_return_and_exits_0_when_all_is_well(cycle: Cycle) -> None:
    path = cycle.copy_of("Police")
    fill_return(path, GOOD)
    result = run("consolidate", cycle.plan, path, "--today", "01/02/2026")
    assert result.exit_code == 0, result.output
    police_id = path.stem
    assert result.output.splitlines()[:2] == [
        f"Consolidated 1 returns into {cycle.plan}: 3 changes recorded on the Audit Log.",
        f"  Received        {police_id} Police ({path.name}): 1 actions updated",
    ]
    assert result.output.splitlines()[-1].startswith("Still pending: ")


def test_consolidate_exits_1_and_explains_when_a_return_is_rejected(cycle: Cycle) -> None:
    good = cycle.copy_of("Police")
    fill_return(good, GOOD)
    bad = cycle.copy_of("Health")
    bad.write_bytes(b"Ref,Rating\n5.3,G\n")
    result = run("consolidate", cycle.plan, cycle.folder / "returned", "--json", "--today", "01/02/2026")
    assert result.exit_code == 1
    payload = json.loads(result.output)
    statuses = {Path(r["file"]).name: (r["status"], r["reasons"]) for r in payload["returns"]}
    assert statuses[good.name] == ("Received", [])
    assert statuses[bad.name] == ("Rejected", [
        f"{bad}: is a text file, not a return; ask the agency to fill in the .xlsx return it was sent and save it "
        f"as an Excel Workbook (.xlsx)."])
    assert payload["changes"] == 3
    assert returns_rows(cycle.plan)[bad.stem]["Status"] == "Rejected"


def test_consolidate_refuses_while_excel_has_the_master_open(cycle: Cycle) -> None:
    path = cycle.copy_of("Police")
    fill_return(path, GOOD)
    lock = cycle.plan.with_name("~$" + cycle.plan.name)
    lock.write_bytes(b"someone")
    before = cycle.plan.read_bytes()
    result = run("consolidate", cycle.plan, path)
    assert result.exit_code == 2
    assert result.output == (f"Error: {cycle.plan}: is open in Excel (its lock file {lock.name} exists); save and "
                             f"close it, then run the command again, or use the ribbon button inside Excel.\n")
    assert cycle.plan.read_bytes() == before


def test_a_failure_midway_leaves_the_master_exactly_as_it_was(cycle: Cycle, monkeypatch) -> None:
    path = cycle.copy_of("Police")
    fill_return(path, GOOD)
    before = cycle.plan.read_bytes()

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(returns_cycle, "_returns_after", fail)
    with pytest.raises(OSError):
        commands.consolidate_plan(cycle.plan, [path])
    assert cycle.plan.read_bytes() == before
    assert sorted(p.name for p in cycle.plan.parent.iterdir() if p.name.startswith(".")) == []


def test_consolidate_names_a_missing_path(cycle: Cycle) -> None:
    result = run("consolidate", cycle.plan, cycle.folder / "nowhere.xlsx")
    assert result.exit_code == 2
    assert result.output == f"Error: {cycle.folder / 'nowhere.xlsx'}: no such file or folder.\n"


def test_hostile_files_stay_within_memory_and_time_in_a_separate_process(cycle: Cycle) -> None:
    """The nastiest files, consolidated by the real command in its own process: bounded memory, no hang."""
    folder = cycle.folder / "hostile"
    folder.mkdir()
    source = cycle.return_of("Police")
    bomb = folder / "bomb.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            out.writestr(info, original.read(info.filename))
        out.writestr("xl/media/padding.xml", b"\x00" * (200 * 1024 * 1024))
    far = folder / "far.xlsx"
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(far, "w", zipfile.ZIP_DEFLATED) as out:
        for info in original.infolist():
            data = original.read(info.filename)
            if info.filename.endswith("sheet2.xml"):
                data = data.replace(b"</sheetData>", b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
                                                     b"</sheetData>")
            out.writestr(info, data)
    ended = run_ragbook("consolidate", cycle.plan, folder, cwd=cycle.folder, timeout=120)
    assert ended.code == 1, ended.stderr
    assert "zip bomb" in ended.stdout and "far outside any return" in ended.stdout
    assert ended.peak_mb < 400


def test_nothing_to_do_is_said_plainly(cycle: Cycle, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = run("consolidate", cycle.plan, empty)
    assert result.exit_code == 0
    assert result.output == f"No returns were consolidated: no returns were found in {empty}.\n"
    bare = tmp_path / "bare.xlsx"
    assert run("new", bare).exit_code == 0
    result = run("returns", bare, "--out", tmp_path / "none")
    assert result.exit_code == 1
    assert result.output == ("No returns were issued: the Agencies sheet lists no agencies, so there is no one to "
                             "send returns to; add the agencies and their lead actions first.\n")


def test_the_buttons_summaries(cycle: Cycle) -> None:
    summary = present.issue_message(cycle.report)
    assert summary.splitlines()[0] == f"Issued 5 returns (round 1, due 02/02/2026) into {cycle.folder / 'returns'}:"
    assert "- Police: 4 actions (" in summary
    path = cycle.copy_of("Police")
    path.write_bytes(b"not a workbook")
    report = commands.consolidate_plan(cycle.plan, [path])
    assert present.consolidation_message(report).splitlines()[:2] == [
        "1 returns checked (1 rejected); 0 changes recorded on the Audit Log.",
        f"- Rejected: {path.name}: {path}: is a text file, not a return; ask the agency to fill in the .xlsx return "
        f"it was sent and save it as an Excel Workbook (.xlsx).",
    ]
