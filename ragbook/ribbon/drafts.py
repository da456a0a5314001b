"""The Issue returns button's extra on Windows: one email draft per return, in Outlook's Drafts folder."""

from __future__ import annotations

from pathlib import Path

from ..app.returns import IssueReport
from ..io.returns.eml import draft_text


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
