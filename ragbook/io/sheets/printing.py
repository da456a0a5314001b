"""How tall a row of wrapped text must be, so that nothing runs into the next row on screen or on paper.

Not every spreadsheet program fits a row to its wrapped text when it opens a file (LibreOffice's converter
does not), so the writers give each row a height. The estimate wraps the text word by word at a capacity
a little below the column's width in characters, which holds for Calibri and for the wider faces a program
substitutes for it: a row may come out a line taller than Excel would make it, never a line short.
"""

from __future__ import annotations

from typing import Iterable, Sequence

CHARACTERS_PER_WIDTH = 1.05  # characters of body text per unit of column width, in the widest likely face
# The page every sheet prints on: A4 landscape with these margins (inches), as ``xlsx.cells.print_to_scale``
# sets them; the Summary's page breaks are placed from them.
PAGE_WIDTH_POINTS, PAGE_HEIGHT_POINTS = 842.0, 595.0
SIDE_MARGIN, TOP_MARGIN, HEADER_MARGIN = 0.4, 0.6, 0.3


# Points a unit of column width takes on paper at 100%: Excel's, for Calibri 11 (7 pixels a character at 96
# pixels an inch), and the widest seen, LibreOffice's when it draws the sheet in a fallback face. Whether a
# sheet may be fitted to the page is judged on the widest, so that no program prints it below 9 pt.
EXCEL_POINTS_PER_WIDTH, WIDEST_POINTS_PER_WIDTH, PADDING_PER_COLUMN = 5.25, 6.3, 3.75


def column_points(width: float, per_width: float = WIDEST_POINTS_PER_WIDTH) -> float:
    """The printed width of a column ``width`` characters wide, at 100%."""
    return per_width * width + PADDING_PER_COLUMN


def fit_scale(widths: Sequence[float], per_width: float = WIDEST_POINTS_PER_WIDTH) -> float:
    """The scale that fits columns of ``widths`` (characters) across one page; 1 when they fit already."""
    total = sum(column_points(w, per_width) for w in widths)
    return min(1.0, (PAGE_WIDTH_POINTS - 2 * 72 * SIDE_MARGIN) / total) if total else 1.0


def page_points(scale: float) -> float:
    """How many points of rows fit on one page printed at ``scale`` (a little kept back for the header)."""
    return (PAGE_HEIGHT_POINTS - 2 * 72 * TOP_MARGIN - 24) / scale
LINE_POINTS = 15.0
PADDING_POINTS = 3.0
MAX_ROW_POINTS = 409.0  # Excel's tallest row
BOLD_FACTOR = 1.1  # bold text is wider


def capacity(width: float, bold: bool = False) -> int:
    """How many characters of text fit on one line of a column ``width`` characters wide."""
    return max(1, int(width * CHARACTERS_PER_WIDTH / (BOLD_FACTOR if bold else 1.0)))


def wrapped_lines(text: str, chars: int) -> int:
    """The lines ``text`` takes when wrapped at word boundaries into lines of ``chars`` characters."""
    lines = 0
    for part in text.split("\n"):
        if len(part) <= chars:
            lines += 1
            continue
        used = 0
        count = 1
        for word in part.split():
            size = len(word)
            if used and used + 1 + size > chars:
                count += 1
                used = 0
            if size > chars:  # a word longer than the line breaks where it must
                count += (size - 1) // chars
                size = size % chars or chars
            used = size if not used else used + 1 + size
        lines += count
    return max(lines, 1)


def points(lines: int) -> float:
    return min(MAX_ROW_POINTS, LINE_POINTS * lines + PADDING_POINTS)


def row_points(values: Sequence[object], wrapped: Iterable[tuple[int, int]]) -> float | None:
    """The height a row needs for the text in its wrapped columns, ``(position, capacity)``; None for one line."""
    lines = 1
    for position, chars in wrapped:
        if position >= len(values):
            continue
        value = values[position]
        if type(value) is not str or (len(value) <= chars and "\n" not in value):
            continue
        lines = max(lines, wrapped_lines(value, chars))
    return points(lines) if lines > 1 else None
