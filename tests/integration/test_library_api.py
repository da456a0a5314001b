"""The library API analysts use: ``ragbook.open_plan`` and its read-only views, with pandas frames.

The master is built here by the commands (new, assign leads, validate, issue, consolidate two filled-in
returns, then a third whose Blue without evidence is held) and one hand-written Audit Log entry; every view is checked against the sheet as openpyxl reads it.
"""

from __future__ import annotations

import dataclasses
import os
import re
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

import ragbook
from ragbook import commands
from ragbook.core.errors import InputError
from ragbook.core.records import AuditEntry
from ragbook.core.returns import ACTIONS_SHEET, RETURN_HEADERS
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.io.plans import FilePlans
from ragbook.io.sheets import contract as c

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ISSUED, DUE, CONSOLIDATED = date(2026, 1, 5), date(2026, 2, 2), date(2026, 2, 1)
POLICE = {
    "5.2": {"New Rating": "G", "Progress Update": "Briefing delivered to all PPU staff.", "Updated By": "DI Shah"},
    "4.2": {"New Rating": "A", "Progress Update": "Third session postponed.", "Revised Date": date(2026, 6, 30),
            "Updated By": "DI Shah"},
}
HEALTH = {
    "5.4": {"Evidence": "Training register, Q3", "Updated By": "Designated Nurse"},
}
SOCIAL_CARE = {"3.3": {"New Rating": "B", "Updated By": "Head of Service"}}  # Blue without evidence: held
HAND_WRITTEN = AuditEntry(datetime(2026, 2, 3, 9, 30), "edited by hand", "", "SCR Sam and Kyle", "1.1", "RAG", "B", "G")


def fill(path: Path, answers: dict[str, dict[str, object]]) -> None:
    """Type answers into an issued return, as an agency in Excel would."""
    book = load_workbook(path)
    ws = book[ACTIONS_SHEET]
    column = {header: position for position, header in enumerate(RETURN_HEADERS, start=1)}
    for row in range(2, ws.max_row + 1):
        for header, value in answers.get(str(ws.cell(row, column["Ref"]).value or ""), {}).items():
            ws.cell(row, column[header]).value = value
    book.save(path)


