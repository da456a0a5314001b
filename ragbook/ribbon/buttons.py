"""One small function per ribbon button, each calling the same use case as its ``ragbook`` command.

A button function takes the live workbook (an ``xlwings.Book``), the file or folder the VBA asked for
(empty when the button asks for nothing) and the ``ExcelUi``, and returns the sentence to show. ``run_button``
wraps every button alike: the status bar while it works, and any ``RagbookError`` as a message box with the
same one sentence the command line prints, never a Python traceback.

Every button imports its use case, and the live workbook's adapter, only when pressed: importing this module
(which every press does, in a new Python unless xlwings' UDF server keeps one warm) loads no use case and no
file-format library. Nothing here, nor in what a button imports, keeps the workbook's state between presses:
each press wraps the calling workbook afresh (``LiveMaster``) and reads what it needs from it, so a press in a
Python kept warm sees the workbook as it is now.

A button that changes the workbook holds the master's lock (``io.master.lock``) while it works, when the open
workbook is a file on this computer or a share, so that a ``ragbook`` command run elsewhere meanwhile waits or
is refused rather than interleaving its save with the button's changes. A workbook that is not a file path (a
web address, or xlwings' remote engine) has no lock file to share, and is worked on without one.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Callable

from .. import present
from ..core.errors import InputError
from ..io.master.lock import MasterLock
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
    writes: bool = True  # changes the open workbook, so holds the master's lock while it works


def _needs(chosen: str, what: str) -> Path:
    if not chosen:
        raise InputError(f"No {what} was chosen; press the button again and choose one.")
    return Path(chosen)


def _live(book: Any) -> Any:
    """The calling workbook as a ``ports.Master`` (loaded on a press, not when the ribbon's module is)."""
    from ..io.live.master import LiveMaster  # noqa: PLC0415

    return LiveMaster(book)


def import_plan(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..app import plan  # noqa: PLC0415 - each button loads its use case when pressed
    from ..io.importers import PlanFiles  # noqa: PLC0415 - only this button reads plan files

    source = _needs(chosen, "plan to import")
    ui.status(f"Action Plan: importing {source.name}...")
    report = plan.import_into(_live(book), PlanFiles(), source)
    return present.import_message(report)


def validate(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..app import plan  # noqa: PLC0415

    ui.status("Action Plan: validating every action...")
    return present.validation_sentence(plan.validate_master(_live(book), today))


def apply_colours(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..app import plan  # noqa: PLC0415

    ui.status("Action Plan: colouring the ratings...")
    return present.colour_sentence(plan.colour_master(_live(book)))


def issue_returns(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..app.returns import issue_returns as issue  # noqa: PLC0415 - the returns cycle loads only when pressed
    from ..io.returns.folder import ReturnFolder  # noqa: PLC0415

    folder = _needs(chosen, "folder for the returns")
    ui.status("Action Plan: writing one return per agency...")
    return present.issue_message(issue(_live(book), ReturnFolder(), folder, today=today))


def consolidate_returns(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..app.returns import consolidate_returns as consolidate  # noqa: PLC0415
    from ..io.returns.folder import ReturnFolder  # noqa: PLC0415

    folder = _needs(chosen, "folder of returns")
    ui.status("Action Plan: reading the returns...")
    return present.consolidation_message(consolidate(_live(book), ReturnFolder(), [folder], today=today))


def refresh_summary(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..app.reports import refresh_summary as refresh  # noqa: PLC0415

    ui.status("Action Plan: rebuilding the Summary sheet...")
    refresh(_live(book), today=today)
    return "Summary refreshed."


def board_report(book: Any, chosen: str, ui: ExcelUi, today: date | None = None) -> str:
    from ..app.reports import board_report as write_report  # noqa: PLC0415
    from ..io.reports.writer import BoardReportFile  # noqa: PLC0415

    out = _needs(chosen, "file for the board report")
    if out.suffix.lower() != ".docx":
        out = out.with_suffix(".docx")
    ui.status("Action Plan: writing the board report...")
    write_report(_live(book), BoardReportFile(), out, today=today)
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
        Button("board_report", "Board report", board_report, writes=False),
        Button("help", "Help", show_help, writes=False),
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
        with _lock(book, button):
            text = button.run(book, chosen, ui, today)
    except Exception as exc:  # noqa: BLE001 - an entry point: a person must never get a traceback dialog
        ui.message(present.failure(exc, HOW_TO_SEE_DETAILS)[0], error=True)
        return None
    finally:
        ui.status(False)
    ui.message(text)
    return text


def _lock(book: Any, button: Button) -> AbstractContextManager[object]:
    """The master's lock for a button that writes into a workbook that is a file here; else nothing to hold."""
    if not button.writes:
        return nullcontext()
    try:
        path = Path(str(book.fullname))
        is_file = path.is_absolute() and path.is_file()
    except (OSError, ValueError):
        is_file = False
    return MasterLock(path, f"the {button.label} button in Excel") if is_file else nullcontext()


def press(key: str, chosen: str = "") -> None:
    """What the ribbon runs: the button ``key`` on the workbook that called (``xlwings.Book.caller()``)."""
    import xlwings as xw  # noqa: PLC0415 - only a button press needs Excel

    run_button(xw.Book.caller(), key, chosen)
