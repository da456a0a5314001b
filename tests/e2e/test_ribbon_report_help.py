"""The Board report button's two editions (Word or PDF) and its personal-data check with an explicit confirmation,
and the Help button's setup checks, on xlwings' remote engine; a workbook opened by its OneDrive address works on
the synced file (its lock, Help's folder check)."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import pytest
import xlwings as xw

from ragbook import commands
from ragbook.io.master.lock import lock_path
from ragbook.io.plans import FilePlans
from ragbook.io.sheets import contract as c
from ragbook.ribbon import BUTTONS, Button, run_button
from ragbook.ribbon.setup import HELP_TEXT, folder_check
from tests.helpers.officejs import payload_of, press
from tests.helpers.sheets import sheet_rows

TODAY = date(2021, 4, 1)
EMAIL = "jo.bloggs@gmail.com"


@pytest.fixture
def personal(maintained) -> Path:
    """The master with an email address in one action's progress: what must not be published unreviewed."""
    with FilePlans(maintained).editing() as master:
        register = master.read_register()
        register.actions[0] = register.actions[0].with_changes(progress=f"Agreed with {EMAIL} at the meeting.")
        master.write_register(register)
    return maintained


def report_text(path: Path) -> list[str]:
    docx = pytest.importorskip("docx")
    document = docx.Document(str(path))
    return [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]


def personal_data_rows(plan: Path) -> list[dict]:
    return [row for row in sheet_rows(plan, c.EXCEPTIONS) if row["Rule"] == "personal-data"]


# ---------------------------------------------------------------------------- board report
def test_a_report_for_publication_with_nothing_found_is_written_as_the_command_writes_it(maintained, tmp_path):
    cli_report = tmp_path / "cli.docx"
    commands.report_plan(maintained, cli_report, public=True, today=TODAY)
    out = tmp_path / "Board report.docx"
    _, _, alerts = press(maintained, "board_report", str(out), today=TODAY, extra="public")
    assert alerts == [(f"Board report for publication written to {out}; the personal-data check found nothing.",
                       "Action Plan", "info")]
    assert report_text(out) == report_text(cli_report)


def test_findings_refuse_the_report_and_list_them_then_a_confirmed_press_publishes(personal, tmp_path):
    out = tmp_path / "Board report.docx"
    first, _, alerts = press(personal, "board_report", str(out), today=TODAY, extra="public")
    (text, title, mode) = alerts[0]
    assert (title, mode) == ("Action Plan", "info") and not out.exists()
    assert text.splitlines() == [
        f"Nothing was written to {out}: the personal-data check found 1 possible items, listed on the Exceptions "
        f"sheet:",
        f"- SCR Sam and Kyle 1.1, Progress: an email address ({EMAIL!r})",
        "Remove them from the Register, or once you have reviewed each one, press Board report again, answer Yes "
        "(for publication) and then Yes (I have reviewed them: accept)."]
    assert len(personal_data_rows(first)) == 1  # as the command lists them when it refuses
    refused = commands.report_plan(personal, tmp_path / "cli.docx", public=True, today=TODAY)
    assert refused.refused and personal_data_rows(personal) == personal_data_rows(first)

    second, _, alerts = press(first, "board_report", str(out), today=TODAY, extra="public accept")
    assert alerts == [(f"Board report for publication written to {out}, with the 1 possible items of personal data "
                       f"you reviewed and accepted.", "Action Plan", "info")]
    cli_report = tmp_path / "cli-accepted.docx"
    commands.report_plan(personal, cli_report, public=True, accept_findings=True, today=TODAY)
    assert report_text(out) == report_text(cli_report)


def test_an_accept_given_before_anything_was_listed_publishes_nothing(personal, tmp_path):
    out = tmp_path / "Board report.docx"
    after, _, alerts = press(personal, "board_report", str(out), today=TODAY, extra="public accept")
    assert not out.exists()
    lines = alerts[0][0].splitlines()
    assert lines[0].startswith(f"Nothing was written to {out}")
    assert "1 of them had not been listed before, so they cannot have been reviewed yet." in lines
    assert len(personal_data_rows(after)) == 1  # listed now: the next confirmed press may publish


def test_a_report_not_for_publication_is_not_checked(personal, tmp_path):
    out = tmp_path / "Board report.docx"
    _, actions, alerts = press(personal, "board_report", str(out), today=TODAY)
    assert alerts == [(f"Board report written to {out}.", "Action Plan", "info")]
    assert [a["func"] for a in actions] == ["alert"] and out.exists()


def test_the_board_report_as_a_pdf(maintained, tmp_path, soffice):
    out = tmp_path / "Board report.pdf"
    _, _, alerts = press(maintained, "board_report", str(out), today=TODAY)
    assert alerts == [(f"Board report written to {out}.", "Action Plan", "info")]
    assert out.read_bytes().startswith(b"%PDF")


