"""How much work one consolidation does, counted (never timed): keyed hashes worked out, sheets read.

The keyed hash of a row is the costly step of checking a return: each returned row is hashed once, to know its
locked text is as issued, and an action of the master is hashed only when it is not plainly the row returned
(its values those very values) or when consolidation changed it, and then once for the whole batch, however
many returns carry it.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from ragbook.app import decisions, returns
from ragbook.core import ledger as ledger_module
from ragbook.core.ledger import APPLIED, EntryIndex, Ledger, LedgerEntry
from ragbook.core.model import Action, Agency, Register
from ragbook.core.ratings import DEFAULT_INDEX
from tests.helpers.fakes import FakeMaster, FakePlans, FakeReturnFiles

REVIEW = "SCR Counts"
AGENCIES = ("Police", "Health", "Education", "Housing")
ISSUED, RECEIVED = date(2026, 1, 5), date(2026, 2, 1)


def plan() -> Register:
    """Seven actions: one every agency leads, one two agencies share, and one each for every agency alone."""
    actions = [Action(REVIEW, "1.1", "Share what is learnt.", "Brief every team.", "All agencies", date(2026, 12, 31),
                      progress="Started.", rag="A"),
               Action(REVIEW, "1.2", "Share what is learnt.", "Joint audit.", "Police; Health", date(2026, 9, 30),
                      progress="Planned.", rag="R")]
    actions += [Action(REVIEW, f"2.{n}", "Own the actions.", f"{agency} training.", agency, date(2026, 6, 30),
                       progress="Booked.", rag="A") for n, agency in enumerate(AGENCIES, start=1)]
    actions.append(Action(REVIEW, "3.1", "Check it worked.", "Survey staff.", "Police", date(2027, 3, 31)))
    return Register(DEFAULT_INDEX, actions, [Agency(name) for name in AGENCIES])


@pytest.fixture
def counted(monkeypatch) -> dict[str, int]:
    """Every keyed hash worked out, and every read of the Register and the ledger, from now on."""
    counts = {"hashes": 0, "register": 0, "ledger": 0}
    hash_function = ledger_module.keyed_hash

    def keyed_hash(secret, values):
        counts["hashes"] += 1
        return hash_function(secret, values)

    monkeypatch.setattr(ledger_module, "keyed_hash", keyed_hash)
    for name, method in (("register", FakeMaster.read_register), ("ledger", FakeMaster.read_ledger)):
        def read(self, _name=name, _method=method):
            counts[_name] += 1
            return _method(self)
        monkeypatch.setattr(FakeMaster, f"read_{name}", read)
    return counts


def issued_and_returned(plans: FakePlans, files: FakeReturnFiles) -> tuple[returns.IssueReport, int]:
    """Returns issued to every agency and sent back, each agency updating every action it leads; the rows returned."""
    issued = returns.issue_plan(plans, files, Path("out"), today=ISSUED)
    rows = 0
    for item in issued.returns:
        answers = {a.ref: {"New Rating": "G", "Progress Update": f"{item.agency} did it.", "Updated By": item.agency}
                   for a in files.written[item.path].spec.actions}
        files.send_back(item.path, answers)
        rows += item.actions
    return issued, rows


def consolidate(plans: FakePlans, files: FakeReturnFiles) -> returns.ConsolidationReport:
    report = returns.consolidate_plan(plans, files, [Path("returned")], today=RECEIVED)
    assert [o.status for o in report.outcomes] == ["Received"] * len(AGENCIES), [o.reasons for o in report.outcomes]
    return report


def test_issuing_hashes_each_action_once_however_many_returns_carry_it(counted):
    plans, files = FakePlans(FakeMaster(plan(), ledger=Ledger.new())), FakeReturnFiles()
    _, rows = issued_and_returned(plans, files)
    assert rows == 11 and len(plans.stored.register.actions) == 7  # 1.1 goes out four times, 1.2 twice
    assert counted["hashes"] == 7


def test_a_first_consolidation_hashes_each_returned_row_once_and_an_action_only_once_per_change(counted):
    plans, files = FakePlans(FakeMaster(plan(), ledger=Ledger.new())), FakeReturnFiles()
    _, rows = issued_and_returned(plans, files)
    counted.update(hashes=0, register=0, ledger=0)
    report = consolidate(plans, files)
    # The actions read as their returned rows: only each new version of an action, to record the hash it was
    # left with, is hashed besides the rows. 1.1 changes once for each of the four returns carrying it.
    versions = {(a.source, a.review, a.ref) for o in report.outcomes for a in o.audit}
    assert len(versions) == rows == 11
    assert counted["hashes"] <= rows + len(versions)


def test_consolidating_the_returns_again_hashes_each_returned_row_and_each_action_touched_once(counted):
    plans, files = FakePlans(FakeMaster(plan(), ledger=Ledger.new())), FakeReturnFiles()
    _, rows = issued_and_returned(plans, files)
    consolidate(plans, files)
    counted.update(hashes=0)
    report = consolidate(plans, files)
    assert report.changes == 0
    # Every action now differs from the row issued, so each is hashed, once, though 1.1 is in four returns.
    assert counted["hashes"] <= rows + len(plans.stored.register.actions)


def test_a_consolidation_reads_the_register_and_the_ledger_once(counted):
    plans, files = FakePlans(FakeMaster(plan(), ledger=Ledger.new())), FakeReturnFiles()
    issued_and_returned(plans, files)
    counted.update(register=0, ledger=0)
    report = consolidate(plans, files)
    assert report.summary_refreshed and report.validation is not None
    assert (counted["register"], counted["ledger"]) == (1, 1)


def test_applying_decisions_reads_the_register_and_the_ledger_once(counted):
    plans, files = FakePlans(FakeMaster(plan(), ledger=Ledger.new())), FakeReturnFiles()
    issued = returns.issue_plan(plans, files, Path("out"), today=ISSUED)
    police = next(item for item in issued.returns if item.agency == "Police")
    files.send_back(police.path, {"3.1": {"New Rating": "B", "Updated By": "DI Shah"}})  # Blue without evidence
    report = returns.consolidate_plan(plans, files, [Path("returned")], today=RECEIVED)
    assert report.held == 1
    with plans.editing() as master:
        master.write_held([replace(row, decision="Accept") for row in master.read_held()])
    counted.update(register=0, ledger=0)
    decided = decisions.decide_plan(plans, who="A. Manager", today=RECEIVED)
    assert len(decided.accepted) == 1 and decided.summary_refreshed
    assert (counted["register"], counted["ledger"]) == (1, 1)


def entry(return_id: str, position: int, state=None) -> LedgerEntry:
    fields = {"state": state} if state else {}
    return LedgerEntry(return_id, 1, "Police", ISSUED, None, REVIEW, f"1.{position}", position, "h", **fields)


def test_the_entry_index_replaces_entries_as_the_ledger_does_and_follows_a_list_put_in_its_place():
    entries = [entry("A", 1), entry("A", 2), entry("B", 1), entry("A", 1)]  # a slot held twice
    updates = [entry("A", 1, APPLIED), entry("B", 1, APPLIED), entry("C", 1, APPLIED)]
    by_ledger, by_index = Ledger("k", list(entries)), Ledger("k", list(entries))
    by_ledger.replace_entries(updates)
    index = EntryIndex(by_index)
    index.replace_entries(updates)
    assert by_index.entries == by_ledger.entries
    assert index.of_return("A") == by_ledger.of_return("A")
    by_index.entries = [entry("C", 1)] + by_index.entries
    index.replace_entries([entry("C", 1, APPLIED)])
    assert by_index.entries[0].state == APPLIED
    assert [e.position for e in index.of_return("A")] == [1, 1, 2]
