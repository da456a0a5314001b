"""Zip-level work on an Office package: the ribbon part, the macro-enabled content type, reproducible bytes.

XlsxWriter and openpyxl write no ribbon, so the ``customUI.xml`` part and its package relationship are added
here. The relationship is the 2006 one: openpyxl (``keep_vba=True``) carries ``customUI/customUI.xml`` and
that relationship through a save, while a ``customUI14.xml`` ribbon silently vanishes.

Building twice must give the same bytes, so every member gets one fixed timestamp and fixed permissions,
the members are written in one fixed order, and the document properties carry fixed dates.
"""

from __future__ import annotations

import io
import re
import zipfile
from typing import Mapping

CUSTOM_UI_PART = "customUI/customUI.xml"
CUSTOM_UI_REL_TYPE = "http://schemas.microsoft.com/office/2006/relationships/ui/extensibility"
CUSTOM_UI_REL_ID = "ragbookRibbon"
MACRO_WORKBOOK_TYPE = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
PLAIN_WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
VBA_PART = "xl/vbaProject.bin"

# 1 January 2000: any fixed moment later than 1980 (the zip format's epoch) will do.
FIXED_ZIP_TIME = (2000, 1, 1, 0, 0, 0)
FIXED_W3CDTF = "2000-01-01T00:00:00Z"

# Office writes these first; Excel does not need it, but other readers sniff [Content_Types].xml early.
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def read_members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info.filename) for info in archive.infolist()}


def write_members(members: Mapping[str, bytes]) -> bytes:
    """A zip of ``members`` that is byte-identical whenever ``members`` are: fixed order, time and attributes."""
    order = [name for name in _FIRST if name in members] + sorted(n for n in members if n not in _FIRST)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in order:
            info = zipfile.ZipInfo(name, FIXED_ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            info.create_system = 0
            archive.writestr(info, members[name], compresslevel=6)
    return buffer.getvalue()


def add_ribbon(members: dict[str, bytes], custom_ui: bytes) -> None:
    """Put the ribbon part in and relate it from the package, replacing any ribbon already there."""
    members[CUSTOM_UI_PART] = custom_ui
    rels = members["_rels/.rels"].decode("utf-8")
    rels = re.sub(r'<Relationship [^>]*Type="' + re.escape(CUSTOM_UI_REL_TYPE) + r'"[^>]*/>', "", rels)
    rel = f'<Relationship Id="{CUSTOM_UI_REL_ID}" Type="{CUSTOM_UI_REL_TYPE}" Target="{CUSTOM_UI_PART}"/>'
    members["_rels/.rels"] = rels.replace("</Relationships>", rel + "</Relationships>").encode("utf-8")


def set_macro_enabled(members: dict[str, bytes]) -> None:
    types = members["[Content_Types].xml"].decode("utf-8").replace(PLAIN_WORKBOOK_TYPE, MACRO_WORKBOOK_TYPE)
    if 'Extension="bin"' not in types and '/xl/vbaProject.bin"' not in types:
        types = types.replace(
            "</Types>",
            '<Override PartName="/xl/vbaProject.bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>')
    members["[Content_Types].xml"] = types.encode("utf-8")


def fix_document_dates(members: dict[str, bytes]) -> None:
    """The created/modified dates in docProps/core.xml are the only clock readings in a built workbook."""
    core = members.get("docProps/core.xml")
    if core is None:
        return
    text = core.decode("utf-8")
    for tag in ("dcterms:created", "dcterms:modified"):
        text = re.sub(rf"(<{tag}[^>]*>)[^<]*(</{tag}>)", rf"\g<1>{FIXED_W3CDTF}\g<2>", text)
    members["docProps/core.xml"] = text.encode("utf-8")


def ribbon_of(data: bytes) -> bytes | None:
    """The ribbon XML of a package, if it has one related the 2006 way."""
    members = read_members(data)
    rels = members.get("_rels/.rels", b"").decode("utf-8")
    if CUSTOM_UI_REL_TYPE not in rels:
        return None
    return members.get(CUSTOM_UI_PART)
