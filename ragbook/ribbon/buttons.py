"""One small function per ribbon button, each calling the same use case as its ``ragbook`` command.

A button function takes the live workbook (an ``xlwings.Book``), the file or folder the VBA asked for
(empty when the button asks for nothing) and the ``ExcelUi``, and returns the sentence to show. ``run_button``
wraps every button alike: the status bar while it works, and any ``RagbookError`` as a message box with the
same one sentence the command line prints, never a Python traceback.

Returns and reports (issue returns, consolidate, refresh summary, board report) are use cases of their own
modules (``app.returns``, ``app.reports``); their buttons import them only when pressed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from .. import present
from ..app import plan
from ..core.errors import InputError
from ..io.live.master import LiveMaster
from .ui import ExcelUi

HOW_TO_SEE_DETAILS = ("Run the matching 'ragbook' command in a terminal with RAGBOOK_DEBUG=1 to see the "
                      "details.")

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
    from ..io.importers import PlanFiles  # noqa: PLC0415 - only this button reads plan files

    source = _needs(chosen, "plan to import")
    ui.status(f"Action Plan: importing {source.name}...")
    report = plan.import_into(LiveMaster(book), PlanFiles(), source)
    return present.import_message(report)


def validate(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    ui.status("Action Plan: validating every action...")
    return present.validation_sentence(plan.validate_master(LiveMaster(book), today))


def apply_colours(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    ui.status("Action Plan: colouring the ratings...")
    return present.colour_sentence(plan.colour_master(LiveMaster(book)))


def issue_returns(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..app.returns import issue_returns as issue  # noqa: PLC0415 - the returns cycle loads only when pressed
    from ..io.returns.folder import ReturnFolder  # noqa: PLC0415

    folder = _needs(chosen, "folder for the returns")
    ui.status("Action Plan: writing one return per agency...")
    return present.issue_message(issue(LiveMaster(book), ReturnFolder(), folder, today=today))


def consolidate_returns(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..app.returns import consolidate_returns as consolidate  # noqa: PLC0415
    from ..io.returns.folder import ReturnFolder  # noqa: PLC0415

    folder = _needs(chosen, "folder of returns")
    ui.status("Action Plan: reading the returns...")
    return present.consolidation_message(consolidate(LiveMaster(book), ReturnFolder(), [folder], today=today))


def refresh_summary(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..app.reports import refresh_summary as refresh  # noqa: PLC0415

    ui.status("Action Plan: rebuilding the Summary sheet...")
    refresh(LiveMaster(book), today=today)
    return "Summary refreshed."


def board_report(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..app.reports import board_report as write_report  # noqa: PLC0415
    from ..io.reports.writer import BoardReportFile  # noqa: PLC0415

    out = _needs(chosen, "file for the board report")
    if out.suffix.lower() != ".docx":
        out = out.with_suffix(".docx")
    ui.status("Action Plan: writing the board report...")
    write_report(LiveMaster(book), BoardReportFile(), out, today=today)
    return f"Board report written to {out}."


def show_help(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    return HELP_TEXT


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
    except Exception as exc:  # noqa: BLE001 - an entry point: a person must never get a traceback dialog
        ui.message(present.failure(exc, HOW_TO_SEE_DETAILS)[0], error=True)
        return None
    finally:
        ui.status(False)
    ui.message(text)
    return text


def press(key: str, chosen: str = "") -> None:
    """What the ribbon runs: the button ``key`` on the workbook that called (``xlwings.Book.caller()``)."""
    import xlwings as xw  # noqa: PLC0415 - only a button press needs Excel

    run_button(xw.Book.caller(), key, chosen)
