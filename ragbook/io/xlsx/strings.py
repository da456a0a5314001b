"""Excel's ``_xHHHH_`` escapes in the string parts openpyxl reads and writes.

Excel reads ``_xHHHH_`` inside any string as the character U+HHHH, and writes a text that merely looks like
one with its underscore escaped as ``_x005F_``. openpyxl does neither, so a note reading ``_x0041_`` came
back from Excel (or from calamine, which follows Excel) as ``A``. ragbook keeps openpyxl's in-memory text
true by translating the shared-strings part on its way in (escapes become XML character references) and on
its way out (escape-looking text gets its underscore escaped), at the package level, where no cell can be
missed.
"""

from __future__ import annotations

import io
import re
import zipfile

from ...core.limits import escape_text

SHARED_STRINGS = "xl/sharedStrings.xml"

_LOOKS_ESCAPED = re.compile(rb"_(?=x[0-9A-Fa-f]{4}_)")
_ESCAPED = re.compile(rb"_x([0-9A-Fa-f]{4})_")


def _legal_in_xml(code: int) -> bool:
    return code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD


def _reference(match: re.Match[bytes]) -> bytes:
    code = int(match.group(1), 16)
    if code == 0x5F:
        return b"_"
    # A character XML 1.0 cannot hold even as a reference stays as Excel's escape: openpyxl drops it, so the
    # text reads back as the visible escape rather than losing the characters around it.
    return b"&#x%X;" % code if _legal_in_xml(code) else match.group(0)


_TEXT = re.compile(rb"(<(?:[\w.-]+:)?t(?:\s[^>]*)?>)([^<]*)(</(?:[\w.-]+:)?t>)")


def _in_texts(part: bytes, change) -> bytes:
    """``change`` applied to the content of every text element (``<t>``) of a part, and nothing else."""
    if b"_x" not in part:
        return part
    return _TEXT.sub(lambda m: m.group(1) + change(m.group(2)) + m.group(3) if b"_x" in m.group(2) else m.group(0),
                     part)


def holds_strings(name: str) -> bool:
    """Whether a part holds cell text: the shared strings, or a sheet's inline strings."""
    return name == SHARED_STRINGS or name.startswith("xl/worksheets/")


def escapes_as_references(part: bytes) -> bytes:
    """The strings as openpyxl should read them: each ``_xHHHH_`` the character it stands for."""
    return _in_texts(part, lambda text: _ESCAPED.sub(_reference, text))


def escape_looking_text(part: bytes) -> bytes:
    """The strings openpyxl wrote, each escape-looking text escaped as Excel writes it."""
    return _in_texts(part, lambda text: _LOOKS_ESCAPED.sub(b"_x005F_", text))


def escape_package(data: bytes) -> bytes:
    """A package openpyxl saved, its shared strings escaped as Excel writes them (unchanged when none needs it)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        parts = [(info, source.read(info)) for info in source.infolist()]
    if not any(holds_strings(info.filename) and b"_x" in part for info, part in parts):
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info, part in parts:
            target.writestr(info, escape_looking_text(part) if holds_strings(info.filename) else part)
    return out.getvalue()


__all__ = ["SHARED_STRINGS", "escape_text", "escapes_as_references", "escape_looking_text", "escape_package",
           "holds_strings"]
