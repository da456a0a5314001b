"""``ragbook decide``: apply the Accept or Reject typed on the Held Updates sheet, with an audit trail."""

from __future__ import annotations

import getpass
import sys
from datetime import date
from pathlib import Path

import click

from .. import present
from .base import DATE, EXISTING_FILE, cli, echo_lines, reports_errors


@cli.command("decide")
@click.argument("plan", type=EXISTING_FILE)
@click.option("--who", help="Who is deciding, for the Audit Log where Decided By is blank (default: your user "
                            "name).")
@click.option("--today", type=DATE, hidden=True, help="Decide as at this date (for tests and rehearsals).")
@reports_errors
def decide_command(plan: Path, who: str | None, today: date | None) -> None:
    """Apply the Accept or Reject typed on each update of the Held Updates sheet.

    Type Accept or Reject in the Decision column of each held update (a note beside it says why), save the
    master, then run this. Accept puts the update into the Register and on the Updates sheet; Reject leaves
    the Register as it is, and the update is listed on that agency's next return; both are recorded on the
    Audit Log. The Summary is refreshed and the plan validated again in the same save.
    Exits 1 when a decision could not be carried out (each one is named, and stays held).

    \b
    Example:
      ragbook decide ActionPlan.xlsx --who "J Smith"
    """
    from .. import commands  # noqa: PLC0415 - each command loads its use case when it runs

    report = commands.decide_plan(plan, who=(who or "").strip() or _user(), today=today)
    echo_lines(present.decision_lines(report))
    if report.problems:
        sys.exit(1)


def _user() -> str:
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment nor the password database
        raise click.UsageError("could not tell who you are from this computer's account; give --who NAME.") from None