# ---------------------------------------------------------------------------- help
def remote_book(name: str = "ActionPlan.xlsm", plan: Path | None = None):
    if plan is not None:
        return xw.Book(json=payload_of(plan, name=name))
    return xw.Book(json={"client": "Office.js", "version": xw.__version__,
                         "book": {"name": name, "active_sheet_index": 0, "selection": "A1"},
                         "names": [], "sheets": [{"name": "Register", "values": [[]], "pictures": [], "tables": []}]})


def test_help_from_the_desktop_reports_this_computers_setup():
    text = run_button(remote_book(), "help", extra=xw.__version__)
    assert text.startswith(HELP_TEXT)
    setup = text[len(HELP_TEXT):].strip().splitlines()
    assert setup[0] == "This computer is set up for the buttons:"
    assert setup[1] == f"- Python: {sys.executable}"
    assert setup[2] == f"- xlwings: {xw.__version__}, the version this workbook's macros belong to"
    assert setup[3].startswith("- ragbook: ")
    assert setup[4] == ("- Folder: the workbook is not saved as a file on this computer, so no folder was checked "
                        "(save it in a folder first to share it with the 'ragbook' commands)")


def test_help_says_when_the_macros_belong_to_another_xlwings():
    text = run_button(remote_book(), "help", extra="0.30.0")
    assert "This computer's setup needs attention:" in text
    assert (f"- PROBLEM: xlwings: this Python has {xw.__version__}, but the workbook's macros belong to 0.30.0; "
            f"install xlwings 0.30.0 into this Python (pip install xlwings==0.30.0), or use the ragbook that came "
            f"with this workbook.") in text


def test_help_checks_the_masters_folder_can_be_written(maintained, tmp_path):
    before = sorted(tmp_path.iterdir())
    text = run_button(remote_book(str(maintained), maintained), "help", extra=xw.__version__)
    assert text.splitlines()[-1] == f"- Folder: {tmp_path} can be written"
    assert folder_check(tmp_path / "gone" / "ActionPlan.xlsm").line.startswith(
        f"Folder: {tmp_path / 'gone'} cannot be written, so the buttons cannot hold the workbook's lock there")
    assert sorted(tmp_path.iterdir()) == before  # the check left nothing behind


def test_help_on_the_web_edition_is_the_how_to_only():
    assert run_button(remote_book(), "help") == HELP_TEXT  # the server's Python and folders are not the person's


# ---------------------------------------------------------------------------- OneDrive addresses
ADDRESS = "https://contoso-my.sharepoint.com/personal/jo_contoso_org/Documents/Plans/ActionPlan.xlsm"


@pytest.fixture
def synced(maintained, tmp_path, monkeypatch) -> Path:
    """The master in a OneDrive for work folder synced here, as Windows names that folder."""
    onedrive = tmp_path / "OneDrive - Contoso"
    (onedrive / "Plans").mkdir(parents=True)
    plan = onedrive / "Plans" / "ActionPlan.xlsm"
    maintained.rename(plan)
    monkeypatch.setenv("OneDriveCommercial", str(onedrive))
    return plan


def test_a_button_on_a_workbook_opened_by_its_onedrive_address_locks_the_synced_file(synced, monkeypatch):
    seen = []

    def probe(book, asked, ui, today):
        seen.append(json.loads(lock_path(synced).read_text(encoding="utf-8"))["command"])
        return "done"

    monkeypatch.setitem(BUTTONS, "probe", Button("probe", "Probe", probe))
    assert run_button(remote_book(ADDRESS, synced), "probe") == "done"
    assert seen == ["the Probe button in Excel"] and not lock_path(synced).exists()
    text = run_button(remote_book(ADDRESS, synced), "help", extra=xw.__version__)
    assert text.splitlines()[-1] == f"- Folder: {synced.parent} can be written"


def test_an_onedrive_address_not_synced_here_is_refused_in_one_sentence(maintained, monkeypatch):
    for variable in ("OneDrive", "OneDriveCommercial", "OneDriveConsumer"):
        monkeypatch.delenv(variable, raising=False)
    sentence = (f"{ADDRESS}: this workbook is open from OneDrive or SharePoint and no synced copy of it was found on "
                f"this computer; open it from its synced folder in File Explorer (Finder on a Mac), then press the "
                f"button again.")
    book = remote_book(ADDRESS, maintained)
    assert run_button(book, "validate") is None
    (alert,) = book.json()["actions"]
    assert alert["args"][:2] == [sentence, "Action Plan: could not run"]
    assert run_button(remote_book(ADDRESS, maintained), "help", extra=xw.__version__).splitlines()[-1] == (
        f"- PROBLEM: Folder: {sentence}")
