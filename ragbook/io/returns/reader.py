"""Reading a return that came back from an agency: nothing in the file is trusted.

In this order: the name must be a regular file (a pipe or a device is refused without being opened), read
once into memory (size-limited) and recognised by its content, not its name; a password-protected one is
decrypted with the known password; the zip's central directory is checked (zip bombs); a macro-enabled
package is refused, however its VBA project is named. Then only the parts the package's relationships lead to
— the workbook, its Actions and identity sheets with their shared strings and styles, the custom properties —
are streamed through expat (``ooxml.sheetstream``), each checked as it is read: no DTD, no cell beyond a
return's extent, no text longer than a cell, caps on cells and characters. The part checked is the part read.
Formulas and Excel error cells are recorded cell by cell. The result is a ``ReturnContent`` of plain values for
the pure checks in ``core.returns``. Whatever a file holds, the only exception out of ``read_return`` is
InputError (UnsafeFileError for one that could harm the machine), so one bad file never stops the batch.
"""

from __future__ import annotations

import io
import struct
import zipfile
from datetime import date, datetime
from pathlib import Path

from ...core.errors import InputError, UnsafeFileError
from ...core.returns import (ACTIONS_SHEET, IDENTITY_SHEET, RETURN_HEADERS, Identity, ReturnContent, ReturnRow,
                             column_letter)
from ..ooxml import kinds, opc
from ..ooxml import xmlstream as xs
from ..ooxml.package import DAMAGE, MalformedPartError, Package
from ..ooxml.sheetstream import Cells, Limits, SheetReader
from .writer import IDENTITY_FIELDS, PROPERTY_PREFIX

MAX_RETURN_BYTES = 50 * 1024 * 1024
MAX_ROWS = 50_000  # far more actions than any one agency leads
MAX_COLUMNS = 64  # a return has 13 columns
# What reading one return may hold. A return has at most MAX_ROWS rows of 13 columns, so: 16 cells a row
# (room for notes beside the table, ignored with a warning) in each sheet; a shared string per cell; 32 Mi
# characters of text in all (650 a row, beyond what the inputs may hold, see core.returns.MAX_LENGTHS, beside
# the locked text); 64 MB of XML in any one part, counted as decompression produces it (a 50,000-row return
# is about 25 MB). Whatever the compression ratio, a reading then holds at most: the file (50 MB, and its
# decrypted copy), the text (4 bytes a character at worst: 128 MB), about 100 bytes of bookkeeping per cell and
# string (180 MB) and expat's buffer for its longest token (twice 64 MB): well under 1 GB, on any file.
LIMITS = Limits(holds="any return", max_rows=MAX_ROWS, max_columns=MAX_COLUMNS, max_cells=MAX_ROWS * 16,
                max_strings=1_000_000, max_text=32 * 1024 * 1024, max_part=64 * 1024 * 1024)
# What a damaged or hostile zip makes zipfile and zlib raise (the package turns them into BadZipFile, naming the
# part; these are caught here too, should any come through): see ooxml.package.DAMAGE.
DAMAGED = (zipfile.BadZipFile, OSError, *DAMAGE)


def read_return(path: Path, password: str | None = None) -> ReturnContent:
    """Read and check one return file; raises InputError (or UnsafeFileError) naming the reason it is refused."""
    data = _unwrap(path, _read_bytes(path), password)
    try:
        with _open_package(path, data) as package:
            return _read(package)
    except MalformedPartError as exc:
        raise InputError(f"{path}: part {exc.part} is not well-formed ({exc.cause.__class__.__name__}); ask the "
                         f"agency to send the return again.") from None
    except DAMAGED as exc:
        why = exc.__class__.__name__
        if isinstance(exc, zipfile.BadZipFile) and str(exc).startswith("part "):
            why = str(exc)  # "part xl/styles.xml is damaged (zlib.error)"
        elif why == "error":
            why = f"{exc.__class__.__module__}.error"  # zlib.error, struct.error
        raise InputError(f"{path}: is damaged or cut short ({why}); ask the agency to send it again.") from None


# ---------------------------------------------------------------------------- bytes, kind, decryption
def _read_bytes(path: Path) -> bytes:
    """The file's bytes, at most MAX_RETURN_BYTES; a name that is not a regular file is never opened (opening
    a pipe waits for a writer, and a device such as /dev/zero never ends)."""
    handle, size = kinds.open_regular(path)
    with handle:
        if size > MAX_RETURN_BYTES:
            raise UnsafeFileError(f"{path}: is {size // (1024 * 1024)} MB, far larger than any return; refused.")
        try:
            data = handle.read(MAX_RETURN_BYTES + 1)
        except OSError as exc:
            raise InputError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_RETURN_BYTES:
        raise UnsafeFileError(f"{path}: is larger than any return; refused.")
    return data


