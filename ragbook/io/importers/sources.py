"""Turning each kind of source file into a ``Grid``: text dumps, CSV, Excel workbooks (streamed, each cell
checked as it is read) and Word tables."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from ...core.errors import InputError
from ..ooxml import opc
from ..ooxml import xmlstream as xs
from ..ooxml.package import MalformedPartError, Package
from ..ooxml.sheetstream import Limits, SheetReader
from .grid import Grid, GridRow

_ENCODINGS = ("utf-8-sig", "cp1252")


def decode_text(path: Path) -> str:
    data = path.read_bytes()
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    for encoding in _ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise InputError(f"{path}: is not readable text (neither UTF-8 nor Windows-1252).")


def text_grid(path: Path) -> Grid:
    """Tab-separated text, as copied out of a Word or PDF table; CSV when the text has no tabs but commas."""
    text = decode_text(path)
    lines = text.splitlines()
    if not any("\t" in line for line in lines) and any("," in line or ";" in line for line in lines):
        return csv_grid(path, text)
    rows = [GridRow(f"line {number}", tuple(line.split("\t"))) for number, line in enumerate(lines, start=1)]
    return Grid(str(path), rows)


def csv_grid(path: Path, text: str | None = None) -> Grid:
    text = decode_text(path) if text is None else text
    try:
        dialect = csv.Sniffer().sniff(text[:8192], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        rows = [GridRow(f"line {reader.line_num}", tuple(cells)) for cells in reader]
    except csv.Error as exc:
        raise InputError(f"{path}: is not a readable CSV table ({exc}).") from None
    return Grid(str(path), rows)


# What an action plan's sheet may hold: far more rows and columns than any plan has, and the far-cell refusal's
# words ("far outside any action plan").
PLAN_LIMITS = Limits(holds="any action plan", max_rows=200_000, max_columns=500)


def workbook_grids(package: Package) -> list[Grid]:
    """One grid per sheet, in the workbook's order: values only (no formula is run), streamed out of the package
    already checked by ``ooxml.sheetstream``, each cell checked as it is read; the parts read are those the
    package's relationships name, and every other XML part is checked for a DTD."""
    path = package.path
    try:
        main = opc.main_part(package)
        book = opc.workbook(package, main) if main else None
        if book is None:
            raise InputError(f"{path}: cannot be read as a workbook (it holds no workbook part).")
        read = {main, book.shared_strings, book.styles, *book.sheets.values()}
        xs.refuse_dtds(package, PLAN_LIMITS.max_part, {name for name in read if name})
        reader = SheetReader(book, PLAN_LIMITS)
        grids = []
        for name, part in book.sheets.items():
            if part is None:
                raise InputError(f"{path}: sheet '{name}' cannot be read (the file does not hold its part).")
            rows = [GridRow(f"sheet '{name}' row {number}", tuple(_cell_text(v) for v in row))
                    for number, row in enumerate(reader.grid(name), start=1)]
            grids.append(Grid(f"{path} (sheet '{name}')", rows, title=name))
    except MalformedPartError as exc:
        raise InputError(f"{path}: cannot be read as a workbook (part {exc.part} is not well-formed: "
                         f"{exc.cause}).") from None
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path}: cannot be read as a workbook ({exc}).") from None
    return grids


def _check_xml(package: Package, keep: bool = False) -> None:
    try:
        package.check_xml(keep=keep)
    except zipfile.BadZipFile:
        raise InputError(f"{package.path}: is damaged (it starts like a zip package but cannot be opened).") from None


def _cell_text(value: object) -> str:
    from datetime import date, datetime  # noqa: PLC0415

    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat(" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def docx_grids(package: Package) -> list[Grid]:
    """One grid per Word table, with the paragraphs before it (the title) and after it (the legend).

    A cell merged down across rows (a recommendation spanning its actions) is repeated into every row it
    covers, as a reader of the printed table sees it.
    """
    import docx  # noqa: PLC0415
    from docx.oxml.ns import qn  # noqa: PLC0415

    path = package.path
    _check_xml(package)
    try:
        document = docx.Document(str(path))  # its own errors name the file
    except Exception as exc:  # python-docx raises several kinds for broken packages
        raise InputError(f"{path}: cannot be read as a Word document ({exc}).") from None
    body = document.element.body
    grids: list[Grid] = []
    before: list[GridRow] = []
    paragraph_number = 0
    table_number = 0
    for child in body.iterchildren():
        if child.tag == qn("w:p"):
            paragraph_number += 1
            text = "".join(t.text or "" for t in child.iter(qn("w:t")))
            if "\t" in text:
                cells = tuple(text.split("\t"))
            else:
                cells = (text,)
            row = GridRow(f"paragraph {paragraph_number}", cells)
            if grids:
                grids[-1].rows.append(row)
            before.append(row)
        elif child.tag == qn("w:tbl"):
            table_number += 1
            rows = _table_rows(child, table_number, qn)
            if grids and rows and max(len(r.cells) for r in rows) <= 2:
                # A two-column table after the plan is its rating key (label, meaning): it belongs to the plan.
                grids[-1].rows.extend(rows)
            grids.append(Grid(f"{path} (table {table_number})", before[-5:] + rows))
            before = []
    title = next((p.text for p in document.paragraphs if p.text.strip()), "")
    for grid in grids:
        grid.title = title
    return grids


def _table_rows(table, table_number: int, qn) -> list[GridRow]:
    rows: list[GridRow] = []
    above: dict[int, str] = {}
    for row_number, tr in enumerate(table.iter(qn("w:tr")), start=1):
        cells: list[str] = []
        for tc in tr.iter(qn("w:tc")):
            properties = tc.find(qn("w:tcPr"))
            span = 1
            merged_from_above = False
            if properties is not None:
                grid_span = properties.find(qn("w:gridSpan"))
                if grid_span is not None:
                    span = int(grid_span.get(qn("w:val"), "1"))
                v_merge = properties.find(qn("w:vMerge"))
                merged_from_above = v_merge is not None and v_merge.get(qn("w:val"), "continue") == "continue"
            paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in tc.iter(qn("w:p"))]
            text = "\n".join(paragraphs).strip()
            column = len(cells)
            if merged_from_above and not text:
                text = above.get(column, "")
            for offset in range(span):
                above[column + offset] = text
                cells.append(text if offset == 0 else "")
        rows.append(GridRow(f"table {table_number} row {row_number}", tuple(cells)))
    return rows
