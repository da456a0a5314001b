"""Returns built to slip past the checks, each made for real from Police's issued return: the part checked is
the part read, however the package names it, and whatever a file holds the reader ends in one sentence
(InputError), within bounded memory, so that the rest of a batch of returns is still consolidated."""

from __future__ import annotations

import io
import json
import os
import random
import re
import subprocess
import sys
import threading
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest

from ragbook.commands import consolidate_plan
from ragbook.core.errors import InputError, UnsafeFileError
from ragbook.io.returns.crypto import encrypt
from ragbook.io.returns.reader import read_return
from tests.helpers.hostile import damaged_deflate, flagged_member
from tests.helpers.paths import ROOT
from tests.helpers.returns import (
    CONSOLIDATED,
    Cycle,
    fill_return,
    register_rows,
    rewrite_zip,
    sheet_part,
)

T_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
GOOD = {"5.2": {"New Rating": "G", "Progress Update": "Briefing delivered to all PPU staff.", "Updated By": "DI Shah"}}
APPLIED = ("G", "Briefing delivered to all PPU staff.")
VBA_TYPE = b"application/vnd.ms-office.vbaProject"


def police(cycle: Cycle, answers=GOOD, name: str | None = None) -> Path:
    path = cycle.copy_of("Police", name)
    fill_return(path, answers)
    return path


def change_part(path: Path, part: str, change: Callable[[bytes], bytes]) -> Path:
    return rewrite_zip(path, lambda name, data: change(data) if name == part else data)


def consolidated(cycle: Cycle, path: Path):
    report = consolidate_plan(cycle.plan, [path], today=CONSOLIDATED)
    return report.outcomes[-1]


def applied(cycle: Cycle) -> tuple[str, str]:
    row = register_rows(cycle.plan)[("SCR Sam and Kyle", "5.2")]
    return row["RAG"], row["Progress"]


FAR_ROW = b'<row r="900000"><c r="XFD900000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'


def with_far_cell(data: bytes) -> bytes:
    return data.replace(b"</sheetData>", FAR_ROW)


# ---------------------------------------------------------------------------- the part checked is the part read
STRICT = {
    T_MAIN: b"http://purl.oclc.org/ooxml/spreadsheetml/main",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties",
    b"http://schemas.openxmlformats.org/officeDocument/2006/relationships":
        b"http://purl.oclc.org/ooxml/officeDocument/relationships",
    b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties":
        b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
}


def strict(path: Path, far: bool = False) -> Path:
    """The return as Strict Open XML: every Transitional namespace and relationship type in its Strict form."""
    actions = sheet_part(path)

    def change(name: str, data: bytes) -> bytes:
        for transitional, strict_form in STRICT.items():
            data = data.replace(transitional, strict_form)
        return with_far_cell(data) if far and name == actions else data

    return rewrite_zip(path, change)


def test_a_strict_open_xml_return_is_read_as_the_agency_filled_it_in(cycle):
    outcome = consolidated(cycle, strict(police(cycle)))
    assert outcome.status == "Received", outcome.reasons
    assert applied(cycle) == APPLIED


def test_a_strict_open_xml_return_gets_the_far_cell_check(cycle):
    outcome = consolidated(cycle, strict(police(cycle), far=True))
    assert outcome.status == "Rejected"
    assert "sheet 'Actions' has a cell at XFD900000, far outside any return" in outcome.reasons[0]


@pytest.mark.parametrize("target", [b"/XL/WORKSHEETS/SHEET2.XML", b"WORKSHEETS/Sheet2.xml", b"/xl/worksheets/sheet2.xml",
                                    b"worksheets/../worksheets/sheet%32.xml"])
def test_a_relationship_target_in_any_case_or_form_leads_the_check_to_the_part_read(cycle, target):
    path = police(cycle)
    actions = sheet_part(path)
    assert actions == "xl/worksheets/sheet2.xml"

    def change(name: str, data: bytes) -> bytes:
        if name == actions:
            return with_far_cell(data)
        if name == "xl/_rels/workbook.xml.rels":
            return re.sub(rb'Target="[^"]*sheet2\.xml"', b'Target="' + target + b'"', data)
        return data

    with pytest.raises(UnsafeFileError, match="sheet 'Actions' has a cell at XFD900000, far outside any return"):
        read_return(rewrite_zip(path, change))


