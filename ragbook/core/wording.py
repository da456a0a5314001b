"""Words for figures a board member reads: how long ago, how old, a long text cut short.

Shared by the Summary sheet and the board report, so that both say "2 years 4 months overdue" the same way.
"""

from __future__ import annotations

from datetime import date
from typing import Iterable

ELLIPSIS = "\u2026"


def plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def listing(items: Iterable[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    names = list(items)
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def elapsed(days: int) -> str:
    """A span of days as a person says it: "12 days", "5 months", "2 years 4 months"."""
    if days < 0:
        return "not yet"
    if days < 62:
        return plural(days, "day")
    months = round(days / 30.44)
    if months < 24:
        return plural(months, "month")
    years, months = divmod(months, 12)
    return plural(years, "year") + (f" {plural(months, 'month')}" if months else "")


def shorten(text: str, limit: int) -> str:
    """``text`` on one line, cut at a word boundary to at most ``limit`` characters (an ellipsis added)."""
    flat = " ".join((text or "").split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-") + ELLIPSIS


def long_date(day: date) -> str:
    return f"{day.day} {day:%B %Y}"


def dates_age(today: date, dates: Iterable[date | None]) -> str:
    """A warning when the plan's dates are years behind ``today`` (a plan carried on from an old review), else ""."""
    known = [d for d in dates if d is not None]
    if not known:
        return ""
    latest = max(known)
    years = (today - latest).days // 365
    if years < 1:
        return ""
    earliest = min(known)
    span = f"{earliest.year}" if earliest.year == latest.year else f"{earliest.year} to {latest.year}"
    return (f"The plan's target and revised dates run from {span}: even the latest is {elapsed((today - latest).days)} "
            f"before {long_date(today)}. Ask the lead agencies to confirm or revise them.")
