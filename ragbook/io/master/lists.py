"""The master's streamed sheets as rows of plain values, each read from the package when first asked for.

The sheets that only grow (the Returns Ledger, the Audit Log, the Updates sheet) are most of a master's cells
after a few rounds, and most commands never look at them: Validate reads the Register, Refresh summary not the
ledger. So they are read when a command first asks for one, from the package as it was opened, through the
same checked reader (``ooxml.sheetstream``): a tampered sheet is refused, in a sentence, by the first command
that reads it; one no command read is carried over by the save byte for byte (``MasterWorkbook.kept_sheet_data``),
never interpreted and never spread. Every other list sheet, and the Register above all, is read on opening.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator, MutableMapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ...core.errors import InputError
from ...core.ledger import LEDGER_SHEET
from ..ooxml.package import MalformedPartError, Package
from ..sheets import contract as c
from ..sheets.values import text_of
from .layout import columns_of

# Read when first asked for (see the module's docstring).
READ_WHEN_ASKED = frozenset({LEDGER_SHEET, c.AUDIT_LOG, c.UPDATES})


@dataclass
class ListRows:
    """A streamed sheet's content: its header texts and its rows of plain values (no styles)."""

    headers: list[str]
    rows: list[list[object]] = field(default_factory=list)


class ListSheets(MutableMapping[str, ListRows]):
    """Sheet name -> its ``ListRows``; a sheet still to read is read on first access (``[name]``, ``get``)."""

    def __init__(self, read: Callable[[str], ListRows] | None = None) -> None:
        self._read, self._rows = read, {}
        self._later: dict[str, None] = {}

    def read_later(self, name: str) -> None:
        """``name`` is in the package, to be read when first asked for."""
        self._later[name] = None

    @property
    def waiting(self) -> bool:
        """Whether any sheet is still to be read."""
        return bool(self._later)

    def is_read(self, name: str) -> bool:
        return name in self._rows

    def __getitem__(self, name: str) -> ListRows:
        if name not in self._rows:
            if name not in self._later or self._read is None:
                raise KeyError(name)
            self._rows[name] = self._read(name)
            del self._later[name]
            if not self._later:
                self._read = None  # the package it read from may go
        return self._rows[name]

    def __setitem__(self, name: str, rows: ListRows) -> None:
        self._later.pop(name, None)
        self._rows[name] = rows

    def __delitem__(self, name: str) -> None:
        self._later.pop(name, None)
        self._rows.pop(name, None)

    def __contains__(self, name: object) -> bool:
        return name in self._rows or name in self._later

    def __iter__(self) -> Iterator[str]:
        return iter([*self._rows, *self._later])

    def __len__(self) -> int:
        return len(self._rows) + len(self._later)


def streamed_sheets(path: Path, source: Package) -> ListSheets:
    """The master's list sheets: those of ``READ_WHEN_ASKED`` to be read when asked for (from ``source``, which
    must stay open while any is waiting), the rest read now.

    Each is streamed out of the package already checked, only from the parts its relationships name, each
    cell checked as it is read, so that a tampered sheet is refused in a sentence; the values have the types
    calamine gave.
    """
    from ..ooxml import opc  # noqa: PLC0415 - only needed when opening a master
    from ..ooxml.sheetstream import Limits, SheetReader  # noqa: PLC0415

    with _refusing(path):
        main = opc.main_part(source)
        book = opc.workbook(source, main) if main else None
        if book is None:
            raise InputError(f"{path}: its sheets cannot be read (no workbook part).")
    reader = SheetReader(book, Limits(holds="anything a master holds"))

    def read(name: str) -> ListRows:
        with _refusing(path):
            return _rows_of(name, reader.grid(name))

    lists = ListSheets(read)
    for name in [*c.STREAMED_SHEETS, LEDGER_SHEET]:
        if name not in book.sheets:
            if name != LEDGER_SHEET:
                lists[name] = ListRows([col.header for col in columns_of(name)])
            continue
        if book.sheets[name] is None:
            raise InputError(f"{path}: its sheets cannot be read (sheet '{name}' has no part).")
        if name in READ_WHEN_ASKED:
            lists.read_later(name)
        else:
            lists[name] = read(name)
    return lists


def _rows_of(name: str, rows: list[list[object]]) -> ListRows:
    if name == LEDGER_SHEET:
        return ListRows(list(rows[0]) if rows else [], [list(r) for r in rows[1:]])
    headers = [text_of(v).strip() for v in rows[0]] if rows else []
    while headers and not headers[-1]:
        headers.pop()
    body = [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    return ListRows(headers or [col.header for col in columns_of(name)], body)


@contextmanager
def _refusing(path: Path) -> Iterator[None]:
    """A sheet that cannot be read, refused in one sentence naming the master and the part."""
    try:
        yield
    except MalformedPartError as exc:
        raise InputError(f"{path}: its sheets cannot be read (part {exc.part} is not well-formed: "
                         f"{exc.cause}).") from None
    except zipfile.BadZipFile as exc:
        raise InputError(f"{path}: its sheets cannot be read ({exc}).") from None
