"""The returns ledger: what was issued to whom, and what came back.

The master keeps one ledger entry per action per issued return: which return, which round (the plan
version), which agency, a keyed hash of the row's locked content as issued, and, once the return is
consolidated, what the agency submitted and the hash of the row as consolidation left it. Everything the
consolidation rules need — is this a known return, was the locked text edited, has the master changed since
issue, is a newer return already applied — is answered from the ledger, so the rules stay pure.

The hash is an HMAC keyed by a secret that lives only in the master: an agency cannot make an edited row
match, and two masters never produce the same return ids.

On the workbook the ledger is the very hidden sheet ``Returns Ledger``: row 1 holds the key, row 2 the
headers, every later row one entry. ``ledger_rows`` and ``parse_ledger`` convert between that block of
values and a ``Ledger``, so any adapter (openpyxl, xlwings) only moves a 2-D block of values.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import json
import re
import secrets
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from enum import StrEnum
from typing import Iterable, Sequence

from .dates import parse_date

LEDGER_SHEET = "Returns Ledger"
KEY_LABEL = "Key"

# Control characters a workbook cannot hold (the writer drops them, so the hash must too).
_ILLEGAL = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")



class EntryState(StrEnum):
    """What became of one issued row of a return (the ledger's State column)."""

    PENDING = "pending"
    APPLIED = "applied"
    HELD = "held"
    REJECTED = "rejected"


PENDING, APPLIED, HELD, REJECTED = EntryState.PENDING, EntryState.APPLIED, EntryState.HELD, EntryState.REJECTED

LEDGER_HEADERS = (
    "Return ID", "Round", "Agency", "Issued", "Due", "Review", "Ref", "Position", "Issued Hash", "State",
    "Received", "Rating", "Progress", "Evidence", "Revised Date", "Updated By", "Applied Hash", "Note",
)

# The locked content of a row, in the order it is hashed: what the agency sees as context and must not edit,
# and what must not have changed in the master when the agency's update is applied.
LOCKED_FIELDS = ("review", "ref", "recommendation", "action", "lead_agency", "target_date", "rag", "progress")


@dataclass(frozen=True)
class LedgerEntry:
    return_id: str
    round: int
    agency: str
    issued: date
    due: date | None
    review: str
    ref: str
    position: int  # 1-based position of the row in the return as issued
    issued_hash: str
    state: EntryState | str = PENDING  # a state this version does not know is kept as read
    received: datetime | None = None
    rag: str = ""
    progress: str = ""
    evidence: str = ""
    revised_date: date | None = None
    updated_by: str = ""
    applied_hash: str = ""
    note: str = ""

    @property
    def key(self) -> tuple[str, str]:
        return (self.review, self.ref)

    def submitted(self, attribute: str) -> object:
        """What the agency submitted for ``attribute`` (None when it left the cell blank)."""
        value = getattr(self, attribute)
        return None if value in ("", None) else value


@dataclass
class Ledger:
    secret: str = ""
    entries: list[LedgerEntry] = field(default_factory=list)

    @classmethod
    def new(cls) -> Ledger:
        """An empty ledger with a fresh key (a new master gets one; a master built as a template gets none,
        and its first issue makes it)."""
        return cls(secrets.token_hex(16))

    def ensure_secret(self) -> None:
        if not self.secret:
            self.secret = secrets.token_hex(16)

    @property
    def last_round(self) -> int:
        return max((e.round for e in self.entries), default=0)

    def of_return(self, return_id: str) -> list[LedgerEntry]:
        return sorted((e for e in self.entries if e.return_id == return_id), key=lambda e: e.position)

    def replace_entries(self, updated: Iterable[LedgerEntry]) -> None:
        by_slot = {(e.return_id, e.position): e for e in updated}
        self.entries = [by_slot.get((e.return_id, e.position), e) for e in self.entries]

    def row_hash(self, values: Sequence[object]) -> str:
        return keyed_hash(self.secret, values)

    def return_id(self, round_: int, agency: str) -> str:
        """A return id that names the round and agency, with a keyed tag so ids cannot be guessed."""
        tag = hmac.new(self.secret.encode(), f"{round_}\x1f{agency}".encode(), hashlib.sha256).hexdigest()[:6].upper()
        return f"R{round_:03d}-{slug(agency)}-{tag}"


class EntryIndex:
    """Where each entry sits in a ledger's list, so that a batch of returns finds and replaces each return's
    entries without scanning every entry of the ledger for each return.

    Replacing entries through it keeps the list in place, so the index stays true; a list put in the ledger's
    place since, or grown, is indexed again.
    """

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._index()

    def _index(self) -> None:
        entries = self.ledger.entries
        self._listed, self._size = entries, len(entries)
        self._returns: dict[str, list[int]] = {}
        for i, e in enumerate(entries):
            self._returns.setdefault(e.return_id, []).append(i)

    def _entries(self) -> list[LedgerEntry]:
        if self.ledger.entries is not self._listed or len(self.ledger.entries) != self._size:
            self._index()
        return self.ledger.entries

    def of_return(self, return_id: str) -> list[LedgerEntry]:
        """As ``Ledger.of_return``."""
        entries = self._entries()
        return sorted((entries[i] for i in self._returns.get(return_id, ())), key=lambda e: e.position)

    def replace_entries(self, updated: Iterable[LedgerEntry]) -> None:
        """As ``Ledger.replace_entries``, in the ledger's own list."""
        entries = self._entries()
        by_return: dict[str, dict[int, LedgerEntry]] = {}
        for entry in updated:
            by_return.setdefault(entry.return_id, {})[entry.position] = entry
        for return_id, by_position in by_return.items():
            for i in self._returns.get(return_id, ()):
                entry = by_position.get(entries[i].position)
                if entry is not None:
                    entries[i] = entry


def slug(text: str, length: int = 12) -> str:
    letters = re.sub(r"[^A-Za-z0-9]+", "", text.title())
    return (letters or "Agency")[:length]


def canonical(value: object) -> str:
    """One spelling per value, whatever path it took: Excel may save a date as a datetime, text with CRLF."""
    if value is None:
        return ""
    if type(value) is not str:
        if isinstance(value, datetime):
            value = value.date() if value.time() == datetime.min.time() else value
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        value = str(value)
    # Every row of every return is hashed: the common case (one line, nothing to strip out) stays cheap.
    if "\r" in value:
        value = value.replace("\r\n", "\n").replace("\r", "\n")
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    if "\n" in value:
        return "\n".join(line.rstrip() for line in value.split("\n")).strip()
    return value.strip()


@functools.lru_cache(maxsize=8)
def _keyed(secret: str) -> hmac.HMAC:
    return hmac.new(secret.encode(), digestmod=hashlib.sha256)


def keyed_hash(secret: str, values: Sequence[object]) -> str:
    payload = json.dumps([canonical(v) for v in values], ensure_ascii=False, separators=(",", ":"))
    mac = _keyed(secret).copy()  # copying a keyed HMAC skips re-deriving the key for every row
    mac.update(payload.encode())
    return mac.hexdigest()[:32]


def locked_values(action: object) -> tuple[object, ...]:
    """An action's locked content, in the order it is hashed."""
    return tuple(getattr(action, name) for name in LOCKED_FIELDS)


# Types whose equal values always have one and the same canonical spelling (a datetime's depends on its zone,
# a number's on its type), so equal values of them always hash alike.
_PLAIN = (str, date, type(None))


def same_values(first: Sequence[object], second: Sequence[object]) -> bool:
    """Whether two rows of values are sure to hash alike without hashing either: equal, of the same plain types."""
    return len(first) == len(second) and all(
        type(a) is type(b) and type(a) in _PLAIN and a == b for a, b in zip(first, second))


class ActionHashes:
    """Each action's keyed row hash, worked out at most once for as long as one consolidation (or issue) keeps
    this, and not at all when the action's locked values are those of a row already hashed.

    Actions are frozen values, so an action known by identity still hashes as it did: a change makes a new
    action, which is hashed afresh. Each action is kept beside its hash, so its id cannot be reused by another
    object while the memo lives.
    """

    def __init__(self, ledger: Ledger) -> None:
        self.ledger = ledger
        self._known: dict[int, tuple[object, str]] = {}

    def of(self, action: object, hashed: tuple[Sequence[object], str] | None = None) -> str:
        """``action``'s hash; ``hashed`` is a row of values and its hash, which is the action's when the action's
        locked values are those very values."""
        known = self._known.get(id(action))
        if known is not None and known[0] is action:
            return known[1]
        values = locked_values(action)
        if hashed is not None and same_values(values, hashed[0]):
            value = hashed[1]
        else:
            value = self.ledger.row_hash(values)
        self._known[id(action)] = (action, value)
        return value


# ---------------------------------------------------------------------------- to and from a block of values
def ledger_rows(ledger: Ledger) -> list[list[object]]:
    rows: list[list[object]] = [[KEY_LABEL, ledger.secret], list(LEDGER_HEADERS)]
    for e in ledger.entries:
        rows.append([
            e.return_id, e.round, e.agency, e.issued, e.due, e.review, e.ref, e.position, e.issued_hash, e.state,
            e.received, e.rag, e.progress, e.evidence, e.revised_date, e.updated_by, e.applied_hash, e.note,
        ])
    return rows


def parse_ledger(rows: Sequence[Sequence[object]]) -> Ledger:
    """The ledger from the sheet's values; an absent or empty sheet is an empty ledger."""
    rows = [list(r) for r in rows]
    if not rows or not rows[0] or rows[0][0] != KEY_LABEL:
        return Ledger()
    secret = canonical(rows[0][1] if len(rows[0]) > 1 else "")
    entries = []
    for row in rows[2:]:
        row = list(row) + [None] * (len(LEDGER_HEADERS) - len(row))
        if not canonical(row[0]):
            continue
        entries.append(LedgerEntry(
            return_id=canonical(row[0]), round=int(float(row[1] or 0)), agency=canonical(row[2]),
            issued=_date(row[3]) or date.min, due=_date(row[4]), review=canonical(row[5]), ref=canonical(row[6]),
            position=int(float(row[7] or 0)), issued_hash=canonical(row[8]), state=_state(canonical(row[9])),
            received=_datetime(row[10]), rag=canonical(row[11]), progress=_text(row[12]), evidence=_text(row[13]),
            revised_date=_date(row[14]), updated_by=_text(row[15]), applied_hash=canonical(row[16]),
            note=_text(row[17]),
        ))
    return Ledger(secret, entries)


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _date(value: object) -> date | None:
    parsed, _ = parse_date(value)
    return parsed


def _datetime(value: object) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str) and value.strip():
        try:
            return datetime.fromisoformat(value.strip())
        except ValueError:
            return None
    return None


def with_state(entry: LedgerEntry, state: EntryState, **changes: object) -> LedgerEntry:
    return replace(entry, state=state, **changes)


def _state(text: str) -> EntryState | str:
    if not text:
        return PENDING
    return EntryState(text) if text in EntryState._value2member_map_ else text
