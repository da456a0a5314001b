"""Ready-to-send email drafts: an ``.eml`` with ``X-Unsent: 1`` opens in Outlook as an editable draft."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Sequence

from ...core.settings import DEFAULT_SETTINGS

XLSX_TYPE = ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def draft_text(agency: str, contact: str, plan: str, due: date | None, encrypted: bool,
               signature: Sequence[str] | None = None) -> tuple[str, str]:
    """(subject, body) of the standard covering email, signed with ``signature`` (the Settings sheet's
    ``Settings.signature()``: contact, business unit, partnership, email), else by the business unit."""
    due_text = f"by {due:%A %d %B %Y}" if due else "as soon as you can"
    subject = f"Action plan return for {agency}" + (f" - due {due:%d/%m/%Y}" if due else "")
    greeting = f"Dear {contact}," if contact else "Dear colleague,"
    lines = [
        greeting,
        "",
        f"Please find attached your agency's return for the multi-agency action plan {plan}. It lists the "
        f"actions {agency} leads or shares.",
        "",
        "Please open it in Excel, read the Instructions sheet, fill in the yellow columns on the Actions sheet "
        f"(new rating, progress, evidence, revised date if needed, your name), save it, and send it back {due_text}.",
        "",
        "Please do not add, delete or move rows or columns: changed returns cannot be accepted.",
    ]
    if encrypted:
        lines += ["", "The file is password-protected; we will send the password separately."]
    lines += ["", "Thank you for your agency's contribution.", ""]
    lines += list(signature or DEFAULT_SETTINGS.signature())
    return subject, "\n".join(lines) + "\n"


def write_draft(path: Path, to: str, subject: str, body: str, attachment: Path) -> Path:
    message = EmailMessage(policy=SMTP)
    if to:
        message["To"] = to
    message["Subject"] = subject
    message["X-Unsent"] = "1"  # Outlook opens the file as a draft to send, not as a received message
    message.set_content(body)
    message.add_attachment(attachment.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1],
                           filename=attachment.name)
    path.write_bytes(message.as_bytes())
    return path
