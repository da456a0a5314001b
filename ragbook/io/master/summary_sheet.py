"""Draw the Summary sheet of a master file with openpyxl: all but its cells (``summary_cells``), and native charts.

The sheet is rebuilt from nothing on every refresh (a refresh twice gives the same sheet). Charts are native
Excel charts whose series point at the tables' cells, coloured from the Rating Index; their axes are written
explicitly as shown, because Excel and LibreOffice hide axes openpyxl leaves unset.
"""

from __future__ import annotations

from openpyxl.chart import BarChart, DoughnutChart, Reference
from openpyxl.chart.label import DataLabelList
from openpyxl.chart.series import DataPoint, SeriesLabel
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.workbook import Workbook
from openpyxl.formatting.formatting import ConditionalFormattingList
from openpyxl.worksheet.pagebreak import Break, RowBreak
from openpyxl.worksheet.worksheet import Worksheet

from ..sheets import contract as c
from ..xlsx.cells import BODY_PT, FONT_NAME, font, print_to_scale
from ..xlsx.chart_text import style_chart
from ..sheets.summary_layout import Block, Chart, SheetLayout

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
    ws.conditional_formatting = ConditionalFormattingList()
    ws.row_breaks = RowBreak()
    ws.sheet_properties.tabColor = "1F3864"
    return ws


def draw_frame(book: Workbook, sheet_layout: SheetLayout) -> Worksheet:
    """Everything of the Summary but its cells and row heights (``summary_cells`` writes those as XML)."""
    ws = fresh_summary_sheet(book)
    for column, width in enumerate(sheet_layout.widths, start=1):
        ws.column_dimensions[get_column_letter(column)].width = width
    _rating_rules(ws, sheet_layout)
    for chart in sheet_layout.charts:
        _draw_chart(ws, sheet_layout.block(chart.block), chart)
    ws.freeze_panes = None
    print_to_scale(ws, sheet_layout.widths, title_rows=None)
    ws._print_rows = None  # noqa: SLF001 - the summary's tables each have their own header (openpyxl keeps a None)
    for row in sheet_layout.breaks:
        ws.row_breaks.append(Break(id=row))
    ws.oddHeader.center.text = sheet_layout.page_marking
    ws.oddFooter.center.text = "Summary, page &P of &N"
    return ws


def _rating_rules(ws: Worksheet, sheet_layout: SheetLayout) -> None:
    """Every cell of the tables that holds a rating's label takes the rating's colours (the overdue actions'
    ratings, the movement's from and to), as the live workbook's refresh colours them."""
    area = f"A{sheet_layout.blocks[0].row}:{get_column_letter(len(sheet_layout.widths))}{sheet_layout.last_row}"
    for label, fill, colour in sheet_layout.labels:
        escaped = label.replace('"', '""')
        ws.conditional_formatting.add(area, CellIsRule(
            operator="equal", formula=[f'"{escaped}"'], fill=PatternFill("solid", fgColor=fill, bgColor=fill),
            font=font(bold=True, color=colour)))


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
        category = 1 + spec.category_column
        chart.set_categories(Reference(ws, min_col=category, max_col=category, min_row=first, max_row=last))
        chart.y_axis.title = "Actions"
        chart.y_axis.majorGridlines = None
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        chart.y_axis.number_format = "0"
    chart.title = spec.title
    chart.legend.position = "r"
    style_chart(chart, FONT_NAME, BODY_PT, 14)  # 11 pt, as the tables: 9 pt or more when printed
    chart.width, chart.height = spec.width_cm, spec.height_cm
    ws.add_chart(chart, f"{get_column_letter(spec.anchor_column)}{spec.anchor_row}")
