"""``LiveMaster``: the master workbook open in Excel, read and written through xlwings in bulk.

Each sheet is read once as one block of values, and each table is written back as one block, so a button
costs a handful of round trips to Excel whatever the size of the register (every cell written one by one
would be hundreds of thousands). Only the xlwings API is used, so the same code runs in desktop Excel
(Windows, Mac) and on xlwings' remote engine, which turns every call into an action for the client and
which the tests drive on Linux.

Where the two adapters differ, on purpose:
- Ratings are coloured by conditional-format rules read from the Rating Index (one rule per rating), not by
  a fill on each cell: the cells look the same, and changing a rating recolours it at once.
- The notes ragbook put on cells at the last validation are found through the Exceptions sheet that
  validation wrote (the remote engine cannot read a note's author or text), and only the notes that differ
  are sent: which cells have a note at all is read once (``notes.SheetNotes``), never cell by cell.
- Nothing is saved: the change is in the open workbook, and the user saves it as any other edit.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, Iterable, Sequence

from ...core.ledger import LEDGER_SHEET, Ledger, ledger_rows, parse_ledger
from ...core.model import Agency, Register
from ...core.ratings import RatingIndex
from ...core.records import Finding, UpdateRecord
from ...core.repair import CellNote
from ...core.returns import column_letter
from ...core.rules import FIELD_LABELS
from ...core.summary import Summary
from ..sheets import contract as c
from ..sheets import records
from ..sheets.records import cell_note_places, finding_notes, header_map, list_rows, register_values
from ..sheets.values import DATE_FORMAT, DATETIME_FORMAT, text_of
from .notes import SheetNotes

# Excel reads a typed value: '=1+1' becomes a formula, '1.10' the number 1.1, '31/03' a date. Text that
# Excel would read as anything but text is written behind an apostrophe, which Excel keeps out of the value.
_LOOKS_TYPED = re.compile(r"^[\s\d.,/:%$£€()+-]*\d[\s\d.,/:%$£€()eE+-]*$|^(TRUE|FALSE)$", re.I)
# The control characters no cell can hold (as openpyxl has them; this adapter works without openpyxl).
ILLEGAL_CHARACTERS_RE = re.compile(r"[\000-\010]|[\013-\014]|[\016-\037]")


def cell_text(value: str) -> str | None:
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if not value:
        return None
    if value[0] in "=+-@'" or _LOOKS_TYPED.match(value):
        return "'" + value
    return value


def to_cell(value: object) -> object:
    return cell_text(value) if isinstance(value, str) else value


# Contract sheets newer than some masters in use: read as empty (or their defaults) until first written.
ADDED_LATER = (c.SETTINGS, c.ROUND, c.UPDATES, c.HELD_UPDATES)


class LiveMaster(records.ListSheets):
    """A ``ports.Master`` over an ``xlwings.Book`` (desktop Excel or the remote engine)."""

    def __init__(self, book: Any) -> None:
        self.book = book
        self._values: dict[str, list[list[object]]] = {}
        self._table_rows: dict[str, int] = {}  # each table's rows (header included) as this adapter last sized it
        self._previous_exceptions: list[Finding] | None = None

    @property
    def name(self) -> str:
        return str(self.book.fullname)  # the full path on the desktop, as the command line names a master

    # ----------------------------------------------------------------- reading (one read per sheet)
    def values(self, sheet: str) -> list[list[object]]:
        if sheet not in self._values:
            ws = self.book.sheets[sheet]
            last = ws.used_range.last_cell
            block = ws.range((1, 1), (last.row, last.column)).options(ndim=2).value
            self._values[sheet] = [list(row) for row in block or []]
        return self._values[sheet]

    def read_index(self) -> RatingIndex:
        return records.index_from(list_rows(self.values(c.RATING_INDEX)), self.name)

    def read_register(self) -> Register:
        values = self.values(c.REGISTER)
        headers = [text_of(h).strip() for h in values[0]] if values else []
        actions = records.actions_from(headers, values[1:], self.name).actions
        return Register(self.read_index(), actions, records.agencies_from(list_rows(self.values(c.AGENCIES))))

    # ----------------------------------------------------------------- writing (one block per table)
    def _write_table(self, sheet: str, table: str, columns: Sequence[c.Column], rows: list[list[object]],
                     kept: int = 0) -> None:
        """The table's rows become ``rows``; the first ``kept`` of them are on the sheet already, and not sent."""
        ws = self.book.sheets[sheet]
        width = len(columns)
        old_last = len(self.values(sheet))
        data = [[to_cell(v) for v in row[:width]] + [None] * (width - len(row)) for row in rows[kept:]]
        end = kept + len(data) + 1  # the table's last row
        if old_last > end:
            ws.range((end + 1, 1), (old_last, width)).clear_contents()
        if data:
            ws.range((kept + 2, 1), (end, width)).value = data
        # Each call to Excel is one action of the button's budget: a table already of the size wanted is not
        # resized (a consolidation never changes the Register's length), and the rows of the table that held
        # data keep the number formats the write that added them gave them, so only rows new to it get them.
        before = self._table_rows.get(sheet) or _rows_of(ws.tables[table])
        spans = max(end, 2)
        if spans != before:
            ws.tables[table].resize(ws.range((1, 1), (spans, width)))
        self._table_rows[sheet] = spans
        formatted = max(min(before, old_last), 1)
        if end > formatted:
            for first, last, number_format in _format_blocks(columns):
                ws.range((formatted + 1, first), (end, last)).number_format = number_format
        header = self.values(sheet)[0] if self.values(sheet) else [col.header for col in columns]
        self._values[sheet] = [list(header)] + [list(row) for row in rows]

    def write_register(self, register: Register) -> None:
        rows_before = len(self.values(c.REGISTER)) - 1
        self._write_table(c.REGISTER, c.REGISTER_TABLE, c.REGISTER_COLUMNS, register_values(register.actions))
        if rows_before != len(register):
            # The date checks and colour rules cover the register's rows: only a change of length moves them
            # (a consolidation never does, and each rule rewritten is one more Excel action).
            ws = self.book.sheets[c.REGISTER]
            last = max(len(register) + 1, 2)
            headers = header_map(self.values(c.REGISTER)[0])
            for label in (FIELD_LABELS["target_date"], FIELD_LABELS["revised_date"]):
                column = headers[label]
                ws.range((2, column), (last, column)).data_validation.set_date("greater_than", date(2000, 1, 1))
            # Ratings show their index colours as soon as they are written, as in a master the command line saved.
            rag = headers[FIELD_LABELS["rag"]]
            _rating_rules(ws.range((2, rag), (last, rag)), register.index)
        self.write_agencies(register.agencies)

    def write_agencies(self, agencies: Iterable[Agency]) -> None:
        rows = records.agency_values(agencies)
        current = [[row.get(col.header) or "" for col in c.AGENCIES_COLUMNS] for _, row in list_rows(self.values(c.AGENCIES))]
        if rows != current:
            self._write_list(c.AGENCIES, rows)

    def write_findings(self, findings: Sequence[Finding]) -> None:
        if self._previous_exceptions is None:  # the notes to take away are those of the findings replaced
            self._previous_exceptions = self.read_findings()
        super().write_findings(findings)

    def append_updates(self, updates: Iterable[UpdateRecord]) -> None:
        """Only the new lines are sent, under the sheet's last one: the Updates sheet grows by a round of updates
        every quarter, and sending it whole would cost more Excel actions every round."""
        headers = [col.header for col in c.UPDATES_COLUMNS]
        values = self.values(c.UPDATES) if self._has_sheet(c.UPDATES) else []
        if not values or [text_of(h).strip() for h in values[0][:len(headers)]] != headers:
            super().append_updates(updates)  # a sheet laid out otherwise is written again in the contract's order
            return
        kept = [list(row[:len(headers)]) for row in values[1:]]
        while kept and all(v in (None, "") for v in kept[-1]):
            kept.pop()
        self._write_table(c.UPDATES, c.table_name(c.UPDATES), c.UPDATES_COLUMNS,
                          kept + records.update_values(updates), len(kept))

    def _headed_rows(self, sheet: str) -> list[tuple[int, records.HeadedRow]]:
        if sheet in ADDED_LATER and not self._has_sheet(sheet):
            return []  # a master from before the sheet: the defaults, or nothing yet (its first write adds it)
        return list_rows(self.values(sheet))

    def _write_list(self, sheet: str, rows: Iterable[Sequence[object]]) -> None:
        if sheet in ADDED_LATER and not self._has_sheet(sheet):
            self._add_list_sheet(sheet)
        self._write_table(sheet, c.table_name(sheet), c.LIST_SHEETS[sheet], [list(r) for r in rows])

    def _has_sheet(self, sheet: str) -> bool:
        if sheet not in self._values:
            names = {s.name for s in self.book.sheets}
            if sheet not in names:
                return False
        return True

    def _add_list_sheet(self, sheet: str) -> None:
        """A contract sheet an older master lacks, added after the last sheet: its header and its table."""
        columns = c.LIST_SHEETS[sheet]
        ws = self.book.sheets.add(sheet, after=self.book.sheets[len(self.book.sheets) - 1])
        headers = [col.header for col in columns]
        ws.range((1, 1), (1, len(headers))).value = [headers]
        ws.tables.add(ws.range((1, 1), (2, len(headers))), name=c.table_name(sheet))
        self._values[sheet] = [headers]
        self._table_rows[sheet] = 2

    def write_index(self, index: RatingIndex) -> None:
        self._write_list(c.RATING_INDEX, records.index_values(index.ratings))
        ws = self.book.sheets[c.RATING_INDEX]
        count = len(index.ratings)
        codes = ws.range((2, 1), (count + 1, 2))
        codes.set_colors([[f"#{r.fill}", f"#{r.fill}"] for r in index.ratings])
        codes.font.bold = True
        for row, rating in enumerate(index.ratings, start=2):
            ws.range((row, 1), (row, 2)).font.color = f"#{rating.font}"

    def mark_findings(self, register: Register, findings: Sequence[Finding]) -> int:
        """Note each offending cell; take away the notes the previous validation left on cells now fine.

        The previous validation's notes are known from the Exceptions sheet it wrote, so only the differences
        are sent: a note whose text is unchanged is not touched, and a cell holding a note that was not
        ragbook's (a person's, or a text continued from the cell) is never given one.
        """
        headers = header_map(self.values(c.REGISTER)[0])
        notes = finding_notes(register, findings, headers)
        previous = self._previous_exceptions if self._previous_exceptions is not None else self.read_findings()
        earlier = finding_notes(register, previous, headers)
        stale = sorted(set(earlier) - set(notes))
        changed = sorted((cell, text) for cell, text in notes.items() if earlier.get(cell) != text)
        if stale or changed:
            noted = SheetNotes(self.book.sheets[c.REGISTER])
            for cell in stale:
                if cell in noted:
                    noted.delete(cell)
            for cell, text in changed:
                if cell not in noted:
                    noted.add(cell, text)
                elif cell in earlier:  # ragbook's note, which now says something else
                    noted.set_text(cell, text)
            noted.close()
        return len(notes)

    def add_cell_notes(self, register: Register, notes: Sequence[CellNote]) -> None:
        """The texts too long for their cells, each in its cell's note (replacing the note an earlier import of
        the same plan left there, as the command line does)."""
        places = sorted(cell_note_places(register, notes).items())
        if not places:
            return
        noted = SheetNotes(self.book.sheets[c.REGISTER])
        for cell, text in places:
            if cell in noted:
                noted.set_text(cell, text)
            else:
                noted.add(cell, text)
        noted.close()

    def apply_colours(self, register: Register) -> dict[str, int]:
        index = register.index
        ws = self.book.sheets[c.REGISTER]
        column = header_map(self.values(c.REGISTER)[0])[FIELD_LABELS["rag"]]
        area = ws.range((2, column), (max(len(register) + 1, 2), column))
        counts: dict[str, int] = {}
        for action in register.actions:
            rating = index.get(action.rag.strip())
            label = rating.label if rating else "unrated or unknown"
            counts[label] = counts.get(label, 0) + 1
        area.color = None
        area.font.bold = False
        area.font.color = "#000000"
        _rating_rules(area, index)
        area.data_validation.set_list(list(index.codes))
        self.write_index(index)
        return counts

    def write_summary(self, summary: Summary) -> None:
        from ..sheets.summary_layout import layout  # noqa: PLC0415 - only the summary needs the drawing code
        from .summary import draw  # noqa: PLC0415

        draw(self.book, c.SUMMARY, layout(summary), to_cell)

    # ----------------------------------------------------------------- the returns ledger (one block)
    def read_ledger(self) -> Ledger:
        if LEDGER_SHEET not in [sheet.name for sheet in self.book.sheets]:
            return Ledger()
        return parse_ledger(self.values(LEDGER_SHEET))

    def write_ledger(self, ledger: Ledger) -> None:
        """The ``Returns Ledger`` sheet as the command line writes it (dates as ISO text), in one block.

        A master without the sheet gets it added and hidden; xlwings can only hide a sheet, so this one is
        hidden rather than very hidden until the master is next saved by the command line.
        """
        names = [sheet.name for sheet in self.book.sheets]
        if LEDGER_SHEET in names:
            ws = self.book.sheets[LEDGER_SHEET]
            old = self.values(LEDGER_SHEET)
        else:
            active = self.book.sheets.active
            ws = self.book.sheets.add(LEDGER_SHEET, after=self.book.sheets[len(names) - 1])
            ws.visible = False
            active.activate()
            old = []
        rows = [[to_cell(_ledger_cell(v)) for v in row] for row in ledger_rows(ledger)]
        width = max(len(row) for row in rows)
        rows = [row + [None] * (width - len(row)) for row in rows]
        if len(old) > len(rows):
            ws.range((len(rows) + 1, 1), (len(old), max(width, len(old[0]) if old else width))).clear_contents()
        ws.range((1, 1), (len(rows), width)).value = rows
        self._values[LEDGER_SHEET] = [[_ledger_cell(v) for v in row] for row in ledger_rows(ledger)]


