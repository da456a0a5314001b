"""The issued returns as drafts in Outlook (the ribbon's Email drafts button): on Windows with Outlook only."""

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
