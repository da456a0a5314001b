"""What a person sees in a master, read from the file: to compare a button's result with a command's."""

from __future__ import annotations

from pathlib import Path

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries


def _rgb(colour) -> str | None:
    if colour is None or colour.rgb is None or not isinstance(colour.rgb, str):
        return None
    return colour.rgb[-6:].upper()


def _rule_for(ws, cell):
    for rng in ws.conditional_formatting:
        for bounds in str(rng.sqref).split():
            min_col, min_row, max_col, max_row = range_boundaries(bounds)
            if min_col <= cell.column <= max_col and min_row <= cell.row <= max_row:
                for rule in sorted(rng.rules, key=lambda r: r.priority or 0):
                    if rule.type == "cellIs" and rule.operator == "equal" and rule.formula == [f'"{cell.value}"']:
                        return rule
    return None


def look(cell, ws) -> tuple[str | None, str, bool]:
    """(fill, font colour, bold) as displayed: a matching conditional-format rule wins over the cell's own."""
    rule = _rule_for(ws, cell) if cell.value not in (None, "") else None
    if rule is not None and rule.dxf is not None:
        fill = rule.dxf.fill
        colour = _rgb(fill.bgColor) or _rgb(fill.fgColor) if fill is not None else None
        font = rule.dxf.font
        return colour, (_rgb(font.color) if font is not None else None) or "000000", bool(font and font.b)
    fill = _rgb(cell.fill.fgColor) if cell.fill.fill_type == "solid" else None
    return fill, _rgb(cell.font.color) or "000000", bool(cell.font.b)


def state(path: Path, skip_columns: dict[str, set[str]] | None = None) -> dict:
    """Every sheet's values, notes and tables; the Register's rating colours and validations."""
    book = load_workbook(path, keep_vba=path.suffix == ".xlsm")
    skip_columns = skip_columns or {}
    seen: dict = {"sheets": book.sheetnames}
    for ws in book.worksheets:
        header = [c.value for c in ws[1]] if ws.max_row >= 1 else []
        skipped = {i for i, h in enumerate(header) if h in skip_columns.get(ws.title, set())}
        rows = [[None if i in skipped else v for i, v in enumerate(row)] for row in ws.iter_rows(values_only=True)]
        while rows and all(v in (None, "") for v in rows[-1]):
            rows.pop()
        seen[ws.title] = {
            "values": rows,
            "notes": {c.coordinate: c.comment.text for row in ws.iter_rows() for c in row if c.comment is not None},
            "tables": dict(ws.tables.items()),
            "hidden": ws.sheet_state,
        }
    register = book["Register"]
    header = [c.value for c in register[1]]
    rag = header.index("RAG") + 1
    seen["rating looks"] = [look(register.cell(r, rag), register) for r in range(2, register.max_row + 1)
                            if register.cell(r, 1).value not in (None, "")]
    index = book["Rating Index"]
    seen["index looks"] = [(_rgb(index.cell(r, 1).fill.fgColor), _rgb(index.cell(r, 1).font.color), index.cell(r, 1).font.b)
                           for r in range(2, index.max_row + 1) if index.cell(r, 1).value]
    validations = {}
    for dv in register.data_validations.dataValidation:
        first = str(dv.sqref).split()[0].split(":")[0]
        column = "".join(ch for ch in first if ch.isalpha())
        validations[column] = (dv.type, dv.formula1, str(dv.sqref))  # the latest rule on a column wins
    seen["validations"] = validations
    return seen


def column_of(header: str) -> str:
    from ragbook.io.sheets.contract import REGISTER_COLUMNS

    return get_column_letter([c.header for c in REGISTER_COLUMNS].index(header) + 1)


def sheet_rows(path: Path, sheet: str) -> list[dict[str, object]]:
    """Every non-blank row under a list sheet's header, as {header: value}, read independently with openpyxl."""
    book = load_workbook(path, read_only=True)
    try:
        ws = book[sheet]
        ws.reset_dimensions()
        rows = list(ws.iter_rows(values_only=True))
    finally:
        book.close()
    if not rows:
        return []
    headers = [str(h).strip() if h is not None else "" for h in rows[0]]
    return [{h: row[i] if i < len(row) else None for i, h in enumerate(headers) if h}
            for row in rows[1:] if any(v not in (None, "") for v in row)]