def _ledger_cell(value: object) -> object:
    """Dates in the ledger are ISO text, as ``io.master.ledger_sheet`` writes them."""
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _rating_rules(area: Any, index: RatingIndex) -> None:
    """One conditional-format rule per rating of the index on the rating column, replacing earlier ones, and
    one marking an action with no rating grey (as the file adapter's ``layout.replace_rating_rules``)."""
    area.conditional_formats.clear()
    for rating in index.ratings:
        escaped = rating.code.replace('"', '""')
        area.conditional_formats.add_cell_value(
            "equal_to", f'"{escaped}"', fill_color=f"#{rating.fill}", font_color=f"#{rating.font}", font_bold=True)
    from ..sheets.summary_layout import UNRATED_FILL  # noqa: PLC0415 - the Summary's layout, for one colour

    first = f"{column_letter(area.column - 1)}{area.row}"
    area.conditional_formats.add_custom(f"=LEN(TRIM({first}))=0", fill_color=f"#{UNRATED_FILL}")


def _rows_of(table: Any) -> int:
    """How many rows (its header included) a table spans now; 0 when Excel does not say."""
    area = table.range
    return area.shape[0] if area is not None else 0


def _format_blocks(columns: Sequence[c.Column]) -> list[tuple[int, int, str]]:
    """Runs of adjacent date (or date-and-time) columns, each formatted in one go."""
    blocks: list[tuple[int, int, str]] = []
    for position, column in enumerate(columns, start=1):
        wanted = {"date": DATE_FORMAT, "datetime": DATETIME_FORMAT}.get(column.kind)
        if wanted is None:
            continue
        if blocks and blocks[-1][1] == position - 1 and blocks[-1][2] == wanted:
            blocks[-1] = (blocks[-1][0], position, wanted)
        else:
            blocks.append((position, position, wanted))
    return blocks

