"""Checking an uploaded file exactly as the command line checks the same file, before it is kept.

Nothing new is invented here: a plan goes through the importers (``ragbook.io.importers``: its kind read from
its content by ``ragbook.io.ooxml.kinds.sniff``, the zip's limits, no DTD, no far cells, a recognisable plan
table) and a return through the untrusting returns reader (``ragbook.io.returns.reader.read_return``: its size,
its kind, zip bombs, DTDs, macros, every cell's limits). A file either refuses is refused at the upload, with
the reader's own sentence, so the button never sees it. The size is checked while the upload arrives, against
the same limits the readers hold a file to, so no more than that is ever written to the server's disk.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..core.errors import InputError, UnsafeFileError
from ..io.ooxml.kinds import MAX_SOURCE_BYTES
from ..io.returns.reader import MAX_RETURN_BYTES

MAX_FILES = 200  # returns in one consolidation: more agencies than any partnership has
MAX_JOB_BYTES = 1024 * 1024 * 1024  # everything one job may hold


@dataclass(frozen=True)
class Limit:
    largest: int  # bytes in one file
    reader: str  # which of ragbook's readers checks it


LIMITS = {
    "import_plan": Limit(MAX_SOURCE_BYTES, "plan"),
    "consolidate_returns": Limit(MAX_RETURN_BYTES, "return"),
}


class TooLarge(UnsafeFileError):
    """An upload larger than any file of its kind may be (HTTP 413)."""


def too_large(name: str, limit: Limit) -> TooLarge:
    kind = "plan" if limit.reader == "plan" else "return"
    return TooLarge(f"{name}: is larger than any {kind} should be ({limit.largest // (1024 * 1024)} MB); it was "
                    f"not kept.")


def job_full(name: str) -> TooLarge:
    return TooLarge(f"{name}: would take these uploads past the {MAX_JOB_BYTES // (1024 * 1024)} MB one press may "
                    f"send; press the button with fewer files at a time.")


def check(button: str, path: Path) -> None:
    """Read ``path`` as the button will; raises the reader's InputError (or UnsafeFileError) when refused."""
    reader = LIMITS[button].reader
    if reader == "plan":
        from ..core.ratings import DEFAULT_INDEX  # noqa: PLC0415
        from ..io.importers import read_source  # noqa: PLC0415

        read_source(path, DEFAULT_INDEX, None)
    else:
        from ..io.returns.reader import read_return  # noqa: PLC0415

        read_return(path, None)


def refuse_count(button: str, count: int) -> None:
    if count > MAX_FILES:
        raise InputError(f"At most {MAX_FILES} returns can be consolidated at once; send the rest after these.")
