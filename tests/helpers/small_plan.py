"""A small plan for the use-case tests: one review, three actions, three agencies (one leading nothing)."""

from __future__ import annotations

from datetime import date

from ragbook.core.model import Action, Agency, Register
from ragbook.core.ratings import DEFAULT_INDEX

REVIEW = "SCR Adult D"
ESCALATION = "Review the escalation procedure."
CARE_PLANS = "Audit the quality of written care plans."


def small_plan() -> Register:
    """Three actions of one review: Police lead one, Police and Health share one, Health leads one; Education is
    on the Agencies sheet but leads nothing."""
    return Register(DEFAULT_INDEX, [
        Action(REVIEW, "1.1", ESCALATION, "Recirculate the escalation policy.", "Police", date(2026, 12, 31),
               progress="Draft shared.", rag="G"),
        Action(REVIEW, "1.2", ESCALATION, "Report on use of the policy.", "Police; Health", date(2026, 9, 30),
               date(2026, 12, 31), progress="Two agencies reported.", rag="A"),
        Action(REVIEW, "2.1", CARE_PLANS, "Audit ten care plans.", "Health", date(2026, 3, 31),
               progress="Audit done.", evidence="Audit report", rag="B"),
    ], [Agency("Police", "DI Shah", "police@example.org"), Agency("Health", "Named Nurse"),
        Agency("Education", "Head", "school@example.org")])
