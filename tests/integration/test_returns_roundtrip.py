"""Round trip on the imported sample plan: issue, every agency fills in every row, consolidate, and find every
update in the Register and the Audit Log, the Returns sheet up to date, and every other cell unchanged."""

from __future__ import annotations

import subprocess
from datetime import date, datetime

import pytest

from openpyxl import load_workbook

from ragbook.core.ledger import LEDGER_SHEET
from ragbook.commands import consolidate_plan
from ragbook.io.plans import FilePlans

from tests.helpers.returns import (CONSOLIDATED, Cycle, audit_rows, day, fill_return, register_rows, returns_rows,
                                  sheet_values)
from tests.helpers.sheets import sheet_rows

RATINGS = ["G", "A", "R", "B", "G"]
ORDER = "BGAR"
INPUT_COLUMNS = {"RAG", "Progress", "Evidence", "Revised Date", "Last Updated", "Updated By"}


def answers_for(agency: str, number: int, refs: list[str]) -> dict[str, dict[str, object]]:
    return {ref: {"New Rating": RATINGS[number], "Progress Update": f"{agency} progress on {ref}",
                  "Evidence": f"{agency} evidence for {ref}", "Revised Date": date(2026, 6, 1 + number),
                  "Updated By": f"{agency} lead"} for ref in refs}


def ledger_entries(plan):
    with FilePlans(plan).reading() as master:
        return master.read_ledger().entries


def refs_in(path) -> list[str]:
    book = load_workbook(path, read_only=True)
    refs = [str(row[1]) for row in book["Actions"].iter_rows(min_row=2, values_only=True) if row[1]]
    book.close()
    return refs


def test_round_trip_on_the_sample_plan(cycle: Cycle) -> None:
    before = {sheet: sheet_values(cycle.plan, sheet) for sheet in load_workbook(cycle.plan).sheetnames}
    register_before = register_rows(cycle.plan)
    expected: dict[str, dict[str, dict[str, object]]] = {}  # ref -> agency -> answers
    for number, issued in enumerate(cycle.report.returns):
        path = cycle.copy_of(issued.agency)
        answers = answers_for(issued.agency, number, refs_in(path))
        fill_return(path, answers)
        for ref, values in answers.items():
            expected.setdefault(ref, {})[issued.agency] = values

    report = consolidate_plan(cycle.plan, [cycle.folder / "returned"], today=CONSOLIDATED)

    assert [o.status for o in report.outcomes] == ["Received"] * len(cycle.report.returns)
    assert not report.has_problems and report.pending == ()
    register = register_rows(cycle.plan)
    assert list(register) == list(register_before)  # same actions, same order
    assert set(expected) == {key[1] for key in register}  # every action went to at least one agency
    for (review, ref), row in register.items():
        by_agency = expected[ref]
        agencies = sorted(by_agency, key=str.casefold)
        if len(agencies) == 1:
            values = by_agency[agencies[0]]
            assert row["Progress"] == values["Progress Update"]
            assert row["Evidence"] == values["Evidence"]
            assert row["RAG"] == values["New Rating"]
        else:  # a shared action: each agency's words under its name, the worst rating, the latest date
            assert row["Progress"] == "\n\n".join(f"{a}: {by_agency[a]['Progress Update']}" for a in agencies)
            assert row["Evidence"] == "\n\n".join(f"{a}: {by_agency[a]['Evidence']}" for a in agencies)
            assert row["RAG"] == max((by_agency[a]["New Rating"] for a in agencies), key=ORDER.index)
        assert row["Revised Date"] == max(v["Revised Date"] for v in by_agency.values())
        assert row["Updated By"] == "; ".join(sorted((v["Updated By"] for v in by_agency.values()), key=str.casefold))
        assert row["Last Updated"] == date(2026, 2, 1)  # midnight of the consolidation day
        for column, old in register_before[(review, ref)].items():
            if column not in INPUT_COLUMNS:
                assert row[column] == old, (ref, column)

    audit = audit_rows(cycle.plan)
    last: dict[tuple[str, str], object] = {}
    for entry in audit:
        assert day(entry["When"]) == date(2026, 2, 1) and str(entry["Source"]).startswith("R001-")
        last[(str(entry["Ref"]), entry["Field"])] = entry["New"]
    for (review, ref), row in register.items():
        for column in ("RAG", "Progress", "Evidence", "Revised Date", "Updated By"):
            if row[column] != register_before[(review, ref)][column]:
                logged = last[(ref, column)]
                logged = logged.date() if isinstance(logged, datetime) else logged
                assert logged == row[column], (ref, column)

    returns = returns_rows(cycle.plan)
    for issued in cycle.report.returns:
        row = returns[issued.return_id]
        assert row["Status"] == "Received" and day(row["Received"]) == date(2026, 2, 1)
        assert row["File"] == issued.path.name

    # Every update applied is on the Updates sheet, one row per return and action.
    updates = {(row["Return ID"], str(row["Ref"])) for row in sheet_rows(cycle.plan, "Updates")}
    assert updates == {(e.return_id, e.ref) for e in ledger_entries(cycle.plan) if e.state == "applied"}
    # The plan was validated again, so the Exceptions sheet changed too; nothing else did.
    for sheet, values in before.items():
        if sheet not in ("Register", "Audit Log", "Returns", "Summary", "Updates", "Exceptions", LEDGER_SHEET):
            assert sheet_values(cycle.plan, sheet) == values, sheet
    # The command refreshes the dashboard in the same save, returns matrix included.
    summary = [row for row in sheet_values(cycle.plan, "Summary") if any(v is not None for v in row)]
    assert summary[0][0] == "Summary"
    assert any(row[0] == "Returns: issued, came back, still pending" for row in summary), summary[:5]


def test_consolidating_again_changes_nothing(cycle: Cycle) -> None:
    path = cycle.copy_of("Health")
    fill_return(path, answers_for("Health", 0, refs_in(path)))
    first = consolidate_plan(cycle.plan, [path], today=CONSOLIDATED)
    register, audit = register_rows(cycle.plan), audit_rows(cycle.plan)
    second = consolidate_plan(cycle.plan, [path], today=date(2026, 2, 9))
    assert first.changes > 0 and second.changes == 0
    assert second.outcomes[0].status == "Received"
    assert second.outcomes[0].warnings[-1] == "it was already consolidated on 01/02/2026; nothing changed"
    assert register_rows(cycle.plan) == register and audit_rows(cycle.plan) == audit


@pytest.mark.libreoffice
def test_a_return_saved_by_libreoffice_is_recognised_and_applied(cycle: Cycle, soffice, tmp_path) -> None:
    """A spreadsheet program's own save (shared strings, its own styles and properties) keeps the return's
    identity and locked content intact."""
    path = cycle.copy_of("Health")
    fill_return(path, {"5.3": {"New Rating": "A", "Progress Update": "Audit slipped to May.",
                               "Revised Date": date(2026, 5, 31), "Updated By": "Designated Nurse"}})
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out),
                    str(path)], check=True, capture_output=True, timeout=180)
    report = consolidate_plan(cycle.plan, [out / path.name], today=CONSOLIDATED)
    assert [o.status for o in report.outcomes] == ["Received"], report.outcomes[0].reasons
    row = register_rows(cycle.plan)[("SCR Sam and Kyle", "5.3")]
    assert (row["RAG"], row["Progress"], row["Revised Date"]) == ("A", "Audit slipped to May.", date(2026, 5, 31))
