"""The Validate button reads the workbook's notes a fixed number of times, whatever the size of the plan.

On xlwings' remote engine every note lookup (``range.note``, and the checks ``add_note`` and ``Note.delete``
make first) scans all the sheet's notes, so a lookup per marked cell grows with the square of the plan. The
lookups are counted here, on the engine itself, for plans of two sizes and for a first and a later validation:
the counts must be the same small number. What the button leaves must still be what the command leaves.
"""

from __future__ import annotations

import copy
from datetime import date

import pytest
import xlwings as xw
from xlwings.pro import _xlremote

from ragbook import commands
from ragbook.core.model import Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.plans import FilePlans
from ragbook.ribbon import run_button
from tests.helpers.large import AGENCIES, large_action
from tests.helpers.officejs import payload_of, replay
from tests.helpers.sheets import state

TODAY = date(2026, 11, 1)
READS = 1  # one pass over the Register's notes, when there is anything to change


@pytest.fixture
def reads(monkeypatch) -> dict[str, int]:
    """Count the remote engine's note lookups: a cell's note, a note's entry, a sheet's list of notes."""
    counted = {"Range.note": 0, "Note._entry": 0, "Sheet.notes": 0}

    def counting(name: str, prop: property) -> property:
        def get(self):
            counted[name] += 1
            return prop.fget(self)
        return property(get, prop.fset)

    monkeypatch.setattr(_xlremote.Range, "note", counting("Range.note", _xlremote.Range.note))
    monkeypatch.setattr(_xlremote.Note, "_entry", counting("Note._entry", _xlremote.Note._entry))
    monkeypatch.setattr(_xlremote.Sheet, "notes", counting("Sheet.notes", _xlremote.Sheet.notes))
    return counted


def master_of(path, size: int, broken_every: int):
    """A master of ``size`` actions where every ``broken_every``-th action has no lead (one marked cell each)."""
    actions = [large_action(n) for n in range(size)]
    for n in range(0, size, broken_every):
        actions[n] = actions[n].with_changes(lead_agency="")
    master = MasterWorkbook.create(path)
    master.write_register(Register(DEFAULT_INDEX, actions, AGENCIES))
    master.save()
    return path


def press(path, reads):
    book = xw.Book(json=copy.deepcopy(payload_of(path, name=str(path))))
    for key in reads:
        reads[key] = 0
    text = run_button(book, "validate", today=TODAY)
    assert text is not None
    return dict(reads), book.json()["actions"]


@pytest.mark.parametrize("size", [300, 3000])
def test_a_first_validation_reads_the_notes_once(tmp_path, reads, size):
    path = master_of(tmp_path / "ActionPlan.xlsx", size, broken_every=3)
    counted, actions = press(path, reads)
    assert counted == {"Range.note": 0, "Note._entry": 0, "Sheet.notes": READS}
    assert sum(a["func"] == "addNote" for a in actions) == len(range(0, size, 3))


@pytest.mark.parametrize("size", [300, 3000])
def test_a_later_validation_reads_the_notes_once_and_sends_only_what_changed(tmp_path, reads, size):
    path = master_of(tmp_path / "ActionPlan.xlsx", size, broken_every=3)
    commands.validate_plan(path, TODAY)  # the notes and the Exceptions sheet of a previous validation
    with FilePlans(path).editing() as master:
        register = master.read_register()
        fixed = {n for n in range(0, size, 30)}  # one in ten of the broken actions gets its lead back
        register.actions = [a.with_changes(lead_agency="Police") if n in fixed else a
                            for n, a in enumerate(register.actions)]
        register.actions[1] = register.actions[1].with_changes(lead_agency="")  # and a newly broken one
        master.write_register(register)
    by_command = tmp_path / "by-command.xlsx"
    by_command.write_bytes(path.read_bytes())
    commands.validate_plan(by_command, TODAY)

    counted, actions = press(path, reads)
    assert counted == {"Range.note": 0, "Note._entry": 0, "Sheet.notes": READS}
    funcs = [a["func"] for a in actions]
    assert funcs.count("deleteNote") == len(fixed) and funcs.count("addNote") == 1 and "setNoteText" not in funcs
    after = replay(path, actions, tmp_path / "after.xlsx")
    assert after.alerts[0][2] == "info"
    assert state(tmp_path / "after.xlsx")["Register"]["notes"] == state(by_command)["Register"]["notes"]


def test_validating_twice_sends_no_note_at_all(tmp_path, reads):
    path = master_of(tmp_path / "ActionPlan.xlsx", 300, broken_every=3)
    commands.validate_plan(path, TODAY)
    counted, actions = press(path, reads)
    assert counted == {"Range.note": 0, "Note._entry": 0, "Sheet.notes": 0}
    assert not {"addNote", "setNoteText", "deleteNote"} & {a["func"] for a in actions}


def test_a_persons_note_on_a_cell_that_now_has_a_finding_is_kept(tmp_path, reads):
    from openpyxl import load_workbook
    from openpyxl.comments import Comment

    path = master_of(tmp_path / "ActionPlan.xlsx", 30, broken_every=1000)  # one broken action: row 2
    book = load_workbook(path)
    book["Register"]["E3"].comment = Comment("Lead to be agreed at the March board.", "Jo Smith")
    book.save(path)
    with FilePlans(path).editing() as master:
        register = master.read_register()
        register.actions[1] = register.actions[1].with_changes(lead_agency="")  # row 3's lead goes missing
        master.write_register(register)
    counted, actions = press(path, reads)
    assert counted["Sheet.notes"] == READS and counted["Range.note"] == counted["Note._entry"] == 0
    added = [a["args"][0] for a in actions if a["func"] in {"addNote", "setNoteText"}]
    assert "E3" not in [cell.replace("$", "") for cell in added] and len(added) == 1


def test_importing_a_plan_with_a_text_too_long_for_its_cell_twice_keeps_one_note(tmp_path, reads):
    source = tmp_path / "plan.csv"
    progress = " ".join(f"Quarter {n}: training delivered to team {n} and audited." for n in range(1, 800))
    source.write_text(f"Review,Ref,Recommendation,Action,Progress,RAG\nDHR Edge,1.1,Train,Deliver,{progress},A\n",
                      encoding="utf-8")
    path = master_of(tmp_path / "ActionPlan.xlsx", 3, broken_every=1000)
    for attempt in (1, 2):
        book = xw.Book(json=copy.deepcopy(payload_of(path, name=str(path))))
        text = run_button(book, "import_plan", str(source))
        assert text is not None and text.startswith("Imported 1 actions"), text
        replay(path, book.json()["actions"], path)
    notes = state(path)["Register"]["notes"]
    assert len(notes) == 1 and progress.endswith(next(iter(notes.values())))  # the rest of the text, once
    assert reads["Range.note"] == reads["Note._entry"] == 0
