"""The unit of work over master files: the one place a master file is opened for a use case and saved.

``FilePlans(path)`` implements ``app.ports.Plans``. ``editing`` opens the master (refusing one Excel has
open, or one that is not a ragbook master), hands it to the use case, and saves it atomically only when the
use case returned; an exception leaves the file on disk exactly as it was. ``creating`` does the same for a
master that does not exist yet, and writes nothing at all when the use case fails.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from ..core.errors import InputError
from .master.workbook import MasterWorkbook


class FilePlans:
    def __init__(self, path: Path) -> None:
        self.path = path

    @property
    def name(self) -> str:
        return str(self.path)

    @contextmanager
    def editing(self) -> Iterator[MasterWorkbook]:
        master = MasterWorkbook.open(self.path)
        yield master
        master.save()

    @contextmanager
    def reading(self) -> Iterator[MasterWorkbook]:
        yield MasterWorkbook.open(self.path)

    @contextmanager
    def creating(self) -> Iterator[MasterWorkbook]:
        plan = self.path
        if plan.exists():
            raise InputError(f"{plan}: already exists; choose another name or import into it with 'ragbook import'.")
        if not plan.parent.exists():
            raise InputError(f"{plan}: the folder {plan.parent} does not exist.")
        master = MasterWorkbook.create(plan)
        yield master
        master.save()
