"""The library API for analysts: a master workbook's sheets as read-only typed records and pandas frames.

``ragbook.open_plan(path)`` reads a master file once, through the same unit of work the commands use
(``io.plans.FilePlans(path).reading()``, so a master Excel has open, a file that is not a workbook or one
missing a contract sheet is refused with the usual message) and never writes it. The ``Plan`` it returns
holds one view per sheet::

    plan = ragbook.open_plan("ActionPlan.xlsm")
    len(plan.register), plan.register[0].rag     # the typed records (core.model.Action)
    frame = plan.register.to_frame()             # a pandas DataFrame with the sheet's column headers

Each view is an immutable sequence (iterable, ``len``, indexing and slicing, nothing that changes it) of
frozen records; ``to_frame()`` imports pandas (``pip install 'ragbook[analysis]'``) and returns a new
DataFrame whose columns are the workbook contract's headers (``io.sheets.contract``), in the contract's
order, with the contract's date columns as ``datetime64[ns]``. A date cell holding text rather than a date
(a Target Date typed as "TBC") is ``NaT`` in the frame; the record keeps the text as typed.

``Plan.updates`` is the Updates sheet: every update accepted into the master, one dated row each (round,
return, agency, action, and the rating, progress, evidence and revised date as the agency gave them, a
rating restated unchanged included), by consolidation or on review. ``Plan.held_updates`` is the Held
Updates sheet: the updates held back for a person to accept or reject, with the reason and any decision
typed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Generic, Iterable, Iterator, Sequence, TypeVar, overload

from .core.model import Action, Agency
from .core.ratings import Rating
from .core.records import AuditEntry, Finding, HeldRecord, ReturnRecord, UpdateRecord
from .io.sheets import contract as c
from .io.sheets import records

if TYPE_CHECKING:  # pragma: no cover - pandas is imported only by to_frame
    import pandas

__all__ = ["Plan", "Update", "View", "open_plan"]

T = TypeVar("T")
Rows = Callable[[Sequence[T]], list[list[object]]]


Update = UpdateRecord  # one line of the Updates sheet (the name the library has always exported)


class View(Sequence[T], Generic[T]):
    """A read-only sequence of one sheet's records, with ``to_frame()`` for pandas."""

    __slots__ = ("_name", "_items", "_columns", "_rows")

    def __init__(self, name: str, items: Iterable[T], columns: Sequence[c.Column], rows: Rows) -> None:
        object.__setattr__(self, "_name", name)
        object.__setattr__(self, "_items", tuple(items))
        object.__setattr__(self, "_columns", tuple(columns))
        object.__setattr__(self, "_rows", rows)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"the {self._name} view is read-only")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"the {self._name} view is read-only")

    @property
    def name(self) -> str:
        """The sheet the view shows."""
        return self._name

    @property
    def columns(self) -> tuple[str, ...]:
        """The headers ``to_frame`` gives its columns."""
        return tuple(col.header for col in self._columns)

    def __len__(self) -> int:
        return len(self._items)

    def __iter__(self) -> Iterator[T]:
        return iter(self._items)

    @overload
    def __getitem__(self, index: int) -> T: ...

    @overload
    def __getitem__(self, index: slice) -> View[T]: ...

    def __getitem__(self, index: int | slice) -> T | View[T]:
        if isinstance(index, slice):
            return View(self._name, self._items[index], self._columns, self._rows)
        return self._items[index]

    def __eq__(self, other: object) -> bool:
        if isinstance(other, View):
            return self._name == other._name and self._items == other._items
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self._name, self._items))

    def __repr__(self) -> str:
        return f"<ragbook view {self._name!r}: {len(self._items)} rows>"

    def to_frame(self) -> pandas.DataFrame:
        """A new pandas DataFrame of the records: the contract's headers as columns, dates as datetime64."""
        import pandas as pd  # noqa: PLC0415 - pandas is optional, and only analysts need it

        frame = pd.DataFrame(self._rows(self._items), columns=list(self.columns))
        for col in self._columns:
            if col.kind in ("date", "datetime"):
                frame[col.header] = _datetimes(pd, frame[col.header])
        return frame


# The moments datetime64[ns] can hold (pandas.Timestamp.min and max, to the day): others are NaT.
_EARLIEST, _LATEST = datetime(1677, 9, 22), datetime(2262, 4, 11)


def _datetimes(pd, values: pandas.Series) -> pandas.Series:
    def as_datetime(value: object) -> datetime | None:
        if isinstance(value, datetime):
            moment = value.replace(tzinfo=None)
        elif isinstance(value, date):
            moment = datetime(value.year, value.month, value.day)
        else:
            return None  # blank, or text typed where a date belongs
        return moment if _EARLIEST <= moment <= _LATEST else None

    moments = pd.Series([as_datetime(v) for v in values], index=values.index, dtype="object")
    return pd.to_datetime(moments).astype("datetime64[ns]")


# ---------------------------------------------------------------------------- the plan
@dataclass(frozen=True)
class Plan:
    """A master workbook as it stood when it was opened: one read-only view per sheet."""

    path: Path
    register: View[Action]
    audit_log: View[AuditEntry]
    updates: View[UpdateRecord]
    held_updates: View[HeldRecord]
    returns: View[ReturnRecord]
    exceptions: View[Finding]
    rating_index: View[Rating]
    agencies: View[Agency]

    def __repr__(self) -> str:
        return f"<ragbook plan {str(self.path)!r}: {len(self.register)} actions>"


def open_plan(path: str | os.PathLike[str]) -> Plan:
    """Read the master workbook at ``path`` (an .xlsx or .xlsm master); the file is never written."""
    from .io.plans import FilePlans  # noqa: PLC0415 - openpyxl is loaded only when a plan is opened

    plan = Path(path)
    with FilePlans(plan).reading() as master:
        register = master.read_register()
        audit = master.read_audit()
        returns = master.read_returns()
        findings = master.read_findings()
        updates = master.read_updates()
        held = master.read_held()
    return Plan(
        path=plan,
        register=View(c.REGISTER, register.actions, c.REGISTER_COLUMNS, records.register_values),
        audit_log=View(c.AUDIT_LOG, audit, c.AUDIT_LOG_COLUMNS, records.audit_values),
        updates=View(c.UPDATES, updates, c.UPDATES_COLUMNS, records.update_values),
        held_updates=View(c.HELD_UPDATES, held, c.HELD_UPDATES_COLUMNS, records.held_values),
        returns=View(c.RETURNS, returns, c.RETURNS_COLUMNS, records.return_values),
        exceptions=View(c.EXCEPTIONS, findings, c.EXCEPTIONS_COLUMNS, records.finding_values),
        rating_index=View(c.RATING_INDEX, register.index.ratings, c.RATING_INDEX_COLUMNS, records.index_values),
        agencies=View(c.AGENCIES, register.agencies, c.AGENCIES_COLUMNS, records.agency_values),
    )
