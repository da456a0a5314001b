"""No input file, however made, ends a command other than with exit 0, 1 or 2 and one sentence.

Each case hands a real ``ragbook`` process a hostile master, plan or return (made by tests/helpers/hostile.py
from files ragbook wrote, or from the real published plans of the corpus) and checks how it ended: the exit
code, a single sentence naming the file, no traceback, the master unchanged, and the process's peak memory
under 1 GB as the kernel measured it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Callable

import pytest

from ragbook import commands
from ragbook.demo import sample_plan
from ragbook.demo_returns import fill_return
from ragbook.io.returns.crypto import encrypt
from tests.helpers import hostile
from tests.helpers.paths import ROOT
from tests.helpers.returns import register_rows

PLANS = ROOT / "tests" / "corpus" / "plans" / "files"
DOCX_PLAN = PLANS / "kmpt-mr-s-homicide-2020.docx"
XLSX_PLAN = PLANS / "si444-homicide-review-2015.xlsx"
XLSX_SHEET = "Action Plan"
PEAK_LIMIT_MB = 1024


@pytest.fixture(scope="module")
def good_master(tmp_path_factory) -> Path:
    plan = tmp_path_factory.mktemp("good") / "ActionPlan.xlsx"
    commands.new_plan(plan, sample_plan())
    return plan


def ends_with_one_sentence(ended: hostile.Ended, *names: str) -> None:
    assert ended.code == 2, (ended.code, ended.stderr[-2000:])
    assert "Traceback" not in ended.stderr and "failed unexpectedly" not in ended.stderr, ended.stderr
    assert len(ended.sentences) == 1, ended.sentences
    assert any(name in ended.sentences[0] for name in names), ended.sentences[0]
    assert ended.peak_mb < PEAK_LIMIT_MB, ended.peak_mb


MASTERS: dict[str, Callable[[Path], Path]] = {
    "a cell at XFD1048576 of the Register": lambda p: hostile.far_cell(p, "Register"),
    "a Register swollen to 150 MB below the ratio limit": lambda p: hostile.sheet_bomb(p, "Register", 150),
    "styles in UTF-16 with a DTD": lambda p: hostile.dtd_in_utf16(p, "xl/styles.xml"),
    "a damaged deflate stream in styles": lambda p: hostile.damaged_deflate(p, "xl/styles.xml"),
    "a cut-short package": hostile.truncated,
}


@pytest.mark.parametrize("name", MASTERS)
def test_a_hostile_master_is_refused_in_one_sentence_and_left_as_it_was(name, good_master, tmp_path):
    master = MASTERS[name](shutil.copyfile(good_master, tmp_path / "ActionPlan.xlsx"))
    before = master.read_bytes()
    ended = hostile.run_ragbook("colour", master, cwd=tmp_path)
    ends_with_one_sentence(ended, str(master))
    assert master.read_bytes() == before


@pytest.mark.parametrize("kind", ["fifo", "zero", "urandom"])
def test_a_master_that_is_not_a_regular_file_is_refused_without_reading_it(kind, tmp_path):
    ended = hostile.run_ragbook("validate", hostile.special_file(tmp_path, kind), cwd=tmp_path, timeout=60)
    ends_with_one_sentence(ended, f"{kind}.xlsx")
    assert "not a regular file" in ended.sentences[0]


SOURCES: dict[str, Callable[[Path], Path]] = {
    "a plan sheet with a cell at XFD1048576": lambda f: hostile.far_cell(
        shutil.copyfile(XLSX_PLAN, f / "plan.xlsx"), XLSX_SHEET),
    "a plan sheet swollen to 150 MB below the ratio limit": lambda f: hostile.sheet_bomb(
        shutil.copyfile(XLSX_PLAN, f / "plan.xlsx"), XLSX_SHEET, 150),
    "a Word plan in UTF-16 with a DTD": lambda f: hostile.dtd_in_utf16(
        shutil.copyfile(DOCX_PLAN, f / "plan.docx"), "word/document.xml"),
    "a Word plan with a damaged deflate stream": lambda f: hostile.damaged_deflate(
        shutil.copyfile(DOCX_PLAN, f / "plan.docx"), "word/document.xml"),
    "a cut-short Word plan": lambda f: hostile.truncated(shutil.copyfile(DOCX_PLAN, f / "plan.docx")),
    "a FIFO named as the plan": lambda f: hostile.special_file(f, "fifo"),
    "an endless device named as the plan": lambda f: hostile.special_file(f, "urandom"),
}


@pytest.mark.parametrize("name", SOURCES)
def test_a_hostile_plan_is_refused_in_one_sentence_and_the_master_is_untouched(name, good_master, tmp_path):
    master = shutil.copyfile(good_master, tmp_path / "ActionPlan.xlsx")
    before = master.read_bytes()
    source = SOURCES[name](tmp_path)
    ended = hostile.run_ragbook("import", source, "--into", master, cwd=tmp_path, timeout=60)
    ends_with_one_sentence(ended, str(source))
    assert master.read_bytes() == before


def hostile_returns(cycle, folder: Path) -> dict[str, Path]:
    """One file per way a return can come back hostile, each made from a copy of Police's issued return."""
    def police(name: str) -> Path:
        return shutil.copyfile(cycle.return_of("Police"), folder / f"{name}.xlsx")

    def encrypted(name: str) -> Path:
        path = folder / f"{name}.xlsx"
        path.write_bytes(encrypt(cycle.return_of("Police").read_bytes(), "secret"))
        return path

    return {
        "a cell at XFD900000": hostile.far_cell(police("far"), "Actions", "XFD900000"),
        "an Actions sheet swollen to 150 MB": hostile.sheet_bomb(police("sheet-bomb"), "Actions", 150),
        "150 MB of shared strings": hostile.shared_string_bomb(police("string-bomb"), 150),
        "a UTF-16 part with a DTD": hostile.dtd_in_utf16(police("utf16"), "xl/styles.xml"),
        "a damaged deflate stream": hostile.damaged_deflate(police("deflate"), "xl/styles.xml"),
        "a member flagged as zip-encrypted": hostile.flagged_member(police("zip-crypto"), "xl/styles.xml", flag=0x01),
        "a damaged encryption header": hostile.damaged_encryption_header(encrypted("bad-header")),
        "a cut-short package": hostile.truncated(police("truncated")),
    }


