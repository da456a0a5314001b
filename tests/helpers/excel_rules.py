"""Rules Excel (and Word) enforce on a package that no schema states, checked part by part.

A file that breaks one of them opens with "We found a problem with some content" and is repaired, which
silently changes it. ``problems(data)`` reads a package's bytes and returns one line per broken rule, naming
the part and the place; an empty list means the file passed every rule here.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile

import olefile
from defusedxml import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
TYPES = "{http://schemas.openxmlformats.org/package/2006/content-types}"
WORD = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
VML = "{urn:schemas-microsoft-com:vml}"
EXCEL = "{urn:schemas-microsoft-com:office:excel}"

CELL_TEXT_MAX, VALIDATION_TEXT_MAX, VALIDATION_TITLE_MAX, LIST_MAX, HEADER_MAX = 32_767, 255, 32, 255, 255
VBA_PROJECT_STREAM = bytes([0xCC, 0x61, 0xFF, 0xFF, 0x00, 0x01, 0x00])


def problems(data: bytes) -> list[str]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {info.filename: archive.read(info) for info in archive.infolist() if not info.is_dir()}
    found = _content_types(parts) + _relationships(parts)
    if "xl/workbook.xml" in parts:
        found += _workbook(parts)
    if "word/document.xml" in parts:
        found += _document(parts)
    return found


# ---------------------------------------------------------------------------- every package
def _content_types(parts: dict[str, bytes]) -> list[str]:
    root = ElementTree.fromstring(parts["[Content_Types].xml"])
    defaults = {d.get("Extension", "").lower() for d in root.iter(f"{TYPES}Default")}
    overrides = {o.get("PartName", "").lstrip("/").lower() for o in root.iter(f"{TYPES}Override")}
    return [f"{name}: has no content type" for name in parts if name != "[Content_Types].xml"
            and name.lower() not in overrides and name.rsplit(".", 1)[-1].lower() not in defaults]


def _relationships(parts: dict[str, bytes]) -> list[str]:
    names = {name.lower() for name in parts}
    found = []
    for name, data in parts.items():
        if not name.endswith(".rels"):
            continue
        folder = posixpath.dirname(posixpath.dirname(name))
        for rel in ElementTree.fromstring(data).iter(f"{PKG_REL}Relationship"):
            if rel.get("TargetMode") == "External":
                continue
            target = _resolve(folder, rel.get("Target", ""))
            if target.lower() not in names:
                found.append(f"{name}: relationship {rel.get('Id')} targets {target}, which is not in the package")
    return found


def _resolve(folder: str, target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))


def _related(parts: dict[str, bytes], part: str) -> dict[str, tuple[str, str]]:
    """Relationship id -> (type, target part) of ``part``."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", name + ".rels")
    if rels not in parts:
        return {}
    return {r.get("Id", ""): (r.get("Type", "").rsplit("/", 1)[-1], _resolve(folder, r.get("Target", "")))
            for r in ElementTree.fromstring(parts[rels]).iter(f"{PKG_REL}Relationship")
            if r.get("TargetMode") != "External"}


# ---------------------------------------------------------------------------- workbooks
def _workbook(parts: dict[str, bytes]) -> list[str]:
    found = []
    workbook = ElementTree.fromstring(parts["xl/workbook.xml"])
    protection = workbook.find(f"{MAIN}workbookProtection")
    if protection is not None and not protection.attrib:
        found.append("xl/workbook.xml: an empty workbookProtection element")
    styles = ElementTree.fromstring(parts["xl/styles.xml"]) if "xl/styles.xml" in parts else None
    xfs = len(styles.find(f"{MAIN}cellXfs")) if styles is not None and styles.find(f"{MAIN}cellXfs") is not None else 1
    shared = _shared_strings(parts)
    found += [f"xl/sharedStrings.xml: string {i} holds {len(text):,} characters" for i, text in enumerate(shared)
              if len(text) > CELL_TEXT_MAX]
    related = _related(parts, "xl/workbook.xml")
    for sheet in workbook.iter(f"{MAIN}sheet"):
        kind, part = related.get(sheet.get(f"{REL}id", ""), ("", ""))
        if kind == "worksheet" and part in parts:
            found += _worksheet(parts, part, sheet.get("name", ""), xfs, shared)
    if "xl/vbaProject.bin" in parts:
        found += _vba_project(parts["xl/vbaProject.bin"])
    return found


def _shared_strings(parts: dict[str, bytes]) -> list[str]:
    if "xl/sharedStrings.xml" not in parts:
        return []
    root = ElementTree.fromstring(parts["xl/sharedStrings.xml"])
    return ["".join(t.text or "" for t in si.iter(f"{MAIN}t")) for si in root.iter(f"{MAIN}si")]


_ADDRESS = re.compile(r"([A-Z]{1,3})([0-9]+)$")


def _column(letters: str) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - 64
    return number


