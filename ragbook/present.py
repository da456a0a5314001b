"""What a person reads after a command or a button press: each use case's report as sentences.

The command line prints these lines; the ribbon shows them in one message box. Both entry layers also share
one error policy (``failure``): a ``RagbookError`` is its own sentence; anything else is one sentence naming
the error and how to see the details, never a traceback.

Every command and button press starts here, so this module imports no use case: the reports are named for
their types only, and what a sentence needs (the Summary's headline) is imported when it is written.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from .core.errors import RagbookError

if TYPE_CHECKING:  # the reports' types, for reading; importing them would load every use case
    from .app.decisions import DecisionReport
    from .app.plan import ColourReport, ImportReport, ValidationReport
    from .app.reports import BoardReport, SummaryReport
    from .app.returns import ConsolidationReport, IssueReport
    from .app.rounds import ChaseReport
    from .core.consolidate import ReturnOutcome

DEBUG_VARIABLE = "RAGBOOK_DEBUG"
FINDINGS_SHOWN = 20  # the findings ``ragbook validate`` lists, unless asked for all of them


def failure(exc: Exception, how_to_see_details: str) -> tuple[str, int]:
    """The sentence a failure is reported with, and the exit code; re-raised when debugging was asked for."""
    if isinstance(exc, RagbookError):
        return str(exc), exc.exit_code
    if os.environ.get(DEBUG_VARIABLE):
        raise exc
    return f"ragbook failed unexpectedly ({exc.__class__.__name__}: {exc}); {how_to_see_details}", 2


# ---------------------------------------------------------------------------- plan
def _import_counts(report: ImportReport, source: str) -> str:
    return (f"Imported {report.actions} actions of {report.review!r} from {source}: {report.added} added, "
            f"{report.updated} updated, {report.unchanged} unchanged.")


def import_lines(report: ImportReport) -> list[str]:
    """What ``ragbook new --from`` and ``ragbook import`` print: every repair, note and index difference."""
    lines = [_import_counts(report, f"{report.source} into {report.plan}")]
    if report.repairs:
        lines.append(f"{len(report.repairs)} repairs of what extraction broke:")
        lines += [f"  - {repair}" for repair in report.repairs]
    lines += [f"  note: {note}" for note in report.notes]
    if report.index_differences:
        lines.append(f"The source's rating index differs from {report.plan}'s; the master's index was kept:")
        lines += [f"  - {difference}" for difference in report.index_differences]
    return lines


def import_message(report: ImportReport, repairs_shown: int = 5) -> str:
    """The Import plan button's message: the counts and the first few repairs."""
    lines = [_import_counts(report, report.source.name)]
    if report.repairs:
        lines.append(f"{len(report.repairs)} repairs of what extraction broke, for example:")
        lines += [f"- {repair}" for repair in report.repairs[:repairs_shown]]
    if report.index_differences:
        lines.append("The source's rating index differs from this workbook's; this workbook's was kept.")
    return "\n".join(lines)


def validation_sentence(report: ValidationReport) -> str:
    return (f"{report.plan}: {report.actions} actions checked, {report.errors} errors, {report.warnings} warnings; "
            f"listed on the Exceptions sheet, {report.marked_cells} cells marked with a note.")


def validation_lines(report: ValidationReport, shown: int | None = FINDINGS_SHOWN) -> list[str]:
    """What ``ragbook validate`` prints: the findings counted by rule, the first ``shown`` findings (all of them
    with ``None``), one a line, and the sentence the button shows."""
    lines = []
    if report.findings:
        counts: dict[tuple[str, str], int] = {}
        for f in report.findings:
            key = (str(f.severity), f.rule)
            counts[key] = counts.get(key, 0) + 1
        width = max(len(rule) for _, rule in counts)
        lines.append("Findings by rule:")
        lines += [f"  {count:>7,}  {severity:<8} {rule}" for (severity, rule), count in
                  sorted(counts.items(), key=lambda item: (item[0][0] != "error", -item[1], item[0][1]))]
        listed = report.findings if shown is None else report.findings[:shown]
        if len(listed) < len(report.findings):
            lines.append(f"The first {len(listed)} of {len(report.findings):,} findings (--all lists every one, "
                         f"--json gives them as JSON):")
        else:
            lines.append("Findings:")
        lines += [f"  {str(f.severity):<8} {f.rule:<{width}}  {f.review} {f.ref}  {f.field}: {f.message}"
                  for f in listed]
    lines.append(validation_sentence(report))
    return lines


def colour_sentence(report: ColourReport) -> str:
    counts = ", ".join(f"{count} {label}" for label, count in report.counts.items()) or "no actions"
    return f"Coloured the ratings of {report.plan}: {counts}."


# ---------------------------------------------------------------------------- returns
def issue_message(report: IssueReport) -> str:
    """The Issue returns button's message."""
    if not report.returns:
        return "No returns were issued: " + "; ".join(report.notes) + "."
    due = f", due {report.due:%d/%m/%Y}" if report.due else ""
    lines = [f"Issued {len(report.returns)} returns (round {report.round}{due}) into {report.returns[0].path.parent}:"]
    lines += [f"- {r.agency}: {r.actions} actions ({r.path.name})" for r in report.returns]
    lines += [f"Note: {note}." for note in report.notes]
    lines += [f"Warning: {warning}." for warning in report.warnings]
    return "\n".join(lines)


