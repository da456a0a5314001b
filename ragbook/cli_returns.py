"""``ragbook returns`` and ``ragbook consolidate``: the quarterly returns cycle on the command line.

Registered on the ``ragbook`` group by ``cli.py``; thin over ``returns_cycle``.
"""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path

import click

from . import returns_cycle
from .cli import EXISTING_FILE, DateType, cli, reports_errors
from .core.consolidate import ReturnOutcome
from .io.returns.crypto import read_password_file

PASSWORD_FILE = click.Path(path_type=Path, dir_okay=False, exists=True)


@cli.command("returns")
@click.argument("plan", type=EXISTING_FILE)
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True,
              help="The folder to write the returns (and email drafts) into.")
@click.option("--agency", "agencies", multiple=True, help="Only this agency (repeat for several); default: all.")
@click.option("--due", type=DateType(), help="The date returns are due back, shown to agencies.")
@click.option("--password-file", type=PASSWORD_FILE,
              help="Encrypt each return with the password on this file's first line (Excel's password-to-open).")
@click.option("--eml", is_flag=True, help="Also write a ready-to-send email draft (.eml) per agency.")
@click.option("--today", type=DateType(), hidden=True, help="Issue as at this date (for tests and rehearsals).")
@reports_errors
def returns_command(plan: Path, out_dir: Path, agencies: tuple[str, ...], due: date | None,
                    password_file: Path | None, eml: bool, today: date | None) -> None:
    """Issue one return per agency: a macro-free .xlsx holding only that agency's actions.

    The master records each return in its ledger and shows it as Pending on the Returns sheet.

    \b
    Example:
      ragbook returns ActionPlan.xlsx --out returns-2026-q1 --due 31/03/2026 --eml
    """
    password = read_password_file(password_file) if password_file else None
    report = returns_cycle.issue_plan(plan, out_dir, agencies=list(agencies) or None, due=due, password=password,
                                      eml=eml, today=today)
    if not report.returns:
        click.echo(report.summary())
        sys.exit(1)
    due_text = f", due {report.due:%d/%m/%Y}" if report.due else ""
    click.echo(f"Issued {len(report.returns)} returns (round {report.round}{due_text}) from {plan} into {out_dir}"
               + (", password-protected" if report.encrypted else "") + ":")
    for item in report.returns:
        draft = f"; draft {item.draft.name}" if item.draft else ""
        click.echo(f"  {item.return_id}  {item.agency}: {item.actions} actions -> {item.path.name}{draft}")
    for note in report.notes:
        click.echo(f"  note: {note}")


@cli.command("consolidate")
@click.argument("plan", type=EXISTING_FILE)
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print the outcome of every return as JSON.")
@click.option("--password-file", type=PASSWORD_FILE, help="The password the returns were issued with.")
@click.option("--today", type=DateType(), hidden=True, help="Consolidate as at this date (for tests).")
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
    password = read_password_file(password_file) if password_file else None
    report = returns_cycle.consolidate_plan(plan, list(paths), password=password, today=today)
    if as_json:
        click.echo(json.dumps({"plan": str(plan), "changes": report.changes, "pending": list(report.pending),
                               "notes": list(report.notes),
                               "returns": [_outcome_json(o) for o in report.outcomes]}, indent=2, default=str))
    elif not report.outcomes:
        click.echo(report.summary())
    else:
        click.echo(f"Consolidated {len(report.outcomes)} returns into {plan}: {report.changes} changes recorded on "
                   f"the Audit Log.")
        for outcome in report.outcomes:
            _echo_outcome(outcome)
        if report.summary_refreshed:
            click.echo("The Summary sheet was refreshed (returns matrix, movement since the round, overdue actions).")
        if report.pending:
            click.echo(f"Still pending: {', '.join(report.pending)}.")
    if report.has_problems:
        sys.exit(1)


def _outcome_json(outcome: ReturnOutcome) -> dict[str, object]:
    return {"file": outcome.path, "return_id": outcome.return_id, "agency": outcome.agency,
            "status": outcome.status, "applied": outcome.applied, "reasons": list(outcome.reasons),
            "warnings": list(outcome.warnings),
            "rows": [{"review": r.review, "ref": r.ref, "row": r.row, "state": r.state, "message": r.message}
                     for r in outcome.rows]}


def _echo_outcome(outcome: ReturnOutcome) -> None:
    who = f"{outcome.return_id} {outcome.agency} " if outcome.return_id else ""
    click.echo(f"  {outcome.status:<16}{who}({Path(outcome.path).name}): {outcome.applied} actions updated")
    for reason in outcome.reasons:
        click.echo(f"      - {reason}")
    for warning in outcome.warnings:
        click.echo(f"      warning: {warning}")
