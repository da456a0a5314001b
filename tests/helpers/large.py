"""A register of 20,000 actions (the size a partnership's master reaches), for the tests marked ``slow``."""

from __future__ import annotations

from datetime import date, datetime

from ragbook.core.model import Action, Agency

SIZE = 20_000
LIMIT = 25  # the most Excel actions a button may take, whatever the size of the register
AGENCIES = [Agency("Police", "DI", "p@example.org"), Agency("Health", "Nurse", "h@example.org"),
            Agency("Children's Social Care", "Head", "c@example.org")]


def large_action(n: int) -> Action:
    """The ``n``th action of the large register: 40 reviews of 500 actions, rated Blue, Green, Amber in turn."""
    review = f"CSPR {n // 500:03d}"
    ref = f"{n % 500 // 10 + 1}.{n % 10 + 1}"
    rag = "BGA"[n % 3]
    return Action(review, ref, f"Recommendation {ref.split('.')[0]} of {review}.", f"Action {ref}: agencies audit practice.",
                  AGENCIES[n % 3].name, date(2027, 3, 31), date(2027, 6, 30) if rag == "A" else None,
                  f"Progress on {ref}.", "Audit report to the board." if rag == "B" else "", rag,
                  datetime(2026, 10, 1, 9, 30), "import of plans.docx")
