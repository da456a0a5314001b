"""What a button's parity test compares against: the same use case run on a copy of the master file, as the
command runs it (opened and saved by the unit of work), and the Round sheet set as a person would set it."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from ragbook.io.plans import FilePlans


def by_file(plan: Path, use_case, *args, **kwargs):
    """What the command does: the use case on a copy of the master file, saved atomically."""
    copy = plan.with_name("cli-" + plan.name)
    shutil.copy(plan, copy)
    with FilePlans(copy).editing() as master:
        result = use_case(master, *args, **kwargs)
    return copy, result


def set_round(plan: Path, **settings) -> None:
    """Fill in the Round sheet's settings (``RoundSettings`` field names) and save."""
    with FilePlans(plan).editing() as master:
        master.write_round(replace(master.read_round(), **settings))
