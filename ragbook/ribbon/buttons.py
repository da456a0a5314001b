"""The ribbon's buttons: each calling the same use case as its ``ragbook`` command, and what runs them alike.

A button function (in ``plan``, ``rounds``, ``reports`` and ``setup`` beside this module) takes the live
workbook (an ``xlwings.Book``), what the VBA asked the person for (``asked.Asked``: the file, folder or files,
the password file, one more answer) and the ``ExcelUi``, and returns the sentence to show. ``run_button`` wraps
every button alike: the status bar while it works, and any ``RagbookError`` as a message box with the same one
sentence the command line prints, never a Python traceback.

Every button imports its use case, and the live workbook's adapter, only when pressed: importing this module
(which every press does, in a new Python unless xlwings' UDF server keeps one warm) loads no use case and no
file-format library. Nothing here, nor in what a button imports, keeps the workbook's state between presses:
each press wraps the calling workbook afresh (``LiveMaster``) and reads what it needs from it, so a press in a
Python kept warm sees the workbook as it is now.

A button that changes the workbook holds the master's lock (``io.master.lock``) while it works, when the open
workbook is a file on this computer or a share (or a OneDrive or SharePoint address synced to one, see
``paths``), so that a ``ragbook`` command run elsewhere meanwhile waits or is refused rather than interleaving
its save with the button's changes. A workbook that is not a file (xlwings' remote engine) has no lock file to
share, and is worked on without one.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import date
from typing import Any, Callable, Sequence

from .. import present
from ..core.errors import InputError
from ..io.master.lock import MasterLock
from . import plan, reports, rounds
from .asked import Asked
from .paths import master_file
from .setup import HELP_TEXT, show_help
from .ui import ExcelUi

__all__ = ["BUTTONS", "HELP_TEXT", "Button", "press", "run_button"]

HOW_TO_SEE_DETAILS = ("Run the matching 'ragbook' command in a terminal with RAGBOOK_DEBUG=1 to see the "
                      "details.")


@dataclass(frozen=True)
class Button:
    key: str
    label: str
    work: Callable[[Any, Asked, ExcelUi, date | None], str]
    writes: bool = True  # changes the open workbook, so holds the master's lock while it works

    def run(self, book: Any, chosen: str | Sequence[str], ui: ExcelUi, today: date | None = None, *,
            password_file: str = "", extra: str = "") -> str:
        """The button on ``book`` with what the VBA's dialogs gave (the web edition gives ``chosen`` only)."""
        return self.work(book, Asked.of(chosen, password_file, extra), ui, today)


BUTTONS = {
    button.key: button
    for button in (
        Button("import_plan", "Import plan", plan.import_plan),
        Button("validate", "Validate", plan.validate),
        Button("apply_colours", "Apply colours", plan.apply_colours),
        Button("issue_returns", "Issue returns", rounds.issue_returns),
        Button("chase_returns", "Chase returns", rounds.chase_returns),
        Button("reissue_return", "Re-issue return", rounds.reissue_return),
        Button("consolidate_returns", "Consolidate returns", rounds.consolidate_returns),
        Button("apply_decisions", "Apply decisions", rounds.apply_decisions),
        Button("refresh_summary", "Refresh summary", reports.refresh_summary),
        # A report for publication lists the personal-data check's findings on the Exceptions sheet.
        Button("board_report", "Board report", reports.board_report),
        Button("help", "Help", show_help, writes=False),
    )
}


def run_button(book: Any, key: str, chosen: str | Sequence[str] = "", *, password_file: str = "", extra: str = "",
               today: date | None = None) -> str | None:
    """Run one button on ``book`` and show its outcome; returns the sentence shown (None if it failed)."""
    ui = ExcelUi(book)
    button = BUTTONS.get(key)
    try:
        if button is None:
            raise InputError(f"The ribbon asked for {key!r}, which this version of ragbook does not have; "
                             f"update ragbook and the workbook together.")
        with _lock(book, button):
            text = button.run(book, chosen, ui, today, password_file=password_file, extra=extra)
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
    path = master_file(book)
    return MasterLock(path, f"the {button.label} button in Excel") if path is not None else nullcontext()


def press(key: str, chosen: str | Sequence[str] = "", password_file: str = "", extra: str = "") -> None:
    """What the ribbon runs: the button ``key`` on the workbook that called (``xlwings.Book.caller()``)."""
    import xlwings as xw  # noqa: PLC0415 - only a press needs Excel

    run_button(xw.Book.caller(), key, chosen, password_file=password_file, extra=extra)
