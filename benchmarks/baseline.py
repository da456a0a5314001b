"""The naive baseline: the same consolidation written the obvious way with plain openpyxl.

What a competent person would write in an afternoon without ragbook: load the master fully, index the
Register rows by (Review, Ref), load each return fully, check its identity sheet and that each row's locked
columns still match the master, apply the inputs to the Register cells, append one Audit Log row per changed
field, mark the return received, rebuild a small summary (ratings by lead agency, overdue actions), and save.
No hashing, no ledger: it does less checking than ragbook, never more.
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Sequence

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

LOCKED = (("Review", "Review"), ("Ref", "Ref"), ("Recommendation", "Recommendation"), ("Action", "Action"),
          ("Lead Agency", "Lead Agency"), ("Target Date", "Target Date"), ("Current Rating", "RAG"),
          ("Current Progress", "Progress"))
INPUTS = (("New Rating", "RAG"), ("Progress Update", "Progress"), ("Evidence", "Evidence"),
          ("Revised Date", "Revised Date"))


def _same(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, str):
        return value.strip()
    return value


def consolidate(plan: Path, returns: Sequence[Path], when: datetime) -> dict[str, int]:
    book = load_workbook(plan)
    register = book["Register"]
    column = {cell.value: cell.column - 1 for cell in register[1] if cell.value}
    codes = {str(row[0]).strip().upper() for row in book["Rating Index"].iter_rows(min_row=2, values_only=True)
             if row[0]}
    rows = {}
    for cells in register.iter_rows(min_row=2):
        if cells[column["Review"]].value is not None:
            rows[(str(cells[column["Review"]].value), str(cells[column["Ref"]].value))] = cells
    audit = book["Audit Log"]
    received = {}
    applied = refused = 0
    for path in returns:
        source = load_workbook(path)
        identity = {name: value for name, value, *_ in source["ragbook"].iter_rows(values_only=True)}
        return_id, agency = str(identity["return_id"]), str(identity["agency"])
        sheet = source["Actions"]
        at = {cell.value: cell.column - 1 for cell in sheet[1] if cell.value}
        for values in sheet.iter_rows(min_row=2, values_only=True):
            if values[at["Review"]] is None:
                continue
            review, ref = str(values[at["Review"]]), str(values[at["Ref"]])
            cells = rows.get((review, ref))
            if cells is None or any(_same(values[at[mine]]) != _same(cells[column[theirs]].value)
                                    for mine, theirs in LOCKED):
                refused += 1  # an unknown action, or its locked columns were edited
                continue
            updates = {}
            for mine, theirs in INPUTS:
                value = values[at[mine]]
                if value in (None, ""):
                    continue
                if mine == "New Rating":
                    value = str(value).strip().upper()
                    if value not in codes:
                        refused += 1
                        continue
                elif mine == "Revised Date":
                    if not isinstance(value, (date, datetime)):
                        refused += 1
                        continue
                    value = value.date() if isinstance(value, datetime) else value
                else:
                    value = str(value).strip()
                updates[theirs] = value
            if not updates:
                continue
            updates["Updated By"] = str(values[at["Updated By"]] or agency).strip()
            changed = False
            for field, value in updates.items():
                cell = cells[column[field]]
                old = cell.value
                if _same(old) == _same(value):
                    continue
                cell.value = value
                if field == "Revised Date":
                    cell.number_format = "dd/mm/yyyy"
                audit.append([when, return_id, agency, review, ref, field, old, value])
                changed = True
            if changed:
                cells[column["Last Updated"]].value = when
                applied += 1
        source.close()
        received[return_id] = path.name
    _mark_received(book["Returns"], received, when.date())
    _summary(book["Summary"], register, column, when.date())
    table = audit.tables.get("AuditLog")
    if table is not None:
        table.ref = f"A1:{get_column_letter(audit.max_column)}{audit.max_row}"
        if table.autoFilter is not None:
            table.autoFilter.ref = table.ref
    book.save(plan)
    return {"applied_rows": applied, "refused_rows": refused}


def _mark_received(sheet, received: dict[str, str], today: date) -> None:
    header = {cell.value: cell.column - 1 for cell in sheet[1] if cell.value}
    for cells in sheet.iter_rows(min_row=2):
        name = received.get(str(cells[header["Return ID"]].value))
        if name:
            cells[header["Status"]].value = "Received"
            cells[header["Received"]].value = today
            cells[header["File"]].value = name


def _summary(sheet, register, column: dict[str, int], today: date) -> None:
    """Ratings by lead agency and the overdue actions, rebuilt from scratch."""
    counts: dict[str, dict[str, int]] = {}
    overdue = []
    for values in register.iter_rows(min_row=2, values_only=True):
        if values[column["Review"]] is None:
            continue
        agency, rating = values[column["Lead Agency"]] or "(none)", values[column["RAG"]] or "(none)"
        counts.setdefault(agency, {}).setdefault(rating, 0)
        counts[agency][rating] += 1
        due = values[column["Revised Date"]] or values[column["Target Date"]]
        if rating != "B" and isinstance(due, datetime) and due.date() < today:
            overdue.append((values[column["Review"]], values[column["Ref"]], agency, due))
    sheet.delete_rows(1, sheet.max_row)
    ratings = sorted({r for by in counts.values() for r in by})
    sheet.append(["Lead agency", *ratings, "Total"])
    for agency in sorted(counts):
        by = counts[agency]
        sheet.append([agency, *(by.get(r, 0) for r in ratings), sum(by.values())])
    sheet.append([])
    sheet.append([f"Overdue actions: {len(overdue)}"])
    sheet.append(["Review", "Ref", "Lead agency", "Due"])
    for row in overdue:
        sheet.append(list(row))
