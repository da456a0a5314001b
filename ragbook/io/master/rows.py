"""Contract rows as plain values, shared by both adapters: sheet values in, domain values out, and back.

The openpyxl adapter reads cell by cell; the live (xlwings) adapter reads a whole sheet as one block of
values. Both turn rows into actions, ratings and agencies the same way through these functions.
"""

from __future__ import annotations

from typing import Sequence

from ...core.errors import InputError
from ...core.model import Action, Agency, Register
from ...core.ratings import Rating, RatingIndex
from ...core.rules import Finding
from . import contract as c
from .cells import date_of, text_of

Row = Sequence[object]


def header_map(header: Row) -> dict[str, int]:
    """Column header -> 1-based column number (the first column of a repeated header wins)."""
    headers: dict[str, int] = {}
    for position, value in enumerate(header, start=1):
        if value not in (None, ""):
            headers.setdefault(str(value).strip(), position)
    return headers


def list_rows(values: Sequence[Row]) -> list[tuple[int, dict[str, object]]]:
    """(row number, {header: value}) for every non-blank row under the header row."""
    if not values:
        return []
    headers = header_map(values[0])
    rows = []
    for number, row in enumerate(values[1:], start=2):
        if all(v in (None, "") for v in row):
            continue
        rows.append((number, {h: row[i - 1] for h, i in headers.items() if i - 1 < len(row)}))
    return rows


def actions_from(values: Sequence[Row], where: str) -> list[Action]:
    headers = header_map(values[0]) if values else {}
    missing = [col.header for col in c.REGISTER_COLUMNS if col.header not in headers]
    if missing:
        raise InputError(f"{where}: sheet '{c.REGISTER}' has no {', '.join(missing)} column; restore the header "
                         f"row (row 1).")
    actions = []
    for row in values[1:]:
        fields: dict[str, object] = {}
        for col in c.REGISTER_COLUMNS:
            position = headers[col.header] - 1
            raw = row[position] if position < len(row) else None
            if col.kind == "date":
                fields[col.attribute] = date_of(raw)
            elif col.kind == "datetime":
                fields[col.attribute] = raw if raw not in ("",) else None
            else:
                fields[col.attribute] = text_of(raw)
        if any(v not in (None, "") for v in fields.values()):
            actions.append(Action(**fields))
    return actions


def index_from(rows: list[tuple[int, dict[str, object]]], where: str) -> RatingIndex:
    ratings = []
    for row_number, row in rows:
        code, label, meaning, fill, font = (text_of(row.get(h)).strip() for h in ("Code", "Label", "Meaning", "Fill", "Font"))
        if not code and not label:
            continue
        try:
            ratings.append(Rating(code or label[:1].upper(), label or code, meaning, fill or "D9D9D9", font or "000000"))
        except ValueError as exc:
            raise InputError(f"{where}: sheet '{c.RATING_INDEX}' row {row_number}: {exc}.") from None
    try:
        return RatingIndex(tuple(ratings))
    except ValueError as exc:
        raise InputError(f"{where}: sheet '{c.RATING_INDEX}': {exc}; fix the index before going on.") from None


def agencies_from(rows: list[tuple[int, dict[str, object]]]) -> list[Agency]:
    agencies = []
    for _, row in rows:
        name = text_of(row.get("Agency")).strip()
        if name:
            agencies.append(Agency(name, text_of(row.get("Contact")).strip(), text_of(row.get("Email")).strip()))
    return agencies


def register_values(register: Register) -> list[list[object]]:
    return [[getattr(a, col.attribute) for col in c.REGISTER_COLUMNS] for a in register.actions]


def finding_notes(register: Register, findings: Sequence[Finding], headers: dict[str, int]) -> dict[tuple[int, int], str]:
    """(row, column) of each Register cell a finding points at -> the note it gets, one line per finding."""
    row_of: dict[tuple[str, str], int] = {}
    for number, action in enumerate(register.actions, start=2):
        row_of.setdefault((action.review, action.ref), number)  # a duplicated ref: the first row, as on file
    lines: dict[tuple[int, int], list[str]] = {}
    for f in findings:
        row, column = row_of.get((f.review, f.ref)), headers.get(f.field)
        if row is None or column is None:
            continue
        lines.setdefault((row, column), []).append(f"{f.severity.upper()} {f.rule}: {f.message}")
    return {cell: "\n".join(text) for cell, text in lines.items()}
