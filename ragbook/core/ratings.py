"""Ratings and the rating index.

A partnership's index is data (the workbook's ``Rating Index`` sheet), not code: every colour rule reads
it from there. ``DEFAULT_INDEX`` is only what a new master starts with: the sample plan's four ratings.

Ratings typed by people are messy. ``RatingIndex.normalise`` turns what is unambiguous into the index code
(``b``, `` Blue ``, ``BLUE``, a Cyrillic ``В`` that looks exactly like a Latin ``B``) and says what it did,
so that the import report and the consolidation log can show every change.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from .limits import CODE_FORBIDDEN

# Letters from other alphabets that render identically to Latin capitals. Text pulled out of Word or PDF
# often carries them (the sample plan's Blue cells hold CYRILLIC CAPITAL LETTER VE).
_LOOKALIKES = str.maketrans(
    {
        "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
        "Т": "T", "Х": "X", "У": "Y", "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y",
        "х": "x", "к": "k", "м": "m", "т": "t", "н": "h", "в": "b", "г": "r", "і": "i", "І": "I",
        "Α": "A", "Β": "B", "Ε": "E", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
        "Ρ": "P", "Τ": "T", "Χ": "X", "Υ": "Y", "Ζ": "Z", "ο": "o", "ν": "v", "ρ": "p",
    }
)

_HEX_COLOUR = re.compile(r"^#?([0-9A-Fa-f]{6})$")


def normalise_hex(colour: str) -> str:
    """``#0070c0`` or ``0070C0`` -> ``0070C0``; raises ValueError for anything else."""
    match = _HEX_COLOUR.match(colour.strip())
    if not match:
        raise ValueError(f"{colour!r} is not a six-digit hex colour such as 0070C0")
    return match.group(1).upper()


def fold_lookalikes(text: str) -> str:
    """Replace letters from other alphabets that look like Latin letters, after NFKC normalisation."""
    return unicodedata.normalize("NFKC", text).translate(_LOOKALIKES)


@dataclass(frozen=True)
class Rating:
    code: str
    label: str
    meaning: str
    fill: str
    font: str

    def __post_init__(self) -> None:
        if not self.code.strip():
            raise ValueError("a rating needs a code")
        if any(mark in self.code for mark in CODE_FORBIDDEN):
            raise ValueError(f"the rating code {self.code!r} holds a comma or a double quote, which a dropdown list "
                             f"cannot offer; choose a code without them")
        object.__setattr__(self, "fill", normalise_hex(self.fill))
        object.__setattr__(self, "font", normalise_hex(self.font))


@dataclass(frozen=True)
class Normalised:
    """The outcome of reading one rating typed by a person."""

    raw: str
    code: str | None
    note: str | None = None  # set when the text was changed to reach the code

    @property
    def is_blank(self) -> bool:
        return not self.raw.strip()

    @property
    def changed(self) -> bool:
        return self.note is not None