def issue_lines(report: IssueReport, out_dir: Path) -> list[str]:
    """What ``ragbook returns`` prints: one line per return, with its id and file."""
    due = f", due {report.due:%d/%m/%Y}" if report.due else ""
    lines = [f"Issued {len(report.returns)} returns (round {report.round}{due}) from {report.plan} into {out_dir}"
             + (", password-protected" if report.encrypted else "") + ":"]
    for item in report.returns:
        draft = f"; draft {item.draft.name}" if item.draft else ""
        lines.append(f"  {item.return_id}  {item.agency}: {item.actions} actions -> {item.path.name}{draft}")
    lines += [f"  note: {note}" for note in report.notes]
    lines += [f"Warning: {warning}." for warning in report.warnings]
    return lines


AWAITED_SHOWN = 10  # the actions a line of ``ragbook chase`` names before it counts the rest


def _when_due(due, overdue: int) -> str:
    days = abs(overdue)
    plural = "s" if days != 1 else ""
    if overdue > 0:
        return f"due {due:%d/%m/%Y}, {days} day{plural} overdue"
    return f"due {due:%d/%m/%Y}, today" if overdue == 0 else f"due {due:%d/%m/%Y}, in {days} day{plural}"


def _awaited(awaited: tuple[str, ...]) -> str:
    shown = ", ".join(awaited[:AWAITED_SHOWN])
    return shown + (f" and {len(awaited) - AWAITED_SHOWN} more" if len(awaited) > AWAITED_SHOWN else "")


def chase_message(report: ChaseReport) -> str:
    """The Chase returns button's message: who was reminded, of what, and how often now."""
    if not report.chased:
        return "No reminders were drafted: " + "; ".join(report.notes) + "."
    lines = [f"Chased {len(report.chased)} returns still awaited, as at {report.today:%d/%m/%Y}:"]
    lines += [f"- {item.agency}: {_when_due(item.due, item.overdue)}; awaiting {_awaited(item.awaited)} (chased "
              f"{item.chases} time{'s' if item.chases != 1 else ''})" for item in report.chased]
    if report.drafts:
        lines.append(f"The reminders (.eml drafts) are in {report.drafts[0].parent}.")
    lines += [f"Note: {note}." for note in report.notes]
    return "\n".join(lines)


def chase_lines(report: ChaseReport) -> list[str]:
    """What ``ragbook chase`` prints: one line per return chased, with the actions it still awaits."""
    if not report.chased:
        return [chase_message(report)]
    lines = [f"Chased {len(report.chased)} returns from {report.plan} as at {report.today:%d/%m/%Y}:"]
    for item in report.chased:
        draft = f" -> {item.draft.name}" if item.draft else ""
        lines.append(f"  {item.return_id}  {item.agency}: {_when_due(item.due, item.overdue)}, chase {item.chases}; "
                     f"awaiting {_awaited(item.awaited)}{draft}")
    lines += [f"  note: {note}" for note in report.notes]
    return lines


def reissue_message(report: IssueReport) -> str:
    """The Re-issue return button's message (and what ``ragbook returns --reissue`` prints)."""
    item = report.returns[0]
    due = f", due {report.due:%d/%m/%Y}" if report.due else ""
    draft = f"; email draft {item.draft.name}" if item.draft else ""
    lines = [f"Re-issued {item.agency}'s return {item.return_id} (round {report.round}{due}) into {item.path.parent}"
             + (", password-protected" if report.encrypted else "") + f": {item.actions} actions ({item.path.name}"
             f"{draft}); a copy that comes back is checked against this one."]
    lines += [f"Note: {note}." for note in report.notes]
    lines += [f"Warning: {warning}." for warning in report.warnings]
    return "\n".join(lines)


def consolidation_message(report: ConsolidationReport) -> str:
    """The Consolidate returns button's message."""
    if not report.outcomes:
        return "No returns were consolidated: " + "; ".join(report.notes) + "."
    counts: dict[str, int] = {}
    for outcome in report.outcomes:
        counts[outcome.status] = counts.get(outcome.status, 0) + 1
    lines = [f"{len(report.outcomes)} returns checked ("
             + ", ".join(f"{n} {status.lower()}" for status, n in counts.items())
             + f"); {report.changes} changes recorded on the Audit Log."]
    for outcome in report.outcomes:
        if outcome.reasons:
            more = f" (and {len(outcome.reasons) - 1} more on the Returns sheet)" if len(outcome.reasons) > 1 else ""
            lines.append(f"- {outcome.status}: {outcome.agency or Path(outcome.path).name}: {outcome.reasons[0]}{more}")
    if report.validation is not None:
        lines.append(revalidation_sentence(report.validation))
    if report.pending:
        lines.append(f"Still pending: {', '.join(report.pending)}.")
    return "\n".join(lines)


