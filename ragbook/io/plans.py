"""The unit of work over master files: the one place a master file is opened for a use case and saved.

``FilePlans(path)`` implements ``app.ports.Plans``. ``editing`` refuses a master that could not be replaced
(read-only, a ``backups`` that is not a folder), takes the master's lock (``master.lock``: one writer at a
time, whoever and wherever they are), opens the master (refusing one Excel has open, or one that is not a
ragbook master), hands it to the use case, and saves it atomically only when the use case returned having
written something; then it lets go of the lock, whatever happened. An exception leaves the file on disk exactly
as it was, and so does a use case that wrote nothing (its bytes and its modification time). ``creating`` does
the same for a master that does not exist yet, and writes nothing at all when the use case fails.
``reading`` takes no lock: it never writes.

``what`` is what the lock file tells another writer this one is doing (``ragbook consolidate``); ``wait`` is how
long to wait for another writer to finish before refusing.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..core.errors import InputError
from .master.lock import WAIT, MasterLock
from .master.save import check_can_save, remove_leftovers, target_of
from .master.workbook import MasterWorkbook


class FilePlans:
    def __init__(self, path: Path, what: str = "ragbook", *, wait: float = WAIT) -> None:
        self.path = path
        self.what = what
        self.wait = wait

    @property
    def name(self) -> str:
        return str(self.path)

    @contextmanager
    def editing(self) -> Iterator[MasterWorkbook]:
        check_can_save(self.path)
        if not target_of(self.path).is_file():
            MasterWorkbook.open(self.path)  # refuses it (no such file, a folder, a device) before any lock is made
        with self._lock() as lock:
            remove_leftovers(self.path)
            master = MasterWorkbook.open(self.path)
            yield master
            if master.changed:
                self._check_held(lock)
                master.save()

    @contextmanager
    def reading(self) -> Iterator[MasterWorkbook]:
        yield MasterWorkbook.open(self.path)

    @contextmanager
    def creating(self) -> Iterator[MasterWorkbook]:
        plan = self.path
        self._check_new(plan)
        with self._lock() as lock:
            self._check_new(plan)  # again, now that no one else can be making it
            remove_leftovers(plan)
            master = MasterWorkbook.create(plan)
            yield master
            self._check_held(lock)
            master.save()

    def _lock(self) -> MasterLock:
        return MasterLock(self.path, self.what, wait=self.wait)

    @staticmethod
    def _check_new(plan: Path) -> None:
        if plan.exists():
            raise InputError(f"{plan}: already exists; choose another name or import into it with 'ragbook import'.")
        if not plan.parent.exists():
            raise InputError(f"{plan}: the folder {plan.parent} does not exist.")

    def _check_held(self, lock: MasterLock) -> None:
        if not lock.held():
            raise InputError(f"{self.path}: was not saved, because its lock file {lock.path} was taken over by "
                             f"another writer while this one worked (it looked abandoned); run the command again.")
