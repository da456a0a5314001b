"""A save never loses the master: the file the user means, a full disk at any step, nothing written for nothing."""

from __future__ import annotations

import errno
import os
import shutil
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ragbook import commands
from ragbook.cli import cli
from ragbook.io.master import save
from ragbook.io.master.save import Disk
from ragbook.io.plans import FilePlans

# Every step of a save, in order: (what it does, which time it does it).
STEPS = [("write", 1), ("sync", 1), ("mkdir", 1), ("copy", 1), ("sync", 2), ("rename", 1), ("replace", 1)]


class FullDisk(Disk):
    """The disk fills up at one step of the save; a write or a copy gets halfway first, as a real one does."""

    def __init__(self, step: tuple[str, int]) -> None:
        self.step = step
        self.done: dict[str, int] = {}

    def _full(self, step: str, partial: Path | None = None) -> None:
        self.done[step] = self.done.get(step, 0) + 1
        if (step, self.done[step]) != self.step:
            return
        if partial is not None:
            partial.write_bytes(b"PK\x03\x04" + b"\x00" * 4096)
        raise OSError(errno.ENOSPC, "No space left on device", str(partial or ""))

    def write(self, book, temporary):
        self._full("write", temporary)
        super().write(book, temporary)

    def sync(self, path):
        self._full("sync")
        super().sync(path)

    def mkdir(self, folder):
        self._full("mkdir")
        super().mkdir(folder)

    def copy(self, source, target):
        self._full("copy", target)
        super().copy(source, target)

    def rename(self, source, target):
        self._full("rename")
        super().rename(source, target)

    def replace(self, source, target):
        self._full("replace")
        super().replace(source, target)


def run(*args: object):
    return CliRunner().invoke(cli, [str(a) for a in args])


def files_under(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() or p.is_symlink())


