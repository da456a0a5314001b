"""Use cases: what each command and each ribbon button does.

Each use case works on a ``ports.Master`` (a file via openpyxl, or the live workbook via xlwings), runs the
pure core and returns a report value for the caller (the CLI prints it; the ribbon shows it). The ``*_plan``
functions are the file versions the command line uses: open the master, run the use case, save atomically.
Nothing here prints.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Iterator

from .core.errors import InputError
from .core.ledger import Ledger
from .core.model import Register
from .core.ratings import DEFAULT_INDEX, RatingIndex
from .core.repair import Repair, index_from_legend, repair_rows
from .core.privacy import scan
from .core.rules import Finding, validate
from .io.importers import ImportedPlan, read_source
from .io.master.workbook import MasterWorkbook
from .ports import Master


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


@contextmanager
def editing(plan: Path) -> Iterator[MasterWorkbook]:
    """Open a master file, let the caller change it, and save it atomically only if nothing failed."""
    master = MasterWorkbook.open(plan)
    yield master
    master.save()


# ---------------------------------------------------------------------------- import
def read_plan_source(source: Path, index: RatingIndex, review: str | None) -> tuple[ImportedPlan, list[Repair], RatingIndex | None]:
    """Read and repair a source plan; also returns the source's own rating index, from its legend."""
    imported = read_source(source, index, review)
    rows, repairs = repair_rows(imported.rows, index)
    legend_index, legend_repairs = index_from_legend(imported.legend, index)
    imported.rows = rows
    return imported, repairs + legend_repairs, legend_index


def import_into(master: Master, source: Path, review: str | None = None) -> ImportReport:
    register = master.read_register()
    imported, repairs, legend_index = read_plan_source(source, register.index, review)
    differences = tuple(register.index.differences(legend_index)) if legend_index else ()
    return _merge(master, register, source, imported, repairs, differences)


def _merge(master: Master, register: Register, source: Path, imported: ImportedPlan,
           repairs: list[Repair], differences: tuple[str, ...]) -> ImportReport:
    stamp = datetime.now().replace(microsecond=0)
    incoming = [replace(r.action, last_updated=stamp, updated_by=f"import of {source.name}") for r in imported.rows]
    result = register.merge(incoming)
    master.write_register(register)
    return ImportReport(source, master.name, imported.review, len(incoming), result.added, result.updated,
                        result.unchanged, tuple(repairs), tuple(imported.notes), differences)


def new_plan(plan: Path, source: Path | None = None, review: str | None = None) -> ImportReport | None:
    """Create a master file; with a source, import it, and take the source's legend as the rating index."""
    if plan.exists():
        raise InputError(f"{plan}: already exists; choose another name or import into it with 'ragbook import'.")
    if not plan.parent.exists():
        raise InputError(f"{plan}: the folder {plan.parent} does not exist.")
    if source is None:
        master = MasterWorkbook.create(plan)
        master.write_ledger(Ledger.new())  # each master its own key for the returns' row hashes
        master.save()
        return None
    imported, repairs, legend_index = read_plan_source(source, DEFAULT_INDEX, review)
    index = DEFAULT_INDEX.with_meanings(legend_index) if legend_index else DEFAULT_INDEX
    master = MasterWorkbook.create(plan, index)
    master.write_ledger(Ledger.new())
    report = _merge(master, Register(index), source, imported, repairs, ())
    master.save()
    return report


def import_plan(source: Path, plan: Path, review: str | None = None) -> ImportReport:
    with editing(plan) as master:
        return import_into(master, source, review)


# ---------------------------------------------------------------------------- validate
def validate_master(master: Master, today: date | None = None) -> ValidationReport:
    register = master.read_register()
    # The personal-data scan runs here too, so the team sees what must not reach public papers long before a
    # public board report is refused for it.
    findings = validate(register, today or date.today()) + [p.as_finding() for p in scan(register.actions)]
    master.write_exceptions(findings)
    marked = master.mark_findings(register, findings)
    return ValidationReport(master.name, len(register), tuple(findings), marked)


def validate_plan(plan: Path, today: date | None = None) -> ValidationReport:
    with editing(plan) as master:
        return validate_master(master, today)


# ---------------------------------------------------------------------------- colour
def colour_master(master: Master) -> ColourReport:
    register = master.read_register()
    return ColourReport(master.name, master.apply_colours(register))


def colour_plan(plan: Path) -> ColourReport:
    with editing(plan) as master:
        return colour_master(master)
