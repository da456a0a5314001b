"""How each action's rating moved from round to round, and which agencies to escalate for not replying.

Pure functions over the Updates sheet's ``UpdateRecord`` lines (one per accepted update of one action by one
agency in one round) and the Returns sheet's ``ReturnRecord`` lines. The Summary sheet and the board report
both draw from the ``History`` built here.

An action's rating in a round is the rating its agencies gave that round; on an action shared by several
agencies it is the worst of theirs, by the rule consolidation uses (``ratings.worst``), and when one return
was consolidated again its latest line stands, as in the register. "Better" and "worse" are
``ratings.rank``'s, the one rule for both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property
from typing import Sequence

from .dates import as_date
from .model import Register
from .ratings import DEFAULT_INDEX, DELAYED, FAILING, RatingIndex, rank, role_code, worst
from .records import ReturnRecord, UpdateRecord

IMPROVED, SAME, WORSE, NEW = "improved", "same", "worse", "new"
ESCALATE_AFTER = 2  # chases: an agency reminded this many times and still silent is listed for escalation


@dataclass(frozen=True)
class ActionHistory:
    """One action's rating in each round, and its direction of travel between its latest two ratings."""

    review: str
    ref: str
    lead_agency: str  # "" when the action is no longer in the register
    ratings: tuple[str, ...]  # a rating code per round of ``History.rounds``; "" when not rated that round
    direction: str  # IMPROVED, SAME, WORSE, NEW (rated in one round only), or "" (never rated)

    @property
    def latest(self) -> str:
        """The latest rating given ("" when none was)."""
        return next((code for code in reversed(self.ratings) if code), "")


@dataclass(frozen=True)
class RoundCounts:
    """How many actions stood at each rating at the end of one round: each action's latest rating given in that
    round or an earlier one (an agency that did not reply leaves its actions where they were)."""

    round: int
    counts: tuple[int, ...]  # one per rating of the index, in its order

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class Escalation:
    """A return still pending after ``ESCALATE_AFTER`` chases or more."""

    agency: str
    return_id: str
    due: date | None
    chases: int
    chased: date | None  # when it was last chased


@dataclass(frozen=True)
class History:
    index: RatingIndex
    rounds: tuple[int, ...]  # every round with updates, in order
    actions: tuple[ActionHistory, ...]  # every action with an update, in the register's order
    by_round: tuple[RoundCounts, ...]  # one per round of ``rounds``
    escalate: tuple[Escalation, ...] = ()

    @cached_property
    def listed(self) -> tuple[ActionHistory, ...]:
        """The actions a reader should see, by exception: those that moved, and those that stand Red or Amber;
        worst first, as the board paper's exceptions are: those that got worse, then the others by their latest
        rating (Red, Amber, then those that improved), each group in the plan's order."""
        chosen = [a for a in self.actions if notable(self.index, a)]
        return tuple(sorted(chosen, key=lambda a: (a.direction != WORSE, -rank(self.index, a.latest))))

    @property
    def omitted(self) -> int:
        """How many actions with history are not ``listed`` (rated the same, or once, and neither Red nor Amber)."""
        return len(self.actions) - len(self.listed)


NO_HISTORY = History(DEFAULT_INDEX, (), (), ())  # a summary built without the Updates sheet


# ---------------------------------------------------------------------------- the rules
def travel(index: RatingIndex, old: str, new: str) -> str:
    """The direction from one rating to the next: IMPROVED, SAME or WORSE."""
    before, after = rank(index, old), rank(index, new)
    return SAME if before == after else (IMPROVED if after < before else WORSE)


def direction(index: RatingIndex, ratings: Sequence[str]) -> str:
    """The direction of travel between the latest two rounds in which an action was rated (NEW after one, ""
    before any)."""
    given = [code for code in ratings if code]
    if not given:
        return ""
    if len(given) == 1:
        return NEW
    return travel(index, given[-2], given[-1])


def concerning(index: RatingIndex) -> tuple[str, ...]:
    """The codes of the ratings a board looks at whatever their direction: failing and delayed (Red, Amber)."""
    return tuple(code for code in (role_code(index, FAILING), role_code(index, DELAYED)) if code)


def notable(index: RatingIndex, action: ActionHistory) -> bool:
    """Whether an action is listed when the list is of exceptions: it moved, or it stands Red or Amber."""
    return action.direction in (IMPROVED, WORSE) or action.latest in concerning(index)