def _unwrap(path: Path, data: bytes, password: str | None) -> bytes:
    """The zip package of the return: decrypted if it was encrypted, refused if it is any other kind of file."""
    if not data:
        raise InputError(f"{path}: is an empty file, not a return.")
    if data.startswith(kinds.OLE_MAGIC):
        if not _is_encrypted_package(data):
            raise InputError(f"{path}: is {kinds.describe_kind(kinds.XLS_OLE)}, not a return; ask the agency to "
                             f"fill in the .xlsx return it was sent and save it as an Excel Workbook (.xlsx).")
        from .crypto import decrypt  # noqa: PLC0415

        data = decrypt(data, password, path)
        if data.startswith(kinds.OLE_MAGIC):
            raise InputError(f"{path}: decrypts to an old-style Excel file, not a return.")
    if data.startswith(kinds.ZIP_MAGIC):
        return data
    kind = kinds.head_kind(data[:4096])
    raise InputError(f"{path}: is {kinds.describe_kind(kind)}, not a return; ask the agency to fill in the .xlsx "
                     f"return it was sent and save it as an Excel Workbook (.xlsx).")


def _is_encrypted_package(data: bytes) -> bool:
    import olefile  # noqa: PLC0415

    try:
        with olefile.OleFileIO(io.BytesIO(data)) as ole:
            return ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage")
    except (OSError, ValueError, IndexError, KeyError, TypeError, AttributeError, EOFError, struct.error,
            OverflowError, RecursionError):  # a broken OLE file is not an encrypted package
        return False


def _open_package(path: Path, data: bytes) -> Package:
    try:
        return Package(path, data)
    except DAMAGED:
        raise InputError(f"{path}: is damaged or cut short (it starts like an Excel file but cannot be opened); "
                         f"ask the agency to send it again.") from None


# ---------------------------------------------------------------------------- the package
def _read(package: Package) -> ReturnContent:
    path = package.path
    if any(info.flag_bits & 0x1 for info in package.infos):
        raise InputError(f"{path}: has parts locked with a zip password (not Excel's own password), so it cannot "
                         f"be read; ask the agency to send the return again without it.")
    book, properties = _book(package)
    # The parts read below refuse a DTD as they are parsed; every other XML part is checked for one here.
    read = {book.workbook, book.shared_strings, book.styles, properties, book.sheets.get(ACTIONS_SHEET),
            book.sheets.get(IDENTITY_SHEET), package.member("[Content_Types].xml"), package.member("_rels/.rels")}
    xs.refuse_dtds(package, LIMITS.max_part, read)
    if ACTIONS_SHEET not in book.sheets:
        raise InputError(f"{path}: has no '{ACTIONS_SHEET}' sheet, so it is not a return (or the sheet was renamed).")
    reader = SheetReader(book, LIMITS, blank_text=True)
    actions = _sheet(reader, ACTIONS_SHEET)
    identity = _sheet(reader, IDENTITY_SHEET) if IDENTITY_SHEET in book.sheets else None
    copies = (("the document properties", _identity_from_properties(package, properties)),
              (f"the hidden sheet '{IDENTITY_SHEET}'", _identity_from_sheet(identity)))
    rows, warnings = _rows(path, actions)
    return ReturnContent(str(path), copies, rows, tuple(warnings))


def _book(package: Package) -> tuple[opc.Book, str | None]:
    """The workbook's parts and the custom properties' part; refuses anything but a macro-free workbook."""
    path = package.path
    mimetype = package.member("mimetype")
    if mimetype is not None and b"opendocument" in package.head(mimetype, 100):
        raise InputError(f"{path}: is {kinds.describe_kind(kinds.ODS)}, not a return; ask the agency to save it as "
                         f"an Excel Workbook (.xlsx).")
    if package.member("[Content_Types].xml") is None:
        raise InputError(f"{path}: is {kinds.describe_kind(kinds.UNKNOWN_ZIP)}, not a return.")
    types = opc.content_types(package)
    package_relations = opc.relationships(package, "")
    main = next((package.member(r.target) for r in package_relations if r.type in opc.OFFICE_DOCUMENT), None)
    relations = opc.relationships(package, main) if main else []
    if opc.macro_evidence(package, types, package_relations + relations):
        raise UnsafeFileError(f"{path}: is {kinds.describe_kind(kinds.XLSM)}; returns must be macro-free, so it was "
                              f"refused unopened; ask the agency to save it as an Excel Workbook (.xlsx).")
    book = opc.workbook(package, main, relations) if main else None
    if book is None:
        raise InputError(f"{path}: is an Office document but not an Excel workbook, so not a return.")
    properties = next((package.member(r.target) for r in package_relations if r.type in opc.CUSTOM_PROPERTIES), None)
    return book, properties


