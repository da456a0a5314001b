"""The business's nouns: reviews, recommendations, actions, agencies, and the register that holds them.

Plain Python: no workbook, Excel or file code here. Values are frozen; a change makes a new value
(``dataclasses.replace``), so that an old and a new action can be compared field by field for the audit log.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Iterable, Iterator

from .ratings import RatingIndex

# A date typed by a person is either a real date or the text they typed (kept so that validation can name it).
DateValue = date | str | None

_ALL_WORDS = {"all", "all agencies", "all partners", "all partner agencies", "partnership", "all organisations"}
_AGENCY_SPLIT = re.compile(r"\s*(?:;|\n|,)\s*")


# The Register's column headers by Action attribute, for messages that name a field as a person sees it.
FIELD_LABELS = {
    "review": "Review",
    "ref": "Ref",
    "recommendation": "Recommendation",
    "action": "Action",
    "lead_agency": "Lead Agency",
    "target_date": "Target Date",
    "revised_date": "Revised Date",
    "progress": "Progress",
    "evidence": "Evidence",
    "rag": "RAG",
    "last_updated": "Last Updated",
    "updated_by": "Updated By",
}


@dataclass(frozen=True, order=True)
class ActionKey:
    review: str
    ref: str

    def __str__(self) -> str:
        return f"{self.review} {self.ref}"


@dataclass(frozen=True)
class Agency:
    name: str
    contact: str = ""
    email: str = ""
    in_round: bool = True  # the Agencies sheet's In This Round column: "No" leaves it out of Issue returns


@dataclass(frozen=True)
class Action:
    """One row of the Register: an action taken against one recommendation of one review."""

    review: str
    ref: str
    recommendation: str = ""
    action: str = ""
    lead_agency: str = ""
    target_date: DateValue = None
    revised_date: DateValue = None
    progress: str = ""
    evidence: str = ""
    rag: str = ""
    last_updated: datetime | date | str | None = None
    updated_by: str = ""

    @property
    def key(self) -> ActionKey:
        return ActionKey(self.review, self.ref)

    @property
    def recommendation_number(self) -> str:
        """``3`` for ref ``3.4``: actions sharing it belong to one recommendation."""
        return recommendation_number(self.ref)

    @property
    def lead_agencies(self) -> tuple[str, ...]:
        return split_agencies(self.lead_agency)

    def is_led_by(self, agency: str) -> bool:
        leads = self.lead_agencies
        return any(lead.casefold() == agency.casefold() or is_all_agencies(lead) for lead in leads)

    def changes_from(self, old: Action) -> list[tuple[str, object, object]]:
        """(field, old, new) for every field that differs from ``old``."""
        return [
            (f.name, getattr(old, f.name), getattr(self, f.name))
            for f in fields(self)
            if getattr(old, f.name) != getattr(self, f.name)
        ]

    def with_changes(self, **changes: object) -> Action:
        return replace(self, **changes)


def recommendation_number(ref: str) -> str:
    return ref.strip().split(".", 1)[0]


def split_agencies(text: str) -> tuple[str, ...]:
    return tuple(part for part in _AGENCY_SPLIT.split(text.strip()) if part)


def is_all_agencies(name: str) -> bool:
    return name.strip().casefold() in _ALL_WORDS


@dataclass(frozen=True)
class Recommendation:
    review: str
    number: str
    text: str
    actions: tuple[Action, ...]


@dataclass
class Register:
    """The whole plan as the master holds it: the rating index, the agencies and every action, in order."""

    index: RatingIndex
    actions: list[Action] = field(default_factory=list)
    agencies: list[Agency] = field(default_factory=list)

    def __iter__(self) -> Iterator[Action]:
        return iter(self.actions)

    def __len__(self) -> int:
        return len(self.actions)

    @property
    def reviews(self) -> list[str]:
        return list(dict.fromkeys(a.review for a in self.actions))

    def recommendations(self, review: str | None = None) -> list[Recommendation]:
        grouped: dict[tuple[str, str], list[Action]] = {}
        for action in self.actions:
            if review is None or action.review == review:
                grouped.setdefault((action.review, action.recommendation_number), []).append(action)
        result = []
        for (rev, number), actions in grouped.items():
            text = max((a.recommendation for a in actions), key=len, default="")
            result.append(Recommendation(rev, number, text, tuple(actions)))
        return result

    def agency_names(self) -> list[str]:
        return [a.name for a in self.agencies]

    def merge(self, incoming: Iterable[Action]) -> MergeResult:
        """Add new actions and update existing ones with the fields ``incoming`` fills in.

        An import of the same plan twice changes nothing; a blank field in the source never blanks a value
        the master already holds (the master may have been maintained since).
        """
        position = {a.key: i for i, a in enumerate(self.actions)}
        added = updated = unchanged = 0
        for action in incoming:
            at = position.get(action.key)
            if at is None:
                position[action.key] = len(self.actions)
                self.actions.append(action)
                added += 1
                continue
            old = self.actions[at]
            filled = {
                f.name: getattr(action, f.name)
                for f in fields(action)
                if getattr(action, f.name) not in (None, "") and f.name not in {"last_updated", "updated_by"}
            }
            new = replace(old, **filled)
            if new != old:
                self.actions[at] = replace(new, last_updated=action.last_updated, updated_by=action.updated_by)
                updated += 1
            else:
                unchanged += 1
        return MergeResult(added, updated, unchanged)


@dataclass(frozen=True)
class MergeResult:
    added: int
    updated: int
    unchanged: int
