"""Recognising files by their content, never their name.

Names lie (a return renamed from ``.xls`` to ``.xlsx``, an HTML page saved as ``.xls``), so the kind of a file
is read from its first bytes and, for zip packages, from the parts inside. A zip file is read once, into the
``Package`` that the caller goes on to check and read, so sniffing costs no second trip to the disk.
"""

from __future__ import annotations

import os
import stat
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from ...core.errors import InputError, UnsafeFileError
from .package import Package

XLSX, XLSM, DOCX, ODS, XLS_OLE, ENCRYPTED_OLE, CSV_OR_TEXT, HTML, PDF, UNKNOWN_ZIP, EMPTY, BINARY = (
    "xlsx", "xlsm", "docx", "ods", "xls", "encrypted", "text", "html", "pdf", "zip", "empty", "binary"
)

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06")

MAX_SOURCE_BYTES = 200 * 1024 * 1024


@dataclass(frozen=True)
class Sniffed:
    """A file's kind, and for a zip package the package itself, already opened and past its zip limits."""

    kind: str
    package: Package | None = None


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


def open_regular(path: Path) -> tuple[BinaryIO, int]:
    """The file at ``path`` opened for reading, and its size; InputError for a name that is missing, a folder,
    or not a regular file. A pipe or a device (``/dev/zero``, a FIFO, a link to one) is refused without being
    opened: opening a FIFO waits for a writer, and a device never ends. The opening itself does not wait
    either, should the name be swapped for a pipe after the check."""
    try:
        status = os.stat(path)
        if stat.S_ISDIR(status.st_mode):
            raise InputError(f"{path}: is a folder, not a file.")
        if not stat.S_ISREG(status.st_mode):
            raise InputError(f"{path}: is not a regular file (a device, a pipe or a socket); it was not opened.")
        handle = open(path, "rb", opener=_without_waiting)  # noqa: SIM115 - returned open, for the caller to close
        opened = os.fstat(handle.fileno())
        if not stat.S_ISREG(opened.st_mode):
            handle.close()
            raise InputError(f"{path}: is not a regular file (a device, a pipe or a socket).")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder, not a file.") from None
    except (OSError, ValueError) as exc:  # ValueError: a name holding a NUL character
        raise InputError(f"{path}: cannot be read ({getattr(exc, 'strerror', None) or exc}).") from None
    return handle, opened.st_size


def _without_waiting(name: str, flags: int) -> int:
    return os.open(name, flags | getattr(os, "O_NONBLOCK", 0))


def sniff(path: Path) -> Sniffed:
    """The kind of ``path`` judged by its content (never its name)."""
    handle, size = open_regular(path)
    try:
        with handle:
            head = handle.read(4096)
            # The rest of a zip is read through the same handle: the package is what the caller reads next.
            whole = head.startswith(ZIP_MAGIC) and size <= MAX_SOURCE_BYTES
            data = head + handle.read(MAX_SOURCE_BYTES + 1 - len(head)) if whole else b""
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_SOURCE_BYTES:
        raise UnsafeFileError(f"{path}: grew past {MAX_SOURCE_BYTES // (1024 * 1024)} MB while it was read.")
    if size == 0:
        return Sniffed(EMPTY)
    if size > MAX_SOURCE_BYTES:
        raise UnsafeFileError(f"{path}: is {size // (1024 * 1024)} MB, larger than any plan or return should be.")
    if head.startswith(OLE_MAGIC):
        return Sniffed(_sniff_ole(path))
    if data:
        return _sniff_zip(path, data)
    return Sniffed(head_kind(head))


def head_kind(head: bytes) -> str:
    """The kind of a file that is neither OLE nor zip, from its first bytes."""
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
    except (OSError, ValueError, IndexError, KeyError, TypeError, AttributeError, EOFError, OverflowError,
            RecursionError, struct.error):  # olefile raises exceptions of several kinds on broken files
        return XLS_OLE
    return XLS_OLE


def _sniff_zip(path: Path, data: bytes) -> Sniffed:
    try:
        package = Package(path, data)
        names = package.names
        if "mimetype" in names and b"opendocument.spreadsheet" in package.part("mimetype")[:100]:
            return Sniffed(ODS, package)
        if "[Content_Types].xml" not in names:
            return Sniffed(UNKNOWN_ZIP, package)
        types = package.part("[Content_Types].xml")
    except zipfile.BadZipFile:
        raise InputError(f"{path}: is damaged (it starts like a zip package but cannot be opened).") from None
    if b"macroEnabled" in types or "xl/vbaProject.bin" in names:
        return Sniffed(XLSM, package)
    if "xl/workbook.xml" in names or b"spreadsheetml.sheet.main" in types:
        return Sniffed(XLSX, package)
    if "word/document.xml" in names:
        return Sniffed(DOCX, package)
    return Sniffed(UNKNOWN_ZIP, package)
