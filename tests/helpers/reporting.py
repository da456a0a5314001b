"""Masters with realistic histories for the summary and report tests (written by the code, read back), and
readers for what those tests look at: the Summary sheet's tables, its chart parts, rendered pages' pixels.

The ``history_master`` and ``history_plan`` fixtures in tests/conftest.py build a master with ``build_sample``.
"""

from __future__ import annotations

import re
import shutil
import zipfile
from datetime import date, datetime
from pathlib import Path

from docx.oxml.ns import qn
from openpyxl import load_workbook

from ragbook import commands
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.core.records import AuditEntry, ReturnRecord, ReturnStatus
from ragbook.io.sheets import contract as c
from ragbook.io.plans import FilePlans

TODAY = date(2021, 6, 1)
ROUND_ISSUED = date(2021, 4, 1)

# A quarter's consolidation as the audit log records it: three ratings moved, one moved back and forth, and
# two target dates revised (one of them twice).
AUDIT_ROWS = [
    [datetime(2021, 1, 10, 9, 0), "return POL-2021Q4.xlsx", "Police", "SCR Sam and Kyle", "5.2", "RAG", "A", "G"],
    [datetime(2021, 4, 20, 10, 0), "return CSC-2021Q1.xlsx", "Children's Social Care", "SCR Sam and Kyle", "3.1",
     "RAG", "A", "G"],
    [datetime(2021, 4, 20, 10, 0), "return CSC-2021Q1.xlsx", "Children's Social Care", "SCR Sam and Kyle", "3.2",
     "RAG", "A", "G"],
    [datetime(2021, 4, 21, 11, 0), "return PBU-2021Q1.xlsx", "Partnership Business Unit", "SCR Sam and Kyle", "1.1",
     "RAG", "A", "G"],
    [datetime(2021, 4, 22, 12, 0), "return HEA-2021Q1.xlsx", "Health", "SCR Sam and Kyle", "5.3", "RAG", "G", "R"],
    [datetime(2021, 4, 23, 9, 0), "return EDU-2021Q1.xlsx", "Education", "SCR Sam and Kyle", "5.5", "RAG", "G", "A"],
    [datetime(2021, 4, 24, 9, 0), "return EDU-2021Q1.xlsx", "Education", "SCR Sam and Kyle", "5.5", "RAG", "A", "G"],
    [datetime(2021, 2, 1, 9, 0), "return PBU-2021Q4.xlsx", "Partnership Business Unit", "SCR Sam and Kyle", "2.3",
     "Revised Date", "", "30/06/2021"],
    [datetime(2021, 4, 21, 9, 0), "return PBU-2021Q1.xlsx", "Partnership Business Unit", "SCR Sam and Kyle", "2.3",
     "Revised Date", "30/06/2021", "30/06/2022"],
    [datetime(2021, 4, 21, 9, 0), "return CSC-2021Q1.xlsx", "Children's Social Care", "SCR Sam and Kyle", "3.3",
     "Revised Date", "", "30/09/2021"],
]
RETURNS_ROWS = [
    ["PBU-2021Q1", "Partnership Business Unit", ROUND_ISSUED, date(2021, 4, 30), date(2021, 4, 21), "Received",
     "PBU-2021Q1.xlsx", ""],
    ["CSC-2021Q1", "Children's Social Care", ROUND_ISSUED, date(2021, 4, 30), date(2021, 4, 20), "Partly accepted",
     "CSC-2021Q1.xlsx", "row 4 rejected: rating missing"],
    ["POL-2021Q1", "Police", ROUND_ISSUED, date(2021, 4, 30), None, "Pending", "POL-2021Q1.xlsx", ""],
    ["HEA-2021Q1", "Health", ROUND_ISSUED, date(2021, 4, 30), date(2021, 4, 22), "Rejected", "HEA-2021Q1.xlsx",
     "not the issued return"],
    ["EDU-2021Q1", "Education", date(2021, 5, 15), date(2021, 6, 15), None, "Pending", "EDU-2021Q1.xlsx", ""],
    ["POL-2020Q4", "Police", date(2021, 1, 4), date(2021, 1, 31), date(2021, 1, 10), "Received", "POL-2020Q4.xlsx",
     ""],
]


