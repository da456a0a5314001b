"""The Register's notes, written in bulk as XML, and the list sheets a save carries over untouched.

ragbook's notes carry the author "ragbook" and are the only ones Validate changes: a person's note and a text
continued from its cell are never removed or replaced, every note keeps its size and an anchor beside its cell,
and a note whose text is unchanged is not touched. A list sheet nothing wrote to keeps its rows' XML as it was,
which must read exactly as a sheet written afresh.
"""

from __future__ import annotations

import shutil
import zipfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.comments import Comment

from benchmarks.excel_like import share_strings
from ragbook import commands
from ragbook.core.model import Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.plans import FilePlans
from ragbook.io.xlsx.notes import Note, comments_part, drawing_part, note_sizes, read_comments
from tests.helpers.excel_rules import problems
from tests.helpers.large import AGENCIES, large_action

TODAY = date(2026, 11, 1)


def master_of(path: Path, size: int = 600, broken_every: int = 3) -> Path:
    actions = [large_action(n) for n in range(size)]
    for n in range(0, size, broken_every):
        actions[n] = actions[n].with_changes(lead_agency="")  # a note on column E of each of these rows
    master = MasterWorkbook.create(path)
    master.write_register(Register(DEFAULT_INDEX, actions, AGENCIES))
    master.save()
    return path


def notes_of(path: Path) -> dict[str, tuple[str, str, int, int]]:
    book = load_workbook(path)
    return {c.coordinate: (c.comment.author, c.comment.text) for row in book["Register"].iter_rows()
            for c in row if c.comment is not None}


def sizes_of(path: Path) -> dict[tuple[int, int], tuple[float, float]]:
    with zipfile.ZipFile(path) as archive:
        return note_sizes(archive.read("xl/drawings/commentsDrawing1.vml"))


def test_a_validation_notes_every_cell_in_one_drawing_that_keeps_excels_rules(tmp_path):
    plan = master_of(tmp_path / "ActionPlan.xlsx")
    report = commands.validate_plan(plan, TODAY)
    notes = notes_of(plan)
    assert report.marked_cells == len(notes) == 200
    assert notes["E2"] == ("ragbook", "WARNING lead-missing: No lead agency is assigned.")
    assert problems(plan.read_bytes()) == []  # each note has a shape with an anchor beside its cell
    assert sizes_of(plan)[(2, 5)] == (320, 70)


def test_a_persons_note_and_a_continued_text_are_kept_as_they_are(tmp_path):
    plan = master_of(tmp_path / "ActionPlan.xlsx")
    book = load_workbook(plan)
    mine = Comment("Lead to be agreed at the March board.", "Jo Smith")
    mine.width, mine.height = 500, 120
    book["Register"]["E2"].comment = mine  # a cell a finding will point at
    book["Register"]["H3"].comment = Comment("the rest of a long progress note", "ragbook import")
    book.save(plan)
    commands.validate_plan(plan, TODAY)
    notes = notes_of(plan)
    assert notes["E2"] == ("Jo Smith", "Lead to be agreed at the March board.")
    assert notes["H3"] == ("ragbook import", "the rest of a long progress note")
    assert sizes_of(plan)[(2, 5)] == (500, 120)
    with FilePlans(plan).editing() as master:  # the action is fixed: ragbook's notes go, the person's stays
        register = master.read_register()
        register.actions = [a.with_changes(lead_agency="Police") for a in register.actions]
        master.write_register(register)
    commands.validate_plan(plan, TODAY)
    assert notes_of(plan) == {"E2": ("Jo Smith", "Lead to be agreed at the March board."),
                              "H3": ("ragbook import", "the rest of a long progress note")}


def test_only_the_notes_that_change_are_touched(tmp_path):
    plan = master_of(tmp_path / "ActionPlan.xlsx", size=30)
    commands.validate_plan(plan, TODAY)
    with FilePlans(plan).editing() as master:
        master.notes[(2, 5)] = Note(master.notes[(2, 5)].text, "ragbook", 400, 300)  # resized by a person
        master.changed = True
    commands.validate_plan(plan, TODAY)
    assert sizes_of(plan)[(2, 5)] == (400, 300)  # the same finding: the note is left as it is
    with FilePlans(plan).editing() as master:
        register = master.read_register()
        register.actions[0] = register.actions[0].with_changes(lead_agency="", target_date=None)
        master.write_register(register)
    commands.validate_plan(plan, TODAY)
    assert sizes_of(plan)[(2, 6)] == (320, 70)