# ---------------------------------------------------------------------------- the file the user means
def test_a_master_given_through_a_symbolic_link_is_saved_at_its_target_and_the_link_kept(sample_master, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = elsewhere / "Plan.xlsx"
    link.symlink_to(sample_master)
    before = sample_master.read_bytes()
    assert run("colour", link).exit_code == 0
    assert link.is_symlink() and link.resolve() == sample_master
    assert sample_master.read_bytes() != before
    (backup,) = (sample_master.parent / "backups").iterdir()
    assert backup.read_bytes() == before and backup.name.startswith("ActionPlan-")
    assert files_under(elsewhere) == ["Plan.xlsx"]
    assert files_under(sample_master.parent) == ["ActionPlan.xlsx", f"backups/{backup.name}", "elsewhere/Plan.xlsx"]


def test_a_read_only_master_is_refused_before_any_work_and_left_as_it_was(sample_master):
    # The mode is what marks a file read-only for everyone: os.access alone says "writable" to root.
    sample_master.chmod(0o444)
    before = sample_master.read_bytes()
    result = run("colour", sample_master)
    assert (result.exit_code, result.stderr) == (2, (
        f"Error: {sample_master}: is read-only, so ragbook will not change it; make it writable (untick Read-only "
        f"in its properties) and run the command again.\n"))
    assert sample_master.read_bytes() == before
    assert stat.S_IMODE(sample_master.stat().st_mode) == 0o444
    assert files_under(sample_master.parent) == ["ActionPlan.xlsx"]


def test_a_backups_name_that_is_not_a_folder_is_refused_and_the_master_left_as_it_was(sample_master):
    (sample_master.parent / "backups").write_text("a note someone saved here")
    before = sample_master.read_bytes()
    result = run("colour", sample_master)
    assert (result.exit_code, result.stderr) == (2, (
        f"Error: {sample_master}: cannot be saved, because {sample_master.parent / 'backups'} is not a folder (the "
        f"previous versions are kept in a folder of that name); rename that file and run the command again.\n"))
    assert sample_master.read_bytes() == before
    assert files_under(sample_master.parent) == ["ActionPlan.xlsx", "backups"]


# ---------------------------------------------------------------------------- a full disk at every step
@pytest.mark.parametrize("step", STEPS, ids=[f"{name} {time}" for name, time in STEPS])
def test_a_full_disk_at_any_step_of_the_save_leaves_the_master_and_no_partial_file(sample_master, monkeypatch, step):
    commands.validate_plan(sample_master)  # a previous save: the master has a backup already
    before = sample_master.read_bytes()
    kept = files_under(sample_master.parent)
    monkeypatch.setattr(save, "DISK", FullDisk(step))
    result = run("colour", sample_master)
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {sample_master}: could not be saved (the disk is full); the master is unchanged.\n")
    assert sample_master.read_bytes() == before
    assert files_under(sample_master.parent) == kept


def test_every_step_of_the_save_is_one_the_full_disk_can_fail():
    assert {name for name, _ in STEPS} == {name for name in vars(Disk) if not name.startswith("_")} - {"remove"}


@pytest.fixture
def small_disk(tmp_path: Path):
    """A real file system of 2 MB (tmpfs), where mounting one is allowed; unmounted afterwards."""
    mount = tmp_path / "small"
    mount.mkdir()
    if shutil.which("mount") is None or os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True,
                          check=False)
    if done.returncode != 0:
        pytest.skip("a tmpfs cannot be mounted here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_really_full_disk_leaves_the_master_whatever_room_is_left(sample_master, small_disk):
    master = small_disk / "ActionPlan.xlsx"
    shutil.copyfile(sample_master, master)
    before = master.read_bytes()
    filler = small_disk / "filler.bin"
    outcomes = set()
    for room in (0, len(before) // 2, len(before), len(before) * 3 // 2, len(before) * 2, len(before) * 4):
        filler.unlink(missing_ok=True)
        free = shutil.disk_usage(small_disk).free
        with filler.open("wb") as handle:
            handle.write(b"\x00" * max(free - room, 0))
        result = run("colour", master)
        outcomes.add(result.exit_code)
        if result.exit_code == 0:
            before = master.read_bytes()
        else:
            assert result.exit_code == 2 and "the disk is full" in result.stderr, result.stderr
            assert len(result.stderr.strip().splitlines()) == 1
            assert master.read_bytes() == before
        assert {p.name for p in small_disk.rglob("*") if p.is_file()} - {"filler.bin"} <= {
            "ActionPlan.xlsx", *(p.name for p in (small_disk / "backups").glob("ActionPlan-*.xlsx"))}
    assert 2 in outcomes
    filler.unlink()
    assert run("colour", master).exit_code == 0
    with zipfile.ZipFile(master) as archive:
        assert archive.testzip() is None


# ---------------------------------------------------------------------------- nothing written for nothing
def test_a_use_case_that_writes_nothing_leaves_the_files_bytes_and_time_untouched(sample_master, tmp_path):
    before = (sample_master.read_bytes(), sample_master.stat().st_mtime_ns)
    empty = tmp_path / "nothing-came-back"
    empty.mkdir()
    report = commands.consolidate_plan(sample_master, [empty])
    assert report.outcomes == ()
    with FilePlans(sample_master).editing() as master:
        master.read_register()
    assert (sample_master.read_bytes(), sample_master.stat().st_mtime_ns) == before
    assert files_under(sample_master.parent) == ["ActionPlan.xlsx"]  # no backup either: nothing was saved


def test_a_use_case_that_writes_is_saved(sample_master):
    before = sample_master.read_bytes()
    with FilePlans(sample_master).editing() as master:
        master.write_findings([])
    assert sample_master.read_bytes() != before


# ---------------------------------------------------------------------------- what a killed save left
def test_the_next_writer_removes_what_a_killed_save_of_this_master_left_and_nothing_else(sample_master):
    folder = sample_master.parent
    (folder / "backups").mkdir()
    ours = [folder / ".ActionPlan.1a2b3c4d.ragbook-tmp.xlsx", folder / ".ActionPlan.ragbook-tmp.xlsx",
            folder / "backups" / ".ActionPlan-20260201-104205-123456.0badf00d.ragbook-tmp.xlsx"]
    others = [folder / ".ActionPlan-2.1a2b3c4d.ragbook-tmp.xlsx", folder / ".ActionPlan.notes.txt",
              folder / "backups" / "ActionPlan-2-20260201-104205-123456.xlsx"]
    for path in ours + others:
        path.write_bytes(b"left over")
    commands.colour_plan(sample_master)
    assert not any(path.exists() for path in ours)
    assert all(path.exists() for path in others)


def test_pruning_keeps_twenty_backups_of_this_master_and_never_touches_another_masters(sample_master):
    backups = sample_master.parent / "backups"
    backups.mkdir()
    theirs = [backups / f"ActionPlan-2-20200101-0000{n:02d}-000000.xlsx" for n in range(25)]
    ours = [backups / f"ActionPlan-20200101-0000{n:02d}-000000.xlsx" for n in range(25)]
    for path in theirs + ours:
        path.write_bytes(b"an old version")
    commands.colour_plan(sample_master)
    assert all(path.exists() for path in theirs)
    assert len(list(backups.glob("ActionPlan-2020*.xlsx"))) + 1 == 20

