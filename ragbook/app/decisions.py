"""Use case of the review step: *Apply decisions* (and ``ragbook decide``) on the Held Updates sheet.

``apply_decisions`` works on a ``ports.Master`` (the file, or the live workbook behind the button) and carries
out the Accept or Reject a person typed on each held update (``core.decisions``); ``decide_plan`` runs it
inside the unit of work and refreshes the Summary in the same save, as consolidation does. Nothing is
written unless something was decided. Nothing here prints.
"""

from __future__ import annotations

from dataclasses import astuple, dataclass, replace
from datetime import date, datetime, time
from typing import Sequence

from ..core.decisions import HELD_UPDATE_FIELD, apply_decisions as decide, held_records
from ..core.errors import InputError
from ..core.ledger import Ledger, canonical
from ..core.model import Register
from ..core.records import HeldRecord
from .plan import ValidationReport, validate_master
from .ports import Master, Plans


@dataclass(frozen=True)
class DecisionReport:
    plan: str
    accepted: tuple[HeldRecord, ...]
    rejected: tuple[HeldRecord, ...]
    left: tuple[HeldRecord, ...]  # still held: no decision yet, or one that could not be carried out
    problems: tuple[str, ...]
    changes: int = 0  # the Register's fields changed (each one a line of the Audit Log)
    validation: ValidationReport | None = None  # the re-validation after the decisions changed the master
    summary_refreshed: bool = False

    @property
    def recorded(self) -> bool:
        """Whether anything was written to the master."""
        return bool(self.accepted or self.rejected)

    @property
    def undecided(self) -> int:
        return sum(not " ".join(str(row.decision or "").split()) for row in self.left)


def apply_decisions(master: Master, *, who: str, today: date | None = None) -> DecisionReport:
    """Accept or reject each held update as its Decision says; ``who`` is named where Decided By is blank."""
    return _decide(master, who=who, today=today)[0]


def _decide(master: Master, *, who: str, today: date | None) -> tuple[DecisionReport, Register | None]:
    """``apply_decisions``, and the Register as it left it (None when nothing was decided)."""
    who = " ".join(who.split())
    if not who:
        raise InputError(f"{master.name}: decisions are applied in someone's name; say who is applying them.")
    held = master.read_held()
    if not any(str(row.decision or "").strip() for row in held):
        return DecisionReport(master.name, (), (), tuple(held), ()), None
    when = datetime.combine(today, time()) if today else datetime.now().replace(microsecond=0)
    register = master.read_register()
    ledger = master.read_ledger()
    done = decide(register, ledger, held, who, when)
    if not done.decided:
        return DecisionReport(master.name, (), (), tuple(done.left), tuple(done.problems)), None
    if done.register_changed:
        master.write_register(register)
    master.write_ledger(ledger)
    master.append_audit(done.audit)
    if done.updates:
        master.append_updates(done.updates)
    rewrite_held(master, ledger, held)
    changes = sum(entry.field != HELD_UPDATE_FIELD for entry in done.audit)
    return DecisionReport(master.name, tuple(done.accepted), tuple(done.rejected), tuple(done.left),
                          tuple(done.problems), changes, validate_master(master, today, register)), register


def decide_plan(plans: Plans, *, who: str, today: date | None = None) -> DecisionReport:
    """Apply the decisions in a master file, then refresh its Summary sheet in the same save."""
    from .reports import refresh_summary  # noqa: PLC0415 - as consolidate_plan does

    with plans.editing() as master:
        report, register = _decide(master, who=who, today=today)
        if report.recorded:
            refresh_summary(master, today=today, register=register)
            report = replace(report, summary_refreshed=True)
        return report


def rewrite_held(master: Master, ledger: Ledger, held: Sequence[HeldRecord] | None = None) -> bool:
    """Make the Held Updates sheet show the ledger's held updates, keeping the decisions typed on those still
    held; written only when that changes it. ``held`` is the sheet as read, when already read."""
    before = master.read_held() if held is None else list(held)
    rows = held_records(ledger, before)
    if _cells(rows) == _cells(before):
        return False
    master.write_held(rows)
    return True


def _cells(rows: Sequence[HeldRecord]) -> list[tuple[str, ...]]:
    """The rows as the sheet's cells read back (a date may come back as a datetime, a round as text)."""
    return [tuple(canonical(value) for value in astuple(row)) for row in rows]
