"""Reading a worksheet part of the plain shape ragbook and Excel write, a cell per regular-expression match.

Hand-written, because no maintained library reads a sheet with the checks ``sheetstream`` makes (see there).
The streaming reader calls Python for every element's start, end and text: seven calls for a cell of inline
text, about two thirds of a master's reading time. Most sheets are plainer than XML allows: a
``<sheetData>`` of ``<row r=..>`` elements holding ``<c r=.. s=.. t=..>`` cells with a ``<v>`` value or an
inline ``<is><t>`` text, nothing else. Such a sheet is read here with one match per cell, and with the same
checks and the same typing (``sheetcells.Typing``); any other shape (a formula, rich text, a phonetic run, a
prefix or namespace declaration, a cell without an address, a quote the pattern does not know) is left to the
streaming reader, which reads every shape. So this reader reads a sheet exactly as the streaming reader does,
or declines it (``None``): it never reads one differently.

What lies outside ``<sheetData>`` is still parsed by expat, its DTD refused as always, and the element read
here must be the one expat finds as the worksheet's ``sheetData`` (not one inside a comment).
"""

from __future__ import annotations

import re
from xml.parsers import expat

from ...core.errors import UnsafeFileError
from . import cellvalues as cv
from . import xmlstream as xs
from .package import MalformedPartError, Package
from .sheetcells import Cells, Typing

# The most a part read whole may hold; a larger one is streamed (it costs its size in memory here). At most half
# of the reading's cap on a part: one beyond it is refused by the streaming reader, in its words and memory.
WHOLE_PART = 192 * 1024 * 1024

_ATTRIBUTES = rb'(?: [A-Za-z_][\w.:-]*="[^"<&]*")*'
_TOKEN = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?: s="([0-9]{1,9})")?(?: t="([A-Za-z]{1,9})")?'
    rb'(?:/>|>(?:<v>([^<&]*)</v>|<is><t(?: xml:space="preserve")?>([^<]*)</t></is>)?</c>)'
    rb'|<row(?: r="([0-9]{1,9})")?(' + _ATTRIBUTES + rb')(/?)>'
    rb'|(</row>)'
    rb'|[ \t\r\n]+')
_SHEET_DATA = re.compile(rb"<sheetData\s*(/?)>")
_PREFIX = re.compile(rb' ([A-Za-z_][\w.-]*):[\w.-]+="')
# What XML 1.0 never holds, raw or as a reference (expat refuses it): the streaming reader says so in its words.
_CONTROLS = bytes([*range(0, 9), 11, 12, *range(14, 32)])
_NOT_XML = re.compile(rb"\xef\xbf[\xbe\xbf]")
_REFERENCE = re.compile(r"&(?:(amp|lt|gt|quot|apos)|#([0-9]{1,7})|#x([0-9a-fA-F]{1,6}));|&")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'"}
_SHEET_DATA_NAMES = xs.names(xs.MAIN, "sheetData")
_CELLS_OUTSIDE = xs.names(xs.MAIN, "c") | xs.names(xs.MAIN, "row")


_STRING = re.compile(rb'<si><t(?: xml:space="preserve")?>([^<]*)</t></si>|<si>(<t/>|<t></t>)?</si>|[ \t\r\n]+')
_SST_OPEN = re.compile(rb"<sst\b[^>]*>")
_SST_NAMES = xs.names(xs.MAIN, "sst")


class _Declined(Exception):
    """The sheet is not of the plain shape: the streaming reader reads it."""


