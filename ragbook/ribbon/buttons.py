"""One small function per ribbon button, each calling the same use case as its ``ragbook`` command.

A button function takes the live workbook (an ``xlwings.Book``), the file or folder the VBA asked for
(empty when the button asks for nothing) and the ``ExcelUi``, and returns the sentence to show. ``run_button``
wraps every button alike: the status bar while it works, and any ``RagbookError`` as a message box with the
same one sentence the command line prints, never a Python traceback.

Returns and reports (issue returns, consolidate, refresh summary, board report) are built in their own
modules; their buttons import them only when pressed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from .. import services
from ..core.errors import InputError, RagbookError
from ..io.live.master import LiveMaster
from .ui import ExcelUi

HELP_TEXT = (
    "The Action Plan tab, left to right:\n"
    "\n"
    "Import plan: choose a plan (.docx, .txt, .csv or .xlsx); its actions go into the Register, and what "
    "extraction from Word or PDF broke is repaired and listed.\n"
    "Validate: every problem goes on the Exceptions sheet, and the cell gets a note.\n"
    "Apply colours: ratings are coloured from the Rating Index sheet (change a colour there and press it "
    "again).\n"
    "Issue returns: one workbook per agency, with only its actions, into a folder you choose.\n"
    "Consolidate returns: choose the folder of returns that came back; valid updates go in with an audit "
    "trail, the rest are rejected with a reason.\n"
    "Refresh summary: rebuilds the Summary sheet.\n"
    "Board report: writes the report for the board as a Word document.\n"
    "\n"
    "Save the workbook after a button has run. Every button is also a 'ragbook' command; run 'ragbook --help' "
    "in a terminal."
)


@dataclass(frozen=True)
class Button:
    key: str
    label: str
    run: Callable[[Any, str, ExcelUi, date | None], str]


def _needs(chosen: str, what: str) -> Path:
    if not chosen:
        raise InputError(f"No {what} was chosen; press the button again and choose one.")
    return Path(chosen)


def import_plan(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    source = _needs(chosen, "plan to import")
    ui.status(f"Action Plan: importing {source.name}...")
    report = services.import_into(LiveMaster(book), source)
    lines = [f"Imported {report.actions} actions of {report.review!r} from {source.name}: {report.added} added, "
             f"{report.updated} updated, {report.unchanged} unchanged."]
    if report.repairs:
        lines.append(f"{len(report.repairs)} repairs of what extraction broke, for example:")
        lines.extend(f"- {repair}" for repair in report.repairs[:5])
    if report.index_differences:
        lines.append("The source's rating index differs from this workbook's; this workbook's was kept.")
    return "\n".join(lines)


def validate(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    ui.status("Action Plan: validating every action...")
    report = services.validate_master(LiveMaster(book), today)
    return (f"{report.plan}: {report.actions} actions checked, {report.errors} errors, {report.warnings} warnings; "
            f"listed on the Exceptions sheet, {report.marked_cells} cells marked with a note.")


def apply_colours(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    ui.status("Action Plan: colouring the ratings...")
    report = services.colour_master(LiveMaster(book))
    counts = ", ".join(f"{count} {label}" for label, count in report.counts.items()) or "no actions"
    return f"Coloured the ratings of {report.plan}: {counts}."


def issue_returns(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..returns_cycle import issue_returns as issue  # noqa: PLC0415 - built in its own module

    folder = _needs(chosen, "folder for the returns")
    ui.status("Action Plan: writing one return per agency...")
    result = issue(LiveMaster(book), folder, today=today)
    return _outcome(f"Returns written to {folder}", result)


def consolidate_returns(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..returns_cycle import consolidate_returns as consolidate  # noqa: PLC0415

    folder = _needs(chosen, "folder of returns")
    ui.status("Action Plan: reading the returns...")
    result = consolidate(LiveMaster(book), [folder], today=today)
    return _outcome(f"Returns in {folder} consolidated", result)


def refresh_summary(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..reporting import refresh_summary as refresh  # noqa: PLC0415

    ui.status("Action Plan: rebuilding the Summary sheet...")
    result = refresh(LiveMaster(book), today=today)
    return _outcome("Summary refreshed", result)


def board_report(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..reporting import board_report as write_report  # noqa: PLC0415

    out = _needs(chosen, "file for the board report")
    if out.suffix.lower() != ".docx":
        out = out.with_suffix(".docx")
    ui.status("Action Plan: writing the board report...")
    result = write_report(LiveMaster(book), out, today=today)
    return _outcome(f"Board report written to {out}", result)


def show_help(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    return HELP_TEXT


def _outcome(done: str, result: object) -> str:
    """The use case's own summary where it gives one (``message`` or ``summary``), else what was done."""
    for attribute in ("message", "summary"):
        text = getattr(result, attribute, None)
        if callable(text):
            text = text()
        if isinstance(text, str) and text:
            return text
    return f"{done}."


BUTTONS = {
    button.key: button
    for button in (
        Button("import_plan", "Import plan", import_plan),
        Button("validate", "Validate", validate),
        Button("apply_colours", "Apply colours", apply_colours),
        Button("issue_returns", "Issue returns", issue_returns),
        Button("consolidate_returns", "Consolidate returns", consolidate_returns),
        Button("refresh_summary", "Refresh summary", refresh_summary),
        Button("board_report", "Board report", board_report),
        Button("help", "Help", show_help),
    )
}


def run_button(book: Any, key: str, chosen: str = "", *, today: date | None = None) -> str | None:
    """Run one button on ``book`` and show its outcome; returns the sentence shown (None if it failed)."""
    ui = ExcelUi(book)
    button = BUTTONS.get(key)
    try:
        if button is None:
            raise InputError(f"The ribbon asked for {key!r}, which this version of ragbook does not have; "
                             f"update ragbook and the workbook together.")
        text = button.run(book, chosen, ui, today)
    except RagbookError as exc:
        ui.message(str(exc), error=True)
        return None
    except Exception as exc:  # noqa: BLE001 - an entry point: a person must never get a traceback dialog
        if os.environ.get("RAGBOOK_DEBUG"):
            raise
        ui.message(f"ragbook failed unexpectedly ({exc.__class__.__name__}: {exc}); "
                   f"Run the matching 'ragbook' command in a terminal with RAGBOOK_DEBUG=1 to see the details.",
                   error=True)
        return None
    finally:
        ui.status(False)
    ui.message(text)
    return text


def press(key: str, chosen: str = "") -> None:
    """What the ribbon runs: the button ``key`` on the workbook that called (``xlwings.Book.caller()``)."""
    import xlwings as xw  # noqa: PLC0415 - only a button press needs Excel

    run_button(xw.Book.caller(), key, chosen)
