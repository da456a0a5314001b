"""What a statutory annual report must say of each review's plan: which recommendations were implemented,
which are in progress or not started, and why any will not be.

An action is *complete* when rated with the index's complete rating (Blue); *not implemented* when its
rating is labelled so (an index may have a "Not implemented" or "Closed - not implemented" rating) or its
Progress starts "Not implemented" (the rest of the text is the reason); *not started* when nothing is
recorded in Progress; otherwise *in progress*. A recommendation is implemented when all its actions are
complete, not implemented when any of them is, not started when none has started, else in progress.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Sequence

from .model import Action, Register
from .ratings import COMPLETE, RatingIndex, role_code

COMPLETE_STATUS, IN_PROGRESS, NOT_STARTED, NOT_IMPLEMENTED = "Complete", "In progress", "Not started", "Not implemented"
STATUSES = (COMPLETE_STATUS, IN_PROGRESS, NOT_STARTED, NOT_IMPLEMENTED)
IMPLEMENTED = "Implemented"  # a recommendation's word for complete
_NOT_IMPLEMENTED = re.compile(r"^\W*(?:not|will not be|won't be|cannot be)\s+implemented\b[\s:.,;-]*", re.I)


@dataclass(frozen=True)
class ActionStatus:
    ref: str
    status: str
    reason: str = ""  # why it is not implemented


@dataclass(frozen=True)
class RecommendationStatus:
    number: str
    text: str
    actions: tuple[ActionStatus, ...]
    status: str  # Implemented, In progress, Not started, Not implemented

    def count(self, status: str) -> int:
        return sum(1 for a in self.actions if a.status == status)

    @property
    def reasons(self) -> tuple[str, ...]:
        return tuple(f"{a.ref}: {a.reason}" if a.reason else a.ref for a in self.actions if a.status == NOT_IMPLEMENTED)


@dataclass(frozen=True)
class AnnualReview:
    review: str
    recommendations: tuple[RecommendationStatus, ...]

    def recommendations_with(self, status: str) -> int:
        wanted = IMPLEMENTED if status == COMPLETE_STATUS else status
        return sum(1 for r in self.recommendations if r.status == wanted)

    def actions_with(self, status: str) -> int:
        return sum(r.count(status) for r in self.recommendations)

    @property
    def actions(self) -> int:
        return sum(len(r.actions) for r in self.recommendations)


def action_status(index: RatingIndex, action: Action) -> ActionStatus:
    code = index.normalise(action.rag).code
    rating = index.get(code)
    progress = " ".join(action.progress.split())
    match = _NOT_IMPLEMENTED.match(progress)
    if match or (rating is not None and "not implemented" in rating.label.casefold()):
        reason = progress[match.end():] if match else progress
        return ActionStatus(action.ref, NOT_IMPLEMENTED, reason.strip() or "no reason recorded")
    if code is not None and code == role_code(index, COMPLETE):
        return ActionStatus(action.ref, COMPLETE_STATUS)
    if not progress:
        return ActionStatus(action.ref, NOT_STARTED)
    return ActionStatus(action.ref, IN_PROGRESS)


def _recommendation_status(actions: Sequence[ActionStatus]) -> str:
    statuses = {a.status for a in actions}
    if NOT_IMPLEMENTED in statuses:
        return NOT_IMPLEMENTED
    if statuses == {COMPLETE_STATUS}:
        return IMPLEMENTED
    if statuses == {NOT_STARTED}:
        return NOT_STARTED
    return IN_PROGRESS


def annual(register: Register, review: str) -> AnnualReview:
    """The implementation status of every recommendation of ``review``, in the plan's order."""
    rows = []
    for rec in register.recommendations(review):
        statuses = tuple(action_status(register.index, a) for a in rec.actions)
        rows.append(RecommendationStatus(rec.number, rec.text, statuses, _recommendation_status(statuses)))
    return AnnualReview(review, tuple(rows))
