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

``Plan.updates`` is not a sheet: the master has no Updates sheet, so the view is derived from the Audit
Log. Consolidation writes one Audit Log row per field it changed, with the return's id as the Source; the
view has one ``Update`` per (Source, Agency, Review, Ref, When) of those rows whose Source is an agency's
return, holding the new value of each input field the return changed (RAG, Progress, Evidence, Revised
Date) and ``None`` (blank in the frame) for the fields it left alone.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Generic, Iterable, Iterator, Sequence, TypeVar, overload

from .core.consolidate import INPUT_FIELDS
from .core.model import Action, Agency
from .core.ratings import Rating
from .core.records import AuditEntry, Finding, ReturnRecord
from .io.sheets import contract as c
from .io.sheets import records
from .io.sheets.values import date_of, text_of

if TYPE_CHECKING:  # pragma: no cover - pandas is imported only by to_frame
    import pandas

__all__ = ["Plan", "Update", "View", "open_plan"]

T = TypeVar("T")
Rows = Callable[[Sequence[T]], list[list[object]]]


@dataclass(frozen=True)
class Update:
    """One agency's update of one action, as consolidation applied it (derived from the Audit Log).

    ``source`` is the return's id; each input field holds the value the update gave it, or ``None`` when the
    update did not change that field.
    """

    when: datetime | date | str | None
    source: str
    agency: str
    review: str
    ref: str
    rag: str | None = None
    progress: str | None = None
    evidence: str | None = None
    revised_date: date | str | None = None


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
        """The sheet the view shows (``Updates`` for the view derived from the Audit Log)."""
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


# ---------------------------------------------------------------------------- the rows of each view
# The Updates view: the Audit Log's identifying columns (all but Field, Old and New), then the Register's
# column of each input field a return can change.
_UPDATE_KEY_COLUMNS = tuple(col for col in c.AUDIT_LOG_COLUMNS if col.header not in ("Field", "Old", "New"))
_INPUT_COLUMNS = tuple(col for name in INPUT_FIELDS for col in c.REGISTER_COLUMNS if col.attribute == name)
UPDATES_COLUMNS = _UPDATE_KEY_COLUMNS + _INPUT_COLUMNS


def _update_rows(updates: Sequence[Update]) -> list[list[object]]:
    return [[u.when, u.source, u.agency, u.review, u.ref, *(getattr(u, name) for name in INPUT_FIELDS)]
            for u in updates]


def derive_updates(audit: Iterable[AuditEntry], return_ids: Iterable[str] = ()) -> list[Update]:
    """The agencies' updates in the Audit Log, in the order they were logged.

    An entry is an agency's update when its Source is the id of a return: one of ``return_ids`` (the ledger's
    and the Returns sheet's, where every return ragbook issued is recorded). Entries of fields other than the input
    fields (Updated By) are not shown, so an update that changed only who updated the action has all four
    input fields ``None``.
    """
    known = {text.strip() for text in return_ids if text}
    attribute_of = {col.header: col.attribute for col in _INPUT_COLUMNS}
    grouped: dict[tuple[object, ...], dict[str, object]] = {}
    for entry in audit:
        source = entry.source.strip()
        if source not in known:
            continue
        key = (entry.source, entry.agency, entry.review, entry.ref, _when_key(entry.when))
        fields = grouped.setdefault(key, {"when": entry.when})
        name = attribute_of.get(entry.field.strip())
        if name is not None:
            fields[name] = _value(name, entry.new)
    updates = []
    for (source, agency, review, ref, _), fields in grouped.items():
        updates.append(Update(source=source, agency=agency, review=review, ref=ref, **fields))
    return updates


def _when_key(when: object) -> object:
    return when.isoformat() if isinstance(when, (date, datetime)) else when


def _value(name: str, new: object) -> object:
    if name == "revised_date":
        return date_of(new)
    return None if new is None else text_of(new)


# ---------------------------------------------------------------------------- the plan
@dataclass(frozen=True)
class Plan:
    """A master workbook as it stood when it was opened: one read-only view per sheet."""

    path: Path
    register: View[Action]
    audit_log: View[AuditEntry]
    updates: View[Update]
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
        ledger = master.read_ledger()
    return_ids = [e.return_id for e in ledger.entries] + [r.return_id for r in returns]
    return Plan(
        path=plan,
        register=View(c.REGISTER, register.actions, c.REGISTER_COLUMNS, records.register_values),
        audit_log=View(c.AUDIT_LOG, audit, c.AUDIT_LOG_COLUMNS, records.audit_values),
        updates=View("Updates", derive_updates(audit, return_ids), UPDATES_COLUMNS, _update_rows),
        returns=View(c.RETURNS, returns, c.RETURNS_COLUMNS, records.return_values),
        exceptions=View(c.EXCEPTIONS, findings, c.EXCEPTIONS_COLUMNS, records.finding_values),
        rating_index=View(c.RATING_INDEX, register.index.ratings, c.RATING_INDEX_COLUMNS, records.index_values),
        agencies=View(c.AGENCIES, register.agencies, c.AGENCIES_COLUMNS, records.agency_values),
    )
