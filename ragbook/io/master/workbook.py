"""The master workbook on disk.

``MasterWorkbook.open`` refuses a master Excel has open, a file that is not a workbook, and one missing a
contract sheet, before anything is changed; ``save`` goes through ``save.save_atomically`` so a crash never
leaves a half-written master. Both ``.xlsx`` and ``.xlsm`` masters are handled: an ``.xlsm`` is loaded with
``keep_vba`` so its VBA project and ribbon survive.

The list sheets that grow with the plan (``contract.STREAMED_SHEETS``) are held as plain rows of values:
read with python-calamine and written as XML text by ``sheetxml`` (see ``package`` for why). Everything else
is an openpyxl workbook, loaded from a copy of the package in which those sheets hold only their header row.
The file is read from disk once, into the ``ooxml.package.Package`` that the safety checks, the preservation
checks, the cut and calamine all share; ``writer`` saves a master and ``layout`` gives its sheets their look.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from ...core.errors import InputError
from ...core.ledger import LEDGER_SHEET, Ledger, parse_ledger
from ...core.model import ActionKey, Agency, Register
from ...core.ratings import DEFAULT_INDEX, RatingIndex
from ...core.records import AuditEntry, Finding, UpdateRecord
from ...core.repair import CellNote
from ...core.summary import Summary
from ..ooxml.kinds import ENCRYPTED_OLE, XLSM, XLSX, describe_kind, refuse_password, sniff
from ..ooxml.package import MalformedPartError, Package
from ..sheets import contract as c
from ..sheets import records
from ..xlsm.template import packaged_template
from . import ledger_sheet, package
from .lists import ListRows, ListSheets, streamed_sheets
from .layout import (columns_of, fit_table, make_list_sheet, new_book, replace_rating_rules,
                     replace_validation, write_rows)
from ..xlsx.notes import Note
from ..xlsx.validation import rating_list, rating_prompt, validation
from .preserve import check_macros_kept, check_preservable, macro_parts
from .save import check_not_open, save_atomically, verify_saved
from .writer import Writer

if TYPE_CHECKING:
    from .summary_cells import SummaryCells


@dataclass
class MasterWorkbook(records.ListSheets):
    path: Path
    book: Workbook
    lists: ListSheets = field(default_factory=ListSheets)
    # Register columns a user added beyond the contract: their headers, and their values by action key.
    extra_headers: list[str] = field(default_factory=list)
    extra_values: dict[ActionKey, list[object]] = field(default_factory=dict)
    # An .xlsm master's VBA project and ribbon as opened: a save must leave them exactly as they were.
    macros: dict[str, object] = field(default_factory=dict)
    # Whether any write method ran: the unit of work saves a master only when something was written to it.
    changed: bool = False
    # The Register's notes, (row, column) -> note: ragbook's own (author c.NOTE_AUTHOR), the texts continued
    # from their cells (c.CONTINUED_AUTHOR) and a person's, all written as XML on saving (``writer``).
    notes: dict[tuple[int, int], Note] = field(default_factory=dict)
    # The master as it was opened, and the part of each list sheet nothing has written to since: a save
    # carries those sheets' rows over as they were instead of writing them again.
    original: bytes | None = None
    untouched: dict[str, str] = field(default_factory=dict)
    # Where the rows appended to an untouched list sheet begin (the Audit Log, the Updates sheet): a save keeps
    # the sheet's rows as they were and writes only these after them.
    appended_from: dict[str, int] = field(default_factory=dict)
    # The Summary drawn since opening (its cells are written as XML on saving), else None.
    summary_cells: SummaryCells | None = None

    @property
    def name(self) -> str:
        return str(self.path)

    # ----------------------------------------------------------------- opening and saving
    @classmethod
    def create(cls, path: Path, index: RatingIndex = DEFAULT_INDEX) -> MasterWorkbook:
        if path.suffix.lower() not in {".xlsx", ".xlsm"}:
            raise InputError(f"{path}: a master must be an .xlsx or .xlsm workbook.")
        if path.suffix.lower() == ".xlsm":
            # The macro-enabled master starts as a copy of the built ActionPlan.xlsm: its VBA and ribbon.
            template = packaged_template()
            book = load_workbook(io.BytesIO(template), keep_vba=True, rich_text=False)
            master = cls(path, book, macros=macro_parts(Package(path, template)))
        else:
            master = cls(path, new_book())
        for name in c.STREAMED_SHEETS:
            master.lists[name] = ListRows([col.header for col in columns_of(name)])
        master.write_index(index)
        master.write_register(Register(index))
        return master

    @classmethod
    def open(cls, path: Path) -> MasterWorkbook:
        check_not_open(path)
        sniffed = sniff(path)
        kind = sniffed.kind
        if kind == ENCRYPTED_OLE:
            raise refuse_password(path)
        if kind not in {XLSX, XLSM} or sniffed.package is None:
            raise InputError(f"{path}: is {describe_kind(kind)}, not a ragbook master workbook.")
        source = sniffed.package
        try:
            book, notes_at, cells_kept = _load(source, keep_vba=(kind == XLSM))
            missing = [name for name in (c.REGISTER, c.RATING_INDEX) if name not in book.sheetnames]
            if missing:
                raise InputError(f"{path}: has no {' or '.join(repr(m) for m in missing)} sheet, so it is not a "
                                 f"ragbook master; create one with 'ragbook new'.")
            master = cls(path, book, macros=macro_parts(source) if kind == XLSM else {})
            master._ensure_sheets()
            master.lists = streamed_sheets(path, source)
            master.notes = _read_notes(source, notes_at)
            master.original = source.data
            master.untouched = {name: part for name, part in source.sheet_parts.items()
                                if (name in master.lists or name in cells_kept) and part in source}
        except BaseException:
            source.close()
            raise
        if not master.lists.waiting:
            source.close()  # else the sheets still to read are read from it (``lists``)
        return master

    def _touch(self, sheet: str) -> None:
        """Something was written to ``sheet``: the next save writes it (and the master) afresh."""
        self.changed = True
        self.untouched.pop(sheet, None)

    def kept_sheet_data(self, sheet: str) -> tuple[bytes, str] | None:
        """The sheet's ``<sheetData>`` and dimension as opened (a list sheet or the Summary), if nothing wrote to it
        since and its cells can be carried over as they are (else None)."""
        part = self.untouched.get(sheet)
        return package.kept_sheet_data(self.original, part) if part and self.original is not None else None

    def _ensure_sheets(self) -> None:
        """Add any contract sheet an older master lacks (they are all lists, safe to add empty)."""
        for name, columns in c.LIST_SHEETS.items():
            if name not in self.book.sheetnames:
                make_list_sheet(self.book, name, columns)
        if c.SUMMARY not in self.book.sheetnames:
            self.book.create_sheet(c.SUMMARY, 1)

    def save(self) -> None:
        save_atomically(Writer(self), self.path, verify=self._verify)

    def _verify(self, written: Path) -> None:
        verify_saved(written)
        if self.macros:
            check_macros_kept(self.macros, written, self.path)

    def sheet(self, name: str) -> Worksheet:
        return self.book[name]

    # ----------------------------------------------------------------- reading
    def read_index(self) -> RatingIndex:
        return records.index_from(self._headed_rows(c.RATING_INDEX), str(self.path))

    def read_agencies(self) -> list[Agency]:
        return records.agencies_from(self._headed_rows(c.AGENCIES))

    def read_register(self) -> Register:
        content = self.lists[c.REGISTER]
        read = records.actions_from(content.headers, content.rows, str(self.path))
        self.extra_headers, self.extra_values = read.extra_headers, read.extra_values
        return Register(self.read_index(), read.actions, self.read_agencies())

    def _headed_rows(self, sheet: str) -> list[tuple[int, records.HeadedRow]]:
        if sheet in self.lists:
            return records.headed_rows(self.lists[sheet].headers, self.lists[sheet].rows)
        ws = self.book[sheet]
        header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
        return records.headed_rows(header, ws.iter_rows(min_row=2, values_only=True))

    def read_ledger(self) -> Ledger:
        content = self.lists.get(LEDGER_SHEET)
        return parse_ledger([content.headers, *content.rows]) if content else Ledger()

    def write_ledger(self, ledger: Ledger) -> None:
        self._touch(LEDGER_SHEET)
        first, *rest = ledger_sheet.ledger_values(ledger)
        self.lists[LEDGER_SHEET] = ListRows(first, rest)
        if LEDGER_SHEET not in self.book.sheetnames:
            ledger_sheet.add_sheet(self.book)

    # ----------------------------------------------------------------- writing
    def write_register(self, register: Register) -> None:
        self._touch(c.REGISTER)
        blank_extras = [None] * len(self.extra_headers)
        rows = [values + self.extra_values.get(a.key, blank_extras)
                for a, values in zip(register.actions, records.register_values(register.actions))]
        self.lists[c.REGISTER] = ListRows([col.header for col in c.REGISTER_COLUMNS] + self.extra_headers, rows)
        ws = self.book[c.REGISTER]
        fit_table(ws, c.REGISTER_TABLE, [col.header for col in c.REGISTER_COLUMNS], len(rows))
        self._date_validation(len(rows))
        self.write_agencies(register.agencies)

    def write_index(self, index: RatingIndex) -> None:
        self._touch(c.REGISTER)  # the rating cells take their colours from the index when the Register is written
        ws = self.book[c.RATING_INDEX]
        write_rows(ws, c.RATING_INDEX_COLUMNS, records.index_values(index.ratings))
        fit_table(ws, c.table_name(c.RATING_INDEX), [col.header for col in c.RATING_INDEX_COLUMNS], len(index.ratings))
        for row_number, rating in enumerate(index.ratings, start=2):
            for col in (1, 2):
                cell = ws.cell(row_number, col)
                cell.fill = PatternFill("solid", fgColor=rating.fill)
                cell.font = Font(color=rating.font, bold=True)

    def write_agencies(self, agencies: Sequence[Agency]) -> None:
        self._write_list(c.AGENCIES, records.agency_values(agencies))

    def _write_list(self, sheet: str, rows: Iterable[Sequence[object]]) -> None:
        self._touch(sheet)  # the list sheets' writers of records.ListSheets all come here
        columns = c.LIST_SHEETS[sheet]
        headers = [col.header for col in columns]
        if sheet in c.STREAMED_SHEETS:
            self.lists[sheet] = ListRows(headers, [list(r) for r in rows])
            count = len(self.lists[sheet].rows)
        else:
            count = write_rows(self.book[sheet], columns, rows)
        fit_table(self.book[sheet], c.table_name(sheet), headers, count)

    def mark_findings(self, register: Register, findings: Sequence[Finding]) -> int:
        """Put a note on each offending Register cell, and take away the notes of problems now fixed.

        Only ragbook's own notes are changed, and only those whose text changes: a person's note, or a text
        continued from its cell, is never replaced; a note of ragbook's a person resized keeps its size.
        """
        self.changed = True
        headers = records.header_map([col.header for col in c.REGISTER_COLUMNS])
        wanted = records.finding_notes(register, findings, headers)
        for cell in [cell for cell, note in self.notes.items() if note.author == c.NOTE_AUTHOR and cell not in wanted]:
            del self.notes[cell]
        for cell, text in wanted.items():
            note = self.notes.get(cell)
            if note is None or (note.author == c.NOTE_AUTHOR and note.text != text):
                self.notes[cell] = Note(text, c.NOTE_AUTHOR, 320, 40 + 30 * (text.count("\n") + 1))
        return len(wanted)

    def add_cell_notes(self, register: Register, notes: Sequence[CellNote]) -> None:
        self.changed = True
        for cell, text in records.cell_note_places(register, notes).items():
            self.notes[cell] = Note(text, c.CONTINUED_AUTHOR, 480, 400)

    def apply_colours(self, register: Register) -> dict[str, int]:
        """Add the ratings dropdown and live recolouring rules, and repaint the index; count the ratings.

        The rating cells themselves take their colours from the index on every save (see ``writer``).
        """
        self.changed = True
        ws = self.book[c.REGISTER]
        index = register.index
        column = [col.attribute for col in c.REGISTER_COLUMNS].index("rag") + 1
        letter = get_column_letter(column)
        area = f"{letter}2:{letter}{max(len(register.actions) + 1, 2)}"
        counts: dict[str, int] = {}
        for action in register.actions:
            rating = index.get(action.rag.strip())
            label = rating.label if rating else "unrated or unknown"
            counts[label] = counts.get(label, 0) + 1
        replace_rating_rules(ws, column, area, index)
        replace_validation(ws, column, validation(
            "list", area, formula1=rating_list(index, c.RATING_INDEX, "A", 2), title="Rating",
            error=f"Choose one of the ratings on the {c.RATING_INDEX} sheet.", prompt=rating_prompt(index)))
        self.write_index(index)
        return counts

    def append_audit(self, entries: Iterable[AuditEntry]) -> None:
        entries = list(entries)  # read twice when the sheet must be written afresh
        if not self._appended(c.AUDIT_LOG, records.audit_values(entries)):
            super().append_audit(entries)

    def append_updates(self, updates: Iterable[UpdateRecord]) -> None:
        updates = list(updates)
        if not self._appended(c.UPDATES, records.update_values(updates)):
            super().append_updates(updates)

    def _appended(self, sheet: str, rows: list[list[object]]) -> bool:
        """Add rows at the end of a list sheet in the contract's columns; False, adding nothing, when a person
        changed its columns (the caller writes it afresh in the contract's order)."""
        content = self.lists[sheet]
        headers = [col.header for col in c.LIST_SHEETS[sheet]]
        if content.headers != headers:
            return False
        self.changed = True
        if sheet in self.untouched:
            self.appended_from.setdefault(sheet, len(content.rows))
        content.rows.extend(rows)
        fit_table(self.book[sheet], c.table_name(sheet), headers, len(content.rows))
        return True

    def write_summary(self, summary: Summary) -> None:
        self._touch(c.SUMMARY)
        from ..sheets.summary_layout import layout  # noqa: PLC0415 - only the summary needs the drawing code
        from .summary_cells import SummaryCells  # noqa: PLC0415
        from .summary_sheet import draw_frame  # noqa: PLC0415

        sheet_layout = layout(summary)
        draw_frame(self.book, sheet_layout)
        self.summary_cells = SummaryCells(self.book, sheet_layout)

    def _date_validation(self, rows: int) -> None:
        ws = self.book[c.REGISTER]
        for attribute in ("target_date", "revised_date"):
            column = [col.attribute for col in c.REGISTER_COLUMNS].index(attribute) + 1
            letter = get_column_letter(column)
            replace_validation(ws, column, validation(
                "date", f"{letter}2:{letter}{max(rows + 1, 2)}", operator="greaterThan", formula1="DATE(2000,1,1)",
                title="Date", error="Enter a date, such as 31/03/2026."))


def blank_book() -> Workbook:
    """The openpyxl book of an empty ``.xlsx`` master (the ribbon workbook's builder starts from it)."""
    return MasterWorkbook.create(Path("blank.xlsx")).book


def _load(source: Package, keep_vba: bool) -> tuple[Workbook, dict[str, package.NoteParts], set[str]]:
    """The master as openpyxl sees it, once nothing a save would lose is in it and its list sheets are cut
    (the Register's notes are cut too: the master holds them itself, and the Summary's cells when they can be
    carried over as they are); where the Register's notes are; and whether the Summary's cells were cut."""
    path = source.path
    try:
        try:
            check_preservable(source)
        except zipfile.BadZipFile:
            raise InputError(f"{path}: is damaged (it starts like a zip package but cannot be opened).") from None
        copy, notes_at, cells_kept = package.cut_list_sheets(
            source, {*c.STREAMED_SHEETS, LEDGER_SHEET}, frozenset({c.REGISTER}), frozenset({c.SUMMARY}))
        book = load_workbook(io.BytesIO(copy), keep_vba=keep_vba, rich_text=False)
        package.restore_note_sizes(book, source)
        return book, notes_at, cells_kept
    except MalformedPartError as exc:
        cause: Exception = exc.cause
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, SyntaxError) as exc:
        cause = exc
    raise InputError(f"{path}: cannot be opened as a workbook ({cause.__class__.__name__}: {cause}).") from None


def _read_notes(source: Package, notes_at: dict[str, package.NoteParts]) -> dict[tuple[int, int], Note]:
    try:
        return package.read_notes(source, notes_at.get(c.REGISTER, package.NoteParts()))
    except MalformedPartError as exc:
        raise InputError(f"{source.path}: its notes cannot be read (part {exc.part} is not well-formed: "
                         f"{exc.cause}).") from None