def consolidation_lines(report: ConsolidationReport) -> list[str]:
    """What ``ragbook consolidate`` prints: every return's outcome with its reasons and warnings."""
    if not report.outcomes:
        return [consolidation_message(report)]
    lines = [f"Consolidated {len(report.outcomes)} returns into {report.plan}: {report.changes} changes recorded on "
             f"the Audit Log."]
    for outcome in report.outcomes:
        lines += outcome_lines(outcome)
    if report.updates or report.held:
        lines.append(f"{report.updates} updates recorded on the Updates sheet; {report.held} held for review on the "
                     f"Held Updates sheet.")
    if report.validation is not None:
        lines.append(revalidation_sentence(report.validation))
    if report.summary_refreshed:
        lines.append("The Summary sheet was refreshed (returns matrix, movement since the round, overdue actions).")
    if report.pending:
        lines.append(f"Still pending: {', '.join(report.pending)}.")
    return lines


def outcome_lines(outcome: ReturnOutcome) -> list[str]:
    who = f"{outcome.return_id} {outcome.agency} " if outcome.return_id else ""
    lines = [f"  {outcome.status:<16}{who}({Path(outcome.path).name}): {outcome.applied} actions updated"]
    lines += [f"      - {reason}" for reason in outcome.reasons]
    lines += [f"      warning: {warning}" for warning in outcome.warnings]
    return lines


def outcome_json(outcome: ReturnOutcome) -> dict[str, object]:
    return {"file": outcome.path, "return_id": outcome.return_id, "agency": outcome.agency,
            "status": str(outcome.status), "applied": outcome.applied, "reasons": list(outcome.reasons),
            "warnings": list(outcome.warnings),
            "rows": [{"review": r.review, "ref": r.ref, "row": r.row, "state": r.state, "message": r.message}
                     for r in outcome.rows]}


def revalidation_sentence(report: ValidationReport) -> str:
    """How consolidating or applying decisions says it validated the plan again once it had changed it."""
    return (f"Validated again: {report.errors} errors, {report.warnings} warnings on the Exceptions sheet, "
            f"{report.marked_cells} cells marked with a note.")


def decision_message(report: DecisionReport) -> str:
    """The Apply decisions button's message (and the first line of ``ragbook decide``)."""
    if not report.recorded and not report.problems:
        if not report.left:
            return "No updates are held for review; there is nothing to decide."
        return (f"No decisions to apply: {len(report.left)} updates are held on the Held Updates sheet. Type "
                f"Accept or Reject in the Decision column of each (with a note), then apply the decisions.")
    lines = [f"Applied the decisions on the Held Updates sheet: {len(report.accepted)} accepted ({report.changes} "
             f"changes recorded on the Audit Log), {len(report.rejected)} rejected; {len(report.left)} still held."]
    lines += [f"- {problem}" for problem in report.problems]
    if report.validation is not None:
        lines.append(revalidation_sentence(report.validation))
    return "\n".join(lines)


def decision_lines(report: DecisionReport) -> list[str]:
    """What ``ragbook decide`` prints: the counts, each update decided, and each decision not carried out."""
    lines = [decision_message(report).split("\n", 1)[0]]
    for word, rows in (("accepted", report.accepted), ("rejected", report.rejected)):
        lines += [f"  {word:<9}{row.return_id} {row.agency}: {row.review} {row.ref}" for row in rows]
    lines += [f"  not applied: {problem}" for problem in report.problems]
    if report.validation is not None:
        lines.append(revalidation_sentence(report.validation))
    if report.summary_refreshed:
        lines.append("The Summary sheet was refreshed.")
    return lines


# ---------------------------------------------------------------------------- reports
def summary_lines(report: SummaryReport) -> list[str]:
    from .core.summary import headline  # noqa: PLC0415 - only this sentence needs the Summary's wording

    summary = report.summary
    lines = [f"Refreshed the Summary sheet of {report.plan}. {headline(summary)}"]
    if summary.returns:
        lines.append(f"Returns: {sum(r.issued for r in summary.returns)} issued, "
                     f"{sum(r.returned for r in summary.returns)} came back, "
                     f"{sum(r.pending for r in summary.returns)} pending.")
    return lines


def finding_lines(report: BoardReport) -> list[str]:
    return [f"  - {finding.review} {finding.ref}: {finding.as_finding().message}" for finding in report.findings]


def report_sentence(report: BoardReport, out: Path) -> str:
    """The outcome of ``ragbook report``: written (with the personal-data check's result), or refused."""
    if report.refused:
        return (f"Refused to write the public report {out}: {len(report.findings)} possible items "
                f"of personal data, listed above and on the Exceptions sheet of {report.plan}; remove them, or "
                f"accept them with --accept-personal-data.")
    checked = ""
    if report.public:
        checked = (f" after accepting {len(report.findings)} possible items of personal data" if report.findings
                   else "; the personal-data scan found nothing")
    reviews = ", ".join(report.reviews) or "no reviews"
    return f"Wrote the board report {out} ({reviews}){checked}."
