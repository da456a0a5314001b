"""Every button pressed over HTTP on the web edition leaves the workbook as its command leaves the file.

A real ``ragbook server`` (xlwings Server under uvicorn) listens on 127.0.0.1; the Office.js stand-in
(tests/helpers/officejs.py) posts a macro-free ``.xlsx`` master as the add-in posts the open workbook, uploads
and downloads as the task pane does, and replays the actions that come back onto a copy, as Excel would. What
is compared is what a person sees (tests/helpers/sheets.py ``state``), as the remote-engine parity tests compare
the desktop buttons: the command line's file, or the use case's file where the desktop button and the command
differ (the command also refreshes the Summary when it consolidates; the button, on both editions, does not).
"""

from __future__ import annotations

import json
import shutil
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from ragbook import commands, present
from ragbook.app import reports, returns
from ragbook.cli import cli
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.demo_returns import HEALTH_ANSWERS, POLICE_ANSWERS, fill_return
from ragbook.io.ooxml import kinds
from ragbook.io.plans import FilePlans
from ragbook.io.reports.writer import BoardReportFile
from ragbook.io.returns.folder import ReturnFolder
from ragbook.io.returns.reader import read_return
from ragbook.ribbon.buttons import HELP_TEXT
from tests.helpers.officejs import WebPress, download, downloads, new_job, press_web, start_server, upload
from tests.helpers.sheets import state

QUARTER_END = date(2020, 6, 30)
TODAY = date(2021, 4, 1)
MOMENTS = {"Audit Log": {"When"}, "Register": {"Last Updated"}, "Returns": {"Issued", "Received"}}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("web") / "state")
    yield running
    running.stop()


@pytest.fixture
def client(server):
    with server.client() as http:
        yield http


def cli_run(*args: str):
    return CliRunner().invoke(cli, list(args))


@pytest.fixture
def maintained(tmp_path) -> Path:
    """A macro-free master as a business team keeps it for the web: imported, leads assigned, validated once."""
    plan = tmp_path / "ActionPlan.xlsx"
    commands.new_plan(plan, sample_plan())
    assign_demo_leads(plan)
    assert cli_run("validate", str(plan), "--today", "01/06/2022").exit_code == 1
    return plan


def twin(plan: Path, prefix: str = "cli-") -> Path:
    copy = plan.with_name(prefix + plan.name)
    shutil.copy(plan, copy)
    return copy


def by_use_case(plan: Path, use_case, *args, **kwargs):
    """What the command does: the use case on the master file, in the unit of work, saved atomically."""
    copy = twin(plan)
    with FilePlans(copy).editing() as master:
        result = use_case(master, *args, **kwargs)
    return copy, result


def shown(server, press: WebPress) -> None:
    """What the user sees names no folder of the server: not in the message, not in anything put in the workbook."""
    assert press.status == 200, press.detail
    seen = json.dumps(press.actions) + json.dumps(press.alerts)
    for form in {str(server.state_dir), str(server.state_dir.resolve())}:
        assert form not in seen
    assert len(press.alerts) == 1 and press.alerts[0][1:] == ("Action Plan", "info"), press.alerts


def test_the_master_for_the_web_is_a_macro_free_workbook(maintained):
    assert kinds.sniff(maintained).kind == kinds.XLSX
    assert not any(name.endswith("vbaProject.bin") for name in zipfile.ZipFile(maintained).namelist())


def test_validate(server, client, maintained):
    by_command = twin(maintained)
    assert cli_run("validate", str(by_command), "--today", "30/06/2020").exit_code == 1
    sentence = present.validation_sentence(commands.validate_plan(twin(maintained, "again-"), QUARTER_END))
    press = press_web(client, maintained, "validate", today=QUARTER_END)
    shown(server, press)
    assert state(press.after) == state(by_command)
    assert press.alerts[0][0] == sentence.replace(str(maintained.with_name("again-" + maintained.name)),
                                                  maintained.name)


def test_apply_colours(server, client, maintained):
    by_command = twin(maintained)
    result = cli_run("colour", str(by_command))
    assert result.exit_code == 0
    press = press_web(client, maintained, "apply_colours")
    shown(server, press)
    assert state(press.after) == state(by_command)
    assert press.alerts[0][0] == result.output.strip().replace(str(by_command), maintained.name)


