"""The board report's tables, as rows of ``docx_table.Cell``: the exceptions, the full plan, the ratings, the
movement, the ratings by round, the returns and the agencies to escalate, the gaps, the annual report's
implementation table and the rating key.

A rating is always its word *and* its colour (never the colour alone). The plan table keeps every row whole
on a page; a row too tall for one page is cut, at a paragraph or sentence, into rows that each repeat the
ref ("2.3" and "cont."), so no part of the plan is printed without the action it belongs to.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Sequence

from ...core.annual import NOT_IMPLEMENTED, STATUSES, AnnualReview
from ...core.history import WORSE, ActionHistory, Escalation
from ...core.model import Action
from ...core.paper import ExceptionItem, label_of
from ...core.ratings import RatingIndex
from ...core.records import Finding
from ...core.summary import UNRATED, ReturnsLine, Summary
from ...core.wording import elapsed, shorten
from ..sheets.summary_layout import UNRATED_FILL, UNRATED_FONT
from .docx_table import Cell

HEADER_FILL, HEADER_FONT = "1F3864", "FFFFFF"
PLAN_COLUMNS = (("Ref", 1.3), ("Recommendation", 4.4), ("Action", 4.6), ("Lead", 2.8), ("Target / Revised", 2.4),
                ("Progress", 6.4), ("Evidence", 2.7), ("Rating", 2.1))
EXCEPTION_COLUMNS = (("Ref", 1.3), ("Action", 5.3), ("Lead", 2.8), ("Target", 2.3), ("Revised", 2.3),
                     ("Rating", 2.1), ("Why listed", 3.3), ("Latest update", 7.3))
# How much of a plan row fits on a page: 9 pt text, about 0.4 cm a line, a page of some 15 cm under the header.
LINE_CM, ROW_LIMIT_CM, CHAR_CM = 0.4, 14.0, 0.165
NO_ACTION = "[No action recorded: see 'Gaps in the plan'.]"
GARBLED = "[This text looks cut or garbled in the source plan: see 'Gaps in the plan'.]"


def header(titles: Sequence[str]) -> list[Cell]:
    return [Cell(t, bold=True, fill=HEADER_FILL, colour=HEADER_FONT) for t in titles]


def rating_cell(index: RatingIndex, rag: str, **extra) -> Cell:
    code, label = label_of(index, rag)
    rating = index.get(code)
    if rating is None and rag.strip():
        label = f"{rag.strip()} (not in the index)"
    fill, font = (rating.fill, rating.font) if rating else (UNRATED_FILL, UNRATED_FONT)
    return Cell(label, bold=True, fill=fill, colour=font, centre=True, **extra)


def _date(value: object) -> str:
    return f"{value:%d/%m/%Y}" if isinstance(value, date) else (str(value) if value else "")


# ---------------------------------------------------------------------------- exceptions
def exception_rows(index: RatingIndex, items: Sequence[ExceptionItem]) -> list[list[Cell]]:
    rows = []
    for item in items:
        update = item.update or "No progress recorded."
        rows.append([
            Cell(item.ref, bold=True), Cell(item.action or NO_ACTION, italic=not item.action),
            Cell(item.lead or "No lead agency"), Cell(_date(item.target) or "No date"), Cell(_date(item.revised)),
            rating_cell(index, item.rating), Cell(item.why + (f"; {item.direction}" if item.direction else "")),
            Cell(update, note=f"Updated {item.updated}" if item.updated else ""),
        ])
    return rows


# ---------------------------------------------------------------------------- the full plan
def _lines(text: str, width_cm: float) -> int:
    per_line = max(1, int((width_cm - 0.4) / CHAR_CM))
    return sum(max(1, -(-len(part) // per_line)) for part in (text or "").split("\n"))


def _height_cm(action: Action) -> float:
    widths = dict(PLAN_COLUMNS)
    tallest = max(_lines(action.recommendation, widths["Recommendation"]), _lines(action.action, widths["Action"]),
                  _lines(action.progress, widths["Progress"]), _lines(action.evidence, widths["Evidence"]))
    return tallest * LINE_CM + 0.2


def _pieces(text: str, parts: int) -> list[str]:
    """``text`` cut into ``parts`` pieces of about equal length, at paragraph or sentence ends where it can."""
    if parts <= 1 or not text:
        return [text] + [""] * (parts - 1)
    sentences = [s for s in re.split(r"(?<=[.!?\n])\s+", text) if s]
    target = len(text) / parts
    pieces, current = [], ""
    for sentence in sentences:
        if current and len(current) + len(sentence) > target and len(pieces) < parts - 1:
            pieces.append(current.strip())
            current = ""
        current += sentence + " "
    pieces.append(current.strip())
    return pieces + [""] * (parts - len(pieces))


def plan_rows(index: RatingIndex, actions: Sequence[Action], warned: dict[str, str], *, plain: bool) -> list[list[Cell]]:
    """The full plan: one row per action (more for a very long one), the recommendation merged down across its
    actions, or, with ``plain``, written in full on its first action's row and named on the others."""
    rows: list[list[Cell]] = []
    first_of: dict[str, str] = {}
    for action in actions:
        number = action.recommendation_number
        first = number not in first_of
        first_of.setdefault(number, action.ref)
        parts = max(1, int(_height_cm(action) // ROW_LIMIT_CM) + 1)
        progress, evidence = _pieces(action.progress, parts), _pieces(action.evidence, parts)
        dates = _date(action.target_date) or "No date"
        if action.revised_date:
            dates += f"\nRevised {_date(action.revised_date)}"
        for piece in range(parts):
            ref = action.ref if piece == 0 else f"{action.ref}\ncont."  # the ref on every part of a long row
            if plain:
                recommendation = Cell(action.recommendation if first and piece == 0 else
                                      f"Recommendation {number}: see {first_of[number]}")
            else:
                recommendation = Cell(action.recommendation if first and piece == 0 else "",
                                      merge="restart" if first and piece == 0 else "continue")
            problem = warned.get(action.ref, "")
            text = action.action if piece == 0 else f"(continued from the row above: {shorten(action.action, 60)})"
            rows.append([
                Cell(ref, bold=True), recommendation,
                Cell(text or NO_ACTION, italic=not text, note=GARBLED if problem == "garbled" and piece == 0 else ""),
                Cell(action.lead_agency or "No lead agency"), Cell(dates if piece == 0 else ""),
                Cell(progress[piece]), Cell(evidence[piece]), rating_cell(index, action.rag),
            ])
    return rows


# ---------------------------------------------------------------------------- figures
def ratings_rows(summary: Summary) -> tuple[list[Cell], list[list[Cell]]]:
    """A header of the ratings (each in its colour) and two rows: how many actions, and what share."""
    index = summary.index
    colours = [(r.fill, r.font) for r in index.ratings] + [(UNRATED_FILL, UNRATED_FONT)]
    head = [Cell("", bold=True, fill=HEADER_FILL, colour=HEADER_FONT)] + [
        Cell(label, bold=True, fill=fill, colour=font, centre=True) for label, (fill, font) in zip(summary.buckets, colours)
    ] + [Cell("Total", bold=True, fill=HEADER_FILL, colour=HEADER_FONT, centre=True)]
    total = summary.overall.total
    counts = [Cell("Actions", bold=True)] + [Cell(str(n), centre=True) for n in summary.overall.counts] + [
        Cell(str(total), centre=True, bold=True)]
    shares = [Cell("Share", bold=True)] + [Cell(f"{share:.0%}", centre=True) for share in summary.overall.shares()] + [
        Cell("100%" if total else "", centre=True)]
    return head, [counts, shares]


def movement_rows(summary: Summary) -> list[list[Cell]]:
    return [[Cell(summary.label(m.old)), Cell(summary.label(m.new)), Cell(str(m.count), centre=True),
             Cell(", ".join(m.refs))] for m in summary.movement]


def round_rows(index: RatingIndex, actions: Sequence[ActionHistory], shown: int) -> list[list[Cell]]:
    """An action per row: its ref, lead, direction and its rating in each of the latest ``shown`` rounds, each a
    word in its colour (a blank cell where it was not rated that round)."""
    return [[Cell(a.ref, bold=True), Cell(a.lead_agency or "No lead agency"),
             Cell(a.direction, bold=a.direction == WORSE)] +
            [rating_cell(index, code) if code else Cell("") for code in a.ratings[len(a.ratings) - shown:]]
            for a in actions]


def escalation_rows(items: Sequence[Escalation], today: date) -> list[list[Cell]]:
    return [[Cell(e.agency, bold=True), Cell(e.return_id), Cell(_date(e.due) or "No date"),
             Cell(str(e.chases), centre=True), Cell(_date(e.chased)),
             Cell(elapsed((today - e.due).days) if e.due and e.due < today else "")] for e in items]


def returns_rows(lines: Sequence[ReturnsLine]) -> list[list[Cell]]:
    return [[Cell(line.agency), Cell(str(line.issued), centre=True), Cell(str(line.returned), centre=True),
             Cell(str(line.accepted), centre=True), Cell(str(line.partly + line.rejected), centre=True),
             Cell(str(line.pending), centre=True, bold=bool(line.pending)),
             Cell(str(line.overdue), centre=True, bold=bool(line.overdue))] for line in lines]


def gap_rows(findings: Sequence[Finding]) -> list[list[Cell]]:
    return [[Cell(f.review), Cell(f.ref or "(none)", bold=True), Cell(f.field), Cell(f.severity.capitalize()),
             Cell(f.message)] for f in findings]


def key_rows(index: RatingIndex) -> list[list[Cell]]:
    rows = [[rating_cell(index, r.code), Cell(r.meaning)] for r in index.ratings]
    rows.append([Cell(UNRATED, bold=True, fill=UNRATED_FILL, colour=UNRATED_FONT, centre=True),
                 Cell("No rating recorded, or one the rating index does not hold.")])
    return rows


# ---------------------------------------------------------------------------- the annual report
def annual_summary_rows(review: AnnualReview) -> list[list[Cell]]:
    rows = []
    for status in STATUSES:
        recs = review.recommendations_with(status)
        rows.append([Cell("Implemented (actions complete)" if status == STATUSES[0] else status, bold=True),
                     Cell(str(recs), centre=True),
                     Cell(str(review.actions_with(status)), centre=True)])
    rows.append([Cell("Total", bold=True), Cell(str(len(review.recommendations)), centre=True, bold=True),
                 Cell(str(review.actions), centre=True, bold=True)])
    return rows


def annual_rows(review: AnnualReview) -> list[list[Cell]]:
    rows = []
    for rec in review.recommendations:
        reasons = "\n".join(rec.reasons) if rec.status == NOT_IMPLEMENTED else ""
        rows.append([Cell(rec.number, bold=True), Cell(shorten(rec.text, 220)), Cell(str(len(rec.actions)), centre=True),
                     Cell(str(rec.count(STATUSES[0])), centre=True), Cell(rec.status, bold=True), Cell(reasons)])
    return rows
