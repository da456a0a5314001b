"""Draw the Summary sheet of a master file with openpyxl: the tables of ``summary_layout`` and native charts.

The sheet is rebuilt from nothing on every refresh (a refresh twice gives the same sheet). Charts are native
Excel charts whose series point at the tables' cells, coloured from the Rating Index; their axes are written
explicitly as shown, because Excel and LibreOffice hide axes openpyxl leaves unset.
"""

from __future__ import annotations

from copy import copy

from openpyxl.cell.cell import Cell
from openpyxl.chart import BarChart, DoughnutChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import DataPoint, SeriesLabel
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from ..sheets import contract as c
from ..sheets.values import DATE_FORMAT
from ..xlsx.cells import landscape_fit_to_width, put
from ..sheets.summary_layout import Block, Chart, SheetLayout

HEADER_FILL = PatternFill("solid", fgColor="1F3864")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=12, color="1F3864")
FIRST_WIDTH, DEFAULT_WIDTH = 40, 11
TOP, TOP_WRAP = Alignment(vertical="top"), Alignment(vertical="top", wrap_text=True)


def fresh_summary_sheet(book: Workbook) -> Worksheet:
    """The Summary sheet emptied in place (an ``.xlsm``'s VBA knows the sheet: it must stay the same sheet)."""
    if c.SUMMARY not in book.sheetnames:
        book.create_sheet(c.SUMMARY, min(1, len(book.sheetnames)))
    ws = book[c.SUMMARY]
    if ws.max_row:
        ws.delete_rows(1, ws.max_row)
    ws.row_dimensions.clear()
    ws._charts.clear()  # noqa: SLF001 - openpyxl keeps a sheet's charts in this list, with no public remover
    for merged in list(ws.merged_cells.ranges):
        ws.unmerge_cells(str(merged))
    ws.sheet_properties.tabColor = "1F3864"
    return ws


def draw(book: Workbook, sheet_layout: SheetLayout) -> Worksheet:
    ws = fresh_summary_sheet(book)
    ws["A1"] = sheet_layout.title
    ws["A1"].font = Font(bold=True, size=16, color="1F3864")
    put(ws["A2"], sheet_layout.subtitle)
    ws["A2"].font = Font(italic=True, color="595959")
    for column in range(1, 14):
        ws.column_dimensions[get_column_letter(column)].width = FIRST_WIDTH if column == 1 else DEFAULT_WIDTH
    for block in sheet_layout.blocks:
        _draw_block(ws, block)
    for chart in sheet_layout.charts:
        _draw_chart(ws, sheet_layout.block(chart.block), chart)
    ws.freeze_panes = "A4"
    landscape_fit_to_width(ws)
    ws.print_title_rows = None  # the summary's tables each have their own header
    return ws


def _draw_block(ws: Worksheet, block: Block) -> None:
    ws.cell(block.row, 1, block.title).font = TITLE_FONT
    fills = {offset: (fill, font) for offset, fill, font in block.fills}
    for offset, header in enumerate(block.header):
        cell = ws.cell(block.header_row, 1 + offset)
        put(cell, header)
        fill, font = fills.get(offset, ("1F3864", "FFFFFF"))
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.font = Font(bold=True, color=font)
        cell.alignment = Alignment(horizontal="center" if offset else "left", vertical="center", wrap_text=True)
    if any(len(h) > DEFAULT_WIDTH for h in block.header[1:]):
        ws.row_dimensions[block.header_row].height = 30
    if not block.rows:
        ws.cell(block.first_data_row, 1, block.note).font = Font(italic=True, color="595959")
        return
    # One style per column, copied into each cell: setting a cell's alignment and format one by one looks each
    # up in openpyxl's style registry, which costs seconds on a summary of 20,000 actions.
    styles = []
    for offset in range(len(block.header)):
        template = Cell(ws)
        template.alignment = TOP_WRAP if offset == 0 else TOP
        if offset in block.percent_columns:
            template.number_format = "0%"
        elif offset in block.date_columns:
            template.number_format = DATE_FORMAT
        styles.append(template._style)  # noqa: SLF001 - openpyxl's own way of copying a style
    for number, values in enumerate(block.rows, start=block.first_data_row):
        for offset, value in enumerate(values):
            cell = ws.cell(number, 1 + offset)
            cell._style = copy(styles[offset] if offset < len(styles) else styles[-1])  # noqa: SLF001
            put(cell, value)  # after the style: text that looks like a formula adds its quote prefix to it
        first = values[0] if isinstance(values[0], str) else ""
        lines = sum(max(1, -(-len(part) // int(FIRST_WIDTH * 1.1))) for part in first.split("\n"))
        if lines > 1:  # not every spreadsheet program fits rows to wrapped text on opening
            ws.row_dimensions[number].height = min(409, 13 * lines + 3)


def _draw_chart(ws: Worksheet, block: Block, spec: Chart) -> None:
    if not block.rows:
        return
    first, last = block.first_data_row, block.first_data_row + len(block.rows) - 1
    if spec.kind == "doughnut":
        chart = DoughnutChart(holeSize=50)
        values = Reference(ws, min_col=1 + spec.columns[0], max_col=1 + spec.columns[-1], min_row=first, max_row=first)
        labels = Reference(ws, min_col=1 + spec.columns[0], max_col=1 + spec.columns[-1], min_row=block.header_row,
                           max_row=block.header_row)
        chart.add_data(values, from_rows=True, titles_from_data=False)
        chart.set_categories(labels)
        series = chart.series[0]
        series.tx = SeriesLabel(v="Actions")
        for point, colour in enumerate(spec.colours):
            data_point = DataPoint(idx=point)
            data_point.graphicalProperties.solidFill = colour
            data_point.graphicalProperties.line.solidFill = "FFFFFF"
            series.dPt.append(data_point)
        series.dLbls = DataLabelList(showVal=True, showCatName=False, showSerName=False, showPercent=False,
                                     showLegendKey=False)
    else:
        chart = BarChart(type="col", grouping="stacked", overlap=100, gapWidth=60)
        for column, colour in zip(spec.columns, spec.colours):
            values = Reference(ws, min_col=1 + column, max_col=1 + column, min_row=block.header_row, max_row=last)
            chart.add_data(values, titles_from_data=True)
            chart.series[-1].graphicalProperties.solidFill = colour
            chart.series[-1].graphicalProperties.line.solidFill = colour
        chart.set_categories(Reference(ws, min_col=1, max_col=1, min_row=first, max_row=last))
        chart.y_axis.title = "Actions"
        chart.y_axis.majorGridlines = None
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.number_format = "0"
    chart.title = spec.title
    chart.legend.position = "r"
    chart.width, chart.height = spec.width_cm, spec.height_cm
    ws.add_chart(chart, f"{get_column_letter(spec.anchor_column)}{spec.anchor_row}")
