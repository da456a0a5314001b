"""The ``ragbook`` command group, its shared parameter types, and the error policy every command follows.

Exit codes (the contract): 0 done; 1 done, but with error-level findings or rejected returns; 2 could not
run (bad arguments, unreadable input). Errors are one sentence on stderr, never a traceback.

Every command starts a new Python, so importing the command line loads only click and these modules: each
command imports its use case, and what that needs (openpyxl, python-docx...), when it runs. A reader that
stops reading (``ragbook validate ... | head``) ends the command quietly: click exits 1 on a broken pipe,
with nothing on stderr.
"""

from __future__ import annotations

import functools
import sys
from datetime import date
from pathlib import Path
from typing import Callable

import click

from ..present import DEBUG_VARIABLE

EXISTING_FILE = click.Path(path_type=Path, dir_okay=False)
NEW_FILE = click.Path(path_type=Path, dir_okay=False)
PASSWORD_FILE = click.Path(path_type=Path, dir_okay=False, exists=True)
HOW_TO_SEE_DETAILS = f"run again with {DEBUG_VARIABLE}=1 to see the details, and report them."


def reports_errors(command: Callable) -> Callable:
    """Turn any failure into its one sentence on stderr and the contract's exit code."""

    @functools.wraps(command)
    def wrapper(*args, **kwargs):
        try:
            return command(*args, **kwargs)
        except (click.exceptions.Exit, click.ClickException, SystemExit, BrokenPipeError):
            raise  # click ends a command whose reader went away (EPIPE) quietly
        except Exception as exc:  # noqa: BLE001 - the contract: no traceback reaches a user
            from ..present import failure  # noqa: PLC0415 - only a failure needs the error policy

            sentence, code = failure(exc, HOW_TO_SEE_DETAILS)
            click.echo(f"Error: {sentence}", err=True)
            sys.exit(code)

    return wrapper


class DateType(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, date):
            return value
        from ..core.dates import parse_date  # noqa: PLC0415 - only a date given on the command line needs it

        parsed, _ = parse_date(value)
        if parsed is None:
            self.fail(f"{value!r} is not a date such as 31/03/2026", param, ctx)
        return parsed


DATE = DateType()


def echo_lines(lines: list[str], *, err: bool = False) -> None:
    """The lines in one write (thousands of findings are one write, not thousands)."""
    if lines:
        click.echo("\n".join(lines), err=err)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="ragbook")
def cli() -> None:
    """Track multi-agency safeguarding action plans in an Excel master workbook.

    Every button on the workbook's Action Plan ribbon tab is also a command here.

    \b
    Start with:  ragbook demo
    """
