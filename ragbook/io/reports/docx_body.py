"""A long report's tables kept out of python-docx's tree, and put back as the document is saved.

A plan of twenty thousand actions makes tables of millions of XML elements, which held as one lxml tree take
gigabytes. So each table is serialised as soon as it is made, exactly as lxml serialises it in the body, and
kept compressed in a comment that marks its place in the body (the document carries its own tables: nothing
is kept anywhere else). ``save`` writes the package python-docx makes and streams ``word/document.xml`` into
it with each mark replaced by its table: the same XML, part for part.
"""

from __future__ import annotations

import base64
import io
import re
import time
import zipfile
import zlib
from pathlib import Path

from lxml import etree

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
DOCUMENT_PART = "word/document.xml"
_SECT_PR = f"{{{W_NS}}}sectPr"
_TABLE_START = f'<w:tbl xmlns:w="{W_NS}">'.encode()
_MARK = "ragbook table {} {}"  # the table's length, and the table compressed (base64 holds no "--")
# Text in the body is escaped, so only these comments match.
_MARKS = re.compile(rb"<!--ragbook table ([0-9]+) ([A-Za-z0-9+/=]*)-->")


def append_to_body(document, element):
    """Put ``element`` at the end of the body, before its final section properties, as python-docx does; the
    section properties are looked for at the body's end only (its own search scans every paragraph and table
    before them, each time, which grows with the square of a long report)."""
    body = document.element.body
    last = next(body.iterchildren(reversed=True), None)
    if last is not None and last.tag == _SECT_PR:
        last.addprevious(element)
    elif (sect_pr := body.find(_SECT_PR)) is not None:
        sect_pr.addprevious(element)
    else:
        body.append(element)
    return element


def append_table(document, table) -> None:
    """Append ``table`` (a ``w:tbl`` parsed on its own, declaring the one namespace it uses) to the body, kept
    out of the tree until ``save``."""
    xml = etree.tostring(table, encoding="UTF-8", xml_declaration=False)
    if not xml.startswith(_TABLE_START):  # not the shape spliced back exactly: it stays in the tree
        append_to_body(document, table)
        return
    # In the body the namespace is the document's: lxml writes no declaration of its own on an element moved there.
    append_written(document, b"<w:tbl>" + xml[len(_TABLE_START):])


def append_written(document, xml: bytes) -> None:
    """Append a table given as lxml writes it in the body (UTF-8, no namespace declared), kept out of the tree
    until ``save``."""
    packed = base64.b64encode(zlib.compress(xml, 1)).decode("ascii")
    append_to_body(document, etree.Comment(_MARK.format(len(xml), packed)))


def save(document, out: Path | str) -> None:
    """``document.save(out)``, with the tables ``append_table`` kept back in their places."""
    package = io.BytesIO()
    document.save(package)
    with zipfile.ZipFile(package) as source:
        document_xml = source.read(DOCUMENT_PART)
        if _MARKS.search(document_xml) is None:  # no table kept back: the package as it is
            Path(out).write_bytes(package.getvalue())
            return
        with zipfile.ZipFile(str(out), "w", zipfile.ZIP_DEFLATED) as target:
            for info in source.infolist():
                if info.filename != DOCUMENT_PART:
                    target.writestr(info.filename, source.read(info))
                    continue
                pieces = _MARKS.split(document_xml)  # text, then each mark's length and packed table, then text...
                sizes, tables = [int(n) for n in pieces[1::3]], pieces[2::3]
                entry = _entry(info.filename)
                entry.file_size = sum(len(text) for text in pieces[0::3]) + sum(sizes)
                with target.open(entry, "w") as stream:
                    for position, text in enumerate(pieces[0::3]):
                        stream.write(text)
                        if position < len(tables):
                            stream.write(zlib.decompress(base64.b64decode(tables[position])))


def _entry(name: str) -> zipfile.ZipInfo:
    """A zip entry as ``ZipFile.writestr`` makes one for a name, as python-docx writes each part."""
    entry = zipfile.ZipInfo(name, time.localtime(time.time())[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16
    return entry
