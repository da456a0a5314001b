"""The master's list sheets and an Excel plan's sheets are read by the streaming reader from the package already
checked: the values are the ones python-calamine gave, and a tampered part is refused in a sentence (never a
native abort), whichever part the relationships name and whatever the other checks saw."""

from __future__ import annotations

import builtins
import io
import re
import shutil
import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from ragbook.core.errors import InputError, UnsafeFileError
from ragbook.core.ledger import LEDGER_SHEET
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.io.importers import read_source, sources
from ragbook.io.master import package as master_package
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.ooxml.package import Package
from ragbook.io.sheets import contract as c
from ragbook.io.sheets.values import text_of
from tests.helpers.paths import ROOT
from tests.helpers.returns import rewrite_zip, sheet_part

PLANS = ROOT / "tests" / "corpus" / "plans" / "files"
FAR = b'<row r="900000"><c r="XFD900000"><v>1</v></c></row></sheetData>'


def calamine_lists(path: Path) -> dict[str, tuple[list, list]]:
    """The list sheets as the master's reader made them with python-calamine."""
    book = CalamineWorkbook.from_path(str(path))
    lists = {}
    for name in [*c.STREAMED_SHEETS, LEDGER_SHEET]:
        if name not in book.sheet_names:
            continue
        rows = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        if name == LEDGER_SHEET:
            lists[name] = (list(rows[0]) if rows else [], [list(r) for r in rows[1:]])
            continue
        headers = [text_of(v).strip() for v in rows[0]] if rows else []
        while headers and not headers[-1]:
            headers.pop()
        lists[name] = (headers, [list(r) for r in rows[1:] if any(v not in (None, "") for v in r)])
    return lists


def test_a_masters_list_sheets_read_exactly_as_calamine_read_them(history_plan):
    master = MasterWorkbook.open(history_plan)
    expected = calamine_lists(history_plan)
    assert expected[c.REGISTER][1] and expected[LEDGER_SHEET][1]  # a master with rows to compare
    for name, (headers, rows) in expected.items():
        assert master.lists[name].headers == headers, name
        assert master.lists[name].rows == rows, name
        assert [list(map(type, r)) for r in master.lists[name].rows] == [list(map(type, r)) for r in rows], name


def test_a_far_cell_in_the_register_is_refused_by_the_reader_itself(sample_master, monkeypatch):
    """Even were the cut's extent check to look at another part, the reader refuses the far cell it reads."""
    part = sheet_part(sample_master, c.REGISTER)
    rewrite_zip(sample_master, lambda n, d: d.replace(b"</sheetData>", FAR) if n == part else d)
    with pytest.raises(UnsafeFileError, match="sheet 'Register' spans 16,384 columns by 900,000 rows, far more than "
                                              "anything a master holds"):
        MasterWorkbook.open(sample_master)


def test_a_damaged_list_sheet_is_refused_in_a_sentence(sample_master, monkeypatch):
    part = sheet_part(sample_master, c.REGISTER)
    rewrite_zip(sample_master, lambda n, d: d.replace(b"<sheetData>", b"<sheetData><row>") if n == part else d)
    monkeypatch.setattr(master_package, "header_only", lambda data: data.replace(b"<sheetData><row>", b"<sheetData>"))
    with pytest.raises(InputError, match=f"its sheets cannot be read \\(part {re.escape(part)} is not well-formed"):
        MasterWorkbook.open(sample_master)


# ---------------------------------------------------------------------------- plans
XLSX_PLAN = PLANS / "si444-homicide-review-2015.xlsx"


def calamine_grids(path: Path) -> list[tuple[str, list[tuple[str, ...]]]]:
    book = CalamineWorkbook.from_path(str(path))
    return [(name, [tuple(sources._cell_text(v) for v in row)
                    for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)])
            for name in book.sheet_names]


@pytest.mark.parametrize("plan", sorted(PLANS.glob("*.xlsx")), ids=lambda p: p.name)
def test_an_excel_plan_reads_exactly_as_calamine_read_it(plan):
    with Package(plan, plan.read_bytes()) as package:
        grids = sources.workbook_grids(package)
    assert [(g.title, [r.cells for r in g.rows]) for g in grids] == calamine_grids(plan)


def test_an_excel_plan_is_read_from_disk_once(tmp_path, monkeypatch):
    plan = shutil.copyfile(XLSX_PLAN, tmp_path / "plan.xlsx")
    opened: list[str] = []
    real_open = io.open

    def counting(file, *args, **kwargs):
        if isinstance(file, (str, Path)):
            opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", counting)
    monkeypatch.setattr(io, "open", counting)
    read_source(plan, DEFAULT_INDEX)
    assert opened.count(str(plan)) == 1


def test_a_plan_whose_relationship_names_its_sheet_in_capitals_still_gets_the_far_cell_check(tmp_path):
    plan = shutil.copyfile(XLSX_PLAN, tmp_path / "plan.xlsx")
    part = sheet_part(plan, "Action Plan")

    def change(name: str, data: bytes) -> bytes:
        if name == part:
            return data.replace(b"</sheetData>", FAR)
        if name == "xl/_rels/workbook.xml.rels":
            target = part[3:].encode()
            return re.sub(rb'Target="/?(xl/)?' + re.escape(target) + b'"', b'Target="/' + part.upper().encode() + b'"',
                          data)
        return data

    rewrite_zip(plan, change)
    with zipfile.ZipFile(plan) as archive:
        assert part.upper().encode() in archive.read("xl/_rels/workbook.xml.rels")
    with pytest.raises(UnsafeFileError, match="sheet 'Action Plan' has a cell at XFD900000, far outside any action plan"):
        read_source(plan, DEFAULT_INDEX)


def test_a_comment_quoting_a_far_cell_in_the_register_does_not_refuse_the_master(sample_master):
    part = sheet_part(sample_master, c.REGISTER)
    quoted = b'<!-- <c r="XFD900000"><v>1</v></c> --></sheetData>'
    rewrite_zip(sample_master, lambda n, d: d.replace(b"</sheetData>", quoted) if n == part else d)
    assert len(MasterWorkbook.open(sample_master).read_register().actions) == 18
