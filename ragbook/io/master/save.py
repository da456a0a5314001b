"""Saving the master so that nothing is ever lost.

The new content is written to a temporary file of its own name in the master's folder (so the final rename
stays on one file system and is atomic), flushed to the disk, read back, and only then swapped in with
``os.replace``; the previous master is first copied into ``backups/`` (through a temporary name too, so a
backup is either whole or absent). Whatever fails, at any step — a full disk, a folder that cannot be written,
a process killed midway — the master is the old file or the complete new one, and what a failed save made is
removed; what a killed one left is removed by the next writer (``remove_leftovers``), under the master's lock.

A master reached through a symbolic link is saved at the link's target, the link kept. A master marked
read-only is not replaced. While Excel has the master open (its ``~$`` lock file exists) nothing is written:
Excel would overwrite our change, or we would overwrite the user's unsaved work.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import stat
import uuid
import zipfile
from datetime import datetime
from pathlib import Path
from typing import Callable, Protocol

from ...core.errors import InputError, MasterBusyError, RagbookError
from ..sheets import contract as c

BACKUP_FOLDER = "backups"
BACKUPS_KEPT = 20
TEMPORARY_MARK = ".ragbook-tmp"


class Saveable(Protocol):
    def save(self, filename: str | os.PathLike[str]) -> None: ...


class Disk:
    """Each step of a save that touches the disk, one method each (so that every step can be made to fail)."""

    def write(self, book: Saveable, temporary: Path) -> None:
        book.save(temporary)

    def sync(self, path: Path) -> None:
        fd = os.open(path, os.O_RDWR | getattr(os, "O_BINARY", 0))
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    def mkdir(self, folder: Path) -> None:
        folder.mkdir(exist_ok=True)

    def copy(self, source: Path, target: Path) -> None:
        shutil.copy2(source, target)

    def rename(self, source: Path, target: Path) -> None:
        os.replace(source, target)

    def replace(self, source: Path, target: Path) -> None:
        os.replace(source, target)

    def remove(self, path: Path) -> None:
        path.unlink(missing_ok=True)


DISK = Disk()


def lock_file(path: Path) -> Path:
    return path.with_name("~$" + path.name)


def target_of(path: Path) -> Path:
    """The file a master's path means: the target of a symbolic link, else the path itself."""
    return Path(os.path.realpath(path))


def check_not_open(path: Path) -> None:
    for place in dict.fromkeys((path, target_of(path))):
        if lock_file(place).exists():
            raise MasterBusyError(
                f"{path}: is open in Excel (its lock file {lock_file(place).name} exists); save and close it, then "
                f"run the command again, or use the ribbon button inside Excel."
            )


def check_can_save(path: Path) -> None:
    """Refuse, before any work, a master that could not be replaced: read-only, or its backups name not a folder.

    Read-only is judged by the file's mode as well as by ``os.access``: the owner's write bit off means the file
    was marked read-only on purpose (Windows' Read-only attribute shows as this too), which ``os.access`` does not
    see when run by an administrator or root; and replacing a file needs only its folder to be writable.
    """
    target = target_of(path)
    if not target.is_file():
        return  # opening it says what it is instead
    if not target.stat().st_mode & stat.S_IWUSR or not os.access(target, os.W_OK):
        raise InputError(f"{path}: is read-only, so ragbook will not change it; make it writable (untick "
                         f"Read-only in its properties) and run the command again.")
    backups = target.parent / BACKUP_FOLDER
    if backups.exists() and not backups.is_dir():
        raise InputError(f"{path}: cannot be saved, because {backups} is not a folder (the previous versions are "
                         f"kept in a folder of that name); rename that file and run the command again.")


def backup_path(path: Path, now: datetime) -> Path:
    return path.parent / BACKUP_FOLDER / f"{path.stem}-{now:%Y%m%d-%H%M%S-%f}{path.suffix}"


def temporary_path(final: Path) -> Path:
    """A name of its own for the file that becomes ``final``: a dot file beside it, unique to this save."""
    return final.with_name(f".{final.stem}.{uuid.uuid4().hex[:8]}{TEMPORARY_MARK}{final.suffix}")


def _backup_name(path: Path) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(path.stem)}-\d{{8}}-\d{{6}}-\d{{6}}{re.escape(path.suffix)}")


