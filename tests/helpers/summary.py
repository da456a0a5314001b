"""The summary tests' oracle and generated registers, shared by the core tests and the Summary sheet's."""

from __future__ import annotations

from datetime import date

from hypothesis import strategies as st

from ragbook.core.model import Action, Agency, Register
from ragbook.core.ratings import DEFAULT_INDEX, Rating, RatingIndex
from ragbook.core.summary import UNRATED

REVIEWS = ("SCR Sam and Kyle", "CSPR Child D", "SAR Mr E")
AGENCIES = ("Police", "Health", "Children's Social Care", "Education")
OTHER_INDEX = RatingIndex((
    Rating("C", "Complete", "Completed and evidenced.", "0070C0", "FFFFFF"),
    Rating("OT", "On track", "On track.", "00B050", "000000"),
    Rating("M", "Monitor", "Needs monitoring.", "FFC000", "000000"),
))


def label_of(index: RatingIndex, rag: str) -> str:
    """The oracle: an action's bucket, worked out independently of the summary code."""
    text = rag.strip().upper().replace("\u0412", "B").replace("\u0410", "A")  # Cyrillic VE and A
    for rating in index.ratings:
        if text in {rating.code.upper(), rating.label.upper()}:
            return rating.label
    return UNRATED


@st.composite
def registers(draw):
    index = draw(st.sampled_from([DEFAULT_INDEX, OTHER_INDEX]))
    rags = st.sampled_from(list(index.codes) + [r.label.lower() for r in index.ratings] + ["", " ", "X", "\u0412"])
    leads = st.lists(st.sampled_from(AGENCIES + ("All agencies", "Probation")), max_size=3).map("; ".join)
    dates = st.one_of(st.none(), st.dates(date(2019, 1, 1), date(2023, 12, 31)))
    keys = draw(st.lists(st.tuples(st.sampled_from(REVIEWS), st.integers(1, 6), st.integers(1, 5)), unique=True,
                         max_size=40))
    actions = [
        Action(review, f"{rec}.{number}", f"Recommendation {rec}", f"Action {number}", draw(leads), draw(dates),
               draw(dates), "", "", draw(rags))
        for review, rec, number in keys
    ]
    return Register(index, actions, [Agency(a) for a in AGENCIES])
