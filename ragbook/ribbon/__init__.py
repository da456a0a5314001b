"""The Python behind the Action Plan ribbon: what each button of ``ActionPlan.xlsm`` runs.

The VBA dispatcher (``macros/Ribbon.bas``) runs ``ragbook.ribbon.press(button, chosen, password_file, extra)``
through xlwings' ``RunPython`` (``chosen`` a path, or a list of paths when several files were chosen); ``press``
finds the calling workbook and runs the button. Importing this package loads no use case and no file-format
library (each button loads its own when pressed), and ``press`` runs the ragbook that is installed now, also in
a Python kept running between presses (``warm``).
"""

from typing import Sequence

from .buttons import BUTTONS, Button, run_button

__all__ = ["BUTTONS", "Button", "press", "run_button"]


def press(key: str, chosen: str | Sequence[str] = "", password_file: str = "", extra: str = "") -> None:
    """What the ribbon runs: the button ``key`` on the workbook that called (``xlwings.Book.caller()``)."""
    from . import warm  # noqa: PLC0415

    warm.buttons().press(key, chosen, password_file, extra)