def build_sample(folder: Path) -> Path:
    """The bundled sample imported, with the demo's leads and dates, then a quarter of history."""
    plan = folder / "ActionPlan.xlsx"
    commands.new_plan(plan, sample_plan())
    assign_demo_leads(plan)
    with FilePlans(plan).editing() as master:
        master.append_audit([AuditEntry(*row) for row in AUDIT_ROWS])
        master.write_returns([ReturnRecord(*row[:5], ReturnStatus.parse(row[5]), *row[6:]) for row in RETURNS_ROWS])
        register = master.read_register()
        for position, action in enumerate(register.actions):
            if action.ref == "2.3":
                register.actions[position] = action.with_changes(revised_date=date(2022, 6, 30))
            if action.ref == "3.3":
                register.actions[position] = action.with_changes(revised_date=date(2021, 9, 30))
        master.write_register(register)
    return plan


def copy_of(plan: Path, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / plan.name
    shutil.copy2(plan, target)
    return target


# ---------------------------------------------------------------------------- the Summary sheet, read back
C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"


def summary_values(path: Path) -> list[tuple]:
    book = load_workbook(path)
    return [tuple(row) for row in book[c.SUMMARY].iter_rows(values_only=True)]


def block_rows(path: Path, title_start: str) -> list[tuple]:
    """The rows of one table of the Summary sheet: under its title and header, down to the blank line."""
    rows = summary_values(path)
    start = next(i for i, row in enumerate(rows) if isinstance(row[0], str) and row[0].startswith(title_start))
    found = []
    for row in rows[start + 2:]:
        if all(v is None for v in row[:12]):
            break
        found.append(row)
    return found


def chart_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as package:
        return {name: package.read(name).decode() for name in package.namelist()
                if re.match(r"xl/charts/chart\d+\.xml$", name)}


# ---------------------------------------------------------------------------- rendered pages
def ppm_pixels(path: Path) -> tuple[int, int, bytes]:
    """Width, height and RGB bytes of a binary PPM (what pdftoppm writes without -png)."""
    data = path.read_bytes()
    parts = data.split(maxsplit=4)
    assert parts[0] == b"P6"
    return int(parts[1]), int(parts[2]), parts[4]


def count_colour(rgb: bytes, hex_colour: str, tolerance: int = 12) -> int:
    target = bytes.fromhex(hex_colour)
    count = 0
    for i in range(0, len(rgb) - 2, 3):
        if all(abs(rgb[i + k] - target[k]) <= tolerance for k in range(3)):
            count += 1
    return count


# ---------------------------------------------------------------------------- the board report, read back
REPORT_HEADERS = ["Ref", "Recommendation", "Action", "Lead", "Target / Revised", "Progress", "Evidence", "Rating"]
EXCEPTION_HEADERS = ["Ref", "Action", "Lead", "Target", "Revised", "Rating", "Why listed", "Latest update"]


def table_with(document, headers: list[str]):
    """The first table whose header row is ``headers``."""
    return next(t for t in document.tables if [cell.text for cell in t.rows[0].cells] == headers)


def action_table(document):
    return table_with(document, REPORT_HEADERS)


def exception_table(document):
    return table_with(document, EXCEPTION_HEADERS)


def shading(tc) -> str | None:
    shd = tc.tcPr.find(qn("w:shd")) if tc.tcPr is not None else None
    return shd.get(qn("w:fill")) if shd is not None else None


def v_merge(tc) -> str | None:
    merge = tc.tcPr.find(qn("w:vMerge")) if tc.tcPr is not None else None
    if merge is None:
        return None
    return merge.get(qn("w:val")) or "continue"


def body_order(document) -> list[str]:
    """The body in reading order: each paragraph's text, and "[table: first header]" for each table."""
    order = []
    for child in document.element.body.iterchildren():
        if child.tag == qn("w:p"):
            order.append("".join(t.text or "" for t in child.iter(qn("w:t"))))
        elif child.tag == qn("w:tbl"):
            first = child.find(qn("w:tr"))
            cell = first.find(qn("w:tc")) if first is not None else None
            order.append("[table: " + ("".join(t.text or "" for t in cell.iter(qn("w:t"))) if cell is not None else "") + "]")
    return order
