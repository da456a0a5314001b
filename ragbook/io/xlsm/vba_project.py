"""``xl/vbaProject.bin`` as [MS-OVBA] says an interoperable writer writes it, and class modules as Excel stores them.

pyOpenVBA builds the project from a blank workbook Excel saved, and keeps some of what that Excel left
behind: a 2,544-byte ``_VBA_PROJECT`` stream whose Version is that Excel's build (0x00B5) followed by a
zeroed performance cache, compiled p-code in front of the source of ``ThisWorkbook`` and ``Sheet1``
(their MODULEOFFSET is 1008 and 819), and that Excel's cookies in the ``dir`` stream. An Office whose build
matches a version number trusts the caches it finds; one that does not match discards them; neither is
what a file written outside Office should ask of it. [MS-OVBA] 2.3.4.1 says how a writer avoids the
question, and :func:`interoperable` does exactly that, after pyOpenVBA has saved:

- ``VBA/_VBA_PROJECT`` becomes its seven version-independent bytes, ``CC 61 FF FF 00 00 00``: Reserved1
  0x61CC, Version 0xFFFF ("MUST be 0xFFFF on write", so that every Office ignores every performance cache
  and compiles the project from its source), Reserved2 0x00, Reserved3 0x0000 ("undefined, MUST be
  ignored"), and no PerformanceCache ("MUST NOT be present on write").
- every module stream becomes its CompressedSourceCode alone: the bytes before MODULEOFFSET are a
  performance cache, so they are dropped (the compressed source itself is kept byte for byte) and the
  ``dir`` stream's MODULEOFFSET of every module becomes 0, where Office then reads the source.
- PROJECTCOOKIE and every MODULECOOKIE in ``dir`` become 0xFFFF, which [MS-OVBA] 2.3.4.2.3.1 and
  2.3.4.2.3.2.7 require on write.
- ``__SRP_`` streams (performance caches too, [MS-OVBA] 2.2.6) must not be written; there are none, and a
  build that met one would drop it.

Changing a stream's length means rebuilding the compound file: olefile only overwrites a stream with as
many bytes as it had, and a stream under 4,096 bytes lives in the mini stream, whose sectors and
allocation table move with it. pyOpenVBA's compound-file writer (``pyopenvba.cfb.CFB``, the one that wrote
the file in the first place) lays the whole file out again from its streams, so it does that here too.

:func:`class_stream_source` turns a class module from its ``.cls`` export form into the form Excel keeps
inside the module stream: no ``VERSION 1.0 CLASS`` / ``BEGIN`` ... ``END`` block (that exists only in the
exported file), and the attribute lines Excel writes for a class, in Excel's order, starting with
``VB_Name`` and the class module's ``VB_Base``.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass

from pyopenvba.cfb import CFB
from pyopenvba.vba import compress, decompress

VBA_STORAGE = "VBA"
# [MS-OVBA] 2.3.4.1, as an interoperable writer writes it: Reserved1, Version, Reserved2, Reserved3; no cache.
# Reserved3 is undefined and ignored on read; 0x0001 is what the spec's worked example and xlwings' own
# standalone quickstart workbooks (which run in every Office build) carry, so ragbook's carries it too.
VBA_PROJECT_STREAM = struct.pack("<HHBH", 0x61CC, 0xFFFF, 0x00, 0x0001)
COOKIE_ON_WRITE = 0xFFFF

# dir stream record ids ([MS-OVBA] 2.3.4.2).
_PROJECTCODEPAGE = 0x0003
_PROJECTVERSION = 0x0009  # its Size field is a Reserved 4, yet six bytes of data follow
_PROJECTCOOKIE = 0x0013
_MODULENAME = 0x0019
_MODULESTREAMNAME = 0x001A
_MODULEOFFSET = 0x0031
_MODULECOOKIE = 0x002C
_MODULE_TERMINATOR = 0x002B
_DIR_TERMINATOR = 0x0010


@dataclass
class _Record:
    id: int
    data: bytes

    def encode(self) -> bytes:
        size = 4 if self.id == _PROJECTVERSION else len(self.data)
        return struct.pack("<HI", self.id, size) + self.data


@dataclass(frozen=True)
class ModuleEntry:
    """One module as the ``dir`` stream declares it."""
    name: str
    stream_name: str
    offset: int
    cookie: int


def _records(raw: bytes) -> list[_Record]:
    """The decompressed ``dir`` stream as its records; the terminator's Reserved 4 bytes are its data."""
    records, at = [], 0
    while at < len(raw):
        if at + 6 > len(raw):
            raise ValueError(f"dir stream: a record header is cut short at byte {at}")
        rid, size = struct.unpack_from("<HI", raw, at)
        if rid == _PROJECTVERSION:
            size = 6
        if at + 6 + size > len(raw):
            raise ValueError(f"dir stream: record 0x{rid:04X} at byte {at} runs past the end")
        records.append(_Record(rid, raw[at + 6:at + 6 + size]))
        at += 6 + size
        if rid == _DIR_TERMINATOR:
            break
    if not records or records[-1].id != _DIR_TERMINATOR:
        raise ValueError("dir stream: no terminator")
    return records


def _encode(records: list[_Record]) -> bytes:
    return b"".join(record.encode() for record in records)


