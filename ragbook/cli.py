"""The ``ragbook`` command line: a thin layer over ``ragbook.services``.

Exit codes (the contract): 0 done; 1 done, but with error-level findings or rejected returns; 2 could not
run (bad arguments, unreadable input). Errors are one sentence on stderr, never a traceback.
"""

from __future__ import annotations

import functools
import json
import os
import sys
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Callable

import click

from . import services
from .core.dates import parse_date
from .core.errors import RagbookError

EXISTING_FILE = click.Path(path_type=Path, dir_okay=False)
NEW_FILE = click.Path(path_type=Path, dir_okay=False)


def reports_errors(command: Callable) -> Callable:
    """Turn a ``RagbookError`` into its one sentence and exit 2; hide any other traceback unless debugging."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except RagbookError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)
        except (click.exceptions.Exit, click.ClickException, SystemExit):
            raise
        except Exception as exc:  # noqa: BLE001 - the contract: no traceback reaches a user
            if os.environ.get("RAGBOOK_DEBUG"):
                raise
            click.echo(f"Error: ragbook failed unexpectedly ({exc.__class__.__name__}: {exc}); run again with "
                       f"RAGBOOK_DEBUG=1 to see the details, and report them.", err=True)
            sys.exit(2)

    return wrapper


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        parsed, _ = parse_date(value)
        if parsed is None:
            self.fail(f"{value!r} is not a date such as 31/03/2026", param, ctx)
        return parsed


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="ragbook")
def cli() -> None:
    """Track multi-agency safeguarding action plans in an Excel master workbook.

    Every button on the workbook's Action Plan ribbon tab is also a command here.

    \b
    Start with:  ragbook demo
    """


def echo_import(report: services.ImportReport) -> None:
    click.echo(f"Imported {report.actions} actions of {report.review!r} from {report.source} into {report.plan}: "
               f"{report.added} added, {report.updated} updated, {report.unchanged} unchanged.")
    if report.repairs:
        click.echo(f"{len(report.repairs)} repairs of what extraction broke:")
        for repair in report.repairs:
            click.echo(f"  - {repair}")
    for note in report.notes:
        click.echo(f"  note: {note}")
    if report.index_differences:
        click.echo(f"The source's rating index differs from {report.plan}'s; the master's index was kept:")
        for difference in report.index_differences:
            click.echo(f"  - {difference}")


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
    report = services.new_plan(plan, source, review)
    if report is None:
        click.echo(f"Created {plan}.")
    else:
        echo_import(report)


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
    echo_import(services.import_plan(source, plan, review))


@cli.command("validate")
@click.argument("plan", type=EXISTING_FILE)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
@click.option("--today", type=DateType(), help="Check as at this date instead of today (e.g. a quarter end).")
@reports_errors
def validate_command(plan: Path, as_json: bool, today: date | None) -> None:
    """Check every action, list the problems on the Exceptions sheet and mark the cells.

    Exits 1 when any finding is an error.

    \b
    Example:
      ragbook validate ActionPlan.xlsx --today 31/03/2026
    """
    report = services.validate_plan(plan, today)
    if as_json:
        click.echo(json.dumps({"plan": str(plan), "actions": report.actions, "errors": report.errors,
                               "warnings": report.warnings, "findings": [asdict(f) for f in report.findings]},
                              indent=2))
    else:
        from .console import findings_table  # noqa: PLC0415 - rich is only needed for the table

        findings_table(report)
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
    report = services.colour_plan(plan)
    counts = ", ".join(f"{count} {label}" for label, count in report.counts.items()) or "no actions"
    click.echo(f"Coloured the ratings of {plan}: {counts}.")


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
    from .io.xlsm.build import build_or_check  # noqa: PLC0415 - only developers build the workbook

    outcomes = build_or_check(check)
    for outcome in outcomes:
        click.echo(f"{outcome.path}: {outcome.status}.")
    stale = [o for o in outcomes if o.status in {"out of date", "missing"}]
    if stale:
        click.echo(f"Error: {len(stale)} built workbook(s) differ from macros/; run 'ragbook build-workbook' and "
                   f"commit the result.", err=True)
        sys.exit(1)


@cli.command("demo")
@click.argument("folder", type=click.Path(path_type=Path, file_okay=False), default="ragbook-demo")
@reports_errors
def demo_command(folder: Path) -> None:
    """Run the whole journey on the bundled sample plan, writing into FOLDER.

    \b
    Example:
      ragbook demo ragbook-demo
    """
    from .demo import run_demo  # noqa: PLC0415

    run_demo(folder, click.echo)


from .cli_report import register as _register_report_commands  # noqa: E402 - needs the group defined above

_register_report_commands(cli, reports_errors, DateType())

from . import cli_returns  # noqa: E402,F401 - registers 'returns' and 'consolidate' on the group


def main() -> None:
    cli(prog_name="ragbook")


if __name__ == "__main__":
    main()
