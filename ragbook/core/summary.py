"""What a partnership board asks of a plan: are the actions done, on time, moving, and are agencies replying?

Pure functions over the ``Register``, the Audit Log's ``AuditEntry`` records and the Returns sheet's
``ReturnRecord`` records. No workbook code: the Summary sheet and the board report both draw from the
``Summary`` value built here, so the dashboard and the Word report never disagree.

Every action sits in exactly one rating bucket per view: the index's ratings in the index's order, then
``UNRATED`` for an action with no rating or one outside the index (shown, never hidden).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable, Iterable, Sequence

from .dates import as_date
from .history import NO_HISTORY, History, history
from .model import Action, Register, is_all_agencies
from .ratings import COMPLETE, RatingIndex, role_code
from .records import AuditEntry, ReturnRecord, UpdateRecord
from .settings import DEFAULT_SETTINGS, Settings

UNRATED = "Unrated"
NO_LEAD = "No lead agency"
RATING_FIELDS = {"rag", "rating", "rag rating"}
DATE_FIELDS = {"revised date", "revised_date", "target date", "target_date"}


@dataclass(frozen=True)
class Tally:
    """How many actions of one group (a review, a recommendation, an agency, or all) have each rating."""

    group: str
    counts: tuple[int, ...]  # one per rating of the index, in its order, then the unrated
    detail: str = ""  # what the group is, in words (a recommendation's text)

    @property
    def total(self) -> int:
        return sum(self.counts)

    def shares(self) -> tuple[float, ...]:
        return tuple(n / self.total if self.total else 0.0 for n in self.counts)


@dataclass(frozen=True)
class OverdueAction:
    review: str
    ref: str
    action: str
    lead_agency: str
    due: date  # the revised date when there is one, else the target date
    rating: str
    days: int


@dataclass(frozen=True)
class Movement:
    old: str  # a rating code, or "" for unrated
    new: str
    count: int
    refs: tuple[str, ...]


@dataclass(frozen=True)
class Slippage:
    review: str
    ref: str
    lead_agency: str
    target: date | None
    revised: date | None
    revisions: int
    days: int | None  # how far the latest date is beyond the original target


@dataclass(frozen=True)
class ReturnsLine:
    agency: str
    issued: int
    returned: int
    accepted: int
    partly: int
    rejected: int
    pending: int
    oldest_pending: date | None
    days_pending: int | None
    overdue: int  # pending and past their due date


@dataclass(frozen=True)
class Summary:
    index: RatingIndex
    today: date
    since: date | None
    actions: int
    overall: Tally
    by_review: tuple[Tally, ...]
    by_recommendation: tuple[Tally, ...]
    by_agency: tuple[Tally, ...]
    overdue: tuple[OverdueAction, ...]
    movement: tuple[Movement, ...]
    slippage: tuple[Slippage, ...]
    returns: tuple[ReturnsLine, ...]
    settings: Settings = DEFAULT_SETTINGS  # whose plan it is (the Settings sheet): the titles name them
    history: History = NO_HISTORY  # ratings by round (the Updates sheet) and the agencies to escalate

    @property
    def buckets(self) -> tuple[str, ...]:
        """Column names of every tally: the index's labels, then ``UNRATED``."""
        return tuple(r.label for r in self.index.ratings) + (UNRATED,)

    def label(self, code: str) -> str:
        rating = self.index.get(code)
        return rating.label if rating else UNRATED


# ---------------------------------------------------------------------------- ratings
def bucket(index: RatingIndex, rag: str) -> int:
    """The position of an action's rating in the tallies; look-alike letters are read as the index would."""
    code = index.normalise(rag).code
    return index.order(code)  # len(index.ratings) (the unrated bucket) for blank or unknown


def tally(index: RatingIndex, group: str, actions: Iterable[Action], detail: str = "") -> Tally:
    counts = [0] * (len(index.ratings) + 1)
    buckets: dict[str, int] = {}  # a plan types a handful of ratings: each is read once
    for action in actions:
        position = buckets.get(action.rag)
        if position is None:
            position = buckets[action.rag] = bucket(index, action.rag)
        counts[position] += 1
    return Tally(group, tuple(counts), detail)


