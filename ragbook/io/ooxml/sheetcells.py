"""One sheet's cells as read, and what a cell's stored text means: shared by the readers of sheets (the
streaming reader, ``sheetstream``, and the fast reader of the sheets ragbook and Excel write, ``sheetfast``),
so that both give the same values and refuse the same cells in the same words.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ...core.errors import InputError, UnsafeFileError
from . import cellvalues as cv

EXCEL_TEXT = 32_767  # the most characters Excel holds in one cell


class Reading(Protocol):
    """What a cell's typing needs of the reader of its workbook (``sheetstream.SheetReader``)."""

    path: Path
    text: int
    blank_text: bool

    def too_much_text(self) -> UnsafeFileError: ...


@dataclass
class Cells:
    """One sheet's cells: values by row number (1-based) and column (0-based), only cells holding one."""

    rows: dict[int, dict[int, object]] = field(default_factory=dict)
    formulas: dict[int, set[int]] = field(default_factory=dict)  # row -> columns whose cell holds a formula
    errors: dict[int, dict[int, str]] = field(default_factory=dict)  # row -> column -> "#N/A"...
    unaddressed: int = 0  # cells without an ``r`` address (placed where Excel would place them)

    @property
    def width(self) -> int:
        """Columns up to the last holding a value or an error (an error cell is part of the sheet's extent)."""
        return max((max(row) + 1 for part in (self.rows, self.errors) for row in part.values() if row), default=0)

    def grid(self) -> list[list[object]]:
        """Rows 1.. of values, "" for a blank (and an error), every row as wide as the widest: the dense grid
        python-calamine gave."""
        height, width = max(max(self.rows, default=0), max(self.errors, default=0)), self.width
        grid = [[""] * width for _ in range(height)]
        for number, row in self.rows.items():
            line = grid[number - 1]
            for column, value in row.items():
                line[column] = value
        return grid


class Typing:
    """What a cell's stored text means, with the checks of its text: one rule for every reader of sheets.
    ``text`` counts the characters read so far (the reading's cap)."""

    def __init__(self, reader: Reading, sheet: str, strings: list[str], too_long: frozenset[int],
                 styles: dict[str, str], date1904: bool, max_text: int) -> None:
        self.reader, self.sheet, self.strings, self.too_long, self.styles = reader, sheet, strings, too_long, styles
        self.path, self.date1904, self.text = reader.path, date1904, reader.text
        self.max_text, self.blank_text = max_text, reader.blank_text

    def value(self, row: int, column: int, kind: str | None, style: str | None, value_text: str | None,
              inline_text: str | None) -> object:
        """The value of the cell at ``row`` and (0-based) ``column``; None for a blank or an error cell."""
        path, sheet = self.path, self.sheet
        if kind == "s":
            strings = self.strings
            try:
                index = int(value_text)
                value = strings[index] if index >= 0 else None
            except (TypeError, ValueError, IndexError):
                value = None
            if value is None:
                raise cv.damaged(path, sheet, f"cell {cv.letters(column + 1)}{row}", f"refers to shared string "
                                 f"{(value_text or '')[:40]!r}, but the workbook holds {len(strings)}")
            if self.too_long and index in self.too_long:
                raise too_long_text(path, sheet, row, column)
            return value
        if kind == "inlineStr" or kind == "str":  # text: the whole of a master's list sheets
            value = inline_text if kind == "inlineStr" else value_text
            if value is not None:
                if "_x" in value:
                    value = cv.unescape(value)
                if len(value) > EXCEL_TEXT:
                    raise too_long_text(path, sheet, row, column)
                self.text += len(value)
                if self.text > self.max_text:
                    raise self.reader.too_much_text()
                if self.blank_text and not value.strip():
                    value = ""
            return value
        if kind is None or kind == "n":
            if value_text is None:
                return None
            try:
                value = float(value_text)
            except ValueError:
                value = math.nan
            if value - value:  # not a finite number
                raise cv.damaged(path, sheet, f"cell {cv.letters(column + 1)}{row}", f"holds {value_text[:40]!r} "
                                 f"as a number")
            if style is not None and style in self.styles:
                return cv.from_serial(value, self.styles[style], self.date1904)
            return value
        return other_value(self.reader, sheet, row, column, kind, value_text)


def other_value(reader: Reading, sheet: str, row: int, column: int, kind: str, value_text: str | None) -> object:
    """A cell that is neither text nor a number: TRUE/FALSE, an error, an ISO date."""
    path = reader.path
    if kind == "b":
        return cv.boolean(path, sheet, row, column, value_text)
    if kind == "e":
        return None
    if kind == "d":
        return None if value_text is None else cv.from_iso(value_text.strip())
    raise InputError(f"{path}: sheet '{sheet}' cell {cv.letters(column + 1)}{row} has the unknown type {kind!r}; ask "
                     f"for the file to be saved again from Excel.")


def too_long_text(path: Path, sheet: str, row: int, column: int) -> UnsafeFileError:
    return UnsafeFileError(f"{path}: sheet '{sheet}' cell {cv.letters(column + 1)}{row} holds more than "
                           f"{EXCEL_TEXT:,} characters, longer than Excel allows in a cell; refused.")
