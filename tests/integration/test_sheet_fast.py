"""The fast reader of plain sheets reads every sheet exactly as the streaming reader does, or leaves it to it.

Each case is read twice: by ``SheetReader.read`` (the fast reader first) and by the streaming reader alone; the
values, the formulas, the errors and every refusal must be the same. Hypothesis writes sheets of every kind of
cell text (references, line ends, Excel's escapes, characters XML refuses) in the shapes ragbook and Excel write.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ragbook.core.errors import InputError, UnsafeFileError
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.ooxml import opc, sheetfast
from ragbook.io.ooxml.package import MalformedPartError
from ragbook.io.ooxml.sheetstream import SheetReader
from tests.integration.test_sheet_stream import LIMITS, package

REFUSALS = (InputError, UnsafeFileError, MalformedPartError)


def both(xml: str, strings: str | None = None, styles: str | None = None):
    """What the two readers make of a sheet: (cells or refusal, the same of the streaming reader alone, whether
    the fast reader read it)."""
    source = package(xml, strings=strings, styles=styles)
    results = []
    for fast in (True, False):
        book = opc.workbook(source, opc.main_part(source))
        reader = SheetReader(book, LIMITS)
        with contextlib.ExitStack() as stack:
            if not fast:  # the streaming reader alone
                stack.enter_context(mock.patch.object(sheetfast, "read", lambda *_: None))
                stack.enter_context(mock.patch.object(sheetfast, "read_strings", lambda *_: None))
            try:
                cells = reader.read("S")
                results.append((cells.rows, cells.formulas, cells.errors, reader.text, reader.strings()))
            except REFUSALS as exc:
                results.append((type(exc).__name__, str(exc)))
    return results[0], results[1]


def fast_reads(xml: str, strings: str | None = None) -> bool:
    source = package(xml, strings=strings)
    book = opc.workbook(source, opc.main_part(source))
    reader = SheetReader(book, LIMITS)
    from ragbook.io.ooxml.sheetcells import Typing  # noqa: PLC0415

    strings_read, too_long = reader.strings()
    typing = Typing(reader, "S", strings_read, too_long, {}, False, LIMITS.max_text)
    return sheetfast.read(source, book.sheets["S"], typing, LIMITS, "S") is not None


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12) | st.sampled_from(
    ["a &amp; b", "&lt;x&gt;", "&#13;", "&#x41;", "line\r\nend", "cr\ronly", "_x000D_", "_x005F_x000D_",
     "]]>", "&#0;", "&#xFFFE;", "&bogus;", "& alone", "  ", "\x01", "\ufffe", "=SUM(A1)"])
VALUE = st.sampled_from(["1", "1.5", "-0", "1e20", "x", "", " 3 ", "NaN", "inf", "45000"])


def cell(column: int, row: int, draw) -> str:
    letters = "ABCDEFGHIJ"[column]
    kind = draw(st.sampled_from(["inline", "number", "shared", "bool", "error", "empty", "str", "date"]))
    text = draw(TEXT).replace("<", "&lt;") if draw(st.booleans()) else draw(TEXT)
    space = ' xml:space="preserve"' if draw(st.booleans()) else ""
    return {
        "inline": f'<c r="{letters}{row}" s="1" t="inlineStr"><is><t{space}>{text}</t></is></c>',
        "number": f'<c r="{letters}{row}"><v>{draw(VALUE)}</v></c>',
        "date": f'<c r="{letters}{row}" s="1"><v>{draw(VALUE)}</v></c>',
        "shared": f'<c r="{letters}{row}" t="s"><v>{draw(st.sampled_from(["0", "1", "2", "9", "x"]))}</v></c>',
        "bool": f'<c r="{letters}{row}" t="b"><v>{draw(st.sampled_from(["0", "1", "2"]))}</v></c>',
        "error": f'<c r="{letters}{row}" t="e"><v>#N/A</v></c>',
        "empty": f'<c r="{letters}{row}" s="1"/>',
        "str": f'<c r="{letters}{row}" t="str"><v>{draw(VALUE)}</v></c>',
    }[kind]


@st.composite
def sheets(draw) -> str:
    out = []
    for row in range(1, draw(st.integers(1, 4)) + 1):
        attributes = draw(st.sampled_from(["", ' spans="1:3"', ' ht="30" customHeight="1"',
                                           ' spans="1:3" x14ac:dyDescent="0.25"']))
        numbered = f' r="{row}"' if draw(st.booleans()) else ""
        cells = "".join(cell(column, row, draw) for column in range(draw(st.integers(0, 3))))
        out.append(f"<row{numbered}{attributes}>{cells}</row>")
    return "".join(out)


STRINGS = "<si><t>zero</t></si><si><t>one</t></si><si><r><t>t</t></r><r><t>wo</t></r></si>"
STYLES = ('<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>'
          '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs>')


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(sheets())
def test_any_sheet_of_the_plain_shape_reads_as_the_streaming_reader_reads_it(xml):
    fast, streamed = both(xml, strings=STRINGS, styles=STYLES)
    assert fast == streamed


@pytest.mark.parametrize("xml", [
    '<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>',
    '<row r="1" spans="1:2"><c r="A1" s="3" t="s"><v>0</v></c><c r="B1" s="2"><v>1.5</v></c></row>',
    '<row r="1"/><row r="2"><c r="A2"><v>1</v></c></row>',
    '\n  <row r="1">\n    <c r="A1"><v>1</v></c>\n  </row>\n',
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:x14ac='
    '"http://schemas.microsoft.com/office/spreadsheetml/2009/9/ac"><sheetData><row r="1" spans="1:1" '
    'x14ac:dyDescent="0.25"><c r="A1" t="s"><v>1</v></c></row></sheetData></worksheet>',
])
def test_the_shapes_ragbook_and_excel_write_are_read_by_the_fast_reader(xml):
    assert fast_reads(xml, strings=STRINGS)
    assert both(xml, strings=STRINGS)[0] == both(xml, strings=STRINGS)[1]


@pytest.mark.parametrize("xml", [
    '<row r="1"><c r="A1"><f>1+1</f><v>2</v></c></row>',  # a formula
    '<row r="1"><c r="A1" t="inlineStr"><is><r><t>rich</t></r></is></c></row>',  # rich text
    '<row r="1"><c t="inlineStr"><is><t>x</t></is></c></row>',  # no address
    "<row r='1'><c r='A1'><v>1</v></c></row>",  # single quotes
    '<row r="1" xmlns="urn:other"><c r="A1"><v>1</v></c></row>',  # another namespace
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&amp</t></is></c></row>',  # a bare ampersand
    '<row r="1"><c r="A1"><v>1</v></c>',  # a row never closed
    '<row r="1" spans="1:1" r="2"><c r="A1"><v>1</v></c></row>',  # two addresses
    '<c r="A1"><v>1</v></c>',  # a cell outside a row
])
def test_any_other_shape_is_left_to_the_streaming_reader(xml):
    assert not fast_reads(xml)
    assert both(xml)[0] == both(xml)[1]


SHARED = st.lists(st.sampled_from(["<si><t>plain</t></si>", '<si><t xml:space="preserve"> spaced </t></si>',
                                   "<si><t/></si>", "<si></si>", "<si><t>a &amp; b &#x41;</t></si>",
                                   "<si><t>_x000D_ and _x005F_x000D_</t></si>", "<si><t>cr\r\nlf</t></si>",
                                   "<si><r><t>ri</t></r><r><t>ch</t></r></si>",
                                   "<si><t>base</t><rPh sb=\"0\" eb=\"1\"><t>phonetic</t></rPh></si>",
                                   "<si><t>&bogus;</t></si>", "<si><t>\x01</t></si>", "\n"]), min_size=1, max_size=6)


@settings(max_examples=200, deadline=None)
@given(SHARED)
def test_any_shared_strings_read_as_the_streaming_reader_reads_them(items):
    count = sum(item.startswith("<si>") for item in items)
    xml = "<row r=\"1\">" + "".join(f'<c r="{"ABCDEF"[i]}1" t="s"><v>{i}</v></c>' for i in range(count)) + "</row>"
    fast, streamed = both(xml, strings="".join(items))
    assert fast == streamed


def test_a_sheet_data_inside_a_comment_is_not_taken_for_the_sheets_own():
    xml = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
           '<!-- <sheetData><row r="1"><c r="A1"><v>666</v></c></row></sheetData> -->'
           '<sheetData><row r="1"><c r="A1"><v>1</v></c></row></sheetData></worksheet>')
    fast, streamed = both(xml)
    assert fast == streamed and fast[0] == {1: {0: 1.0}}


def test_a_far_cell_and_a_dtd_are_refused_in_the_streaming_readers_words():
    far = '<row r="1"><c r="ZZ1"><v>1</v></c></row>'
    dtd = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><worksheet '
           'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>')
    for xml in (far, dtd):
        fast, streamed = both(xml)
        assert fast == streamed and isinstance(fast[0], str) and "refused" in fast[1]


def test_a_master_written_by_ragbook_is_read_by_the_fast_reader_throughout(sample_master: Path, monkeypatch):
    declined = []
    real = sheetfast.read

    def counting(package, part, typing, limits, sheet):
        cells = real(package, part, typing, limits, sheet)
        if cells is None:
            declined.append(sheet)
        return cells

    monkeypatch.setattr(sheetfast, "read", counting)
    MasterWorkbook.open(sample_master).read_register()
    assert declined == []


def test_plain_shared_strings_are_read_by_the_fast_reader_and_rich_ones_are_not():
    plain = package('<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                    strings='<si><t>zero</t></si><si><t xml:space="preserve"> one</t></si><si/>')
    rich = package('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings="<si><r><t>ri</t></r></si>")
    assert sheetfast.read_strings(plain, "xl/sharedStrings.xml", LIMITS) is None  # <si/> is not of the plain shape
    plain = package('<row r="1"><c r="A1" t="s"><v>0</v></c></row>',
                    strings='<si><t>zero</t></si><si><t xml:space="preserve"> one</t></si><si></si>')
    assert sheetfast.read_strings(plain, "xl/sharedStrings.xml", LIMITS) == ["zero", " one", ""]
    assert sheetfast.read_strings(rich, "xl/sharedStrings.xml", LIMITS) is None
