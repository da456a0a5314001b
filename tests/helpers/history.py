"""A master of the sample plan after two real rounds of returns (issued, filled in, consolidated), for the tests of
the ratings by round on the Summary sheet and in the board report.

Round 1: Police rate 5.2 Green and 4.2 Amber; Health rate 4.2 Green, 5.3 Blue (with evidence) and 5.4 Amber.
Round 2: Police rate 5.2 Amber and 4.2 Red; Health 4.2 Green, 5.3 Blue and 5.4 Green. So 4.2 (shared: the worst
of Amber and Green, then of Red and Green) and 5.2 got worse, 5.4 improved, 5.3 stayed Blue. Education's second
return is still pending after two reminders.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ragbook import commands
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.demo_returns import fill_return
from ragbook.io.plans import FilePlans

ROUNDS = (
    (date(2021, 1, 5), {
        "Police": {"5.2": "G", "4.2": "A"},
        "Health": {"4.2": "G", "5.3": "B", "5.4": "A"},
    }),
    (date(2021, 4, 6), {
        "Police": {"5.2": "A", "4.2": "R"},
        "Health": {"4.2": "G", "5.3": "B", "5.4": "G"},
    }),
)
TODAY = date(2021, 6, 1)  # the sample's dates are of 2020 to 2022: a later day would warn they are years old
CHASED = date(2021, 5, 20)


def answers(ratings: dict[str, str], who: str) -> dict[str, dict[str, object]]:
    return {ref: {"New Rating": rating, "Progress Update": f"Progress on {ref}.", "Updated By": who,
                  **({"Evidence": "Audit report to the board."} if rating == "B" else {})}
            for ref, rating in ratings.items()}


def build_two_rounds(folder: Path) -> Path:
    plan = folder / "ActionPlan.xlsx"
    commands.new_plan(plan, sample_plan())
    assign_demo_leads(plan)
    for number, (issued, by_agency) in enumerate(ROUNDS, start=1):
        report = commands.issue_plan(plan, folder / f"round{number}", due=date(issued.year, issued.month + 1, 2),
                                     today=issued)
        filled = []
        for item in report.returns:
            if item.agency in by_agency:
                fill_return(item.path, answers(by_agency[item.agency], item.agency))
                filled.append(item.path)
        commands.consolidate_plan(plan, filled, today=date(issued.year, issued.month, 25))
    with FilePlans(plan).editing() as master:
        master.write_returns([replace(r, chased=CHASED, chases=2) if r.agency == "Education" and r.is_pending
                              and r.issued == ROUNDS[1][0] else r for r in master.read_returns()])
    return plan
