"""Reading a return that came back from an agency: nothing in the file is trusted.

In this order: the file is read once into memory (size-limited) and recognised by its content, not its name;
a password-protected one is decrypted with the known password; the zip's central directory is checked (zip
bombs) and every XML part is checked for a DTD (billion laughs, external entities) before anything parses
it; a macro-enabled package is refused. Only then are the values read, with python-calamine (values only, no
formulas run, no styles), and the sheet XML is scanned for formulas, which calamine would hide behind their
cached values. The result is a ``ReturnContent`` of plain values for the pure checks in ``core.returns``.
"""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime
from pathlib import Path
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree as SafeET
from defusedxml.common import DefusedXmlException

from ...core.errors import InputError, UnsafeFileError
from ...core.returns import (ACTIONS_SHEET, IDENTITY_SHEET, RETURN_HEADERS, Identity, ReturnContent, ReturnRow,
                             column_letter)
from ..ooxml import kinds
from ..ooxml.package import MalformedPartError, Package, check_sheet_extent, column_number
from .writer import IDENTITY_FIELDS, PROPERTY_PREFIX

MAX_RETURN_BYTES = 50 * 1024 * 1024
MAX_ROWS = 50_000  # far more actions than any one agency leads
MAX_COLUMNS = 64  # a return has 13 columns
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_ANY_CELL = re.compile(rb"<(?:\w+:)?c[\s>/]")
_CELL_START = re.compile(rb"<(?:\w+:)?c\s[^>]*?\br=\"([A-Z]{1,3})([0-9]{1,7})\"")


def read_return(path: Path, password: str | None = None) -> ReturnContent:
    """Read and check one return file; raises InputError (or UnsafeFileError) naming the reason it is refused."""
    data = _read_bytes(path)
    data = _unwrap(path, data, password)
    with _open_package(path, data) as package:
        _check_parts(package)
        sheet_part = _sheet_part(package, ACTIONS_SHEET)
        for name in (ACTIONS_SHEET, IDENTITY_SHEET):
            part = sheet_part if name == ACTIONS_SHEET else _sheet_part(package, name)
            if part in package:
                _check_extent(path, name, package.part(part))
        formulas = _formula_cells(package.part(sheet_part) if sheet_part in package else b"")
        properties = package.part("docProps/custom.xml") if "docProps/custom.xml" in package else None
    values = _sheet_values(path, data)
    copies = (("the document properties", _identity_from_properties(properties)),
              (f"the hidden sheet '{IDENTITY_SHEET}'", _identity_from_sheet(values.get(IDENTITY_SHEET))))
    if ACTIONS_SHEET not in values:
        raise InputError(f"{path}: has no '{ACTIONS_SHEET}' sheet, so it is not a return (or the sheet was renamed).")
    rows, warnings = _rows(path, values[ACTIONS_SHEET], formulas)
    return ReturnContent(str(path), copies, rows, tuple(warnings))


# ---------------------------------------------------------------------------- bytes, kind, decryption
def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_RETURN_BYTES:
            raise UnsafeFileError(f"{path}: is {size // (1024 * 1024)} MB, far larger than any return; refused.")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file.") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc}).") from None


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
    except (OSError, ValueError, IndexError, TypeError, AttributeError):  # a broken OLE file is not encrypted
        return False


def _open_package(path: Path, data: bytes) -> Package:
    try:
        return Package(path, data)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError):
        raise InputError(f"{path}: is damaged or cut short (it starts like an Excel file but cannot be opened); "
                         f"ask the agency to send it again.") from None


def _check_parts(package: Package) -> None:
    """Every XML part past the DTD check; refuses anything but a macro-free workbook."""
    path, names = package.path, package.names
    try:
        if "mimetype" in names and b"opendocument" in package.part("mimetype")[:100]:
            raise InputError(f"{path}: is {kinds.describe_kind(kinds.ODS)}, not a return; ask the agency to save "
                             f"it as an Excel Workbook (.xlsx).")
        if "[Content_Types].xml" not in names:
            raise InputError(f"{path}: is {kinds.describe_kind(kinds.UNKNOWN_ZIP)}, not a return.")
        package.check_xml(keep=True)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, NotImplementedError) as exc:
        raise InputError(f"{path}: is damaged or cut short ({exc.__class__.__name__}); ask the agency to send it "
                         f"again.") from None
    if b"macroEnabled" in package.part("[Content_Types].xml") or any(n.lower().endswith("vbaproject.bin")
                                                                    for n in names):
        raise UnsafeFileError(f"{path}: is {kinds.describe_kind(kinds.XLSM)}; returns must be macro-free, so it was "
                              f"refused unopened; ask the agency to save it as an Excel Workbook (.xlsx).")
    if "xl/workbook.xml" not in names:
        raise InputError(f"{path}: is an Office document but not an Excel workbook, so not a return.")