def _modules(records: list[_Record]) -> list[tuple[ModuleEntry, list[_Record]]]:
    """Each module of the ``dir`` records, with the records that make it up."""
    code_page = next((f"cp{struct.unpack('<H', r.data)[0]}" for r in records if r.id == _PROJECTCODEPAGE), "cp1252")
    found, current = [], []
    for record in records:
        if record.id == _MODULENAME:
            current = []
        current.append(record)
        if record.id == _MODULE_TERMINATOR:
            fields = {r.id: r.data for r in current}
            entry = ModuleEntry(name=fields[_MODULENAME].decode(code_page),
                                stream_name=fields[_MODULESTREAMNAME].decode(code_page),
                                offset=struct.unpack("<I", fields[_MODULEOFFSET])[0],
                                cookie=struct.unpack("<H", fields[_MODULECOOKIE])[0])
            found.append((entry, current))
    return found


def dir_modules(vba_bin: bytes) -> list[ModuleEntry]:
    """The modules the ``dir`` stream of a ``vbaProject.bin`` declares."""
    cfb = CFB.from_bytes(vba_bin)
    raw = decompress(cfb.get_stream_in_storage(VBA_STORAGE, "dir"), stream_name="dir")
    return [entry for entry, _ in _modules(_records(raw))]


def project_cookie(vba_bin: bytes) -> int:
    cfb = CFB.from_bytes(vba_bin)
    raw = decompress(cfb.get_stream_in_storage(VBA_STORAGE, "dir"), stream_name="dir")
    return next(struct.unpack("<H", r.data)[0] for r in _records(raw) if r.id == _PROJECTCOOKIE)


def interoperable(vba_bin: bytes) -> bytes:
    """``vba_bin`` with no performance cache anywhere and the values [MS-OVBA] requires of a writer."""
    cfb = CFB.from_bytes(vba_bin)
    cfb.write_stream_in_storage(VBA_STORAGE, "_VBA_PROJECT", VBA_PROJECT_STREAM)
    records = _records(decompress(cfb.get_stream_in_storage(VBA_STORAGE, "dir"), stream_name="dir"))
    for record in records:
        if record.id == _PROJECTCOOKIE:
            record.data = struct.pack("<H", COOKIE_ON_WRITE)
    for entry, module_records in _modules(records):
        stream = cfb.get_stream_in_storage(VBA_STORAGE, entry.stream_name)
        if entry.offset >= len(stream):
            raise ValueError(f"module {entry.name}: MODULEOFFSET {entry.offset} leaves no source in its "
                             f"{len(stream)}-byte stream")
        if entry.offset:
            # Everything before MODULEOFFSET is the module's performance cache; the source follows it.
            cfb.write_stream_in_storage(VBA_STORAGE, entry.stream_name, stream[entry.offset:])
        for record in module_records:
            if record.id == _MODULEOFFSET:
                record.data = struct.pack("<I", 0)
            elif record.id == _MODULECOOKIE:
                record.data = struct.pack("<H", COOKIE_ON_WRITE)
    cfb.write_stream_in_storage(VBA_STORAGE, "dir", compress(_encode(records)))
    cfb.drop_streams_in_storage(VBA_STORAGE, lambda name: name.startswith("__SRP_"))
    return cfb.to_bytes()


# --- class modules -------------------------------------------------------------------------------------

#: ``VB_Base`` of a plain class module: the VBA class the editor gives every class module it inserts.
CLASS_MODULE_BASE = "0{FCFB3D2A-A0FA-1068-A738-08002B3371B5}"
#: The attributes Excel keeps at the top of a class module's stream, in its order, with the values it gives
#: a class module inserted in the editor; a ``.cls`` file's own values win.
CLASS_ATTRIBUTES = (
    ("VB_Name", None),
    ("VB_Base", f'"{CLASS_MODULE_BASE}"'),
    ("VB_GlobalNameSpace", "False"),
    ("VB_Creatable", "False"),
    ("VB_PredeclaredId", "False"),
    ("VB_Exposed", "False"),
    ("VB_TemplateDerived", "False"),
    ("VB_Customizable", "False"),
)
_VERSION_BLOCK = re.compile(r"\AVERSION [^\r\n]* CLASS\r\nBEGIN\r\n(?:[^\r\n]*\r\n)*?END\r\n")
_ATTRIBUTE = re.compile(r"Attribute (\w+) = ([^\r\n]*)\r\n")


def class_stream_source(name: str, text: str) -> str:
    """A class module's ``.cls`` text (CRLF line ends) as Excel stores it in the module stream."""
    body = _VERSION_BLOCK.sub("", text, count=1)
    given: dict[str, str] = {}
    at = 0
    while (line := _ATTRIBUTE.match(body, at)) is not None:
        given.setdefault(line.group(1), line.group(2))
        at = line.end()
    body = body[at:]
    known = {key for key, _ in CLASS_ATTRIBUTES}
    header = [f'Attribute VB_Name = "{name}"']
    header += [f"Attribute {key} = {given.get(key, default)}" for key, default in CLASS_ATTRIBUTES[1:]]
    header += [f"Attribute {key} = {value}" for key, value in given.items() if key not in known]
    return "\r\n".join(header) + "\r\n" + body
