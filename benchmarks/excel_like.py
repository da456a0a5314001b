"""Re-save a workbook's text the way Excel stores it: one shared-strings table instead of inline strings.

openpyxl writes every text cell as an inline string; Excel (and LibreOffice) write a shared-strings table and
refer to it by index. Readers of returns must be measured on what agencies really send back, so the benchmark
and the tests pass generated returns through this before reading them.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

_INLINE = re.compile(rb'<c ([^>]*?)t="inlineStr"([^>]*)><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>', re.DOTALL)
_SST_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def share_strings(path: Path) -> None:
    """Rewrite ``path`` in place with a shared-strings table, as Excel saves it."""
    strings: dict[bytes, int] = {}
    order: list[bytes] = []

    def index(match: re.Match[bytes]) -> bytes:
        text = match.group(3)
        if text not in strings:
            strings[text] = len(order)
            order.append(text)
        return b'<c ' + match.group(1) + b't="s"' + match.group(2) + b'><v>' + str(strings[text]).encode() + b'</v></c>'

    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    if "xl/sharedStrings.xml" in parts:
        return
    for name in list(parts):
        if name.startswith("xl/worksheets/sheet") and name.endswith(".xml"):
            parts[name] = _INLINE.sub(index, parts[name])
    items = b"".join(b'<si><t xml:space="preserve">' + text + b"</t></si>" for text in order)
    parts["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
        % (len(order), len(order)) + items + b"</sst>"
    )
    parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
        b"</Types>", f'<Override PartName="/xl/sharedStrings.xml" ContentType="{escape(_SST_TYPE)}"/></Types>'.encode())
    rels = "xl/_rels/workbook.xml.rels"
    parts[rels] = parts[rels].replace(
        b"</Relationships>",
        f'<Relationship Id="rIdSharedStrings" Type="{_SST_REL}" Target="sharedStrings.xml"/></Relationships>'.encode())
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=path.suffix, delete=False) as handle:
        temporary = Path(handle.name)
    with zipfile.ZipFile(temporary, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in parts.items():
            out.writestr(name, data)
    shutil.move(temporary, path)
