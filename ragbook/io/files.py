"""Recognising files by their content and refusing dangerous ones before any parser sees them.

Names lie (a return renamed from ``.xls`` to ``.xlsx``, an HTML page saved as ``.xls``), so the kind of a file
is read from its first bytes and, for zip packages, from the parts inside. A zip is checked through its
central directory — member count, total uncompressed size, compression ratio — before anything is
decompressed, and every XML part is checked for a DTD (entity expansion attacks) before it is parsed.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from ..core.errors import InputError, UnsafeFileError

XLSX, XLSM, DOCX, ODS, XLS_OLE, ENCRYPTED_OLE, CSV_OR_TEXT, HTML, PDF, UNKNOWN_ZIP, EMPTY, BINARY = (
    "xlsx", "xlsm", "docx", "ods", "xls", "encrypted", "text", "html", "pdf", "zip", "empty", "binary"
)

_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ZIP_MAGIC = b"PK\x03\x04"

# Limits for a workbook or document that a person typed: generous, far below what would hurt the machine.
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 200
MAX_SOURCE_BYTES = 200 * 1024 * 1024


def describe_kind(kind: str) -> str:
    return {
        XLSX: "an Excel workbook (.xlsx)",
        XLSM: "a macro-enabled Excel workbook (.xlsm)",
        DOCX: "a Word document (.docx)",
        ODS: "an OpenDocument spreadsheet (.ods)",
        XLS_OLE: "an old-style Excel 97-2003 file (.xls) or other OLE file",
        ENCRYPTED_OLE: "a password-protected Office file",
        CSV_OR_TEXT: "a text file",
        HTML: "a web page (HTML)",
        PDF: "a PDF",
        UNKNOWN_ZIP: "a zip archive that is not an Office document",
        EMPTY: "an empty file",
        BINARY: "a binary file of unknown kind",
    }[kind]


def refuse_password(path: Path) -> InputError:
    return InputError(
        f"{path}: is protected with a password to open; open it in Excel, remove the password (File > Info > "
        f"Protect Workbook > Encrypt with Password) and try again."
    )


def sniff(path: Path) -> str:
    """The kind of ``path`` judged by its content (never its name)."""
    if not path.exists():
        raise InputError(f"{path}: no such file.")
    if path.is_dir():
        raise InputError(f"{path}: is a folder, not a file.")
    try:
        size = path.stat().st_size
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    if size == 0:
        return EMPTY
    if size > MAX_SOURCE_BYTES:
        raise UnsafeFileError(f"{path}: is {size // (1024 * 1024)} MB, larger than any plan or return should be.")
    if head.startswith(_OLE_MAGIC):
        return _sniff_ole(path)
    if head.startswith(_ZIP_MAGIC) or head.startswith(b"PK\x05\x06"):
        return _sniff_zip(path)
    if head.startswith(b"%PDF"):
        return PDF
    lowered = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if lowered.startswith((b"<!doctype html", b"<html", b"<table")) or b"<html" in lowered[:512]:
        return HTML
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return BINARY
    return CSV_OR_TEXT


def _sniff_ole(path: Path) -> str:
    import olefile  # noqa: PLC0415 - optional in the core, only needed for OLE files

    try:
        with olefile.OleFileIO(str(path)) as ole:
            if ole.exists("EncryptionInfo") and ole.exists("EncryptedPackage"):
                return ENCRYPTED_OLE
    except Exception:  # olefile raises bare exceptions of several kinds on broken files
        return XLS_OLE
    return XLS_OLE


def _sniff_zip(path: Path) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            check_zip_limits(path, archive)
            if "mimetype" in names:
                mimetype = archive.read("mimetype")[:100]
                if b"opendocument.spreadsheet" in mimetype:
                    return ODS
            if "[Content_Types].xml" not in names:
                return UNKNOWN_ZIP
            types = read_xml_part(path, archive, "[Content_Types].xml")
    except zipfile.BadZipFile:
        raise InputError(f"{path}: is damaged (it starts like a zip package but cannot be opened).") from None
    if b"macroEnabled" in types or "xl/vbaProject.bin" in names:
        return XLSM
    if "xl/workbook.xml" in names or b"spreadsheetml.sheet.main" in types:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return UNKNOWN_ZIP


def check_zip_limits(path: Path, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise UnsafeFileError(f"{path}: holds {len(infos)} parts, far more than any workbook; refused.")
    total = 0
    for info in infos:
        total += info.file_size
        if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1_000_000:
            raise UnsafeFileError(
                f"{path}: part {info.filename} expands {info.file_size // info.compress_size}-fold "
                f"(a zip bomb); refused."
            )
    if total > MAX_UNCOMPRESSED:
        raise UnsafeFileError(f"{path}: would expand to {total // (1024 * 1024)} MB (a zip bomb); refused.")


def read_xml_part(path: Path, archive: zipfile.ZipFile, name: str, limit: int = MAX_UNCOMPRESSED) -> bytes:
    """Read one XML part, refusing a DTD (billion laughs, external entities) before anything parses it."""
    with archive.open(name) as handle:
        data = handle.read(limit + 1)
    if len(data) > limit:
        raise UnsafeFileError(f"{path}: part {name} is larger than it claims; refused.")
    refuse_dtd(path, name, data)
    return data


def refuse_dtd(path: Path, name: str, data: bytes) -> None:
    # XML keywords are case-sensitive, and a well-formed DTD can only stand in the prolog; searching the whole
    # part also catches one hidden after a long comment.
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise UnsafeFileError(f"{path}: part {name} declares a DTD or entities, which Office never writes; refused.")


_CELL_ROWS = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="[A-Z]{1,3}([0-9]{1,7})"')
_CELL_COLUMNS = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})[0-9]')
# Excel, LibreOffice and openpyxl all write the address first: scan for that, and fall back to the general
# patterns (slower: they look through every attribute) only when some cell is written otherwise.
_PLAIN_ROWS = re.compile(rb'<c r="[A-Z]{1,3}([0-9]{1,7})"')
_PLAIN_COLUMNS = re.compile(rb'<c r="([A-Z]{1,3})[0-9]')

# What a dense grid of a sheet's extent may cost: python-calamine builds one (and aborts the whole process,
# beyond any exception handler, when it cannot), so a single cell at XFD900000 must be refused first.
MAX_GRID_CELLS = 20_000_000


def check_sheet_extent(path: Path, sheet: str, sheet_xml: bytes, *, max_rows: int = 1_048_576,
                       max_columns: int = 16_384, max_cells: int = MAX_GRID_CELLS,
                       holds: str = "anything it should hold") -> tuple[int, int]:
    """Refuse a sheet whose cells reach further than its kind of content ever does; returns (rows, columns)."""
    # Two plain scans and C-level max/set: a sheet of 20,000 rows holds hundreds of thousands of addresses.
    rows, columns = _PLAIN_ROWS.findall(sheet_xml), _PLAIN_COLUMNS
    if len(rows) != sheet_xml.count(b"<c ") or b"<c>" in sheet_xml or b":c " in sheet_xml:
        rows, columns = _CELL_ROWS.findall(sheet_xml), _CELL_COLUMNS
    far_row = max(map(int, rows), default=0)
    far_letters = max(set(columns.findall(sheet_xml)), key=lambda letters: (len(letters), letters), default=b"")
    far_column = column_number(far_letters.decode()) if far_letters else 0
    if far_row > max_rows or far_column > max_columns or far_row * far_column > max_cells:
        raise UnsafeFileError(f"{path}: sheet '{sheet}' has a cell at {far_letters.decode()}{far_row}, far outside "
                              f"{holds}; refused.")
    return far_row, far_column


def column_number(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def check_package(path: Path) -> None:
    """Check every XML part of an Office package for a DTD, after the zip limits."""
    try:
        with zipfile.ZipFile(path) as archive:
            check_zip_limits(path, archive)
            for info in archive.infolist():
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    read_xml_part(path, archive, info.filename)
    except zipfile.BadZipFile:
        raise InputError(f"{path}: is damaged (it starts like a zip package but cannot be opened).") from None