@pytest.fixture(scope="module")
def master(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("library")
    plan = folder / "ActionPlan.xlsx"
    commands.new_plan(plan, sample_plan())
    assign_demo_leads(plan)
    commands.validate_plan(plan, today=date(2026, 11, 26))
    issued = commands.issue_plan(plan, folder / "returns", due=DUE, today=ISSUED)
    paths = {r.agency: r.path for r in issued.returns}
    fill(paths["Police"], POLICE)
    fill(paths["Health"], HEALTH)
    result = commands.consolidate_plan(plan, [paths["Police"], paths["Health"]], today=CONSOLIDATED)
    assert not result.has_problems and result.changes > 0
    fill(paths["Children's Social Care"], SOCIAL_CARE)
    held = commands.consolidate_plan(plan, [paths["Children's Social Care"]], today=CONSOLIDATED)
    assert held.held == 1 and held.updates == 0
    with FilePlans(plan).editing() as workbook:
        workbook.append_audit([HAND_WRITTEN])
    return plan


def sheet(plan: Path, name: str) -> tuple[list[str], list[tuple]]:
    """The sheet's header and non-blank rows, read independently of ragbook."""
    book = load_workbook(plan, read_only=True, data_only=True)
    try:
        rows = [tuple(r) for r in book[name].iter_rows(values_only=True)]
    finally:
        book.close()
    body = [r for r in rows[1:] if any(v not in (None, "") for v in r)]
    return [h for h in rows[0] if h is not None], body


def headers(columns) -> list[str]:
    return [col.header for col in columns]


VIEWS = {
    "register": (c.REGISTER, c.REGISTER_COLUMNS),
    "audit_log": (c.AUDIT_LOG, c.AUDIT_LOG_COLUMNS),
    "returns": (c.RETURNS, c.RETURNS_COLUMNS),
    "updates": (c.UPDATES, c.UPDATES_COLUMNS),
    "held_updates": (c.HELD_UPDATES, c.HELD_UPDATES_COLUMNS),
    "exceptions": (c.EXCEPTIONS, c.EXCEPTIONS_COLUMNS),
    "rating_index": (c.RATING_INDEX, c.RATING_INDEX_COLUMNS),
    "agencies": (c.AGENCIES, c.AGENCIES_COLUMNS),
}


@pytest.mark.parametrize("view", sorted(VIEWS))
def test_each_view_has_the_sheets_rows_and_the_contracts_columns(master, view):
    name, columns = VIEWS[view]
    header, rows = sheet(master, name)
    records = getattr(ragbook.open_plan(master), view)
    frame = records.to_frame()
    assert header[: len(columns)] == headers(columns)
    assert list(frame.columns) == headers(columns) == list(records.columns)
    assert len(records) == len(frame) == len(rows) > 0
    for col in columns:
        if col.kind in ("date", "datetime"):
            assert frame[col.header].dtype == "datetime64[ns]", col.header
    # The first column, row by row, is the sheet's.
    assert [str(v) for v in frame[columns[0].header]] == [str(r[0]) for r in rows]


def test_the_register_holds_the_actions_values_after_consolidation(master):
    plan = ragbook.open_plan(master)
    action = next(a for a in plan.register if a.ref == "5.2")
    assert (action.lead_agency, action.target_date, action.rag) == ("Police", date(2020, 11, 30), "G")
    assert action.progress == "Briefing delivered to all PPU staff." and action.updated_by == "DI Shah"
    frame = plan.register.to_frame().set_index("Ref")
    assert frame.loc["5.2", "Target Date"] == pd.Timestamp(2020, 11, 30)
    assert frame.loc["4.2", "Revised Date"] == pd.Timestamp(2026, 6, 30)
    assert frame.loc["5.2", "Last Updated"] == pd.Timestamp(CONSOLIDATED)
    assert pd.isna(frame.loc["5.2", "Revised Date"])
    assert frame.loc["5.2", "RAG"] == "G" and frame.loc["5.2", "Lead Agency"] == "Police"
    _, rows = sheet(master, c.RATING_INDEX)
    assert [r.code for r in plan.rating_index] == [row[0] for row in rows] and {"B", "R", "A", "G"} <= {row[0] for row in rows}
    assert plan.rating_index.to_frame().set_index("Code").loc["B", "Label"] == "Blue"
    assert "Police" in plan.agencies.to_frame()["Agency"].tolist()


def test_the_returns_view_shows_which_came_back(master):
    returns = ragbook.open_plan(master).returns.to_frame().set_index("Agency")
    assert returns.loc["Police", "Status"] == "Received" and returns.loc["Health", "Status"] == "Received"
    assert returns.loc["Police", "Received"] == pd.Timestamp(CONSOLIDATED)
    assert returns.loc["Education", "Status"] == "Pending" and pd.isna(returns.loc["Education", "Received"])
    assert (returns["Issued"] == pd.Timestamp(ISSUED)).all() and (returns["Due"] == pd.Timestamp(DUE)).all()


def test_updates_are_the_updates_sheet_one_row_per_return_and_action_as_the_agency_gave_it(master):
    plan = ragbook.open_plan(master)
    frame = plan.updates.to_frame()
    assert list(frame.columns) == headers(c.UPDATES_COLUMNS)
    assert frame["When"].dtype == "datetime64[ns]" and frame["Revised Date"].dtype == "datetime64[ns]"
    returns = {r.agency: r.return_id for r in plan.returns}
    rows = {(u.agency, u.ref): u for u in plan.updates}
    # The held Blue and the hand-written Audit Log entry are not updates.
    assert set(rows) == {("Police", "4.2"), ("Police", "5.2"), ("Health", "5.4")} and len(plan.updates) == 3
    police = rows["Police", "4.2"]
    assert (police.return_id, police.round, police.accepted) == (returns["Police"], 1, "consolidation")
    assert pd.Timestamp(police.when) == pd.Timestamp(CONSOLIDATED)
    assert (police.rating, police.progress, police.evidence, police.updated_by) == (
        "A", "Third session postponed.", "", "DI Shah")
    health = rows["Health", "5.4"]
    assert (health.rating, health.progress, health.evidence) == ("", "", "Training register, Q3")
    by_ref = frame.set_index(["Agency", "Ref"])
    assert by_ref.loc[("Police", "5.2"), "Rating"] == "G" and pd.isna(by_ref.loc[("Police", "5.2"), "Revised Date"])
    assert by_ref.loc[("Police", "4.2"), "Revised Date"] == pd.Timestamp(2026, 6, 30)
    assert ragbook.Update is type(police)


def test_held_updates_show_the_update_held_back_and_why(master):
    plan = ragbook.open_plan(master)
    (held,) = plan.held_updates
    assert (held.agency, held.ref, held.rating, held.updated_by) == ("Children's Social Care", "3.3", "B",
                                                                    "Head of Service")
    assert "without evidence" in held.reason and held.decision == ""
    frame = plan.held_updates.to_frame()
    assert list(frame.columns) == headers(c.HELD_UPDATES_COLUMNS) and frame["Received"].dtype == "datetime64[ns]"


def test_reading_never_writes_the_master(master):
    before = master.read_bytes()
    stat = master.stat()
    listing = sorted(p.name for p in master.parent.iterdir())
    plan = ragbook.open_plan(master)
    for view in (*VIEWS, "updates"):
        getattr(plan, view).to_frame()
    assert master.read_bytes() == before
    assert master.stat().st_mtime_ns == stat.st_mtime_ns
    assert sorted(p.name for p in master.parent.iterdir()) == listing  # no backup, no temporary file


def test_views_and_records_cannot_be_changed(master):
    plan = ragbook.open_plan(master)
    register = plan.register
    first = register[0]
    with pytest.raises(TypeError):
        register[0] = first  # type: ignore[index]
    with pytest.raises(TypeError):
        del register[0]  # type: ignore[attr-defined]
    for name in ("append", "extend", "insert", "pop", "remove", "sort", "clear"):
        assert not hasattr(register, name), name
    with pytest.raises(AttributeError):
        register._items = ()  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.rag = "R"  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.register = plan.updates  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        plan.updates[0].rag = "R"  # type: ignore[misc]
    frame = register.to_frame()
    frame.loc[0, "RAG"] = "changed"
    assert register.to_frame().loc[0, "RAG"] == first.rag != "changed"
    assert register[0] is first and len(register) == len(list(register))


def test_views_are_sequences_that_slice_into_views(master):
    register = ragbook.open_plan(master).register
    assert list(register[1:3]) == list(register)[1:3]
    assert register[-1] == list(register)[-1]
    assert len(register[1:3].to_frame()) == 2
    assert list(register[1:3].to_frame().columns) == headers(c.REGISTER_COLUMNS)
    assert register.index(register[2]) == 2 and register[2] in register
    assert len(register[:0].to_frame()) == 0 and list(register[:0].to_frame().columns) == headers(c.REGISTER_COLUMNS)


def test_a_file_that_is_not_a_master_is_refused_with_the_usual_message(tmp_path):
    text = tmp_path / "notes.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(InputError, match=re.escape(str(text))):
        ragbook.open_plan(text)
    with pytest.raises(InputError, match="no such file"):
        ragbook.open_plan(tmp_path / "missing.xlsx")


def test_import_ragbook_loads_neither_openpyxl_nor_pandas():
    script = (
        "import sys\n"
        "import ragbook\n"
        "heavy = ('openpyxl', 'pandas', 'python_calamine', 'ragbook.library', 'ragbook.io')\n"
        "assert not [m for m in heavy if m in sys.modules], [m for m in heavy if m in sys.modules]\n"
        "assert callable(ragbook.open_plan)\n"
        "assert 'pandas' not in sys.modules and 'openpyxl' not in sys.modules\n"
        "print('ok')\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"


def test_open_plan_is_exposed_lazily():
    assert "open_plan" in dir(ragbook) and "open_plan" in ragbook.__all__
    with pytest.raises(AttributeError):
        ragbook.no_such_name  # noqa: B018


def readme_example() -> str:
    section = README.split("## Library use (pandas)", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1
    return blocks[0]


def test_the_readme_example_runs_as_written(master, tmp_path, monkeypatch):
    (tmp_path / "ActionPlan.xlsx").write_bytes(master.read_bytes())
    monkeypatch.chdir(tmp_path)
    names: dict[str, object] = {}
    exec(compile(readme_example(), "README.md", "exec"), names)  # noqa: S102 - the README's own example
    register = names["register"]
    assert len(register) == len(sheet(master, c.REGISTER)[1])
    assert names["by_rating"].sum() == len(register)
    overdue = names["overdue"]
    assert len(overdue) > 0
    assert (overdue["Target Date"] < pd.Timestamp(2021, 1, 1)).all() and (overdue["RAG"] != "B").all()
    assert names["updated_by_agency"].to_dict() == {"Health": 1, "Police": 2}
