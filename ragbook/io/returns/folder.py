"""Returns as files in folders: ``ReturnFolder`` implements ``app.ports.ReturnFiles``.

It writes each agency's return (and its email draft), finds the returns that came back among the files and
folders a person named, and reads each one through the untrusting reader.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from ...core.chase import Reminder
from ...core.errors import InputError
from ...core.model import Agency
from ...core.returns import ReturnContent, ReturnSpec
from .eml import chase_text, draft_text, write_draft
from .reader import read_return
from .writer import write_return


def chase_name(reminder: Reminder) -> str:
    """A reminder's file name: its return and the day, so a second chase on a later day keeps the first."""
    return f"{reminder.return_id}-reminder-{reminder.today:%Y%m%d}.eml"


class ReturnFolder:
    def prepare_folder(self, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"{folder}: the folder for the returns cannot be created ({exc.strerror or exc}).") from None

    def write(self, spec: ReturnSpec, path: Path, secret: str, password: str | None) -> None:
        write_return(spec, path, secret, password)

    def write_draft(self, return_path: Path, agency: Agency, plan_name: str, due: date | None,
                    encrypted: bool, signature: Sequence[str] = ()) -> Path:
        subject, body = draft_text(agency.name, agency.contact, plan_name, due, encrypted, signature)
        return write_draft(return_path.with_suffix(".eml"), agency.email, subject, body, return_path)

    def write_chase(self, folder: Path, reminder: Reminder, plan_name: str, signature: Sequence[str] = ()) -> Path:
        subject, body = chase_text(reminder, plan_name, signature)
        path = folder / chase_name(reminder)
        return write_draft(path, reminder.agency.email, subject, body, None)

    def remove(self, paths: Iterable[Path]) -> None:
        for path in paths:
            path.unlink(missing_ok=True)

    def find(self, paths: Sequence[Path]) -> list[Path]:
        """Files named, and the files inside folders named (not Excel's ``~$`` lock files or email drafts)."""
        found: list[Path] = []
        for path in paths:
            if path.is_dir():
                found += sorted(p for p in path.iterdir()
                                if p.is_file() and not p.name.startswith(("~$", ".")) and p.suffix.lower() != ".eml")
            elif path.exists():
                found.append(path)
            else:
                raise InputError(f"{path}: no such file or folder.")
        return found

    def read(self, path: Path, password: str | None) -> ReturnContent:
        return read_return(path, password)