def _whole(package: Package, part: str, limits) -> bytes | None:
    pieces, total, budget = [], 0, min(WHOLE_PART, limits.max_part // 2)
    for chunk in package.chunks(part, limits.max_part, limits.holds):
        total += len(chunk)
        if total > budget:
            return None
        pieces.append(chunk)
    return b"".join(pieces)


def read_strings(package: Package, part: str, limits) -> list[str] | None:
    """The shared strings as written (Excel's escapes not yet undone), or None when the part is not of the
    plain shape: each ``<si>`` one ``<t>`` (no runs of rich text, no phonetic guides)."""
    data = _whole(package, part, limits)
    opening = _SST_OPEN.search(data) if data is not None else None
    closing = data.rfind(b"</sst>") if opening is not None else -1
    if opening is None or closing < opening.end():
        return None
    found: list[tuple[str, int]] = []

    def begin(name: str, _attributes: dict) -> None:
        found.append((name, parser.CurrentByteIndex))

    parser = _parser(package, part, begin)
    try:
        parser.Parse(data[:opening.end()] + data[closing:], True)
    except expat.ExpatError as exc:
        raise MalformedPartError(part, exc) from None
    if len(found) != 1 or found[0][0] not in _SST_NAMES or found[0][1] != opening.start():
        return None  # the <sst> found is not the part's root, or the root holds something else
    start, end = opening.end(), closing
    if data.find(b"xmlns", start, end) >= 0 or not _all_xml(data, start, end):
        return None
    strings: list[str] = []
    append, position = strings.append, start
    try:
        for match in _STRING.finditer(data, start, end):
            if match.start() != position:
                return None
            position = match.end()
            text, _ = match.groups()
            if text is not None:
                append(_text(text))
            elif match.group(0)[:1] == b"<":
                append("")
    except _Declined:
        return None
    return strings if position == end else None


def _parser(package: Package, part: str, begin) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=xs.SEPARATOR)
    refuse = _refuse(package, part)
    parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = parser.UnparsedEntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = begin
    return parser


def read(package: Package, part: str, typing: Typing, limits, sheet: str) -> Cells | None:
    """The sheet's cells, or None when it is not of the plain shape (or too large to read whole)."""
    data = _whole(package, part, limits)
    if data is None:
        return None
    found = _SHEET_DATA.search(data)
    if found is None:
        return None
    closing = found.end() if found.group(1) else data.find(b"</sheetData>", found.end())  # <sheetData/>: no inside
    if closing < 0:
        return None
    inside = (found.end(), closing)
    prefixes = _outside(package, part, data, found.start(), *inside)
    if prefixes is None:
        return None
    try:
        return _cells(data, inside, typing, limits, sheet, prefixes)
    except _Declined:
        return None


def _outside(package: Package, part: str, data: bytes, start: int, opening_end: int,
             inside_end: int) -> frozenset[bytes] | None:
    """The namespace prefixes the worksheet binds, when expat, reading the part without the inside of the
    ``<sheetData>`` found at ``start``, finds it there as the worksheet's own and no cell anywhere else (else
    None); a DTD is refused and broken XML reported as the streaming reader would."""
    rest = data[:opening_end] + data[inside_end:]
    seen: list[tuple[str, int, int]] = []
    bound: set[bytes] = set()
    depth = 0

    def declared(prefix: str | None, _uri: str) -> None:
        if depth == 0 and prefix:  # on the worksheet element itself: in scope for the whole sheet
            bound.add(prefix.encode())

    def begin(name: str, _attributes: dict) -> None:
        nonlocal depth
        depth += 1
        if name in _SHEET_DATA_NAMES or name in _CELLS_OUTSIDE:
            seen.append((name, parser.CurrentByteIndex, depth))

    def finish(_name: str) -> None:
        nonlocal depth
        depth -= 1

    parser = _parser(package, part, begin)
    parser.EndElementHandler = finish
    parser.StartNamespaceDeclHandler = declared
    try:
        parser.Parse(rest, True)
    except expat.ExpatError as exc:
        raise MalformedPartError(part, exc) from None
    ours = len(seen) == 1 and seen[0][0] in _SHEET_DATA_NAMES and seen[0][1:] == (start, 2)
    return frozenset(bound) if ours else None


def _refuse(package: Package, part: str):
    def refuse(*_: object) -> None:
        raise UnsafeFileError(f"{package.path}: part {part} declares a DTD or entities, which Office never "
                              f"writes; refused.")
    return refuse


