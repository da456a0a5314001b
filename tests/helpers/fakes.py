"""In-memory stand-ins for the ports of ``ragbook.app.ports``, so the use cases can be tested without files.

``FakeMaster`` is a master workbook held as values: its Register (with its Rating Index and Agencies), the
Exceptions sheet's findings, the Audit Log, the Returns sheet's records, the returns ledger, the last Summary
written and the cells noted by validation. ``FakePlans`` is the unit of work over one stored ``FakeMaster``:
each block works on a copy, and only a block that ends without an exception replaces the stored master (and
counts as a save), as ``FilePlans`` saves the file only when the use case succeeded.

``FakeSources`` hands out plans to import, ``FakeReturnFiles`` keeps the returns (and reminders) written and
hands back the returns agencies sent, and ``FakeReportWriter`` keeps the board reports written.
"""

from __future__ import annotations

import copy
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Iterable, Iterator, Mapping, Sequence

from ragbook.core.chase import Reminder
from ragbook.core.consolidate import locked_values
from ragbook.core.errors import InputError
from ragbook.core.ledger import Ledger
from ragbook.core.model import Agency, Register
from ragbook.core.ratings import DEFAULT_INDEX, RatingIndex
from ragbook.core.records import AuditEntry, Finding, HeldRecord, ReturnRecord, UpdateRecord
from ragbook.core.repair import ImportedPlan
from ragbook.core.paper import BoardPaper
from ragbook.core.returns import INPUT_COLUMNS, ReturnContent, ReturnRow, ReturnSpec
from ragbook.core.round import DEFAULT_ROUND, RoundSettings
from ragbook.core.settings import DEFAULT_SETTINGS, Settings
from ragbook.core.summary import Summary

UNRATED = "unrated or unknown"  # the label the master's colouring counts unrated actions under


# ---------------------------------------------------------------------------- the master
@dataclass
class FakeMaster:
    """A ``ports.Master`` held in memory. Reads hand out copies, writes keep copies: as with a workbook, a change
    the use case makes to what it read is in the master only once written back."""

    register: Register = field(default_factory=lambda: Register(DEFAULT_INDEX))
    findings: list[Finding] = field(default_factory=list)
    audit: list[AuditEntry] = field(default_factory=list)
    returns: list[ReturnRecord] = field(default_factory=list)
    ledger: Ledger = field(default_factory=Ledger)
    summary: Summary | None = None  # the last Summary written
    settings: Settings = DEFAULT_SETTINGS  # the Settings sheet
    round: RoundSettings = DEFAULT_ROUND  # the Round sheet
    updates: list[UpdateRecord] = field(default_factory=list)  # the Updates sheet
    held: list[HeldRecord] = field(default_factory=list)  # the Held Updates sheet
    marked: dict[tuple[str, str, str], str] = field(default_factory=dict)  # (review, ref, column) -> note
    coloured: bool = False
    name: str = "ActionPlan.xlsx"
    writes: list[str] = field(default_factory=list)  # the write methods called, in order

    # -- Register and Rating Index
    def read_register(self) -> Register:
        return copy.deepcopy(self.register)

    def write_register(self, register: Register) -> None:
        self.writes.append("register")
        self.register = copy.deepcopy(register)

    def write_index(self, index: RatingIndex) -> None:
        self.writes.append("index")
        self.register = replace(copy.deepcopy(self.register), index=index)

    # -- Exceptions, and the notes on the Register's cells
    def read_findings(self) -> list[Finding]:
        return list(self.findings)

    def write_findings(self, findings: Sequence[Finding]) -> None:
        self.writes.append("findings")
        self.findings = list(findings)

    def add_cell_notes(self, register: Register, notes) -> None:
        self.writes.append("cell notes")
        self.cell_notes = {(n.review, n.ref, n.attribute): n.text for n in notes}

    def mark_findings(self, register: Register, findings: Sequence[Finding]) -> int:
        """Note each offending cell of an action in ``register``; the notes of problems now fixed go."""
        self.writes.append("notes")
        keys = {(a.review, a.ref) for a in register}
        notes: dict[tuple[str, str, str], list[str]] = {}
        for finding in findings:
            if (finding.review, finding.ref) in keys and finding.field:
                notes.setdefault((finding.review, finding.ref, finding.field), []).append(finding.message)
        self.marked = {cell: "\n".join(messages) for cell, messages in notes.items()}
        return len(self.marked)

    def apply_colours(self, register: Register) -> dict[str, int]:
        self.writes.append("colours")
        self.coloured = True
        counts: dict[str, int] = {}
        for action in register.actions:
            rating = register.index.get(action.rag.strip())
            label = rating.label if rating else UNRATED
            counts[label] = counts.get(label, 0) + 1
        return counts

    # -- Audit Log, Returns, ledger, Summary
    def read_audit(self) -> list[AuditEntry]:
        return list(self.audit)

    def append_audit(self, entries: Iterable[AuditEntry]) -> None:
        self.writes.append("audit")
        self.audit = self.audit + list(entries)

    def read_returns(self) -> list[ReturnRecord]:
        return list(self.returns)

    def write_returns(self, records: Sequence[ReturnRecord]) -> None:
        self.writes.append("returns")
        self.returns = list(records)

    def write_summary(self, summary: Summary) -> None:
        self.writes.append("summary")
        self.summary = summary

    def read_ledger(self) -> Ledger:
        return copy.deepcopy(self.ledger)

    def read_settings(self) -> Settings:
        return self.settings

    def read_round(self) -> RoundSettings:
        return self.round

    def read_updates(self) -> list[UpdateRecord]:
        return list(self.updates)

    def append_updates(self, updates: Iterable[UpdateRecord]) -> None:
        self.writes.append("updates")
        self.updates = self.updates + list(updates)

    def read_held(self) -> list[HeldRecord]:
        return list(self.held)

    def write_held(self, held: Sequence[HeldRecord]) -> None:
        self.writes.append("held")
        self.held = list(held)

    def write_ledger(self, ledger: Ledger) -> None:
        self.writes.append("ledger")
        self.ledger = copy.deepcopy(ledger)


