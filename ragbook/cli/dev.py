"""``ragbook build-workbook`` (for developers) and ``ragbook demo`` (the whole journey on the sample)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .base import cli, reports_errors


@cli.command("build-workbook")
@click.option("--check", is_flag=True, help="Only compare the committed workbook with a fresh build; exit 1 if it differs.")
@reports_errors
def build_workbook_command(check: bool) -> None:
    """Build workbook/ActionPlan.xlsm from macros/ (the VBA and the ribbon) and the pinned xlwings.

    The build is reproducible: the same sources give the same bytes. Run it in a ragbook checkout after
    changing anything in macros/, and commit the result.

    \b
    Example:
      ragbook build-workbook --check
    """
    from ..io.xlsm.build import build_or_check  # noqa: PLC0415 - only developers build the workbook

    outcomes = build_or_check(check)
    for outcome in outcomes:
        click.echo(f"{outcome.path}: {outcome.status}.")
    stale = [o for o in outcomes if o.status in {"out of date", "missing"}]
    if stale:
        click.echo(f"Error: {len(stale)} built workbook(s) differ from macros/; run 'ragbook build-workbook' and "
                   f"commit the result.", err=True)
        sys.exit(1)


@cli.command("demo")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), required=False)
@reports_errors
def demo_command(folder: Path | None) -> None:
    """Run the whole journey on the bundled sample plan, writing into FOLDER.

    Without FOLDER it writes into ragbook-demo, or ragbook-demo-2 (and so on) when an earlier run is there. A
    FOLDER that already holds the demo's files is refused: the demo never replaces a file.

    \b
    Example:
      ragbook demo ragbook-demo
    """
    from ..demo import first_free_folder, run_demo  # noqa: PLC0415

    run_demo(folder or first_free_folder(Path("ragbook-demo")), click.echo)
