"""One writer at a time: the lock a command (or a ribbon button) holds on a master while it changes it.

The lock is a small file beside the master, ``ActionPlan.xlsm.ragbook-lock``, made with
``os.open(O_CREAT | O_EXCL)``: creating a file only if it does not exist is atomic on local disks and on SMB and
NFS shares alike, where a partnership's master usually lives (``fcntl``/``LockFileEx`` byte-range locks are
not reliable there, and say nothing of who holds them). The file holds JSON: who holds it (user and
computer), its process id, what it is doing, since when, and a random token. While held, a thread touches it
every ``REFRESH_EVERY`` seconds, so a long save on a slow share is never taken for abandoned.

A lock is abandoned (stale) when its holder ran on this computer and its process has gone, or when nobody has
touched it for ``STALE_AFTER`` seconds (the holder crashed on another computer, or the file cannot be read).
Breaking one must be safe when several writers see it at once: the breaker renames it to a name of its own
(only one rename of a file succeeds), checks that what it moved is the very file it judged stale (same bytes,
with the holder's token, and the same file), and otherwise puts it back with ``os.link``, which fails rather
than overwrite a lock made in the meantime. Release goes the same way and removes only the holder's own file.

Why this is written here rather than taken from PyPI: ``fasteners`` and ``portalocker`` use the operating
system's byte-range locks (unreliable on network shares, no holder recorded); ``lockfile`` is unmaintained;
``pid`` keeps pidfiles for daemons. ``filelock``'s ``SoftFileLock`` is the closest: it also creates its file
with ``O_EXCL``, records the holder's pid and host (in recent versions), breaks a same-host dead holder's lock by
rename, and offers a refreshed lease; but its marker format is the library's and has no room for the user's
name or the command, which are what the refusal must tell a business team ("jsmith on PC-42, ragbook
consolidate, since 10:42"), and the whole protocol here is short enough to keep in view.
"""

from __future__ import annotations

import errno
import getpass
import json
import os
import socket
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ...core.errors import InputError, MasterBusyError

LOCK_SUFFIX = ".ragbook-lock"
WAIT = 5.0  # how long a second writer waits for the first to finish before refusing, in seconds
STALE_AFTER = 10 * 60.0  # a lock nobody has touched for this long is abandoned
REFRESH_EVERY = 30.0
POLL_EVERY = 0.1
MAX_LOCK_BYTES = 64 * 1024


def lock_path(master: Path) -> Path:
    """The lock file of ``master``: beside the file itself (a symbolic link is followed)."""
    target = Path(os.path.realpath(master))
    return target.with_name(target.name + LOCK_SUFFIX)


@dataclass(frozen=True)
class Holder:
    """Who holds a lock, as its file says."""

    holder: str
    host: str
    pid: int
    command: str
    started: str
    token: str

    @classmethod
    def parse(cls, raw: bytes) -> Holder | None:
        """The holder a lock file names, or None when the file is empty, garbled or not ragbook's."""
        try:
            data = json.loads(raw.decode("utf-8"))
            holder = cls(*(str(data[key])[:200] for key in ("holder", "host")), int(data["pid"]),
                         *(str(data[key])[:200] for key in ("command", "started", "token")))
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            return None
        return holder if holder.token else None

    def since(self) -> str:
        try:
            started = datetime.fromisoformat(self.started).astimezone()
        except ValueError:
            return self.started
        now = datetime.now().astimezone()
        return f"{started:%H:%M:%S}" if started.date() == now.date() else f"{started:%d/%m/%Y %H:%M}"


@dataclass(frozen=True)
class Seen:
    """A lock file as read: its bytes, the holder they name, when it was last touched and which file it is."""

    raw: bytes
    holder: Holder | None
    mtime: float
    ino: int


