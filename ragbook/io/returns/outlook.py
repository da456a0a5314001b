"""Email drafts straight into Outlook's Drafts folder (Windows with Outlook only), behind the ribbon button.

The command line writes ``.eml`` drafts instead (``--eml``), which work everywhere; this is the same draft,
made by Outlook itself through its COM interface (pywin32 ships with xlwings on Windows).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from ...core.errors import InputError

OL_MAIL_ITEM = 0


@dataclass(frozen=True)
class Draft:
    to: str
    subject: str
    body: str
    attachment: Path | None  # a reminder has none


def save_to_outlook(drafts: Sequence[Draft]) -> int:
    """Save each draft in Outlook's Drafts folder; returns how many were saved."""
    try:
        import win32com.client  # noqa: PLC0415 - Windows only
    except ImportError:
        raise InputError("Outlook drafts need Windows with Outlook installed; write the drafts as .eml files "
                         "instead (ragbook returns ... --eml) and open them in Outlook.") from None
    try:
        outlook = win32com.client.Dispatch("Outlook.Application")
    except Exception as exc:  # noqa: BLE001 - COM reports every failure to start Outlook as its own error class
        raise InputError(f"Outlook could not be started ({exc}); write .eml drafts instead (--eml).") from None
    for draft in drafts:
        mail = outlook.CreateItem(OL_MAIL_ITEM)
        mail.To = draft.to
        mail.Subject = draft.subject
        mail.Body = draft.body
        if draft.attachment is not None:
            mail.Attachments.Add(str(draft.attachment.resolve()))
        mail.Save()  # an unsent item that is saved goes to the Drafts folder
    return len(drafts)
