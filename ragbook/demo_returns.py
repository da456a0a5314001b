"""The returns part of ``ragbook demo``: issue returns, fill three in as agencies would, consolidate them,
chase the agencies still pending once the due date has passed, and decide the update held back.

The agencies' answers are written with openpyxl into the very files issued, the way Excel saves a workbook
an agency has typed into; one agency sends its return back saved as CSV under the old name, which
consolidation must reject, and one claims an action complete without evidence, which is held for review.
The reviewer's Accept is typed on the Held Updates sheet through the master's own adapter (an .xlsm saved
by openpyxl alone would lose its ribbon).
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path
from typing import Callable, Mapping

from openpyxl import load_workbook

from dataclasses import replace

from . import commands
from .core.records import Decision
from .core.returns import ACTIONS_SHEET, RETURN_HEADERS
from .io.plans import FilePlans

# What three agencies type into their returns, by ref: column header -> value.
POLICE_ANSWERS = {
    "5.2": {"New Rating": "G", "Progress Update": "Briefing delivered to all PPU staff; refresher booked for "
            "new starters.", "Updated By": "DI Shah"},
    "4.2": {"New Rating": "A", "Progress Update": "Two PPU officers attended the PASS case review; the third "
            "session was postponed.", "Revised Date": date(2026, 6, 30), "Updated By": "DI Shah"},
    "5.6": {"New Rating": "B", "Progress Update": "Escalation policy re-issued to all PPU staff.",
            "Updated By": "DI Shah"},  # complete, but no evidence: held for review
}
REVIEWER = "Business Manager"
HEALTH_ANSWERS = {
    "5.3": {"New Rating": "\u0412", "Progress Update": "Audit of 20 records shows the new template in use.",
            "Evidence": "Record audit, Q3 report to the Safeguarding Committee", "Updated By": "Designated Nurse"},
    "5.4": {"Progress Update": "=Training figures to follow (typed text, not a formula)", "Updated By": "Designated Nurse"},
}


def fill_return(path: Path, answers: Mapping[str, Mapping[str, object]]) -> int:
    """Type ``answers`` (ref -> {column header: value}) into a return, as an agency using Excel would."""
    book = load_workbook(path)
    ws = book[ACTIONS_SHEET]
    column = {header: position for position, header in enumerate(RETURN_HEADERS, start=1)}
    filled = 0
    for row in range(2, ws.max_row + 1):
        ref = str(ws.cell(row, column["Ref"]).value or "")
        for header, value in answers.get(ref, {}).items():
            cell = ws.cell(row, column[header])
            cell.value = value
            if isinstance(value, str) and value.startswith("="):
                cell.data_type = "s"  # typed with a leading apostrophe in Excel: text, not a formula
                cell.quotePrefix = True
            filled += 1
    book.save(path)
    return filled


def save_as_csv(path: Path) -> None:
    """What an agency does when it uses File > Save As > CSV and sends the file back under its old name."""
    book = load_workbook(path, read_only=True)
    rows = [[("" if v is None else v) for v in row] for row in book[ACTIONS_SHEET].iter_rows(values_only=True)]
    book.close()
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)


def run_returns_demo(folder: Path, plan: Path, say: Callable[[str], None] = print, today: date | None = None) -> int:
    """Steps 3-5 of the journey; returns the number of changes consolidation recorded."""
    today = today or date.today()
    out = folder / "returns"  # a new folder: run_demo runs only where the demo has written nothing yet
    report = commands.issue_plan(plan, out, due=today + timedelta(days=28), eml=True, today=today)
    say(f"3. Issue returns: {len(report.returns)} returns (one per agency, with an email draft each) in {out}")
    by_agency = {item.agency: item.path for item in report.returns}
    returned = folder / "returned"
    returned.mkdir(exist_ok=True)
    picked = []
    say(f"4. Agencies reply, in plain Excel, into {returned}:")
    for agency, answers in (("Police", POLICE_ANSWERS), ("Health", HEALTH_ANSWERS), ("Education", None)):
        if agency not in by_agency:
            continue
        target = returned / by_agency[agency].name
        target.write_bytes(by_agency[agency].read_bytes())
        if answers is None:
            save_as_csv(target)
            say(f"   {agency} saved its return as CSV (it must be rejected)")
        else:
            say(f"   {agency} filled in {fill_return(target, answers)} cells")
        picked.append(target)
    result = commands.consolidate_plan(plan, [returned], today=today)
    say(f"5. Consolidate: {result.changes} changes recorded on the Audit Log")
    for outcome in result.outcomes:
        say(f"   {outcome.status}: {outcome.agency or Path(outcome.path).name} ({outcome.applied} actions updated)")
        for reason in outcome.reasons[:2]:
            say(f"     - {reason}")
    if result.pending:
        say(f"   Still pending: {', '.join(result.pending)}")
    chase_and_decide(folder, plan, say, report.due + timedelta(days=1))
    return result.changes


def chase_and_decide(folder: Path, plan: Path, say: Callable[[str], None], after_due: date) -> None:
    """Chase the agencies still pending the day after the due date, then accept the held update."""
    chase = commands.chase_plan(plan, folder / "reminders", today=after_due)
    say(f"   Chase ({after_due:%d/%m/%Y}, the day after the due date): {len(chase.chased)} reminders drafted to "
        f"{', '.join(item.agency for item in chase.chased) or 'nobody'}, each naming the actions still awaited")
    with FilePlans(plan, "ragbook demo").editing() as master:  # the reviewer types Accept on Held Updates
        held = master.read_held()
        master.write_held([replace(h, decision=str(Decision.ACCEPT), decision_note="evidence seen at the "
                                   "partnership meeting", decided_by=REVIEWER) for h in held])
    decided = commands.decide_plan(plan, who=REVIEWER, today=after_due)
    say(f"   Held Updates: {len(held)} update held for review ({', '.join(f'{h.agency} {h.ref}' for h in held)}); "
        f"accepted by the reviewer, so Apply decisions put {decided.changes} changes in the Register and the "
        f"Audit Log")
