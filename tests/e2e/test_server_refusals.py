"""What the web edition refuses, and how: a client error (4xx) and the command line's one sentence, naming the
user's own file and never a folder of the server; never a 500, never a traceback. Also: job folders are the
user's own and go when their time is up, a press waits for (then is refused by) another on the same workbook,
and a long press does not hold up other users.
"""

from __future__ import annotations

import copy
import os
import shutil
import stat
import threading
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from ragbook.cli import cli
from ragbook.core.errors import InputError, UnsafeFileError
from ragbook.core.model import Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.io.master.lock import MasterLock
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.io.returns.reader import MAX_RETURN_BYTES, read_return
from ragbook.server.jobs import Jobs
from ragbook.server.press import lock_name
from tests.helpers.hostile import dtd_in_utf16, far_cell, sheet_bomb
from tests.helpers.large import AGENCIES, SIZE, large_action
from tests.helpers.officejs import new_job, payload_of, press_web, start_server, upload
from tests.helpers.paths import COMMITTED


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    running = start_server(tmp_path_factory.mktemp("refusals") / "state", "--keep-minutes", "1", "--threads", "4",
                           env={"RAGBOOK_SERVER_LOCK_WAIT": "0.5"})
    yield running
    running.stop()


@pytest.fixture
def client(server):
    with server.client() as http:
        yield http


def refused(server, response, status: int) -> str:
    """The refusal's sentence, once it is checked to be one sentence with no path of the server in it."""
    assert response.status_code == status, (response.status_code, response.text)
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.endswith(".") and "Traceback" not in detail, detail
    for form in {str(server.state_dir), str(server.state_dir.resolve())}:
        assert form not in detail
    return detail


def job_folder(server, job: str) -> Path:
    return server.state_dir / "jobs" / job


def kept(server, job: str) -> list[str]:
    folder = job_folder(server, job)
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file() and p.name != "job.json")


# ---------------------------------------------------------------------------- uploads
def test_a_plan_that_is_not_one_gets_the_commands_sentence(server, client, sample_master, tmp_path):
    bad = tmp_path / "plan.docx"
    bad.write_bytes(b"%PDF-1.7\n% a PDF named as a Word document\n")
    result = CliRunner().invoke(cli, ["import", str(bad), "--into", str(sample_master)])
    assert result.exit_code == 2
    sentence = result.output.strip().removeprefix("Error: ")
    job = new_job(client)
    detail = refused(server, upload(client, job, "import_plan", bad), 400)
    assert detail == sentence.replace(str(bad), "plan.docx")
    assert kept(server, job) == []


