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
from openpyxl.formatting.rule import CellIsRule, FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
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
                        font = Font(bold=value, color=font.color, size=font.size)
                    elif prop == "color":
                        font = Font(bold=font.bold, color=value.lstrip("#").upper(), size=font.size)
                    elif prop == "size":
                        font = Font(bold=font.bold, color=font.color, size=value)
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
        elif func == "addConditionalFormat" and args[0]["type"] == "Custom":  # a rule by formula
            entry = args[0]
            fill = (entry.get("fill_color") or "").lstrip("#").upper()
            colour = (entry.get("font_color") or "").lstrip("#").upper()
            ws.conditional_formatting.add(_area(action), FormulaRule(
                formula=[entry["formula"].lstrip("=")],
                fill=PatternFill("solid", fgColor=fill, bgColor=fill) if fill else None,
                font=Font(color=colour or None, bold=entry.get("font_bold")) if colour or entry.get("font_bold")
                else None))
        elif func == "setColumnWidth":  # the remote engine's unit is the point: back to characters
            for column in range(action["start_column"] + 1, action["start_column"] + action["column_count"] + 1):
                ws.column_dimensions[get_column_letter(column)].width = round((args[0] / 0.75 - 5) / 7, 2)
        elif func == "setWrapText":
            for cells in _cells(ws, action):
                for cell in cells:
                    cell.alignment = Alignment(wrap_text=args[0], vertical=cell.alignment.vertical)
        elif func == "setAutofit":
            pass  # Excel fits the rows to their wrapped text: nothing a file holds
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


def press(master: Path, key: str, chosen: str | list[str] = "", today: date | None = None, *,
          selection: tuple[str, str] | None = None, **asked: str) -> tuple[Path, list[dict], list]:
    """Press a button on the live workbook ``master`` (with what the VBA asked, ``asked``: password_file, extra;
    ``selection``: the sheet and cell selected); returns the workbook as Excel leaves it, and more."""
    payload = payload_of(master, name=str(master))
    if selection is not None:
        payload["book"]["active_sheet_index"] = [s["name"] for s in payload["sheets"]].index(selection[0])
        payload["book"]["selection"] = selection[1]
    book = xlwings.Book(json=payload)
    run_button(book, key, chosen, today=today, **asked)
    actions = book.json()["actions"]
    after = master.with_name(f"after-{key}{master.suffix}")
    replayed = replay(master, actions, after)
    return after, actions, replayed.alerts


# ---------------------------------------------------------------------------- the web edition, over HTTP
# The same stand-in for the Office.js client, talking to a real ``ragbook server`` (xlwings Server under
# uvicorn, on 127.0.0.1): it posts the workbook as the add-in does, uploads and downloads as the task pane
# does, and replays the actions that come back. httpx comes with the server extra; it is imported when used.


@dataclass
class WebServer:
    url: str
    state_dir: Path
    process: object  # subprocess.Popen
    log: Path

    def client(self, token: str | None = None):
        import httpx  # noqa: PLC0415

        headers = {"Authorization": f"Bearer {token}"} if token else {}
        return httpx.Client(base_url=self.url, headers=headers, timeout=300)

    def stop(self) -> None:
        process = self.process
        process.terminate()
        try:
            process.wait(timeout=20)
        except Exception:  # noqa: BLE001 - it would not stop when asked
            process.kill()
            process.wait(timeout=20)


def free_port() -> int:
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(state_dir: Path, *options: str, env: dict[str, str] | None = None, attempts: int = 3) -> WebServer:
    """``ragbook server`` on a free port of 127.0.0.1, once it answers; its output goes to a log beside it."""
    import os  # noqa: PLC0415
    import subprocess  # noqa: PLC0415
    import sys  # noqa: PLC0415
    import time  # noqa: PLC0415

    import httpx  # noqa: PLC0415

    from tests.helpers.paths import ROOT  # noqa: PLC0415

    log = state_dir.with_name(state_dir.name + ".log")
    environment = {**os.environ, "XLWINGS_LICENSE_KEY": "noncommercial", **(env or {})}
    for _ in range(attempts):  # a port found free may be taken before the server binds it: try another
        port = free_port()
        with open(log, "wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "ragbook", "server", "--port", str(port), "--state-dir", str(state_dir),
                 *options], cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT)
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None:
            try:
                if httpx.get(url + "/", timeout=2).status_code == 200:
                    return WebServer(url, state_dir, process, log)
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        if process.poll() is None:
            process.kill()
            process.wait()
    raise AssertionError("the server did not start:\n" + log.read_text("utf-8", errors="replace"))


@dataclass
class WebPress:
    status: int
    detail: str | None = None  # the sentence of a refused press
    actions: list[dict] = field(default_factory=list)
    alerts: list[tuple[str, str, str]] = field(default_factory=list)
    after: Path | None = None  # the workbook as Excel is left by the actions


def press_web(client, master: Path, key: str, job: str = "", *, document: str = "", today: date | None = None,
              token: str | None = None) -> WebPress:
    """Press ``key`` through the server as the add-in does, and replay what comes back onto a copy of ``master``."""
    payload = payload_of(master, name=master.name)  # Excel gives the add-in the workbook's name, not a path
    payload["args"] = [job, document] + ([today.isoformat()] if today else [])
    response = client.post(f"/xlwings/custom-scripts-call/{key}", json=payload)
    if response.status_code != 200:
        return WebPress(response.status_code, _detail(response))
    actions = response.json()["actions"]
    after = master.with_name(f"web-{key}{master.suffix}")
    replayed = replay(master, actions, after)
    return WebPress(200, None, actions, replayed.alerts, after)


def _detail(response) -> str | None:
    try:
        detail = response.json().get("detail")
    except ValueError:
        return response.text
    return detail if isinstance(detail, str) else str(detail)


def new_job(client) -> str:
    response = client.post("/ragbook/jobs")
    assert response.status_code == 201, response.text
    return response.json()["job"]


def upload(client, job: str, button: str, path: Path, name: str | None = None):
    """Upload one file as the task pane does: its bytes as the body, its name in the address."""
    from urllib.parse import quote  # noqa: PLC0415

    return client.put(f"/ragbook/jobs/{job}/uploads/{button}/{quote(name or path.name, safe='')}",
                      content=path.read_bytes())


def downloads(client, job: str) -> list[str]:
    response = client.get(f"/ragbook/jobs/{job}")
    assert response.status_code == 200, response.text
    return response.json()["downloads"]


def download(client, job: str, name: str, target: Path) -> Path:
    from urllib.parse import quote  # noqa: PLC0415

    response = client.get(f"/ragbook/jobs/{job}/downloads/{quote(name, safe='')}")
    assert response.status_code == 200, response.text
    target.write_bytes(response.content)
    return target
