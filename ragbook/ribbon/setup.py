"""The Help button: what each button does, and whether this computer is set up for them.

The VBA checks, before any Python runs, that the Python the workbook names exists with ragbook beside it
(``macros/Ribbon.bas``); once Python runs, Help checks what only Python can see: which Python it is, whether
the xlwings it has is the version the workbook's VBA belongs to (the two must match), ragbook's version, and
whether the master's folder can be written (the buttons put their lock file beside the master, and the
returns usually go there too). Each check is one line, and a line that finds a problem says what to do.

The web edition's Help (pressed without the VBA, so with no xlwings version to compare) shows the how-to
only: its Python and folders are the server's, not the person's.
"""

from __future__ import annotations

import sys
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from ..core.errors import InputError
from .asked import Asked
from .paths import master_file
from .ui import ExcelUi

HELP_TEXT = (
    "The Action Plan tab, left to right:\n"
    "\n"
    "Import plan: choose a plan (.docx, .txt, .csv or .xlsx); its actions go into the Register, and what "
    "extraction from Word or PDF broke is repaired and listed.\n"
    "Validate: every problem goes on the Exceptions sheet, and the cell gets a note (as at the Round sheet's "
    "Validate as at, else today).\n"
    "Apply colours: ratings are coloured from the Rating Index sheet (change a colour there and press it "
    "again).\n"
    "Issue returns: one workbook per agency In This Round (Agencies sheet), due as the Round sheet says, into a "
    "folder you choose, optionally password-protected, with the covering emails the Round sheet asks for.\n"
    "Chase returns: a reminder to every agency whose return is still pending near or past its due date.\n"
    "Re-issue return: a fresh copy of one agency's return (select its row on the Returns or Agencies sheet "
    "first), without starting a new round.\n"
    "Consolidate returns: choose the folder or the files of the returns that came back; valid updates go in "
    "with an audit trail, the rest are rejected or held with a reason, and the plan is validated again.\n"
    "Apply decisions: carries out the Accept or Reject typed on the Held Updates sheet.\n"
    "Refresh summary: rebuilds the Summary sheet.\n"
    "Board report: writes the report for the board as a Word document or a PDF; a report for publication is "
    "checked for personal data first.\n"
    "\n"
    "Save the workbook after a button has run. Every button is also a 'ragbook' command; run 'ragbook --help' "
    "in a terminal."
)


@dataclass(frozen=True)
class Check:
    ok: bool
    line: str


def help_message(checks: list[Check]) -> str:
    if not checks:
        return HELP_TEXT
    verdict = ("This computer is set up for the buttons:" if all(c.ok for c in checks)
               else "This computer's setup needs attention:")
    return HELP_TEXT + "\n\n" + verdict + "\n" + "\n".join(("- " if c.ok else "- PROBLEM: ") + c.line for c in checks)


def show_help(book: Any, asked: Asked, ui: ExcelUi, today: date | None = None) -> str:
    """The how-to and, pressed from the desktop (the VBA gives its xlwings version), this computer's setup."""
    if not asked.extra:
        return HELP_TEXT
    return help_message(setup_checks(asked.extra, workbook_folder_check(book)))


def setup_checks(built_for: str, folder: Check, *, installed: str | None = None) -> list[Check]:
    """The checks Help reports: the running Python, xlwings against ``built_for`` (the version of the
    workbook's xlwings VBA), ragbook's version and where it runs from, and ``folder`` (``folder_check``)."""
    return [
        Check(True, f"Python: {sys.executable}"),
        xlwings_check(built_for, installed if installed is not None else _xlwings_version()),
        Check(True, f"ragbook: {ragbook_version()}, from {Path(__file__).resolve().parents[1]}"),
        folder,
    ]


def workbook_folder_check(book: Any) -> Check:
    try:
        return folder_check(master_file(book))
    except InputError as refused:  # a OneDrive or SharePoint address with no synced copy here
        return Check(False, f"Folder: {refused}")


def xlwings_check(built_for: str, installed: str) -> Check:
    if built_for.strip() == installed:
        return Check(True, f"xlwings: {installed}, the version this workbook's macros belong to")
    return Check(False, f"xlwings: this Python has {installed}, but the workbook's macros belong to {built_for}; "
                        f"install xlwings {built_for} into this Python (pip install xlwings=={built_for}), or use "
                        f"the ragbook that came with this workbook.")


def folder_check(master: Path | None) -> Check:
    if master is None:
        return Check(True, "Folder: the workbook is not saved as a file on this computer, so no folder was "
                           "checked (save it in a folder first to share it with the 'ragbook' commands)")
    folder = master.parent
    if writable(folder):
        return Check(True, f"Folder: {folder} can be written")
    return Check(False, f"Folder: {folder} cannot be written, so the buttons cannot hold the workbook's lock "
                        f"there; save the workbook in a folder you can change (or ask for write access).")


def writable(folder: Path) -> bool:
    """Whether a file can be made in ``folder``: tried, because permissions on a share say little."""
    try:
        with tempfile.TemporaryFile(dir=folder, prefix=".ragbook-check-"):
            return True
    except OSError:
        return False


def _xlwings_version() -> str:
    import xlwings  # noqa: PLC0415 - only a press needs it

    return str(xlwings.__version__)


def ragbook_version() -> str:
    from importlib.metadata import PackageNotFoundError, version  # noqa: PLC0415

    try:
        return version("ragbook")
    except PackageNotFoundError:
        return "not installed as a package (run from a checkout)"
