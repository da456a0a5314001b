"""The streaming sheet reader on packages built for each case: it reads what Excel reads (namespaces by URI,
Transitional and Strict, any prefix; addresses or the positions Excel implies; every cell type), gives the
values python-calamine gave, and refuses, naming the sheet and cell, what no workbook of its kind holds."""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime, time, timedelta
from pathlib import Path

import pytest
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from ragbook.core.errors import InputError, UnsafeFileError
from ragbook.io.ooxml import cellvalues as cv
from ragbook.io.ooxml import opc
from ragbook.io.ooxml import xmlstream as xs
from ragbook.io.ooxml.package import MalformedPartError, Package, refuse_dtd
from ragbook.io.ooxml.sheetstream import Limits, SheetReader

T_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
S_MAIN = "http://purl.oclc.org/ooxml/spreadsheetml/main"
T_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
S_REL = "http://purl.oclc.org/ooxml/officeDocument/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
LIMITS = Limits(holds="any test", max_rows=1000, max_columns=30)


def package(sheet: str, *, main: str = T_MAIN, rel: str = T_REL, target: str = "worksheets/sheet1.xml",
            member: str = "xl/worksheets/sheet1.xml", strings: str | None = None, styles: str | None = None,
            extra: dict[str, bytes] | None = None, workbook_pr: str = "") -> Package:
    """A one-sheet workbook ("S") whose sheet XML is ``sheet`` (the <sheetData> content, or a whole part)."""
    part = sheet if sheet.startswith(("<?xml", "<worksheet", "<x:")) else \
        f'<worksheet xmlns="{main}"><sheetData>{sheet}</sheetData></worksheet>'
    relations = f'<Relationship Id="rId1" Type="{rel}/worksheet" Target="{target}"/>'
    members = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
        "_rels/.rels": f'<Relationships xmlns="{PKG_REL}"><Relationship Id="rId1" Type="{rel}/officeDocument" '
                       f'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}">{workbook_pr}<sheets>'
                           f'<sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>',
        member: part,
    }
    if strings is not None:
        relations += f'<Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/>'
        members["xl/sharedStrings.xml"] = f'<sst xmlns="{main}">{strings}</sst>'
    if styles is not None:
        relations += f'<Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/>'
        members["xl/styles.xml"] = f'<styleSheet xmlns="{main}">{styles}</styleSheet>'
    members["xl/_rels/workbook.xml.rels"] = f'<Relationships xmlns="{PKG_REL}">{relations}</Relationships>'
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in {**members, **(extra or {})}.items():
            archive.writestr(name, data if isinstance(data, bytes) else data.encode())
    return Package(Path("test.xlsx"), out.getvalue())


def read(source: Package, limits: Limits = LIMITS, sheet: str = "S"):
    book = opc.workbook(source, opc.main_part(source))
    return SheetReader(book, limits).read(sheet)


def calamine(source: Package, sheet: str = "S") -> list[list[object]]:
    return CalamineWorkbook.from_filelike(io.BytesIO(source.data)).get_sheet_by_name(sheet).to_python(
        skip_empty_area=False)