def special_files(folder: Path) -> dict[str, Path]:
    """Names that are not regular files, given by name (a folder's listing passes over them)."""
    return {"a FIFO": hostile.special_file(folder, "fifo"),
            "a link to an endless device": hostile.special_file(folder, "urandom")}


def test_a_folder_of_hostile_returns_never_stops_the_good_one(cycle):
    folder = cycle.folder / "returned"
    folder.mkdir()
    hostile_files = hostile_returns(cycle, folder)
    named = special_files(cycle.folder)
    hostile_files.update(named)
    good = shutil.copyfile(cycle.return_of("Police"), folder / "police-good.xlsx")
    fill_return(good, {"5.2": {"New Rating": "G", "Progress Update": "Briefing delivered.", "Updated By": "DI Shah"}})
    ended = hostile.run_ragbook("consolidate", cycle.plan, folder, *named.values(), "--password-file", password_file(cycle.folder),
                                "--json", cwd=cycle.folder, timeout=600)
    assert ended.code == 1, ended.stderr[-2000:]  # some returns were refused
    assert "Traceback" not in ended.stderr and ended.peak_mb < PEAK_LIMIT_MB, (ended.stderr, ended.peak_mb)
    outcomes = {Path(o["file"]).name: o for o in json.loads(ended.stdout)["returns"]}
    assert outcomes["police-good.xlsx"]["status"] == "Received"
    for name, path in hostile_files.items():
        outcome = outcomes[path.name]
        assert outcome["status"] == "Rejected", (name, outcome)
        assert outcome["reasons"] and path.name in outcome["reasons"][0], (name, outcome)
    assert register_rows(cycle.plan)[("SCR Sam and Kyle", "5.2")]["Progress"] == "Briefing delivered."


def password_file(folder: Path) -> Path:
    path = folder / "password.txt"
    path.write_text("secret\n")
    return path
