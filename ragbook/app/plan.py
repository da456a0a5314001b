"""Use cases of the Start and Maintain steps: a new master, importing a plan, validating, colouring.

Each ``*_master`` function works on a ``ports.Master`` (the live workbook behind a ribbon button, or a file);
each ``*_plan`` function runs it inside the unit of work (``ports.Plans``), which saves the master only when
the use case succeeded. Nothing here prints: each returns a report value its caller presents.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path

from ..core.ledger import Ledger
from ..core.model import Register
from ..core.privacy import scan
from ..core.ratings import DEFAULT_INDEX, RatingIndex
from ..core.records import Finding
from ..core.repair import ImportedPlan, Repair, fit_cells, index_from_legend, repair_rows
from ..core.rules import validate
from .ports import Master, Plans, PlanSources


@dataclass(frozen=True)
class ImportReport:
    source: Path
    plan: str
    review: str
    actions: int
    added: int
    updated: int
    unchanged: int
    repairs: tuple[Repair, ...]
    notes: tuple[str, ...]
    index_differences: tuple[str, ...] = ()


@dataclass(frozen=True)
class ValidationReport:
    plan: str
    actions: int
    findings: tuple[Finding, ...]
    marked_cells: int

    @property
    def errors(self) -> int:
        return sum(f.is_error for f in self.findings)

    @property
    def warnings(self) -> int:
        return len(self.findings) - self.errors


@dataclass(frozen=True)
class ColourReport:
    plan: str
    counts: dict[str, int] = field(default_factory=dict)


# ---------------------------------------------------------------------------- new and import
def read_plan_source(sources: PlanSources, source: Path, index: RatingIndex,
                     review: str | None) -> tuple[ImportedPlan, list[Repair], RatingIndex | None]:
    """Read and repair a source plan; also returns the source's own rating index, from its legend."""
    imported = sources.read(source, index, review)
    rows, repairs = repair_rows(imported.rows, index)
    rows, fitted, imported.cell_notes = fit_cells(rows, str(source))
    legend_index, legend_repairs = index_from_legend(imported.legend, index)
    imported.rows = rows
    return imported, repairs + fitted + legend_repairs, legend_index


def import_into(master: Master, sources: PlanSources, source: Path, review: str | None = None) -> ImportReport:
    register = master.read_register()
    imported, repairs, legend_index = read_plan_source(sources, source, register.index, review)
    differences = tuple(register.index.differences(legend_index)) if legend_index else ()
    return _merge(master, register, source, imported, repairs, differences)


def _merge(master: Master, register: Register, source: Path, imported: ImportedPlan,
           repairs: list[Repair], differences: tuple[str, ...]) -> ImportReport:
    stamp = datetime.now().replace(microsecond=0)
    incoming = [replace(r.action, last_updated=stamp, updated_by=f"import of {source.name}") for r in imported.rows]
    result = register.merge(incoming)
    master.write_register(register)
    if imported.cell_notes:
        master.add_cell_notes(register, imported.cell_notes)
    return ImportReport(source, master.name, imported.review, len(incoming), result.added, result.updated,
                        result.unchanged, tuple(repairs), tuple(imported.notes), differences)


def new_plan(plans: Plans, sources: PlanSources, source: Path | None = None,
             review: str | None = None) -> ImportReport | None:
    """Create a master; with a source, import it, and take the source's legend as the rating index."""
    with plans.creating() as master:
        master.write_ledger(Ledger.new())  # each master its own key for the returns' row hashes
        if source is None:
            return None
        imported, repairs, legend_index = read_plan_source(sources, source, DEFAULT_INDEX, review)
        index = DEFAULT_INDEX.with_meanings(legend_index) if legend_index else DEFAULT_INDEX
        master.write_index(index)
        return _merge(master, Register(index), source, imported, repairs, ())


def import_plan(plans: Plans, sources: PlanSources, source: Path, review: str | None = None) -> ImportReport:
    with plans.editing() as master:
        return import_into(master, sources, source, review)


# ---------------------------------------------------------------------------- validate
def plan_findings(register: Register, today: date | None = None) -> list[Finding]:
    """What Validate finds in ``register`` as at ``today``, written nowhere (Issue returns checks with it)."""
    # The personal-data scan runs here too, so the team sees what must not reach public papers long before a
    # public board report is refused for it.
    return validate(register, today or date.today()) + [p.as_finding() for p in scan(register.actions)]


def validate_master(master: Master, today: date | None = None, register: Register | None = None) -> ValidationReport:
    """Validate as at ``today``; without one, as at the Round sheet's Validate as at (blank: today), so the
    button and the command judge what is overdue from the same date. ``register`` is the master's Register
    when the caller has just written it (consolidation, decisions), so it is not read back again."""
    register = master.read_register() if register is None else register
    findings = plan_findings(register, today or master.read_round().validate_as_at)
    master.write_findings(findings)
    marked = master.mark_findings(register, findings)
    return ValidationReport(master.name, len(register), tuple(findings), marked)


def validate_plan(plans: Plans, today: date | None = None) -> ValidationReport:
    with plans.editing() as master:
        return validate_master(master, today)


# ---------------------------------------------------------------------------- colour
def colour_master(master: Master) -> ColourReport:
    register = master.read_register()
    return ColourReport(master.name, master.apply_colours(register))


def colour_plan(plans: Plans) -> ColourReport:
    with plans.editing() as master:
        return colour_master(master)
