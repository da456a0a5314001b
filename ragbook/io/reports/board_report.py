"""The board report: a committee paper in Word, in the order a partnership board reads one.

A cover block (the board, the title, the date, the protective marking, the author), its purpose and what the
board is asked to do; the figures; the exceptions (Red, Amber, past their date, Blue held for evidence), each
with its action, lead, dates and latest update; the movement since the last round of returns and a native
chart; the returns; the gaps in the plan that make it print wrongly; then the full plan (Ref,
Recommendation, Action, Lead, Target / Revised, Progress, Evidence, Rating), optionally the annual report's
implementation table, and the rating key. Landscape A4, the marking and "Page N of M" on every page.

Accessible as published papers must be: heading styles, a title and language, alternative text on the
chart, every table's header row marked (and repeated on each page), every rating a word as well as a colour,
and with ``plain_tables`` a plan table without merged cells. The content is decided by ``core.paper``.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document

from ...core.annual import annual
from ...core.history import History, what_is_listed
from ...core.model import Register
from ...core.paper import BoardPaper, asks, exceptions, plan_warnings, purpose, round_note
from ...core.summary import Summary, headline
from ...core.wording import dates_age, long_date, plural, shorten
from . import paper_tables as t
from .docx_body import save
from .docx_chart import add_chart, stacked_chart_xml
from .docx_page import (TEXT_WIDTH_CM, add_heading, add_paragraph, marking_and_page_numbers, page_break_before, set_up,
                        text_paragraph)
from .docx_table import add_table
from ..sheets.summary_layout import ROUNDS_SHOWN, UNRATED_FILL


TITLED_REVIEWS = 3  # a paper on more reviews than this is titled by how many


class _Numbers:
    """Section numbers, given out in order as sections are written (a section with nothing to say is left out)."""

    def __init__(self) -> None:
        self.number = 0

    def heading(self, document, text: str, *, new_page: bool = False):
        self.number += 1
        paragraph = add_heading(document, f"{self.number}. {text}", 2)
        if new_page:
            page_break_before(paragraph)
        return paragraph


def write_report(out: Path, paper: BoardPaper) -> None:
    document = Document()
    settings = paper.settings
    names = paper.reviews
    reviews = " and ".join(names) if len(names) <= TITLED_REVIEWS else f"{len(names)} reviews"
    title = f"{settings.title}: {reviews}"
    # Word keeps a document property to 255 characters.
    set_up(document, title=shorten(title, 250), subject=shorten(f"Action plan progress for {settings.board_name}", 250),
           author=shorten(settings.unit, 250), keywords=shorten(f"{reviews}; action plan; {settings.protective_marking}", 250))
    marking_and_page_numbers(document, settings.protective_marking, title)
    items = {part.review: exceptions(part, paper) for part in paper.parts}
    warnings = plan_warnings(paper.findings)
    _cover(document, paper, title)
    numbers = _Numbers()
    numbers.heading(document, "Purpose")
    add_paragraph(document, purpose(paper))
    numbers.heading(document, "The board is asked to")
    for ask in asks(paper, [i for part in items.values() for i in part], warnings):
        add_paragraph(document, ask, style="List Number")
    _figures(document, numbers, paper)
    _exceptions(document, numbers, paper, items)
    _movement(document, numbers, paper)
    _rounds(document, numbers, paper)
    if paper.returns:
        numbers.heading(document, "Returns from agencies this round")
        add_table(document, [7.0, 2.4, 2.4, 2.4, 3.4, 2.4, 3.0], t.header(
            ["Agency", "Issued", "Came back", "Accepted", "Partly accepted or rejected", "Pending", "Pending past due"]),
            t.returns_rows(paper.returns), caption="Returns from agencies")
        _escalate(document, paper)
    if warnings:
        numbers.heading(document, "Gaps in the plan")
        add_paragraph(
            document,
            f"The plan holds {plural(len(warnings), 'problem')} that this report cannot show correctly: actions "
            f"that are blank or look cut or garbled by extraction from the source plan, missing ratings and the "
            f"like. They are marked in the plan below; the business unit should correct them in the master "
            f"(its Exceptions sheet lists them too) before the next round.")
        add_table(document, [3.6, 1.5, 2.6, 2.0, 17.0], t.header(["Review", "Ref", "Field", "Severity", "Problem"]),
                  t.gap_rows(warnings), caption="Gaps in the plan")
    _full_plan(document, numbers, paper, warnings)
    if paper.annual:
        _annual(document, numbers, paper)
    numbers.heading(document, "Rating key")
    add_table(document, [3.0, 20.0], t.header(["Rating", "Meaning"]), t.key_rows(paper.register.index),
              caption="Rating key")
    save(document, out)


# ---------------------------------------------------------------------------- the first page
def _cover(document, paper: BoardPaper, title: str) -> None:
    settings = paper.settings
    board = add_paragraph(document)
    board.add_run(settings.board_name).bold = True
    add_heading(document, title, 1)
    text_paragraph(document, long_date(paper.today), bold_lead="Report date:")
    text_paragraph(document, settings.protective_marking, bold_lead="Protective marking:")
    text_paragraph(document, settings.author, bold_lead="Author:")
    plans = "; ".join(f"{part.review} ({plural(part.summary.actions, 'action')}, "
                      f"{plural(len(part.summary.by_recommendation), 'recommendation')})" for part in paper.parts)
    text_paragraph(document, plans, bold_lead="Plan:")
    if paper.note:
        text_paragraph(document, paper.note, italic=True)


def _figures(document, numbers: _Numbers, paper: BoardPaper) -> None:
    numbers.heading(document, "Progress at a glance")
    for part in paper.parts:
        if len(paper.parts) > 1:
            add_heading(document, part.review, 3)
        add_paragraph(document, headline(part.summary))
        age = dates_age(paper.today, [o.due for o in part.summary.overdue])
        if age:
            text_paragraph(document, age, bold_lead="Note:")
        if part.summary.actions:
            head, rows = t.ratings_rows(part.summary)
            width = min(TEXT_WIDTH_CM, 3.0 + 2.4 * (len(head) - 1))
            add_table(document, [3.0] + [(width - 3.0) / (len(head) - 1)] * (len(head) - 1), head, rows,
                      caption=f"Ratings of the {part.summary.actions} actions of {part.review}")


def _exceptions(document, numbers: _Numbers, paper: BoardPaper, items: dict) -> None:
    numbers.heading(document, "Exceptions: Red, Amber, overdue and held for evidence")
    intro = add_paragraph(document, "Each action the board should look at, worst first: Red, then Amber, then those "
                                    "past their date (the oldest first), then updates held back for want of "
                                    "evidence. The rating is given in words; the colour repeats it.")
    intro.paragraph_format.keep_with_next = True  # the heading and this stay with the table's first rows
    index = paper.register.index
    for part in paper.parts:
        if len(paper.parts) > 1:
            add_heading(document, part.review, 3)
        listed = items[part.review]
        if not listed:
            add_paragraph(document, "No action is rated Red or Amber, past its date or held for evidence.")
            continue
        add_table(document, [w for _, w in t.EXCEPTION_COLUMNS], t.header([h for h, _ in t.EXCEPTION_COLUMNS]),
                  t.exception_rows(index, listed), caption=f"Exceptions in {part.review}")


def _movement(document, numbers: _Numbers, paper: BoardPaper) -> None:
    since = f" ({paper.since:%d/%m/%Y})" if paper.since else ""
    numbers.heading(document, f"Movement since the last round of returns{since}")
    for part in paper.parts:
        if len(paper.parts) > 1:
            add_heading(document, part.review, 3)
        if part.summary.movement:
            add_table(document, [3.0, 3.0, 2.0, 15.0], t.header(["From", "To", "Actions", "Refs"]),
                      t.movement_rows(part.summary), caption=f"Movement of ratings in {part.review}")
        else:
            add_paragraph(document,
                          "No rating has moved" + (f" since {paper.since:%d/%m/%Y}." if paper.since else "."))
        if part.summary.actions:
            _recommendation_chart(document, part.summary)


def _recommendation_chart(document, summary: Summary) -> None:
    """A native stacked column chart of the ratings of each recommendation (series only for ratings in use)."""
    colours = [r.fill for r in summary.index.ratings] + [UNRATED_FILL]
    tallies = summary.by_recommendation
    series = [(label, colour, [tl.counts[i] for tl in tallies])
              for i, (label, colour) in enumerate(zip(summary.buckets, colours)) if any(tl.counts[i] for tl in tallies)]
    categories = [tl.group.replace("Recommendation ", "Rec. ") for tl in tallies]
    xml = stacked_chart_xml("Ratings per recommendation", categories, series)
    width = min(24.0, 8 + 2.2 * len(categories))
    words = "; ".join(f"{c}: " + ", ".join(f"{n} {label}" for label, _, values in series if (n := values[i]))
                      for i, c in enumerate(categories))
    add_chart(document, add_paragraph(document), xml, width, 7.0, f"Chart of the ratings per recommendation. {words}.")
    # The same in words under the chart: a PDF made by LibreOffice does not carry a chart's alternative text.
    add_paragraph(document, f"Ratings per recommendation: {words}.", style="Caption")


def _rounds(document, numbers: _Numbers, paper: BoardPaper) -> None:
    """The chart of ratings by round, then per review the actions that moved or stand Red or Amber, worst first,
    with their rating in each round (left out before any update is on record)."""
    if not paper.history.rounds:
        return
    index = paper.register.index
    numbers.heading(document, "Ratings by round")
    intro = add_paragraph(
        document,
        "Each action's rating in each round of returns, and its direction of travel between the latest two rounds "
        "in which it was rated: improved, same or worse (new when rated in one round only). On an action several "
        "agencies share, a round's rating is the worst they gave. The chart counts where the actions with updates "
        f"stood at the end of each round; the tables list the actions that {what_is_listed(index)}, worst first.")
    intro.paragraph_format.keep_with_next = True
    _round_chart(document, paper.history)
    for part in paper.parts:
        if len(paper.parts) > 1:
            add_heading(document, part.review, 3)
        history = part.summary.history
        if not history.actions:
            add_paragraph(document, "No update of this review is on record yet.")
            continue
        shown = history.rounds[-ROUNDS_SHOWN:]
        if history.listed:
            add_table(document, [1.3, 5.0, 2.4] + [2.1] * len(shown),
                      t.header(["Ref", "Lead", "Direction", *(f"R{number}" for number in shown)]),
                      t.round_rows(index, history.listed, len(shown)), caption=f"Ratings by round in {part.review}")
        if note := round_note(history):
            add_paragraph(document, note)


def _round_chart(document, history: History) -> None:
    """A native stacked column chart: a column per round, a series per rating in use, in the index's colours."""
    ratings = history.index.ratings
    series = [(r.label, r.fill, [c.counts[i] for c in history.by_round]) for i, r in enumerate(ratings)
              if any(c.counts[i] for c in history.by_round)]
    categories = [f"R{c.round}" for c in history.by_round]
    xml = stacked_chart_xml("Ratings by round", categories, series)
    words = "; ".join(f"{c}: " + (", ".join(f"{n} {label}" for label, _, values in series if (n := values[i]))
                                   or "none rated") for i, c in enumerate(categories))
    add_chart(document, add_paragraph(document), xml, min(20.0, 8 + 2.0 * len(categories)), 7.0,
              f"Chart of the ratings by round: where the actions with updates stood at the end of each round. {words}.")
    # The same in words under the chart: a PDF made by LibreOffice does not carry a chart's alternative text.
    add_paragraph(document, f"Ratings by round: {words}.", style="Caption")