def _sheet_part(package: Package, name: str) -> str | None:
    try:
        # Not the package's main part: calamine reads xl/workbook.xml, so that is where the checks must look.
        return package.sheets_of("xl/workbook.xml").get(name)
    except MalformedPartError as exc:
        raise InputError(f"{package.path}: part {exc.part} is not well-formed ({exc.cause.__class__.__name__}); ask "
                         f"the agency to send the return again.") from None


def _check_extent(path: Path, name: str, sheet_xml: bytes) -> None:
    """Refuse a sheet whose cells reach far out: calamine makes a dense grid of the whole extent, so a single
    cell at XFD900000 would ask for hundreds of gigabytes (and abort the process) before any check could run."""
    cells = len(_ANY_CELL.findall(sheet_xml))
    addressed = len(_CELL_START.findall(sheet_xml))
    if addressed != cells:
        raise UnsafeFileError(f"{path}: sheet '{name}' has {cells - addressed} cells without an address, which "
                              f"Excel never writes; refused.")
    check_sheet_extent(path, name, sheet_xml, max_rows=MAX_ROWS, max_columns=MAX_COLUMNS,
                             holds="any return")


def _formula_cells(sheet_xml: bytes) -> dict[int, set[int]]:
    """Row number -> 0-based columns holding a formula (calamine only reports their cached values)."""
    found: dict[int, set[int]] = {}
    for match in _FORMULA.finditer(sheet_xml):
        start = sheet_xml.rfind(b"<", 0, match.start())
        cell = None
        for candidate in _CELL_START.finditer(sheet_xml, max(0, start - 2000), match.start()):
            cell = candidate
        if cell is None:
            continue
        found.setdefault(int(cell.group(2)), set()).add(column_number(cell.group(1).decode()) - 1)
    return found


# ---------------------------------------------------------------------------- values
def _sheet_values(path: Path, data: bytes) -> dict[str, list[list[object]]]:
    from python_calamine import CalamineWorkbook  # noqa: PLC0415

    values = {}
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        for name in book.sheet_names:
            if name in (ACTIONS_SHEET, IDENTITY_SHEET):
                # Safe only after _check_extent: calamine sizes the grid by the cells' addresses.
                values[name] = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
    except (InputError, UnsafeFileError):
        raise
    except Exception as exc:  # noqa: BLE001 - calamine raises its own error classes for every kind of broken file
        raise InputError(f"{path}: cannot be read as a workbook ({exc.__class__.__name__}); ask the agency to send "
                         f"the return again.") from None
    return values


def _rows(path: Path, values: list[list[object]], formulas: dict[int, set[int]]) -> tuple[tuple[ReturnRow, ...], list[str]]:
    width = len(RETURN_HEADERS)
    header = [_plain(v) for v in (values[0] if values else [])]
    header += [""] * (width - len(header))
    for position, expected in enumerate(RETURN_HEADERS):
        if header[position] != expected:
            found = f"{header[position]!r}" if header[position] else "nothing"
            raise InputError(f"{path}: sheet '{ACTIONS_SHEET}' cell {column_letter(position)}1 should be "
                             f"{expected!r} but holds {found}: its columns were inserted, deleted or moved, so "
                             f"no row can be trusted; ask the agency to fill in the return as issued.")
    extra = [column_letter(i) for i, h in enumerate(header[width:], start=width) if h]
    if extra:
        raise InputError(f"{path}: sheet '{ACTIONS_SHEET}' has extra columns ({', '.join(extra)}) beyond the return's "
                         f"layout, so no row can be trusted; ask the agency to fill in the return as issued.")
    rows, warnings = [], []
    for number, raw in enumerate(values[1:], start=2):
        cells = [_value(v) for v in raw]
        if not any(v not in (None, "") for v in cells) and number not in formulas:
            continue
        if any(v not in (None, "") for v in cells[width:]):
            warnings.append(f"row {number}: text beyond column {column_letter(width - 1)} was ignored")
        cells = (cells + [None] * width)[:width]
        rows.append(ReturnRow(number, tuple(cells), frozenset(formulas.get(number, ()))))
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
def _identity_from_properties(data: bytes | None) -> Identity | None:
    if not data:
        return None
    try:
        root = SafeET.fromstring(data)
    except (ParseError, DefusedXmlException, ValueError):
        return None
    found: dict[str, str] = {}
    for prop in root:
        name = prop.get("name", "")
        if name.startswith(PROPERTY_PREFIX) and len(prop):
            found[name[len(PROPERTY_PREFIX):]] = (prop[0].text or "").strip()
    return _identity(found)


def _identity_from_sheet(values: list[list[object]] | None) -> Identity | None:
    if not values:
        return None
    found = {}
    for row in values:
        if len(row) >= 2 and row[0] in IDENTITY_FIELDS:
            value = row[1]
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
