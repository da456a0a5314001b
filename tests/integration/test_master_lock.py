"""One writer at a time: the lock file beside a master, on real files and with real processes."""

from __future__ import annotations

import getpass
import json
import os
import socket
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from ragbook.core.errors import MasterBusyError
from ragbook.io.master.lock import STALE_AFTER, MasterLock, lock_path
from ragbook.io.plans import FilePlans
from tests.helpers.paths import ROOT

HOLD_AND_VANISH = """
import os, sys
from pathlib import Path
from ragbook.io.master.lock import MasterLock
MasterLock(Path(sys.argv[1]), "ragbook consolidate").acquire()
os._exit(0)  # gone without letting go, as a process that is killed
"""

CONTEND = """
import os, sys, time
from pathlib import Path
from ragbook.io.master.lock import MasterLock
master, log, go = map(Path, sys.argv[1:4])
while not go.exists():
    time.sleep(0.01)
with MasterLock(master, "contender", wait=120):
    for word in ("in", "out"):
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT)
        os.write(fd, f"{word} {os.getpid()}\\n".encode())
        os.close(fd)
        time.sleep(0.02)
"""


@pytest.fixture
def master(tmp_path: Path) -> Path:
    path = tmp_path / "ActionPlan.xlsm"
    path.write_bytes(b"the master")
    return path


def python(script: str, *args: object, **options) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *map(str, args)], cwd=ROOT, **options)


def holder_of(master: Path) -> dict:
    return json.loads(lock_path(master).read_text(encoding="utf-8"))


def write_lock(master: Path, age: float = 0.0, **fields: object) -> Path:
    """A lock file as another ragbook would leave it, last touched ``age`` seconds ago."""
    lock = lock_path(master)
    content = {"holder": "jsmith", "host": "PC-42", "pid": 4242, "command": "ragbook consolidate",
               "started": "2026-02-01T10:42:05+00:00", "token": "f" * 32, **fields}
    lock.write_text(json.dumps(content), encoding="utf-8")
    then = time.time() - age
    os.utime(lock, (then, then))
    return lock


def busy_sentence(master: Path, who: str, since: str) -> str:
    return (f"{master}: is being changed by {who} ({since}); try again when that has finished (or, if it certainly "
            f"is not running, delete {lock_path(master)}).")


def test_the_lock_file_sits_beside_the_master_and_says_who_holds_it(master):
    with MasterLock(master, "ragbook consolidate") as lock:
        assert lock.path == master.with_name("ActionPlan.xlsm.ragbook-lock")
        holder = holder_of(master)
        assert (holder["holder"], holder["host"], holder["pid"], holder["command"]) == (
            getpass.getuser(), socket.gethostname(), os.getpid(), "ragbook consolidate")
        assert datetime.fromisoformat(holder["started"]).tzinfo is not None
        assert len(holder["token"]) == 32
    assert not lock.path.exists()


def test_a_second_writer_is_refused_with_the_holder_named_then_gets_the_lock_once_it_is_free(master):
    with MasterLock(master, "ragbook consolidate"):
        started = datetime.fromisoformat(holder_of(master)["started"]).astimezone()
        with pytest.raises(MasterBusyError) as refused:
            MasterLock(master, "ragbook validate", wait=0.05).acquire()
        assert str(refused.value) == busy_sentence(
            master, f"{getpass.getuser()} on {socket.gethostname()}", f"ragbook consolidate, since {started:%H:%M:%S}")
        assert holder_of(master)["command"] == "ragbook consolidate"
    with MasterLock(master, "ragbook validate", wait=0.05):
        assert holder_of(master)["command"] == "ragbook validate"


def test_a_lock_held_on_another_computer_is_respected_and_its_holder_named(master):
    write_lock(master)
    with pytest.raises(MasterBusyError) as refused:
        MasterLock(master, "ragbook validate", wait=0.05).acquire()
    assert str(refused.value) == busy_sentence(master, "jsmith on PC-42",
                                               "ragbook consolidate, since 01/02/2026 10:42" if _not_that_day()
                                               else "ragbook consolidate, since 10:42:05")


def _not_that_day() -> bool:
    started = datetime.fromisoformat("2026-02-01T10:42:05+00:00").astimezone()
    return started.date() != datetime.now().astimezone().date()


def test_a_lock_whose_process_has_gone_from_this_computer_is_broken(master):
    python(HOLD_AND_VANISH, master).wait()
    dead = holder_of(master)["pid"]
    assert dead != os.getpid()
    with MasterLock(master, "ragbook validate", wait=0.05):
        assert holder_of(master)["pid"] == os.getpid()
    assert not lock_path(master).exists()


def test_a_lock_nobody_has_touched_for_longer_than_the_limit_is_broken_even_from_another_computer(master):
    write_lock(master, age=STALE_AFTER + 60)
    with MasterLock(master, "ragbook validate", wait=0.05):
        assert holder_of(master)["host"] == socket.gethostname()


