"""The board paper's content: what a partnership board reads first, decided here and drawn by ``io.reports``.

A committee paper reports by exception: the actions rated Red or Amber, past their date, or whose Blue is
held back for want of evidence come first, each with its action, lead, dates and latest update; then what
moved since the last round of returns; then the whole plan. It says what the board is asked to do, and it
warns, rather than printing silently, when the plan holds actions that are blank or garbled.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Mapping, Sequence

from .history import NO_HISTORY, History, concerning
from .ledger import HELD, LedgerEntry
from .model import Action, Register
from .ratings import COMPLETE, DELAYED, FAILING, RatingIndex, rank, role_code
from .records import Finding, Severity
from .settings import Settings
from .summary import UNRATED, ReturnsLine, ReviewPart, as_date
from .wording import elapsed, listing, plural, shorten

UPDATE_CHARACTERS = 420  # the latest update, cut at a word, in the exceptions table (the plan has it whole)
WARNED_RULES = {"action-garbled"}  # warnings that mean the printed plan is wrong, listed with the errors


@dataclass(frozen=True)
class ExceptionItem:
    """One action the board should look at, and why."""

    review: str
    ref: str
    action: str
    lead: str
    target: date | None
    revised: date | None
    rating: str  # the index code, or "" when unrated
    label: str  # the rating's label, or "Unrated"
    why: str  # "Red", "Amber; 5 months overdue", "Blue held: no evidence yet"
    update: str  # the latest progress, shortened
    updated: str  # when and by whom, as far as known
    direction: str  # "worse (was Green)", "better (was Red)", "" when not moved this round
    rank: int  # 0 Red, 1 Amber, 2 overdue, 3 held


@dataclass(frozen=True)
class HeldUpdate:
    """An agency's update consolidation held back (a Blue without evidence, a row changed since issue)."""

    review: str
    ref: str
    agency: str
    rating: str  # the code the agency gave, "" if none
    received: datetime | date | None
    note: str


@dataclass(frozen=True)
class BoardPaper:
    """Everything the board report shows, for ``ports.ReportWriter``."""

    settings: Settings
    register: Register
    parts: tuple[ReviewPart, ...]
    today: date
    note: str = ""  # the public report's personal-data note
    findings: tuple[Finding, ...] = ()  # what makes the printed plan wrong (blank or garbled actions, ...)
    held: tuple[HeldUpdate, ...] = ()
    returns: tuple[ReturnsLine, ...] = ()
    moves: Mapping[tuple[str, str], tuple[str, str]] = field(default_factory=dict)  # (review, ref) -> (old, new)
    history: History = NO_HISTORY  # the reported reviews' ratings by round, and the agencies to escalate
    annual: bool = False
    plain_tables: bool = False

    @property
    def reviews(self) -> tuple[str, ...]:
        return tuple(part.review for part in self.parts)

    @property
    def since(self) -> date | None:
        return self.parts[0].summary.since if self.parts else None

    @cached_property
    def held_by_review(self) -> Mapping[str, tuple[HeldUpdate, ...]]:
        """``held`` by review, in its order: each review's exceptions look up their own, not the whole list."""
        grouped: dict[str, list[HeldUpdate]] = {}
        for item in self.held:
            grouped.setdefault(item.review, []).append(item)
        return {review: tuple(items) for review, items in grouped.items()}


def _ref_order(ref: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in ref.split("."))


# ---------------------------------------------------------------------------- ratings as words
def direction(index: RatingIndex, old: str, new: str) -> str:
    """How an action's rating moved this round, in words; "" when it did not."""
    if old == new:
        return ""
    was = index.get(old).label if index.get(old) else UNRATED
    if not old:
        return f"newly rated (was {UNRATED})"
    if not new:
        return f"rating removed (was {was})"
    better = rank(index, new) < rank(index, old)
    return f"{'better' if better else 'worse'} (was {was})"


def label_of(index: RatingIndex, rag: str) -> tuple[str, str]:
    """(code, label) of a typed rating; ("", "Unrated") for a blank or unknown one."""
    code = index.normalise(rag).code or ""
    rating = index.get(code)
    return (code, rating.label) if rating else ("", UNRATED)


# ---------------------------------------------------------------------------- the exceptions
def held_updates(entries: Sequence[LedgerEntry]) -> tuple[HeldUpdate, ...]:
    """The ledger's rows still held for review, newest return first."""
    held = [HeldUpdate(e.review, e.ref, e.agency, e.rag.strip(), e.received, e.note)
            for e in entries if e.state == HELD]
    return tuple(sorted(held, key=lambda h: (h.review, _ref_order(h.ref))))


def _updated(action: Action) -> str:
    """When the action was last updated and by whom ("" when it was only ever imported)."""
    who = action.updated_by.strip()
    if not who or who.casefold().startswith("import"):
        return ""
    when = action.last_updated
    day = when.date() if isinstance(when, datetime) else as_date(when)
    return f"{day:%d/%m/%Y} by {who}" if day else f"by {who}"


