"""What the command line can carry through a save, and what it must refuse to touch.

openpyxl rewrites the whole package on saving. With ``keep_vba`` it carries the VBA project and the
ribbon across byte for byte, and it rewrites charts and notes itself; but pictures, shapes, text boxes,
pivot tables, slicers, form and ActiveX controls and embedded objects are dropped or broken. A master
holding any of them is refused before anything is changed, with a message naming what and where, so that
the user can do the work with the ribbon buttons inside Excel (which change only cells) instead.
"""

from __future__ import annotations

import re
from pathlib import Path

from openpyxl.utils import get_column_letter

from ...core.errors import InputError, UnpreservableContentError
from ..ooxml.package import Package

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

# Parts that exist only for content openpyxl drops, with what to call them.
_PARTS = (
    ("xl/pivotTables/", "a pivot table"),
    ("xl/slicers/", "a slicer"),
    ("xl/timelines/", "a timeline"),
    ("xl/activeX/", "an ActiveX control"),
    ("xl/ctrlProps/", "a form control (button, check box or list)"),
    ("xl/embeddings/", "an embedded object"),
)


def check_preservable(source: Package) -> None:
    """Refuse a master whose save through openpyxl would lose something a person put there."""
    sheets = {part: name for name, part in source.sheet_parts.items()}
    found = _drawn_content(source, sheets)
    for prefix, what in _PARTS:
        parts = [n for n in source.names if n.startswith(prefix) and not n.endswith(".rels")]
        if parts:
            where = _owner_sheets(source, sheets, prefix) or "the workbook"
            found.append(f"{what} ({len(parts)} part{'s' if len(parts) > 1 else ''}) on {where}")
    if found:
        raise UnpreservableContentError(
            f"{source.path}: holds {'; '.join(found)}, which the command line cannot keep when it saves; nothing "
            f"was changed: use the Action Plan ribbon buttons inside Excel for this master, or move that content "
            f"to another workbook.")


def _drawn_content(source: Package, sheets: dict[str, str]) -> list[str]:
    found = []
    for sheet_part, sheet_name in sheets.items():
        for target in source.relationships(sheet_part).values():
            if not target.startswith("xl/drawings/drawing") or target not in source:
                continue
            for anchor in _ANCHOR.findall(source.part(target)):
                first = _FIRST_ELEMENT.search(anchor)
                if first is None or first.group(1).decode() not in _DRAWN:
                    continue
                cell = _FROM.search(anchor)
                at = f" at {get_column_letter(int(cell.group(1)) + 1)}{int(cell.group(2)) + 1}" if cell else ""
                found.append(f"{_DRAWN[first.group(1).decode()]} on sheet '{sheet_name}'{at}")
    return found


def _owner_sheets(source: Package, sheets: dict[str, str], prefix: str) -> str:
    owners = [f"sheet '{name}'" for part, name in sheets.items()
              if any(t.startswith(prefix) for t in source.relationships(part).values())]
    return ", ".join(owners)


def macro_parts(source: Package | Path) -> dict[str, object]:
    """The VBA project and the ribbon of a package (absent parts are left out)."""
    if isinstance(source, Path):
        with Package.open(source) as opened:
            return macro_parts(opened)
    parts: dict[str, object] = {name: source.part(name) for name in (VBA_PART, RIBBON_PARTS[0]) if name in source}
    if "_rels/.rels" in source:
        rels = source.part("_rels/.rels")
        parts["ribbon relationship"] = b"extensibility" in rels and b"customUI/customUI.xml" in rels
    return parts


def check_macros_kept(before: dict[str, object], written: Path, master: Path) -> None:
    """After a save, the VBA project and the ribbon must be exactly what they were."""
    after = macro_parts(written)
    lost = [name for name, value in before.items() if after.get(name) != value]
    if lost:
        raise InputError(f"{master}: saving would have changed {', '.join(lost)}; the master is unchanged.")
