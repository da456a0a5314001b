"""The Register's notes in the open workbook: which cells have one, read in one go, and changes sent blind.

Looking a note up cell by cell is what makes notes slow: on xlwings' remote engine each lookup (``range.note``,
and the check ``add_note`` and ``Note.delete`` make first) scans every note of the sheet, so marking thousands
of cells took minutes; in desktop Excel each lookup is a round trip. So ``SheetNotes`` reads which cells have
a note once, as one pass over the sheet's notes (on the remote engine the client already sent their cells),
and then adds, rewrites and deletes notes without reading any back:

- adding goes to the engine's own ``add_note``, without xlwings' check that the cell has none (the pass said);
- a note's text is set on the note the pass found;
- deleting, on the remote engine, is the action its ``Note.delete`` sends, with the sheet's list of noted cells
  brought up to date once at the end rather than searched for each note.
"""

from __future__ import annotations

import re
from typing import Any

Cell = tuple[int, int]  # (row, column), 1-based

_ADDRESS = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def cell_of(address: str) -> Cell | None:
    """(row, column) of a one-cell A1 address such as ``$J$4``; None for anything else."""
    match = _ADDRESS.match(address.strip())
    if match is None:
        return None
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


def _remote_notes(sheet: Any) -> list[dict] | None:
    """The remote engine's list of the sheet's noted cells (what the client sent); None on desktop Excel."""
    api = sheet.api
    if isinstance(api, dict):  # the remote engine's sheet is the payload the client sent
        notes = api.get("notes")
        return notes if isinstance(notes, list) else None
    return None


def _location(note: Any) -> Cell | None:
    try:
        where = note.location  # desktop Excel: the note's cell
    except NotImplementedError:  # the remote engine: the note knows its cell without asking the client
        where = note.impl.range
    return cell_of(str(where.address))


class SheetNotes:
    """A sheet's notes: read once (``noted``), then changed without a lookup per cell."""

    def __init__(self, sheet: Any) -> None:
        self.sheet = sheet
        self._remote = _remote_notes(sheet)
        self._notes: dict[Cell, Any] = {note_cell: note for note in sheet.notes
                                        if (note_cell := _location(note)) is not None}
        self._deleted: set[Cell] = set()

    def __contains__(self, cell: object) -> bool:
        return cell in self._notes

    def add(self, cell: Cell, text: str) -> None:
        """A new note on a cell the read found without one (the engine's own add: xlwings' ``add_note`` would
        first look the cell's note up)."""
        self._notes[cell] = self.sheet.range(cell).impl.add_note(text)

    def set_text(self, cell: Cell, text: str) -> None:
        """Another text for the note the read found on ``cell``."""
        self._notes[cell].text = text

    def delete(self, cell: Cell) -> None:
        """Take away the note the read found on ``cell``."""
        note = self._notes.pop(cell)
        if self._remote is None:
            note.delete()
            return
        where = getattr(note, "impl", note).range  # a note found by the read, or one added since
        where.append_json_action(func="deleteNote", args=[where.address])  # what Note.delete sends
        self._deleted.add(cell)

    def close(self) -> None:
        """Bring the remote engine's list of noted cells up to date with the deletions, in one pass."""
        if self._remote is not None and self._deleted:
            self._remote[:] = [entry for entry in self._remote
                               if cell_of(entry.get("address", "")) not in self._deleted]
        self._deleted.clear()
