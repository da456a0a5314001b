"""The board report and the Summary read each sheet once and go through it a fixed number of times, however many
reviews the plan holds: a plan of a thousand reviews must not be scanned a thousand times.

Counted, not timed: a ``FakeMaster`` that counts its reads and hands out lists that count every element gone
through. A report of five reviews and one of sixty must go through each list the same number of times.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from ragbook.app import reports
from ragbook.core.ledger import HELD, Ledger, LedgerEntry
from ragbook.core.model import Action, Agency, Register
from ragbook.core.paper import BoardPaper, exceptions, held_updates
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.core.records import AuditEntry, ReturnRecord, ReturnStatus, UpdateRecord
from ragbook.core.settings import DEFAULT_SETTINGS
from ragbook.core.summary import review_parts, summarise
from tests.helpers.fakes import FakeMaster

TODAY = date(2026, 5, 1)
ISSUED = date(2026, 4, 1)
OUT = Path("board-report.docx")
AGENCIES = ("Police", "Health", "Education")


class Counted(list):
    """A list that counts the elements gone through, in ``visits[name]``."""

    def __init__(self, items, visits: dict[str, int], name: str) -> None:
        super().__init__(items)
        self.visits, self.name = visits, name
        visits.setdefault(name, 0)

    def __iter__(self):
        for item in super().__iter__():
            self.visits[self.name] += 1
            yield item


class CountedTuple(tuple):
    """A tuple that counts the elements gone through, as ``Counted`` does."""

    def __new__(cls, items, visits: dict[str, int], name: str):
        counted = super().__new__(cls, items)
        counted.visits, counted.name = visits, name
        visits.setdefault(name, 0)
        return counted

    def __iter__(self):
        for item in super().__iter__():
            self.visits[self.name] += 1
            yield item


class Writer:
    """A ``ports.ReportWriter`` keeping the paper as it is (a copy would go through every list once more)."""

    def check_target(self, out: Path) -> None:
        pass

    def write(self, out: Path, paper: BoardPaper) -> None:
        self.paper = paper


class CountingMaster(FakeMaster):
    """Counts each read, and hands out the Register's actions, the Audit Log and the Updates sheet as ``Counted``."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.reads: dict[str, int] = {}
        self.visits: dict[str, int] = {}

    def _read(self, what: str) -> None:
        self.reads[what] = self.reads.get(what, 0) + 1

    def read_register(self) -> Register:
        self._read("register")
        register = super().read_register()
        register.actions = Counted(register.actions, self.visits, "register")
        return register

    def read_audit(self):
        self._read("audit")
        return Counted(super().read_audit(), self.visits, "audit")

    def read_updates(self):
        self._read("updates")
        return Counted(super().read_updates(), self.visits, "updates")

    def read_returns(self):
        self._read("returns")
        return super().read_returns()

    def read_settings(self):
        self._read("settings")
        return super().read_settings()

    def read_ledger(self):
        self._read("ledger")
        return super().read_ledger()

    def passes(self) -> dict[str, float]:
        """How many times each counted list was gone through, on average over its elements."""
        sizes = {"register": len(self.register.actions), "audit": len(self.audit), "updates": len(self.updates)}
        return {name: self.visits.get(name, 0) / size for name, size in sizes.items()}


def plan(reviews: int) -> CountingMaster:
    """``reviews`` reviews of four actions each, every action rated in two rounds, with an audit row per rating."""
    actions, audit, updates = [], [], []
    for number in range(reviews):
        review = f"SAR {number:04d}"
        for ref, lead, rag, was in (("1.1", "Police", "R", "A"), ("1.2", "Police; Health", "A", "G"),
                                    ("2.1", "Health", "G", "G"), ("2.2", "Education", "B", "G")):
            actions.append(Action(review, ref, f"Recommendation of {review}", "Do it.", lead, date(2026, 3, 31),
                                  progress="Under way.", rag=rag))
            when = datetime(2026, 4, 20, 9) + timedelta(minutes=number)
            audit.append(AuditEntry(when, "return R2.xlsx", lead, review, ref, "RAG", was, rag))
            audit.append(AuditEntry(when, "return R2.xlsx", lead, review, ref, "Progress", "", "Under way."))
            for number, rating, day in ((1, was, when - timedelta(days=90)), (2, rag, when)):
                updates.append(UpdateRecord(day, number, f"R{number}-{lead}", lead, review, ref, rating, "Under way.",
                                            "", None, lead, "consolidation"))
    returns = [ReturnRecord(f"R2-{agency}", agency, ISSUED, date(2026, 4, 30), None, ReturnStatus.PENDING, chases=2)
               for agency in AGENCIES]
    register = Register(DEFAULT_INDEX, actions, [Agency(name) for name in AGENCIES])
    return CountingMaster(register=register, audit=audit, updates=updates, returns=returns, ledger=Ledger.new())


def report_passes(reviews: int) -> tuple[dict[str, int], dict[str, float]]:
    master = plan(reviews)
    writer = Writer()
    report = reports.board_report(master, writer, OUT, today=TODAY)
    assert len(report.reviews) == reviews and len(writer.paper.parts) == reviews
    return master.reads, master.passes()


def test_the_report_reads_each_sheet_once_however_many_reviews():
    reads, _ = report_passes(60)
    assert reads == {"register": 1, "audit": 1, "updates": 1, "returns": 1, "settings": 1, "ledger": 1}


@pytest.mark.parametrize("sheet", ["register", "audit", "updates"])
def test_the_report_goes_through_each_sheet_as_often_for_sixty_reviews_as_for_five(sheet):
    _, few = report_passes(5)
    _, many = report_passes(60)
    assert many[sheet] == few[sheet]
    assert many[sheet] <= {"register": 12, "audit": 2, "updates": 2}[sheet]


def test_the_summary_reads_each_sheet_once_and_goes_through_it_a_few_times():
    master = plan(60)
    reports.refresh_summary(master, today=TODAY)
    assert master.reads == {"register": 1, "audit": 1, "updates": 1, "returns": 1, "settings": 1}
    passes = master.passes()
    assert passes["register"] <= 10 and passes["audit"] <= 2 and passes["updates"] <= 2


def test_each_reviews_part_is_the_summary_of_that_review_alone():
    master = plan(7)
    register, audit, updates = master.register, master.audit, master.updates
    parts = review_parts(register, register.reviews, audit, TODAY, ISSUED, DEFAULT_SETTINGS, updates)
    for part in parts:
        assert part.summary == summarise(register, audit, master.returns, TODAY, ISSUED, part.review,
                                         DEFAULT_SETTINGS, updates)
        assert part.actions == tuple(a for a in register if a.review == part.review)


def test_the_exceptions_of_every_review_go_through_the_held_updates_once():
    master = plan(30)
    register = master.register
    held = [LedgerEntry(f"R2-{a.lead_agency}", 2, a.lead_agency, ISSUED, None, a.review, a.ref, 1, "x", HELD,
                        datetime(2026, 4, 21), "B") for a in register if a.ref == "2.1"]
    visits: dict[str, int] = {}
    parts = review_parts(register, register.reviews, [], TODAY, ISSUED)
    paper = BoardPaper(DEFAULT_SETTINGS, register, parts, TODAY,
                       held=CountedTuple(held_updates(held), visits, "held"))
    listed = [exceptions(part, paper) for part in parts]
    assert all(any("held" in item.why for item in items) for items in listed)
    assert visits["held"] == len(held)
