"""The partnership's own settings: who the plan belongs to, who runs it, and how its papers are marked.

They are kept on the master's ``Settings`` sheet, one setting a row (Setting, Value, What it is for), and
used wherever ragbook writes for people outside the business unit: the board report's cover and page
headers, the returns' Instructions sheet, the covering emails and the Summary sheet's title. A setting left
blank (or a master made before the sheet existed) takes the default below, so every paper still reads.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Iterable

DEFAULT_MARKING = "OFFICIAL"
DEFAULT_TITLE = "Action plan progress report"
DEFAULT_BUSINESS_UNIT = "Partnership Business Unit"
MARKINGS = ("OFFICIAL", "OFFICIAL-SENSITIVE")  # the markings partnerships' papers usually carry


@dataclass(frozen=True)
class Setting:
    label: str  # the Setting column's text
    attribute: str
    purpose: str  # the What it is for column's text


SETTINGS = (
    Setting("Partnership", "partnership", "The partnership's name, as its papers give it (e.g. Thurrock "
            "Safeguarding Children Partnership)."),
    Setting("Board", "board", "The board or committee the report goes to; blank: the partnership's board."),
    Setting("Business unit", "business_unit", "Who runs the plan and signs the returns' emails; blank: "
            f"{DEFAULT_BUSINESS_UNIT}."),
    Setting("Contact", "contact", "The person agencies and board members ask about the plan."),
    Setting("Email", "email", "The business unit's email address, for returns and questions."),
    Setting("Protective marking", "marking", f"Printed at the top and foot of every page; {' or '.join(MARKINGS)} "
            f"(blank: {DEFAULT_MARKING})."),
    Setting("Report title", "report_title", f"The board report's title; blank: {DEFAULT_TITLE}."),
)


@dataclass(frozen=True)
class Settings:
    """What the Settings sheet holds, as typed; the properties give each one with its default."""

    partnership: str = ""
    board: str = ""
    business_unit: str = ""
    contact: str = ""
    email: str = ""
    marking: str = ""
    report_title: str = ""

    @classmethod
    def from_pairs(cls, pairs: Iterable[tuple[str, str]]) -> Settings:
        """From (setting, value) rows; the setting is matched by its label, whatever the case or spacing."""
        by_label = {" ".join(s.label.split()).casefold(): s.attribute for s in SETTINGS}
        values: dict[str, str] = {}
        for label, value in pairs:
            attribute = by_label.get(" ".join(str(label or "").split()).casefold())
            text = " ".join(str(value or "").split())
            if attribute and text and attribute not in values:
                values[attribute] = text
        return cls(**values)

    def pairs(self) -> list[tuple[str, str, str]]:
        """(setting, value, what it is for), one per setting, in the sheet's order."""
        return [(s.label, getattr(self, s.attribute), s.purpose) for s in SETTINGS]

    # ------------------------------------------------------------------ with defaults
    @property
    def partnership_name(self) -> str:
        return self.partnership or "the partnership"

    @property
    def board_name(self) -> str:
        if self.board:
            return self.board
        return f"{self.partnership} Board" if self.partnership else "Partnership Board"

    @property
    def unit(self) -> str:
        return self.business_unit or DEFAULT_BUSINESS_UNIT

    @property
    def protective_marking(self) -> str:
        return (self.marking or DEFAULT_MARKING).upper()

    @property
    def title(self) -> str:
        return self.report_title or DEFAULT_TITLE

    @property
    def author(self) -> str:
        """The report's author line: the business unit, the contact and the email, as far as known."""
        return ", ".join(part for part in (self.unit, self.contact, self.email) if part)

    def plan_label(self, reviews: Iterable[str], fallback: str) -> str:
        """How a return or an email names the plan: the partnership and its reviews, else ``fallback`` (the
        master's file name)."""
        names = " and ".join(dict.fromkeys(reviews))
        if self.partnership:
            return f"{self.partnership}: {names}" if names else self.partnership
        return f"{names} ({fallback})" if names else fallback

    @property
    def return_contact(self) -> str:
        """Who an agency sends its return back to, as the Instructions sheet says it."""
        return ", ".join(part for part in (self.contact or self.unit, self.email) if part)

    def signature(self) -> list[str]:
        """The lines that sign an email from the business unit."""
        lines = [self.contact] if self.contact else []
        lines.append(self.unit)
        if self.partnership:
            lines.append(self.partnership)
        if self.email:
            lines.append(self.email)
        return lines


DEFAULT_SETTINGS = Settings()
FIELD_NAMES = tuple(f.name for f in fields(Settings))
