"""The built ribbon workbook that ships inside the package, which every new ``.xlsm`` master starts from."""

from __future__ import annotations

from importlib import resources

TEMPLATE_NAME = "ActionPlan.xlsm"


def packaged_template() -> bytes:
    """The committed build (``ragbook/data/ActionPlan.xlsm``), so ``ragbook new PLAN.xlsm`` works from a wheel."""
    return (resources.files("ragbook") / "data" / TEMPLATE_NAME).read_bytes()
