"""Reading the values of a workbook's sheets while enforcing every safety limit, in one streaming pass.

Hand-written, because no maintained library does this: python-calamine builds a dense grid of a sheet's
whole extent natively, before any check can run, and aborts the whole process (not an exception) when a
small file asks it for more memory than there is; openpyxl's read-only mode is slow and its memory is not
bounded by anything a caller sets. Here each part is streamed out of the zip into expat (see ``xmlstream``)
and every cell is checked as it is read: its address (or, where it has none, the position Excel gives it)
against the sheet's limits, its text against Excel's 32,767 characters, and the counts of cells and of
characters against caps, so that no file, whatever its compression ratio, can make a reading hold more than
the caps allow. Shared strings are read the same way. Formulas and Excel error cells (``#N/A``) are
recorded, cell by cell, rather than hidden behind a cached value or read as blanks. Values have the types
python-calamine gave them (see ``cellvalues``), so that every reader above is unchanged.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...core.errors import UnsafeFileError
from . import cellvalues as cv
from . import sheetfast
from . import xmlstream as xs
from .opc import SMALL_PART, Book
from .sheetcells import EXCEL_TEXT, Cells, Typing
EXCEL_ROWS, EXCEL_COLUMNS = cv.EXCEL_ROWS, cv.EXCEL_COLUMNS
_DIGITS = "0123456789"

_C, _V, _F, _ROW = (xs.names(xs.MAIN, n) for n in ("c", "v", "f", "row"))
_IS, _T, _R, _SI, _RPH = (xs.names(xs.MAIN, n) for n in ("is", "t", "r", "si", "rPh"))
_VT = _V | _T
_CELL, _VALUE, _TEXT, _INLINE, _ROW_, _FORMULA, _PHONETIC = range(1, 8)
_ELEMENTS = {name: code for code, group in ((_CELL, _C), (_VALUE, _V), (_TEXT, _T), (_INLINE, _IS), (_ROW_, _ROW),
                                            (_FORMULA, _F), (_PHONETIC, _RPH)) for name in group}
_STYLES = {"format": ("numFmts", xs.names(xs.MAIN, "numFmt")), "xf": ("cellXfs", xs.names(xs.MAIN, "xf"))}


@dataclass(frozen=True)
class Limits:
    """What a reading may hold; beyond any of these a file is refused (``UnsafeFileError``)."""

    holds: str  # "any return": finishes "far outside ...", "far more than ..."
    max_rows: int = EXCEL_ROWS
    max_columns: int = EXCEL_COLUMNS
    max_cells: int = 20_000_000  # cells holding a value, in one sheet
    max_strings: int = 20_000_000  # shared strings
    max_text: int = 256 * 1024 * 1024  # characters of text over the whole reading (shared strings and cells)
    max_part: int = 512 * 1024 * 1024  # bytes of one part as decompressed
    max_grid: int = 20_000_000  # rows x columns of a sheet handed over as a dense grid (``SheetReader.grid``)


class SheetReader:
    """Reads sheets of one workbook (``opc.Book``); the shared strings and styles are read once, when needed.
    With ``blank_text``, text of nothing but spaces reads as a blank cell (as a return's reader wants it)."""

    def __init__(self, book: Book, limits: Limits, blank_text: bool = False) -> None:
        self.book, self.limits, self.blank_text = book, limits, blank_text
        self.path: Path = book.package.path
        self.text = 0  # characters read so far, shared strings and cells
        self._strings: tuple[list[str], frozenset[int]] | None = None
        self._styles: dict[str, str] | None = None

    # ----------------------------------------------------------------- what a sheet needs first
    def too_much_text(self) -> UnsafeFileError:
        return UnsafeFileError(f"{self.path}: holds more than {self.limits.max_text:,} characters of text, far "
                               f"more than {self.limits.holds}; refused.")

    def strings(self) -> tuple[list[str], frozenset[int]]:
        """The shared strings, and the indexes of those longer than a cell can hold (refused when used)."""
        if self._strings is None:
            self._strings = ([], frozenset()) if self.book.shared_strings is None else self._read_strings()
        return self._strings

    def _read_strings(self) -> tuple[list[str], frozenset[int]]:
        # The handlers only gather the text; the caps are checked after each chunk (a chunk adds at most a
        # megabyte), and Excel's escapes and the 32,767-character limit are applied once, at the end.
        limits = self.limits
        plain = sheetfast.read_strings(self.book.package, self.book.shared_strings, limits)
        if plain is not None:
            if len(plain) > limits.max_strings:
                raise self._too_many_strings()
            self.text += sum(map(len, plain))
            if self.text > limits.max_text:
                raise self.too_much_text()
            return self._finished_strings(plain)
        strings: list[str] = []
        append = strings.append
        in_item = in_text = phonetic = fresh = False
        checked = pending = 0  # strings from ``checked`` on are counted again: the last may still grow

        def start(name: str, attributes: dict) -> None:
            nonlocal in_item, in_text, phonetic, fresh
            if name in _T:
                in_text = in_item and not phonetic
            elif name in _SI:
                in_item = fresh = True
            elif name in _RPH:
                phonetic = True

        def end(name: str) -> None:
            nonlocal in_item, in_text, phonetic, fresh
            if name in _T:
                in_text = False
            elif name in _SI:
                if fresh:
                    append("")
                in_item = fresh = False
            elif name in _RPH:
                phonetic = False

        def chars(data: str) -> None:
            nonlocal fresh
            if in_text:
                if fresh:
                    append(data)
                    fresh = False
                elif len(strings[-1]) <= EXCEL_TEXT:  # runs, or text split between chunks
                    strings[-1] += data

        def between() -> None:
            nonlocal checked, pending
            if len(strings) > limits.max_strings:
                raise self._too_many_strings()
            self.text += sum(map(len, strings[checked:])) - pending
            checked = max(len(strings) - 1, 0)
            pending = len(strings[checked]) if strings else 0
            if self.text > limits.max_text:
                raise self.too_much_text()

        xs.parse(self.book.package, self.book.shared_strings, limits.max_part, start, end, chars, limits.holds,
                 between)
        return self._finished_strings(strings)

    def _too_many_strings(self) -> UnsafeFileError:
        return UnsafeFileError(f"{self.path}: holds more than {self.limits.max_strings:,} shared strings, far more "
                               f"than {self.limits.holds}; refused.")

    def _finished_strings(self, strings: list[str]) -> tuple[list[str], frozenset[int]]:
        """Excel's escapes undone, and the strings too long for a cell noted (refused when a cell uses one)."""
        too_long, blank_text = set(), self.blank_text
        for index, text in enumerate(strings):
            if "_x" in text:
                strings[index] = text = cv.unescape(text)
            if len(text) > EXCEL_TEXT:
                too_long.add(index)
            elif blank_text and not text.strip():
                strings[index] = ""
        return strings, frozenset(too_long)

    def styles(self) -> dict[str, str]:
        """Style index (as the ``s`` attribute writes it) -> DATE or DURATION, for the styles showing dates."""
        if self._styles is None:
            self._styles = {} if self.book.styles is None else self._read_styles()
        return self._styles

    def _read_styles(self) -> dict[str, str]:
        found = xs.collect(self.book.package, self.book.styles, _STYLES, SMALL_PART, self.limits.holds)
        custom = {f.get("numFmtId", ""): cv.format_kind(f.get("formatCode", "")) for f in found.of("format")}
        kinds: dict[str, str] = {}
        for index, xf in enumerate(found.of("xf")):
            number = xf.get("numFmtId", "0")
            kind = custom[number] if number in custom else cv.builtin_kind(int(number)) if number.isdigit() else None
            if kind is not None:
                kinds[str(index)] = kind
        return kinds

    # ----------------------------------------------------------------- a sheet
    def read(self, sheet: str) -> Cells:
        """The cells of the sheet named ``sheet`` (empty when the workbook names no part for it)."""
        part = self.book.sheets.get(sheet)
        if part is None:
            return Cells()
        strings, too_long = self.strings() if self.book.shared_strings else ([], frozenset())
        typing = Typing(self, sheet, strings, too_long, self.styles(), self.book.date1904, self.limits.max_text)
        cells = sheetfast.read(self.book.package, part, typing, self.limits, sheet)
        if cells is not None:
            self.text = typing.text
            return cells
        return _read_sheet(self, sheet, part, strings, too_long, self.styles())

    def grid(self, sheet: str) -> list[list[object]]:
        """The sheet as python-calamine's dense grid (``Cells.grid``), refused when its extent is too large."""
        cells = self.read(sheet)
        height, width = max(max(cells.rows, default=0), max(cells.errors, default=0)), cells.width
        if height * width > self.limits.max_grid:
            raise UnsafeFileError(f"{self.path}: sheet '{sheet}' spans {width:,} columns by {height:,} rows, far "
                                  f"more than {self.limits.holds}; refused.")
        return cells.grid()


def _read_sheet(reader: SheetReader, sheet: str, part: str, strings: list[str], too_long: frozenset[int],
                styles: dict[str, str]) -> Cells:
    """One streaming pass over a worksheet part. The handlers are closures over local state, with the common
    case of a cell (its address in its row, a shared string or a number) inline: this is the hot loop."""
    limits, path = reader.limits, reader.path
    max_rows, max_columns, max_cells = limits.max_rows, limits.max_columns, limits.max_cells
    cells = Cells()
    rows, formulas, errors = cells.rows, cells.formulas, cells.errors
    columns, letters, element = cv.columns(), cv.column_letters(), _ELEMENTS.get
    typing = Typing(reader, sheet, strings, too_long, styles, reader.book.date1904, limits.max_text)
    typed = typing.value
    excel_columns = len(letters)
    collecting = 0  # 1 in a cell's <v>, 2 in the <t> of its inline string
    in_cell = inline = phonetic = formula = False
    row_number, row_text, last_row, last_column, stored, row_of_values = 1, "1", 0, 0, 0, 0
    ref = kind = style = value_text = inline_text = None
    row_values: dict[int, object] = {}

    def start(name: str, attributes: dict) -> None:
        nonlocal collecting, in_cell, inline, phonetic, formula, ref, kind, style, value_text, inline_text
        nonlocal row_number, row_text, last_row, last_column
        code = element(name)
        if code == _CELL:
            in_cell, inline, formula, value_text, inline_text = True, False, False, None, None
            ref, kind, style = attributes.get("r"), attributes.get("t"), attributes.get("s")
        elif code == _VALUE:
            collecting = 1 if in_cell and not inline else 0
        elif code == _TEXT:
            collecting = 2 if inline and not phonetic else 0
        elif code == _INLINE:
            inline = in_cell
        elif code == _ROW_:
            written = attributes.get("r")
            row_number = last_row + 1 if written is None else cv.row_number(path, sheet, written, written)
            row_text = str(row_number) if written is None else written
            last_row, last_column = row_number, 0
        elif code == _FORMULA:
            formula = formula or in_cell
        elif code == _PHONETIC:
            phonetic = True

    def end(name: str) -> None:
        nonlocal collecting, in_cell, inline, phonetic, last_column, stored, row_values, row_of_values
        if collecting and name in _VT:
            collecting = 0
        elif name in _C and in_cell:
            in_cell = inline = phonetic = False
            # Where the cell is: its address (usually in its row), or the next column when it has none.
            if ref is None:
                cells.unaddressed += 1
                row, column = row_number, last_column + 1
            else:
                column, row = last_column + 1, row_number
                if column >= excel_columns or ref != letters[column] + row_text:  # not the next cell of its row
                    found = ref.rstrip(_DIGITS)
                    column = columns.get(found) or cv.column_number(path, sheet, ref, found)
                    row = cv.row_number(path, sheet, ref, ref[len(found):])
            last_column = column
            if row > max_rows or column > max_columns:
                raise UnsafeFileError(f"{path}: sheet '{sheet}' has a cell at {cv.letters(column)}{row}, far "
                                      f"outside {limits.holds}; refused.")
            column -= 1
            value = typed(row, column, kind, style, value_text, inline_text)
            if kind == "e":
                errors.setdefault(row, {})[column] = (value_text or "").strip()[:40]
            if formula:
                formulas.setdefault(row, set()).add(column)
            if value is not None and value != "":
                if row != row_of_values:
                    row_values = rows.setdefault(row, {})
                    row_of_values = row
                row_values[column] = value
            elif not formula and kind != "e":
                return
            stored += 1  # every cell kept, as a value, a formula or an error
            if stored > max_cells:
                raise UnsafeFileError(f"{path}: sheet '{sheet}' holds more than {max_cells:,} cells, far more "
                                      f"than {limits.holds}; refused.")
        elif inline:
            if name in _IS:
                inline = False
            elif name in _RPH:
                phonetic = False

    def chars(data: str) -> None:
        nonlocal value_text, inline_text
        if collecting == 1:
            value_text = data if value_text is None else _longer(path, sheet, ref, value_text, data)
        elif collecting == 2:
            inline_text = data if inline_text is None else _longer(path, sheet, ref, inline_text, data)

    try:
        xs.parse(reader.book.package, part, limits.max_part, start, end, chars, limits.holds)
    finally:
        reader.text = typing.text
    return cells




# ---------------------------------------------------------------------------- cells gone wrong
def _longer(path: Path, sheet: str, ref: str | None, text: str, data: str) -> str:
    """A cell's text, and the next piece of it: refused, before it grows further, once no cell could hold it."""
    joined = text + data
    if len(joined) > 4 * EXCEL_TEXT:
        where = f"cell {ref[:20]}" if ref else "a cell"
        raise UnsafeFileError(f"{path}: sheet '{sheet}' {where} holds more than {EXCEL_TEXT:,} characters, longer "
                              f"than Excel allows in a cell; refused.")
    return joined
