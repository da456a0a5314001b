"""Which part of a spreadsheet package is which, worked out as OPC says and nothing else.

The workbook is the target of the package's ``officeDocument`` relationship (Transitional or Strict); its
sheets, shared strings and styles are the targets of the workbook's relationships; a target is relative to
its source part or absolute, and names a member case-insensitively (OPC part names are). A reader of values
(``sheetstream``) reads only the parts found here, so the part checked is the part read. What makes a package
macro-enabled — a VBA project or an Excel 4 macro sheet, by content type, relationship or member name — is
found here too, for the readers that refuse one.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field

from . import xmlstream as xs
from .package import Package

SMALL_PART = 16 * 1024 * 1024  # relationships, content types, the workbook, styles: a few KB in real files

_T = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_S = "http://purl.oclc.org/ooxml/officeDocument/relationships/"
OFFICE_DOCUMENT = frozenset({_T + "officeDocument", _S + "officeDocument"})
WORKSHEET = frozenset({_T + "worksheet", _S + "worksheet"})
SHARED_STRINGS = frozenset({_T + "sharedStrings", _S + "sharedStrings"})
STYLES = frozenset({_T + "styles", _S + "styles"})
CUSTOM_PROPERTIES = frozenset({_T + "custom-properties", _S + "customProperties"})

_RELATIONSHIP = {"relationship": (None, xs.names(xs.PACKAGE_REL, "Relationship"))}
_CONTENT_TYPES = {"default": (None, xs.names(xs.CONTENT_TYPES, "Default")),
                  "override": (None, xs.names(xs.CONTENT_TYPES, "Override"))}
_WORKBOOK = {"sheet": ("sheets", xs.names(xs.MAIN, "sheet")), "properties": (None, xs.names(xs.MAIN, "workbookPr"))}
_WORKBOOK_ROOT = xs.names(xs.MAIN, "workbook")
_RELATIONSHIP_ID = xs.names(xs.OFFICE_REL, "id")


@dataclass(frozen=True)
class Relationship:
    type: str
    target: str  # the part it names, resolved (no leading slash), as written: look it up with Package.member
    id: str = ""


@dataclass
class Book:
    """A workbook's parts, each the member name it was found under (None when the package has none)."""

    package: Package
    workbook: str
    sheets: dict[str, str | None] = field(default_factory=dict)  # sheet name -> its part, in the workbook's order
    shared_strings: str | None = None
    styles: str | None = None
    date1904: bool = False


def resolve(source: str, target: str) -> str:
    """The part a relationship target names, seen from the part ``source`` (``""`` for the package)."""
    target = target.split("#", 1)[0]
    if target.startswith("/"):
        return posixpath.normpath(target).lstrip("/")
    return posixpath.normpath(posixpath.join(posixpath.dirname(source), target)).lstrip("/")


def relationships(package: Package, source: str) -> list[Relationship]:
    """The internal relationships of ``source`` (``""`` for the package's own), in their order."""
    folder, name = posixpath.split(source)
    member = package.member(posixpath.join(folder, "_rels", name + ".rels"))
    if member is None:
        return []
    found = xs.collect(package, member, _RELATIONSHIP, SMALL_PART)
    return [Relationship(r.get("Type", ""), resolve(source, r["Target"]), r.get("Id", ""))
            for r in found.of("relationship") if r.get("TargetMode") != "External" and r.get("Target")]


def content_types(package: Package) -> list[str]:
    """Every content type ``[Content_Types].xml`` declares, by extension or by part."""
    member = package.member("[Content_Types].xml")
    if member is None:
        return []
    found = xs.collect(package, member, _CONTENT_TYPES, SMALL_PART)
    return [entry.get("ContentType", "") for entry in found.of("default") + found.of("override")]


def is_macro_type(content_type: str) -> bool:
    lowered = content_type.lower()
    return "vbaproject" in lowered or "macroenabled" in lowered or "macrosheet" in lowered


def macro_evidence(package: Package, types: list[str], relations: list[Relationship]) -> str | None:
    """What shows the package holds macros, or None: a VBA project or macro sheet by content type (whatever
    its part is named), a relationship to one, or a member named like a VBA project."""
    for content_type in types:
        if is_macro_type(content_type):
            return f"the content type {content_type}"
    for relation in relations:
        if relation.type.lower().endswith(("/vbaproject", "macrosheet")):
            return f"a relationship to {relation.target}"
    for name in package.names:
        if name.lower().endswith("vbaproject.bin"):
            return f"the part {name}"
    return None


def main_part(package: Package) -> str | None:
    """The member holding the package's main part (its first ``officeDocument`` relationship's target)."""
    for relation in relationships(package, ""):
        if relation.type in OFFICE_DOCUMENT:
            return package.member(relation.target)
    return None


def workbook(package: Package, part: str, relations: list[Relationship] | None = None) -> Book | None:
    """The parts of the workbook held in the member ``part``; None when that part is not a workbook."""
    found = xs.collect(package, part, _WORKBOOK, SMALL_PART)
    if found.root not in _WORKBOOK_ROOT:
        return None
    relations = relationships(package, part) if relations is None else relations
    by_id = {r.id: r for r in relations}
    book = Book(package, part)
    for sheet in found.of("sheet"):
        relation = by_id.get(next((v for k, v in sheet.items() if k in _RELATIONSHIP_ID), ""))
        name = sheet.get("name", "")
        if relation is not None and name not in book.sheets:  # the first of two sheets of one name wins
            book.sheets[name] = package.member(relation.target)
    for relation in relations:
        if relation.type in SHARED_STRINGS and book.shared_strings is None:
            book.shared_strings = package.member(relation.target)
        elif relation.type in STYLES and book.styles is None:
            book.styles = package.member(relation.target)
    flags = found.of("properties")
    book.date1904 = bool(flags) and flags[0].get("date1904", "").lower() in ("1", "true")
    return book
