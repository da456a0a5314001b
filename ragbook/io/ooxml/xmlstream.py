"""Parsing one XML part of a package with expat, as it streams out of the zip.

Each part is decompressed a chunk at a time and fed to a namespace-aware expat parser, so a part costs the
memory of what its reader keeps, never the part itself. Elements are matched by namespace URI and local name,
whatever prefix a file binds (``x:c`` is a cell when ``x`` is SpreadsheetML's namespace; a ``c`` of another
namespace is not), and both Transitional and Strict Open XML namespaces are accepted. A DTD or an entity
declaration is refused by expat's own handlers, so it is caught in any encoding expat reads (UTF-16 too).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from xml.parsers import expat

from ...core.errors import UnsafeFileError
from .package import XML_SUFFIXES, MalformedPartError, Package

SEPARATOR = " "  # between namespace URI and local name; no URI or name holds a space

MAIN = ("http://schemas.openxmlformats.org/spreadsheetml/2006/main", "http://purl.oclc.org/ooxml/spreadsheetml/main")
OFFICE_REL = ("http://schemas.openxmlformats.org/officeDocument/2006/relationships",
              "http://purl.oclc.org/ooxml/officeDocument/relationships")
PACKAGE_REL = ("http://schemas.openxmlformats.org/package/2006/relationships",)
CONTENT_TYPES = ("http://schemas.openxmlformats.org/package/2006/content-types",)
CUSTOM_PROPERTIES = ("http://schemas.openxmlformats.org/officeDocument/2006/custom-properties",
                     "http://purl.oclc.org/ooxml/officeDocument/customProperties")


def names(namespaces: Iterable[str], local: str) -> frozenset[str]:
    """The expanded names expat reports for ``local`` in any of ``namespaces``."""
    return frozenset(f"{uri}{SEPARATOR}{local}" for uri in namespaces)


def _refusal(package: Package, part: str) -> Callable[..., None]:
    def refuse(*_: object) -> None:
        raise UnsafeFileError(f"{package.path}: part {part} declares a DTD or entities, which Office never "
                              f"writes; refused.")
    return refuse


class _RootElement(Exception):
    """The prolog is over: a DTD can only stand before the root element."""


def _root(*_: object) -> None:
    raise _RootElement


def refuse_dtds(package: Package, limit: int, read: Collection[str] = ()) -> None:
    """Refuse a DTD in any XML part of the package, even one no reader will parse (Office never writes one);
    the parts named in ``read`` are left out, as their reading refuses one. Each part is parsed only up to its
    root element, so this costs the parts' first few kilobytes."""
    for info in package.infos:
        if not info.filename.lower().endswith(XML_SUFFIXES) or info.filename in read:
            continue
        parser = expat.ParserCreate(namespace_separator=SEPARATOR)
        parser.StartDoctypeDeclHandler = parser.EntityDeclHandler = _refusal(package, info.filename)
        parser.StartElementHandler = _root
        try:
            for chunk in package.chunks(info, limit, size=16 * 1024):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except (_RootElement, expat.ExpatError):  # the content: no DTD can follow; broken XML: nothing parses it
            continue


def parse(package: Package, part: str, limit: int, start: Callable[[str, dict], None] | None = None,
          end: Callable[[str], None] | None = None, chars: Callable[[str], None] | None = None,
          holds: str = "any workbook", between: Callable[[], None] | None = None) -> None:
    """Feed the member ``part`` through expat to the handlers given, at most ``limit`` bytes of it;
    ``between`` is called after each chunk (for the checks that need not run on every element).

    Raises ``MalformedPartError`` for XML that is not well-formed, ``UnsafeFileError`` for a DTD or a part
    larger than ``limit``, and ``zipfile.BadZipFile`` for a damaged member (see ``Package.chunks``); whatever a
    handler raises comes out as it is.
    """
    parser = expat.ParserCreate(namespace_separator=SEPARATOR)
    parser.buffer_text = True  # one call per run of text, not one per line or entity
    parser.buffer_size = 1 << 16

    refuse = _refusal(package, part)
    parser.StartDoctypeDeclHandler = refuse
    parser.EntityDeclHandler = refuse
    parser.UnparsedEntityDeclHandler = refuse
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    if start is not None:
        parser.StartElementHandler = start
    if end is not None:
        parser.EndElementHandler = end
    if chars is not None:
        parser.CharacterDataHandler = chars
    feed = parser.Parse
    try:
        for chunk in package.chunks(part, limit, holds):
            feed(chunk, False)
            if between is not None:
                between()
        feed(b"", True)
        if between is not None:
            between()
    except expat.ExpatError as exc:
        raise MalformedPartError(part, exc) from None


class Collector:
    """The attributes of chosen elements of a small part (relationships, content types, the workbook, the
    styles): ``wanted`` maps a key to (the local name of the SpreadsheetML parent it must have, or None for
    any; the expanded names of the element). At most ``limit`` elements are kept."""

    def __init__(self, refusal: str, wanted: dict[str, tuple[str | None, frozenset[str]]], limit: int) -> None:
        self.found: list[tuple[str, dict]] = []
        self.root: str | None = None
        self._refusal, self._limit = refusal, limit
        self._wanted = {element: (key, None if parent is None else names(MAIN, parent))
                        for key, (parent, elements) in wanted.items() for element in elements}
        self._stack: list[str] = []

    def start(self, name: str, attributes: dict) -> None:
        if self.root is None:
            self.root = name
        wanted = self._wanted.get(name)
        if wanted is not None and (wanted[1] is None or (self._stack and self._stack[-1] in wanted[1])):
            if len(self.found) >= self._limit:
                raise UnsafeFileError(self._refusal)
            self.found.append((wanted[0], attributes))
        self._stack.append(name)

    def end(self, name: str) -> None:
        self._stack.pop()

    def of(self, key: str) -> list[dict]:
        return [attributes for found, attributes in self.found if found == key]


def collect(package: Package, part: str, wanted: dict[str, tuple[str | None, frozenset[str]]], limit: int,
            holds: str = "any workbook", entries: int = 100_000) -> Collector:
    """Parse a small part (at most ``limit`` bytes) with a ``Collector`` of at most ``entries`` elements."""
    collector = Collector(f"{package.path}: part {part} holds more than {entries:,} entries, far more than "
                          f"{holds}; refused.", wanted, entries)
    parse(package, part, limit, collector.start, collector.end, holds=holds)
    return collector
