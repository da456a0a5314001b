"""What a cell's stored text means, and where the cell is: Excel's number formats that make a number a date, its
date serials, ISO dates (``t="d"``), its ``_xHHHH_`` escapes in text, and cell addresses (``XFD1048576``).

The values come out as python-calamine gave them, so every reader of them sees the same types: a number is a
float; one formatted as a date is a ``date`` when it is a whole day, a ``time`` when it is under one day, a
``datetime`` otherwise (to the millisecond); one in an elapsed-time format (``[h]:mm``) is a ``timedelta``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta
from functools import cache, lru_cache
from pathlib import Path

from ...core.errors import InputError
from ...core.returns import column_letter

DATE, DURATION = "date", "duration"
EXCEL_ROWS, EXCEL_COLUMNS = 1_048_576, 16_384

# Built-in number formats that show a date or time (ECMA-376 part 1, 18.8.30, and the East Asian ones).
_BUILTIN_DATES = frozenset([*range(14, 23), *range(27, 37), 45, 47, *range(50, 59)])
_BUILTIN_DURATIONS = frozenset([46])
_DATE_TOKENS = frozenset("dmhysDMHYS")
_ELAPSED = frozenset("hmsHMS")


def format_kind(code: str) -> str | None:
    """DATE, DURATION or None for a custom format code, read as calamine reads it: only its first section
    counts; characters inside quotes, after a backslash, ``_`` or ``*``, and inside brackets (colours,
    conditions, locales) are literals; ``[h]``, ``[mm]``, ``[ss]`` make it an elapsed time; ``A/P`` and
    ``AM/PM`` a time of day."""
    escaped = quoted = in_bracket = after_a = False
    bracket = ""
    for character in code:
        if escaped:
            escaped = False
        elif quoted:
            quoted = character != '"'
        elif in_bracket:
            if character == "]":
                in_bracket = False
                if bracket and set(bracket) <= _ELAPSED and len(set(bracket.lower())) == 1:
                    return DURATION
            else:
                bracket += character
        elif character in "\\_*":
            escaped = True
        elif character == '"':
            quoted = True
        elif character == "[":
            in_bracket, bracket = True, ""
        elif character == ";":
            return None
        elif character in _DATE_TOKENS or (after_a and character in "pP/"):
            return DATE
        elif character in "aA":
            after_a = True
    return None


def builtin_kind(format_id: int) -> str | None:
    if format_id in _BUILTIN_DATES:
        return DATE
    return DURATION if format_id in _BUILTIN_DURATIONS else None


_MS_PER_DAY = 86_400_000
_EPOCH_1900 = datetime(1899, 12, 30)
_EPOCH_1904 = datetime(1904, 1, 1)
_LATEST = (datetime(9999, 12, 31, 23, 59, 59) - _EPOCH_1900).days + 1


def from_serial(serial: float, kind: str, date1904: bool) -> object:
    """A date serial as Python's date, time, datetime or timedelta; the number itself beyond year 9999."""
    if kind == DURATION:
        try:
            return timedelta(milliseconds=round(serial * _MS_PER_DAY))
        except OverflowError:
            return serial
    if serial < 1.0:
        # As calamine: under a day is a time of day (and a negative serial, which no date can be, midnight).
        ms = round(max(serial, 0.0) * _MS_PER_DAY) % _MS_PER_DAY
        return (datetime.min + timedelta(milliseconds=ms)).time()
    if date1904:
        epoch, days = _EPOCH_1904, serial
    else:
        # Excel's 1900 system counts a 29 February 1900 that never was: serials before it are a day off.
        epoch, days = _EPOCH_1900, serial + 1 if serial < 60 else serial
    if days >= _LATEST:
        return serial
    try:
        moment = epoch + timedelta(milliseconds=round(days * _MS_PER_DAY))
    except OverflowError:  # rounds past 31 December 9999
        return serial
    return moment.date() if serial == int(serial) else moment


_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_ISO_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")
_ISO_TIME = re.compile(r"T?\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?")


def from_iso(text: str) -> object:
    """A ``t="d"`` cell: a date, datetime or time for ISO 8601 text; the text itself for anything else."""
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
        if _ISO_DATETIME.fullmatch(text):
            return datetime.fromisoformat(text)
        if _ISO_TIME.fullmatch(text):
            return time.fromisoformat(text.lstrip("T"))
    except ValueError:
        pass
    return text


_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


def _character(match: re.Match) -> str:
    code = int(match.group(1), 16)
    return match.group(0) if 0xD800 <= code <= 0xDFFF else chr(code)  # a lone surrogate stays as written


def unescape(text: str) -> str:
    """Excel's escapes of characters XML cannot hold: ``_x000D_`` is a carriage return, ``_x005F_`` an
    underscore (so ``_x005F_x000D_`` is the text ``_x000D_``)."""
    return _ESCAPE.sub(_character, text) if "_x" in text else text


# ---------------------------------------------------------------------------- addresses and refusals
def damaged(path: Path, sheet: str, where: str, what: str) -> InputError:
    """The refusal of something in a sheet that no Excel file holds."""
    return InputError(f"{path}: sheet '{sheet}' {where} {what}, which Excel never writes; the file is damaged or "
                      f"was not saved by Excel; ask for it to be saved again.")


def boolean(path: Path, sheet: str, row: int, column: int, text: str | None) -> bool | None:
    """A ``t="b"`` cell's value."""
    if text is None:
        return None
    if text.strip() in ("1", "true"):
        return True
    if text.strip() in ("0", "false"):
        return False
    raise damaged(path, sheet, f"cell {letters(column + 1)}{row}", f"holds {text[:40]!r} as TRUE or FALSE")


def row_number(path: Path, sheet: str, ref: str, digits: str) -> int:
    """The row a ``row`` element's or a cell address's digits name."""
    if not (digits.isascii() and digits.isdigit()) or len(digits) > 9 or int(digits) == 0:
        raise damaged(path, sheet, "has", f"the address {ref[:40]!r}")
    return int(digits)


def column_number(path: Path, sheet: str, ref: str, written: str) -> int:
    """The column of letters beyond the cached ones (a far cell, refused with its address), or a bad address."""
    if not written or len(written) > 7 or not (written.isascii() and written.isalpha() and written.isupper()):
        raise damaged(path, sheet, "has", f"the address {ref[:40]!r}")
    number = 0
    for letter in written:
        number = number * 26 + ord(letter) - 64
    return number


@cache
def columns() -> dict[str, int]:
    """Letters -> column number for every column Excel has (A..XFD)."""
    return {letters(number): number for number in range(1, EXCEL_COLUMNS + 1)}


@cache
def column_letters() -> tuple[str, ...]:
    """Column number -> letters ("" for 0), for every column Excel has."""
    return ("", *(letters(number) for number in range(1, EXCEL_COLUMNS + 1)))


@lru_cache(maxsize=4096)
def letters(number: int) -> str:
    """Column number -> Excel's letters (1 -> A, 16384 -> XFD); "" for 0."""
    return column_letter(number - 1)
