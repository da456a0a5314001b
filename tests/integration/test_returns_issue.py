"""Issuing returns: what each agency receives, what the master records, encryption and email drafts.
(Drafts put into Outlook are tested in tests/e2e/test_outlook_drafts.py.)"""

from __future__ import annotations

import email
import io
import zipfile
from datetime import date
from email import policy

import msoffcrypto
import pytest
from openpyxl import load_workbook

from ragbook.core.errors import InputError
from ragbook.core.ledger import LEDGER_SHEET
from ragbook.core.returns import RETURN_HEADERS
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.commands import issue_plan
from tests.helpers.returns import DUE, ISSUED, Cycle, day, returns_rows
def refs_of(path) -> list[str]:
    book = load_workbook(path, read_only=True)
    try:
        return [str(r[1]) for r in book["Actions"].iter_rows(min_row=2, values_only=True) if r[1]]
    finally:
        book.close()


def test_each_agency_receives_its_own_actions_and_no_other(cycle: Cycle) -> None:
    register = MasterWorkbook.open(cycle.plan).read_register()
    assert [r.agency for r in cycle.report.returns] == [a.name for a in register.agencies]
    for issued in cycle.report.returns:
        expected = [a.ref for a in register.actions if a.is_led_by(issued.agency)]
        assert refs_of(issued.path) == expected and issued.actions == len(expected)
    shared = {r.agency for r in cycle.report.returns if "4.2" in refs_of(r.path)}
    assert shared == {"Children's Social Care", "Police", "Health", "Education"}
    everyone = {r.agency for r in cycle.report.returns if "1.2" in refs_of(r.path)}  # led by "All agencies"
    assert everyone == {r.agency for r in cycle.report.returns}
    assert refs_of(cycle.return_of("Police")) == ["1.2", "4.2", "5.2", "5.6"]


def test_a_return_is_a_locked_macro_free_workbook_that_opens_on_its_instructions(cycle: Cycle) -> None:
    path = cycle.return_of("Police")
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        assert not any("vbaProject" in n for n in names)
        assert b"macroEnabled" not in archive.read("[Content_Types].xml")
    book = load_workbook(path)
    assert book.sheetnames == ["Instructions", "Actions", "ragbook"]
    assert book.active.title == "Instructions"
    assert book["ragbook"].sheet_state == "veryHidden"
    instructions = [str(c.value) for row in book["Instructions"].iter_rows() for c in row if c.value]
    assert "Action plan return for Police" in instructions and "02/02/2026" in instructions
    assert {"B", "Blue", "Action complete and embedded where required."} <= set(instructions)
    ws = book["Actions"]
    assert tuple(c.value for c in ws[1]) == RETURN_HEADERS
    assert ws.protection.sheet and ws.freeze_panes == "C2" and ws.print_title_rows == "$1:$1"
    for row in ws.iter_rows(min_row=2, max_row=5):
        assert all(c.protection.locked for c in row[:8]) and not any(c.protection.locked for c in row[8:])
    validations = {str(dv.sqref): dv for dv in ws.data_validations.dataValidation}
    assert validations["I2:I5"].formula1 == '"B,G,A,R"' and validations["L2:L5"].type == "date"
    coloured = {str(rng.sqref) for rng in ws.conditional_formatting}
    assert {"G2:G5", "I2:I5"} <= coloured
    props = {p.name: p.value for p in book.custom_doc_props.props}
    police_id = next(r.return_id for r in cycle.report.returns if r.agency == "Police")
    assert props == {"ragbook.return_id": police_id, "ragbook.agency": "Police", "ragbook.round": 1,
                     "ragbook.issued": "2026-01-05"}
    hidden = {row[0]: row[1] for row in book["ragbook"].iter_rows(values_only=True)}
    assert hidden == {"return_id": police_id, "agency": "Police", "round": 1, "issued": "2026-01-05"}


def test_the_master_records_every_issued_row_and_shows_the_returns_pending(cycle: Cycle) -> None:
    master = MasterWorkbook.open(cycle.plan)
    ledger = master.read_ledger()
    assert master.book[LEDGER_SHEET].sheet_state == "veryHidden"
    assert len(ledger.secret) == 32
    assert len(ledger.entries) == sum(r.actions for r in cycle.report.returns)
    assert {e.round for e in ledger.entries} == {1}
    returns = returns_rows(cycle.plan)
    for issued in cycle.report.returns:
        row = returns[issued.return_id]
        assert (row["Agency"], row["Status"], row["File"]) == (issued.agency, "Pending", issued.path.name)
        assert day(row["Issued"]) == ISSUED and day(row["Due"]) == DUE


def test_a_second_issue_is_a_new_round_with_new_ids(cycle: Cycle) -> None:
    report = issue_plan(cycle.plan, cycle.folder / "q2", agencies=["police", "Health"], today=date(2026, 4, 1))
    assert report.round == 2 and [r.agency for r in report.returns] == ["Police", "Health"]
    first_ids = {r.return_id for r in cycle.report.returns}
    assert all(r.return_id.startswith("R002-") and r.return_id not in first_ids for r in report.returns)
    assert len(returns_rows(cycle.plan)) == len(cycle.report.returns) + 2


def test_an_unknown_agency_is_refused_before_anything_is_written(cycle: Cycle) -> None:
    with pytest.raises(InputError) as caught:
        issue_plan(cycle.plan, cycle.folder / "none", agencies=["Fire Service"])
    assert str(caught.value) == (
        f"{cycle.plan}: 'Fire Service' is not on the Agencies sheet (it lists Partnership Business Unit, "
        f"Children's Social Care, Police, Health, Education).")
    assert not (cycle.folder / "none").exists() or not any((cycle.folder / "none").iterdir())


def test_encrypted_returns_open_with_the_password_only(cycle: Cycle) -> None:
    report = issue_plan(cycle.plan, cycle.folder / "locked", agencies=["Police"], password="Quarter1!",
                        today=date(2026, 4, 1))
    data = report.returns[0].path.read_bytes()
    assert data.startswith(b"\xd0\xcf\x11\xe0")
    office = msoffcrypto.OfficeFile(io.BytesIO(data))
    office.load_key(password="Quarter1!")
    plain = io.BytesIO()
    office.decrypt(plain)
    assert load_workbook(plain)["Actions"]["B2"].value == "1.2"


def test_email_drafts_open_as_unsent_messages_with_the_return_attached(cycle: Cycle) -> None:
    report = issue_plan(cycle.plan, cycle.folder / "mail", agencies=["Health"], due=date(2026, 5, 1), eml=True,
                        today=date(2026, 4, 1))
    issued = report.returns[0]
    message = email.message_from_bytes(issued.draft.read_bytes(), policy=policy.default)
    assert message["X-Unsent"] == "1"
    assert message["To"] == "safeguarding.health@example.org"
    assert message["Subject"] == "Action plan return for Health - due 01/05/2026"
    body = message.get_body(("plain",)).get_content()
    assert body.startswith("Dear Designated Nurse,") and "by Friday 01 May 2026" in body
    (attachment,) = list(message.iter_attachments())
    assert attachment.get_filename() == issued.path.name
    assert attachment.get_content() == issued.path.read_bytes()
