"""The personal-data scan's shortcuts find exactly what trying every pattern on every text finds.

The scan tries a pattern only on a text holding what that pattern cannot match without, and scans a repeated
text once; here it is compared with the plain way (every pattern, every text) on texts built to sit at the
edges of those shortcuts: digits apart by spaces and hyphens, apostrophes, titles, family words, postcodes.
"""

from __future__ import annotations

import re
from typing import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from ragbook.core import privacy
from ragbook.core.model import Action


def plain_find(text: str) -> Iterator[tuple[str, str]]:
    """find_in_text as it was before its shortcuts: every pattern on the whole text, in the same order."""
    taken: list[tuple[int, int]] = []

    def fresh(match: re.Match) -> bool:
        span = match.span()
        if any(span[0] < end and start < span[1] for start, end in taken):
            return False
        taken.append(span)
        return True

    for match in privacy.EMAIL.finditer(text):
        if fresh(match):
            yield "email", match.group(0)
    for match in privacy.DOB.finditer(text):
        if fresh(match):
            yield "dob", match.group(0)
    for match in privacy.NHS.finditer(text):
        if privacy.nhs_number_valid("".join(match.groups())) and fresh(match):
            yield "nhs", match.group(0)
    for match in privacy.PHONE.finditer(text):
        if 10 <= sum(ch.isdigit() for ch in match.group(0).replace("+44", "0")) <= 11 and fresh(match):
            yield "phone", match.group(0).strip()
    for match in privacy.POSTCODE.finditer(text):
        if fresh(match):
            yield "postcode", match.group(0)
    for pattern in (privacy.TITLED, privacy.POSSESSIVE, privacy.APPOSITION, privacy.NAMED_AS):
        for match in pattern.finditer(text):
            if match.group(1).casefold() not in privacy._NOT_NAMES and fresh(match):
                yield "name", match.group(0)


PIECES = st.sampled_from([
    " ", "  ", "-", ".", ",", "(", ")", "'", "’", "@", ":", "/", "+44", "0", "07", "943", "476", "5919", "1", "12",
    "2", "3", "4 5", "6-7", "8", "9", "0AA", "GIR", "SW1A", "1AA", "M1", "N", "Mr", "Mrs", "Ms", "Miss", "Mx",
    "Jane", "Kyle", "Sam", "O'Neil", "mother", "child", "children", "partner", "partners", "son", "the", "her",
    "called", "named", "DOB", "d.o.b.", "date of birth", "born on", "Born", "12th", "March", "2019", "03/04/19",
    "jo.smith", "example.org", "team", "Police", "audit", "Q4", "update",
    # whole pieces of personal data, for the texts to hold some, beside and inside the rest
    "943 476 5919", "9434765919", "07700 900123", "020 7946 0018", "+44 (0)161 496 0000", "SW1A 1AA", "M1 1AE",
    "Kyle's mother", "mother, Jane", "Jane (the mother)", "Mrs Smith", "jo.smith@example.org", "DOB: 03/04/2019",
    "born on 12th March 2019",
])
TEXTS = st.lists(PIECES, max_size=24).map("".join)


@settings(max_examples=3000, deadline=None)
@given(TEXTS)
def test_the_shortcuts_find_what_every_pattern_finds(text):
    assert list(privacy.find_in_text(text)) == list(plain_find(text))


@given(st.lists(st.tuples(TEXTS, TEXTS), min_size=1, max_size=6))
def test_a_repeated_text_is_reported_for_every_action_that_holds_it(pairs):
    actions = [Action("R", f"{n}.1", recommendation=shared, progress=own)
               for n, (shared, own) in enumerate(pairs * 2, start=1)]
    expected = [(a.review, a.ref, privacy.FIELD_LABELS[attribute], kind, found)
                for a in actions for attribute in privacy.SCANNED
                for kind, found in plain_find(str(getattr(a, attribute) or ""))]
    assert [(p.review, p.ref, p.field, p.kind, p.text) for p in privacy.scan(actions)] == expected
