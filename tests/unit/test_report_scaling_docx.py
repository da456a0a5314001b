"""The board report's shortcuts write what python-docx, openpyxl and lxml would have written, byte for byte.

A report of a thousand reviews skips their slow paths: paragraphs added without a search of the styles and the
body, charts filled into a drawing made once per shape, tables written as lxml writes them and kept out of the
document's tree until it is saved. Each is checked here against the slow path it replaces.
"""

from __future__ import annotations

import io
import random
import zipfile

import pytest
from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from lxml import etree

from ragbook.io.reports import docx_chart
from ragbook.io.reports.docx_body import W_NS, save
from ragbook.io.reports.docx_page import add_heading, add_paragraph
from ragbook.io.reports.docx_table import Cell, add_table, table_element, table_xml

REFUSED = ("\x01", "\x0b", "\ufffe")  # characters lxml refuses in a text, whichever way it is written
TRICKY = ["", "a", " padded ", "x  ", "a\tb", "line\nnext", "cr\r\nlf", "lone\rcr", "& < > \" '", "]]>", "é", "\u2026",
          "\U0001F600", "\x01bell", "\x0bvt", "\x7f\x85", "\u2028", "\ufffe", "\xa0nbsp", "--", "@@0@@",
          "1000000000000"]
WIDTHS = [2.0, 3.0, 1.5, 1.0]
ACCEPTED = [t for t in TRICKY if not any(c in t for c in REFUSED)]


def _xml(document) -> bytes:
    return etree.tostring(document.element)


@pytest.mark.parametrize("style", [None, "Caption", "List Number", "Heading 3"])
def test_a_paragraph_is_the_one_python_docx_adds(style):
    for text in ACCEPTED:
        ours, theirs = Document(), Document()
        add_paragraph(ours, text, style)
        theirs.add_paragraph(text, style)
        assert _xml(ours) == _xml(theirs), repr(text)


def test_a_heading_is_the_one_python_docx_adds():
    ours, theirs = Document(), Document()
    for level in (0, 1, 2, 3):
        add_heading(ours, f"Heading at {level}", level)
        theirs.add_heading(f"Heading at {level}", level=level)
    assert _xml(ours) == _xml(theirs)


@pytest.mark.parametrize("categories, series", [
    (["Rec. 1", "Rec. 2"], [("Green", "00B050", [3, 1]), ("Amber", "FFC000", [0, 2])]),
    (ACCEPTED, [("Red", "FF0000", list(range(len(ACCEPTED)))), ("Blue", "0070C0", [1] * len(ACCEPTED))]),
    (["R1", "R2", "R3"], []),
    ([], [("Green", "00B050", [])]),
    (["a"], [("1000000000000", "00B050", [1])]),  # a series named like a stand-in
    (["a", "b"], [("@@1@@", "00B050", [1, 2])]),
    (["a", "b"], [("Green", "00B050", [True, 2.5])]),  # not counts: drawn as they are
])
def test_a_chart_is_the_one_openpyxl_draws(categories, series):
    for title in ("Ratings per recommendation", "Ratings by round"):
        assert docx_chart.stacked_chart_xml(title, categories, series) == docx_chart._drawn(title, categories, series)


def test_a_chart_openpyxl_cannot_draw_is_refused_as_it_refuses_it():
    with pytest.raises(ValueError):
        docx_chart._drawn("Ratings", ["\x01"], [("Green", "00B050", [1])])
    with pytest.raises(ValueError):
        docx_chart.stacked_chart_xml("Ratings", ["\x01"], [("Green", "00B050", [1])])


def _text(rng: random.Random) -> str:
    return "".join(rng.choice(TRICKY) for _ in range(rng.randint(0, 4)))


def test_a_table_is_written_as_lxml_writes_it_in_the_body():
    rng = random.Random(20000)
    declaration = f' xmlns:w="{W_NS}"'.encode()
    for _ in range(400):
        rows = [[Cell(_text(rng), bold=rng.random() < .5, italic=rng.random() < .3,
                      fill=rng.choice([None, "", "FF0000"]), colour=rng.choice([None, "1F3864"]), centre=rng.random() < .5,
                      merge=rng.choice([None, "restart", "continue"]), span=rng.choice([1, 1, 2]),
                      note=rng.choice(["", _text(rng)])) for _ in range(3)] for _ in range(2)]
        header, caption = rng.choice([None, [], [Cell(_text(rng), bold=True)]]), rng.choice(["", _text(rng)])
        written = etree.tostring(table_element(WIDTHS, header, rows, caption=caption), encoding="UTF-8")
        assert table_xml(WIDTHS, header, rows, caption=caption) == written.replace(declaration, b"", 1)


def test_a_table_with_a_colour_that_is_not_a_plain_word_is_left_to_lxml():
    assert table_xml(WIDTHS, None, [[Cell("x", fill="FF 00")]]) is None


def _document_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        return package.read("word/document.xml")


def _saved(document, path, *, ours: bool) -> bytes:
    save(document, path) if ours else document.save(str(path))
    return path.read_bytes()


def test_tables_kept_out_of_the_tree_are_saved_in_their_places(tmp_path):
    ours, theirs = Document(), Document()
    for document in (ours, theirs):
        add_paragraph(document, "Before")
    tables = [([Cell("Ref", bold=True)], [[Cell(f"{n}.1 & <more>"), Cell("Done", fill="00B050")]]) for n in range(3)]
    for number, (header, rows) in enumerate(tables):
        add_table(ours, [2.0, 3.0], header, rows, caption=f"Table {number}")
        theirs.element.body.find(f"{{{W_NS}}}sectPr").addprevious(
            table_element([2.0, 3.0], header, rows, caption=f"Table {number}"))
        for document in (ours, theirs):
            add_paragraph(document, f"After table {number}")
    assert ours.element.body.find(f"{{{W_NS}}}tbl") is None  # a long report's tables never fill the tree
    saved = _saved(ours, tmp_path / "ours.docx", ours=True)
    expected = _saved(theirs, tmp_path / "theirs.docx", ours=False)
    assert b"ragbook table" not in _document_xml(saved)
    with zipfile.ZipFile(io.BytesIO(saved)) as package, zipfile.ZipFile(io.BytesIO(expected)) as other:
        assert package.namelist() == other.namelist()
        assert all(package.read(name) == other.read(name) for name in package.namelist() if name != "docProps/core.xml")


def test_charts_are_numbered_and_related_as_python_docx_numbers_them():
    document = Document()
    xml = docx_chart.stacked_chart_xml("Ratings by round", ["R1"], [("Green", "00B050", [1])])
    for number in range(1, 5):
        expected = document.part.rels._next_rId
        docx_chart.add_chart(document, add_paragraph(document), xml, 10.0, 7.0, f"Chart {number}")
        rel = document.part.rels[expected]
        assert rel.reltype == RT.CHART and str(rel.target_part.partname) == f"/word/charts/chart{number}.xml"
