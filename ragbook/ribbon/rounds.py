"""The Returns and Review groups' buttons: Issue returns, Chase returns, Re-issue return, Consolidate returns,
Apply decisions.

Each takes what the VBA asked for (a folder or files, the file holding a password, the agency), reads the
round's settings from the Round sheet (due date, how emails go out), runs the use case its ``ragbook`` command
runs on the live workbook, and returns the command's sentences with what only a button adds (where the email
drafts went, what to do about a return it could not open).
"""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Any, Sequence

from .. import present
from ..core.errors import InputError, RagbookError
from ..core.sheets import AGENCIES, RETURNS
from .asked import Asked, live
from .ui import ExcelUi

AGENCY_HEADER = "Agency"  # the column naming the agency on both sheets a re-issue can be chosen from


def issue_returns(book: Any, asked: Asked, ui: ExcelUi, today: date | None = None) -> str:
    """To the agencies In This Round, due as the Round sheet says (else at the end of the quarter)."""
    from ..app.returns import issue_returns as issue  # noqa: PLC0415 - the returns cycle loads only when pressed
    from ..io.returns.folder import ReturnFolder  # noqa: PLC0415
    from .drafts import issued_emails, mail_for  # noqa: PLC0415

    folder, password = asked.path("folder for the returns"), asked.password()
    master = live(book)
    mail = mail_for(master.read_round().send_as)
    ui.status("Action Plan: writing one return per agency...")
    report = issue(master, ReturnFolder(), folder, password=password, eml=mail.eml, today=today)
    return _joined(present.issue_message(report), issued_emails(report, mail))


def chase_returns(book: Any, asked: Asked, ui: ExcelUi, today: date | None = None) -> str:
    """A reminder to every agency still pending near or past its due date (the Round sheet says how near)."""
    from ..app.rounds import chase_returns as chase  # noqa: PLC0415
    from ..io.returns.folder import ReturnFolder  # noqa: PLC0415
    from .drafts import chased_emails, mail_for  # noqa: PLC0415

    folder = asked.path("folder for the reminders")
    master = live(book)
    mail = mail_for(master.read_round().send_as)
    ui.status("Action Plan: chasing the returns still awaited...")
    report = chase(master, ReturnFolder(), folder, today=today, eml=mail.eml)
    return _joined(present.chase_message(report), chased_emails(report, mail, folder))


def reissue_return(book: Any, asked: Asked, ui: ExcelUi, today: date | None = None) -> str:
    """One agency's return again, in the current round: the agency typed in the VBA's box, else the one in the
    selected row of the Returns or Agencies sheet (the web edition, which has no box)."""
    from ..app.rounds import reissue_return as reissue  # noqa: PLC0415
    from ..io.returns.folder import ReturnFolder  # noqa: PLC0415
    from .drafts import issued_emails, mail_for  # noqa: PLC0415

    folder, password = asked.path("folder for the return"), asked.password()
    master = live(book)
    agency = asked.extra.strip() or selected_agency(book, master)
    if not agency:
        raise InputError(f"No agency was chosen; select the agency's row on the {RETURNS} or {AGENCIES} sheet, "
                         f"then press Re-issue return again.")
    mail = mail_for(master.read_round().send_as)
    ui.status(f"Action Plan: issuing {agency}'s return again...")
    report = reissue(master, ReturnFolder(), folder, agency, password=password, eml=mail.eml, today=today)
    return _joined(present.reissue_message(report), issued_emails(report, mail))


def consolidate_returns(book: Any, asked: Asked, ui: ExcelUi, today: date | None = None) -> str:
    """The returns in the folder, or the files, chosen. Without a password, a protected return is left unread
    (a rejection would mark it on the Returns sheet) and the message says to press again with the password."""
    from ..app.returns import consolidate_returns as consolidate  # noqa: PLC0415
    from ..io.returns.folder import ReturnFolder  # noqa: PLC0415

    files = ReturnFolder()
    paths, password = asked.paths("folder or files of returns"), asked.password()
    locked: list[Path] = []
    if not password:
        found = files.find(paths)
        locked = protected(found)
        if locked:
            paths = [p for p in found if p not in locked]
            if not paths:
                return _password_needed(locked)
    ui.status("Action Plan: reading the returns...")
    report = consolidate(live(book), files, paths, password=password, today=today)
    return _joined(present.consolidation_message(report), [_password_needed(locked)] if locked else [])


def apply_decisions(book: Any, asked: Asked, ui: ExcelUi, today: date | None = None) -> str:
    from ..app.decisions import apply_decisions as decide  # noqa: PLC0415

    ui.status("Action Plan: applying the decisions on the Held Updates sheet...")
    return present.decision_message(decide(live(book), who=who_pressed(), today=today))


# ---------------------------------------------------------------------------- what the buttons share
def who_pressed() -> str:
    """The Windows or Mac account's name, as the Audit Log names who decided (the VBA and Python run as one
    user on the desktop)."""
    try:
        return getpass.getuser()
    except (OSError, KeyError, ImportError):  # no login name in the environment nor the password database
        return ""


def selected_agency(book: Any, master: Any) -> str:
    """The agency named in the row selected on the Returns or Agencies sheet; "" when the selection is elsewhere."""
    try:
        selection = book.selection
        sheet, row = selection.sheet.name, selection.row
    except (AttributeError, NotImplementedError, IndexError):  # nothing selected (a chart sheet, a closed window)
        return ""
    if sheet not in (RETURNS, AGENCIES) or row < 2:
        return ""
    values = master.values(sheet)  # the block the use case reads too: one read of the sheet
    if not values or AGENCY_HEADER not in values[0] or row > len(values):
        return ""
    return str(values[row - 1][values[0].index(AGENCY_HEADER)] or "").strip()


def protected(paths: Sequence[Path]) -> list[Path]:
    """The returns among ``paths`` that are password-protected (an encrypted Office file)."""
    from ..io.ooxml.kinds import ENCRYPTED_OLE, OLE_MAGIC, sniff  # noqa: PLC0415

    found = []
    for path in paths:
        try:
            with open(path, "rb") as handle:
                is_ole = handle.read(len(OLE_MAGIC)) == OLE_MAGIC
            if is_ole and sniff(path).kind == ENCRYPTED_OLE:
                found.append(path)
        except (OSError, RagbookError):
            continue  # consolidation itself refuses it, with the reason
    return found


def _password_needed(locked: Sequence[Path]) -> str:
    names = ", ".join(p.name for p in locked)
    return (f"{len(locked)} returns are protected with a password and were not read ({names}); press Consolidate "
            f"returns again and answer Yes when asked whether any are protected with a password.")


def _joined(first: str, *more: Sequence[str]) -> str:
    return "\n".join([first, *[line for lines in more for line in lines]])
