"""Excel's own limits on what a workbook may hold, as facts the checks and the writers share.

Excel repairs (and so silently changes) a file that passes them: a cell over 32,767 characters, a
data-validation prompt over 255 characters, a header over 255. They are the domain's limits too, because the
master and every return it issues must hold exactly the same text.
"""

from __future__ import annotations

import re

CELL_TEXT_MAX = 32_767
VALIDATION_TEXT_MAX = 255  # a data validation's prompt or error message
VALIDATION_TITLE_MAX = 32  # its prompt or error title
LIST_FORMULA_MAX = 255  # an inline dropdown list, quotes and commas included
HEADER_FOOTER_MAX = 255  # one header or footer, all its sections and codes together
ELLIPSIS = "…"

# Characters a rating code may not hold: the inline dropdown list is comma-separated and quoted.
CODE_FORBIDDEN = ('"', ",")


def shorten(text: str, limit: int) -> str:
    """``text`` if it fits in ``limit`` characters, else cut at a word boundary and ended with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip() + ELLIPSIS


CONTINUED = " […continued in the cell's note]"


def split_for_cell(text: str) -> tuple[str, str]:
    """A text longer than a cell holds, as the part for the cell (ending with ``CONTINUED``) and the rest.

    The cut falls at a space where there is one near the limit, so no word is split between the two.
    """
    if len(text) <= CELL_TEXT_MAX:
        return text, ""
    room = CELL_TEXT_MAX - len(CONTINUED)
    cut = text.rfind(" ", room - 200, room)
    cut = cut if cut > 0 else room
    return text[:cut].rstrip() + CONTINUED, text[cut:].lstrip()


_LOOKS_ESCAPED = re.compile(r"_(?=x[0-9A-Fa-f]{4}_)")  # every underscore that starts one, overlapping too
_ESCAPED = re.compile(r"_x([0-9A-Fa-f]{4})_")


def escape_text(text: str) -> str:
    """Text as an OOXML string must hold it so that Excel reads it back as written.

    Excel reads ``_xHHHH_`` in a string as the character U+HHHH; a text that happens to look like that (a
    pasted identifier, a file name) keeps its underscore only when that is written as ``_x005F_``.
    """
    return _LOOKS_ESCAPED.sub("_x005F_", text) if "_x" in text else text


def unescape_text(text: str) -> str:
    """What Excel shows for a string holding ``_xHHHH_`` escapes (for readers that leave them, as openpyxl)."""
    return _ESCAPED.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text
