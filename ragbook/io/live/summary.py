"""Draw the Summary sheet in the live workbook: the same ``summary_layout`` the file adapter draws.

The whole sheet's values go in as one block. Every call is an Excel action, so the look is set with a few
calls over the whole area rather than cell by cell, on purpose: the titles and header rows are bold (and
the headers shaded) by two conditional-format rules naming their rows, and every cell holding a rating's
label (or "label %") takes the rating's colours by one rule per rating, as the file adapter colours them;
the columns take the layout's widths, the text wraps and the rows are fitted to it. The file adapter's
larger title, page breaks and page header are its own (the xlwings API sets no page break or header, and
each more call counts); series keep Excel's own colours.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from ..sheets.values import DATE_FORMAT
from ..sheets.summary_layout import SheetLayout

CM = 28.35  # points per centimetre
CHART_TYPES = {"doughnut": "doughnut", "stacked": "column_stacked"}
HEADER_FILL = "#D9E1F2"  # light: black header text reads on it, so no per-cell font colours are needed


def grid(sheet_layout: SheetLayout, to_cell) -> list[list[object]]:
    """Every value of the sheet, rows 1 to the last table's last row, as Excel should hold them."""
    last = max(sheet_layout.last_row, 3)
    width = max([1] + [len(b.header) for b in sheet_layout.blocks] + [len(r) for b in sheet_layout.blocks for r in b.rows])
    values: list[list[object]] = [[None] * width for _ in range(last)]
    values[0][0] = to_cell(sheet_layout.title)
    values[1][0] = to_cell(sheet_layout.subtitle)
    values[2][0] = to_cell(sheet_layout.marking)
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


def _rows_rule(rows: tuple[int, ...]) -> str:
    return f"ISNUMBER(MATCH(ROW(),{{{','.join(str(r) for r in rows)}}},0))"


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _look(ws: Any, sheet_layout: SheetLayout, width: int) -> None:
    """Bold titles, shaded bold headers and rating colours: rules over the whole area, a handful of calls."""
    area = ws.range((1, 1), (sheet_layout.last_row, width))
    formats = area.conditional_formats
    formats.clear()
    labels = [label for label, _, _ in sheet_layout.labels]
    names = ",".join(_quoted(x) for label in labels for x in (label, f"{label} %"))
    formats.add_custom(f"=AND({_rows_rule(sheet_layout.header_rows)},ISNA(MATCH(A1,{{{names}}},0)))",
                       fill_color=HEADER_FILL, font_bold=True)
    formats.add_custom(f"={_rows_rule((1, 3) + sheet_layout.title_rows)}", font_bold=True)
    for label, fill, font in sheet_layout.labels:
        formats.add_custom(f"=OR(A1={_quoted(label)},A1={_quoted(label + ' %')})", fill_color=f"#{fill}",
                           font_color=f"#{font}", font_bold=True)


def _widths(ws: Any, widths: tuple[float, ...], in_points: bool) -> None:
    """One call per run of columns of the same width (desktop Excel counts characters, the remote engine points)."""
    start = 0
    for column in range(1, len(widths) + 1):
        if column < len(widths) and widths[column] == widths[start]:
            continue
        width = widths[start]
        ws.range((1, start + 1), (1, column)).column_width = (7 * width + 5) * 0.75 if in_points else width
        start = column


def draw(book: Any, sheet_name: str, sheet_layout: SheetLayout, to_cell) -> None:
    ws = book.sheets[sheet_name]
    for chart in list(ws.charts):
        chart.delete()
    ws.clear()
    values = grid(sheet_layout, to_cell)
    width = len(values[0])
    ws.range((1, 1), (len(values), width)).value = values
    _look(ws, sheet_layout, width)
    _widths(ws, sheet_layout.widths, in_points=getattr(book.app.engine, "name", "") == "remote")
    tables = ws.range((sheet_layout.blocks[0].row, 1), (sheet_layout.last_row, width))
    tables.wrap_text = True
    tables.rows.autofit()
    _number_formats(ws, sheet_layout)
    for spec in sheet_layout.charts:
        block = sheet_layout.block(spec.block)
        if not block.rows:
            continue
        first, last = block.first_data_row, block.first_data_row + len(block.rows) - 1
        columns = [1 + c for c in spec.columns]
        # Categories in the column just left of the counts go in the source (Excel takes a column of text there as
        # the categories), which saves the call that names them apart.
        beside = spec.kind == "stacked" and spec.category_column == spec.columns[0] - 1
        source = ws.range((block.header_row, columns[0] - (1 if beside else 0)),
                          (first if spec.kind == "doughnut" else last, columns[-1]))
        chart = ws.charts.add(width=spec.width_cm * CM, height=spec.height_cm * CM, chart_type=CHART_TYPES[spec.kind],
                              source=source, anchor=ws.range((spec.anchor_row, spec.anchor_column)))
        if spec.kind == "stacked" and not beside:  # the short names, not the recommendations' wording, under the bars
            category = 1 + spec.category_column
            chart.set_x_axis_values(ws.range((first, category), (last, category)))


def _number_formats(ws: Any, sheet_layout: SheetLayout) -> None:
    """Percentages and dates, each in as few calls as it can: a format may be laid over cells holding text or
    nothing (it shows nothing there), never over other numbers, so the tables are laid out for the columns of
    one format to run down the sheet (the four rating tables' shares; the dates of the last three tables)."""
    for attribute, number_format in (("percent_columns", "0%"), ("date_columns", DATE_FORMAT)):
        for first, last, left, right in _rectangles(sheet_layout, attribute):
            ws.range((first, 1 + left), (last, 1 + right)).number_format = number_format


def _numeric(value: object) -> bool:
    return isinstance(value, (int, float, date)) and not isinstance(value, bool)


def _rectangles(sheet_layout: SheetLayout, attribute: str) -> list[tuple[int, int, int, int]]:
    """(first row, last row, first column offset, last column offset) covering every cell of the format."""
    blocks = [b for b in sheet_layout.blocks if b.rows]
    spans: dict[int, list[list[int]]] = {}
    for column in sorted({c for b in blocks for c in getattr(b, attribute)}):
        open_span: list[int] | None = None
        for block in blocks:
            last = block.first_data_row + len(block.rows) - 1
            if column in getattr(block, attribute):
                if open_span is None:
                    open_span = [block.first_data_row, last]
                    spans.setdefault(column, []).append(open_span)
                open_span[1] = last
            elif any(column < len(row) and _numeric(row[column]) for row in block.rows):
                open_span = None  # another number sits in this column here: the format must not reach it
    rectangles: list[tuple[int, int, int, int]] = []
    for column, found in sorted(spans.items()):
        for first, last in found:
            merged = next((i for i, r in enumerate(rectangles) if r[:2] == (first, last) and r[3] == column - 1), None)
            if merged is None:
                rectangles.append((first, last, column, column))
            else:
                rectangles[merged] = (first, last, rectangles[merged][2], column)
    return rectangles
