"""Draw the Summary sheet in the live workbook: the same ``summary_layout`` the file adapter draws.

The whole sheet's values go in as one block; each table's header row gets its fills in one call; charts are
native Excel charts over the tables' cells. Kept simpler than the file's drawing, on purpose: series keep
Excel's own colours (the xlwings API sets a chart's data and type, not each point's fill), and column
widths and row heights are left as the workbook has them.
"""

from __future__ import annotations

from typing import Any

from ..master.cells import DATE_FORMAT
from ..summary_layout import Block, SheetLayout

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


def draw(book: Any, sheet_name: str, sheet_layout: SheetLayout, to_cell) -> None:
    ws = book.sheets[sheet_name]
    for chart in list(ws.charts):
        chart.delete()
    ws.clear()
    values = grid(sheet_layout, to_cell)
    ws.range((1, 1), (len(values), len(values[0]))).value = values
    ws.range((1, 1)).font.bold = True
    for block in sheet_layout.blocks:
        _style_block(ws, block)
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
        chart = ws.charts.add(width=spec.width_cm * CM, height=spec.height_cm * CM, chart_type=CHART_TYPES[spec.kind],
                              source=source, anchor=ws.range((spec.anchor_row, spec.anchor_column)))
        chart.name = spec.title


def _style_block(ws: Any, block: Block) -> None:
    header = ws.range((block.header_row, 1), (block.header_row, len(block.header)))
    fills = {offset: (fill, font) for offset, fill, font in block.fills}
    header.set_colors([[f"#{fills.get(offset, ('1F3864', 'FFFFFF'))[0]}" for offset in range(len(block.header))]])
    header.font.bold = True
    header.font.color = "#FFFFFF"
    for offset, (_, font) in fills.items():
        if font.upper() != "FFFFFF":
            ws.range((block.header_row, 1 + offset)).font.color = f"#{font}"
    ws.range((block.row, 1)).font.bold = True
    if not block.rows:
        return
    last = block.first_data_row + len(block.rows) - 1
    for offsets, number_format in ((block.percent_columns, "0%"), (block.date_columns, DATE_FORMAT)):
        if offsets:
            ws.range((block.first_data_row, 1 + min(offsets)), (last, 1 + max(offsets))).number_format = number_format
