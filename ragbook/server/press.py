"""One button press on the web: the desktop's button function, run unchanged on the workbook Excel sent.

``press_now`` runs in a worker thread (see ``runtime``). It finds the press's job folder when the button reads
or makes files, and turns that into what the desktop's file dialog would have given the button: the uploaded
plan, the folder of uploaded returns, a folder to write the returns to (zipped for download afterwards), the
file to write the board report to. It holds a lock on the workbook while a button that changes it works, then
sends the button's sentence back as the same message box the desktop shows. What the user sees, in the message
and in the workbook, names only their own files, never a folder of the server.

The lock: the workbook itself is in the user's Excel, not on the server, but two presses on the same workbook at
once (two task panes, or two people co-authoring it) would each work on the state it had when they started, so
the second would undo or repeat the first. A press of a button that writes therefore holds
``ragbook.io.master.lock.MasterLock`` (the command line's inter-process lock) on a lock file of the server's own
for that workbook: named by the document's address when Excel gives one, else by the user and the workbook's
name. A second press waits a few seconds (``RAGBOOK_SERVER_LOCK_WAIT``), then is refused (409), never
interleaved. The lock file lives in the state folder, shared by every server process.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import zipfile
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Callable

from ..core.errors import InputError, MasterBusyError
from ..io.master.lock import MasterLock
from ..ribbon import BUTTONS, Button
from ..ribbon.ui import ExcelUi
from .jobs import Job, Redactor, owner_digest, remove_tree, safe_name
from .options import make_private_dir
from .ribbon import Download, Upload
from .runtime import jobs, refusal, ribbon, running


class Busy(MasterBusyError):
    """Another press is working on the same workbook."""


@dataclass
class Chosen:
    """What the desktop's dialog would have given the button, and how to talk about it."""

    path: str = ""
    replacements: dict[Path, str] = field(default_factory=dict)
    after: Callable[[], None] = lambda: None


def press_now(book: Any, key: str, user_id: str, job_id: str, document: str, today: date | None) -> None:
    """Run the button ``key`` on ``book``; raises HTTPException (one sentence) when it cannot."""
    hiding = Redactor({}, hide=(running().state_dir,))
    try:
        button = BUTTONS[key]
        shown = ribbon().button(key)
        files = shown.files if shown is not None else None
        job = jobs().get(job_id, user_id) if job_id else None
        chosen = choose(button, files, job, str(book.name))
        hiding = Redactor(chosen.replacements, hide=(running().state_dir,))
        ui = ExcelUi(book)
        with workbook_lock(button, user_id, document, str(book.name)):
            text = button.run(book, chosen.path, ui, today)
            chosen.after()
    except Exception as exc:  # noqa: BLE001 - an entry point: a person must never get a traceback
        raise refusal(exc, hiding) from None
    data = book.json()
    data["actions"][:] = hiding.value(data["actions"])
    ui.message(hiding.text(text))


def choose(button: Button, files: Upload | Download | None, job: Job | None, book_name: str) -> Chosen:
    if files is None:
        return Chosen()
    if job is None:
        raise InputError(f"{button.label} needs files; use it from the Action Plan task pane (the ribbon button "
                         f"opens it).")
    if isinstance(files, Upload):
        folder = job.uploads(button.key)
        names = job.upload_names(button.key)
        if not names:
            was = "were" if files.many else "was"
            raise InputError(f"No {files.what} {was} uploaded; choose the {files.what} in the task pane, then "
                             f"press {button.label} again.")
        label = f"the uploaded {files.what}"
        return Chosen(str(folder if files.many else folder / names[0]), {folder: label})
    name = safe_name(files.name.format(book=Path(book_name).stem or "Action Plan"), "download")
    downloads = make_private_dir(job.downloads)
    (downloads / name).unlink(missing_ok=True)
    if not files.zipped:
        return Chosen(str(downloads / name), {downloads: "the downloads"})
    remove_tree(job.work)
    folder = make_private_dir(job.work) / Path(name).stem
    return Chosen(str(folder), {folder: name, downloads: "the downloads"}, lambda: zip_folder(folder, downloads / name))


def zip_folder(folder: Path, target: Path) -> None:
    """Every file ``folder`` holds (the returns, their drafts), as one zip ``target``; the folder then goes."""
    partial = target.with_name(f".{target.name}.part")
    with zipfile.ZipFile(partial, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                archive.write(path, path.relative_to(folder).as_posix())
    os.replace(partial, target)
    shutil.rmtree(folder, ignore_errors=True)


def lock_name(user_id: str, document: str, book_name: str) -> str:
    """The name of the server's lock file for a workbook: by its address when Excel gave one, else by user and
    workbook name (a digest: no address or name is written to the server's disk)."""
    identity = f"document:{document.strip()}" if document.strip() else f"{owner_digest(user_id)}:{book_name}"
    return hashlib.sha256(identity.encode("utf-8")).hexdigest()[:32] + ".workbook"


def lock_file(user_id: str, document: str, book_name: str) -> Path:
    return make_private_dir(running().locks_dir) / lock_name(user_id, document, book_name)


def workbook_lock(button: Button, user_id: str, document: str, book_name: str) -> AbstractContextManager[object]:
    if not button.writes:
        return nullcontext()
    return _Held(MasterLock(lock_file(user_id, document, book_name), f"the {button.label} button on the web",
                            wait=running().lock_wait), book_name, button.label)


class _Held:
    """The workbook's lock, refused with a sentence for the web (no lock file's path in it)."""

    def __init__(self, lock: MasterLock, book_name: str, label: str) -> None:
        self.lock, self.book_name, self.label = lock, book_name, label

    def __enter__(self) -> MasterLock:
        try:
            return self.lock.acquire()
        except MasterBusyError:
            raise Busy(f"{self.book_name}: another button is still working on this workbook; press {self.label} "
                       f"again when it has finished.") from None

    def __exit__(self, *exc: object) -> None:
        self.lock.release()