def test_only_the_parts_the_relationships_lead_to_are_read(cycle):
    """A far cell in a sheet part no relationship names is not the Actions sheet, whatever its name."""
    path = police(cycle)

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels":
            return data.replace(b"/xl/worksheets/sheet2.xml", b"/xl/worksheets/actions.xml")
        if name == "[Content_Types].xml":
            return data.replace(b"/xl/worksheets/sheet2.xml", b"/xl/worksheets/actions.xml")
        return data

    with zipfile.ZipFile(path) as archive:
        actions = archive.read("xl/worksheets/sheet2.xml")
    rewrite_zip(path, lambda n, d: None if n == "xl/worksheets/sheet2.xml" else change(n, d),
                {"xl/worksheets/actions.xml": actions, "xl/worksheets/sheet2.xml": with_far_cell(actions)})
    outcome = consolidated(cycle, path)
    assert outcome.status == "Received", outcome.reasons
    assert applied(cycle) == APPLIED


def prefixed(data: bytes) -> bytes:
    """Every SpreadsheetML element written with the prefix x: bound to SpreadsheetML's namespace."""
    data = data.replace(b'xmlns="' + T_MAIN + b'"', b'xmlns:x="' + T_MAIN + b'"', 1)
    return re.sub(rb"<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s>/])", rb"<\1x:\2", data)


def test_a_prefix_bound_to_spreadsheetml_reads_as_spreadsheetml(cycle):
    path = police(cycle)
    outcome = consolidated(cycle, change_part(path, sheet_part(path), prefixed))
    assert outcome.status == "Received", outcome.reasons
    assert applied(cycle) == APPLIED


def test_an_element_named_c_in_another_namespace_is_not_a_cell(cycle):
    path = police(cycle)
    foreign = (b'<o:c xmlns:o="urn:example:other" r="XFD900000"><o:v>1</o:v></o:c>'
               b'<c xmlns="urn:example:other" r="XFD900001"><v>1</v></c></row>')
    outcome = consolidated(cycle, change_part(path, sheet_part(path), lambda d: d.replace(b"</row>", foreign, 2)))
    assert outcome.status == "Received", outcome.reasons
    assert applied(cycle) == APPLIED


def test_a_comment_holding_a_cell_is_not_read_and_not_blamed(cycle):
    path = police(cycle)
    comment = b'<!-- <c r="Z2"><f>SUM(A1:A9)</f><v>1</v></c> <c r="XFD900000"><v>1</v></c> --></row>'
    outcome = consolidated(cycle, change_part(path, sheet_part(path), lambda d: d.replace(b"</row>", comment)))
    assert outcome.status == "Received", (outcome.reasons, outcome.warnings)
    assert not any("formula" in text for text in outcome.reasons + outcome.warnings)
    assert applied(cycle) == APPLIED


# ---------------------------------------------------------------------------- DTDs and macros, however hidden
def utf16_with_dtd(data: bytes) -> bytes:
    text = re.sub(r"^<\?xml[^>]*\?>", "", data.decode("utf-8")).lstrip()
    return ('<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE r [<!ENTITY a "aaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>' + text).encode("utf-16")


@pytest.mark.parametrize("part", ["xl/styles.xml", "xl/worksheets/sheet2.xml", "xl/theme/theme1.xml",
                                  "docProps/custom.xml"])
def test_a_utf16_part_with_a_dtd_is_refused_whether_read_or_not(cycle, part):
    path = change_part(police(cycle), part, utf16_with_dtd)
    with pytest.raises(UnsafeFileError, match=f"part {re.escape(part)} declares a DTD or entities"):
        read_return(path)


def add_vba(path: Path, content_type: bool, relation: bool, name: str = "xl/media/image7.dat") -> Path:
    """A VBA project stored under a name that says nothing, declared by its content type or relationship."""
    def change(part: str, data: bytes) -> bytes:
        if content_type and part == "[Content_Types].xml":
            return data.replace(b"</Types>", b'<Override PartName="/' + name.encode() + b'" ContentType="'
                                + VBA_TYPE + b'"/></Types>')
        if relation and part == "xl/_rels/workbook.xml.rels":
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdX" Type="http://schemas.microsoft.com/'
                                b'office/2006/relationships/vbaProject" Target="' + name[3:].encode() + b'"/>'
                                b"</Relationships>")
        return data

    return rewrite_zip(path, change, {name: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1024})


@pytest.mark.parametrize(("content_type", "relation", "name"), [
    (True, False, "xl/media/image7.dat"), (False, True, "xl/media/image7.dat"),
    (False, False, "xl/VBAPROJECT.BIN"), (True, True, "xl/vbaProject.bin")])
def test_a_vba_project_under_any_name_is_refused(cycle, content_type, relation, name):
    path = add_vba(police(cycle), content_type, relation, name)
    with pytest.raises(UnsafeFileError, match="returns must be macro-free"):
        read_return(path)


# ---------------------------------------------------------------------------- cells no return holds
def test_a_text_longer_than_excel_allows_is_refused_naming_sheet_and_cell(cycle):
    path = police(cycle, {"5.2": {"Progress Update": "MARKER"}})  # written by hand: no Excel writes it longer
    path = change_part(path, sheet_part(path), lambda data: data.replace(b"MARKER", b"x" * 32_768))
    with pytest.raises(UnsafeFileError, match=r"sheet 'Actions' cell J\d+ holds more than 32,767 characters"):
        read_return(path)