def _temporary_names(path: Path) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The names of ``path``'s temporaries beside it (an older ragbook's fixed name too), and in ``backups``."""
    stem, suffix, mark = re.escape(path.stem), re.escape(path.suffix), re.escape(TEMPORARY_MARK)
    return (re.compile(rf"\.{stem}(?:\.[0-9a-f]{{8}})?{mark}{suffix}"),
            re.compile(rf"\.{stem}-\d{{8}}-\d{{6}}-\d{{6}}\.[0-9a-f]{{8}}{mark}{suffix}"))


def remove_leftovers(path: Path) -> list[Path]:
    """Remove what a save of this master that was killed midway left; only while holding the master's lock."""
    target = target_of(path)
    beside, in_backups = _temporary_names(target)
    removed = []
    for folder, pattern in ((target.parent, beside), (target.parent / BACKUP_FOLDER, in_backups)):
        try:
            names = [entry for entry in folder.iterdir() if pattern.fullmatch(entry.name)]
        except OSError:
            continue
        for leftover in names:
            try:
                leftover.unlink()
            except OSError:
                continue
            removed.append(leftover)
    return removed


def save_atomically(
    book: Saveable,
    path: Path,
    verify: Callable[[Path], None],
    now: Callable[[], datetime] = datetime.now,
    disk: Disk | None = None,
) -> Path | None:
    """Write ``book`` to ``path`` without ever leaving a half-written file; returns the backup made, if any."""
    disk = disk or DISK
    check_not_open(path)
    check_can_save(path)
    target = target_of(path)
    temporary = temporary_path(target)
    made = [temporary]  # removed again if the save fails
    backup = None
    try:
        try:
            disk.write(book, temporary)
            disk.sync(temporary)
            verify(temporary)
        except RagbookError:
            raise
        except Exception as exc:  # noqa: BLE001 - any failure to write or re-read must leave the old master intact
            raise InputError(f"{path}: could not be saved ({_reason(exc)}); the master is unchanged.") from None
        if target.exists():
            backup = backup_path(target, now())
            copying = temporary_path(backup)
            disk.mkdir(backup.parent)
            made.append(copying)
            disk.copy(target, copying)
            disk.sync(copying)
            made.append(backup)  # a copy of the master, which stays as it is if the swap below fails
            disk.rename(copying, backup)
        check_not_open(path)
        disk.replace(temporary, target)
    except RagbookError:
        _remove(made)
        raise
    except Exception as exc:  # noqa: BLE001 - a full disk or a refused rename: one sentence, the master as it was
        _remove(made)
        raise InputError(f"{path}: could not be saved ({_reason(exc)}); the master is unchanged.") from None
    if backup is not None:
        _prune(backup.parent, target, disk)
    return backup


def _reason(exc: Exception) -> str:
    if isinstance(exc, OSError) and exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
        return "the disk is full"
    if isinstance(exc, FileExistsError) and exc.filename and Path(exc.filename).name == BACKUP_FOLDER:
        return f"{exc.filename} is not a folder"
    if isinstance(exc, PermissionError):
        where = f" on {exc.filename}" if exc.filename else ""
        return f"permission was refused{where}, perhaps because another program has the file open"
    return f"{exc.__class__.__name__}: {exc}"


def _remove(paths: list[Path]) -> None:
    for made in paths:
        try:
            made.unlink(missing_ok=True)
        except OSError:
            pass


def _prune(folder: Path, path: Path, disk: Disk) -> None:
    """Keep the newest ``BACKUPS_KEPT`` backups of this master (never another master's, whose name starts alike)."""
    pattern = _backup_name(path)
    try:
        backups = sorted(entry for entry in folder.iterdir() if pattern.fullmatch(entry.name))
    except OSError:
        return
    for old in backups[:-BACKUPS_KEPT]:
        try:
            disk.remove(old)
        except OSError:
            pass  # housekeeping: the new master is in place already


def verify_saved(path: Path) -> None:
    """The file just written must be an intact package holding the Register header, or the old master is kept."""
    from openpyxl import load_workbook  # noqa: PLC0415 - only a master's save reads one back

    with zipfile.ZipFile(path) as archive:
        broken = archive.testzip()
        if broken is not None:
            raise InputError(f"{path}: part {broken} of the written file is damaged.")
    book = load_workbook(path, read_only=True, keep_vba=False)
    try:
        if c.REGISTER not in book.sheetnames:
            raise InputError(f"{path}: the written file has no Register sheet.")
        ws = book[c.REGISTER]
        header = [cell.value for cell in next(ws.iter_rows(min_row=1, max_row=1))]
        if header[: len(c.REGISTER_COLUMNS)] != [col.header for col in c.REGISTER_COLUMNS]:
            raise InputError(f"{path}: the written file's Register header is not the contract's.")
    finally:
        book.close()
