"""Repairing what extraction from Word or PDF broke, and saying so.

Importers turn a source into ``SourceRow``s (an action plus where it came from). ``repair_rows`` then mends
what can be mended without guessing — a ref missing or ``-`` between two known refs, recommendation text that
is blank or cut short where another action of the same recommendation holds it whole, look-alike rating
letters — and returns one ``Repair`` per change. What cannot be mended (a blank rating, a blank or garbled
action) is left as it is, for validation to report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .errors import InputError
from .limits import CELL_TEXT_MAX, CONTINUED, split_for_cell
from .model import FIELD_LABELS, Action, recommendation_number
from .ratings import Rating, RatingIndex

REF_PATTERN = re.compile(r"^\d+(\.\d+)*[a-z]?$")
_PLACEHOLDER_REFS = {"", "-", "–", "—", "?", "n/a", "tbc"}
_TITLE_NOISE = re.compile(r"[*_#]+")
_TITLE_SUFFIX = re.compile(r"\s*[-–:]?\s*(multi[- ]agency\s+)?action\s+plan\b.*$", re.IGNORECASE)


@dataclass(frozen=True)
class SourceRow:
    location: str  # "line 14", "row 5", "table 1 row 3": where a person finds it in the source
    action: Action


@dataclass(frozen=True)
class CellNote:
    """Text kept in a note on an action's cell: what did not fit in the cell itself."""

    review: str
    ref: str
    attribute: str
    text: str


@dataclass(frozen=True)
class Repair:
    location: str
    ref: str
    message: str

    def __str__(self) -> str:
        where = f"{self.location} (ref {self.ref})" if self.ref else self.location
        return f"{where}: {self.message}"


def review_name_from_title(title: str) -> str:
    """``**SCR Sam and Kyle Action Plan**`` -> ``SCR Sam and Kyle``."""
    text = _TITLE_NOISE.sub("", title).strip()
    name = _TITLE_SUFFIX.sub("", text).strip(" -–:")
    return name or text


def squash(text: str) -> str:
    return " ".join(text.split())


def repair_rows(rows: list[SourceRow], index: RatingIndex) -> tuple[list[SourceRow], list[Repair]]:
    repairs: list[Repair] = []
    rows = [replace(r, action=_tidy(r.action)) for r in rows]
    rows = _infer_refs(rows, repairs)
    rows = _recover_recommendations(rows, repairs)
    rows = _normalise_ratings(rows, index, repairs)
    return rows, repairs


def _tidy(action: Action) -> Action:
    """Collapse the line breaks and runs of spaces that extraction leaves in short fields."""
    return replace(action, ref=squash(action.ref), lead_agency=squash(action.lead_agency), rag=action.rag)


def _is_placeholder(ref: str) -> bool:
    return ref.strip().lower() in _PLACEHOLDER_REFS


def _split_ref(ref: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d+)\.(\d+)", ref.strip())
    return (int(match.group(1)), int(match.group(2))) if match else None


def _canonical_texts(rows: list[SourceRow]) -> dict[tuple[str, str], str]:
    """For each (review, recommendation number), the longest recommendation text any of its actions holds."""
    best: dict[tuple[str, str], str] = {}
    for row in rows:
        a = row.action
        if _is_placeholder(a.ref):
            continue
        key = (a.review, recommendation_number(a.ref))
        text = squash(a.recommendation)
        if len(text) > len(best.get(key, "")):
            best[key] = text
    return best


def _number_for_text(review: str, text: str, canonical: dict[tuple[str, str], str]) -> str | None:
    """The recommendation whose full text contains this (possibly cut) text, when exactly one does."""
    fragment = squash(text)
    if not fragment:
        return None
    matches = [num for (rev, num), full in canonical.items() if rev == review and fragment in full]
    return matches[0] if len(set(matches)) == 1 else None


def _infer_refs(rows: list[SourceRow], repairs: list[Repair]) -> list[SourceRow]:
    canonical = _canonical_texts(rows)
    taken = {(r.action.review, r.action.ref.strip()) for r in rows if not _is_placeholder(r.action.ref)}
    result: list[SourceRow] = []
    for i, row in enumerate(rows):
        a = row.action
        if not _is_placeholder(a.ref):
            result.append(row)
            continue
        previous = _split_ref(result[-1].action.ref) if result and result[-1].action.review == a.review else None
        following = next(
            (_split_ref(r.action.ref) for r in rows[i + 1:] if r.action.review == a.review and not _is_placeholder(r.action.ref)),
            None,
        )
        number = _number_for_text(a.review, a.recommendation, canonical)
        guess = None
        if previous and (number is None or str(previous[0]) == number):
            guess = f"{previous[0]}.{previous[1] + 1}"
        elif following and (number is None or str(following[0]) == number) and following[1] > 1:
            guess = f"{following[0]}.{following[1] - 1}"
        elif number is not None:
            guess = f"{number}.1"
        if guess is None or (a.review, guess) in taken:
            result.append(row)
            continue
        taken.add((a.review, guess))
        shown = repr(a.ref.strip()) if a.ref.strip() else "blank"
        if previous and guess == f"{previous[0]}.{previous[1] + 1}":
            why = f"follows {previous[0]}.{previous[1]}"
        elif following and guess == f"{following[0]}.{following[1] - 1}":
            why = f"comes before {following[0]}.{following[1]}"
        else:
            why = "its recommendation text matches recommendation " + guess.split(".")[0]
        repairs.append(Repair(row.location, guess, f"ref was {shown}; inferred {guess} ({why})"))
        result.append(replace(row, action=replace(a, ref=guess)))
    return result