@dataclass(frozen=True)
class RatingIndex:
    ratings: tuple[Rating, ...]

    def __post_init__(self) -> None:
        if not self.ratings:
            raise ValueError("the rating index is empty")
        seen: set[str] = set()
        for rating in self.ratings:
            for key in {rating.code.upper(), rating.label.upper()}:
                if key in seen:
                    raise ValueError(f"the rating index uses {key!r} twice")
                seen.add(key)

    @cached_property
    def ranks(self) -> dict[str, int]:
        """Each code's ``rank``, worked out once per index (a summary of 20,000 actions asks many times; looking
        the index up in a cache would hash all of it on every call)."""
        roles = [role_code(self, role) for role in (COMPLETE, ON_TRACK, DELAYED, FAILING)]
        return {code: roles.index(code) if code in roles else 4 + self.order(code) for code in self.codes}

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(r.code for r in self.ratings)

    def get(self, code: str | None) -> Rating | None:
        for rating in self.ratings:
            if rating.code == code:
                return rating
        return None

    def __getitem__(self, code: str) -> Rating:
        rating = self.get(code)
        if rating is None:
            raise KeyError(code)
        return rating

    def order(self, code: str | None) -> int:
        """Position in the index; anything not in it sorts last."""
        for position, rating in enumerate(self.ratings):
            if rating.code == code:
                return position
        return len(self.ratings)

    def normalise(self, raw: object) -> Normalised:
        text = "" if raw is None else str(raw)
        stripped = text.strip()
        if not stripped:
            return Normalised(text, None)
        if stripped in self.codes and stripped == text:
            return Normalised(text, stripped)
        folded = fold_lookalikes(stripped)
        for rating in self.ratings:
            if folded.upper() in {rating.code.upper(), rating.label.upper()}:
                return Normalised(text, rating.code, self._describe(text, folded, rating))
        return Normalised(text, None)

    def _describe(self, raw: str, folded: str, rating: Rating) -> str:
        stripped = raw.strip()
        if folded != stripped:
            letters = ", ".join(
                f"{ch} ({unicodedata.name(ch, 'U+%04X' % ord(ch)).title()})"
                for ch in stripped
                if ch.translate(_LOOKALIKES) != ch or unicodedata.normalize("NFKC", ch) != ch
            )
            return f"{raw!r} holds look-alike letters {letters}; read as {rating.code} ({rating.label})"
        return f"{raw!r} read as {rating.code} ({rating.label})"

    def nearest(self, raw: str) -> Rating | None:
        """The rating a mistyped entry most likely meant, for a suggestion in a message."""
        folded = fold_lookalikes(raw.strip()).upper()
        if not folded:
            return None
        by_key = {}
        for rating in self.ratings:
            by_key[rating.label.upper()] = rating
            by_key[rating.code.upper()] = rating
        close = difflib.get_close_matches(folded, list(by_key), n=1, cutoff=0.5)
        if close:
            return by_key[close[0]]
        for rating in self.ratings:
            if folded[:1] in {rating.code.upper()[:1], rating.label.upper()[:1]}:
                return rating
        return None

    def differences(self, other: RatingIndex) -> list[str]:
        """Human-readable differences of wording between two indexes (colours are the master's own)."""
        found = []
        mine = {r.label.upper(): r for r in self.ratings}
        theirs = {r.label.upper(): r for r in other.ratings}
        for label in mine.keys() - theirs.keys():
            found.append(f"{mine[label].label} is missing from the source's index")
        for label in theirs.keys() - mine.keys():
            found.append(f"the source's index has {theirs[label].label}, which the master's has not")
        for label in mine.keys() & theirs.keys():
            a, b = mine[label], theirs[label]
            if a.code.upper() != b.code.upper():
                found.append(f"{a.label} is coded {a.code} in the master but {b.code} in the source")
            if _words(a.meaning) != _words(b.meaning) and b.meaning.strip():
                found.append(f"{a.label} means {a.meaning!r} in the master but {b.meaning!r} in the source")
        return sorted(found)

    def with_meanings(self, other: RatingIndex) -> RatingIndex:
        """This index's colours with ``other``'s wording, for a new master built from a source's legend."""
        theirs = {r.label.upper(): r for r in other.ratings}
        ratings = []
        for rating in self.ratings:
            source = theirs.get(rating.label.upper())
            ratings.append(
                Rating(rating.code, rating.label, source.meaning if source and source.meaning else rating.meaning,
                       rating.fill, rating.font)
            )
        return RatingIndex(tuple(ratings))


def _words(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", text.lower()))


DEFAULT_INDEX = RatingIndex(
    (
        Rating("B", "Blue", "Action complete and embedded where required.", "0070C0", "FFFFFF"),
        Rating("G", "Green", "Action on track and progressing to plan.", "00B050", "000000"),
        Rating("A", "Amber", "Action commenced, some delay will recover to completion.", "FFC000", "000000"),
        Rating(
            "R",
            "Red",
            "Action experiencing threatening problems and issues, behind schedule and not expected to recover.",
            "C00000",
            "FFFFFF",
        ),
    )
)

# Meanings of the ratings the business means whatever a partnership calls them. Rules that depend on what a
# rating *means* (complete, on track, delayed, failing) look ratings up by these roles, matched on label.
COMPLETE, ON_TRACK, DELAYED, FAILING = "Blue", "Green", "Amber", "Red"


def role_code(index: RatingIndex, role: str) -> str | None:
    for rating in index.ratings:
        if rating.label.strip().lower() == role.lower():
            return rating.code
    return None


def rank(index: RatingIndex, code: str | None) -> int:
    """How good a rating is, best first: complete, on track, delayed, failing (by role, so an index listed Red
    first still reads Red as the worst), then other ratings in the index's order, then blank or unknown.

    The one rule for "better" and "worse": the direction of travel, and the worst of several agencies' ratings
    of a shared action, both use it."""
    return index.ranks.get(code or "", 4 + len(index.ratings))


def worst(index: RatingIndex, codes: Iterable[str]) -> str:
    """The worst of several ratings (the rating of an action that several agencies rated in one round)."""
    return max(codes, key=lambda code: rank(index, code))