# ---------------------------------------------------------------------------- values as calamine gave them
def test_every_kind_of_value_reads_as_calamine_read_it(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "S"
    values = [1, 1.5, -0.0, 1e20, True, False, "text", "  ", date(2026, 3, 31), datetime(2026, 3, 31, 10, 30),
              datetime(2026, 3, 31), time(10, 30), timedelta(hours=5), "=1+1", 45000, 45000.5]
    formats = {15: "[h]:mm", 16: "yyyy-mm-dd hh:mm"}
    for row, value in enumerate(values, start=1):
        cell = ws.cell(row, 1, value)
        if row in formats:
            cell.number_format = formats[row]
    ws.cell(2, 3, 45000).number_format = '"date"0'  # a quoted d is no date token
    ws.cell(3, 3, 45000).number_format = "dd/mm/yyyy;@"
    ws.cell(4, 3, 0.25).number_format = "[Red]hh:mm"
    path = tmp_path / "values.xlsx"
    book.save(path)
    source = Package(path, path.read_bytes())
    cells = read(source)
    assert cells.grid() == calamine(source)
    assert cells.formulas == {14: {0}}


def test_text_runs_phonetics_escapes_and_shared_strings():
    strings = ('<si><t>plain</t></si><si><r><t>ri</t></r><r><rPr><b/></rPr><t>ch</t></r><rPh><t>ふりがな</t></rPh></si>'
               '<si><t>a_x000D_b_x005F_x000D_c</t></si><si/>')
    sheet = ('<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>'
             '<c r="D1" t="s"><v>3</v></c><c r="E1" t="inlineStr"><is><r><t>in</t></r><r><t>line</t></r>'
             '<rPh><t>x</t></rPh></is></c><c r="F1" t="str"><v>s_x0041_</v></c>'
             '<c r="G1" t="d"><v>2026-03-31</v></c><c r="H1" t="d"><v>2026-03-31T10:30:00</v></c></row>')
    source = package(sheet, strings=strings)
    assert read(source).grid() == calamine(source) == [
        ["plain", "rich", "a\rb_x000D_c", "", "inline", "sA", date(2026, 3, 31), datetime(2026, 3, 31, 10, 30)]]


def test_error_cells_are_recorded_with_their_text_not_read_as_values():
    source = package('<row r="2"><c r="B2" t="e"><v>#N/A</v></c><c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c></row>')
    cells = read(source)
    assert cells.errors == {2: {1: "#N/A", 2: "#DIV/0!"}}
    assert cells.formulas == {2: {2}}
    assert cells.grid() == calamine(source) == [["", "", ""], ["", "", ""]]  # calamine read them as blanks


def test_dates_follow_the_workbook_date_system_and_the_cell_style():
    styles = ('<numFmts><numFmt numFmtId="164" formatCode="d mmm yyyy"/><numFmt numFmtId="165" '
              'formatCode="0.00\\ &quot;days&quot;"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="164"/>'
              '<xf numFmtId="165"/><xf numFmtId="14"/><xf numFmtId="46"/></cellXfs>')
    sheet = ('<row r="1"><c r="A1" s="1"><v>45000</v></c><c r="B1" s="2"><v>45000</v></c><c r="C1" s="3">'
             '<v>60</v></c><c r="D1" s="4"><v>1.5</v></c><c r="E1" s="3"><v>0.5</v></c></row>')
    plain = package(sheet, styles=styles)
    assert read(plain).grid() == calamine(plain) == [
        [date(2023, 3, 15), 45000.0, date(1900, 2, 28), timedelta(days=1, hours=12), time(12)]]
    in_1904 = package(sheet, styles=styles, workbook_pr='<workbookPr date1904="1"/>')
    assert read(in_1904).grid()[0][0] == date(2027, 3, 16) == calamine(in_1904)[0][0]


@pytest.mark.parametrize(("code", "kind"), [
    ("DD/MM/YY", cv.DATE), ("H:MM:SS;@", cv.DATE), ('m"M"d"D";@', cv.DATE), ("[h]:mm:ss", cv.DURATION),
    ("[ss]", cv.DURATION), ("[Blue]\\+[h]:mm;[Red]\\-[h]:mm", cv.DURATION), ("[>=100][Magenta].00", None),
    ('"$"#,##0_);[Red]("$"#,##0)', None), ("#,##0*y", None), ("*-yyyy-mm-dd", cv.DATE), ("0.00E+00", None),
    ("[$-404]e\"\\xfc\"m", cv.DATE), ("\\Y000000", None), ("General", None), ("h AM/PM", cv.DATE)])
def test_a_custom_number_format_is_a_date_only_for_tokens_outside_quotes_and_brackets(code, kind):
    assert cv.format_kind(code) == kind


# ---------------------------------------------------------------------------- what is a cell, and where
def test_strict_open_xml_is_read_like_transitional():
    sheet = '<row r="1"><c r="A1" t="inlineStr"><is><t>Strict</t></is></c><c r="B1"><v>2</v></c></row>'
    assert read(package(sheet, main=S_MAIN, rel=S_REL)).grid() == [["Strict", 2.0]]


def test_a_strict_workbook_gets_the_far_cell_check_too():
    far = '<row r="900000"><c r="XFD900000"><v>1</v></c></row>'
    with pytest.raises(UnsafeFileError, match="sheet 'S' has a cell at XFD900000, far outside any test"):
        read(package(far, main=S_MAIN, rel=S_REL))


def test_any_prefix_bound_to_spreadsheetml_is_spreadsheetml():
    part = (f'<x:worksheet xmlns:x="{T_MAIN}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is>'
            f'<x:t>prefixed</x:t></x:is></x:c><x:c r="B1"><x:v>3</x:v></x:c></x:row></x:sheetData></x:worksheet>')
    assert read(package(part)).grid() == [["prefixed", 3.0]]


def test_a_c_element_of_another_namespace_is_not_a_cell():
    sheet = ('<row r="1"><c r="A1"><v>1</v></c><o:c xmlns:o="urn:other" r="XFD900000"><o:v>9</o:v></o:c>'
             '<c xmlns="urn:other" r="XFC1"><v>8</v></c></row>')
    assert read(package(sheet)).grid() == [[1.0]]


def test_a_cell_written_inside_a_comment_is_not_read_nor_blamed():
    sheet = ('<row r="1"><!-- <c r="XFD900000"><f>1</f><v>1</v></c> --><c r="A1"><v>1</v></c>'
             '<![CDATA[<c r="Z2"><v>2</v></c>]]></row>')
    cells = read(package(sheet))
    assert cells.grid() == [[1.0]] and cells.formulas == {}


def test_cells_and_rows_without_addresses_go_where_excel_puts_them():
    sheet = ('<row><c><v>1</v></c><c><v>2</v></c></row><row><c><v>3</v></c><c r="D2"><v>4</v></c><c><v>5</v></c>'
             '</row><row r="5"><c><v>6</v></c></row>')
    source = package(sheet)
    cells = read(source)
    assert cells.grid() == calamine(source)
    assert cells.rows == {1: {0: 1.0, 1: 2.0}, 2: {0: 3.0, 3: 4.0, 4: 5.0}, 5: {0: 6.0}}
    assert cells.unaddressed == 5


def test_cells_without_addresses_still_meet_the_far_cell_check():
    with pytest.raises(UnsafeFileError, match="has a cell at AE1, far outside"):
        read(package("<row>" + "<c><v>1</v></c>" * 31 + "</row>"))
    with pytest.raises(UnsafeFileError, match="has a cell at A1001, far outside"):
        read(package("<row/>" * 1000 + "<row><c><v>1</v></c></row>"))


@pytest.mark.parametrize("target", ["/XL/WORKSHEETS/SHEET1.XML", "WORKSHEETS/Sheet1.xml", "worksheets/sheet%31.xml",
                                    "../xl/./worksheets/sheet1.xml"])
def test_a_relationship_target_names_its_part_as_opc_does(target):
    far = '<row r="900000"><c r="A900000"><v>1</v></c></row>'
    with pytest.raises(UnsafeFileError, match="cell at A900000, far outside"):
        read(package(far, target=target))


def test_two_members_that_differ_only_in_case_are_refused():
    source = package('<row r="1"><c r="A1"><v>1</v></c></row>',
                     extra={"XL/Worksheets/Sheet1.xml": b"<worksheet/>"})
    with pytest.raises(UnsafeFileError, match="differing only in letter case"):
        read(source)


# ---------------------------------------------------------------------------- limits, damage
def test_a_text_longer_than_a_cell_is_refused_naming_sheet_and_cell():
    long_text = "x" * 32_768
    with pytest.raises(UnsafeFileError, match="sheet 'S' cell B2 holds more than 32,767 characters"):
        read(package(f'<row r="2"><c r="B2" t="inlineStr"><is><t>{long_text}</t></is></c></row>'))
    strings = f"<si><t>ok</t></si><si><t>{long_text}</t></si>"
    assert read(package('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', strings=strings)).grid() == [["ok"]]
    with pytest.raises(UnsafeFileError, match="sheet 'S' cell C3 holds more than 32,767 characters"):
        read(package('<row r="3"><c r="C3" t="s"><v>1</v></c></row>', strings=strings))
    assert len(read(package(f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"y" * 32_767}</t></is></c></row>'))
               .rows[1][0]) == 32_767
    runs = "".join(f"<r><t>{'z' * 30_000}</t></r>" for _ in range(10))  # stopped long before it is all read
    with pytest.raises(UnsafeFileError, match="sheet 'S' cell D4 holds more than 32,767 characters"):
        read(package(f'<row r="4"><c r="D4" t="inlineStr"><is>{runs}</is></c></row>'))


def test_caps_on_cells_strings_text_and_part_size():
    sheet = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(1, 12))
    with pytest.raises(UnsafeFileError, match="more than 10 cells"):
        read(package(sheet), Limits(holds="x", max_cells=10))
    with pytest.raises(UnsafeFileError, match="more than 5 shared strings"):
        read(package(sheet, strings="<si><t>a</t></si>" * 6), Limits(holds="x", max_strings=5))
    with pytest.raises(UnsafeFileError, match="more than 100 characters of text"):
        read(package(sheet, strings="<si><t>abcdefghij</t></si>" * 11), Limits(holds="x", max_text=100))
    with pytest.raises(UnsafeFileError, match="part xl/worksheets/sheet1.xml holds more than 100 bytes"):
        read(package(sheet), Limits(holds="x", max_part=100))


@pytest.mark.parametrize(("cell", "message"), [
    ('<c r="A1" t="s"><v>7</v></c>', "cell A1 refers to shared string '7', but the workbook holds 1"),
    ('<c r="A1" t="s"><v>-1</v></c>', "refers to shared string '-1'"),
    ('<c r="A1"><v>12abc</v></c>', "cell A1 holds '12abc' as a number"),
    ('<c r="A1"><v>nan</v></c>', "holds 'nan' as a number"),
    ('<c r="A1" t="b"><v>2</v></c>', "holds '2' as TRUE or FALSE"),
    ('<c r="a1"><v>1</v></c>', "the address 'a1'"),
    ('<c r="A1" t="zz"><v>1</v></c>', "unknown type 'zz'")])
def test_a_cell_no_excel_writes_is_refused_in_a_sentence(cell, message):
    with pytest.raises(InputError, match=message):
        read(package(f'<row r="1">{cell}</row>', strings="<si><t>one</t></si>"))


def test_malformed_xml_names_its_part():
    with pytest.raises(MalformedPartError) as raised:
        read(package('<row r="1"><c r="A1"><v>1</v></row>'))
    assert raised.value.part == "xl/worksheets/sheet1.xml"


# ---------------------------------------------------------------------------- DTDs in any encoding
DTD_PART = '<?xml version="1.0" encoding="{}"?><!DOCTYPE s [<!ENTITY a "aaaa">]><sst xmlns="{}"><si><t>&a;</t></si></sst>'


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8"])
def test_a_dtd_is_refused_by_the_parser_in_any_encoding_it_reads(encoding):
    declared = "UTF-16" if encoding.startswith("utf-16") else "UTF-8"
    part = DTD_PART.format(declared, T_MAIN).encode(encoding)
    source = package('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', extra={"xl/sharedStrings.xml": part},
                     strings="")
    with pytest.raises(UnsafeFileError, match="part xl/sharedStrings.xml declares a DTD"):
        read(source)


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be"])
def test_the_byte_check_of_other_readers_finds_a_dtd_in_wide_encodings(encoding):
    part = DTD_PART.format("UTF-16", T_MAIN).encode(encoding)
    with pytest.raises(UnsafeFileError, match="declares a DTD"):
        refuse_dtd(Path("x.xlsx"), "xl/styles.xml", part)
    refuse_dtd(Path("x.xlsx"), "xl/styles.xml", f'<sst xmlns="{T_MAIN}"/>'.encode(encoding))


def test_a_dtd_in_a_part_no_reader_parses_is_refused_too():
    source = package('<row r="1"><c r="A1"><v>1</v></c></row>',
                     extra={"xl/theme/theme1.xml": DTD_PART.format("UTF-16", T_MAIN).encode("utf-16")})
    with pytest.raises(UnsafeFileError, match="part xl/theme/theme1.xml declares a DTD"):
        xs.refuse_dtds(source, 10_000_000)


# ---------------------------------------------------------------------------- macros, however named
VBA_TYPE = "application/vnd.ms-office.vbaProject"


@pytest.mark.parametrize(("content_types", "relation", "member"), [
    (f'<Override PartName="/xl/stuff.dat" ContentType="{VBA_TYPE}"/>', False, "xl/stuff.dat"),
    (f'<Default Extension="dat" ContentType="{VBA_TYPE}"/>', False, "xl/stuff.dat"),
    ("", True, "xl/stuff.dat"),
    ("", False, "XL/VBAPROJECT.BIN"),
    ('<Override PartName="/xl/macrosheets/sheet1.xml" ContentType="application/vnd.ms-excel.macrosheet+xml"/>', False,
     "xl/macrosheets/sheet1.xml")])
def test_a_vba_project_is_found_whatever_its_name(content_types, relation, member):
    source = package("", extra={
        "[Content_Types].xml": f'<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                               f"{content_types}</Types>".encode(),
        member: b"\xd0\xcf\x11\xe0" + b"\x00" * 64})
    relations = opc.relationships(source, "")
    if relation:
        relations.append(opc.Relationship("http://schemas.microsoft.com/office/2006/relationships/vbaProject",
                                          "xl/stuff.dat"))
    assert opc.macro_evidence(source, opc.content_types(source), relations)
    assert opc.macro_evidence(package(""), opc.content_types(package("")), []) is None


# ---------------------------------------------------------------------------- date serials
@pytest.mark.parametrize(("serial", "expected"), [
    (-1, time(0)), (0.5, time(12)), (1, date(1900, 1, 1)), (59, date(1900, 2, 28)), (60, date(1900, 2, 28)),
    (61, date(1900, 3, 1)), (61.75, datetime(1900, 3, 1, 18)), (2958465, date(9999, 12, 31)),
    (2958466, 2958466.0), (45000.999999999, datetime(2023, 3, 16)),
    (45000.0000001, datetime(2023, 3, 15, 0, 0, 0, 9000))])
def test_date_serials_convert_as_calamine_converted_them(serial, expected):
    assert cv.from_serial(float(serial), cv.DATE, False) == expected