def _coder(index: RatingIndex) -> Callable[[str], str | None]:
    """``index.normalise(text).code``, worked out once for each text (ratings are a handful of texts typed over
    and over)."""
    codes: dict[str, str | None] = {}

    def code(text: str) -> str | None:
        if text not in codes:
            codes[text] = index.normalise(text).code
        return codes[text]
    return code


def by_review(register: Register) -> tuple[Tally, ...]:
    grouped: dict[str, list[Action]] = {review: [] for review in register.reviews}
    for action in register:
        grouped[action.review].append(action)
    return tuple(tally(register.index, review, actions) for review, actions in grouped.items())


def by_recommendation(register: Register) -> tuple[Tally, ...]:
    several = len(register.reviews) > 1
    return tuple(
        tally(register.index, f"{rec.review} {rec.number}" if several else f"Recommendation {rec.number}", rec.actions,
              rec.text)
        for rec in register.recommendations()
    )


def lead_groups(action: Action) -> tuple[str, ...]:
    """The lead-agency rows an action counts in: each named lead once; "All agencies" is a row of its own."""
    leads = []
    for lead in action.lead_agencies:
        name = "All agencies" if is_all_agencies(lead) else lead
        if name.casefold() not in {n.casefold() for n in leads}:
            leads.append(name)
    return tuple(leads) or (NO_LEAD,)


def by_agency(register: Register) -> tuple[Tally, ...]:
    """One row per lead agency, in the Agencies sheet's order; an action led jointly counts for each lead."""
    groups: dict[str, list[Action]] = {}
    canonical = {name.casefold(): name for name in register.agency_names()}
    for action in register:
        for lead in lead_groups(action):
            groups.setdefault(canonical.get(lead.casefold(), lead), []).append(action)
    order = {name: i for i, name in enumerate(register.agency_names())}
    tail = {"All agencies": 1, NO_LEAD: 2}
    names = sorted(groups, key=lambda n: (n in tail, tail.get(n, 0), order.get(n, len(order)), n.casefold()))
    return tuple(tally(register.index, name, groups[name]) for name in names)


# ---------------------------------------------------------------------------- overdue
def due_date(action: Action) -> date | None:
    return as_date(action.revised_date) or as_date(action.target_date)


def overdue(register: Register, today: date) -> tuple[OverdueAction, ...]:
    """Actions past their revised (else target) date and not complete, oldest first."""
    complete = role_code(register.index, COMPLETE)
    code_of = _coder(register.index)
    late = []
    for action in register:
        due = due_date(action)
        code = code_of(action.rag)
        if due is not None and due < today and (complete is None or code != complete):
            late.append(OverdueAction(action.review, action.ref, action.action, action.lead_agency, due,
                                      code or "", (today - due).days))
    return tuple(sorted(late, key=lambda o: (o.due, o.review, _ref_order(o.ref))))


def _ref_order(ref: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in ref.split("."))


# ---------------------------------------------------------------------------- audit log
def _text(value: object) -> str:
    return "" if value is None else str(value).strip()


def _when(entry: AuditEntry) -> datetime | None:
    value = entry.when
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    parsed = as_date(value)
    return datetime(parsed.year, parsed.month, parsed.day) if parsed else None


def moves(index: RatingIndex, audit: Sequence[AuditEntry], since: date | None) -> dict[tuple[str, str], tuple[str, str]]:
    """(review, ref) -> (first old, last new) rating code of every action rated since ``since`` (all history
    when None); "" is unrated. An action that moved and came back has old == new."""
    first: dict[tuple[str, str], tuple[tuple[datetime, int], str]] = {}
    last: dict[tuple[str, str], tuple[tuple[datetime, int], str]] = {}
    code_of = _coder(index)
    for position, row in enumerate(audit):
        if _text(row.field).casefold() not in RATING_FIELDS:
            continue
        when = _when(row)
        if when is None or (since is not None and when.date() < since):
            continue
        key = (_text(row.review), _text(row.ref))
        stamp = (when, position)
        old = code_of(_text(row.old)) or ""
        new = code_of(_text(row.new)) or ""
        if key not in first or stamp < first[key][0]:
            first[key] = (stamp, old)
        if key not in last or stamp >= last[key][0]:
            last[key] = (stamp, new)
    return {key: (old, last[key][1]) for key, (_, old) in first.items()}


