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
    chased: date | str | None = None  # when the agency was last reminded (``ragbook chase``)
    chases: int = 0  # how many reminders it has been sent for this return

    @property
    def is_pending(self) -> bool:
        return self.status == ReturnStatus.PENDING

    @property
    def came_back(self) -> bool:
        return str(self.status).casefold() in RETURNED


@dataclass(frozen=True)
class UpdateRecord:
    """One line of the append-only Updates sheet: an agency's update of one action, as it was accepted.

    Consolidation adds one for every row of a return it applies (a rating restated unchanged included, so a
    round's ratings are all on record), and Apply decisions one for every held update accepted. Nothing ever
    rewrites or removes a line: the Register shows the current position, this sheet how it got there.
    """

    when: datetime | date | str | None  # when it was accepted into the master
    round: int
    return_id: str
    agency: str
    review: str
    ref: str
    rating: str
    progress: str
    evidence: str
    revised_date: date | str | None
    updated_by: str
    accepted: str  # "consolidation", or who accepted it on the Held Updates sheet


class Decision(StrEnum):
    """What a person writes in the Held Updates sheet's Decision column."""

    ACCEPT = "Accept"
    REJECT = "Reject"

    @classmethod
    def parse(cls, text: object) -> Decision | None:
        words = "" if text is None else " ".join(str(text).split()).casefold()
        for decision in cls:
            if words in (decision.casefold(), decision.casefold() + "ed"):
                return decision
        return None


@dataclass(frozen=True)
class HeldRecord:
    """One line of the Held Updates sheet: an update held back, why, and what a person decided about it.

    The first columns come from the ledger and are rewritten at every consolidation; Decision, Decision Note
    and Decided By are the person's, kept for as long as the update is held.
    """

    return_id: str
    round: int
    agency: str
    review: str
    ref: str
    rating: str
    progress: str
    evidence: str
    revised_date: date | str | None
    updated_by: str
    received: datetime | date | str | None
    reason: str
    decision: str = ""  # as typed; ``Decision.parse`` reads it
    decision_note: str = ""
    decided_by: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.return_id, self.review, self.ref)
