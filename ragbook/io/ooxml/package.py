"""An Office package (a zip of XML parts), opened once and read with every safety check on the way.

A zip is checked through its central directory — member count, total uncompressed size, compression ratio —
when it is opened, before anything is decompressed, and every XML part is checked for a DTD (entity expansion
attacks) as it is read, before anything can parse it. The safety checks, the master's preservation checks
and the readers all share one ``Package``, so a file is read from disk once and each part decompressed once.
Which part holds which sheet is worked out here only, from the package's relationships as OPC defines them
(absolute targets, and relative ones with ``..``), so that every check looks at the part a reader will read.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from urllib.parse import unquote
from xml.etree.ElementTree import ParseError

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from ...core.errors import UnsafeFileError

# Limits for a workbook or document that a person typed: generous, far below what would hurt the machine.
MAX_MEMBERS = 10_000
MAX_UNCOMPRESSED = 512 * 1024 * 1024
MAX_RATIO = 200

XML_SUFFIXES = (".xml", ".rels", ".vml")
CHUNK = 1024 * 1024  # what a streaming reader decompresses at a time
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"


# What zipfile and zlib raise on a damaged member, besides BadZipFile: a broken deflate stream (zlib.error), a
# member flagged as zip-encrypted (RuntimeError) or stored with an unknown method (NotImplementedError), a
# cut-short stream (EOFError), a broken header (struct.error, OverflowError, a name that is not UTF-8...).
DAMAGE = (zlib.error, EOFError, RuntimeError, NotImplementedError, struct.error, OverflowError, ValueError,
          zipfile.LargeZipFile)


def damaged(part: str, cause: Exception) -> zipfile.BadZipFile:
    """The one error every caller already handles for a damaged package, naming the part and the cause."""
    kind = cause.__class__.__name__
    kind = f"{cause.__class__.__module__}.{kind}" if kind == "error" else kind
    return zipfile.BadZipFile(f"part {part} is damaged ({kind})")


class MalformedPartError(Exception):
    """A part that is not well-formed XML; each reader words its own refusal, naming the part."""

    def __init__(self, part: str, cause: Exception) -> None:
        super().__init__(str(cause))
        self.part, self.cause = part, cause


class Package:
    """A zip package held in memory, from a file or from bytes (a decrypted return).

    Parts are kept once read: the preservation checks, the cut for openpyxl and the readers ask for the same
    relationships and sheets. zipfile's own errors (``BadZipFile``...) are left to the caller, whose message
    says what the file was meant to be.
    """

    def __init__(self, path: Path, data: bytes) -> None:
        self.path, self.data = path, data
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
        except DAMAGE as exc:
            raise zipfile.BadZipFile(f"the zip directory is damaged ({exc.__class__.__name__})") from None
        self._parts: dict[str, bytes] = {}
        self._relationships: dict[str, dict[str, str]] = {}
        self._sheets: dict[str, dict[str, str]] = {}
        try:
            self._check_limits()
        except BaseException:
            self._zip.close()
            raise

    @classmethod
    def open(cls, path: Path) -> Package:
        return cls(path, path.read_bytes())

    def __enter__(self) -> Package:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._zip.close()
        self._parts.clear()
        self._relationships.clear()
        self._sheets.clear()

    def _check_limits(self) -> None:
        infos = self._zip.infolist()
        if len(infos) > MAX_MEMBERS:
            raise UnsafeFileError(f"{self.path}: holds {len(infos)} parts, far more than any workbook; refused.")
        total = 0
        for info in infos:
            total += info.file_size
            if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1_000_000:
                raise UnsafeFileError(
                    f"{self.path}: part {info.filename} expands {info.file_size // info.compress_size}-fold "
                    f"(a zip bomb); refused."
                )
        if total > MAX_UNCOMPRESSED:
            raise UnsafeFileError(f"{self.path}: would expand to {total // (1024 * 1024)} MB (a zip bomb); refused.")

    # ----------------------------------------------------------------- members
    @property
    def infos(self) -> list[zipfile.ZipInfo]:
        return self._zip.infolist()

    @cached_property
    def names(self) -> frozenset[str]:
        return frozenset(self._zip.namelist())

    def __contains__(self, name: object) -> bool:
        return name in self.names

    @cached_property
    def _folded(self) -> dict[str, str | None]:
        folded: dict[str, str | None] = {}
        for name in self.names:
            key = name.translate(_ASCII_LOWER)
            folded[key] = None if key in folded else name  # None: two members differ only in letter case
        return folded

    def member(self, part: str) -> str | None:
        """The member holding the part named ``part`` (no leading slash), or None. OPC part names compare
        case-insensitively (ASCII letters), and a relationship target may be percent-encoded; a package holding
        two members whose names differ only in case is refused, as no reader could tell which one is meant."""
        for name in (part, unquote(part)):
            key = name.translate(_ASCII_LOWER)
            if key in self._folded:
                found = self._folded[key]
                if found is None:
                    raise UnsafeFileError(f"{self.path}: holds two parts named {name} (differing only in letter "
                                          f"case), which Office never writes; refused.")
                return found
        return None

    def head(self, name: str, size: int) -> bytes:
        """The first ``size`` bytes of a member, decompressing no more than that."""
        try:
            with self._zip.open(name) as handle:
                return handle.read(size)
        except DAMAGE as exc:
            raise damaged(name, exc) from None

    def chunks(self, name: str | zipfile.ZipInfo, limit: int, holds: str = "any workbook",
               size: int = CHUNK) -> Iterator[bytes]:
        """The member's bytes as decompressed, ``size`` at a time; refused once more than ``limit`` came out.
        Only what decompression really produces is counted, whatever the zip's headers claim."""
        member = name if isinstance(name, str) else name.filename
        try:
            handle = self._zip.open(name)
        except DAMAGE as exc:
            raise damaged(member, exc) from None
        with handle:
            total = 0
            while True:
                try:
                    chunk = handle.read(size)
                except DAMAGE as exc:
                    raise damaged(member, exc) from None
                if not chunk:
                    return
                total += len(chunk)
                if total > limit:
                    raise UnsafeFileError(f"{self.path}: part {member} holds more than {_size(limit)}, far more "
                                          f"than {holds}; refused.")
                yield chunk

    def part(self, name: str, *, keep: bool = True) -> bytes:
        """The bytes of one member; an XML part is refused if it declares a DTD (billion laughs, external
        entities). ``keep=False`` spares the memory of a part nothing will ask for again."""
        data = self._parts.get(name)
        if data is None:
            data = self._read(name)
            if keep:
                self._parts[name] = data
        return data

    def _read(self, name: str) -> bytes:
        try:
            with self._zip.open(name) as handle:
                data = handle.read(MAX_UNCOMPRESSED + 1)
        except DAMAGE as exc:
            raise damaged(name, exc) from None
        if len(data) > MAX_UNCOMPRESSED:
            raise UnsafeFileError(f"{self.path}: part {name} is larger than it claims; refused.")
        if name.endswith(XML_SUFFIXES):
            refuse_dtd(self.path, name, data)
        return data

    def check_xml(self, *, keep: bool = False) -> None:
        """Check every XML part for a DTD now, before a reader of the whole package (python-docx, openpyxl)."""
        for info in self._zip.infolist():
            if info.filename.endswith(XML_SUFFIXES):
                self.part(info.filename, keep=keep)

    # ----------------------------------------------------------------- relationships
    def _parse(self, name: str):
        try:
            return ElementTree.fromstring(self.part(name))
        except (ParseError, DefusedXmlException, ValueError) as exc:
            raise MalformedPartError(name, exc) from None

    @cached_property
    def main_part(self) -> str:
        """The workbook (or document) part, as the package relationships name it."""
        if "_rels/.rels" in self:
            for rel in self._parse("_rels/.rels").iter(f"{_PKG_REL}Relationship"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    return rel.get("Target", "").lstrip("/")
        return "xl/workbook.xml"

    def relationships(self, part: str) -> dict[str, str]:
        """Relationship id -> the part it targets, for ``part`` (external targets left out)."""
        if part in self._relationships:
            return self._relationships[part]
        folder, name = posixpath.split(part)
        rels_part = posixpath.join(folder, "_rels", name + ".rels")
        targets: dict[str, str] = {}
        if rels_part in self:
            for rel in self._parse(rels_part).iter(f"{_PKG_REL}Relationship"):
                target = rel.get("Target")
                if rel.get("TargetMode") != "External" and target is not None:
                    targets[rel.get("Id", "")] = resolve(folder, target)
        self._relationships[part] = targets
        return targets

    @property
    def sheet_parts(self) -> dict[str, str]:
        """Sheet name -> the worksheet part holding it, in the workbook's order."""
        return self.sheets_of(self.main_part)

    def sheets_of(self, workbook: str) -> dict[str, str]:
        """Sheet name -> worksheet part, as the workbook part ``workbook`` relates them (the first of two sheets
        of one name wins, as it does for the readers that look a sheet up by its name)."""
        if workbook not in self._sheets:
            sheets = self._parse(workbook).iter(f"{_MAIN}sheet")
            targets = self.relationships(workbook)
            parts: dict[str, str] = {}
            for sheet in sheets:
                part = targets.get(sheet.get(f"{_REL}id", ""))
                if part:
                    parts.setdefault(sheet.get("name", ""), part)
            self._sheets[workbook] = parts
        return self._sheets[workbook]


def _size(count: int) -> str:
    return f"{count // (1024 * 1024)} MB" if count >= 1024 * 1024 else f"{count:,} bytes"


def resolve(folder: str, target: str) -> str:
    """The part a relationship target names, seen from a part in ``folder``."""
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def refuse_dtd(path: Path, name: str, data: bytes) -> None:
    # XML keywords are case-sensitive, and a well-formed DTD can only stand in the prolog; searching the whole
    # part also catches one hidden after a long comment. A part in UTF-16 or UTF-32 is searched as the text an
    # XML parser decodes (its encoding found as the XML spec's appendix F says), not as bytes.
    text = _wide_text(data)
    if text is None:
        found = b"<!DOCTYPE" in data or b"<!ENTITY" in data
    else:
        found = "<!DOCTYPE" in text or "<!ENTITY" in text
    if found:
        raise UnsafeFileError(f"{path}: part {name} declares a DTD or entities, which Office never writes; refused.")


# XML spec, appendix F: a byte order mark, or the bytes of "<" in each wide encoding, tell the encoding (expat,
# like the spec, takes a part opening with "<" and a zero byte as UTF-16 even without "?" next).
_WIDE = ((b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"), (b"\x00\x00\x00<", "utf-32-be"),
         (b"<\x00\x00\x00", "utf-32-le"), (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
         (b"\x00<", "utf-16-be"), (b"<\x00", "utf-16-le"))


def _wide_text(data: bytes) -> str | None:
    """The text of a part written in UTF-16 or UTF-32; None for one in UTF-8 or another ASCII-based encoding."""
    for mark, encoding in _WIDE:
        if data.startswith(mark):
            return data.decode(encoding, errors="replace")
    return None


def column_number(letters: str) -> int:
    """Excel's column letters -> the 1-based column number (AA -> 27)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number