def what_is_listed(index: RatingIndex) -> str:
    """What makes an action listed, in words: "moved or stand Red or Amber" (the actions that ...)."""
    labels = " or ".join(index[code].label for code in concerning(index))
    return "moved" + (f" or stand {labels}" if labels else "")


# ---------------------------------------------------------------------------- ratings by round
def ratings_by_round(index: RatingIndex, updates: Sequence[UpdateRecord]) -> dict[tuple[str, str], dict[int, str]]:
    """(review, ref) -> {round: the action's rating that round}, for every action with an update (an empty
    mapping for one whose updates gave no rating). A line with no round number is no round's."""
    latest: dict[tuple[str, str], dict[int, dict[str, str]]] = {}
    codes: dict[str, str | None] = {}  # each rating typed, read once
    for update in updates:
        key = (update.review.strip(), update.ref.strip())
        by_round = latest.setdefault(key, {})
        if update.rating not in codes:
            codes[update.rating] = index.normalise(update.rating).code
        code = codes[update.rating]
        if update.round < 1 or not code:
            continue
        # A return consolidated again replaces the rating it gave before, as in the register (a line that leaves
        # the rating blank leaves it as it was).
        by_round.setdefault(update.round, {})[update.return_id or update.agency] = code
    worst_of: dict[tuple[str, ...], str] = {}  # the same few combinations of ratings, over thousands of actions

    def worst_in(given: tuple[str, ...]) -> str:
        if given not in worst_of:
            worst_of[given] = worst(index, given)
        return worst_of[given]
    return {key: {number: worst_in(tuple(by_return.values())) for number, by_return in by_round.items()}
            for key, by_round in latest.items()}


def _ref_order(ref: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in ref.split("."))


def action_histories(register: Register, rated: dict[tuple[str, str], dict[int, str]],
                     rounds: Sequence[int]) -> tuple[ActionHistory, ...]:
    """One line per action with an update: the register's actions in its order, then any no longer in it."""
    leads = {(a.review, a.ref): a.lead_agency for a in register}
    order = {key: position for position, key in enumerate(leads)}
    keys = sorted(rated, key=lambda k: (k not in order, order.get(k, 0), k[0], _ref_order(k[1])))
    directions: dict[tuple[str, ...], str] = {}  # the same few sequences of ratings, over thousands of actions
    lines = []
    for key in keys:
        ratings = tuple(rated[key].get(number, "") for number in rounds)
        if ratings not in directions:
            directions[ratings] = direction(register.index, ratings)
        lines.append(ActionHistory(key[0], key[1], leads.get(key, ""), ratings, directions[ratings]))
    return tuple(lines)


def counts_by_round(index: RatingIndex, rated: dict[tuple[str, str], dict[int, str]],
                    rounds: Sequence[int]) -> tuple[RoundCounts, ...]:
    """Per round, how many actions stood at each rating once that round was in (their latest rating so far)."""
    standing: dict[tuple[str, str], str] = {}
    result = []
    for number in rounds:
        for key, by_round in rated.items():
            if number in by_round:
                standing[key] = by_round[number]
        counts = [0] * len(index.ratings)
        for code in standing.values():
            position = index.order(code)
            if position < len(counts):
                counts[position] += 1
        result.append(RoundCounts(number, tuple(counts)))
    return tuple(result)


# ---------------------------------------------------------------------------- escalation
def to_escalate(returns: Sequence[ReturnRecord], at_least: int = ESCALATE_AFTER) -> tuple[Escalation, ...]:
    """Returns still pending after ``at_least`` chases, the most chased first, then the longest overdue."""
    found = [Escalation(r.agency, r.return_id, as_date(r.due), r.chases, as_date(r.chased))
             for r in returns if r.is_pending and r.chases >= at_least]
    return tuple(sorted(found, key=lambda e: (-e.chases, e.due or date.max, e.agency.casefold(), e.return_id)))


# ---------------------------------------------------------------------------- all of it
def history(register: Register, updates: Sequence[UpdateRecord], returns: Sequence[ReturnRecord] = ()) -> History:
    """Every action's rating by round and direction, the counts per round, and the agencies to escalate."""
    index = register.index
    rated = ratings_by_round(index, updates)
    rounds = tuple(sorted({u.round for u in updates if u.round >= 1}))
    return History(index, rounds, action_histories(register, rated, rounds), counts_by_round(index, rated, rounds),
                   to_escalate(returns))
