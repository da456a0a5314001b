"""The hostile-returns corpus: every way a return can come back wrong, each with its expected outcome.

Each case starts from Police's issued return (actions 1.2, 4.2, 5.2, 5.6 on rows 2-5), turns it into what an
agency, its tools or an attacker might send back, consolidates it into a fresh master, and checks the
status, the reason, and that the master changed exactly as expected (nothing at all for a refused return).
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Callable

import pytest
from openpyxl import load_workbook

from ragbook.io.returns.crypto import encrypt
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.commands import consolidate_plan, issue_plan

from tests.helpers.returns import (CONSOLIDATED, Cycle, audit_rows, fill_return, register_rows, returns_rows,
                                  rewrite_zip, sheet_part)

REVIEW = "SCR Sam and Kyle"
GOOD = {"5.2": {"New Rating": "G", "Progress Update": "Briefing delivered to all PPU staff.", "Updated By": "DI Shah"}}
SECOND = {"1.2": {"Progress Update": "Escalation policy audited in PPU.", "Updated By": "DI Shah"}}


@dataclass
class Case:
    name: str
    make: Callable[[Cycle], list[Path]]
    status: str  # Received / Partly accepted / Rejected (of the last file)
    reason: str = ""  # a fragment of the reasons (rejected / held), or of the warnings (accepted)
    changed: dict = field(default_factory=dict)  # (ref, column) -> expected master value afterwards
    password: str | None = None


def police(cycle: Cycle, answers=None, name: str | None = None) -> Path:
    path = cycle.copy_of("Police", name)
    if answers:
        fill_return(path, answers)
    return path


def edit_actions(path: Path, edit: Callable) -> Path:
    """Change the Actions sheet as someone who removed the sheet protection would, saving with openpyxl."""
    book = load_workbook(path)
    ws = book["Actions"]
    ws.protection.sheet = False
    edit(ws)
    book.save(path)
    return path


def set_identity(path: Path, *, sheet: dict | None = None, props: dict | None = None, drop: bool = False) -> Path:
    book = load_workbook(path)
    if drop:
        del book["ragbook"]
        book.custom_doc_props.props = []
    for key, value in (sheet or {}).items():
        ws = book["ragbook"]
        for row in ws.iter_rows():
            if row[0].value == key:
                row[1].value = value
    for key, value in (props or {}).items():
        for prop in book.custom_doc_props.props:
            if prop.name == f"ragbook.{key}":
                prop.value = value
    book.save(path)
    return path


def swap_rows(ws) -> None:
    first = [c.value for c in ws[2]]
    third = [c.value for c in ws[4]]
    for position, value in enumerate(third, start=1):
        ws.cell(2, position).value = value
    for position, value in enumerate(first, start=1):
        ws.cell(4, position).value = value


def copy_row(ws, source: int, target: int) -> None:
    for position, cell in enumerate(ws[source], start=1):
        ws.cell(target, position).value = cell.value


def inserted_row(ws) -> None:
    copy_row(ws, 4, 6)
    ws.cell(6, 2).value = "9.9"
    ws.cell(6, 9).value = "R"


def relabelled_as_health(cycle: Cycle) -> list[Path]:
    """Police's filled return, its identity changed in both copies to Health's return of the same round."""
    health = next(r for r in cycle.report.returns if r.agency == "Health")
    identity = {"return_id": health.return_id, "agency": "Health"}
    return [set_identity(police(cycle, {**GOOD, **SECOND}), sheet=identity, props=identity)]


def pasted_from_health(cycle: Cycle) -> list[Path]:
    """Police's return with one row of Health's (action 5.3) pasted under its own rows."""
    health = load_workbook(cycle.return_of("Health"))["Actions"]
    row = next(r for r in health.iter_rows(min_row=2) if r[1].value == "5.3")
    path = police(cycle, SECOND)

    def paste(ws) -> None:
        for position, cell in enumerate(row, start=1):
            ws.cell(6, position).value = cell.value

    return [edit_actions(path, paste)]


def macro_enabled(cycle: Cycle) -> list[Path]:
    path = police(cycle, GOOD)

    def change(name: str, data: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return data.replace(b"spreadsheetml.sheet.main+xml", b"ms-excel.sheet.macroEnabled.main+xml")
        return data

    return [rewrite_zip(path, change, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0" + b"\x00" * 512})]


def zip_bomb(cycle: Cycle) -> list[Path]:
    return [rewrite_zip(police(cycle, GOOD), lambda n, d: d, {"xl/media/padding.xml": b"\x00" * (20 * 1024 * 1024)})]


def billion_laughs(cycle: Cycle) -> list[Path]:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
              + b"".join(b'<!ENTITY lol%d "%s">' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                         for i in range(1, 10))
              + b']><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>&lol9;</t></si></sst>')
    return [rewrite_zip(police(cycle, GOOD), lambda n, d: d, {"xl/sharedStrings.xml": laughs})]


def false_dimension(cycle: Cycle) -> list[Path]:
    path = police(cycle, GOOD)
    part = sheet_part(path)
    return [rewrite_zip(path, lambda n, d: re.sub(rb"<dimension[^>]*/>", b'<dimension ref="A1"/>', d)
                        if n == part else d)]


def far_cell(cycle: Cycle) -> list[Path]:
    path = police(cycle, GOOD)
    part = sheet_part(path)
    far = b'<row r="900000"><c r="XFD900000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    return [rewrite_zip(path, lambda n, d: d.replace(b"</sheetData>", far) if n == part else d)]


def unaddressed_cells(cycle: Cycle) -> list[Path]:
    path = police(cycle, GOOD)
    part = sheet_part(path)
    return [rewrite_zip(path, lambda n, d: re.sub(rb' r="[A-Z]+[0-9]+"', b"", d) if n == part else d)]


def dtd_in_properties(cycle: Cycle) -> list[Path]:
    path = police(cycle, GOOD)
    return [rewrite_zip(path, lambda n, d: d.replace(b"<Properties", b'<!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]><Properties', 1)
                        if n == "docProps/custom.xml" else d)]


def formula_input(cycle: Cycle) -> list[Path]:
    path = police(cycle, SECOND)
    return [edit_actions(path, lambda ws: ws.cell(4, 10, "=1+1"))]


def encrypted(password: str) -> Callable[[Cycle], list[Path]]:
    def make(cycle: Cycle) -> list[Path]:
        path = police(cycle, GOOD)
        path.write_bytes(encrypt(path.read_bytes(), password))
        return [path]
    return make


def older_after_newer(cycle: Cycle) -> list[Path]:
    second = issue_plan(cycle.plan, cycle.folder / "round2", agencies=["Police"], today=date(2026, 1, 20))
    newer = cycle.folder / "returned" / second.returns[0].path.name
    newer.parent.mkdir(exist_ok=True)
    newer.write_bytes(second.returns[0].path.read_bytes())
    fill_return(newer, {"5.2": {"New Rating": "A", "Progress Update": "Refresher delayed.", "Updated By": "DI Shah"}})
    older = police(cycle, GOOD)
    return [newer, older]


def stale(cycle: Cycle) -> list[Path]:
    master = MasterWorkbook.open(cycle.plan)
    register = master.read_register()
    position = next(i for i, a in enumerate(register.actions) if a.ref == "5.2")
    register.actions[position] = register.actions[position].with_changes(action="Rewritten by the business team.")
    master.write_register(register)
    master.save()
    return [police(cycle, {**GOOD, **SECOND})]


def file_of(data: bytes) -> Callable[[Cycle], list[Path]]:
    def make(cycle: Cycle) -> list[Path]:
        path = police(cycle)
        path.write_bytes(data)
        return [path]
    return make


def ods_file() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("content.xml", "<office:document-content/>")
    return out.getvalue()


APPLIED_52 = {("5.2", "RAG"): "G", ("5.2", "Progress"): "Briefing delivered to all PPU staff."}
APPLIED_12 = {("1.2", "Progress"): "Escalation policy audited in PPU."}

CASES = [
    Case("valid", lambda cy: [police(cy, GOOD)], "Received", changed=APPLIED_52),
    Case("untouched", lambda cy: [police(cy)], "Received", "no updates were filled in"),
    Case("corrupt", file_of(b"PK\x03\x04" + b"\x13\x37" * 500), "Rejected", "damaged or cut short"),
    Case("truncated", lambda cy: [(p := police(cy, GOOD)).write_bytes(p.read_bytes()[:3000]) and p],
         "Rejected", "damaged or cut short"),
    Case("empty", file_of(b""), "Rejected", "empty file"),
    Case("renamed xls", file_of(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000), "Rejected", "Excel 97-2003"),
    Case("renamed csv", file_of(b"Review,Ref,New Rating\nSCR Sam and Kyle,5.2,G\n"), "Rejected", "a text file"),
    Case("renamed html", file_of(b"<html><body><table><tr><td>5.2</td></tr></table></body></html>"), "Rejected",
         "a web page"),
    Case("renamed ods", file_of(ods_file()), "Rejected", "OpenDocument spreadsheet"),
    Case("renamed pdf", file_of(b"%PDF-1.7\n" + b"x" * 100), "Rejected", "a PDF"),
    Case("macro-enabled", macro_enabled, "Rejected", "macro-free"),
    Case("encrypted, right password", encrypted("s3cret"), "Received", changed=APPLIED_52, password="s3cret"),
    Case("encrypted, wrong password", encrypted("s3cret"), "Rejected", "password does not open it", password="guess"),
    Case("encrypted, no password", encrypted("s3cret"), "Rejected", "no password was given"),
    Case("zip bomb", zip_bomb, "Rejected", "zip bomb"),
    Case("billion laughs", billion_laughs, "Rejected", "declares a DTD"),
    Case("false dimensions", false_dimension, "Received", changed=APPLIED_52),
    Case("far-away cell", far_cell, "Rejected", "far outside any return"),
    Case("edited locked text", lambda cy: [edit_actions(police(cy, {**GOOD, **SECOND}),
                                                        lambda ws: ws.cell(4, 4, "Nothing to do."))],
         "Partly accepted", "locked text of action SCR Sam and Kyle 5.2 was edited: Action (D4)", changed=APPLIED_12),
    Case("deleted row", lambda cy: [edit_actions(police(cy, GOOD), lambda ws: ws.delete_rows(3))],
         "Partly accepted", "4.2 is missing from the return", changed=APPLIED_52),
    Case("inserted row", lambda cy: [edit_actions(police(cy, GOOD), inserted_row)], "Partly accepted",
         "9.9) was not in this return as issued", changed=APPLIED_52),
    Case("duplicated row", lambda cy: [edit_actions(police(cy, {**GOOD, **SECOND}), lambda ws: copy_row(ws, 4, 6))],
         "Partly accepted", "5.2 appears 2 times", changed=APPLIED_12),
    Case("swapped rows", lambda cy: [edit_actions(police(cy, {**GOOD, **SECOND}), swap_rows)], "Received",
         "different order", changed={**APPLIED_52, **APPLIED_12}),
    Case("column inserted", lambda cy: [edit_actions(police(cy, GOOD), lambda ws: ws.insert_cols(3))], "Rejected",
         "columns were inserted, deleted or moved"),
    Case("identity removed", lambda cy: [set_identity(police(cy, GOOD), drop=True)], "Rejected",
         "carries no return identity"),
    Case("identity contradictory", lambda cy: [set_identity(police(cy, GOOD), sheet={"agency": "Health"})],
         "Rejected", "identity copies disagree"),
    Case("one identity copy removed", lambda cy: [set_identity(police(cy, GOOD), props={"return_id": ""})],
         "Received", "identity was missing from the document properties", changed=APPLIED_52),
    Case("cells without addresses", unaddressed_cells, "Rejected", "cells without an address"),
    Case("DTD in the document properties", dtd_in_properties, "Rejected", "declares a DTD"),
    Case("wrong agency", lambda cy: [set_identity(police(cy, GOOD), sheet={"agency": "Health"},
                                                  props={"agency": "Health"})], "Rejected", "was issued to Police"),
    Case("issue date changed in both copies", lambda cy: [set_identity(police(cy, GOOD), sheet={"issued": "2025-12-01"},
                                                                      props={"issued": "2025-12-01"})],
         "Rejected", "says it was issued on 01/12/2025"),
    Case("unknown return", lambda cy: [set_identity(police(cy, GOOD), sheet={"return_id": "R009-Police-000000"},
                                                    props={"return_id": "R009-Police-000000"})],
         "Rejected", "never issued from this master"),
    Case("stale (master changed since issue)", stale, "Partly accepted", "changed in the master after this return",
         changed=APPLIED_12),
    Case("duplicate (same return twice)", lambda cy: [police(cy, GOOD), police(cy, GOOD, "copy.xlsx")], "Received",
         changed=APPLIED_52),
    Case("older after newer", older_after_newer, "Received", "a newer return was already applied",
         changed={("5.2", "RAG"): "A", ("5.2", "Progress"): "Refresher delayed."}),
    Case("rating outside the index", lambda cy: [police(cy, {"5.2": {"New Rating": "Purple"}, **SECOND})],
         "Partly accepted", "rating 'Purple' is not in the rating index", changed=APPLIED_12),
    Case("rating look-alike letter", lambda cy: [police(cy, {"5.2": {"New Rating": "\u0410"}})], "Received",
         "look-alike letters", changed={("5.2", "RAG"): "A"}),
    Case("date typed as text", lambda cy: [police(cy, {"5.2": {"Revised Date": "31/03/2027"}})], "Received",
         "typed as text", changed={("5.2", "Revised Date"): date(2027, 3, 31)}),
    Case("date as words", lambda cy: [police(cy, {"5.2": {"Revised Date": "next month"}, **SECOND})],
         "Partly accepted", "'next month' is not a date", changed=APPLIED_12),
    Case("formula in an input cell", formula_input, "Partly accepted", "holds a formula", changed=APPLIED_12),
    Case("formula-looking text", lambda cy: [police(cy, {"5.2": {"Progress Update": '=HYPERLINK("http://x")'}})],
         "Received", changed={("5.2", "Progress"): '=HYPERLINK("http://x")'}),
    Case("overlong text", lambda cy: [police(cy, {"5.2": {"Progress Update": "x" * 5000}, **SECOND})],
         "Partly accepted", "5000 characters", changed=APPLIED_12),
    Case("blue without evidence", lambda cy: [police(cy, {"5.2": {"New Rating": "B"}, **SECOND})],
         "Partly accepted", "without evidence; held back", changed=APPLIED_12),
    Case("relabelled as another agency's return", relabelled_as_health, "Rejected", "looks relabelled"),
    Case("one row pasted from another agency's return", pasted_from_health, "Partly accepted",
         "was not in this return as issued", changed=APPLIED_12),
    Case("blue with evidence", lambda cy: [police(cy, {"5.2": {"New Rating": "B", "Evidence": "Audit report"}})],
         "Received", changed={("5.2", "RAG"): "B", ("5.2", "Evidence"): "Audit report"}),
]


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_hostile_return(case: Case, cycle: Cycle) -> None:
    paths = case.make(cycle)
    before = register_rows(cycle.plan)
    report = consolidate_plan(cycle.plan, paths, password=case.password, today=CONSOLIDATED)
    outcome = report.outcomes[-1]
    assert outcome.status == case.status, (outcome.reasons, outcome.warnings)
    texts = " | ".join(outcome.reasons + outcome.warnings)
    assert case.reason in texts
    if case.status == "Received":
        assert not outcome.reasons
    after = register_rows(cycle.plan)
    touched = {ref for ref, _ in case.changed}
    for key, row in before.items():
        for column, old in row.items():
            if key[1] in touched and column in ("Last Updated", "Updated By"):
                continue
            assert after[key][column] == case.changed.get((key[1], column), old), (key, column)
    audit = audit_rows(cycle.plan)
    if not case.changed:
        assert after == before
        assert audit == []
    else:
        logged = {(str(a["Ref"]), a["Field"]) for a in audit}
        differing = {(ref, column) for (ref, column), value in case.changed.items()
                     if before[(REVIEW, ref)][column] != value}
        assert differing and differing <= logged


def test_formula_looking_text_stays_text(cycle: Cycle) -> None:
    path = police(cycle, {"5.2": {"Progress Update": '=HYPERLINK("http://example.org","click")'}})
    consolidate_plan(cycle.plan, [path], today=CONSOLIDATED)
    book = load_workbook(cycle.plan)
    ws = book["Register"]
    cell = next(row[7] for row in ws.iter_rows(min_row=2) if row[1].value == "5.2")
    assert cell.data_type == "s" and cell.value == '=HYPERLINK("http://example.org","click")'
    audit = [c for row in book["Audit Log"].iter_rows(min_row=2) for c in row if isinstance(c.value, str)
             and c.value.startswith("=")]
    assert audit and all(c.data_type == "s" for c in audit)


def test_refused_file_marks_the_return_it_is_named_after(cycle: Cycle) -> None:
    path = police(cycle)
    path.write_bytes(b"Ref,Rating\n5.2,G\n")
    consolidate_plan(cycle.plan, [path], today=CONSOLIDATED)
    police_id = next(r.return_id for r in cycle.report.returns if r.agency == "Police")
    row = returns_rows(cycle.plan)[police_id]
    assert row["Status"] == "Rejected" and "is a text file" in row["Notes"]


def test_a_batch_of_refused_files_that_match_no_return_leaves_the_master_untouched(cycle: Cycle) -> None:
    folder = cycle.folder / "strays"
    folder.mkdir()
    (folder / "notes.txt").write_text("Ref,Rating\n5.2,G\n")
    (folder / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    before = cycle.plan.read_bytes(), cycle.plan.stat().st_mtime_ns
    report = consolidate_plan(cycle.plan, [folder], today=CONSOLIDATED)
    assert [o.status for o in report.outcomes] == ["Rejected", "Rejected"]
    assert not report.recorded and not report.summary_refreshed
    assert (cycle.plan.read_bytes(), cycle.plan.stat().st_mtime_ns) == before