def _cells(data: bytes, inside: tuple[int, int], typing: Typing, limits, sheet: str, prefixes: frozenset[bytes]) -> Cells:
    start, end = inside
    if end == start:
        return Cells()
    if data.find(b"xmlns", start, end) >= 0 or not _all_xml(data, start, end):
        raise _Declined
    path = typing.path
    max_rows, max_columns, max_cells = limits.max_rows, limits.max_columns, limits.max_cells
    columns = cv.columns()
    cells = Cells()
    rows, errors = cells.rows, cells.errors
    typed = typing.value
    position, last_row, stored, in_row = start, 0, 0, False
    for match in _TOKEN.finditer(data, start, end):
        if match.start() != position:
            raise _Declined
        position = match.end()
        letters, digits, style, kind, value, text, row_written, row_attributes, empty_row, row_end = match.groups()
        if letters is None:
            if row_attributes is not None:
                if in_row or b' r="' in row_attributes:
                    raise _Declined  # a row in a row, or two addresses: not XML the pattern reads
                if b":" in row_attributes and not set(_PREFIX.findall(row_attributes)) <= prefixes:
                    raise _Declined  # a prefix the worksheet does not bind
                last_row = int(row_written) if row_written is not None else last_row + 1
                if last_row == 0:
                    raise cv.damaged(path, sheet, "has", f"the address {row_written.decode()!r}")
                in_row = not empty_row
            elif row_end is not None:
                if not in_row:
                    raise _Declined
                in_row = False
            continue
        if not in_row:
            raise _Declined  # a cell outside any row
        column = columns.get(letters.decode())
        row = int(digits)
        if row == 0:
            raise cv.damaged(path, sheet, "has", f"the address {(letters + digits).decode()!r}")
        if column is None or row > max_rows or column > max_columns:
            far = cv.letters(column) if column is not None else letters.decode()
            raise UnsafeFileError(f"{path}: sheet '{sheet}' has a cell at {far}{row}, far outside {limits.holds}; "
                                  f"refused.")
        column -= 1
        kind_text = kind.decode() if kind is not None else None
        value_text = _decoded(value) if value else None  # an empty <v></v> holds nothing, as for expat
        inline_text = _text(text) if text else None
        result = typed(row, column, kind_text, style.decode() if style is not None else None, value_text,
                       inline_text)
        if kind_text == "e":
            errors.setdefault(row, {})[column] = (value_text or "").strip()[:40]
        if result is not None and result != "":
            rows.setdefault(row, {})[column] = result
        elif kind_text != "e":
            continue
        stored += 1
        if stored > max_cells:
            raise UnsafeFileError(f"{path}: sheet '{sheet}' holds more than {max_cells:,} cells, far more than "
                                  f"{limits.holds}; refused.")
    if position != end or in_row:
        raise _Declined
    return cells


def _all_xml(data: bytes, start: int, end: int) -> bool:
    """Whether the bytes hold no character XML refuses (a control character, U+FFFE, U+FFFF) and no ``]]>``."""
    inside = memoryview(data)[start:end]
    if len(bytes(inside).translate(None, _CONTROLS)) != end - start:
        return False
    if data.find(b"]]>", start, end) >= 0:
        return False
    return data.find(b"\xef\xbf", start, end) < 0 or _NOT_XML.search(data, start, end) is None


def _decoded(raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Declined from None


def _text(raw: bytes) -> str:
    """A ``<t>``'s text as XML means it: references resolved, line ends as one line feed."""
    text = _decoded(raw)
    if "\r" in text:  # a line end as written; a referenced one (&#13;) stays
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return _REFERENCE.sub(_resolved, text) if "&" in text else text


def _resolved(match: re.Match[str]) -> str:
    named, decimal, hexadecimal = match.groups()
    if named is not None:
        return _NAMED[named]
    if decimal is None and hexadecimal is None:
        raise _Declined  # a bare "&": not XML
    code = int(decimal) if decimal is not None else int(hexadecimal, 16)
    if not (code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or
            0x10000 <= code <= 0x10FFFF):
        raise _Declined  # not a character XML holds
    return chr(code)