def movement(index: RatingIndex, audit: Sequence[AuditEntry], since: date | None) -> tuple[Movement, ...]:
    """Net rating changes per action since ``since`` (all history when None): first old to last new.

    An action that went Amber to Green and back to Amber in the period has not moved, so it is not counted.
    """
    moved: dict[tuple[str, str], list[str]] = {}
    for key, (old, new) in moves(index, audit, since).items():
        if old != new:
            moved.setdefault((old, new), []).append(f"{key[0]} {key[1]}".strip())
    result = [Movement(old, new, len(refs), tuple(sorted(refs))) for (old, new), refs in moved.items()]
    return tuple(sorted(result, key=lambda m: (-m.count, index.order(m.old or None), index.order(m.new or None))))


def slippage(register: Register, audit: Sequence[AuditEntry]) -> tuple[Slippage, ...]:
    """How many times each action's date was revised (audit log), and how far beyond its target it now is."""
    revisions: dict[tuple[str, str], int] = {}
    for row in audit:
        if _text(row.field).casefold() in DATE_FIELDS and _text(row.new):
            key = (_text(row.review), _text(row.ref))
            revisions[key] = revisions.get(key, 0) + 1
    lines = []
    for action in register:
        count = revisions.get((action.review, action.ref), 0)
        target, revised = as_date(action.target_date), as_date(action.revised_date)
        if revised is not None:
            count = max(count, 1)  # a revised date typed straight into the master left no audit row
        if count == 0:
            continue
        days = (revised - target).days if revised and target else None
        lines.append(Slippage(action.review, action.ref, action.lead_agency, target, revised, count, days))
    return tuple(sorted(lines, key=lambda s: (-s.revisions, -(s.days or 0), s.review, _ref_order(s.ref))))


# ---------------------------------------------------------------------------- returns
def returns_matrix(agencies: Sequence[str], rows: Sequence[ReturnRecord], today: date) -> tuple[ReturnsLine, ...]:
    """Per agency: returns issued, came back (and how they were taken), still pending and for how long."""
    grouped: dict[str, list[ReturnRecord]] = {}
    canonical = {name.casefold(): name for name in agencies}
    for row in rows:
        agency = _text(row.agency)
        if agency:
            grouped.setdefault(canonical.get(agency.casefold(), agency), []).append(row)
    names = [n for n in agencies if n in grouped] + sorted(n for n in grouped if n not in agencies)
    lines = []
    for name in names:
        statuses = [_text(r.status).casefold() for r in grouped[name]]
        pending_rows = [r for r in grouped[name] if not r.came_back and as_date(r.received) is None]
        issued_dates = [d for d in (as_date(r.issued) for r in pending_rows) if d]
        oldest = min(issued_dates) if issued_dates else None
        late = sum(1 for r in pending_rows if (d := as_date(r.due)) is not None and d < today)
        lines.append(ReturnsLine(
            agency=name, issued=len(statuses), returned=len(statuses) - len(pending_rows),
            accepted=sum(s in {"received", "accepted"} for s in statuses),
            partly=statuses.count("partly accepted"), rejected=statuses.count("rejected"),
            pending=len(pending_rows), oldest_pending=oldest,
            days_pending=(today - oldest).days if oldest else None, overdue=late))
    return tuple(lines)


def latest_round(rows: Sequence[ReturnRecord]) -> date | None:
    """The day the latest round of returns was issued: movement "since the last consolidation" starts there."""
    issued = [d for d in (as_date(r.issued) for r in rows) if d]
    return max(issued) if issued else None


