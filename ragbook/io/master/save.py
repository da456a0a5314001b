"""Saving the master so that nothing is ever lost.

The new content is written to a temporary file in the same folder (so the final rename stays on one file
system and is atomic), read back, and only then swapped in with ``os.replace``; the previous master is kept
as a timestamped backup first. While Excel has the master open (its ``~$`` lock file exists) nothing is
written: Excel would overwrite our change, or we would overwrite the user's unsaved work.
"""

from __future__ import annotations

import os
import shutil
from datetime import datetime
from pathlib import Path
from typing import Callable, Protocol

from ...core.errors import InputError, MasterBusyError, RagbookError

BACKUP_FOLDER = "backups"
BACKUPS_KEPT = 20


class Saveable(Protocol):
    def save(self, filename: str | os.PathLike[str]) -> None: ...


def lock_file(path: Path) -> Path:
    return path.with_name("~$" + path.name)


def check_not_open(path: Path) -> None:
    if lock_file(path).exists():
        raise MasterBusyError(
            f"{path}: is open in Excel (its lock file {lock_file(path).name} exists); save and close it, then "
            f"run the command again, or use the ribbon button inside Excel."
        )


def backup_path(path: Path, now: datetime) -> Path:
    return path.parent / BACKUP_FOLDER / f"{path.stem}-{now:%Y%m%d-%H%M%S-%f}{path.suffix}"


def save_atomically(
    book: Saveable,
    path: Path,
    verify: Callable[[Path], None],
    now: Callable[[], datetime] = datetime.now,
) -> Path | None:
    """Write ``book`` to ``path`` without ever leaving a half-written file; returns the backup made, if any."""
    check_not_open(path)
    temporary = path.with_name(f".{path.stem}.ragbook-tmp{path.suffix}")
    try:
        book.save(temporary)
        verify(temporary)
    except RagbookError:
        temporary.unlink(missing_ok=True)
        raise
    except Exception as exc:  # noqa: BLE001 - any failure to write or re-read must leave the old master intact
        temporary.unlink(missing_ok=True)
        raise InputError(f"{path}: could not be saved ({exc.__class__.__name__}: {exc}); the master is unchanged.") from None
    backup = None
    if path.exists():
        backup = backup_path(path, now())
        backup.parent.mkdir(exist_ok=True)
        shutil.copy2(path, backup)
        _prune(backup.parent, path)
    check_not_open(path)
    os.replace(temporary, path)
    return backup


def _prune(folder: Path, path: Path) -> None:
    backups = sorted(folder.glob(f"{path.stem}-*{path.suffix}"))
    for old in backups[:-BACKUPS_KEPT]:
        old.unlink(missing_ok=True)