def test_notes_read_back_as_written(tmp_path):
    notes = {(2, 5): Note("WARNING x: leading space kept?\n  and _x0041_ stays literal", "ragbook", 320, 100),
             (1200, 3): Note("Jo's note <b>&</b>", "Jo Smith", 144.5, 79)}
    read = read_comments(comments_part(notes))
    assert read == {cell: (note.author, note.text) for cell, note in notes.items()}
    drawing = drawing_part(notes)
    assert note_sizes(drawing) == {(2, 5): (320, 100), (1200, 3): (144, 79)}  # sizes in whole pixels
    assert b'data="1"/>' in drawing  # two shapes: ids 1026 and 1027, in the first block of 1024


def test_a_drawing_of_many_notes_claims_every_block_of_ids_it_uses():
    notes = {(row, 5): Note("n", "ragbook") for row in range(2, 2502)}
    assert b'data="1,2,3"/>' in drawing_part(notes)  # 2,500 shapes: ids 1026 to 3525


def test_an_untouched_list_sheet_is_carried_over_and_reads_as_one_written_afresh(tmp_path):
    plan = master_of(tmp_path / "ActionPlan.xlsx", size=300)
    commands.issue_plan(plan, tmp_path / "returns", today=TODAY)
    before = zipfile.ZipFile(plan).read("xl/worksheets/sheet1.xml")
    commands.validate_plan(plan, TODAY)  # writes the Exceptions and the notes, not the Register's rows
    master = MasterWorkbook.open(plan)
    assert master.kept_sheet_data("Register") is not None and master.kept_sheet_data("Exceptions") is not None
    after = zipfile.ZipFile(plan).read("xl/worksheets/sheet1.xml")
    start, end = before.index(b"<sheetData"), before.index(b"</sheetData>")
    assert after[after.index(b"<sheetData"):after.index(b"</sheetData>")] == before[start:end]
    afresh = tmp_path / "afresh.xlsx"
    shutil.copy(plan, afresh)
    with FilePlans(afresh).editing() as rewritten:  # every list sheet written again
        rewritten.write_register(rewritten.read_register())
        rewritten.write_ledger(rewritten.read_ledger())
        rewritten.write_returns(rewritten.read_returns())
        rewritten.write_findings(rewritten.read_findings())
    assert looks(plan) == looks(afresh)
    assert problems(plan.read_bytes()) == []


def test_a_list_sheet_excel_saved_with_shared_strings_is_written_afresh(tmp_path):
    plan = master_of(tmp_path / "ActionPlan.xlsx", size=30)
    share_strings(plan)
    master = MasterWorkbook.open(plan)
    assert master.kept_sheet_data("Register") is None  # its cells index the strings table the save rewrites
    commands.validate_plan(plan, TODAY)
    assert b"inlineStr" in zipfile.ZipFile(plan).read("xl/worksheets/sheet1.xml")
    assert MasterWorkbook.open(plan).read_register().actions == master.read_register().actions


@pytest.mark.parametrize("sheet", ["Register", "Returns", "Exceptions"])
def test_a_written_sheet_is_never_carried_over(tmp_path, sheet):
    plan = master_of(tmp_path / "ActionPlan.xlsx", size=30)
    master = MasterWorkbook.open(plan)
    {"Register": lambda: master.write_register(master.read_register()),
     "Returns": lambda: master.write_returns([]),
     "Exceptions": lambda: master.write_findings([])}[sheet]()
    assert master.kept_sheet_data(sheet) is None
    master.write_index(master.read_index())  # the rating cells' colours come from the index
    assert master.kept_sheet_data("Register") is None


def looks(path: Path) -> dict[str, list]:
    """Every cell of the list sheets with what it shows: value, number format, font, fill, alignment (their reprs:
    openpyxl's style objects do not compare by value)."""
    book = load_workbook(path)
    return {name: [[(c.value, c.number_format, repr(c.font), repr(c.fill), repr(c.alignment), c.quotePrefix)
                    for c in row] for row in book[name].iter_rows()]
            for name in ("Register", "Exceptions", "Returns", "Returns Ledger")}