def _zip_bomb(path: Path) -> Path:
    """A workbook-looking zip whose one sheet inflates 1,000-fold, to 64 MB of the same byte."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/'
                                                'package/2006/content-types"/>')
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"<" + b" " * (64 * 1024 * 1024) + b"/>")
    return path


HOSTILE = {
    "a macro-enabled workbook": lambda ret, folder: shutil.copy(COMMITTED, folder / ret.name) and folder / ret.name,
    "a zip bomb": lambda ret, folder: _zip_bomb(folder / ret.name),
    "a sheet swollen past any return": lambda ret, folder: sheet_bomb(shutil.copy(ret, folder / ret.name) and
                                                                      folder / ret.name, "Actions", 70),
    "a DTD": lambda ret, folder: dtd_in_utf16(shutil.copy(ret, folder / ret.name) and folder / ret.name,
                                              "xl/workbook.xml"),
    "a far cell": lambda ret, folder: far_cell(shutil.copy(ret, folder / ret.name) and folder / ret.name, "Actions"),
    "a CSV named .xlsx": lambda ret, folder: _text(folder / ret.name, "Ref,Progress\n1.1,done\n"),
    "an empty file": lambda ret, folder: _text(folder / ret.name, ""),
}


def _text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", list(HOSTILE))
def test_a_hostile_return_is_refused_by_the_returns_reader(server, client, cycle, tmp_path, kind):
    folder = tmp_path / "hostile"
    folder.mkdir()
    path = HOSTILE[kind](cycle.return_of("Police"), folder)
    with pytest.raises(InputError) as raised:  # what the command line's reader says of the very same file
        read_return(path)
    status = 422 if isinstance(raised.value, UnsafeFileError) else 400
    job = new_job(client)
    detail = refused(server, upload(client, job, "consolidate_returns", path), status)
    assert detail == str(raised.value).replace(str(path), path.name)
    assert kept(server, job) == []


@pytest.mark.parametrize("declared", [True, False], ids=["with its length", "streamed"])
def test_an_upload_larger_than_any_return_is_cut_off(server, client, declared):
    job = new_job(client)
    body = b"PK\x03\x04" + b"\0" * MAX_RETURN_BYTES
    content = body if declared else (body[i:i + 1024 * 1024] for i in range(0, len(body), 1024 * 1024))
    response = client.put(f"/ragbook/jobs/{job}/uploads/consolidate_returns/big.xlsx", content=content)
    detail = refused(server, response, 413)
    assert detail.startswith("big.xlsx: is larger than any return should be (50 MB)")
    assert kept(server, job) == []


def test_uploads_go_only_to_buttons_that_take_files_and_only_into_jobs_there_are(server, client, sample):
    job = new_job(client)
    refused(server, upload(client, job, "validate", sample), 404)
    refused(server, upload(client, "A" * 32, "import_plan", sample), 404)
    assert upload(client, "../../etc", "import_plan", sample).status_code == 404  # no such route
    assert refused(server, client.get("/ragbook/jobs/" + "B" * 32), 404).startswith("That job is not on the server")


def test_a_name_is_made_safe_before_it_is_kept(server, client, sample):
    job = new_job(client)
    response = upload(client, job, "import_plan", sample, name="..\\..\\~$plan.txt")
    assert response.status_code == 201, response.text
    assert response.json()["uploads"] == {"import_plan": ["plan.txt"]}
    assert kept(server, job) == ["uploads/import_plan/plan.txt"]


# ---------------------------------------------------------------------------- presses
def test_presses_refused_for_what_they_lack(server, client, sample_master):
    assert refused(server, press_raw(client, sample_master, "consolidate_returns", [new_job(client), ""]), 400) == (
        "No returns were uploaded; choose the returns in the task pane, then press Consolidate returns again.")
    assert "use it from the Action Plan task pane" in refused(
        server, press_raw(client, sample_master, "import_plan", ["", ""]), 400)
    refused(server, press_raw(client, sample_master, "board_report", ["C" * 32, ""]), 404)
    assert refused(server, press_raw(client, sample_master, "launch_missiles", []), 404).startswith(
        "'launch_missiles' is not a button")
    response = press_raw(client, sample_master, "validate", ["", "", "31/03/2026"])
    assert response.status_code == 400 and "ISO format" in response.text  # xlwings Server's own check of a date


def press_raw(client, master: Path, key: str, args: list[str]):
    payload = payload_of(master, name=master.name)
    payload["args"] = args
    return client.post(f"/xlwings/custom-scripts-call/{key}", json=payload)


def test_a_broken_master_gets_the_commands_sentence_and_no_change(server, client, sample_master):
    from openpyxl import load_workbook  # noqa: PLC0415

    book = load_workbook(sample_master)
    book["Rating Index"]["A3"] = "B"  # two ratings coded B, as a person typing in Excel would break it
    book.save(sample_master)
    result = CliRunner().invoke(cli, ["validate", str(sample_master)])
    assert result.exit_code == 2
    press = press_web(client, sample_master, "validate")
    assert press.status == 400 and press.actions == []  # nothing in the workbook is touched
    assert press.detail == result.output.strip().removeprefix("Error: ").replace(str(sample_master),
                                                                                 sample_master.name)


def test_an_unexpected_failure_is_one_sentence_and_its_traceback_is_only_in_the_log(server, client, sample_master):
    payload = payload_of(sample_master, name=sample_master.name)
    del payload["book"]  # no Office.js client sends this: a failure nothing in ragbook expects
    detail = refused(server, client.post("/xlwings/custom-scripts-call/validate", json=payload), 500)
    assert detail.startswith("ragbook failed unexpectedly (KeyError: 'book'); the server's log has the details "
                             "under reference ")
    reference = detail.split("under reference ")[1].split(";")[0]
    log = server.log.read_text("utf-8", errors="replace")
    assert f"reference {reference}\nTraceback (most recent call last):" in log


def test_a_press_waits_for_another_on_the_same_workbook_then_is_refused(server, client, sample_master):
    document = "https://council.sharepoint.com/sites/lscp/ActionPlan.xlsx"
    locks = server.state_dir / "locks"
    locks.mkdir(exist_ok=True)
    with MasterLock(locks / lock_name("anonymous", document, sample_master.name), "a press in another task pane"):
        started = time.monotonic()
        busy = press_web(client, sample_master, "apply_colours", document=document)
        assert time.monotonic() - started >= 0.5  # it waited for the other press first
        assert busy.status == 409 and busy.detail == (
            "ActionPlan.xlsx: another button is still working on this workbook; press Apply colours again when it "
            "has finished.")
        assert press_web(client, sample_master, "help", document=document).status == 200  # it changes nothing
        other = press_web(client, sample_master, "apply_colours", document=document + "?another")
        assert other.status == 200  # another workbook is not held up
    assert press_web(client, sample_master, "apply_colours", document=document).status == 200


# ---------------------------------------------------------------------------- job folders
def test_job_folders_are_private_and_removed_once_their_time_is_up(server, client, sample):
    job = new_job(client)
    assert upload(client, job, "import_plan", sample).status_code == 201
    folder = job_folder(server, job)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE((folder / "uploads" / "import_plan" / sample.name).stat().st_mode) == 0o600
    old = time.time() - 2 * 60
    os.utime(folder / "job.json", (old, old))  # unused for two minutes; this server keeps them for one
    refused(server, client.get(f"/ragbook/jobs/{job}"), 404)
    assert not folder.exists()


def test_the_sweeper_removes_expired_jobs_nobody_asks_for(server, client):
    job = new_job(client)
    folder = job_folder(server, job)
    old = time.time() - 2 * 60
    os.utime(folder / "job.json", (old, old))
    deadline = time.monotonic() + 40  # the sweeper runs every quarter of the keep time (at least every 5 s)
    while folder.exists() and time.monotonic() < deadline:
        time.sleep(0.5)
    assert not folder.exists()


def test_jobs_expire_by_their_last_use(tmp_path):
    jobs = Jobs(tmp_path, keep_seconds=60)
    recent, stale = jobs.create("a"), jobs.create("a")
    old = time.time() - 120
    os.utime(stale.folder / "job.json", (old, old))
    assert jobs.sweep() == 1 and recent.folder.exists() and not stale.folder.exists()
    with pytest.raises(InputError):
        jobs.get(recent.id, "someone else")
    assert jobs.get(recent.id, "a").folder == recent.folder


# ---------------------------------------------------------------------------- several users
@pytest.fixture(scope="module")
def large_payload(tmp_path_factory) -> dict:
    path = tmp_path_factory.mktemp("large") / "ActionPlan.xlsx"
    master = MasterWorkbook.create(path)
    master.write_register(Register(DEFAULT_INDEX, [large_action(n) for n in range(SIZE)], AGENCIES))
    master.save()
    payload = payload_of(path, name="Large.xlsx")
    payload["args"] = ["", "", "2026-11-01"]
    return payload


@pytest.mark.slow
def test_a_long_press_does_not_hold_up_other_users(server, large_payload, sample_master):
    """Validating 20,000 actions takes seconds; meanwhile another user's presses are answered at once."""
    small = payload_of(sample_master, name=sample_master.name)
    finished: dict[str, float] = {}

    def long_press() -> None:
        with server.client() as other:
            response = other.post("/xlwings/custom-scripts-call/validate", json=copy.deepcopy(large_payload))
        assert response.status_code == 200, response.text
        finished["long"] = time.monotonic()

    worker = threading.Thread(target=long_press)
    started = time.monotonic()
    worker.start()
    time.sleep(0.5)  # the long press has arrived and is being worked on
    quick = []
    with server.client() as client:
        for _ in range(5):
            begun = time.monotonic()
            assert client.post("/xlwings/custom-scripts-call/help", json=small).status_code == 200
            quick.append(time.monotonic() - begun)
        answered = time.monotonic()
    worker.join(timeout=300)
    assert "long" in finished
    assert answered < finished["long"], (quick, finished["long"] - started)  # all answered while it worked
    assert max(quick) < (finished["long"] - started) / 2
