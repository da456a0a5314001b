"""Ready-to-send email drafts: an ``.eml`` with ``X-Unsent: 1`` opens in Outlook as an editable draft."""

from __future__ import annotations

from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path
from typing import Sequence

from ...core.chase import Reminder
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


def chase_text(reminder: Reminder, plan: str, signature: Sequence[str] | None = None) -> tuple[str, str]:
    """(subject, body) of the reminder to an agency whose return is still awaited: the return, when it is or
    was due, and each action still awaited by its ref and a short text; signed as the covering email is."""
    agency = reminder.agency
    subject = f"Reminder: {plan} - return for {agency.name} due {reminder.due:%d/%m/%Y}"
    days = abs(reminder.overdue)
    when = (f"was due on {reminder.due:%A %d %B %Y}, {days} day{'s' if days != 1 else ''} ago"
            if reminder.overdue > 0 else f"is due today, {reminder.due:%A %d %B %Y}" if reminder.overdue == 0
            else f"is due on {reminder.due:%A %d %B %Y}, in {days} day{'s' if days != 1 else ''}")
    named = f" ({reminder.file})" if reminder.file else ""
    lines = [
        f"Dear {agency.contact}," if agency.contact else "Dear colleague,",
        "",
        f"This is a reminder that {agency.name}'s return {reminder.return_id}{named} for the multi-agency action "
        f"plan {plan} {when}.",
    ]
    if reminder.refused:
        lines += ["", "The copy we received could not be accepted (we wrote to say why); please fill in the return "
                      "you were sent and send it back."]
    lines += ["", f"We are still waiting for your update on {len(reminder.awaited)} action"
                  f"{'s' if len(reminder.awaited) != 1 else ''}:"]
    lines += [f"- {item.label}: {item.action}" if item.action else f"- {item.label}" for item in reminder.awaited]
    lines += ["", "If you no longer have the return, or it should go to someone else, reply to this email and we "
                  "will send it again.", "", "Thank you.", ""]
    lines += list(signature or DEFAULT_SETTINGS.signature())
    return subject, "\n".join(lines) + "\n"


def write_draft(path: Path, to: str, subject: str, body: str, attachment: Path | None) -> Path:
    """An unsent email at ``path``, with ``attachment`` (a reminder has none)."""
    message = EmailMessage(policy=SMTP)
    if to:
        message["To"] = to
    message["Subject"] = subject
    message["X-Unsent"] = "1"  # Outlook opens the file as a draft to send, not as a received message
    message.set_content(body)
    if attachment is not None:
        message.add_attachment(attachment.read_bytes(), maintype=XLSX_TYPE[0], subtype=XLSX_TYPE[1],
                               filename=attachment.name)
    path.write_bytes(message.as_bytes())
    return path
