"""What the use cases need from the world outside the core, whichever way it is reached.

The use cases in ``app`` talk only to these protocols; the entry layers (the CLI, the ribbon buttons) hand
them the adapters of ``io``. ``Master`` is a master workbook: a file on disk via openpyxl, or the live
workbook in Excel via xlwings. ``Plans`` opens masters for a use case and saves them when it succeeds: it
is the unit of work, the one place a master file is opened and saved. ``PlanSources``, ``ReturnFiles`` and
``ReportWriter`` read plans to import, write and read agencies' returns, and write board reports.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from datetime import date
from pathlib import Path
from typing import Iterable, Protocol, Sequence

from ..core.chase import Reminder
from ..core.ledger import Ledger
from ..core.paper import BoardPaper
from ..core.model import Agency, Register
from ..core.ratings import RatingIndex
from ..core.records import AuditEntry, Finding, HeldRecord, ReturnRecord, UpdateRecord
from ..core.repair import CellNote, ImportedPlan
from ..core.returns import ReturnContent, ReturnSpec
from ..core.round import RoundSettings
from ..core.settings import Settings
from ..core.summary import Summary


class Master(Protocol):
    @property
    def name(self) -> str:
        """How messages name the master (its file path or workbook name)."""

    def read_register(self) -> Register: ...

    def write_register(self, register: Register) -> None: ...

    def write_index(self, index: RatingIndex) -> None: ...

    def read_findings(self) -> list[Finding]:
        """The Exceptions sheet as it stands."""

    def write_findings(self, findings: Sequence[Finding]) -> None:
        """Replace the Exceptions sheet."""

    def mark_findings(self, register: Register, findings: Sequence[Finding]) -> int:
        """Note each offending Register cell (and take away ragbook's notes on cells now fine); how many."""

    def add_cell_notes(self, register: Register, notes: Sequence[CellNote]) -> None:
        """Put each text that did not fit its Register cell in a note on that cell (kept by Validate)."""

    def apply_colours(self, register: Register) -> dict[str, int]: ...

    def read_audit(self) -> list[AuditEntry]: ...

    def append_audit(self, entries: Iterable[AuditEntry]) -> None:
        """The Audit Log is append-only: entries go under the existing ones."""

    def read_returns(self) -> list[ReturnRecord]: ...

    def write_returns(self, records: Sequence[ReturnRecord]) -> None: ...

    def write_summary(self, summary: Summary) -> None:
        """Rebuild the Summary sheet: the tables of ``summary`` and its charts."""

    def read_settings(self) -> Settings:
        """The Settings sheet (the partnership's name, contact, protective marking); defaults where blank."""

    def read_round(self) -> RoundSettings:
        """The Round sheet (the next round's due date, how returns go out, when to chase); defaults where blank."""

    def read_updates(self) -> list[UpdateRecord]:
        """The Updates sheet: every accepted update, oldest first."""

    def append_updates(self, updates: Iterable[UpdateRecord]) -> None:
        """The Updates sheet is append-only: lines go under the existing ones."""

    def read_held(self) -> list[HeldRecord]:
        """The Held Updates sheet as it stands, with the decisions a person typed."""

    def write_held(self, held: Sequence[HeldRecord]) -> None:
        """Replace the Held Updates sheet."""

    def read_ledger(self) -> Ledger:
        """The returns ledger from the very hidden ``Returns Ledger`` sheet (an empty one if absent)."""

    def write_ledger(self, ledger: Ledger) -> None: ...


class Plans(Protocol):
    """The unit of work over master workbooks: each context yields a ``Master``; ``editing`` and ``creating``
    save it when the block ends without an exception (and leave the stored master untouched otherwise)."""

    @property
    def name(self) -> str: ...

    def editing(self) -> AbstractContextManager[Master]: ...

    def reading(self) -> AbstractContextManager[Master]: ...

    def creating(self) -> AbstractContextManager[Master]:
        """A new master with every contract sheet and the default Rating Index; refused if it exists."""


class PlanSources(Protocol):
    def read(self, source: Path, index: RatingIndex, review: str | None) -> ImportedPlan:
        """The plan in ``source`` (any supported format), its rows not yet repaired."""


class ReturnFiles(Protocol):
    def prepare_folder(self, folder: Path) -> None:
        """Make sure the returns can be written into ``folder``."""

    def write(self, spec: ReturnSpec, path: Path, secret: str, password: str | None) -> None: ...

    def write_draft(self, return_path: Path, agency: Agency, plan_name: str, due: date | None,
                    encrypted: bool, signature: Sequence[str] = ()) -> Path:
        """An email draft beside the return, to the agency, with the return attached, signed with
        ``signature`` (``Settings.signature()``; the business unit's name when empty)."""

    def write_chase(self, folder: Path, reminder: Reminder, plan_name: str, signature: Sequence[str] = ()) -> Path:
        """A reminder email draft in ``folder`` to the agency whose return is still awaited, naming the actions
        awaited (no attachment), signed as the covering emails are."""

    def remove(self, paths: Iterable[Path]) -> None: ...

    def find(self, paths: Sequence[Path]) -> list[Path]:
        """The return files named, and those inside the folders named."""

    def read(self, path: Path, password: str | None) -> ReturnContent: ...


class ReportWriter(Protocol):
    def check_target(self, out: Path) -> None:
        """Refuse, before any work is done, a report that cannot be written at ``out``."""

    def write(self, out: Path, paper: BoardPaper) -> None:
        """Write the board report ``paper`` at ``out``."""
