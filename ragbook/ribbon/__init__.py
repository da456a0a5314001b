"""The Python behind the Action Plan ribbon: what each button of ``ActionPlan.xlsm`` runs.

The VBA dispatcher (``macros/Ribbon.bas``) runs ``ragbook.ribbon.press(button, chosen)`` through xlwings'
``RunPython``; ``press`` finds the calling workbook and runs the button.
"""

from .buttons import BUTTONS, Button, press, run_button

__all__ = ["BUTTONS", "Button", "press", "run_button"]
