"""Where the checkout's files are, wherever in tests/ a test module sits."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MACROS = ROOT / "macros"
COMMITTED = ROOT / "workbook" / "ActionPlan.xlsm"
PACKAGED = ROOT / "ragbook" / "data" / "ActionPlan.xlsm"
