"""Writing a list sheet's ``<sheetData>`` as XML text, fast.

Text is written as inline strings (``t="inlineStr"``), which no spreadsheet ever evaluates, so a progress note
starting with ``=`` stays text; its style carries ``quotePrefix`` as well, so that editing the cell in Excel
keeps it text. Dates are Excel serial numbers with a date style. Style ids come from openpyxl's own style
registry (``openpyxl_styles``), so they agree with the ``styles.xml`` openpyxl writes beside them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable, Iterable, Iterator, Sequence

from openpyxl.utils import get_column_letter

from ...core.limits import CELL_TEXT_MAX, escape_text

_EPOCH = datetime(1899, 12, 30)
# One translation both escapes XML's special characters and drops characters XML 1.0 cannot hold at all.
_TRANSLATION = {ord("&"): "&amp;", ord("<"): "&lt;", ord(">"): "&gt;", ord('"'): "&quot;"}
_TRANSLATION.update({code: None for code in (*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF)})
_TRANSLATION.update({code: None for code in range(0xD800, 0xE000)})


class CellTooLongError(ValueError):
    """A text longer than an Excel cell holds reached the writer; the caller names the sheet and the file."""

    def __init__(self, ref: str, length: int) -> None:
        super().__init__(f"cell {ref} would hold {length:,} characters, more than an Excel cell holds "
                         f"({CELL_TEXT_MAX:,})")
        self.ref, self.length = ref, length


@dataclass(frozen=True)
class ColumnStyle:
    """The style ids a column's cells use: plain text, text that looks like a formula, a date, a date-time."""

    text: int
    quoted: int
    date: int
    datetime: int


def escape(text: str) -> str:
    return text.translate(_TRANSLATION)


def serial(value: date) -> float:
    if isinstance(value, datetime):
        delta = value.replace(tzinfo=None) - _EPOCH
        return delta.days + delta.seconds / 86400 + delta.microseconds / 86_400_000_000
    return float((value - _EPOCH.date()).days)


def cell_xml(ref: str, value: object, style: ColumnStyle, style_override: int | None = None,
             number: Callable[[float], str] = repr) -> str:
    """One cell's XML (``""`` for a blank); ``number`` writes a number's digits (every digit, by default)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        quoted = value[:1] in "=+-@"
        s = style_override if style_override is not None else (style.quoted if quoted else style.text)
        if len(value) > CELL_TEXT_MAX:
            raise CellTooLongError(ref, len(value))
        text = escape(escape_text(value))
        space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() or "\n" in text else ""
        return f'<c r="{ref}" s="{s}" t="inlineStr"><is><t{space}>{text}</t></is></c>'
    if isinstance(value, bool):
        return f'<c r="{ref}" s="{style.text}" t="b"><v>{int(value)}</v></c>'
    if isinstance(value, datetime):
        s = style.datetime if value.time() != datetime.min.time() else style.date
        return f'<c r="{ref}" s="{s}"><v>{serial(value)!r}</v></c>'
    if isinstance(value, date):
        return f'<c r="{ref}" s="{style.date}"><v>{serial(value):.0f}</v></c>'
    if isinstance(value, (int, float)):
        return f'<c r="{ref}" s="{style.text}"><v>{number(value)}</v></c>'
    return cell_xml(ref, str(value), style, style_override, number)


def sheet_data(
    header: Sequence[tuple[object, int]],
    header_height: float | None,
    rows: Sequence[Sequence[object]],
    styles: Sequence[ColumnStyle],
    heights: Callable[[Sequence[object]], float | None] | None = None,
    overrides: Callable[[int, object], int | None] | None = None,
) -> tuple[bytes, int]:
    """The ``<sheetData>`` element for a header row and data rows; returns it and the number of data rows."""
    return b"".join(sheet_data_chunks(header, header_height, rows, styles, heights, overrides)), len(rows)


def sheet_data_chunks(
    header: Sequence[tuple[object, int]],
    header_height: float | None,
    rows: Iterable[Sequence[object]],
    styles: Sequence[ColumnStyle],
    heights: Callable[[Sequence[object]], float | None] | None = None,
    overrides: Callable[[int, object], int | None] | None = None,
) -> Iterator[bytes]:
    """The ``<sheetData>`` element for a header row and data rows, in pieces of a few thousand rows (a sheet of
    20,000 actions is tens of megabytes of XML: written piece by piece, it is never whole in memory).

    ``overrides(column_index, value)`` may give a cell its own style (a rating's colour); ``heights(row)`` a
    row height in points.
    """
    letters = _letters(max(len(styles), len(header)))
    height = f' ht="{header_height}" customHeight="1"' if header_height else ""
    first = [f'<sheetData><row r="1"{height}>']
    for position, (value, style_id) in enumerate(header):
        first.append(cell_xml(f"{letters[position]}1", value, ColumnStyle(style_id, style_id, style_id, style_id)))
    first.append("</row>")
    yield "".join(first).encode("utf-8")
    yield from row_chunks(rows, styles, 2, heights, overrides)
    yield b"</sheetData>"


def row_chunks(
    rows: Iterable[Sequence[object]],
    styles: Sequence[ColumnStyle],
    first_number: int,
    heights: Callable[[Sequence[object]], float | None] | None = None,
    overrides: Callable[[int, object], int | None] | None = None,
    per_chunk: int = 2000,
) -> Iterator[bytes]:
    """The ``<row>`` elements of ``rows``, numbered from ``first_number``, as UTF-8 pieces of ``per_chunk`` rows."""
    letters = _letters(len(styles))
    out: list[str] = []
    append = out.append
    for number_, values in enumerate(rows, start=first_number):
        if len(values) > len(letters):
            letters = _letters(len(values))
        number = str(number_)
        row_height = heights(values) if heights else None
        append(f'<row r="{number}" ht="{row_height}" customHeight="1">' if row_height else f'<row r="{number}">')
        for position, value in enumerate(values):
            if value is None or value == "":
                continue
            override = overrides(position, value) if overrides else None
            if type(value) is str and override is None:
                # The common case, written inline: a call per cell costs more than the rest of the work.
                style = styles[position]
                if len(value) > CELL_TEXT_MAX:
                    raise CellTooLongError(letters[position] + number, len(value))
                text = (escape_text(value) if "_x" in value else value).translate(_TRANSLATION)
                quoted = value[0] in "=+-@"
                space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() or "\n" in text else ""
                append(f'<c r="{letters[position]}{number}" s="{style.quoted if quoted else style.text}" '
                       f't="inlineStr"><is><t{space}>{text}</t></is></c>')
            else:
                append(cell_xml(letters[position] + number, value, styles[position], override))
        append("</row>")
        if (number_ - first_number + 1) % per_chunk == 0:
            yield "".join(out).encode("utf-8")
            out.clear()
    if out:
        yield "".join(out).encode("utf-8")


def _letters(count: int) -> list[str]:
    return [get_column_letter(i) for i in range(1, count + 1)]
