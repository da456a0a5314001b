"""What the use cases need from a master workbook, whichever way it is reached.

Two adapters implement ``Master``: ``io.master.workbook.MasterWorkbook`` (a file on disk, via openpyxl: the
command line) and the live workbook in Excel (via xlwings: the ribbon buttons). The use cases in
``services`` only ever talk to this protocol, so a button and its command do the same thing.
"""

from __future__ import annotations

from typing import Iterable, Protocol, Sequence

from .core.ledger import Ledger
from .core.model import Register
from .core.ratings import RatingIndex
from .core.rules import Finding
from .core.summary import Summary


class Master(Protocol):
    @property
    def name(self) -> str:
        """How messages name the master (its file path or workbook name)."""

    def read_register(self) -> Register: ...

    def write_register(self, register: Register) -> None: ...

    def write_index(self, index: RatingIndex) -> None: ...

    def write_exceptions(self, findings: Sequence[Finding]) -> None: ...

    def mark_findings(self, register: Register, findings: Sequence[Finding]) -> int: ...

    def apply_colours(self, register: Register) -> dict[str, int]: ...

    def read_list(self, sheet: str) -> list[dict[str, object]]: ...

    def write_list(self, sheet: str, rows: Iterable[Sequence[object]]) -> None: ...

    def append_list(self, sheet: str, rows: Iterable[Sequence[object]]) -> None: ...

    def write_summary(self, summary: Summary) -> None:
        """Rebuild the Summary sheet: the tables of ``io.summary_layout.layout(summary)`` and its charts."""

    def read_ledger(self) -> Ledger:
        """The returns ledger from the very hidden ``Returns Ledger`` sheet (an empty one if absent).

        The sheet is a block of values: ``core.ledger.parse_ledger`` reads it and ``ledger_rows`` writes it,
        so an adapter only moves the whole block at once.
        """

    def write_ledger(self, ledger: Ledger) -> None:
        """Replace the ``Returns Ledger`` sheet with ``core.ledger.ledger_rows(ledger)``, very hidden."""

    def save(self) -> None: ...
