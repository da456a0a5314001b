"""What the command line can carry through a save, and what it must refuse to touch.

openpyxl rewrites the whole package on saving. With ``keep_vba`` it carries the VBA project and the
ribbon across byte for byte, and it rewrites charts and notes itself; but pictures, shapes, text boxes,
pivot tables, slicers, form and ActiveX controls and embedded objects are dropped or broken. A master
holding any of them is refused before anything is changed, with a message naming what and where, so that
the user can do the work with the ribbon buttons inside Excel (which change only cells) instead.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from pathlib import Path
from typing import IO

from openpyxl.utils import get_column_letter

from ...core.errors import InputError, UnpreservableContentError
from ..files import read_xml_part

VBA_PART = "xl/vbaProject.bin"
RIBBON_PARTS = ("customUI/customUI.xml", "_rels/.rels")

# Drawing elements openpyxl does not write back (it keeps charts, <xdr:graphicFrame> holding a chart).
_DRAWN = {
    "pic": "a picture",
    "sp": "a shape or text box",
    "grpSp": "a group of shapes",
    "cxnSp": "a connector line",
}
_ANCHOR = re.compile(rb"<xdr:(?:twoCellAnchor|oneCellAnchor|absoluteAnchor)\b.*?</xdr:(?:twoCellAnchor|oneCellAnchor|absoluteAnchor)>",
                     re.S)
_FROM = re.compile(rb"<xdr:from>\s*<xdr:col>(\d+)</xdr:col>.*?<xdr:row>(\d+)</xdr:row>", re.S)
_FIRST_ELEMENT = re.compile(rb"<xdr:(pic|sp|grpSp|cxnSp|graphicFrame)\b")
_SHEET = re.compile(rb'<sheet\b[^>]*?name="([^"]*)"[^>]*?r:id="([^"]*)"')
_REL = re.compile(rb'<Relationship\b[^>]*?/>')
_ATTR = re.compile(rb'(\w+)="([^"]*)"')

# Parts that exist only for content openpyxl drops, with what to call them.
_PARTS = (
    ("xl/pivotTables/", "a pivot table"),
    ("xl/slicers/", "a slicer"),
    ("xl/timelines/", "a timeline"),
    ("xl/activeX/", "an ActiveX control"),
    ("xl/ctrlProps/", "a form control (button, check box or list)"),
    ("xl/embeddings/", "an embedded object"),
)


def check_preservable(path: Path) -> None:
    """Refuse a master whose save through openpyxl would lose something a person put there."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
            sheets = _sheet_parts(path, archive)
            found = _drawn_content(path, archive, sheets)
            for prefix, what in _PARTS:
                parts = [n for n in names if n.startswith(prefix) and not n.endswith(".rels")]
                if parts:
                    where = _owner_sheets(path, archive, sheets, prefix) or "the workbook"
                    found.append(f"{what} ({len(parts)} part{'s' if len(parts) > 1 else ''}) on {where}")
    except zipfile.BadZipFile:
        raise InputError(f"{path}: is damaged (it starts like a zip package but cannot be opened).") from None
    if found:
        raise UnpreservableContentError(
            f"{path}: holds {'; '.join(found)}, which the command line cannot keep when it saves; nothing was "
            f"changed: use the Action Plan ribbon buttons inside Excel for this master, or move that content to "
            f"another workbook.")


def _rels(path: Path, archive: zipfile.ZipFile, part: str) -> dict[str, str]:
    """Relationship id -> absolute target part for ``part``."""
    folder, name = posixpath.split(part)
    rels_name = posixpath.join(folder, "_rels", name + ".rels")
    if rels_name not in archive.namelist():
        return {}
    targets = {}
    for rel in _REL.findall(read_xml_part(path, archive, rels_name)):
        attrs = {k.decode(): v.decode() for k, v in _ATTR.findall(rel)}
        if attrs.get("TargetMode") == "External" or "Target" not in attrs:
            continue
        target = attrs["Target"]
        targets[attrs.get("Id", "")] = target.lstrip("/") if target.startswith("/") else posixpath.normpath(
            posixpath.join(folder, target))
    return targets


def _sheet_parts(path: Path, archive: zipfile.ZipFile) -> dict[str, str]:
    """Worksheet part -> sheet name."""
    workbook = read_xml_part(path, archive, "xl/workbook.xml")
    rels = _rels(path, archive, "xl/workbook.xml")
    return {rels[rid.decode()]: name.decode() for name, rid in _SHEET.findall(workbook) if rid.decode() in rels}


def _drawn_content(path: Path, archive: zipfile.ZipFile, sheets: dict[str, str]) -> list[str]:
    found = []
    for sheet_part, sheet_name in sheets.items():
        for target in _rels(path, archive, sheet_part).values():
            if not target.startswith("xl/drawings/drawing") or target not in archive.namelist():
                continue
            for anchor in _ANCHOR.findall(read_xml_part(path, archive, target)):
                first = _FIRST_ELEMENT.search(anchor)
                if first is None or first.group(1).decode() not in _DRAWN:
                    continue
                cell = _FROM.search(anchor)
                at = f" at {get_column_letter(int(cell.group(1)) + 1)}{int(cell.group(2)) + 1}" if cell else ""
                found.append(f"{_DRAWN[first.group(1).decode()]} on sheet '{sheet_name}'{at}")
    return found


def _owner_sheets(path: Path, archive: zipfile.ZipFile, sheets: dict[str, str], prefix: str) -> str:
    owners = [f"sheet '{name}'" for part, name in sheets.items()
              if any(t.startswith(prefix) for t in _rels(path, archive, part).values())]
    return ", ".join(owners)


def macro_parts(path: Path | IO[bytes]) -> dict[str, object]:
    """The VBA project and the ribbon of a package (absent parts are left out)."""
    with zipfile.ZipFile(path) as archive:
        names = set(archive.namelist())
        parts = {name: archive.read(name) for name in (VBA_PART, RIBBON_PARTS[0]) if name in names}
        if "_rels/.rels" in names:
            rels = archive.read("_rels/.rels")
            parts["ribbon relationship"] = b"extensibility" in rels and b"customUI/customUI.xml" in rels
    return parts


def check_macros_kept(before: dict[str, object], written: Path, master: Path) -> None:
    """After a save, the VBA project and the ribbon must be exactly what they were."""
    after = macro_parts(written)
    lost = [name for name, value in before.items() if after.get(name) != value]
    if lost:
        raise InputError(f"{master}: saving would have changed {', '.join(lost)}; the master is unchanged.")
