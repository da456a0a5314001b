"""A stand-in for the Excel client of xlwings' remote engine, so that button functions run on Linux.

``payload_of`` sends a workbook file as the Office.js client sends the open workbook (values with dates as
ISO strings, tables, notes); ``replay`` does to a copy of that file what Excel does with each action the
remote engine returns. The actions are xlwings' own; only the client's side is stood in for, and every
action a button emits must be one this replayer knows, or the test fails.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import xlwings
from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ragbook.ribbon import run_button


def _iso(value: object) -> object:
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")
    if isinstance(value, date):
        return f"{value:%Y-%m-%d}T00:00:00.000Z"
    if value is None:
        return ""
    return value


def payload_of(path: Path, name: str = "ActionPlan.xlsm") -> dict:
    """What the Office.js client sends for the workbook in ``path``."""
    book = load_workbook(path, keep_vba=path.suffix == ".xlsm")
    sheets = []
    for ws in book.worksheets:
        rows = [[_iso(cell.value) for cell in row] for row in ws.iter_rows()] or [[]]
        tables = []
        for table in ws.tables.values():
            min_col, min_row, max_col, max_row = range_boundaries(table.ref)
            tables.append({
                "name": table.displayName, "range_address": table.ref,
                "header_row_range_address": f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{min_row}",
                "data_body_range_address": f"{get_column_letter(min_col)}{min_row + 1}:{get_column_letter(max_col)}{max_row}",
                "total_row_range_address": None, "show_headers": True, "show_totals": False,
                "table_style": table.tableStyleInfo.name if table.tableStyleInfo else None, "show_autofilter": True,
            })
        notes = [{"address": cell.coordinate} for row in ws.iter_rows() for cell in row if cell.comment is not None]
        sheets.append({
            "name": ws.title, "values": rows, "visibility": "Visible" if ws.sheet_state == "visible" else "Hidden",
            "pictures": [], "shapes": [], "charts": [], "tables": tables, "notes": notes, "pivot_tables": [],
            "print_area": None, "show_gridlines": True,
        })
    return {
        "client": "Office.js", "version": xlwings.__version__,
        "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
        "names": [], "sheets": sheets,
    }


_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$")
_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def typed(value: object) -> tuple[object, bool]:
    """A value as Excel stores what was put in a cell: (value, quote prefix)."""
    if isinstance(value, str):
        if value.startswith("'"):
            return value[1:], True
        if value == "":
            return None, False
        if _ISO_DATE.match(value):
            return datetime.fromisoformat(value), False
        if _NUMBER.match(value):
            return float(value), False
        if value.startswith("="):
            raise AssertionError(f"text {value!r} would become a formula in Excel")
    return value, False


@dataclass
class Replayed:
    alerts: list[tuple[str, str, str]] = field(default_factory=list)
    charts: list[dict] = field(default_factory=list)  # chart actions, recorded: openpyxl cannot replay them


def _cells(ws: Worksheet, action: dict):
    r0, c0 = action["start_row"] + 1, action["start_column"] + 1
    for r in range(r0, r0 + action["row_count"]):
        yield [ws.cell(r, c) for c in range(c0, c0 + action["column_count"])]


def _area(action: dict) -> str:
    r0, c0 = action["start_row"] + 1, action["start_column"] + 1
    return (f"{get_column_letter(c0)}{r0}:{get_column_letter(c0 + action['column_count'] - 1)}"
            f"{r0 + action['row_count'] - 1}")


def replay(source: Path, actions: list[dict], target: Path) -> Replayed:
    """Do to a copy of ``source`` what Excel does with ``actions``; save it as ``target``."""
    book = load_workbook(source, keep_vba=source.suffix == ".xlsm")
    seen = Replayed()
    for action in actions:
        func, args = action["func"], action["args"]
        if func == "alert":
            seen.alerts.append((args[0], args[1], args[3]))
            continue
        if func == "addSheet":  # args: [position, name]; the workbook-level action has no sheet_position
            book.create_sheet(args[1], args[0])
            continue
        if func == "activateSheet":
            book.active = args[0]
            continue
        if func == "setSheetVisibility":
            book.worksheets[action["sheet_position"]].sheet_state = {"Hidden": "hidden", "Visible": "visible"}[args[0]]
            continue
        ws = book.worksheets[action["sheet_position"]]
        if "Chart" in func:
            seen.charts.append(action)
        elif func == "sheetClear":
            for row in ws.iter_rows():
                for cell in row:
                    cell.value, cell.style = None, "Normal"
        elif func == "setValues":
            for cells, values in zip(_cells(ws, action), action["values"]):
                for cell, value in zip(cells, values):
                    cell.value, prefix = typed(value)
                    cell.quotePrefix = prefix
                    if isinstance(cell.value, str):
                        cell.data_type = "s"
        elif func == "rangeClearContents":
            for cells in _cells(ws, action):
                for cell in cells:
                    cell.value = None
        elif func == "resizeTable":
            table = list(ws.tables.values())[args[0]]
            table.ref = args[1].replace("$", "")
            if table.autoFilter is not None:
                table.autoFilter.ref = table.ref
        elif func == "setNumberFormat":
            for cells in _cells(ws, action):
                for cell in cells:
                    cell.number_format = args[0]
        elif func == "setDataValidationRule":
            rule = args[0]
            assert rule["type"] == "date" and rule["operator"] == "greater_than", rule
            _replace_validation(ws, DataValidation(type="date", operator="greaterThan",
                                                   formula1=rule["formula1"].lstrip("="), sqref=_area(action)))
        elif func == "setDataValidationList":
            source_payload = args[0]
            assert source_payload["type"] == "literal", source_payload
            _replace_validation(ws, DataValidation(type="list", formula1='"' + ",".join(source_payload["values"]) + '"',
                                                   sqref=_area(action)))
        elif func in {"setRangeColor", "setRangeColors"}:
            colours = args[0] if func == "setRangeColors" else None
            for i, cells in enumerate(_cells(ws, action)):
                for j, cell in enumerate(cells):
                    colour = colours[i][j] if colours is not None else args[0]
                    if colour == "keep":
                        continue
                    cell.fill = PatternFill("solid", fgColor=colour.lstrip("#").upper()) if colour else PatternFill()
        elif func == "setFontProperty":
            prop, value = args
            for cells in _cells(ws, action):
                for cell in cells:
                    font = copy.copy(cell.font)
                    if prop == "bold":
                        font = Font(bold=value, color=font.color)
                    elif prop == "color":
                        font = Font(bold=font.bold, color=value.lstrip("#").upper())
                    else:
                        raise AssertionError(f"font property {prop} not stood in for")
                    cell.font = font
        elif func == "clearConditionalFormats":
            area = _area(action)
            kept = type(ws.conditional_formatting)()
            for rng in ws.conditional_formatting:
                if str(rng.sqref) != area:
                    for rule in rng.rules:
                        kept.add(str(rng.sqref), rule)
            ws.conditional_formatting = kept
        elif func == "addConditionalFormat":
            entry = args[0]
            assert entry["type"] == "CellValue" and entry["operator"] == "EqualTo", entry
            ws.conditional_formatting.add(_area(action), CellIsRule(
                operator="equal", formula=[entry["formula1"].lstrip("=")],
                fill=PatternFill("solid", fgColor=entry["fill_color"].lstrip("#").upper(),
                                 bgColor=entry["fill_color"].lstrip("#").upper()),
                font=Font(color=entry["font_color"].lstrip("#").upper(), bold=entry.get("font_bold"))))
        elif func in {"addNote", "setNoteText"}:
            ws[args[0]].comment = Comment(args[1], "ragbook")
        elif func == "deleteNote":
            ws[args[0]].comment = None
        else:
            raise AssertionError(f"action {func} is not stood in for: {action}")
    book.save(target)
    return seen


def _replace_validation(ws: Worksheet, validation: DataValidation) -> None:
    ws.data_validations.dataValidation = [
        dv for dv in ws.data_validations.dataValidation if str(dv.sqref) != str(validation.sqref)]
    ws.add_data_validation(validation)


def press(master: Path, key: str, chosen: str = "", today: date | None = None) -> tuple[Path, list[dict], list]:
    """Press a button on the live workbook ``master``; returns the workbook as Excel leaves it, and more."""
    book = xlwings.Book(json=payload_of(master, name=str(master)))
    run_button(book, key, chosen, today=today)
    actions = book.json()["actions"]
    after = master.with_name(f"after-{key}{master.suffix}")
    replayed = replay(master, actions, after)
    return after, actions, replayed.alerts
