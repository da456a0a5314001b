"""``ragbook new``, ``import``, ``validate`` and ``colour``: the Start and Maintain steps."""

from __future__ import annotations

import json
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path

import click

from .. import present
from .base import DATE, EXISTING_FILE, NEW_FILE, cli, echo_lines, reports_errors


@cli.command("new")
@click.argument("plan", type=NEW_FILE)
@click.option("--from", "source", type=EXISTING_FILE, help="An existing plan to import (.txt, .csv, .xlsx, .docx).")
@click.option("--review", help="The review's name, when the source's title does not give it.")
@reports_errors
def new_command(plan: Path, source: Path | None, review: str | None) -> None:
    """Create a master workbook PLAN with every sheet of the contract.

    With --from, the source plan is imported and its rating legend becomes the master's Rating Index.

    \b
    Example:
      ragbook new ActionPlan.xlsm --from scr-action-plan.docx

    A .xlsm master is a copy of the ribbon workbook (buttons for every command); a .xlsx one has no macros.
    """
    from .. import commands  # noqa: PLC0415 - each command loads its use case when it runs

    report = commands.new_plan(plan, source, review)
    if report is None:
        click.echo(f"Created {plan}.")
    else:
        echo_lines(present.import_lines(report))


@cli.command("import")
@click.argument("source", type=EXISTING_FILE)
@click.option("--into", "plan", type=EXISTING_FILE, required=True, help="The master workbook to import into.")
@click.option("--review", help="The review's name, when the source's title does not give it.")
@reports_errors
def import_command(source: Path, plan: Path, review: str | None) -> None:
    """Import an existing plan SOURCE (.txt, .csv, .xlsx, .docx) into a master.

    What extraction from Word or PDF broke is repaired and every repair is listed. Importing the same plan
    twice adds nothing.

    \b
    Example:
      ragbook import scr-action-plan.txt --into ActionPlan.xlsx
    """
    from .. import commands  # noqa: PLC0415

    echo_lines(present.import_lines(commands.import_plan(source, plan, review)))


@cli.command("validate")
@click.argument("plan", type=EXISTING_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print every finding as JSON.")
@click.option("--all", "show_all", is_flag=True, help=f"List every finding (default: the first "
                                                       f"{present.FINDINGS_SHOWN}).")
@click.option("--today", type=DATE, help="Check as at this date instead of today (e.g. a quarter end).")
@reports_errors
def validate_command(plan: Path, as_json: bool, show_all: bool, today: date | None) -> None:
    """Check every action, list the problems on the Exceptions sheet and mark the cells.

    Prints the findings counted by rule and the first few of them; every finding is on the Exceptions
    sheet, and --all (or --json) prints them all. Exits 1 when any finding is an error.

    \b
    Example:
      ragbook validate ActionPlan.xlsx --today 31/03/2026
      ragbook validate ActionPlan.xlsx --all | grep overdue
    """
    from .. import commands  # noqa: PLC0415

    report = commands.validate_plan(plan, today)
    if as_json:
        click.echo(json.dumps({"plan": str(plan), "actions": report.actions, "errors": report.errors,
                               "warnings": report.warnings, "findings": [asdict(f) for f in report.findings]},
                              indent=2))
    else:
        echo_lines(present.validation_lines(report, None if show_all else present.FINDINGS_SHOWN))
    if report.errors:
        sys.exit(1)


@cli.command("colour")
@click.argument("plan", type=EXISTING_FILE)
@reports_errors
def colour_command(plan: Path) -> None:
    """Colour every rating from the Rating Index sheet, with a dropdown and live recolouring.

    Change a colour on the Rating Index sheet and run it again to recolour everything.

    \b
    Example:
      ragbook colour ActionPlan.xlsx
    """
    from .. import commands  # noqa: PLC0415

    click.echo(present.colour_sentence(commands.colour_plan(plan)))