def _escalate(document, paper: BoardPaper) -> None:
    """The returns still pending after two reminders or more: the agencies the board may need to escalate with."""
    if not paper.history.escalate:
        return
    add_heading(document, "Agencies chased twice or more (escalate)", 3)
    add_table(document, [7.0, 5.0, 2.6, 2.0, 2.8, 3.6],
              t.header(["Agency", "Return", "Due", "Chases", "Last chased", "Past due by"]),
              t.escalation_rows(paper.history.escalate, paper.today), caption="Agencies chased twice or more")


# ---------------------------------------------------------------------------- the plan
def _full_plan(document, numbers: _Numbers, paper: BoardPaper, warnings) -> None:
    numbers.heading(document, "The full plan", new_page=True)
    add_paragraph(document, "Every action, in the plan's order. " + (
        "Each row is complete in itself (no merged cells)." if paper.plain_tables else
        "A recommendation's text is given once, beside its first action, and spans the actions under it."))
    index = paper.register.index
    warned_in: dict[str, dict[str, str]] = {}
    for f in warnings:
        if f.field == "Action":
            warned_in.setdefault(f.review, {})[f.ref] = "garbled" if f.rule == "action-garbled" else "error"
    for part in paper.parts:
        if len(paper.parts) > 1:
            add_heading(document, part.review, 3)
        warned = warned_in.get(part.review, {})
        add_table(document, [w for _, w in t.PLAN_COLUMNS], t.header([h for h, _ in t.PLAN_COLUMNS]),
                  t.plan_rows(index, part.actions, warned, plain=paper.plain_tables), caption=f"The plan: {part.review}")


def _annual(document, numbers: _Numbers, paper: BoardPaper) -> None:
    numbers.heading(document, "Implementation of the recommendations (for the annual report)", new_page=True)
    add_paragraph(document, "How many recommendations and actions of each review are implemented, in progress or "
                            "not started, and why any will not be implemented.")
    for part in paper.parts:
        add_heading(document, part.review, 3)
        # Of the part's own actions: the whole register, gone through for every review, grows with their product.
        review = annual(Register(paper.register.index, list(part.actions), paper.register.agencies), part.review)
        add_table(document, [5.0, 4.0, 3.0], t.header(["Status", "Recommendations", "Actions"]),
                  t.annual_summary_rows(review), caption=f"Implementation in {part.review}")
        add_paragraph(document)
        add_table(document, [1.6, 12.0, 2.0, 2.4, 3.2, 5.5], t.header(
            ["Rec.", "Recommendation", "Actions", "Complete", "Status", "Why not implemented"]),
            t.annual_rows(review), caption=f"Recommendations of {part.review}")

