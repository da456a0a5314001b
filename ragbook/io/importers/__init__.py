"""Importing existing plans: text dumps like the sample, Word tables, CSV and Excel tables."""

from __future__ import annotations

from pathlib import Path

from ...core.errors import InputError
from ...core.ratings import RatingIndex
from ..ooxml import kinds
from .grid import Grid, ImportedPlan, find_header, read_grid
from .sources import csv_grid, docx_grids, text_grid, workbook_grids

__all__ = ["PlanFiles", "read_source"]


class PlanFiles:
    """Plans to import, as files: implements ``app.ports.PlanSources``."""

    def read(self, source: Path, index: RatingIndex, review: str | None) -> ImportedPlan:
        return read_source(source, index, review)


def read_source(path: Path, index: RatingIndex, review: str | None = None) -> ImportedPlan:
    """Read any supported plan; the first table with a recognisable header is the plan."""
    sniffed = kinds.sniff(path)
    kind, package = sniffed.kind, sniffed.package
    if kind == kinds.CSV_OR_TEXT:
        grids = [csv_grid(path) if path.suffix.lower() == ".csv" else text_grid(path)]
    elif kind in {kinds.XLSX, kinds.XLSM} and package is not None:
        with package:
            grids = workbook_grids(package)
    elif kind == kinds.DOCX and package is not None:
        with package:
            grids = docx_grids(package)
    elif kind == kinds.ENCRYPTED_OLE:
        raise kinds.refuse_password(path)
    else:
        raise InputError(
            f"{path}: is {kinds.describe_kind(kind)}; import reads .txt, .csv, .xlsx and .docx plans "
            f"(save other formats as one of those first)."
        )
    return read_grid(_first_plan(path, grids), index, review)


def _first_plan(path: Path, grids: list[Grid]) -> Grid:
    for grid in grids:
        try:
            find_header(grid)
        except InputError:
            continue
        return grid
    if len(grids) == 1:
        find_header(grids[0])  # raises with the grid's own message
    raise InputError(
        f"{path}: has no table with a recognisable header row (looked for columns such as Ref, "
        f"Recommendation, Actions, Progress/Comments, RAG Rating, Lead Agency, Target Date)."
    )
