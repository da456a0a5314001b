"""``ragbook demo``: the whole journey on the bundled sample plan, as a business team would run it.

The demo never deletes or overwrites anything: it runs only in a folder that holds none of what it writes
(``DEMO_WRITES``), and otherwise refuses with a sentence naming a free folder. Refusing, rather than quietly
writing into a fresh folder elsewhere, keeps the result where the person asked for it and leaves no doubt about
which workbook is the demo's; the folder a person names may be the one that holds the partnership's real master.
"""

from __future__ import annotations

from datetime import date
from importlib import resources
from pathlib import Path
from typing import Callable

from . import commands
from .core.errors import InputError
from .core.model import Agency
from .core.settings import Settings
from .io.plans import FilePlans

SAMPLE_NAME = "scr-sam-and-kyle-action-plan.txt"
MASTER_NAME = "ActionPlan.xlsm"  # the ribbon workbook: every step of the journey is also a button on it
# What the demo writes into its folder; it runs only where none of these exists yet.
DEMO_WRITES = (MASTER_NAME, "backups", "returns", "returned", "reminders", "board-report.docx")

# The business team's "maintain" step for the sample: who leads each action and by when. The sample plan
# itself names no agencies or dates; these are the kind of assignments a partnership would make.
# The sample is Thurrock's published plan; the contact is made up.
DEMO_SETTINGS = Settings(partnership="Thurrock Safeguarding Children Partnership", contact="Business Manager",
                         email="lscp.business@example.org", marking="OFFICIAL")
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
    with FilePlans(plan, "ragbook demo").editing() as master:
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


def check_demo_folder(folder: Path) -> None:
    """Refuse a folder the demo would change anything in (see the module's docstring)."""
    if folder.exists() and not folder.is_dir():
        raise InputError(f"{folder}: is a file, not a folder; give the demo a new folder, such as "
                         f"{_free_folder(folder)}.")
    taken = [name for name in DEMO_WRITES if (folder / name).exists() or (folder / name).is_symlink()]
    if taken:
        raise InputError(f"{folder}: already holds {', '.join(taken)}, which the demo never replaces; run it in a "
                         f"new folder, such as 'ragbook demo {_free_folder(folder)}', or move those away first.")


def _free_folder(folder: Path) -> Path:
    number = 2
    while folder.with_name(f"{folder.name}-{number}").exists():
        number += 1
    return folder.with_name(f"{folder.name}-{number}")


def first_free_folder(folder: Path) -> Path:
    """``folder`` if the demo may write into it, else the first free ``folder-2``, ``folder-3``..."""
    try:
        check_demo_folder(folder)
    except InputError:
        return _free_folder(folder)
    return folder


def run_demo(folder: Path, say: Callable[[str], None] = print) -> Path:
    check_demo_folder(folder)
    folder.mkdir(parents=True, exist_ok=True)
    plan = folder / MASTER_NAME
    say(f"1. Start: creating {plan} from the sample plan {SAMPLE_NAME}")
    report = commands.new_plan(plan, sample_plan())
    say(f"   {report.actions} actions of {report.review!r} imported; {len(report.repairs)} repairs of what "
        f"extraction broke, for example:")
    for repair in report.repairs[:3]:
        say(f"     - {repair}")
    say(f"2. Maintain: assigning lead agencies and target dates to {assign_demo_leads(plan)} actions, and "
        f"naming the partnership on the Settings sheet")
    with FilePlans(plan, "ragbook demo").editing() as master:
        master.write_settings(DEMO_SETTINGS)
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
