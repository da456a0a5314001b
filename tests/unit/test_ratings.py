"""Ratings typed by people are read the way a person would read them."""

from __future__ import annotations

import pytest

from ragbook.core.ratings import DEFAULT_INDEX, Rating, RatingIndex


@pytest.mark.parametrize("typed", ["B", "b", " Blue ", "BLUE", "blue", "В", "в", "Β"])
def test_unambiguous_spellings_of_blue_read_as_b(typed):
    assert DEFAULT_INDEX.normalise(typed).code == "B"


def test_a_clean_code_is_read_without_a_note():
    outcome = DEFAULT_INDEX.normalise("G")
    assert (outcome.code, outcome.note) == ("G", None)


def test_a_cyrillic_letter_is_named_in_the_note():
    outcome = DEFAULT_INDEX.normalise("В")
    assert outcome.note == "'В' holds look-alike letters В (Cyrillic Capital Letter Ve); read as B (Blue)"


def test_a_word_is_read_as_its_code_and_said_so():
    assert DEFAULT_INDEX.normalise("GREEN").note == "'GREEN' read as G (Green)"


@pytest.mark.parametrize("typed", ["Purple", "Bl", "complete", "1"])
def test_anything_ambiguous_is_left_unread(typed):
    assert DEFAULT_INDEX.normalise(typed).code is None


def test_a_blank_rating_is_blank():
    assert DEFAULT_INDEX.normalise("  ").is_blank


def test_the_nearest_rating_is_suggested_for_a_typo():
    assert DEFAULT_INDEX.nearest("Ambr").code == "A"
    assert DEFAULT_INDEX.nearest("Gren").code == "G"


def test_an_index_cannot_use_a_code_twice():
    with pytest.raises(ValueError, match="twice"):
        RatingIndex((Rating("B", "Blue", "", "0070C0", "FFFFFF"), Rating("B", "Black", "", "000000", "FFFFFF")))


def test_colours_must_be_hex():
    with pytest.raises(ValueError, match="six-digit hex colour"):
        Rating("B", "Blue", "", "blue", "FFFFFF")


def test_a_partnerships_own_wording_replaces_the_meanings_but_keeps_the_colours():
    theirs = RatingIndex((Rating("R", "Red", "Not on track, remedial action required.", "FF0000", "000000"),))
    merged = DEFAULT_INDEX.with_meanings(theirs)
    assert merged["R"].meaning == "Not on track, remedial action required."
    assert merged["R"].fill == "C00000"
    assert merged["B"].meaning == DEFAULT_INDEX["B"].meaning
