"""The rows of the master's list sheets as typed values: findings, audit entries, returns.

The Exceptions, Audit Log and Returns sheets are read into these records and written from them, by both
adapters, through one mapping (``io.sheets.records``); nothing else knows a list sheet's column headers.
Statuses and severities are ``StrEnum`` members, so they equal the words on the sheet and JSON output keeps
printing those words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


class ReturnStatus(StrEnum):
    PENDING = "Pending"
    RECEIVED = "Received"
    PARTLY_ACCEPTED = "Partly accepted"
    REJECTED = "Rejected"

    @classmethod
    def parse(cls, text: object) -> ReturnStatus | str:
        """The status a Returns row holds; a word ragbook does not know is kept as typed, never replaced."""
        words = "" if text is None else str(text).strip()
        for status in cls:
            if status.value.casefold() == words.casefold():
                return status
        return words


# Statuses of a return that came back (the older word "Accepted" is still read as received).
RETURNED = {ReturnStatus.RECEIVED.casefold(), "accepted", ReturnStatus.PARTLY_ACCEPTED.casefold(),
            ReturnStatus.REJECTED.casefold()}


@dataclass(frozen=True)
class Finding:
    """One line of the Exceptions sheet: a problem validation found in one field of one action."""

    severity: str
    rule: str
    review: str
    ref: str
    field: str  # the Register column's header, as the user sees it
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == Severity.ERROR


@dataclass(frozen=True)
class AuditEntry:
    """One line of the append-only Audit Log: one field of one action changed, by whom and from what."""

    when: datetime | date | str | None
    source: str
    agency: str
    review: str
    ref: str
    field: str  # the Register column's header
    old: object
    new: object


@dataclass(frozen=True)
class ReturnRecord:
    """One line of the Returns sheet: a return issued to an agency, and what became of it."""

    return_id: str
    agency: str
    issued: date | str | None
    due: date | str | None
    received: date | str | None
    status: ReturnStatus | str  # a word typed by hand that is no status stays as it was
    file: str = ""
    notes: str = ""

    @property
    def is_pending(self) -> bool:
        return self.status == ReturnStatus.PENDING

    @property
    def came_back(self) -> bool:
        return str(self.status).casefold() in RETURNED