@pytest.mark.parametrize("source", ["sample", "csv"])
def test_import_plan_from_an_upload(server, client, tmp_path, source):
    plan = tmp_path / "ActionPlan.xlsx"
    assert cli_run("new", str(plan)).exit_code == 0
    if source == "sample":
        path = sample_plan()
    else:
        path = tmp_path / "plan.csv"
        path.write_text("Review,Ref,Recommendation,Action,Progress,RAG\n"
                        "SAR Test,1.10,Audit,Run the audit,=HYPERLINK(\"http://x\"),G\n"
                        "SAR Test,1.2,Audit,\"-1 is not a number here\",2021-03-31,A\n", encoding="utf-8")
    by_command = twin(plan)
    assert cli_run("import", str(path), "--into", str(by_command)).exit_code == 0
    job = new_job(client)
    uploaded = upload(client, job, "import_plan", path)
    assert uploaded.status_code == 201, uploaded.text
    assert uploaded.json()["uploads"] == {"import_plan": [path.name]}
    press = press_web(client, plan, "import_plan", job)
    shown(server, press)
    skip = {"Register": {"Last Updated"}}  # the moment of each import
    assert state(press.after, skip) == state(by_command, skip)
    assert press.alerts[0][0].startswith(f"Imported {'18' if source == 'sample' else '2'} actions of ")
    assert f"from {path.name}:" in press.alerts[0][0]


def test_issue_returns_offers_them_as_one_zip(server, client, maintained, tmp_path):
    # With their covering emails as .eml drafts: the Round sheet's Send returns as is blank, Outlook drafts, which a
    # server has no Outlook for.
    by_command, _ = by_use_case(maintained, returns.issue_returns, ReturnFolder(), tmp_path / "cli-out", eml=True,
                                today=TODAY)
    job = new_job(client)
    press = press_web(client, maintained, "issue_returns", job, today=TODAY)
    shown(server, press)
    assert state(press.after, MOMENTS) == state(by_command, MOMENTS)
    assert downloads(client, job) == ["ActionPlan returns.zip"]
    archive = download(client, job, "ActionPlan returns.zip", tmp_path / "returns.zip")
    (tmp_path / "web-out").mkdir()
    with zipfile.ZipFile(archive) as opened:
        opened.extractall(tmp_path / "web-out")
    issued = sorted(p.name for p in (tmp_path / "cli-out").iterdir())
    assert sorted(p.name for p in (tmp_path / "web-out").iterdir()) == issued and len(issued) == 10
    for name in [name for name in issued if name.endswith(".xlsx")]:  # the same returns: identities, rows, hashes
        web, by_cli = (read_return(tmp_path / folder / name) for folder in ("web-out", "cli-out"))
        assert replace(web, path="") == replace(by_cli, path="")
    # Due at the end of the quarter the press is in (the Round sheet's Due date is blank).
    assert press.alerts[0][0].startswith("Issued 5 returns (round 1, due 30/06/2021) into ActionPlan returns.zip:")


@pytest.fixture
def returned(maintained, tmp_path) -> tuple[Path, Path]:
    """The master after a round of returns, and a folder of the returns three agencies sent back (two filled in).

    Its colours are applied (rules by rating), as a team's master has them: a rating a return changes then shows
    its colour in both editions (the live adapter writes values, not fills, when it writes the Register)."""
    assert cli_run("colour", str(maintained)).exit_code == 0
    issued, report = by_use_case(maintained, returns.issue_returns, ReturnFolder(), tmp_path / "returns", today=TODAY)
    shutil.copy(issued, maintained)
    by_agency = {r.agency: r.path for r in report.returns}
    assert fill_return(by_agency["Police"], POLICE_ANSWERS) and fill_return(by_agency["Health"], HEALTH_ANSWERS)
    folder = tmp_path / "returned"
    folder.mkdir()
    for agency in ("Police", "Health", "Education"):
        shutil.copy(by_agency[agency], folder)
    return maintained, folder


