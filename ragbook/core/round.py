"""The next round of returns, as the business team sets it on the master's ``Round`` sheet.

One setting a row (Setting, Value, What it is for), as on the Settings sheet, so that a person who never
opens a terminal can choose what the command line's options choose: the due date, how the covering emails
go out, how early agencies are chased and the date validation counts from. Which agencies take part is the
Agencies sheet's In This Round column. A blank value takes the default below; a value that cannot be read
is refused with the row it is on, never guessed at. Passwords are never kept here (nor anywhere in the
workbook): the Issue returns button asks for the file that holds one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Iterable

from .dates import parse_date
from .errors import InputError
from .sheets import ROUND


class SendAs(StrEnum):
    """How the covering emails of a round go out."""

    OUTLOOK = "Outlook drafts"  # straight into Outlook's Drafts folder (Windows, with Outlook); else files
    EML = "Email files"  # one .eml draft beside each return, to open in any mail program
    NONE = "No emails"

    @classmethod
    def parse(cls, text: str) -> SendAs | None:
        words = " ".join(text.split()).casefold()
        if not words:
            return None
        for choice in cls:
            if words == choice.casefold() or words in _SEND_WORDS.get(choice, ()):
                return choice
        return None


_SEND_WORDS = {SendAs.OUTLOOK: ("outlook",), SendAs.EML: (".eml", "eml", "eml files", "files"),
               SendAs.NONE: ("none", "no", "no email")}


@dataclass(frozen=True)
class RoundSetting:
    label: str
    attribute: str
    purpose: str


ROUND_SETTINGS = (
    RoundSetting("Due date", "due", "When this round's returns are due back; blank: the end of the current "
                 "quarter."),
    RoundSetting("Send returns as", "send_as", f"{SendAs.OUTLOOK} (into Outlook's Drafts on Windows; email "
                 f"files where Outlook is not there), {SendAs.EML} (.eml drafts beside the returns) or "
                 f"{SendAs.NONE}; blank: {SendAs.OUTLOOK}."),
    RoundSetting("Chase days before due", "chase_days", "Chase sends reminders to agencies still pending this "
                 "many days before the due date; blank or 0: only once the due date has passed."),
    RoundSetting("Validate as at", "validate_as_at", "The date Validate counts overdue actions from; blank: "
                 "today."),
)


@dataclass(frozen=True)
class RoundSettings:
    due: date | None = None
    send_as: SendAs = SendAs.OUTLOOK
    chase_days: int = 0
    validate_as_at: date | None = None

    @classmethod
    def from_rows(cls, rows: Iterable[tuple[int, str, object]], where: str) -> RoundSettings:
        """From (row number, setting, value) rows; a setting is matched by its label, whatever the case."""
        by_label = {" ".join(s.label.split()).casefold(): s for s in ROUND_SETTINGS}
        values: dict[str, object] = {}
        for number, label, value in rows:
            setting = by_label.get(" ".join(str(label or "").split()).casefold())
            if setting is None or setting.attribute in values or value in (None, ""):
                continue
            values[setting.attribute] = _parsed(setting, value, f"{where}: sheet '{ROUND}' row {number}")
        return cls(**values)

    def pairs(self) -> list[tuple[str, object, str]]:
        """(setting, value, what it is for), one per setting, in the sheet's order (blank where default)."""
        shown = {"due": self.due, "send_as": str(self.send_as) if self.send_as != SendAs.OUTLOOK else None,
                 "chase_days": self.chase_days or None, "validate_as_at": self.validate_as_at}
        return [(s.label, shown[s.attribute], s.purpose) for s in ROUND_SETTINGS]

    def due_date(self, today: date) -> date:
        return self.due or quarter_end(today)


def _parsed(setting: RoundSetting, value: object, where: str) -> object:
    text = str(value).strip()
    if setting.attribute in ("due", "validate_as_at"):
        parsed, _ = parse_date(value)
        if parsed is None:
            raise InputError(f"{where}: {setting.label} '{text}' is not a date; type it as dd/mm/yyyy.")
        return parsed
    if setting.attribute == "send_as":
        choice = SendAs.parse(text)
        if choice is None:
            raise InputError(f"{where}: Send returns as '{text}' is not one of "
                             f"{', '.join(str(c) for c in SendAs)}.")
        return choice
    try:
        days = float(text)
    except ValueError:
        days = -1.0
    if days < 0 or not days.is_integer():
        raise InputError(f"{where}: Chase days before due '{text}' is not a whole number of days.")
    return int(days)


def quarter_end(day: date) -> date:
    """The last day of the calendar quarter ``day`` is in (31 March, 30 June, 30 September, 31 December)."""
    last_month = (day.month - 1) // 3 * 3 + 3
    first_after = date(day.year + 1, 1, 1) if last_month == 12 else date(day.year, last_month + 1, 1)
    return first_after - timedelta(days=1)


DEFAULT_ROUND = RoundSettings()