def _worksheet(parts: dict[str, bytes], part: str, name: str, xfs: int, shared: list[str]) -> list[str]:
    where = f"{part} (sheet '{name}')"
    root = ElementTree.fromstring(parts[part])
    found, cells, last_row = [], {}, 0
    for row in root.iter(f"{MAIN}row"):
        number = int(row.get("r", last_row + 1))
        if number <= last_row:
            found.append(f"{where}: row {number} comes after row {last_row}")
        last_row, last_column = number, 0
        for cell in row.iter(f"{MAIN}c"):
            address = _ADDRESS.match(cell.get("r", ""))
            if address is None:
                continue
            column = _column(address.group(1))
            if int(address.group(2)) != number:
                found.append(f"{where}: cell {cell.get('r')} is in row {number}")
            if column <= last_column:
                found.append(f"{where}: cell {cell.get('r')} comes after a cell further right")
            last_column = column
            if int(cell.get("s", "0")) >= xfs:
                found.append(f"{where}: cell {cell.get('r')} names style {cell.get('s')}, beyond the {xfs} styles")
            text = _cell_text(cell, shared)
            if len(text) > CELL_TEXT_MAX:
                found.append(f"{where}: cell {cell.get('r')} holds {len(text):,} characters")
            cells[(number, column)] = text
    found += _validations(root, where) + _headers(root, where)
    related = _related(parts, part)
    found += _tables(parts, related, cells, where) + _notes(parts, related, root, where)
    return found


def _cell_text(cell, shared: list[str]) -> str:
    kind = cell.get("t")
    if kind == "inlineStr":
        return "".join(t.text or "" for t in cell.iter(f"{MAIN}t"))
    value = cell.findtext(f"{MAIN}v") or ""
    if kind == "s" and value.isdigit() and int(value) < len(shared):
        return shared[int(value)]
    return value


def _validations(root, where: str) -> list[str]:
    found = []
    for validation in root.iter(f"{MAIN}dataValidation"):
        place = f"{where}: the validation of {validation.get('sqref')}"
        for attribute, limit in (("prompt", VALIDATION_TEXT_MAX), ("error", VALIDATION_TEXT_MAX),
                                 ("promptTitle", VALIDATION_TITLE_MAX), ("errorTitle", VALIDATION_TITLE_MAX)):
            if len(validation.get(attribute) or "") > limit:
                found.append(f"{place}: its {attribute} passes {limit} characters")
        formula = validation.findtext(f"{MAIN}formula1") or ""
        if validation.get("type") == "list" and formula.startswith('"') and len(formula) > LIST_MAX:
            found.append(f"{place}: its inline list passes {LIST_MAX} characters")
    return found


def _headers(root, where: str) -> list[str]:
    footer = root.find(f"{MAIN}headerFooter")
    if footer is None:
        return []
    return [f"{where}: its {child.tag[len(MAIN):]} passes {HEADER_MAX} characters" for child in footer
            if len(child.text or "") > HEADER_MAX]


def _tables(parts: dict[str, bytes], related: dict[str, tuple[str, str]], cells: dict, where: str) -> list[str]:
    found = []
    for kind, part in related.values():
        if kind != "table" or part not in parts:
            continue
        table = ElementTree.fromstring(parts[part])
        first = _ADDRESS.match(table.get("ref", "A1:A1").split(":")[0])
        row, column = int(first.group(2)), _column(first.group(1))
        if table.find(f"{MAIN}autoFilter") is None:
            found.append(f"{part}: table {table.get('name')} has no filter buttons")
        for offset, col in enumerate(table.iter(f"{MAIN}tableColumn")):
            header = cells.get((row, column + offset), "")
            if header != col.get("name"):
                found.append(f"{where}: table {table.get('name')} column {col.get('name')!r} but its header "
                             f"cell holds {header!r}")
    return found


def _notes(parts: dict[str, bytes], related: dict[str, tuple[str, str]], root, where: str) -> list[str]:
    comments = [part for kind, part in related.values() if kind == "comments"]
    if not comments:
        return []
    noted = {ref.get("ref") for ref in ElementTree.fromstring(parts[comments[0]]).iter(f"{MAIN}comment")}
    drawing = root.find(f"{MAIN}legacyDrawing")
    vml = related.get(drawing.get(f"{REL}id", ""), ("", ""))[1] if drawing is not None else ""
    if vml not in parts:
        return [f"{where}: has notes but no drawing of their shapes"]
    found, shaped = [], set()
    for shape in ElementTree.fromstring(parts[vml]).iter(f"{VML}shape"):
        data = shape.find(f"{EXCEL}ClientData")
        if data is None or data.get("ObjectType") != "Note":
            continue
        row, column = int(data.findtext(f"{EXCEL}Row", "0")), int(data.findtext(f"{EXCEL}Column", "0"))
        address = _letters(column + 1) + str(row + 1)
        shaped.add(address)
        if data.find(f"{EXCEL}Anchor") is None:
            found.append(f"{vml}: the note of {address} has no anchor (Show All Notes would stack it)")
    found += [f"{where}: the note of {ref} has no shape" for ref in sorted(noted - shaped)]
    return found


def _letters(number: int) -> str:
    letters = ""
    while number:
        number, remainder = divmod(number - 1, 26)
        letters = chr(65 + remainder) + letters
    return letters


def _vba_project(data: bytes) -> list[str]:
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        stream = ole.openstream("VBA/_VBA_PROJECT").read()
    if stream != VBA_PROJECT_STREAM:
        return [f"xl/vbaProject.bin: its _VBA_PROJECT stream is {len(stream)} bytes, not the seven an "
                f"interoperable writer writes"]
    return []


# ---------------------------------------------------------------------------- documents
def _document(parts: dict[str, bytes]) -> list[str]:
    root = ElementTree.fromstring(parts["word/document.xml"])
    return [f"word/document.xml: a repeated header row written as w:tblHeader w:val={h.get(f'{WORD}val')!r}"
            for h in root.iter(f"{WORD}tblHeader") if h.get(f"{WORD}val") is not None]