# ---------------------------------------------------------------------------- the unit of work
class FakePlans:
    """A ``ports.Plans`` over one stored ``FakeMaster`` (None until ``creating`` has made one)."""

    def __init__(self, master: FakeMaster | None = None, name: str = "ActionPlan.xlsx") -> None:
        self.stored = master
        self.name = master.name if master is not None else name
        self.saves = 0
        self.opened: list[str] = []  # "editing", "reading", "creating", in the order asked for

    @contextmanager
    def editing(self) -> Iterator[FakeMaster]:
        self.opened.append("editing")
        working = copy.deepcopy(self._existing())
        yield working  # an exception in the block leaves ``stored`` as it was, and nothing is saved
        self.stored = working
        self.saves += 1

    @contextmanager
    def reading(self) -> Iterator[FakeMaster]:
        self.opened.append("reading")
        yield copy.deepcopy(self._existing())

    @contextmanager
    def creating(self) -> Iterator[FakeMaster]:
        self.opened.append("creating")
        if self.stored is not None:
            raise InputError(f"{self.name}: already exists; choose another name, or delete it first.")
        working = FakeMaster(name=self.name)
        yield working
        self.stored = working
        self.saves += 1

    def _existing(self) -> FakeMaster:
        if self.stored is None:
            raise InputError(f"{self.name}: does not exist.")
        return self.stored


# ---------------------------------------------------------------------------- plans to import
class FakeSources:
    """A ``ports.PlanSources`` handing out the plans it was given, by path; an unknown path is refused."""

    def __init__(self, plans: Mapping[Path, ImportedPlan | Exception]) -> None:
        self.plans = dict(plans)
        self.asked: list[tuple[Path, RatingIndex, str | None]] = []

    def read(self, source: Path, index: RatingIndex, review: str | None) -> ImportedPlan:
        self.asked.append((source, index, review))
        plan = self.plans.get(source)
        if plan is None:
            raise InputError(f"{source}: does not exist.")
        if isinstance(plan, Exception):
            raise plan
        plan = copy.deepcopy(plan)
        return replace(plan, review=review) if review else plan


# ---------------------------------------------------------------------------- returns
@dataclass
class WrittenReturn:
    spec: ReturnSpec
    secret: str
    password: str | None


@dataclass
class SentReminder:
    reminder: Reminder
    plan_name: str
    signature: tuple[str, ...]


