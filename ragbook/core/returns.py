"""Agency returns: the layout agencies fill in, and the checks every returned row goes through.

Pure: the reader hands over the values it found in a return (``ReturnRow``) and the identity copies it found
(``Identity``); this module decides what is a valid update, without trusting anything the file says. Merging
valid updates into the register is in ``core.consolidate``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable, Mapping, Sequence

from .dates import parse_date
from .ledger import LOCKED_FIELDS, Ledger, LedgerEntry, canonical
from .model import Action
from .ratings import RatingIndex

# The Actions sheet of a return, left to right: context the agency sees but cannot edit, then its inputs.
LOCKED_COLUMNS = (
    ("Review", "review"), ("Ref", "ref"), ("Recommendation", "recommendation"), ("Action", "action"),
    ("Lead Agency", "lead_agency"), ("Target Date", "target_date"), ("Current Rating", "rag"),
    ("Current Progress", "progress"),
)
INPUT_COLUMNS = (
    ("New Rating", "rag"), ("Progress Update", "progress"), ("Evidence", "evidence"),
    ("Revised Date", "revised_date"), ("Updated By", "updated_by"),
)
RETURN_HEADERS = tuple(h for h, _ in LOCKED_COLUMNS + INPUT_COLUMNS)
_INPUT_ATTRIBUTES = tuple(a for _, a in INPUT_COLUMNS)
assert tuple(a for _, a in LOCKED_COLUMNS) == LOCKED_FIELDS  # the hash covers exactly what the return locks

ACTIONS_SHEET, INSTRUCTIONS_SHEET, IDENTITY_SHEET = "Actions", "Instructions", "ragbook"

# Generous limits for what a person types into a cell; beyond them a paste has gone wrong.
MAX_LENGTHS = {"progress": 4000, "evidence": 2000, "updated_by": 120}
EARLIEST_DATE, LATEST_DATE = date(2000, 1, 1), date(2100, 12, 31)


def column_letter(position: int) -> str:
    """0-based column position -> Excel letters."""
    letters = ""
    position += 1
    while position:
        position, remainder = divmod(position - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


@dataclass(frozen=True)
class Identity:
    """Who a return says it is for; each return carries this in more than one hidden place."""

    return_id: str
    agency: str
    round: int
    issued: date | None


@dataclass(frozen=True)
class ReturnRow:
    number: int  # the row number on the Actions sheet
    values: tuple[object, ...]  # one per RETURN_HEADERS column
    formulas: frozenset[int] = frozenset()  # 0-based columns holding a formula
    errors: Mapping[int, str] = field(default_factory=dict, hash=False)  # 0-based column -> "#N/A", "#DIV/0!"...

    def locked(self) -> tuple[object, ...]:
        return self.values[: len(LOCKED_COLUMNS)]

    @property
    def key(self) -> tuple[str, str]:
        return canonical(self.values[0]), canonical(self.values[1])


@dataclass(frozen=True)
class Submission:
    """An agency's validated inputs for one action; blanks mean "no change"."""

    rag: str = ""
    progress: str = ""
    evidence: str = ""
    revised_date: date | None = None
    updated_by: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.rag or self.progress or self.evidence or self.revised_date or self.updated_by)


@dataclass(frozen=True)
class RowCheck:
    row: ReturnRow
    submission: Submission | None
    errors: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()


class ReturnRejected(Exception):
    """A whole return is refused: the reason is one sentence for the Returns sheet and the report."""


