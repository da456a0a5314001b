"""The covering emails behind the Issue returns button (and the reminders behind Chase returns), as the Round
sheet's *Send returns as* says: into Outlook's Drafts folder on Windows when Outlook is there, else ``.eml``
drafts beside the returns (which any mail program opens as a draft), or none.

Whether Outlook is there is asked of the registry, without starting Outlook; when it is there but will not
take the drafts, the drafts are written as ``.eml`` files instead and the message says so, because the returns
are issued (and recorded) by then and must not go out without their emails.
"""

from __future__ import annotations

import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..app.returns import IssueReport
from ..app.rounds import ChaseReport
from ..core.errors import InputError
from ..core.model import Agency
from ..core.round import SendAs
from ..io.returns.eml import chase_text, draft_text

OUTLOOK_CLASS_KEY = r"Outlook.Application\CLSID"


@dataclass(frozen=True)
class Mail:
    eml: bool  # the use case writes an .eml draft beside each return
    outlook: bool  # the drafts go into Outlook instead
    note: str = ""  # why the emails are not what the Round sheet asked for


def mail_for(send_as: SendAs, outlook_available: Callable[[], bool] | None = None) -> Mail:
    if send_as == SendAs.NONE:
        return Mail(eml=False, outlook=False)
    if send_as == SendAs.EML:
        return Mail(eml=True, outlook=False)
    if (outlook_available or outlook_here)():
        return Mail(eml=False, outlook=True)
    return Mail(eml=True, outlook=False, note="Outlook is not on this computer, so the emails were written as .eml "
                                              "files in the folder chosen instead; open one to send it.")


def outlook_here() -> bool:
    """Windows, with pywin32 and Outlook installed (Outlook's COM class is registered); Outlook is not started."""
    if sys.platform != "win32" or importlib.util.find_spec("win32com") is None:
        return False
    import winreg  # noqa: PLC0415 - Windows only

    try:  # pragma: no cover - Windows only
        winreg.OpenKey(winreg.HKEY_CLASSES_ROOT, OUTLOOK_CLASS_KEY).Close()
    except OSError:  # pragma: no cover
        return False
    return True  # pragma: no cover


def issued_emails(report: IssueReport, mail: Mail) -> list[str]:
    """The emails of the returns just issued, as ``mail`` says; the sentences that tell the person where."""
    if not report.returns:
        return []
    if mail.note:
        return [mail.note]
    if mail.eml:
        return ["An email draft (.eml) is beside each return, ready to send."]
    if not mail.outlook:
        return []
    try:
        saved = draft_in_outlook(report)
    except outlook_failures():
        written = eml_drafts(report)
        return [f"Outlook did not take the email drafts, so {written} were written as .eml files beside the returns "
                f"instead (any Outlook did save are in its Drafts folder too)."]
    return [f"{saved} email drafts are in Outlook's Drafts folder, each with its return attached."]


def chased_emails(report: ChaseReport, mail: Mail, folder: Path) -> list[str]:
    """The reminders of the returns just chased, as ``mail`` says (``.eml`` drafts the use case wrote itself)."""
    if not report.chased:
        return []
    if mail.note:
        return [mail.note]
    if not mail.outlook:
        return []  # the .eml drafts are named by the chase's own message; with no emails there is nothing to say
    try:
        saved = reminders_in_outlook(report)
    except outlook_failures():
        written = eml_reminders(report, folder)
        return [f"Outlook did not take the reminders, so {written} were written as .eml files in {folder} instead "
                f"(any Outlook did save are in its Drafts folder too)."]
    return [f"{saved} reminder drafts are in Outlook's Drafts folder."]


def reminders_in_outlook(report: ChaseReport) -> int:
    from ..io.returns.outlook import Draft, save_to_outlook  # noqa: PLC0415 - Windows only

    drafts = []
    for item in report.chased:
        if item.reminder is not None:
            subject, body = chase_text(item.reminder, report.plan_name, report.signature)
            drafts.append(Draft(item.email, subject, body, None))
    return save_to_outlook(drafts)


def eml_reminders(report: ChaseReport, folder: Path) -> int:
    from ..io.returns.folder import ReturnFolder  # noqa: PLC0415

    files = ReturnFolder()
    files.prepare_folder(folder)
    reminders = [item.reminder for item in report.chased if item.reminder is not None]
    for reminder in reminders:
        files.write_chase(folder, reminder, report.plan_name, report.signature)
    return len(reminders)


def draft_in_outlook(report: IssueReport) -> int:
    """Save one draft per issued return in Outlook; returns how many were saved."""
    from ..io.returns.outlook import Draft, save_to_outlook  # noqa: PLC0415 - Windows only

    plan_name = report.plan_name or Path(report.plan).name
    drafts = []
    for item in report.returns:
        subject, body = draft_text(item.agency, item.contact, plan_name, report.due, report.encrypted,
                                   report.signature)
        drafts.append(Draft(item.email, subject, body, item.path))
    return save_to_outlook(drafts)


def eml_drafts(report: IssueReport) -> int:
    """An .eml draft beside each issued return (what the use case writes when asked for them)."""
    from ..io.returns.folder import ReturnFolder  # noqa: PLC0415

    files = ReturnFolder()
    plan_name = report.plan_name or Path(report.plan).name
    for item in report.returns:
        files.write_draft(item.path, Agency(item.agency, item.contact, item.email), plan_name, report.due,
                          report.encrypted, report.signature)
    return len(report.returns)


def outlook_failures() -> tuple[type[BaseException], ...]:
    """What Outlook's drafts can fail with: ragbook's refusal (no Outlook), a file, or any COM error."""
    try:
        from pywintypes import com_error  # noqa: PLC0415 - pywintypes comes with pywin32, on Windows
    except ImportError:
        return (InputError, OSError)
    return (InputError, OSError, com_error)  # pragma: no cover - Windows only