def test_a_garbled_lock_file_is_respected_while_fresh_and_broken_once_old(master):
    lock = lock_path(master)
    lock.write_bytes(b"\x00\xffnot json")
    with pytest.raises(MasterBusyError) as refused:
        MasterLock(master, "ragbook validate", wait=0.05).acquire()
    assert str(refused.value) == (f"{master}: is being changed by another ragbook (its lock file cannot be read); "
                                  f"try again when that has finished (or, if it certainly is not running, delete "
                                  f"{lock}).")
    then = time.time() - STALE_AFTER - 60
    os.utime(lock, (then, then))
    with MasterLock(master, "ragbook validate", wait=0.05):
        assert holder_of(master)["command"] == "ragbook validate"


def test_a_lock_is_released_only_by_its_holder(master):
    lock = MasterLock(master, "ragbook validate").acquire()
    assert lock.held()
    write_lock(master)  # taken over, as if this holder had been judged abandoned
    assert not lock.held()
    lock.release()
    assert holder_of(master)["holder"] == "jsmith"


def test_a_breaker_that_finds_a_new_lock_where_the_stale_one_was_puts_it_back(master):
    write_lock(master, age=STALE_AFTER + 60)
    slow = MasterLock(master, "slow breaker")
    seen = slow._read()  # judged stale...
    assert seen is not None and slow._is_stale(seen)
    newcomer = MasterLock(master, "ragbook consolidate", wait=0.05).acquire()  # ...but broken and taken meanwhile
    assert slow._take(seen.raw, seen.ino) is False
    assert newcomer.held() and holder_of(master)["command"] == "ragbook consolidate"
    assert sorted(p.name for p in master.parent.iterdir()) == ["ActionPlan.xlsm", "ActionPlan.xlsm.ragbook-lock"]
    newcomer.release()


def test_of_two_breakers_of_one_stale_lock_only_one_removes_it(master):
    write_lock(master, age=STALE_AFTER + 60)
    first, second = MasterLock(master, "first"), MasterLock(master, "second")
    seen_by_first, seen_by_second = first._read(), second._read()
    assert first._take(seen_by_first.raw, seen_by_first.ino) is True
    assert second._take(seen_by_second.raw, seen_by_second.ino) is None
    assert sorted(p.name for p in master.parent.iterdir()) == ["ActionPlan.xlsm"]


def test_many_processes_breaking_one_stale_lock_at_once_each_hold_it_alone(master, tmp_path):
    python(HOLD_AND_VANISH, master).wait()  # a stale lock for all of them to find
    log, go = tmp_path / "log.txt", tmp_path / "go"
    contenders = [python(CONTEND, master, log, go) for _ in range(6)]
    go.touch()
    assert [p.wait(timeout=300) for p in contenders] == [0] * 6
    lines = log.read_text().splitlines()
    pairs = list(zip(lines[::2], lines[1::2]))
    assert len(pairs) == 6
    assert all(a.split() == ["in", b.split()[1]] and b.startswith("out ") for a, b in pairs)
    assert sorted({pid for _, pid in map(str.split, lines)}) == sorted(str(p.pid) for p in contenders)
    assert sorted(p.name for p in master.parent.iterdir()) == ["ActionPlan.xlsm", "go", "log.txt"]


def test_a_held_lock_is_touched_while_held_so_it_never_looks_abandoned(master):
    with MasterLock(master, "a long save", refresh_every=0.01) as lock:
        then = time.time() - STALE_AFTER - 60
        os.utime(lock.path, (then, then))
        for _ in range(500):
            if lock.path.stat().st_mtime > then + 60:
                break
            time.sleep(0.01)
        assert lock.path.stat().st_mtime > then + 60
        with pytest.raises(MasterBusyError):
            MasterLock(master, "ragbook validate", wait=0.05).acquire()


# ---------------------------------------------------------------------------- the unit of work holds it
def test_editing_holds_the_lock_from_opening_to_saving_and_lets_go_afterwards(sample_master):
    with FilePlans(sample_master, "ragbook colour").editing() as master:
        assert holder_of(sample_master)["command"] == "ragbook colour"
        master.write_register(master.read_register())
    assert not lock_path(sample_master).exists()


def test_editing_lets_go_of_the_lock_when_the_use_case_fails(sample_master):
    with pytest.raises(ZeroDivisionError), FilePlans(sample_master).editing():
        raise ZeroDivisionError
    assert not lock_path(sample_master).exists()


def test_a_command_is_refused_while_another_holds_the_master_and_the_master_is_unchanged(sample_master):
    before = sample_master.read_bytes()
    with MasterLock(sample_master, "ragbook consolidate"), \
            pytest.raises(MasterBusyError, match=r"is being changed by .* \(ragbook consolidate, since "), \
            FilePlans(sample_master, "ragbook colour", wait=0.05).editing():
        pass
    assert sample_master.read_bytes() == before


def test_creating_holds_the_lock_and_reading_takes_none(tmp_path):
    plan = tmp_path / "New.xlsx"
    with FilePlans(plan, "ragbook new").creating():
        assert holder_of(plan)["command"] == "ragbook new"
    assert not lock_path(plan).exists()
    with MasterLock(plan, "ragbook consolidate"), FilePlans(plan).reading() as master:
        assert master.read_register().actions == []


def test_a_master_being_created_by_another_is_not_created_twice(tmp_path):
    plan = tmp_path / "New.xlsx"
    with MasterLock(plan, "ragbook new"), pytest.raises(MasterBusyError), FilePlans(plan, wait=0.05).creating():
        pass
    assert not plan.exists()
