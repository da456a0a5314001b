"""Draw the Summary sheet in the live workbook: the same ``summary_layout`` the file adapter draws.

The whole sheet's values go in as one block, and every header fill in one more (a matrix of colours); each
table then takes one call to embolden its title and header. Every call is an Excel action, so the drawing is
kept simpler than the file's, on purpose: header text is bold black on a light fill (or on the rating's own
colour) rather than set cell by cell; series keep Excel's own colours (the xlwings API sets a chart's data
and type, not each point's fill); column widths and row heights are left as the workbook has them.
"""

from __future__ import annotations

from typing import Any

from ..sheets.values import DATE_FORMAT
from ..sheets.summary_layout import SheetLayout

WIDTH = 13  # columns A:M hold the tables; charts start at N
CM = 28.35  # points per centimetre
CHART_TYPES = {"doughnut": "doughnut", "stacked": "column_stacked"}


def grid(sheet_layout: SheetLayout, to_cell) -> list[list[object]]:
    """Every value of the sheet, rows 1 to the last table's last row, as Excel should hold them."""
    last = max((b.last_row for b in sheet_layout.blocks), default=2)
    width = max([WIDTH] + [len(b.header) for b in sheet_layout.blocks] + [len(r) for b in sheet_layout.blocks for r in b.rows])
    values: list[list[object]] = [[None] * width for _ in range(last)]
    values[0][0] = to_cell(sheet_layout.title)
    values[1][0] = to_cell(sheet_layout.subtitle)
    for block in sheet_layout.blocks:
        values[block.row - 1][0] = to_cell(block.title)
        for offset, header in enumerate(block.header):
            values[block.header_row - 1][offset] = to_cell(header)
        if not block.rows:
            values[block.first_data_row - 1][0] = to_cell(block.note)
        for number, row in enumerate(block.rows, start=block.first_data_row):
            for offset, value in enumerate(row):
                values[number - 1][offset] = to_cell(value)
    return values


HEADER_FILL = "#D9E1F2"  # light: black header text reads on it, so no per-cell font colours are needed
MAX_COLOUR_CELLS = 10_000  # xlwings sets at most this many cells' colours in one call


def header_fills(sheet_layout: SheetLayout, width: int) -> list[tuple[int, list[list[object]]]]:
    """(first row, colour matrix) windows covering every header row, each within one call's limit.

    Header rows close together share a window (cells between them are left as they are, ``...``), so a
    summary of any size takes a handful of calls.
    """
    fills_by_row: dict[int, list[object]] = {}
    for block in sheet_layout.blocks:
        fills = {offset: fill for offset, fill, _ in block.fills}
        fills_by_row[block.header_row] = [f"#{fills[offset]}" if offset in fills else HEADER_FILL
                                          for offset in range(len(block.header))]
    windows: list[tuple[int, list[list[object]]]] = []
    for row in sorted(fills_by_row):
        if windows and (row - windows[-1][0] + 1) * width <= MAX_COLOUR_CELLS:
            start, matrix = windows[-1]
            matrix += [[...] * width for _ in range(row - start + 1 - len(matrix))]
        else:
            start, matrix = row, [[...] * width]
            windows.append((start, matrix))
        matrix[row - start][: len(fills_by_row[row])] = fills_by_row[row]
    return windows


def draw(book: Any, sheet_name: str, sheet_layout: SheetLayout, to_cell) -> None:
    ws = book.sheets[sheet_name]
    for chart in list(ws.charts):
        chart.delete()
    ws.clear()
    values = grid(sheet_layout, to_cell)
    width = len(values[0])
    ws.range((1, 1), (len(values), width)).value = values
    for start, matrix in header_fills(sheet_layout, width):
        ws.range((start, 1), (start + len(matrix) - 1, width)).set_colors(matrix)
    ws.range((1, 1)).font.bold = True
    for block in sheet_layout.blocks:
        # The title and the header are adjacent rows: one call emboldens both.
        ws.range((block.row, 1), (block.header_row, len(block.header))).font.bold = True
    _number_formats(ws, sheet_layout)
    for spec in sheet_layout.charts:
        block = sheet_layout.block(spec.block)
        if not block.rows:
            continue
        first, last = block.first_data_row, block.first_data_row + len(block.rows) - 1
        columns = [1 + c for c in spec.columns]
        if spec.kind == "doughnut":
            source = ws.range((block.header_row, columns[0]), (first, columns[-1]))
        else:
            source = ws.range((block.header_row, 1), (last, columns[-1]))
        ws.charts.add(width=spec.width_cm * CM, height=spec.height_cm * CM, chart_type=CHART_TYPES[spec.kind],
                      source=source, anchor=ws.range((spec.anchor_row, spec.anchor_column)))


def _number_formats(ws: Any, sheet_layout: SheetLayout) -> None:
    """One call per run of consecutive tables formatting the same columns alike (the four rating tables share
    their percentage columns): a format on a title or header cell holding text shows nothing."""
    for attribute, number_format in (("percent_columns", "0%"), ("date_columns", DATE_FORMAT)):
        run: tuple[tuple[int, ...], int, int] | None = None
        for block in [b for b in sheet_layout.blocks if b.rows]:
            offsets = getattr(block, attribute)
            last = block.first_data_row + len(block.rows) - 1
            if run is not None and offsets == run[0]:
                run = (offsets, run[1], last)
                continue
            if run is not None:
                _format(ws, run, number_format)
            run = (offsets, block.first_data_row, last) if offsets else None
        if run is not None:
            _format(ws, run, number_format)


def _format(ws: Any, run: tuple[tuple[int, ...], int, int], number_format: str) -> None:
    offsets, first, last = run
    ws.range((first, 1 + min(offsets)), (last, 1 + max(offsets))).number_format = number_format
