"""Shared helpers for the returns tests: a master of the sample plan with returns issued (the ``cycle`` and
``issued_template`` fixtures in tests/conftest.py build it), and ways to fill in or damage a return the way
agencies (and their tools) do."""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Callable, Mapping

from openpyxl import load_workbook

from ragbook import commands
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.demo_returns import fill_return
from ragbook.io.sheets import contract as c
from tests.helpers.sheets import sheet_rows
from ragbook.app.returns import IssueReport
from ragbook.commands import consolidate_plan, issue_plan

ISSUED = date(2026, 1, 5)
DUE = date(2026, 2, 2)
CONSOLIDATED = date(2026, 2, 1)

__all__ = ["ISSUED", "DUE", "CONSOLIDATED", "Cycle", "issue_template", "copy_cycle", "fill_return",
           "consolidate_plan", "rewrite_zip", "sheet_values", "register_rows", "audit_rows", "returns_rows",
           "sheet_part", "day"]


@dataclass
class Cycle:
    plan: Path
    report: IssueReport
    folder: Path

    def return_of(self, agency: str) -> Path:
        return next(r.path for r in self.report.returns if r.agency == agency)

    def copy_of(self, agency: str, name: str | None = None) -> Path:
        source = self.return_of(agency)
        target = self.folder / "returned" / (name or source.name)
        target.parent.mkdir(exist_ok=True)
        shutil.copyfile(source, target)
        return target


def issue_template(folder: Path) -> tuple[Path, IssueReport]:
    """The sample plan's master in ``folder``, with the demo's leads, and a round of returns issued."""
    plan = folder / "ActionPlan.xlsx"
    commands.new_plan(plan, sample_plan())
    assign_demo_leads(plan)
    report = issue_plan(plan, folder / "returns", due=DUE, today=ISSUED)
    return folder, report


def copy_cycle(template: tuple[Path, IssueReport], tmp_path: Path) -> Cycle:
    """A fresh copy of the master and its issued returns, for a test to change."""
    folder, report = template
    shutil.copytree(folder, tmp_path / "cycle")
    moved = tmp_path / "cycle"
    returns = tuple(
        type(r)(r.agency, r.return_id, moved / "returns" / r.path.name, r.actions, r.email, None) for r in report.returns
    )
    return Cycle(moved / "ActionPlan.xlsx", type(report)(str(moved / "ActionPlan.xlsx"), report.round, report.issued,
                                                         report.due, returns, report.notes), moved)


def rewrite_zip(path: Path, change: Callable[[str, bytes], bytes | None], add: Mapping[str, bytes] | None = None,
                target: Path | None = None) -> Path:
    """Rewrite a package part by part (``change`` returns the new bytes, or None to drop the part)."""
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = change(info.filename, source.read(info.filename))
            if data is not None:
                archive.writestr(info.filename, data)
        for name, data in (add or {}).items():
            archive.writestr(name, data)
    (target or path).write_bytes(out.getvalue())
    return target or path


def sheet_values(plan: Path, sheet: str) -> list[tuple]:
    book = load_workbook(plan)
    try:
        return [tuple(row) for row in book[sheet].iter_rows(values_only=True)]
    finally:
        book.close()


def register_rows(plan: Path) -> dict[tuple[str, str], dict[str, object]]:
    rows = sheet_values(plan, c.REGISTER)
    headers = rows[0]
    return {(str(r[0]), str(r[1])): dict(zip(headers, (_plain(v) for v in r)))
            for r in rows[1:] if any(v is not None for v in r)}


def _plain(value: object) -> object:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def audit_rows(plan: Path) -> list[dict[str, object]]:
    return sheet_rows(plan, c.AUDIT_LOG)


def returns_rows(plan: Path) -> dict[str, dict[str, object]]:
    return {str(r["Return ID"]): r for r in sheet_rows(plan, c.RETURNS)}


def sheet_part(path: Path, sheet_name: str = "Actions") -> str:
    archive = zipfile.ZipFile(path)
    workbook = archive.read("xl/workbook.xml").decode()
    rels = archive.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{sheet_name}"[^>]*r:id="(rId\d+)"', workbook).group(1)
    target = re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels) or re.search(
        rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels)
    value = target.group(1)
    return value.lstrip("/") if value.startswith("/") else "xl/" + value


def day(value: object) -> object:
    """A date cell as a date, however the reader returned it (calamine gives dates, openpyxl datetimes)."""
    return value.date() if isinstance(value, datetime) else value