# ---------------------------------------------------------------------------- identity
def check_identity(copies: Sequence[tuple[str, Identity | None]], ledger: Ledger,
                   of_return: Callable[[str], list[LedgerEntry]] | None = None) -> list[LedgerEntry]:
    """The ledger entries of the return these identity copies name; raises ReturnRejected if they do not agree.

    ``of_return`` finds a return's entries as ``Ledger.of_return`` does (through an index, for a batch)."""
    found = [(place, identity) for place, identity in copies if identity is not None and identity.return_id]
    if not found:
        raise ReturnRejected("it carries no return identity (not a return issued by ragbook, or its hidden "
                             "identity was removed); issue a fresh return to the agency")
    first_place, first = found[0]
    for place, identity in found[1:]:
        if (identity.return_id, identity.agency.casefold(), identity.round) != (
                first.return_id, first.agency.casefold(), first.round):
            raise ReturnRejected(
                f"its identity copies disagree ({first_place} says {first.return_id} for {first.agency}, "
                f"{place} says {identity.return_id} for {identity.agency}); issue a fresh return to the agency")
    entries = (of_return or ledger.of_return)(first.return_id)
    if not entries:
        raise ReturnRejected(f"return {first.return_id} was never issued from this master (another plan's "
                             f"return, or a forged one)")
    issued = entries[0]
    if issued.agency.casefold() != first.agency.casefold():
        raise ReturnRejected(f"it says it is {first.agency}'s, but return {first.return_id} was issued to "
                             f"{issued.agency}")
    if first.issued is not None and first.issued != issued.issued:
        raise ReturnRejected(f"it says it was issued on {first.issued:%d/%m/%Y}, but return {first.return_id} was "
                             f"issued on {issued.issued:%d/%m/%Y}")
    if issued.round != first.round:
        raise ReturnRejected(f"it says it is from round {first.round}, but return {first.return_id} was issued "
                             f"in round {issued.round}")
    return entries


# ---------------------------------------------------------------------------- rows against what was issued
@dataclass(frozen=True)
class RowMatch:
    matched: tuple[tuple[LedgerEntry, ReturnRow], ...]
    problems: tuple[tuple[ReturnRow, str], ...]  # rows refused before their inputs are read
    missing: tuple[LedgerEntry, ...]
    reordered: bool


def match_rows(entries: Sequence[LedgerEntry], rows: Sequence[ReturnRow], ledger: Ledger,
               current: Mapping[tuple[str, str], Sequence[object]] | None = None) -> RowMatch:
    """Pair each returned row with the issued row of the same action, and check its locked content.

    ``current`` (the master's locked values by action) only serves to say which column was edited: when the
    master row still hashes as issued, it is the issued content.
    """
    by_key = {e.key: e for e in entries}
    keys = [row.key for row in rows]
    counts: dict[tuple[str, str], int] = {}
    for key in keys:
        counts[key] = counts.get(key, 0) + 1
    matched, problems = [], []
    for row, key in zip(rows, keys):
        entry = by_key.get(key)
        if entry is not None and counts[key] == 1 and ledger.row_hash(row.locked()) == entry.issued_hash:
            matched.append((entry, row))
            continue
        label = f"{key[0]} {key[1]}".strip() or "(blank)"
        if entry is None:
            problems.append((row, f"row {row.number} (action {label}) was not in this return as issued "
                                  f"(an inserted or pasted row); it was ignored"))
        elif counts[key] > 1:
            problems.append((row, f"row {row.number}: action {label} appears {counts[key]} times (a "
                                  f"duplicated row); none of its copies was applied"))
        else:
            changed = _describe_locked_edit(row, entry, ledger, (current or {}).get(key))
            problems.append((row, f"row {row.number}: the locked text of action {label} was edited{changed}; "
                                  f"its update was not applied"))
    present = set(keys)
    missing = tuple(e for e in entries if e.key not in present)
    order = [e.position for e, _ in matched]
    return RowMatch(tuple(matched), tuple(problems), missing, order != sorted(order))


def _describe_locked_edit(row: ReturnRow, entry: LedgerEntry, ledger: Ledger,
                         issued: Sequence[object] | None) -> str:
    if issued is not None and ledger.row_hash(issued) == entry.issued_hash:
        cells = [f"{header} ({column_letter(i)}{row.number})" for i, (header, _) in enumerate(LOCKED_COLUMNS)
                 if canonical(row.values[i]) != canonical(issued[i])]
        if cells:
            return f": {', '.join(cells)}"
    return f" (columns {column_letter(0)}–{column_letter(len(LOCKED_COLUMNS) - 1)} must stay as issued)"


