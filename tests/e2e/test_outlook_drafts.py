"""The issued returns as drafts in Outlook (behind Issue returns, as the Round sheet asks): on Windows with Outlook only;
elsewhere, or when Outlook will not take them, .eml drafts beside the returns."""

from __future__ import annotations

import sys

import pytest

from ragbook.core.errors import InputError
from ragbook.ribbon.drafts import draft_in_outlook
from tests.helpers.returns import Cycle


@pytest.mark.skipif(sys.platform == "win32", reason="the message for machines without Outlook")
def test_outlook_drafts_explain_what_to_do_without_outlook(cycle: Cycle) -> None:
    with pytest.raises(InputError) as caught:
        draft_in_outlook(cycle.report)
    assert str(caught.value) == ("Outlook drafts need Windows with Outlook installed; write the drafts as .eml files "
                                 "instead (ragbook returns ... --eml) and open them in Outlook.")


@pytest.mark.excel
@pytest.mark.skipif(sys.platform != "win32", reason="needs Windows with Outlook")
def test_outlook_drafts_land_in_the_drafts_folder(cycle: Cycle) -> None:  # pragma: no cover - Windows only
    import win32com.client

    drafts = win32com.client.Dispatch("Outlook.Application").GetNamespace("MAPI").GetDefaultFolder(16)  # Drafts
    before = drafts.Items.Count
    assert draft_in_outlook(cycle.report) == len(cycle.report.returns)
    assert drafts.Items.Count == before + len(cycle.report.returns)


def test_the_round_sheet_chooses_the_emails_and_outlook_is_used_only_where_it_is():
    from ragbook.core.round import SendAs  # noqa: PLC0415
    from ragbook.ribbon.drafts import Mail, mail_for, outlook_here  # noqa: PLC0415

    assert mail_for(SendAs.OUTLOOK, lambda: True) == Mail(eml=False, outlook=True)
    assert mail_for(SendAs.OUTLOOK, lambda: False).eml and mail_for(SendAs.OUTLOOK, lambda: False).note
    assert mail_for(SendAs.EML, lambda: True) == Mail(eml=True, outlook=False)
    assert mail_for(SendAs.NONE, lambda: True) == Mail(eml=False, outlook=False)
    if sys.platform != "win32":
        assert outlook_here() is False  # asked without starting anything


@pytest.mark.skipif(sys.platform == "win32", reason="stands in for an Outlook that refuses, where there is none")
def test_outlook_that_does_not_take_the_drafts_leaves_eml_files_beside_the_returns(cycle: Cycle) -> None:
    from ragbook.ribbon.drafts import Mail, issued_emails  # noqa: PLC0415

    assert issued_emails(cycle.report, Mail(eml=False, outlook=True)) == [
        "Outlook did not take the email drafts, so 5 were written as .eml files beside the returns instead (any "
        "Outlook did save are in its Drafts folder too)."]
    for item in cycle.report.returns:
        assert item.path.with_suffix(".eml").read_bytes().startswith(b"To: ")
