"""Each user's files on the server: one job folder per use of a button that reads or makes files.

A job is a folder named by a random id (the id is as hard to guess as a password), readable only by the
server's account, recording a digest of its owner (the signed-in user's id, never their name). Uploads go in
``uploads/<button>/``, what a button makes in ``downloads/``, its working files in ``work/``. A job unused for
the set time (``RAGBOOK_SERVER_KEEP_MINUTES``, an hour unless told) is removed, with everything in it, by the
sweeper every server process runs; the add-in also removes an upload's job as soon as its button has run.

Nothing a user sees names a folder of the server: ``Redactor`` turns the job's paths in any sentence (and in
anything a button puts in the workbook) into the names the user gave or sees.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
import time
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError
from .options import make_private_dir

JOB_ID = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
RECORD = "job.json"
MAX_NAME = 120
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"/\\|?*]')


class JobNotFound(InputError):
    """No such job for this user: never made, someone else's, or removed when its time ran out."""


@dataclass(frozen=True)
class Job:
    id: str
    folder: Path

    def uploads(self, button: str) -> Path:
        return self.folder / "uploads" / button

    @property
    def incoming(self) -> Path:
        return self.folder / "incoming"  # an upload while it is checked

    @property
    def downloads(self) -> Path:
        return self.folder / "downloads"

    @property
    def work(self) -> Path:
        return self.folder / "work"

    def touch(self) -> None:
        try:
            os.utime(self.folder / RECORD)
        except OSError:
            pass

    def download_names(self) -> list[str]:
        if not self.downloads.is_dir():
            return []
        return sorted(p.name for p in self.downloads.iterdir() if p.is_file() and not p.name.startswith("."))

    def upload_names(self, button: str) -> list[str]:
        folder = self.uploads(button)
        return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []


def owner_digest(user_id: str | None) -> str:
    return hashlib.sha256(f"ragbook job owner:{user_id or ''}".encode("utf-8")).hexdigest()


class Jobs:
    """The job folders under ``root``, each kept for ``keep_seconds`` after it was last used."""

    def __init__(self, root: Path, keep_seconds: float) -> None:
        self.root = root
        self.keep_seconds = keep_seconds

    def create(self, user_id: str | None) -> Job:
        make_private_dir(self.root)
        self.sweep()
        job_id = secrets.token_urlsafe(24)
        folder = self.root / job_id
        folder.mkdir(mode=0o700)
        record = {"owner": owner_digest(user_id), "created": time.time()}
        write_private(folder / RECORD, json.dumps(record).encode("utf-8"))
        return Job(job_id, folder)

    def get(self, job_id: str, user_id: str | None) -> Job:
        """The job ``job_id`` of this user; JobNotFound for any other (whether it exists is not told)."""
        missing = JobNotFound("That job is not on the server (its files are removed after a while); press the "
                              "button again.")
        if not JOB_ID.match(job_id or ""):
            raise missing
        folder = self.root / job_id
        try:
            record = json.loads((folder / RECORD).read_text("utf-8"))
            expired = time.time() - (folder / RECORD).stat().st_mtime > self.keep_seconds
        except (OSError, ValueError):
            raise missing from None
        if not isinstance(record, dict) or not secrets.compare_digest(str(record.get("owner", "")),
                                                                      owner_digest(user_id)):
            raise missing
        if expired:
            remove_tree(folder)
            raise missing
        job = Job(job_id, folder)
        job.touch()
        return job

    def remove(self, job: Job) -> None:
        remove_tree(job.folder)

    def sweep(self, now: float | None = None) -> int:
        """Remove every job unused for longer than the keep time; returns how many were removed."""
        now = time.time() if now is None else now
        removed = 0
        try:
            entries = list(self.root.iterdir())
        except OSError:
            return 0
        for folder in entries:
            if not folder.is_dir() or not JOB_ID.match(folder.name):
                continue
            try:
                used = (folder / RECORD).stat().st_mtime
            except OSError:
                used = folder.stat().st_mtime if folder.exists() else 0.0
            if now - used > self.keep_seconds:
                remove_tree(folder)
                removed += 1
        return removed


def remove_tree(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def write_private(path: Path, data: bytes) -> None:
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)


def safe_name(raw: str, fallback: str = "upload") -> str:
    """A file name as a person gave it, made safe to keep: no folders, no characters Windows or Excel refuse,
    no leading dots or ``~$`` (which the returns folder would skip), at most ``MAX_NAME`` characters."""
    name = unicodedata.normalize("NFC", raw or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = _UNSAFE.sub("_", name).strip().lstrip(".~$ ").rstrip(". ")
    if not name or name in {".", ".."}:
        return fallback
    if len(name) > MAX_NAME:
        stem, dot, suffix = name.rpartition(".")
        suffix = f".{suffix}" if dot and len(suffix) <= 10 else ""
        name = (stem if dot else name)[: MAX_NAME - len(suffix)].rstrip() + suffix
    return name


class Redactor:
    """Replaces the server's paths in text with what the user knows them as.

    ``replacements`` maps a folder to its label: a file in it becomes its bare name, the folder itself the
    label. Any other path under a ``hide`` folder (none is expected) becomes "a file on the server".
    """

    def __init__(self, replacements: dict[Path, str], *, hide: tuple[Path, ...] = ()) -> None:
        pairs: list[tuple[str, str]] = []
        for path, label in replacements.items():
            for form in _forms(path):
                pairs += [(form + os.sep, ""), (form, label)]
        self.pairs = sorted(set(pairs), key=lambda pair: -len(pair[0]))  # the longest path first
        forms = sorted({form for path in hide for form in _forms(path)}, key=len, reverse=True)
        self.hidden = (re.compile("(?:" + "|".join(re.escape(f) for f in forms) + r")(?:[\\/][^\s'\",;)]*)*")
                       if forms else None)

    def text(self, text: str) -> str:
        for path, label in self.pairs:
            if path in text:
                text = text.replace(path, label)
        if self.hidden is not None:
            text = self.hidden.sub("a file on the server", text)
        return text

    def value(self, value: object) -> object:
        """``value`` (the actions a button sends back: lists, dicts, strings) with every path replaced."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, list):
            return [self.value(v) for v in value]
        if isinstance(value, dict):
            return {k: self.value(v) for k, v in value.items()}
        return value


def _forms(path: Path) -> set[str]:
    forms = {str(path)}
    try:
        forms.add(os.path.realpath(path))
    except OSError:
        pass
    return {form for form in forms if len(form) > 1}