def test_consolidate_returns_from_uploads(server, client, returned):
    master, folder = returned
    by_button_use_case, report = by_use_case(master, returns.consolidate_returns, ReturnFolder(), [folder],
                                             today=TODAY)
    assert report.changes > 0
    job = new_job(client)
    for path in sorted(folder.iterdir()):
        assert upload(client, job, "consolidate_returns", path).status_code == 201
    press = press_web(client, master, "consolidate_returns", job, today=TODAY)
    shown(server, press)
    after = state(press.after, MOMENTS)
    assert after == state(by_button_use_case, MOMENTS)
    assert press.alerts[0][0].startswith("3 returns checked (")
    by_command = twin(master, "command-")
    result = cli_run("consolidate", str(by_command), str(folder), "--today", f"{TODAY:%d/%m/%Y}")
    assert result.exit_code in (0, 1), result.output
    command = state(by_command, MOMENTS)
    for seen in (after, command):  # the command refreshes the Summary in the same save; the button does not
        seen.pop("Summary")
    assert after == command


def test_refresh_summary(server, client, maintained):
    by_command, _ = by_use_case(maintained, reports.refresh_summary, today=TODAY)
    press = press_web(client, maintained, "refresh_summary", today=TODAY)
    shown(server, press)
    assert state(press.after)["Summary"]["values"] == state(by_command)["Summary"]["values"]
    assert len([a for a in press.actions if a["func"] == "addChart"]) == 2


def test_board_report_is_offered_as_a_document(server, client, maintained, tmp_path):
    docx = pytest.importorskip("docx")
    cli_report = tmp_path / "cli-report.docx"
    by_use_case(maintained, reports.board_report, BoardReportFile(), cli_report, today=TODAY)
    job = new_job(client)
    press = press_web(client, maintained, "board_report", job, today=TODAY)
    shown(server, press)
    assert [a["func"] for a in press.actions] == ["alert"]  # it only reads the workbook
    assert press.alerts[0][0] == "Board report written to Board report.docx."
    assert downloads(client, job) == ["Board report.docx"]
    web_report = download(client, job, "Board report.docx", tmp_path / "web-report.docx")

    def text(path: Path) -> list[str]:
        document = docx.Document(str(path))
        return [p.text for p in document.paragraphs] + [c.text for t in document.tables for r in t.rows for c in r.cells]

    assert text(web_report) == text(cli_report)


def test_help(server, client, maintained):
    press = press_web(client, maintained, "help")
    shown(server, press)
    assert press.alerts[0][0] == HELP_TEXT


def test_the_whole_journey_leaves_a_workbook_every_command_still_works_on(server, client, tmp_path):
    """The web edition's master stays a plain .xlsx master: after every button, each command runs on it."""
    plan = tmp_path / "ActionPlan.xlsx"
    assert cli_run("new", str(plan)).exit_code == 0

    def step(key: str, job: str = "", files: tuple[Path, ...] = ()) -> None:
        for path in files:
            assert upload(client, job, key, path).status_code == 201
        press = press_web(client, plan, key, job, today=TODAY)
        shown(server, press)
        shutil.move(press.after, plan)  # as the user's Excel keeps the workbook

    step("import_plan", new_job(client), (sample_plan(),))
    assign_demo_leads(plan)
    for key in ("validate", "apply_colours", "refresh_summary"):
        step(key)
    job = new_job(client)
    step("issue_returns", job)
    with zipfile.ZipFile(download(client, job, "ActionPlan returns.zip", tmp_path / "r.zip")) as archive:
        archive.extractall(tmp_path / "issued")
    police = next((tmp_path / "issued").glob("*Police*.xlsx"))  # beside its email draft
    fill_return(police, POLICE_ANSWERS)
    step("consolidate_returns", new_job(client), (police,))
    step("board_report", new_job(client))
    assert kinds.sniff(plan).kind == kinds.XLSX
    for args in (("validate", str(plan)), ("colour", str(plan)), ("summary", str(plan)),
                 ("report", str(plan), "--out", str(tmp_path / "board.docx")),
                 ("returns", str(plan), "--out", str(tmp_path / "round2")),
                 ("consolidate", str(plan), str(tmp_path / "round2"))):
        result = cli_run(*args)
        assert result.exit_code in (0, 1), (args, result.output)
    assert commands.validate_plan(plan).actions == 18
