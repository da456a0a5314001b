"""``ragbook returns``, ``ragbook chase`` and ``ragbook consolidate``: the quarterly returns cycle on the
command line."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from .. import present
from .base import DATE, EXISTING_FILE, PASSWORD_FILE, cli, echo_lines, reports_errors


@cli.command("returns")
@click.argument("plan", type=EXISTING_FILE)
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The folder to write the returns (and email drafts) into.")
@click.option("--agency", "agencies", multiple=True,
              help="Only this agency (repeat for several); default: those In This Round on the Agencies sheet.")
@click.option("--reissue", metavar="AGENCY",
              help="Write this agency's return of the current round again (same return id), instead of a new round.")
@click.option("--due", type=DATE, help="The date returns are due back, shown to agencies; default: the Round "
                                       "sheet's due date, else the end of the quarter (the original due date for "
                                       "--reissue).")
@click.option("--password-file", type=PASSWORD_FILE,
              help="Encrypt each return with the password on this file's first line (Excel's password-to-open).")
@click.option("--eml", is_flag=True, help="Also write a ready-to-send email draft (.eml) per agency.")
@click.option("--today", type=DATE, hidden=True, help="Issue as at this date (for tests and rehearsals).")
@reports_errors
def returns_command(plan: Path, out_dir: Path, agencies: tuple[str, ...], reissue: str | None, due: date | None,
                    password_file: Path | None, eml: bool, today: date | None) -> None:
    """Issue one return per agency: a macro-free .xlsx holding only that agency's actions.

    The master records each return in its ledger and shows it as Pending on the Returns sheet. Warns when
    the plan still has error-level findings. With --reissue, one agency's return of the current round is
    written again (a lost file, a new contact) under the same return id, refused once it has come back.

    \b
    Example:
      ragbook returns ActionPlan.xlsx --out returns-2026-q1 --due 31/03/2026 --eml
      ragbook returns ActionPlan.xlsx --out returns-2026-q1 --reissue Police --eml
    """
    from .. import commands  # noqa: PLC0415 - each command loads its use case when it runs
    from ..io.returns.crypto import read_password_file  # noqa: PLC0415

    if reissue is not None and agencies:
        raise click.UsageError("--reissue writes one agency's return again; leave out --agency.")
    password = read_password_file(password_file) if password_file else None
    if reissue is not None:
        report = commands.reissue_plan(plan, out_dir, reissue, due=due, password=password, eml=eml, today=today)
        click.echo(present.reissue_message(report))
        return
    report = commands.issue_plan(plan, out_dir, agencies=list(agencies) or None, due=due,
                                  password=password, eml=eml, today=today)
    if not report.returns:
        click.echo(present.issue_message(report))
        sys.exit(1)
    echo_lines(present.issue_lines(report, out_dir))


@cli.command("chase")
@click.argument("plan", type=EXISTING_FILE)
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The folder to write the reminder email drafts (.eml) into.")
@click.option("--days-before", type=click.IntRange(min=0),
              help="Also chase returns due within this many days; default: the Round sheet's Chase days before "
                   "due (0: only returns past their due date).")
@click.option("--today", type=DATE, help="Chase as at this date; default: today.")
@click.option("--json", "as_json", is_flag=True, help="Print each return chased as JSON.")
@reports_errors
def chase_command(plan: Path, out_dir: Path, days_before: int | None, today: date | None, as_json: bool) -> None:
    """Draft a reminder to every agency whose return is still awaited past (or near) its due date.

    Each reminder names the return, its due date and each action still awaited; the Returns sheet records
    when each return was chased and how many times (chasing twice on one day counts once). Returns that came
    back are not chased.

    \b
    Example:
      ragbook chase ActionPlan.xlsx --out reminders --days-before 3
    """
    from .. import commands  # noqa: PLC0415

    report = commands.chase_plan(plan, out_dir, days_before=days_before, today=today)
    if as_json:
        click.echo(json.dumps({
            "plan": str(plan), "today": report.today.isoformat(), "notes": list(report.notes),
            "chased": [{"agency": item.agency, "return_id": item.return_id, "due": item.due.isoformat(),
                        "overdue": item.overdue, "awaited": list(item.awaited), "chases": item.chases,
                        "draft": str(item.draft) if item.draft else None, "email": item.email,
                        "contact": item.contact} for item in report.chased]}, indent=2))
    else:
        echo_lines(present.chase_lines(report))


@cli.command("consolidate")
@click.argument("plan", type=EXISTING_FILE)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the outcome of every return as JSON.")
@click.option("--password-file", type=PASSWORD_FILE, help="The password the returns were issued with.")
@click.option("--today", type=DATE, hidden=True, help="Consolidate as at this date (for tests).")
@reports_errors
def consolidate_command(plan: Path, paths: tuple[Path, ...], as_json: bool, password_file: Path | None,
                        today: date | None) -> None:
    """Check returned files (or folders of them) and apply every valid update to the master.

    Each change is recorded on the Audit Log; the Returns sheet shows each return as Received, Partly accepted,
    Rejected or Pending, with reasons. Exits 1 when anything was rejected or held for review.

    \b
    Example:
      ragbook consolidate ActionPlan.xlsx returned/
    """
    from .. import commands  # noqa: PLC0415
    from ..io.returns.crypto import read_password_file  # noqa: PLC0415

    password = read_password_file(password_file) if password_file else None
    report = commands.consolidate_plan(plan, list(paths), password=password, today=today)
    if as_json:
        click.echo(json.dumps({"plan": str(plan), "changes": report.changes, "pending": list(report.pending),
                               "notes": list(report.notes),
                               "returns": [present.outcome_json(o) for o in report.outcomes]}, indent=2, default=str))
    else:
        echo_lines(present.consolidation_lines(report))
    if report.has_problems:
        sys.exit(1)