def test_excel_error_cells_in_the_inputs_are_reported_not_read_as_blanks(cycle):
    path = police(cycle, {**GOOD, "4.2": {"Progress Update": "Two officers attended.", "Updated By": "DI Shah"}})

    def errors(data: bytes) -> bytes:
        data = re.sub(rb'<c r="I3"[^>]*?(/>|>.*?</c>)', b'<c r="I3" t="e"><v>#N/A</v></c>', data, flags=re.DOTALL)
        return re.sub(rb'<c r="L3"[^>]*?(/>|>.*?</c>)', b'<c r="L3" t="e"><f>1/0</f><v>#DIV/0!</v></c>', data,
                      flags=re.DOTALL)

    outcome = consolidated(cycle, change_part(path, sheet_part(path), errors))
    assert outcome.status == "Partly accepted"
    texts = " | ".join(outcome.reasons)
    assert "row 3: New Rating (I3) holds the Excel error #N/A, not a rating" in texts
    assert "row 3: Revised Date (L3) holds the Excel error #DIV/0!, not a date" in texts
    assert applied(cycle) == APPLIED  # the other row still went in
    assert register_rows(cycle.plan)[("SCR Sam and Kyle", "4.2")]["Progress"] != "Two officers attended."


# ---------------------------------------------------------------------------- bombs just under the ratio limit
def tuned(block: Callable[[random.Random, int], bytes]) -> int:
    """The fewest random bytes per block that bring the block's compression ratio under 200 (about 150-199)."""
    for salt in (0, 1, 2, 3, 4, 6, 8, 12, 16, 24, 32, 48, 64, 96, 128):
        rng = random.Random(1)
        sample = b"".join(block(rng, salt) for _ in range(200))
        compressor = zlib.compressobj(6, zlib.DEFLATED, -15)  # what zipfile writes
        if len(sample) / len(compressor.compress(sample) + compressor.flush()) < 190:
            return salt
    raise AssertionError("no salt brings the ratio under 200")


