"""The Plan group's buttons: Import plan, Validate, Apply colours.

Each is a few lines: what the VBA asked for, the use case its ``ragbook`` command runs, on the live workbook,
and the sentence the command would print. Each imports its use case only when pressed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from .. import present
from .asked import Asked, live
from .ui import ExcelUi


def import_plan(book: Any, asked: Asked, ui: ExcelUi, today: date | None = None) -> str:
    from ..app import plan  # noqa: PLC0415 - each button loads its use case when pressed
    from ..io.importers import PlanFiles  # noqa: PLC0415 - only this button reads plan files

    source = asked.path("plan to import")
    ui.status(f"Action Plan: importing {source.name}...")
    return present.import_message(plan.import_into(live(book), PlanFiles(), source))


def validate(book: Any, asked: Asked, ui: ExcelUi, today: date | None = None) -> str:
    """As at the Round sheet's Validate as at, when the team set one; else as at today."""
    from ..app import plan  # noqa: PLC0415

    master = live(book)
    ui.status("Action Plan: validating every action...")
    return present.validation_sentence(plan.validate_master(master, master.read_round().validate_as_at or today))


def apply_colours(book: Any, asked: Asked, ui: ExcelUi, today: date | None = None) -> str:
    from ..app import plan  # noqa: PLC0415

    ui.status("Action Plan: colouring the ratings...")
    return present.colour_sentence(plan.colour_master(live(book)))
