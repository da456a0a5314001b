"""Single cell values read back the way the contract wants them, whichever adapter read them."""

from __future__ import annotations

from datetime import date, datetime

DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"


def text_of(value: object) -> str:
    """A cell value as text: ``1.1`` stays ``1.1``, ``2`` (an int typed as a float) becomes ``2``."""
    if value is None:
        return ""
    if isinstance(value, float):
        return format(value, "g")
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y}" if value.time() == datetime.min.time() else f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def date_of(value: object) -> date | str | None:
    """A date cell: a real date, or the text someone typed (kept so validation can name it)."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return text_of(value).strip() or None