@dataclass(frozen=True)
class ReviewPart:
    """One review's part of the board report: its own summary and its actions."""

    review: str
    summary: Summary
    actions: tuple[Action, ...]


# ---------------------------------------------------------------------------- all of it
def summarise(register: Register, audit: Sequence[AuditEntry], returns: Sequence[ReturnRecord],
              today: date, since: date | None = None, review: str | None = None,
              settings: Settings = DEFAULT_SETTINGS, updates: Sequence[UpdateRecord] = ()) -> Summary:
    """The whole summary; with ``review``, of that review's actions only (the board report's per-review part,
    which leaves the returns, and the agencies to escalate, to the whole paper)."""
    if review is not None:
        register = Register(register.index, [a for a in register if a.review == review], register.agencies)
        audit = [entry for entry in audit if _text(entry.review) == review]
        updates = [update for update in updates if update.review.strip() == review]
        returns = ()
    return _summary(register, audit, returns, today, since, settings, updates)


def review_parts(register: Register, reviews: Sequence[str], audit: Sequence[AuditEntry], today: date,
                 since: date | None, settings: Settings = DEFAULT_SETTINGS,
                 updates: Sequence[UpdateRecord] = ()) -> tuple[ReviewPart, ...]:
    """Each of ``reviews``' part of the board report: what ``summarise`` gives with ``review``, the register,
    the Audit Log and the Updates sheet each gone through once for all the reviews (a plan of a thousand reviews
    would otherwise be scanned a thousand times)."""
    wanted = set(reviews)
    actions: dict[str, list[Action]] = {name: [] for name in reviews}
    for action in register:
        if action.review in wanted:
            actions[action.review].append(action)
    logged: dict[str, list[AuditEntry]] = {}
    for entry in audit:
        if (name := _text(entry.review)) in wanted:
            logged.setdefault(name, []).append(entry)
    updated: dict[str, list[UpdateRecord]] = {}
    for update in updates:
        if (name := update.review.strip()) in wanted:
            updated.setdefault(name, []).append(update)
    parts = []
    for name in reviews:
        own = Register(register.index, actions[name], register.agencies)
        summary = _summary(own, logged.get(name, ()), (), today, since, settings, updated.get(name, ()))
        parts.append(ReviewPart(name, summary, tuple(actions[name])))
    return tuple(parts)


def _summary(register: Register, audit: Sequence[AuditEntry], returns: Sequence[ReturnRecord], today: date,
             since: date | None, settings: Settings, updates: Sequence[UpdateRecord]) -> Summary:
    """The summary of ``register``; a review's part is given no returns (the whole paper has them)."""
    return Summary(
        index=register.index, today=today, since=since, actions=len(register),
        overall=tally(register.index, "All actions", register), by_review=by_review(register),
        by_recommendation=by_recommendation(register), by_agency=by_agency(register),
        overdue=overdue(register, today), movement=movement(register.index, audit, since),
        slippage=slippage(register, audit),
        returns=returns_matrix(register.agency_names(), returns, today),
        settings=settings, history=history(register, updates, returns),
    )


def headline(summary: Summary) -> str:
    """One paragraph a board member reads first: counts, movement and overdue."""
    parts = [f"{n} {label}" for label, n in zip(summary.buckets, summary.overall.counts) if n]
    text = f"{summary.actions} actions: " + (", ".join(parts) if parts else "none") + "."
    if summary.movement:
        moves = "; ".join(f"{m.count} moved {summary.label(m.old)} to {summary.label(m.new)}" for m in summary.movement)
        since = f" since {summary.since:%d/%m/%Y}" if summary.since else ""
        text += f" Movement{since}: {moves}."
    else:
        text += " No rating has moved" + (f" since {summary.since:%d/%m/%Y}." if summary.since else ".")
    if summary.overdue:
        text += (f" {len(summary.overdue)} not complete and past their date, the oldest due "
                 f"{summary.overdue[0].due:%d/%m/%Y}.")
    else:
        text += " None is overdue."
    return text
