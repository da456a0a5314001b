"""The command line: exact exit codes and one-sentence messages; a bad input never touches PLAN."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest
from click.testing import CliRunner
from openpyxl import Workbook

from ragbook.cli import cli
from tests.helpers.hostile import far_cell


def run(*args: str):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_new_from_the_sample_reports_the_import_and_every_repair(tmp_path, sample):
    result = run("new", tmp_path / "plan.xlsx", "--from", sample)
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert lines[0] == (f"Imported 18 actions of 'SCR Sam and Kyle' from {sample} into {tmp_path / 'plan.xlsx'}: "
                        f"18 added, 0 updated, 0 unchanged.")
    assert lines[1] == "21 repairs of what extraction broke:"
    assert len([line for line in lines if line.startswith("  - ")]) == 21


def test_validate_exits_1_when_the_plan_has_errors_and_prints_json(sample_master):
    result = run("validate", sample_master, "--json", "--today", "26/11/2026")
    assert result.exit_code == 1
    data = json.loads(result.output)
    assert (data["actions"], data["errors"]) == (18, 5)
    assert {"severity": "error", "rule": "action-blank", "review": "SCR Sam and Kyle", "ref": "2.1",
            "field": "Action", "message": "The action is blank; write what will be done."} in data["findings"]


def test_validate_prints_a_readable_summary_line(sample_master):
    result = run("validate", sample_master, "--today", "26/11/2026")
    assert result.exit_code == 1
    assert "18 actions checked, 5 errors, 53 warnings" in " ".join(result.output.split())


def test_colour_says_what_it_coloured(sample_master):
    result = run("colour", sample_master)
    assert (result.exit_code, result.output) == (
        0, f"Coloured the ratings of {sample_master}: 13 Blue, 4 unrated or unknown, 1 Amber.\n")


def test_a_missing_source_is_exit_2_with_one_sentence(tmp_path, sample_master):
    before = sample_master.read_bytes()
    result = CliRunner().invoke(cli, ["import", str(tmp_path / "nope.txt"), "--into", str(sample_master)])
    assert (result.exit_code, result.stderr) == (2, f"Error: {tmp_path / 'nope.txt'}: no such file.\n")
    assert sample_master.read_bytes() == before


def encrypt(source, target, password: str) -> None:
    import msoffcrypto.format.ooxml

    with open(source, "rb") as plain, open(target, "wb") as out:
        msoffcrypto.format.ooxml.OOXMLFile(plain).encrypt(password, out)


def ratio(path, member) -> int:
    info = zipfile.ZipFile(path).getinfo(member)
    return info.file_size // info.compress_size


def bad_inputs(tmp_path):
    prose = tmp_path / "letter.txt"
    prose.write_text("Dear colleagues,\nplease find the plan attached.\n", encoding="utf-8")
    headless = tmp_path / "numbers.xlsx"
    book = Workbook()
    book.active.append(["Quarter", "Total"])
    book.active.append(["Q1", 4])
    book.save(headless)
    corrupt = tmp_path / "corrupt.xlsx"
    corrupt.write_bytes(headless.read_bytes()[:300])
    renamed = tmp_path / "image.docx"
    renamed.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", b"<a>" + b" " * 50_000_000 + b"</a>")
    dtd = tmp_path / "laughs.xlsx"
    with zipfile.ZipFile(headless) as src, zipfile.ZipFile(dtd, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "xl/workbook.xml":
                data = b'<!DOCTYPE lolz [<!ENTITY lol "lol">]>' + data.split(b"?>", 1)[-1]
            out.writestr(item, data)
    locked = tmp_path / "locked.xlsx"
    encrypt(headless, locked, "s3cret")
    return {
        locked: f"{locked}: is protected with a password to open; open it in Excel, remove the password (File > "
                f"Info > Protect Workbook > Encrypt with Password) and try again.",
        prose: f"{prose}: has no table with a recognisable header row (looked for columns such as Ref, "
               f"Recommendation, Actions, Progress/Comments, RAG Rating, Lead Agency, Target Date).",
        headless: f"{headless} (sheet 'Sheet'): has no table with a recognisable header row (looked for columns such as Ref, "
                  f"Recommendation, Actions, Progress/Comments, RAG Rating, Lead Agency, Target Date).",
        corrupt: f"{corrupt}: is damaged (it starts like a zip package but cannot be opened).",
        renamed: f"{renamed}: is a binary file of unknown kind; import reads .txt, .csv, .xlsx and .docx plans "
                 f"(save other formats as one of those first).",
        empty: f"{empty}: is an empty file; import reads .txt, .csv, .xlsx and .docx plans (save other formats "
               f"as one of those first).",
        bomb: f"{bomb}: part xl/workbook.xml expands {ratio(bomb, 'xl/workbook.xml')}-fold (a zip bomb); refused.",
        dtd: f"{dtd}: part xl/workbook.xml declares a DTD or entities, which Office never writes; refused.",
    }


def test_every_bad_source_is_exit_2_one_sentence_and_plan_untouched(tmp_path, sample_master):
    before = sample_master.read_bytes()
    for source, message in bad_inputs(tmp_path).items():
        result = CliRunner().invoke(cli, ["import", str(source), "--into", str(sample_master)])
        assert (result.exit_code, result.stderr) == (2, f"Error: {message}\n"), source.name
        assert result.stdout == ""
    assert sample_master.read_bytes() == before
    assert not (sample_master.parent / "backups").exists()


def test_new_from_a_bad_source_creates_no_plan(tmp_path):
    prose = tmp_path / "letter.txt"
    prose.write_text("Dear colleagues,\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["new", str(tmp_path / "plan.xlsx"), "--from", str(prose)])
    assert result.exit_code == 2
    assert not (tmp_path / "plan.xlsx").exists()


def test_a_plan_that_is_not_a_workbook_is_refused(tmp_path, sample):
    fake = tmp_path / "plan.xlsx"
    fake.write_text("not a workbook", encoding="utf-8")
    result = CliRunner().invoke(cli, ["validate", str(fake)])
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {fake}: is a text file, not a ragbook master workbook.\n")


def test_a_workbook_that_is_not_a_master_is_refused(tmp_path):
    other = tmp_path / "budget.xlsx"
    Workbook().save(other)
    result = CliRunner().invoke(cli, ["colour", str(other)])
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {other}: has no 'Register' or 'Rating Index' sheet, so it is not a ragbook master; create one "
           f"with 'ragbook new'.\n")


def test_a_master_open_in_excel_is_exit_2_and_untouched(sample_master):
    (sample_master.parent / ("~$" + sample_master.name)).write_bytes(b"owner")
    before = sample_master.read_bytes()
    result = CliRunner().invoke(cli, ["colour", str(sample_master)])
    assert result.exit_code == 2
    assert result.stderr == (
        f"Error: {sample_master}: is open in Excel (its lock file ~$ActionPlan.xlsx exists); save and close it, "
        f"then run the command again, or use the ribbon button inside Excel.\n")
    assert sample_master.read_bytes() == before


def test_new_refuses_to_overwrite(sample_master):
    result = CliRunner().invoke(cli, ["new", str(sample_master)])
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {sample_master}: already exists; choose another name or import into it with 'ragbook import'.\n")


def test_a_bad_date_option_is_a_usage_error():
    result = CliRunner().invoke(cli, ["validate", "x.xlsx", "--today", "someday"])
    assert result.exit_code == 2
    assert "'someday' is not a date such as 31/03/2026" in result.stderr


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_has_help_with_an_example(command):
    result = run(command, "--help")
    assert result.exit_code == 0
    assert "Example:" in result.output


def test_python_dash_m_runs_the_same_cli(tmp_path):
    result = subprocess.run([sys.executable, "-m", "ragbook", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "ragbook demo" in result.stdout


def test_the_demo_runs_the_journey_and_says_what_to_open(tmp_path):
    result = run("demo", tmp_path / "demo")
    assert result.exit_code == 0
    assert (tmp_path / "demo" / "ActionPlan.xlsm").exists()  # the ribbon workbook
    assert "Open " in result.output


def test_the_demo_never_replaces_a_master_in_the_folder_it_is_given_and_names_a_free_one(tmp_path):
    folder = tmp_path / "Partnership"
    folder.mkdir()
    master = folder / "ActionPlan.xlsm"
    master.write_bytes(b"a partnership's real master")
    (tmp_path / "Partnership-2").mkdir()
    result = run("demo", folder)
    assert (result.exit_code, result.stderr) == (2, (
        f"Error: {folder}: already holds ActionPlan.xlsm, which the demo never replaces; run it in a new folder, "
        f"such as 'ragbook demo {tmp_path / 'Partnership-3'}', or move those away first.\n"))
    assert master.read_bytes() == b"a partnership's real master"
    assert sorted(p.name for p in folder.iterdir()) == ["ActionPlan.xlsm"]


def test_the_demo_run_again_in_its_own_folder_is_refused_and_leaves_the_first_run_as_it_was(tmp_path):
    folder = tmp_path / "ragbook-demo"
    assert run("demo", folder).exit_code == 0
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    result = run("demo", folder)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {folder}: already holds ActionPlan.xlsm, backups, returns, returned, "
                                    f"reminders, board-report.docx, which the demo never replaces; ")
    assert {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()} == before


def far_cell_workbook(path, sheet_title="Plan"):
    """A workbook whose only other cell sits at XFD900000: a dense reader would need terabytes for it."""
    book = Workbook()
    ws = book.active
    ws.title = sheet_title
    ws.append(["Ref", "Recommendation", "Actions"])
    book.save(path)
    with zipfile.ZipFile(path) as source:
        parts = {info.filename: source.read(info) for info in source.infolist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = parts[sheet].replace(
        b"</sheetData>", b'<row r="900000"><c r="XFD900000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>')
    with zipfile.ZipFile(path, "w") as out:
        for name, data in parts.items():
            out.writestr(name, data)
    return path


def test_a_plan_with_a_far_away_cell_is_refused_before_it_is_read(tmp_path, sample_master):
    source = far_cell_workbook(tmp_path / "far.xlsx")
    result = CliRunner().invoke(cli, ["import", str(source), "--into", str(sample_master)])
    assert (result.exit_code, result.stderr) == (
        2, f"Error: {source}: sheet 'Plan' has a cell at XFD900000, far outside any action plan; refused.\n")


def test_a_master_with_a_far_away_cell_is_refused_before_it_is_read(sample_master):
    far_cell(sample_master, "Register", "XFD900000")
    before = sample_master.read_bytes()
    result = CliRunner().invoke(cli, ["validate", str(sample_master)])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {sample_master}: sheet 'Register' spans 16,384 columns by 900,000 rows, far "
                             f"more than anything a master holds; refused.\n")
    assert sample_master.read_bytes() == before
