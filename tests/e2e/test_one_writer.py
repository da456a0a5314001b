"""One master, many hands: real commands in real processes never interleave their saves, and a save killed at
any moment leaves the old master or the whole new one; the ribbon's buttons take the same lock."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
import xlwings

from ragbook import commands
from ragbook.io.master.lock import MasterLock, lock_path
from ragbook.ribbon import BUTTONS, Button, run_button
from tests.helpers.officejs import payload_of, press
from tests.helpers.paths import ROOT
from tests.helpers.returns import Cycle, audit_rows, fill_return, returns_rows
from tests.helpers.sheets import state

POLICE = {"5.2": {"New Rating": "G", "Progress Update": "Briefing delivered.", "Updated By": "DI Shah"}}
HEALTH = {"5.3": {"Progress Update": "Audit of 20 records shows the new template in use.",
                  "Updated By": "Designated Nurse"}}

KILLED_AT = """
import os, signal, sys
from ragbook.io.master import save

where, plan = sys.argv[1], sys.argv[2]


def die():
    os.kill(os.getpid(), signal.SIGKILL)


done = {}


def dying(name, original):
    def step(self, *args):
        done[name] = done.get(name, 0) + 1
        if where == (f"before {name}" if done[name] == 1 else f"before {name} {done[name]}"):
            die()
        original(self, *args)
        if where == f"midway through {name}":  # the file it was writing, cut short as the kill leaves it
            with open(args[-1], "r+b") as half:
                half.truncate(os.path.getsize(args[-1]) // 2)
            die()
        if where == f"after {name}":
            die()
    return step


class DyingDisk(save.Disk):
    pass


for name in ("write", "sync", "mkdir", "copy", "rename", "replace"):
    setattr(DyingDisk, name, dying(name, getattr(save.Disk, name)))
save.DISK = DyingDisk()
from ragbook.cli import main
sys.argv = ["ragbook", "colour", plan]
main()
"""
KILL_POINTS = ["before write", "midway through write", "before sync", "before mkdir", "before copy",
               "midway through copy", "before sync 2", "before rename", "before replace", "after replace"]


def consolidation(plan: Path, returned: Path) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ragbook", "consolidate", str(plan), str(returned), "--today",
                             "01/02/2026"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def finished(process: subprocess.Popen) -> tuple[int, str]:
    _, stderr = process.communicate(timeout=600)
    return process.returncode, stderr


def busy_sentence(plan: Path) -> str:
    holder = json.loads(lock_path(plan).read_text(encoding="utf-8"))
    since = datetime.fromisoformat(holder["started"]).astimezone()
    return (f"{plan}: is being changed by {holder['holder']} on {holder['host']} ({holder['command']}, since "
            f"{since:%H:%M:%S}); try again when that has finished (or, if it certainly is not running, delete "
            f"{lock_path(plan)}).")


def received(plan: Path) -> set[str]:
    return {return_id for return_id, row in returns_rows(plan).items() if row["Status"] == "Received"}


def temporaries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if ".ragbook-tmp" in p.name or p.name.endswith(".aside"))


# ---------------------------------------------------------------------------- two consolidations at once
def test_a_consolidation_while_another_writer_holds_the_master_is_refused_naming_it(cycle: Cycle) -> None:
    police = cycle.copy_of("Police")
    fill_return(police, POLICE)
    before = cycle.plan.read_bytes()
    with MasterLock(cycle.plan, "ragbook consolidate"):
        code, stderr = finished(consolidation(cycle.plan, police))
        assert (code, stderr) == (2, f"Error: {busy_sentence(cycle.plan)}\n")
    assert cycle.plan.read_bytes() == before
    assert finished(consolidation(cycle.plan, police))[0] == 0
    assert received(cycle.plan) == {police.stem}


def test_two_consolidations_started_at_once_both_end_in_the_master(cycle: Cycle) -> None:
    police, health = cycle.copy_of("Police"), cycle.copy_of("Health")
    fill_return(police, POLICE)
    fill_return(health, HEALTH)
    started = {police: consolidation(cycle.plan, police), health: consolidation(cycle.plan, health)}
    outcomes = {path: finished(process) for path, process in started.items()}
    refused = [path for path, (code, _) in outcomes.items() if code != 0]
    # Each waits for the other; only if one took longer than the wait is the other refused, with the sentence.
    assert len(refused) <= 1
    for path in refused:
        code, stderr = outcomes[path]
        assert code == 2 and "is being changed by " in stderr and "(ragbook consolidate, since " in stderr
        assert received(cycle.plan) == {p.stem for p in outcomes} - {path.stem}
        assert finished(consolidation(cycle.plan, path))[0] == 0
    assert received(cycle.plan) == {police.stem, health.stem}
    assert {row["Source"] for row in audit_rows(cycle.plan)} == {police.stem, health.stem}
    assert not lock_path(cycle.plan).exists() and temporaries(cycle.folder) == []


# ---------------------------------------------------------------------------- a save killed at any moment
@pytest.mark.parametrize("where", KILL_POINTS)
def test_a_save_killed_at_any_moment_leaves_the_old_or_the_whole_new_master(sample_master, where):
    before = sample_master.read_bytes()
    killed = subprocess.run([sys.executable, "-c", KILLED_AT, where, str(sample_master)], cwd=ROOT,
                            capture_output=True, text=True, timeout=300, check=False)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    assert lock_path(sample_master).exists()  # the killed command never let go
    if where == "after replace":
        assert sample_master.read_bytes() != before
        with zipfile.ZipFile(sample_master) as archive:
            assert archive.testzip() is None
    else:
        assert sample_master.read_bytes() == before
    assert bool(temporaries(sample_master.parent)) == (where not in ("before write", "after replace"))
    # The next command: the abandoned lock is broken, the leftovers removed, and the master opens as a master.
    assert len(commands.validate_plan(sample_master).findings) > 0
    assert temporaries(sample_master.parent) == []
    assert not lock_path(sample_master).exists()
    for backup in (sample_master.parent / "backups").iterdir():
        with zipfile.ZipFile(backup) as archive:
            assert archive.testzip() is None


# ---------------------------------------------------------------------------- the ribbon's buttons
def test_a_button_is_refused_while_a_command_changes_the_workbooks_file(tmp_path, sample_master):
    with MasterLock(sample_master, "ragbook consolidate"):
        sentence = busy_sentence(sample_master)
        after, _, alerts = press(sample_master, "validate", today=date(2026, 11, 26))
    assert [text for text, *_ in alerts] == [sentence]
    assert state(after) == state(sample_master)
    _, _, alerts = press(sample_master, "validate", today=date(2026, 11, 26))
    assert alerts[0][0].startswith(f"{sample_master}: 18 actions checked")
    assert not lock_path(sample_master).exists()


def test_a_button_holds_the_lock_while_it_works_and_names_itself(sample_master, monkeypatch):
    seen = []

    def probe(book, chosen, ui, today):
        seen.append(json.loads(lock_path(sample_master).read_text(encoding="utf-8"))["command"])
        return "done"

    monkeypatch.setitem(BUTTONS, "probe", Button("probe", "Probe", probe))
    book = xlwings.Book(json=payload_of(sample_master, name=str(sample_master)))
    assert run_button(book, "probe") == "done"
    assert seen == ["the Probe button in Excel"]
    assert not lock_path(sample_master).exists()


def test_a_button_that_changes_nothing_takes_no_lock(sample_master):
    with MasterLock(sample_master, "ragbook consolidate"):
        book = xlwings.Book(json=payload_of(sample_master, name=str(sample_master)))
        assert run_button(book, "help") == BUTTONS["help"].run(book, "", None, None)


def test_a_workbook_that_is_not_a_file_here_is_worked_on_without_a_lock(sample_master, tmp_path):
    book = xlwings.Book(json=payload_of(sample_master, name="ActionPlan.xlsx"))
    with MasterLock(sample_master, "ragbook consolidate"):
        assert run_button(book, "validate", today=date(2026, 11, 26)).startswith("ActionPlan.xlsx: 18 actions")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ActionPlan.xlsx"]
