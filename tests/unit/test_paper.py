"""The board paper's content (core.paper, core.annual), the partnership's settings and the words for figures,
on in-memory plans, and the report use case handing the paper to its writer (tests/helpers/fakes.py)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from ragbook.app.reports import board_report
from ragbook.core.annual import IMPLEMENTED, IN_PROGRESS, NOT_IMPLEMENTED, NOT_STARTED, annual
from ragbook.core.ledger import HELD, Ledger, LedgerEntry
from ragbook.core.model import Action, Agency, Register
from ragbook.core.paper import BoardPaper, asks, direction, exceptions, held_updates, plan_warnings
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.core.records import AuditEntry, Finding
from ragbook.core.settings import Settings
from ragbook.core.summary import ReviewPart, summarise
from ragbook.core.wording import dates_age, elapsed, shorten
from tests.helpers.fakes import FakeMaster, FakeReportWriter

TODAY = date(2026, 6, 1)
REVIEW = "SAR Mr E"


def plan() -> Register:
    return Register(DEFAULT_INDEX, [
        Action(REVIEW, "1.1", "Train staff.", "Deliver training.", "Health", date(2026, 3, 31), rag="R",
               progress="Trainer left; no date yet."),
        Action(REVIEW, "1.2", "Train staff.", "Audit the training.", "Police", date(2026, 9, 30), rag="A",
               progress="Audit delayed to autumn."),
        Action(REVIEW, "2.1", "Share records.", "Agree a protocol.", "Police", date(2025, 12, 31), rag="G",
               progress="Draft circulated."),
        Action(REVIEW, "2.2", "Share records.", "Sign the protocol.", "Health", date(2027, 3, 31), rag="G",
               progress="Signed by two of three."),
        Action(REVIEW, "3.1", "Close the gap.", "", "Health", date(2027, 3, 31), rag=""),
    ], [Agency("Health"), Agency("Police")])


def paper(register: Register, **extra) -> BoardPaper:
    audit = [AuditEntry(datetime(2026, 5, 2, 10), "R002", "Health", REVIEW, "1.1", "RAG", "G", "R")]
    summary = summarise(register, audit, [], TODAY, date(2026, 5, 1), REVIEW)
    part = ReviewPart(REVIEW, summary, tuple(register.actions))
    return BoardPaper(Settings(partnership="Anytown SAB"), register, (part,), TODAY,
                      moves={(REVIEW, "1.1"): ("G", "R")}, **extra)


def test_exceptions_worst_first_each_once_with_why_and_direction():
    board = paper(plan())
    items = exceptions(board.parts[0], board)
    assert [(i.ref, i.label, i.why, i.direction) for i in items] == [
        ("1.1", "Red", "Red; 2 months overdue", "worse (was Green)"),
        ("1.2", "Amber", "Amber", ""),
        ("2.1", "Green", "5 months overdue", ""),
    ]
    assert items[0].lead == "Health" and items[0].target == date(2026, 3, 31)


def test_a_blue_held_for_evidence_is_an_exception():
    ledger = Ledger("k", [LedgerEntry("R002", 2, "Health", date(2026, 4, 1), None, REVIEW, "2.2", 1, "h",
                                      HELD, datetime(2026, 5, 3), "B", "Done.", "", note="held back")])
    board = paper(plan(), held=held_updates(ledger.entries))
    item = next(i for i in exceptions(board.parts[0], board) if i.ref == "2.2")
    assert item.rank == 3 and item.why == "Blue from Health held: no evidence yet"
    assert any("2.2" in ask and "held until the agencies send their evidence" in ask
               for ask in asks(board, exceptions(board.parts[0], board), []))


def test_the_board_is_asked_what_the_plan_shows():
    board = paper(plan())
    items = exceptions(board.parts[0], board)
    warnings = plan_warnings([Finding("error", "action-blank", REVIEW, "3.1", "Action", "blank"),
                              Finding("warning", "blue-no-evidence", REVIEW, "2.2", "Evidence", "no evidence")])
    said = asks(board, items, warnings)
    assert said[0] == "note the progress on the 5 actions of the plan: 2 Green, 1 Amber, 1 Red, 1 Unrated."
    assert said[1].startswith("challenge the lead agencies of the 1 action rated Red (1.1)")
    assert "(1.2, 2.1)" in said[2]
    assert said[-1].startswith("ask the business unit to correct the 1 action the plan cannot show properly (3.1")
    assert [f.rule for f in warnings] == ["action-blank"]  # a warning that does not spoil the printed plan is left


def test_direction_follows_the_roles_not_the_index_order():
    assert direction(DEFAULT_INDEX, "A", "G") == "better (was Amber)"
    assert direction(DEFAULT_INDEX, "B", "R") == "worse (was Blue)"
    assert direction(DEFAULT_INDEX, "", "G") == "newly rated (was Unrated)"
    assert direction(DEFAULT_INDEX, "G", "G") == ""


def test_annual_status_of_recommendations_and_actions():
    register = plan()
    register.actions[3] = register.actions[3].with_changes(progress="Not implemented - replaced by the regional protocol.")
    register.actions.append(Action(REVIEW, "4.1", "Review it.", "Review the policy.", "Police", rag="B"))
    review = annual(register, REVIEW)
    assert [(r.number, r.status) for r in review.recommendations] == [
        ("1", IN_PROGRESS), ("2", NOT_IMPLEMENTED), ("3", NOT_STARTED), ("4", IMPLEMENTED)]
    assert review.recommendations[1].reasons == ("2.2: replaced by the regional protocol.",)
    assert review.actions_with(NOT_STARTED) == 1 and review.recommendations_with("Complete") == 1


def test_settings_defaults_and_the_sheet_rows():
    blank = Settings()
    assert (blank.board_name, blank.protective_marking, blank.title, blank.unit) == (
        "Partnership Board", "OFFICIAL", "Action plan progress report", "Partnership Business Unit")
    read = Settings.from_pairs([("Partnership", " Anytown  SCP "), ("protective MARKING", "official-sensitive"),
                                ("Unknown", "x"), ("Email", "")])
    assert read == Settings(partnership="Anytown SCP", marking="official-sensitive")
    assert read.board_name == "Anytown SCP Board" and read.protective_marking == "OFFICIAL-SENSITIVE"
    assert [label for label, _, _ in read.pairs()][:2] == ["Partnership", "Board"]
    assert Settings(contact="Jo", email="b@example.org").signature() == ["Jo", "Partnership Business Unit",
                                                                        "b@example.org"]
    assert read.plan_label(["SCR A", "SCR A"], "ActionPlan.xlsx") == "Anytown SCP: SCR A"


def test_words_for_figures():
    assert [elapsed(d) for d in (1, 12, 61, 152, 700, 2192)] == [
        "1 day", "12 days", "61 days", "5 months", "23 months", "6 years"]
    assert shorten("one two three four", 12) == "one two\u2026"
    assert dates_age(TODAY, [date(2020, 11, 30), date(2021, 3, 31)]).startswith(
        "The plan's target and revised dates run from 2020 to 2021: even the latest is 5 years 2 months before")
    assert dates_age(TODAY, [date(2026, 1, 1)]) == ""


def test_the_report_use_case_hands_the_writer_the_whole_paper():
    master = FakeMaster(register=plan(), settings=Settings(partnership="Anytown SAB", marking="OFFICIAL-SENSITIVE"))
    writer = FakeReportWriter()
    board_report(master, writer, Path("paper.docx"), today=TODAY, annual=True, plain_tables=True)
    written = writer.written[Path("paper.docx")]
    assert written.settings.partnership == "Anytown SAB" and written.annual and written.plain_tables
    assert [(f.rule, f.ref) for f in written.findings if f.is_error] == [("action-blank", "3.1"), ("rating-missing", "3.1")]
    assert written.parts[0].summary.settings.protective_marking == "OFFICIAL-SENSITIVE"