def with_bomb(path: Path, member: str, head: bytes, block: Callable[[random.Random, int], bytes], tail: bytes,
              megabytes: int, change: Callable[[str, bytes], bytes] = lambda n, d: d) -> Path:
    """The return with ``member`` replaced by ``head`` + blocks + ``tail`` (``megabytes`` of it), streamed into
    the zip, each block salted with random bytes so that the whole compresses just under 200-fold."""
    salt, rng = tuned(block), random.Random(2)
    source = zipfile.ZipFile(io.BytesIO(path.read_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename != member:
                archive.writestr(info.filename, change(info.filename, source.read(info.filename)))
        with archive.open(member, "w", force_zip64=True) as stream:
            stream.write(head)
            written = 0
            while written < megabytes * 1024 * 1024:
                data = b"".join(block(rng, salt) for _ in range(64))
                stream.write(data)
                written += len(data)
            stream.write(tail)
    path.write_bytes(out.getvalue())
    with zipfile.ZipFile(path) as archive:
        info = archive.getinfo(member)
    assert 100 < info.file_size / info.compress_size < 200, info.file_size / info.compress_size
    return path


def salted(rng: random.Random, salt: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(salt))


def string_block(rng: random.Random, salt: int) -> bytes:
    return f"<si><t>{'safeguarding partnership review ' * 600}{salted(rng, salt)}</t></si>".encode()


def shared_string_bomb(path: Path, megabytes: int) -> Path:
    def relate(name: str, data: bytes) -> bytes:
        if name == "xl/_rels/workbook.xml.rels" and b"sharedStrings" not in data:
            return data.replace(b"</Relationships>", b'<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
                                b'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
                                b"</Relationships>")
        return data

    head = b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + T_MAIN + b'">'
    return with_bomb(path, "xl/sharedStrings.xml", head, string_block, b"</sst>", megabytes, relate)


def sheet_bomb(path: Path, megabytes: int) -> Path:
    actions = sheet_part(path)
    with zipfile.ZipFile(path) as archive:
        data = archive.read(actions)
    head, tail = data.split(b"</sheetData>")
    counter = iter(range(10, 10**9))

    def cell_block(rng: random.Random, salt: int) -> bytes:
        row = 10 + next(counter) % 40_000
        return (f'<row r="{row}"><c r="N{row}" t="inlineStr"><is><t>{"note " * 2000}{salted(rng, salt)}</t></is>'
                f"</c></row>").encode()

    return with_bomb(path, actions, head, cell_block, b"</sheetData>" + tail, megabytes)


PEAK = """
import json, re, resource, sys
from pathlib import Path
from ragbook.core.errors import InputError
from ragbook.io.returns.reader import read_return
try:
    read_return(Path(sys.argv[1]))
    outcome = "read"
except InputError as exc:
    outcome = str(exc)
try:  # the kernel's high-water mark of this process alone
    with open("/proc/self/status") as status:
        peak = int(re.search(r"VmHWM:\\s+(\\d+)", status.read()).group(1)) / 1024
except OSError:  # elsewhere: getrusage (which Linux would charge with the forking parent's size)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
print(json.dumps({"outcome": outcome, "peak_mb": peak}))
"""


def read_in_a_process(path: Path) -> dict:
    done = subprocess.run([sys.executable, "-c", PEAK, str(path)], capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


@pytest.mark.parametrize(("make", "refusal"), [
    (lambda p: shared_string_bomb(p, 400), "characters of text, far more than any return"),
    (lambda p: sheet_bomb(p, 400), "characters of text, far more than any return")],
    ids=["shared-string bomb", "sheet bomb"])
def test_a_bomb_just_under_the_ratio_limit_is_refused_in_bounded_memory(cycle, make, refusal):
    result = read_in_a_process(make(police(cycle)))
    assert refusal in result["outcome"], result
    assert result["peak_mb"] < 1024, result


# ---------------------------------------------------------------------------- damage: one sentence, never more
def test_a_damaged_deflate_stream_is_refused_in_a_sentence(cycle):
    path = damaged_deflate(police(cycle), "xl/worksheets/sheet2.xml")
    with pytest.raises(InputError, match=r"is damaged or cut short \(part xl/worksheets/sheet2.xml is damaged "
                                         r"\(zlib\.error\)\)"):
        read_return(path)


def test_a_member_flagged_zip_encrypted_is_refused_in_a_sentence(cycle):
    path = flagged_member(police(cycle), "xl/styles.xml", flag=0x01)
    with pytest.raises(InputError, match="locked with a zip password"):
        read_return(path)


def test_a_member_in_an_unknown_compression_method_is_refused_in_a_sentence(cycle):
    path = flagged_member(police(cycle), "xl/worksheets/sheet2.xml", method=99)
    with pytest.raises(InputError, match=r"damaged or cut short \(.*NotImplementedError"):
        read_return(path)


@pytest.mark.parametrize("damage", ["xml", "version", "truncated"])
def test_a_damaged_encryption_header_is_refused_in_a_sentence(cycle, damage):
    path = police(cycle)
    data = bytearray(encrypt(path.read_bytes(), "s3cret"))
    at = bytes(data).find(b"<?xml", 512)
    if damage == "xml":  # noise in the middle of the XML descriptor
        for offset in range(at + 40, at + 240):
            data[offset] = (data[offset] * 7 + 13) % 256
    elif damage == "version":  # a version no Office wrote
        data[at - 8: at - 4] = b"\xff" * 4
    else:  # the descriptor cut short: its second half blanked out
        end = bytes(data).find(b"</encryption>", at) + len(b"</encryption>")
        middle = (at + end) // 2
        data[middle:end] = b" " * (end - middle)
    path.write_bytes(bytes(data))
    with pytest.raises(InputError, match="password"):
        read_return(path, "s3cret")


def test_a_fifo_is_refused_without_being_opened(tmp_path):
    fifo = tmp_path / "return.xlsx"
    os.mkfifo(fifo)
    outcome: list[object] = []
    reader = threading.Thread(target=lambda: outcome.append(_refusal(fifo)), daemon=True)
    reader.start()
    reader.join(timeout=20)
    if reader.is_alive():  # it opened the pipe and waits: give it a writer so the thread can end
        with open(fifo, "wb"):
            pass
        pytest.fail("the reader opened the FIFO and waited for a writer")
    assert "not a regular file" in outcome[0]


def test_an_endless_device_is_refused_without_being_read(tmp_path):
    link = tmp_path / "return.xlsx"
    link.symlink_to("/dev/zero")
    assert "not a regular file" in _refusal(link)


def _refusal(path: Path) -> str:
    try:
        read_return(path)
    except InputError as exc:
        return str(exc)
    return "read"


def test_a_batch_with_a_damaged_return_still_consolidates_the_others(cycle):
    good = police(cycle)
    broken = damaged_deflate(police(cycle, {}, "broken.xlsx"), "xl/worksheets/sheet2.xml")
    report = consolidate_plan(cycle.plan, [broken, good], today=CONSOLIDATED)
    statuses = {Path(o.path).name: o.status for o in report.outcomes}
    assert statuses == {"broken.xlsx": "Rejected", good.name: "Received"}
    assert applied(cycle) == APPLIED