class FakeReturnFiles:
    """A ``ports.ReturnFiles`` keeping each return written (its ``ReturnSpec``) and handing back, as read, the
    ``ReturnContent`` put in ``arrived`` (or raising the exception put there)."""

    def __init__(self, *, fail_on_write: int | None = None, fail_on_chase: int | None = None) -> None:
        self.folders: list[Path] = []
        self.written: dict[Path, WrittenReturn] = {}
        self.drafts: dict[Path, tuple[Path, Agency, str, date | None, bool]] = {}
        self.reminders: dict[Path, SentReminder] = {}  # the reminder drafts written, by path
        self.fail_on_chase = fail_on_chase  # the n-th reminder (1-based) raises OSError
        self._chase_writes = 0
        self.removed: list[Path] = []
        self.arrived: dict[Path, ReturnContent | Exception] = {}
        self.fail_on_write = fail_on_write  # the n-th write (1-based) raises OSError, as a full disk would
        self._writes = 0

    def prepare_folder(self, folder: Path) -> None:
        self.folders.append(folder)

    def write(self, spec: ReturnSpec, path: Path, secret: str, password: str | None) -> None:
        self._writes += 1
        if self._writes == self.fail_on_write:
            raise OSError(28, "No space left on device")
        self.written[path] = WrittenReturn(spec, secret, password)

    def write_draft(self, return_path: Path, agency: Agency, plan_name: str, due: date | None,
                    encrypted: bool, signature: Sequence[str] = ()) -> Path:
        draft = return_path.with_suffix(".eml")
        self.drafts[draft] = (return_path, agency, plan_name, due, encrypted)
        return draft

    def write_chase(self, folder: Path, reminder: Reminder, plan_name: str, signature: Sequence[str] = ()) -> Path:
        self._chase_writes += 1
        if self._chase_writes == self.fail_on_chase:
            raise OSError(28, "No space left on device")
        path = folder / f"{reminder.return_id}-reminder-{reminder.today:%Y%m%d}.eml"
        self.reminders[path] = SentReminder(reminder, plan_name, tuple(signature))
        return path

    def remove(self, paths: Iterable[Path]) -> None:
        for path in paths:
            self.removed.append(path)
            self.written.pop(path, None)
            self.drafts.pop(path, None)
            self.reminders.pop(path, None)

    def find(self, paths: Sequence[Path]) -> list[Path]:
        found: list[Path] = []
        for path in paths:
            if path in self.arrived:
                found.append(path)
            else:
                found += sorted(p for p in self.arrived if p.parent == path)
        return found

    def read(self, path: Path, password: str | None) -> ReturnContent:
        content = self.arrived[path]
        if isinstance(content, Exception):
            raise content
        return content

    # -- for the tests: an agency's answers on a return that was written
    def send_back(self, issued: Path, answers: Mapping[str, Mapping[str, object]] | None = None,
                  into: Path = Path("returned")) -> Path:
        """The return written at ``issued``, filled in with ``answers`` (by ref: ``{"New Rating": "G", ...}``)
        and sent back into the folder ``into``; returns where it arrived."""
        spec = self.written[issued].spec
        headers = [header for header, _ in INPUT_COLUMNS]
        answers = answers or {}
        rows = tuple(ReturnRow(number, tuple(locked_values(action)) +
                               tuple(answers.get(action.ref, {}).get(h) for h in headers))
                     for number, action in enumerate(spec.actions, start=2))
        arrived = into / issued.name
        self.arrived[arrived] = ReturnContent(str(arrived), (("properties", spec.identity),
                                                             ("identity sheet", spec.identity)), rows)
        return arrived


# ---------------------------------------------------------------------------- board reports
class FakeReportWriter:
    """A ``ports.ReportWriter`` keeping each report written (its ``BoardPaper``: register, parts, today, note,
    settings, findings, ...); a target in ``refuse`` is refused up front."""

    def __init__(self, refuse: Mapping[Path, str] | None = None) -> None:
        self.refuse = dict(refuse or {})
        self.checked: list[Path] = []
        self.written: dict[Path, BoardPaper] = {}

    def check_target(self, out: Path) -> None:
        self.checked.append(out)
        if out in self.refuse:
            raise InputError(f"{out}: {self.refuse[out]}")

    def write(self, out: Path, paper: BoardPaper) -> None:
        self.written[out] = copy.deepcopy(paper)
