"""``ragbook demo``: the whole journey on the bundled sample plan, as a business team would run it."""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Callable

from . import commands
from .core.model import Agency
from .io.plans import FilePlans

SAMPLE_NAME = "scr-sam-and-kyle-action-plan.txt"

# The business team's "maintain" step for the sample: who leads each action and by when. The sample plan
# itself names no agencies or dates; these are the kind of assignments a partnership would make.
DEMO_AGENCIES = (
    Agency("Partnership Business Unit", "Business Manager", "lscp.business@example.org"),
    Agency("Children's Social Care", "Head of Service", "csc.quality@example.org"),
    Agency("Police", "Detective Inspector, Public Protection", "ppu.returns@example.org"),
    Agency("Health", "Designated Nurse", "safeguarding.health@example.org"),
    Agency("Education", "Education Safeguarding Lead", "education.safeguarding@example.org"),
)
DEMO_ASSIGNMENTS = {
    "1.1": ("Partnership Business Unit", date(2021, 1, 31)),
    "1.2": ("All agencies", date(2021, 6, 30)),
    "1.3": ("Partnership Business Unit", date(2020, 12, 31)),
    "2.1": ("Partnership Business Unit", date(2022, 6, 30)),
    "2.2": ("Children's Social Care; Health", date(2021, 9, 30)),
    "2.3": ("Partnership Business Unit", date(2022, 3, 31)),
    "3.1": ("Children's Social Care", date(2021, 9, 30)),
    "3.2": ("Children's Social Care", date(2020, 12, 31)),
    "3.3": ("Children's Social Care", date(2021, 2, 28)),
    "3.4": ("Partnership Business Unit", date(2021, 6, 30)),
    "4.1": ("Children's Social Care", date(2020, 12, 31)),
    "4.2": ("Children's Social Care; Police; Health; Education", date(2021, 3, 31)),
    "5.1": ("Children's Social Care", date(2020, 10, 31)),
    "5.2": ("Police", date(2020, 11, 30)),
    "5.3": ("Health", date(2020, 11, 30)),
    "5.4": ("Health", date(2021, 3, 31)),
    "5.5": ("Education", date(2021, 3, 31)),
    "5.6": ("All agencies", date(2021, 3, 31)),
}


def sample_plan() -> Path:
    """The bundled sample plan (a real plan, as text pulled out of a Word/PDF table)."""
    return Path(str(resources.files("ragbook") / "data" / SAMPLE_NAME))


def assign_demo_leads(plan: Path) -> int:
    with FilePlans(plan).editing() as master:
        register = master.read_register()
        register.agencies = list(DEMO_AGENCIES)
        assigned = 0
        for position, action in enumerate(register.actions):
            if action.ref in DEMO_ASSIGNMENTS:
                lead, target = DEMO_ASSIGNMENTS[action.ref]
                register.actions[position] = action.with_changes(lead_agency=lead, target_date=target)
                assigned += 1
        master.write_register(register)
    return assigned


def report_demo(plan: Path, folder: Path, say: Callable[[str], None]) -> Path:
    """The Report step: refresh the Summary sheet, then write the board report, checked for publication."""
    summary = commands.summary_plan(plan).summary
    say(f"6. Report: refreshed the Summary sheet ({len(summary.overdue)} overdue actions, "
        f"{sum(m.count for m in summary.movement)} rating movements, charts coloured from the Rating Index)")
    out = folder / "board-report.docx"
    report = commands.report_plan(plan, out, public=True, accept_findings=False)
    if report.refused:
        say(f"   Board report refused for publication: {len(report.findings)} possible items of personal data are "
            f"listed on the Exceptions sheet")
    else:
        say(f"   Board report: {out} (checked for personal data before publication: "
            f"{len(report.findings) or 'nothing'} found)")
    return out


def run_demo(folder: Path, say: Callable[[str], None] = print) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    plan = folder / "ActionPlan.xlsm"  # the ribbon workbook: every step below is also a button on it
    if plan.exists():
        plan.unlink()  # the demo folder is the demo's own: start the journey afresh each time
    say(f"1. Start: creating {plan} from the sample plan {SAMPLE_NAME}")
    report = commands.new_plan(plan, sample_plan())
    say(f"   {report.actions} actions of {report.review!r} imported; {len(report.repairs)} repairs of what "
        f"extraction broke, for example:")
    for repair in report.repairs[:3]:
        say(f"     - {repair}")
    say(f"2. Maintain: assigning lead agencies and target dates to {assign_demo_leads(plan)} actions")
    validation = commands.validate_plan(plan)
    say(f"   Validate: {validation.errors} errors and {validation.warnings} warnings listed on the Exceptions "
        f"sheet; {validation.marked_cells} cells carry a note")
    colours = commands.colour_plan(plan)
    say("   Apply colours: " + ", ".join(f"{n} {label}" for label, n in colours.counts.items()))
    _returns_steps(folder, plan, say)
    report_demo(plan, folder, say)
    say("")
    say(f"Open {plan} first: the Register sheet shows every action coloured by rating; the Exceptions sheet "
        f"lists what to fix.")
    return plan


def _returns_steps(folder: Path, plan: Path, say: Callable[[str], None]) -> None:
    from .demo_returns import run_returns_demo  # noqa: PLC0415 - the returns cycle has its own module

    run_returns_demo(folder, plan, say)
