"""From a grid of text cells to plan rows, whatever the source format.

Every importer turns its source into a ``Grid``: rows of cell texts, each row with the location a person would
look for in the source ("line 14", "row 5", "table 1 row 3"). This module finds the header row among the
usual wordings, reads the title above it (the review's name), the action rows under it, and the rating index
legend below them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ...core.dates import parse_date
from ...core.errors import InputError
from ...core.model import Action
from ...core.ratings import RatingIndex
from ...core.repair import REF_PATTERN, ImportedPlan, LegendEntry, SourceRow, index_key, review_name_from_title, squash


@dataclass(frozen=True)
class GridRow:
    location: str
    cells: tuple[str, ...]

    @property
    def filled(self) -> list[str]:
        return [c for c in self.cells if c.strip()]


@dataclass
class Grid:
    source: str  # the file, for messages
    rows: list[GridRow]
    title: str = ""  # a title the format carries outside the grid (a Word heading, a sheet name)


# Header wordings seen in real plans, by the Action attribute they hold. Compared after lower-casing and
# dropping punctuation other than '/'.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "review": ("review", "review name", "case", "case review", "review title"),
    "ref": ("ref", "ref no", "reference", "no", "number", "#", "action ref", "action no", "rec no", "id", "item"),
    "recommendation": ("recommendation", "recommendations", "learning", "finding", "findings", "learning point"),
    "action": ("action", "actions", "action s", "agreed action", "agreed actions", "action required",
               "actions required", "what will be done", "action to be taken"),
    "lead_agency": ("agency", "agencies", "lead", "lead agency", "lead agencies", "lead officer", "lead officer/agency",
                    "lead agency/officer", "responsible", "responsible agency", "owner", "who", "lead partner"),
    "target_date": ("target date", "target", "by when", "timescale", "timescales", "deadline", "completion date",
                    "date for completion", "due date", "due by", "target completion date", "date"),
    "revised_date": ("revised date", "revised target", "revised target date", "new target date", "revised timescale",
                     "revised deadline"),
    "progress": ("progress", "progress/comments", "progress / comments", "comments", "update", "progress update",
                 "progress to date", "commentary", "progress/update", "progress and comments"),
    "evidence": ("evidence", "evidence/outcome", "evidence / outcome", "outcome", "outcomes", "evidence of impact",
                 "impact", "evidence of completion", "evidence/impact", "measure of success", "success measures"),
    "rag": ("rag", "rag rating", "rating", "brag", "brag rating", "rag status", "status", "rag/status", "b rag"),
    "updated_by": ("updated by",),
    "last_updated": ("last updated",),
}
_LOOKUP = {word: attribute for attribute, words in HEADER_WORDS.items() for word in words}
_LEGEND_INTRO = re.compile(r"\b(index|key|legend)\b.*\b(rating|rag|brag)\b|\b(rating|rag|brag)\b.*\b(index|key|legend)\b",
                           re.IGNORECASE)
_PUNCT = re.compile(r"[^\w/#]+")


def normalise_header(text: str) -> str:
    return " ".join(_PUNCT.sub(" ", text.lower()).split()).replace(" / ", "/")


def header_attribute(text: str) -> str | None:
    word = normalise_header(text)
    if word in _LOOKUP:
        return _LOOKUP[word]
    for attribute, prefixes in (("revised_date", ("revised",)), ("target_date", ("target",)),
                                ("progress", ("progress",)), ("evidence", ("evidence",)),
                                ("rag", ("rag ", "brag ")), ("lead_agency", ("lead ",))):
        if word.startswith(prefixes):
            return attribute
    return None


def _map_header(row: GridRow) -> dict[int, str]:
    mapping: dict[int, str] = {}
    for position, text in enumerate(row.cells):
        attribute = header_attribute(text) if text.strip() else None
        if attribute and attribute not in mapping.values():
            mapping[position] = attribute
    return mapping


def find_header(grid: Grid) -> tuple[int, dict[int, str]]:
    for number, row in enumerate(grid.rows[:60]):
        mapping = _map_header(row)
        attributes = set(mapping.values())
        if len(attributes) >= 2 and attributes & {"action", "recommendation"}:
            return number, mapping
    raise InputError(
        f"{grid.source}: has no table with a recognisable header row (looked for columns such as Ref, "
        f"Recommendation, Actions, Progress/Comments, RAG Rating, Lead Agency, Target Date)."
    )


def _unnamed_ref_column(grid: Grid, header_at: int, mapping: dict[int, str]) -> None:
    """A first column with no header whose values look like refs (the sample plan's) is the Ref column."""
    if "ref" in mapping.values() or 0 in mapping or grid.rows[header_at].cells[0].strip():
        return
    values = [r.cells[0].strip() for r in grid.rows[header_at + 1:] if len(r.cells) > 1 and r.cells[0].strip()]
    if values and sum(bool(REF_PATTERN.match(v)) or v in "-–—" for v in values) >= 0.6 * len(values):
        mapping[0] = "ref"


def read_grid(grid: Grid, index: RatingIndex, review: str | None = None) -> ImportedPlan:
    header_at, mapping = find_header(grid)
    _unnamed_ref_column(grid, header_at, mapping)
    title = next((squash(" ".join(r.filled)) for r in grid.rows[:header_at] if r.filled), "") or grid.title
    review_name = review or (review_name_from_title(title) if title else "")
    if not review_name and "review" not in mapping.values():
        raise InputError(f"{grid.source}: has no title to name the review; give one with --review NAME.")

    plan = ImportedPlan(review_name, [])
    labels = {r.label.upper(): r for r in index.ratings}
    in_legend = False
    for row in grid.rows[header_at + 1:]:
        filled = row.filled
        if not filled:
            continue
        if len(filled) == 1 and _LEGEND_INTRO.search(filled[0]):
            in_legend = True
            continue
        names_a_rating = len(filled) == 2 and index_key(filled[0], labels) in labels
        if in_legend or names_a_rating:
            in_legend = True
            if len(filled) == 2:
                plan.legend.append(LegendEntry(row.location, filled[0], filled[1]))
            elif len(row.cells) >= 2 and not row.cells[0].strip():
                plan.legend.append(LegendEntry(row.location, "", filled[0]))  # its label was lost
            continue
        if len(filled) == 1 and len(row.cells) == 1:
            plan.notes.append(f"{row.location}: text outside the table skipped: {filled[0][:60]!r}")
            continue
        plan.rows.append(SourceRow(row.location, _action(row, mapping, review_name, plan.notes)))
    if not plan.rows:
        raise InputError(f"{grid.source}: has a header row but no actions under it.")
    return plan


def _action(row: GridRow, mapping: dict[int, str], review: str, notes: list[str]) -> Action:
    values: dict[str, object] = {}
    for position, attribute in mapping.items():
        text = row.cells[position] if position < len(row.cells) else ""
        values[attribute] = text.strip()
    for attribute in ("target_date", "revised_date"):
        raw = values.get(attribute)
        if raw:
            parsed, note = parse_date(raw)
            values[attribute] = parsed if parsed else str(raw)
            if note:
                notes.append(f"{row.location}: {note}")
    values.pop("last_updated", None)
    action = Action(review=str(values.pop("review", "") or review), ref=str(values.pop("ref", "")))
    return replace(action, **{k: v for k, v in values.items() if v not in (None,)})