def exceptions(part: ReviewPart, paper: BoardPaper) -> list[ExceptionItem]:
    """Red, then Amber, then other actions past their date, then Blue updates held for evidence; each once."""
    index = paper.register.index
    failing, delayed, complete = (role_code(index, role) for role in (FAILING, DELAYED, COMPLETE))
    late = {o.ref: o.days for o in part.summary.overdue}
    held: dict[str, list[HeldUpdate]] = {}
    for item in paper.held_by_review.get(part.review, ()):
        held.setdefault(item.ref, []).append(item)
    items = []
    for action in part.actions:
        code, label = label_of(index, action.rag)
        reasons, rank = [], None
        if code and code == failing:
            reasons.append(label)
            rank = 0
        elif code and code == delayed:
            reasons.append(label)
            rank = 1
        if action.ref in late:
            reasons.append(f"{elapsed(late[action.ref])} overdue")
            rank = 2 if rank is None else rank
        for update in held.get(action.ref, ()):
            given = index.normalise(update.rating).code or ""
            if given and given == complete:
                reasons.append(f"{index[complete].label} from {update.agency} held: no evidence yet")
            else:
                reasons.append(f"update from {update.agency} held for review")
            rank = 3 if rank is None else rank
        if rank is None:
            continue
        old, new = paper.moves.get((action.review, action.ref), (code, code))
        items.append(ExceptionItem(
            action.review, action.ref, action.action, action.lead_agency, as_date(action.target_date),
            as_date(action.revised_date), code, label, "; ".join(reasons), shorten(action.progress, UPDATE_CHARACTERS),
            _updated(action), direction(index, old, new), rank))
    return sorted(items, key=lambda i: (i.rank, -late.get(i.ref, 0), _ref_order(i.ref)))


def round_note(history: History) -> str:
    """What the table of ratings by round leaves out, in words ("" when it lists every action with updates)."""
    left = history.omitted
    if not left:
        return ""
    labels = " or ".join(history.index[code].label for code in concerning(history.index))
    if not history.listed:
        if left == 1:
            return f"The only action with updates neither moved nor stands {labels}." if labels else \
                "The only action with updates did not move."
        return f"None of the {left} actions with updates moved" + (f" or stands {labels}." if labels else ".")
    why = f"neither moved nor {'stands' if left == 1 else 'stand'} {labels}" if labels else "did not move"
    return f"Not listed: {plural(left, 'other action')} with updates, which {why}."


def plan_warnings(findings: Sequence[Finding]) -> list[Finding]:
    """The findings that make the printed plan wrong: every error, and actions garbled by extraction."""
    wanted = [f for f in findings if f.severity == Severity.ERROR or f.rule in WARNED_RULES]
    return sorted(wanted, key=lambda f: (f.review, _ref_order(f.ref), f.rule))


# ---------------------------------------------------------------------------- what the board reads first
def purpose(paper: BoardPaper) -> str:
    reviews = " and ".join(paper.reviews)
    plans = "plans" if len(paper.reviews) > 1 else "plan"
    since = f" ({paper.since:%d/%m/%Y})" if paper.since else ""
    return (f"To tell the {paper.settings.board_name} how the multi-agency action {plans} for {reviews} "
            f"{'are' if len(paper.reviews) > 1 else 'is'} progressing, by exception: the actions rated Red or "
            f"Amber, past their date or awaiting evidence come first, then what changed since the last round of "
            f"returns{since}, then the whole {plans}.")


def asks(paper: BoardPaper, items: Sequence[ExceptionItem], warnings: Sequence[Finding]) -> list[str]:
    """What the board is asked to do, from what the plan shows."""
    index = paper.register.index
    total = sum(part.summary.actions for part in paper.parts)
    counts = [sum(part.summary.overall.counts[i] for part in paper.parts) for i in range(len(index.ratings) + 1)]
    labels = [r.label for r in index.ratings] + [UNRATED]
    figures = ", ".join(f"{n} {label}" for label, n in zip(labels, counts) if n)
    result = [f"note the progress on the {plural(total, 'action')} of the plan: {figures}."]
    red = [i for i in items if i.rank == 0]
    if red:
        result.append(f"challenge the lead agencies of the {plural(len(red), 'action')} rated Red "
                      f"({', '.join(i.ref for i in red)}) and agree what support or escalation is needed.")
    late = [i for i in items if i.rank in (1, 2)]
    if late:
        result.append(f"agree the revised dates of the {plural(len(late), 'action')} rated Amber or past their "
                      f"date ({', '.join(i.ref for i in late)}), or set new ones.")
    held = [i for i in items if i.rank == 3] + [i for i in items if i.rank < 3 and "held" in i.why]
    if held:
        result.append(f"note that {plural(len(held), 'update')} ({', '.join(i.ref for i in held)}) "
                      f"{'is' if len(held) == 1 else 'are'} held until the agencies send their evidence.")
    complete = role_code(index, COMPLETE)
    reviews = set(paper.reviews)
    closed = sorted(f"{key[1]}" for key, (old, new) in paper.moves.items()
                    if complete and new == complete and old != complete and key[0] in reviews)
    if closed:
        result.append(f"agree that the {plural(len(closed), 'action')} rated {index[complete].label} since the "
                      f"last round ({', '.join(closed)}) {'is' if len(closed) == 1 else 'are'} complete and closed.")
    waiting = [line.agency for line in paper.returns if line.pending]
    if waiting:
        result.append(f"note that {listing(waiting)} {'has' if len(waiting) == 1 else 'have'} not yet sent "
                      f"{'its return' if len(waiting) == 1 else 'their returns'}.")
    silent = sorted({e.agency for e in paper.history.escalate}, key=str.casefold)
    if silent:
        result.append(f"agree how to escalate with {listing(silent)}: chased twice or more and still no return "
                      f"(see 'Agencies chased twice or more').")
    if warnings:
        refs = sorted({f.ref or "(no ref)" for f in warnings}, key=_ref_order)
        result.append(f"ask the business unit to correct the {plural(len(refs), 'action')} the plan cannot show "
                      f"properly ({', '.join(refs)}; see 'Gaps in the plan').")
    return result