# ---------------------------------------------------------------------------- inputs
def check_inputs(row: ReturnRow, index: RatingIndex) -> RowCheck:
    """Read an agency's inputs on one row: rating in the index, real dates, no formulas, sane lengths."""
    errors: list[str] = []
    warnings: list[str] = []
    for position in sorted(row.formulas):
        errors.append(f"cell {column_letter(position)}{row.number} holds a formula; type the value itself")
    for position, error in sorted(row.errors.items()):  # read as blanks, they would hide what was meant
        header = RETURN_HEADERS[position] if position < len(RETURN_HEADERS) else ""
        where = f"{column_letter(position)}{row.number}"
        where = f"{header} ({where})" if header else f"cell {where}"
        errors.append(f"row {row.number}: {where} holds the Excel error {error or '(unnamed)'}, not "
                      f"{_EXPECTED.get(header, 'a value')}; type the value itself")
    if errors:
        return RowCheck(row, None, tuple(errors))
    base = len(LOCKED_COLUMNS)
    values = dict(zip(_INPUT_ATTRIBUTES, row.values[base:]))

    def cell(attribute: str) -> str:  # named only in a message, so worked out only for one
        return f"{column_letter(base + _INPUT_ATTRIBUTES.index(attribute))}{row.number}"

    rag = ""
    raw_rating = values.get("rag")
    if raw_rating not in (None, ""):
        normalised = index.normalise(raw_rating if isinstance(raw_rating, str) else canonical(raw_rating))
        if normalised.code is None:
            nearest = index.nearest(canonical(raw_rating))
            hint = f"; did you mean {nearest.code} ({nearest.label})?" if nearest else ""
            errors.append(f"cell {cell('rag')}: rating {canonical(raw_rating)!r} is not in the rating index "
                          f"({', '.join(index.codes)}){hint}")
        else:
            rag = normalised.code
            if normalised.changed and normalised.note:
                warnings.append(f"cell {cell('rag')}: {normalised.note}")

    texts: dict[str, str] = {}
    for attribute in ("progress", "evidence", "updated_by"):
        text = _as_text(values.get(attribute))
        if len(text) > MAX_LENGTHS[attribute]:
            errors.append(f"cell {cell(attribute)}: {len(text)} characters, more than the "
                          f"{MAX_LENGTHS[attribute]} allowed; shorten it")
        texts[attribute] = text

    raw_date = values.get("revised_date")
    revised, note = _as_date(raw_date, "" if raw_date in (None, "") else cell("revised_date"))
    if note and revised is None:
        errors.append(note)
    elif note:
        warnings.append(note)

    if errors:
        return RowCheck(row, None, tuple(errors), tuple(warnings))
    return RowCheck(row, Submission(rag, texts["progress"], texts["evidence"], revised, texts["updated_by"]),
                    (), tuple(warnings))


_EXPECTED = {"New Rating": "a rating", "Revised Date": "a date", "Progress Update": "text", "Evidence": "text",
             "Updated By": "a name"}


def _as_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    return canonical(value)


def _as_date(value: object, cell: str) -> tuple[date | None, str | None]:
    """(date, None) | (date, warning) | (None, error) | (None, None) for a blank cell."""
    if value in (None, ""):
        return None, None
    if isinstance(value, bool) or isinstance(value, (int, float)):
        return None, (f"cell {cell}: {canonical(value)!r} is not a date; enter a date such as 31/03/2026")
    if isinstance(value, (date, datetime)):
        parsed = value.date() if isinstance(value, datetime) else value
        note = None
    else:
        text = canonical(value)
        parsed, loose = parse_date(text)
        if parsed is None:
            return None, f"cell {cell}: {text!r} is not a date; enter a date such as 31/03/2026"
        note = f"cell {cell}: the date was typed as text {text!r}; read as {parsed:%d/%m/%Y}"
        if loose:
            note = f"cell {cell}: {loose}"
    if not EARLIEST_DATE <= parsed <= LATEST_DATE:
        return None, f"cell {cell}: {parsed:%d/%m/%Y} is not a plausible revised date"
    return parsed, note


@dataclass(frozen=True)
class ReturnContent:
    """What the reader found in one return file (values only; nothing in it is trusted yet)."""

    path: str
    copies: tuple[tuple[str, Identity | None], ...]
    rows: tuple[ReturnRow, ...]
    warnings: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class ReturnSpec:
    identity: Identity
    due: date | None
    actions: tuple[Action, ...]
    index: RatingIndex
    plan_name: str
    contact: str = ""
    # (review, ref, reason) of the agency's updates from its last return that were rejected on review
    # (``core.decisions.not_accepted_for``); the Instructions sheet lists them.
    not_accepted: tuple[tuple[str, str, str], ...] = ()