def _recover_recommendations(rows: list[SourceRow], repairs: list[Repair]) -> list[SourceRow]:
    canonical = _canonical_texts(rows)
    donor_ref: dict[tuple[str, str], str] = {}
    for row in rows:
        a = row.action
        key = (a.review, recommendation_number(a.ref))
        if squash(a.recommendation) == canonical.get(key) and key not in donor_ref:
            donor_ref[key] = a.ref
    result = []
    for row in rows:
        a = row.action
        key = (a.review, recommendation_number(a.ref))
        full = canonical.get(key, "")
        text = squash(a.recommendation)
        if full and text != full and (not text or text in full):
            state = "blank" if not text else f"cut short ({text[:40]!r}{'...' if len(text) > 40 else ''})"
            # Text cut from one cell usually ran on into the next: the action beside it may be cut as well.
            warning = "; the action beside it may be cut short too, check it" if text else ""
            repairs.append(
                Repair(row.location, a.ref, f"recommendation text was {state}; recovered from {donor_ref[key]}{warning}")
            )
            row = replace(row, action=replace(a, recommendation=full))
        elif text != a.recommendation:
            row = replace(row, action=replace(a, recommendation=text))
        result.append(row)
    return result


def _normalise_ratings(rows: list[SourceRow], index: RatingIndex, repairs: list[Repair]) -> list[SourceRow]:
    result = []
    for row in rows:
        outcome = index.normalise(row.action.rag)
        if outcome.code is not None:
            if outcome.changed:
                repairs.append(Repair(row.location, row.action.ref, f"rating {outcome.note}"))
            row = replace(row, action=replace(row.action, rag=outcome.code))
        else:
            row = replace(row, action=replace(row.action, rag=row.action.rag.strip()))
        result.append(row)
    return result


@dataclass(frozen=True)
class LegendEntry:
    location: str
    label: str
    meaning: str


def index_from_legend(
    entries: list[LegendEntry], base: RatingIndex
) -> tuple[RatingIndex | None, list[Repair]]:
    """The source's own rating index, read from its legend and coloured like ``base``.

    A legend row that lost its label in extraction gets the one rating of ``base`` that no other row names.
    """
    if not entries:
        return None, []
    repairs: list[Repair] = []
    known = {r.label.upper(): r for r in base.ratings}
    named = {index_key(e.label, known) for e in entries if e.label.strip()}
    ratings: list[Rating] = []
    for entry in entries:
        label = entry.label.strip()
        if not label:
            missing = [r for r in base.ratings if r.label.upper() not in named]
            if len(missing) != 1:
                continue
            label = missing[0].label
            named.add(label.upper())
            repairs.append(
                Repair(entry.location, "", f"rating index row {entry.meaning[:50]!r}... had lost its label; "
                       f"read as {label} (the only rating the legend did not name)")
            )
        model = known.get(index_key(label, known))
        if model is not None:
            ratings.append(Rating(model.code, model.label, squash(entry.meaning), model.fill, model.font))
        else:
            ratings.append(Rating(label[:1].upper(), label, squash(entry.meaning), "D9D9D9", "000000"))
    try:
        return RatingIndex(tuple(ratings)), repairs
    except ValueError:
        return None, repairs


def index_key(label: str, known: dict[str, Rating]) -> str:
    """Match a legend label such as ``B - Blue`` or ``BLUE`` to a known label."""
    upper = squash(label).upper()
    for key in known:
        if key == upper or re.search(rf"\b{re.escape(key)}\b", upper):
            return key
    return upper


@dataclass
class ImportedPlan:
    """What an importer read from a source plan: its rows (not yet repaired), legend and notes."""

    review: str
    rows: list[SourceRow]
    legend: list[LegendEntry] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # things the reader should know that are not repairs
    cell_notes: list[CellNote] = field(default_factory=list)  # texts that did not fit their cells


TEXT_ATTRIBUTES = ("review", "ref", "recommendation", "action", "lead_agency", "progress", "evidence", "rag",
                   "updated_by")


def fit_cells(rows: list[SourceRow], where: str) -> tuple[list[SourceRow], list[Repair], list[CellNote]]:
    """Texts longer than an Excel cell holds are split: the cell keeps what fits, its note the rest.

    Excel would cut such a text (or refuse the file), and a return could never carry the same text as the
    master. A text too long even for a cell and its note is refused: nothing is imported.
    """
    fitted, repairs, notes = [], [], []
    for row in rows:
        changes = {}
        for attribute in TEXT_ATTRIBUTES:
            text = getattr(row.action, attribute)
            if not isinstance(text, str) or len(text) <= CELL_TEXT_MAX:
                continue
            label = FIELD_LABELS.get(attribute, attribute)
            head, rest = split_for_cell(text)
            if len(rest) > CELL_TEXT_MAX or attribute in ("review", "ref", "rag"):
                raise InputError(f"{where}: {row.location}: its {label} is {len(text):,} characters, more than an Excel cell "
                                 f"and its note can hold ({CELL_TEXT_MAX:,} each); shorten it in the source and "
                                 f"import again (nothing was imported).")
            changes[attribute] = head
            notes.append(CellNote(row.action.review, row.action.ref, attribute, rest))
            repairs.append(Repair(row.location, row.action.ref,
                                  f"{label} was {len(text):,} characters, more than an Excel cell holds "
                                  f"({CELL_TEXT_MAX:,}): the cell holds the first {len(head) - len(CONTINUED):,} "
                                  f"and its note the other {len(rest):,}"))
        fitted.append(replace(row, action=replace(row.action, **changes)) if changes else row)
    return fitted, repairs, notes
