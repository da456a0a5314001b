"""``ragbook summary`` and ``ragbook report`` on the command line: the figures they print, the public report's
refusal until personal data is accepted or resolved, and every error as one sentence."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from click.testing import CliRunner
from docx import Document

from ragbook.cli import cli
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.reports import pdf
from ragbook.io.sheets import contract as c
from tests.helpers.reporting import block_rows
from tests.helpers.sheets import sheet_rows


def test_summary_command_writes_the_figures(history_plan):
    result = CliRunner().invoke(cli, ["summary", str(history_plan), "--since", "01/04/2021", "--today", "01/06/2021"])
    assert result.exit_code == 0, result.output
    assert result.output == (
        f"Refreshed the Summary sheet of {history_plan}. 18 actions: 13 Blue, 1 Amber, 4 Unrated. Movement since "
        f"01/04/2021: 3 moved Amber to Green; 1 moved Green to Red. 2 not complete and past their date, the oldest "
        f"due 31/12/2020.\nReturns: 6 issued, 4 came back, 2 pending.\n")
    overall = block_rows(history_plan, "Ratings overall")
    assert overall == [("All actions", 13, 0, 1, 0, 4, 18, 13 / 18, 0, 1 / 18, 0, 4 / 18) + (None,) * (len(overall[0]) - 12)]
    # Each recommendation by its wording (shortened at a word); last, the short name the chart shows.
    recommendations = block_rows(history_plan, "By recommendation")
    assert [(r[12], r[6]) for r in recommendations] == [(f"Rec. {n}", t) for n, t in zip(range(1, 6), (3, 3, 4, 2, 6))]
    assert recommendations[0][0].startswith("1. Thurrock Safeguarding Children Partnership should review within")
    assert all(len(r[0]) <= 85 and r[0].endswith("\u2026") for r in recommendations)
    overdue = block_rows(history_plan, "Overdue")
    assert [(r[1], r[2], r[3], r[4], r[5]) for r in overdue] == [
        ("Partnership Business Unit", "1.3", datetime(2020, 12, 31), "5 months", "Unrated"),
        ("Children's Social Care; Police; Health; Education", "4.2", datetime(2021, 3, 31), "2 months", "Unrated"),
    ]
    assert [r[:4] for r in block_rows(history_plan, "Movement")] == [
        ("SCR Sam and Kyle 1.1, SCR Sam and Kyle 3.1, SCR Sam and Kyle 3.2", 3, "Amber", "Green"),
        ("SCR Sam and Kyle 5.3", 1, "Green", "Red")]
    assert [(r[0], r[2], r[5], r[6]) for r in block_rows(history_plan, "Target-date slippage")] == [
        ("SCR Sam and Kyle", "2.3", "3 months", 2), ("SCR Sam and Kyle", "3.3", "7 months", 1)]
    returns = {r[0]: r[1:10] for r in block_rows(history_plan, "Returns")}
    assert returns["Police"] == (2, 1, datetime(2021, 4, 1), "61 days", 1, 1, 1, 0, 0)
    assert returns["Children's Social Care"] == (1, 1, None, None, 0, 0, 0, 1, 0)


def plant_personal_data(plan: Path) -> None:
    master = MasterWorkbook.open(plan)
    register = master.read_register()
    for position, action in enumerate(register.actions):
        if action.ref == "2.2":
            register.actions[position] = action.with_changes(
                progress=action.progress + " Debrief with Kyle's mother on 07700 900123.")
        if action.ref == "5.1":
            register.actions[position] = action.with_changes(evidence="Attendance list sent by j.bloggs@example.org")
    master.write_register(register)
    master.save()


def exceptions(plan: Path) -> list[dict]:
    return sheet_rows(plan, c.EXCEPTIONS)


def test_public_report_refused_until_findings_are_accepted_or_resolved(history_plan, tmp_path):
    runner = CliRunner()
    assert runner.invoke(cli, ["validate", str(history_plan), "--today", "01/06/2021"]).exit_code == 1
    validation_rows = len(exceptions(history_plan))
    plant_personal_data(history_plan)
    out = tmp_path / "public.docx"

    refused = runner.invoke(cli, ["report", str(history_plan), "--out", str(out), "--public", "--today", "01/06/2021"])
    assert refused.exit_code == 1
    assert not out.exists()
    assert refused.stderr == (
        "  - SCR Sam and Kyle 2.2: Progress may hold a phone number ('07700 900123'); remove it before publishing, "
        "or accept it with --accept-personal-data.\n"
        "  - SCR Sam and Kyle 2.2: Progress may hold a name next to a family word (\"Kyle's mother\"); remove it "
        "before publishing, or accept it with --accept-personal-data.\n"
        "  - SCR Sam and Kyle 5.1: Evidence may hold an email address ('j.bloggs@example.org'); remove it before "
        "publishing, or accept it with --accept-personal-data.\n"
        f"Refused to write the public report {out}: 3 possible items of personal data, listed above and on the "
        f"Exceptions sheet of {history_plan}; remove them, or accept them with --accept-personal-data.\n")
    rows = exceptions(history_plan)
    personal = [r for r in rows if r["Rule"] == "personal-data"]
    assert [(r["Severity"], r["Ref"], r["Field"]) for r in personal] == [
        ("warning", "2.2", "Progress"), ("warning", "2.2", "Progress"), ("warning", "5.1", "Evidence")]
    assert len(rows) == validation_rows + 3  # validation's findings are kept

    # Refusing again does not pile up duplicates.
    assert runner.invoke(cli, ["report", str(history_plan), "--out", str(out), "--public"]).exit_code == 1
    assert len(exceptions(history_plan)) == validation_rows + 3

    accepted = runner.invoke(cli, ["report", str(history_plan), "--out", str(out), "--public", "--accept-personal-data",
                                   "--today", "01/06/2021"])
    assert accepted.exit_code == 0, accepted.output
    assert accepted.stdout.endswith(f"Wrote the board report {out} (SCR Sam and Kyle) after accepting 3 possible "
                                    f"items of personal data.\n")
    assert "3 possible items were reviewed and accepted" in "\n".join(p.text for p in Document(str(out)).paragraphs)

    # Resolved: the text is cleaned, the warnings go from the Exceptions sheet, and the report is written.
    master = MasterWorkbook.open(history_plan)
    register = master.read_register()
    register.actions = [a.with_changes(progress=a.progress.replace(" Debrief with Kyle's mother on 07700 900123.", ""),
                                       evidence="" if a.ref == "5.1" else a.evidence) for a in register.actions]
    master.write_register(register)
    master.save()
    out.unlink()
    clean = runner.invoke(cli, ["report", str(history_plan), "--out", str(out), "--public"])
    assert clean.exit_code == 0, clean.output
    assert clean.stdout == (f"Wrote the board report {out} (SCR Sam and Kyle); the personal-data scan found "
                            f"nothing.\n")
    assert len(exceptions(history_plan)) == validation_rows


def test_report_command_errors(history_plan, tmp_path, monkeypatch):
    runner = CliRunner()
    result = runner.invoke(cli, ["report", str(history_plan), "--out", str(tmp_path / "r.docx"), "--review", "SAR X"])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {history_plan}: has no review 'SAR X' (its reviews: 'SCR Sam and Kyle').\n"
    result = runner.invoke(cli, ["report", str(history_plan), "--out", str(tmp_path / "r.txt")])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path / 'r.txt'}: a board report is written as .docx or .pdf; choose a "
                             f"name ending in one of them.\n")
    result = runner.invoke(cli, ["report", str(history_plan), "--out", str(tmp_path / "r.docx"), "--accept-personal-data"])
    assert result.exit_code == 2
    assert "--accept-personal-data only applies to a --public report." in result.stderr
    monkeypatch.setattr(pdf, "soffice", lambda: None)
    result = runner.invoke(cli, ["report", str(history_plan), "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {tmp_path / 'r.pdf'}: cannot be made because LibreOffice (soffice) is not "
                             f"installed; install it, or write a Word report with --out r.docx.\n")
    assert not (tmp_path / "r.pdf").exists()


def test_summary_command_error_names_the_file(tmp_path):
    missing = tmp_path / "nope.xlsx"
    missing.write_text("not a workbook")
    result = CliRunner().invoke(cli, ["summary", str(missing)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {missing}: is ")


def test_report_refuses_a_missing_folder_and_an_empty_plan(history_plan, tmp_path):
    runner = CliRunner()
    out = tmp_path / "no-such-folder" / "r.docx"
    result = runner.invoke(cli, ["report", str(history_plan), "--out", str(out)])
    assert result.exit_code == 2
    assert result.stderr == (f"Error: {out}: the folder {out.parent} does not exist; create it or choose another "
                             f"place.\n")
    assert not out.parent.exists()
    empty = tmp_path / "Empty.xlsx"
    MasterWorkbook.create(empty).save()
    result = runner.invoke(cli, ["report", str(empty), "--out", str(tmp_path / "r.docx")])
    assert result.exit_code == 2
    assert result.stderr == f"Error: {empty}: has no actions to report on yet; import a plan first.\n"
