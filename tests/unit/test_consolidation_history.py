"""Consolidation keeps history on an in-memory master: one Updates row per submission applied (never two for the
same one), the Held Updates sheet rewritten from the ledger, and the plan validated again afterwards."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path

from ragbook.app import returns
from ragbook.core.errors import InputError
from ragbook.core.records import UpdateRecord
from tests.helpers.fakes import FakePlans, FakeReturnFiles
from tests.helpers.small_plan import REVIEW

OUT, BACK = Path("returns"), Path("returned")
ISSUED, DUE, RECEIVED = date(2026, 1, 5), date(2026, 2, 2), date(2026, 2, 1)
WHEN = datetime(2026, 2, 1)


def issue(plans: FakePlans, files: FakeReturnFiles, today: date = ISSUED) -> dict[str, Path]:
    report = returns.issue_plan(plans, files, OUT / str(today), due=DUE, today=today)
    return {r.agency: r.path for r in report.returns}


def consolidate(plans: FakePlans, files: FakeReturnFiles, folder: Path = BACK,
                today: date = RECEIVED) -> returns.ConsolidationReport:
    return returns.consolidate_plan(plans, files, [folder], today=today)


def test_each_row_applied_is_an_updates_row_as_the_agency_gave_it_a_rating_restated_included(plans, files):
    paths = issue(plans, files)
    files.send_back(paths["Police"], {"1.1": {"New Rating": "G", "Updated By": "DI Shah"},  # restated unchanged
                                      "1.2": {"New Rating": "R", "Progress Update": "Police behind."}})
    files.send_back(paths["Health"], {"1.2": {"New Rating": "A", "Progress Update": "Health on track."}})
    report = consolidate(plans, files)
    police = next(o for o in report.outcomes if o.agency == "Police")
    assert [u.ref for u in police.updates] == ["1.1", "1.2"] and report.updates == 3
    updates = {(u.agency, u.ref): u for u in plans.stored.updates}
    assert updates["Police", "1.1"] == UpdateRecord(WHEN, 1, paths["Police"].stem, "Police", REVIEW, "1.1", "G", "",
                                                    "", None, "DI Shah", "consolidation")
    # On the shared action each agency's own update is its own row, not the merged Register cell.
    assert (updates["Police", "1.2"].rating, updates["Police", "1.2"].progress) == ("R", "Police behind.")
    assert (updates["Health", "1.2"].rating, updates["Health", "1.2"].progress) == ("A", "Health on track.")
    assert plans.stored.register.actions[1].progress == "Health: Health on track.\n\nPolice: Police behind."


def test_a_row_left_blank_is_no_update(plans, files):
    paths = issue(plans, files)
    files.send_back(paths["Police"], {"1.1": {"Progress Update": "Policy signed off."}})
    consolidate(plans, files)
    assert [u.ref for u in plans.stored.updates] == ["1.1"]


def test_the_same_return_again_or_an_identical_copy_adds_nothing_but_a_corrected_copy_does(plans, files):
    paths = issue(plans, files)
    files.send_back(paths["Police"], {"1.1": {"New Rating": "A", "Updated By": "DI Shah"}})
    consolidate(plans, files)
    consolidate(plans, files)
    files.send_back(paths["Police"], {"1.1": {"New Rating": "A", "Updated By": "DI Shah"}}, into=Path("copy"))
    assert consolidate(plans, files, Path("copy")).updates == 0
    assert len(plans.stored.updates) == 1
    files.send_back(paths["Police"], {"1.1": {"New Rating": "R", "Updated By": "DI Shah"}}, into=Path("corrected"))
    consolidate(plans, files, Path("corrected"))
    assert [(u.ref, u.rating) for u in plans.stored.updates] == [("1.1", "A"), ("1.1", "R")]


def test_two_rounds_give_updates_of_both_rounds(plans, files):
    first = issue(plans, files)
    files.send_back(first["Police"], {"1.1": {"New Rating": "A"}})
    consolidate(plans, files)
    second = issue(plans, files, date(2026, 4, 1))
    files.send_back(second["Police"], {"1.1": {"New Rating": "G"}}, into=Path("q2"))
    consolidate(plans, files, Path("q2"), date(2026, 5, 1))
    assert [(u.round, u.rating, u.when) for u in plans.stored.updates] == [
        (1, "A", WHEN), (2, "G", datetime(2026, 5, 1))]


def test_a_batch_that_records_nothing_writes_nothing(plans, files):
    paths = issue(plans, files)
    files.send_back(paths["Police"], {"1.1": {"New Rating": "B"}})  # held
    consolidate(plans, files)
    plans.stored.writes.clear()
    files.arrived[Path("stray") / "notes.xlsx"] = InputError("stray/notes.xlsx: is not a workbook.")
    report = consolidate(plans, files, Path("stray"))  # a file that is no return names none of them
    assert not report.recorded and report.validation is None
    assert not {"updates", "held", "findings", "notes", "register", "audit"} & set(plans.stored.writes)


def test_the_held_updates_sheet_keeps_a_typed_decision_and_is_written_only_when_it_changes(plans, files):
    paths = issue(plans, files)
    files.send_back(paths["Police"], {"1.1": {"New Rating": "B"}})  # Blue without evidence: held
    consolidate(plans, files)
    plans.stored.held = [replace(row, decision="Accept", decision_note="seen") for row in plans.stored.held]
    plans.stored.writes.clear()
    files.send_back(paths["Health"], {"2.1": {"Progress Update": "Re-audit booked."}}, into=Path("health"))
    consolidate(plans, files, Path("health"))
    assert "held" not in plans.stored.writes
    assert [(r.ref, r.decision, r.decision_note) for r in plans.stored.held] == [("1.1", "Accept", "seen")]


def test_a_consolidation_that_recorded_something_validates_the_plan_again(plans, files):
    paths = issue(plans, files)
    files.send_back(paths["Police"], {"1.1": {"New Rating": "R"}})  # Red without progress: a finding
    plans.stored.writes.clear()
    report = consolidate(plans, files)
    writes = plans.stored.writes
    assert writes.index("findings") > writes.index("returns") and "notes" in writes
    assert report.validation is not None and report.validation.actions == 3
    assert report.validation.findings == tuple(plans.stored.findings)
