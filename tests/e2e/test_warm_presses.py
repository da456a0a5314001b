"""Presses in a Python that stays running between them (xlwings' "Use UDF Server"): each sees the workbook as it
is now, and a ragbook upgraded since the last press is loaded afresh."""

from __future__ import annotations

import copy
import os
import shutil
import subprocess
import sys
import textwrap

import xlwings as xw

import ragbook
import ragbook.ribbon
from ragbook.core.model import Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.io.master.workbook import MasterWorkbook
from tests.helpers.large import AGENCIES, large_action
from tests.helpers.officejs import payload_of


def master_of(path, broken: int):
    actions = [large_action(n).with_changes(lead_agency="") if n < broken else large_action(n) for n in range(40)]
    master = MasterWorkbook.create(path)
    master.write_register(Register(DEFAULT_INDEX, actions, AGENCIES))
    master.save()
    return payload_of(path, name=str(path))


def test_presses_in_one_python_each_see_their_workbook_as_it_is_now(tmp_path, monkeypatch):
    shown = []
    books = {"first": master_of(tmp_path / "first.xlsm", broken=5), "fixed": master_of(tmp_path / "fixed.xlsm", 0),
             "other": master_of(tmp_path / "other.xlsm", broken=9)}
    for name in ("first", "fixed", "other", "first"):
        book = xw.Book(json=copy.deepcopy(books[name]))
        monkeypatch.setattr(xw.Book, "caller", staticmethod(lambda book=book: book))
        ragbook.ribbon.press("validate")  # what the ribbon runs: through the warm entry
        shown.append(next(a["args"][0] for a in book.json()["actions"] if a["func"] == "alert"))
    assert [text.split(": ", 1)[1].split(";")[0] for text in shown] == [
        "40 actions checked, 0 errors, 5 warnings", "40 actions checked, 0 errors, 0 warnings",
        "40 actions checked, 0 errors, 9 warnings", "40 actions checked, 0 errors, 5 warnings"]
    assert [text.split(":")[0] for text in shown] == [str(tmp_path / f"{n}.xlsm") for n in ("first", "fixed", "other",
                                                                                          "first")]


def test_a_press_after_an_upgrade_runs_the_upgraded_code(tmp_path):
    installed = tmp_path / "site"
    shutil.copytree(os.path.dirname(ragbook.__file__), installed / "ragbook",
                    ignore=shutil.ignore_patterns("__pycache__", "*.xlsm"))
    script = textwrap.dedent(f"""
        import os, sys
        sys.path.insert(0, {str(installed)!r})
        from pathlib import Path
        import ragbook.ribbon.warm as warm
        first = warm.buttons()
        assert first.__file__.startswith({str(installed)!r}), first.__file__
        assert warm.buttons() is first  # nothing changed: the modules already loaded serve the press
        source = Path(first.__file__).with_name("setup.py")  # where the Help text lives
        source.write_text(source.read_text().replace("The Action Plan tab, left to right:", "Upgraded. Left to right:"))
        stat = source.stat()
        os.utime(source, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
        second = warm.buttons()  # the next press, in the same Python
        assert second is not first and second.HELP_TEXT.startswith("Upgraded."), second.HELP_TEXT[:40]
        assert sys.modules["ragbook.ribbon.buttons"] is second
        assert sys.modules["ragbook.ribbon.warm"].buttons() is second  # and it is not reloaded again
        print("fresh code")
    """)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip() == "fresh code"


def test_the_fingerprint_sees_a_changed_file_and_nothing_else(tmp_path):
    from ragbook.ribbon.warm import fingerprint

    (tmp_path / "a.py").write_text("x = 1\n")
    (tmp_path / "notes.txt").write_text("not code\n")
    before = fingerprint(tmp_path)
    assert fingerprint(tmp_path) == before
    (tmp_path / "notes.txt").write_text("still not code\n")
    assert fingerprint(tmp_path) == before
    (tmp_path / "a.py").write_text("x = 22\n")
    assert fingerprint(tmp_path) != before
