"""Reading dates as partnerships write them: 31/03/2026, 2026-03-31, 21st October 2020, March 2021.

British order (day first) throughout: these plans are written in England and Wales. A month and year alone
(``March 2021``) is read as the last day of that month, and said so, because that is what a target of
"March 2021" means to a board.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime

_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS.update({name.lower(): number for number, name in enumerate(calendar.month_abbr) if name})
_MONTHS["sept"] = 9

_NUMERIC = re.compile(r"^(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2}|\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_WORDY = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+([A-Za-z]+)\.?,?\s+(\d{4})$")
_MONTH_YEAR = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")


def parse_date(value: object) -> tuple[date | None, str | None]:
    """(the date, a note when it was read loosely); (None, None) for text that is not a date."""
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    text = " ".join(str(value or "").split())
    if not text:
        return None, None
    try:
        if match := _ISO.match(text):
            return date(int(match[1]), int(match[2]), int(match[3])), None
        if match := _NUMERIC.match(text):
            year = int(match[3])
            year += 2000 if year < 100 else 0
            return date(year, int(match[2]), int(match[1])), None
        if (match := _WORDY.match(text)) and match[2].lower() in _MONTHS:
            return date(int(match[3]), _MONTHS[match[2].lower()], int(match[1])), None
        if (match := _MONTH_YEAR.match(text)) and match[1].lower() in _MONTHS:
            year, month = int(match[2]), _MONTHS[match[1].lower()]
            end = date(year, month, calendar.monthrange(year, month)[1])
            return end, f"{text!r} read as the end of that month, {end:%d/%m/%Y}"
    except ValueError:  # 31/02/2026 and the like: not a real date
        return None, None
    return None, None


def as_date(value: object) -> date | None:
    """A cell's value as a date: a date (or the day of a datetime), text read as ``parse_date`` reads it, else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        return parse_date(value)[0]
    return None
