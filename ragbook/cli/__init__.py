"""The ``ragbook`` command line: a thin layer over the use cases of ``ragbook.app``.

One module per area registers its commands on the group of ``base``: ``plan`` (new, import, validate,
colour), ``returns`` (returns, chase, consolidate), ``decide`` (decide), ``reports`` (summary, report), ``dev``
(build-workbook, demo) and ``server`` (the web edition).
"""

from __future__ import annotations

from . import decide, dev, plan, reports, returns, server  # noqa: F401 - each registers its commands on the group
from .base import cli

__all__ = ["cli", "main"]


def main() -> None:
    cli(prog_name="ragbook")