class MasterLock:
    """The lock on one master; a context manager. ``what`` says what the holder is doing (``ragbook consolidate``)."""

    def __init__(self, master: Path, what: str, *, wait: float = WAIT, stale_after: float = STALE_AFTER,
                 refresh_every: float = REFRESH_EVERY) -> None:
        self.master = master
        self.path = lock_path(master)
        self.what = what
        self.wait = wait
        self.stale_after = stale_after
        self.refresh_every = refresh_every
        self._raw: bytes | None = None
        self._ino = 0
        self._stop = threading.Event()
        self._refresher: threading.Thread | None = None

    def __enter__(self) -> MasterLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()

    # ----------------------------------------------------------------- acquiring
    def acquire(self) -> MasterLock:
        deadline = time.monotonic() + self.wait
        breaks = 0
        while True:
            if self._create():
                self._stop.clear()
                self._refresher = threading.Thread(target=self._refresh, name=f"refresh {self.path.name}", daemon=True)
                self._refresher.start()
                return self
            seen = self._read()
            if seen is None:  # released between our attempt and our look: try again at once
                if time.monotonic() >= deadline:  # (or, always, a name that cannot be made: a broken link)
                    raise MasterBusyError(self._busy(None))
                continue
            if breaks < 100 and self._is_stale(seen):
                breaks += 1
                if self._take(seen.raw, seen.ino) is not False:
                    continue
            if time.monotonic() >= deadline:
                raise MasterBusyError(self._busy(seen))
            time.sleep(POLL_EVERY)

    def _create(self) -> bool:
        holder = Holder(_user(), _host(), os.getpid(), self.what,
                        datetime.now().astimezone().isoformat(timespec="seconds"), uuid.uuid4().hex)
        raw = json.dumps(holder.__dict__, indent=1).encode("utf-8")
        try:
            fd = os.open(self.path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o644)
        except FileExistsError:
            return False
        except PermissionError as exc:
            if sys.platform == "win32" and self.path.exists():  # Windows says so of a file being deleted
                return False
            raise InputError(f"{self.master}: cannot be changed, because no file can be made in its folder "
                             f"{self.path.parent} ({exc.strerror or exc}).") from None
        except FileNotFoundError:
            raise InputError(f"{self.master}: no such file.") from None
        except OSError as exc:
            raise self._cannot_lock(exc) from None
        try:
            written = os.write(fd, raw)
            if written != len(raw):
                raise OSError(f"only {written} of {len(raw)} bytes were written")
            self._ino = os.fstat(fd).st_ino
        except OSError as exc:
            os.close(fd)
            self.path.unlink(missing_ok=True)  # ours: made a moment ago by the exclusive create
            raise self._cannot_lock(exc) from None
        os.close(fd)
        self._raw = raw
        return True

    def _cannot_lock(self, exc: OSError) -> InputError:
        return InputError(f"{self.master}: cannot be locked for changing ({_reason(exc)}); it is unchanged.")

    def _read(self) -> Seen | None:
        try:
            with open(self.path, "rb") as handle:
                raw = handle.read(MAX_LOCK_BYTES + 1)
                status = os.fstat(handle.fileno())
        except FileNotFoundError:
            return None
        except OSError:
            try:
                status = os.stat(self.path)
            except OSError:
                return None
            raw = b""
        return Seen(raw, Holder.parse(raw) if len(raw) <= MAX_LOCK_BYTES else None, status.st_mtime,
                    status.st_ino)

    def _is_stale(self, seen: Seen) -> bool:
        if time.time() - seen.mtime > self.stale_after:
            return True
        holder = seen.holder
        return holder is not None and holder.host == _host() and not process_running(holder.pid)

    def _busy(self, seen: Seen | None) -> str:
        holder = seen.holder if seen is not None else None
        doing = (f"is being changed by {holder.holder} on {holder.host} ({holder.command}, since {holder.since()})"
                 if holder else "is being changed by another ragbook (its lock file cannot be read)")
        return (f"{self.master}: {doing}; try again when that has finished (or, if it certainly is not running, "
                f"delete {self.path}).")

    # ----------------------------------------------------------------- holding and releasing
    def held(self) -> bool:
        """Whether the lock file is still this lock's own (a holder that slept for long may have lost it)."""
        seen = self._read()
        return self._raw is not None and seen is not None and seen.raw == self._raw

    def release(self) -> None:
        self._stop.set()
        if self._refresher is not None:
            self._refresher.join()
            self._refresher = None
        if self._raw is not None:
            self._take(self._raw, self._ino)
            self._raw = None

    def _refresh(self) -> None:
        while not self._stop.wait(self.refresh_every):
            try:
                if not self.held():
                    return
                os.utime(self.path)
            except OSError:
                continue  # a share that hiccups: the next refresh tries again, well within STALE_AFTER

    def _take(self, expected: bytes, ino: int) -> bool | None:
        """Remove the lock file if it is ``expected`` (None if there was none; False if it was another's).

        The file is first renamed to a name of this attempt's own, so two breakers never both remove it, then
        checked; another holder's file moved by mistake is put back (``os.link`` refuses to overwrite a newer one).
        """
        aside = self.path.with_name(f"{self.path.name}.{uuid.uuid4().hex[:8]}.aside")
        for attempt in range(10):
            try:
                os.rename(self.path, aside)
                break
            except FileNotFoundError:
                return None
            except PermissionError:  # Windows: another writer is reading the file at this very moment
                if attempt == 9:
                    return False
                time.sleep(POLL_EVERY / 2)
            except OSError:
                return False
        try:
            with open(aside, "rb") as handle:
                moved = handle.read(MAX_LOCK_BYTES + 1)
                moved_ino = os.fstat(handle.fileno()).st_ino
        except OSError:
            moved, moved_ino = None, 0
        if moved == expected and (moved_ino == ino or not moved_ino or not ino):
            _remove(aside)
            return True
        _put_back(aside, self.path, moved)
        return False


def _put_back(aside: Path, path: Path, raw: bytes | None) -> None:
    try:
        os.link(aside, path)
    except FileExistsError:
        pass  # a newer lock is in place; the holder whose file was moved finds it is no longer its own
    except OSError:  # a share without hard links: make the file again with the same content
        if raw is not None:
            try:
                fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | getattr(os, "O_BINARY", 0), 0o644)
            except OSError:
                pass
            else:
                try:
                    os.write(fd, raw)
                finally:
                    os.close(fd)
    _remove(aside)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except OSError:
        pass


def process_running(pid: int) -> bool:
    """Whether process ``pid`` of this computer is running (when in doubt, yes: a live lock is never broken)."""
    if pid <= 0:
        return False
    if sys.platform == "win32":  # os.kill(pid, 0) would end the process on Windows
        return _windows_process_running(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


def _windows_process_running(pid: int) -> bool:
    import ctypes  # noqa: PLC0415 - Windows only
    from ctypes import wintypes  # noqa: PLC0415

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() != 87  # ERROR_INVALID_PARAMETER: no such process
    try:
        code = wintypes.DWORD()
        if not kernel32.GetExitCodeProcess(handle, ctypes.byref(code)):
            return True
        return code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _reason(exc: OSError) -> str:
    return "the disk is full" if exc.errno == errno.ENOSPC else str(exc.strerror or exc)


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # noqa: BLE001 - no login name in the environment or the user database
        return "an unknown user"


def _host() -> str:
    return socket.gethostname() or "an unknown computer"