def _sheet(reader: SheetReader, name: str) -> Cells:
    path = reader.path
    if reader.book.sheets.get(name) is None:
        raise InputError(f"{path}: its sheet '{name}' names a part the file does not hold (it is damaged); ask the "
                         f"agency to send the return again.")
    cells = reader.read(name)
    if cells.unaddressed:
        raise UnsafeFileError(f"{path}: sheet '{name}' has {cells.unaddressed} cells without an address, which "
                              f"Excel never writes; refused.")
    return cells


# ---------------------------------------------------------------------------- values
def _rows(path: Path, cells: Cells) -> tuple[tuple[ReturnRow, ...], list[str]]:
    width = len(RETURN_HEADERS)
    first = cells.rows.get(1, {})
    header = [_plain(first.get(position)) for position in range(width)]
    for position, expected in enumerate(RETURN_HEADERS):
        if header[position] != expected:
            found = f"{header[position]!r}" if header[position] else "nothing"
            raise InputError(f"{path}: sheet '{ACTIONS_SHEET}' cell {column_letter(position)}1 should be "
                             f"{expected!r} but holds {found}: its columns were inserted, deleted or moved, so "
                             f"no row can be trusted; ask the agency to fill in the return as issued.")
    extra = [column_letter(i) for i in sorted(first) if i >= width and _plain(first[i])]
    if extra:
        raise InputError(f"{path}: sheet '{ACTIONS_SHEET}' has extra columns ({', '.join(extra)}) beyond the return's "
                         f"layout, so no row can be trusted; ask the agency to fill in the return as issued.")
    rows, warnings = [], []
    columns = range(width)
    for number in sorted({*cells.rows, *cells.formulas, *cells.errors} - {1}):
        # Only cells holding something are kept (blank text reads as blank: see SheetReader's blank_text).
        found = cells.rows.get(number, {})
        values = tuple(map(found.get, columns))
        if datetime in set(map(type, values)):
            values = tuple(map(_value, values))
        formulas, errors = cells.formulas.get(number, ()), cells.errors.get(number, {})
        if not found and not formulas and not errors:
            continue
        if found and max(found) >= width:
            warnings.append(f"row {number}: text beyond column {column_letter(width - 1)} was ignored")
        rows.append(ReturnRow(number, values, frozenset(formulas), dict(errors)))
    return tuple(rows), warnings


def _value(value: object) -> object:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        return value.date()
    return value


def _plain(value: object) -> str:
    return "" if value is None else str(value).strip()


# ---------------------------------------------------------------------------- identity
_PROPERTY = xs.names(xs.CUSTOM_PROPERTIES, "property")


def _identity_from_properties(package: Package, part: str | None) -> Identity | None:
    """The identity in the custom document properties (each ``property`` element's name and the text of its
    value element); None when there is none or the part is not well-formed."""
    if part is None:
        return None
    found: dict[str, str] = {}
    name: str | None = None
    depth = 0
    text: list[str] = []

    def start(element: str, attributes: dict) -> None:
        nonlocal name, depth
        depth += 1
        if depth == 2:
            name = attributes.get("name", "") if element in _PROPERTY else None
            text.clear()

    def end(element: str) -> None:
        nonlocal name, depth
        if depth == 2 and name is not None:
            if name.startswith(PROPERTY_PREFIX) and len(found) < 100:
                found[name[len(PROPERTY_PREFIX):]] = "".join(text).strip()
            name = None
        depth -= 1

    def chars(data: str) -> None:
        if name is not None and depth == 3 and len(text) < 100:
            text.append(data)

    try:
        xs.parse(package, part, opc.SMALL_PART, start, end, chars)
    except MalformedPartError:
        return None
    return _identity(found)


def _identity_from_sheet(cells: Cells | None) -> Identity | None:
    if cells is None:
        return None
    found = {}
    for number in sorted(cells.rows):
        row = cells.rows[number]
        if row.get(0) in IDENTITY_FIELDS:
            value = row.get(1)
            found[str(row[0])] = str(int(value)) if isinstance(value, float) and value.is_integer() else _plain(value)
    return _identity(found)


def _identity(found: dict[str, str]) -> Identity | None:
    if not found.get("return_id"):
        return None
    try:
        round_ = int(found.get("round") or 0)
    except ValueError:
        round_ = -1
    try:
        issued = date.fromisoformat(found["issued"]) if found.get("issued") else None
    except ValueError:
        issued = None
    return Identity(found["return_id"], found.get("agency", ""), round_, issued)
