"""``ragbook summary`` and ``ragbook report``: the Report step on the command line."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from .. import present
from .base import DATE, cli, echo_lines, reports_errors

PLAN_FILE = click.Path(path_type=Path, dir_okay=False)


@cli.command("summary")
@click.argument("plan", type=PLAN_FILE)
@click.option("--since", type=DATE, help="Count rating movement from this date (default: since the latest "
                                         "round of returns was issued; the whole audit log if none).")
@click.option("--today", type=DATE, help="Judge what is overdue as at this date instead of today.")
@reports_errors
def summary_command(plan: Path, since: date | None, today: date | None) -> None:
    """Rebuild the Summary sheet: ratings overall, by review, recommendation and lead agency (counts and
    percentages, charts coloured from the Rating Index), overdue actions, movement, slippage and returns.

    \b
    Example:
      ragbook summary ActionPlan.xlsx --since 01/01/2026
    """
    from .. import commands  # noqa: PLC0415 - each command loads its use case when it runs

    echo_lines(present.summary_lines(commands.summary_plan(plan, since=since, today=today)))


@cli.command("report")
@click.argument("plan", type=PLAN_FILE)
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), required=True,
              help="The report to write: FILE.docx, or FILE.pdf (converted by LibreOffice).")
@click.option("--review", help="Report on this review only (default: every review in the plan).")
@click.option("--public", is_flag=True, help="For publication: scan for personal data first, and refuse while "
                                             "any is found.")
@click.option("--accept-personal-data", "accept", is_flag=True,
              help="With --public: publish although the scan found possible personal data (checked by a person).")
@click.option("--since", type=DATE, help="Report rating movement from this date (default: since the latest "
                                         "round of returns was issued).")
@click.option("--today", type=DATE, help="Date the report, and judge what is overdue, as at this date.")
@click.option("--annual", is_flag=True, help="Add the annual report's table: per review, the recommendations and "
                                             "actions implemented, in progress, not started or not implemented "
                                             "(and why).")
@click.option("--plain-tables", "plain", is_flag=True,
              help="Write the plan table without merged cells (each row complete), for publishing on the web.")
@reports_errors
def report_command(plan: Path, out: Path, review: str | None, public: bool, accept: bool,
                   since: date | None, today: date | None, annual: bool, plain: bool) -> None:
    """Write the board report as a committee paper: a cover block (board, title, date, protective marking,
    author, from the Settings sheet), its purpose and what the board is asked to do; the ratings; the
    exceptions (Red, Amber, overdue, held for evidence) with each action's lead, dates and latest update;
    movement since the last round; returns; gaps in the plan; then the full plan and the rating key.

    With --public the free text is first scanned for personal data (emails, phone numbers, NHS numbers,
    dates of birth, postcodes, names next to family words); findings are listed on the Exceptions sheet
    and the report is refused (exit 1) until they are removed or accepted with --accept-personal-data.

    \b
    Example:
      ragbook report ActionPlan.xlsx --out board-report.docx
      ragbook report ActionPlan.xlsx --out committee-papers.pdf --public --plain-tables
      ragbook report ActionPlan.xlsx --out annual-report.docx --annual
    """
    if accept and not public:
        raise click.UsageError("--accept-personal-data only applies to a --public report.")
    from .. import commands  # noqa: PLC0415

    report = commands.report_plan(plan, out, review=review, public=public, accept_findings=accept, since=since,
                                   today=today, annual=annual, plain_tables=plain)
    echo_lines(present.finding_lines(report), err=report.refused)
    if report.refused:
        click.echo(present.report_sentence(report, out), err=True)
        sys.exit(1)
    click.echo(present.report_sentence(report, out))
