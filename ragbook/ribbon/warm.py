"""Button presses in a Python that stays running between them (xlwings' "Use UDF Server" setting, on Windows).

With the setting on, every press runs ``import ragbook.ribbon; ragbook.ribbon.press(...)`` in the same Python,
so the import is free after the first press, and so would be any stale code or state. Two rules keep a press
in a warm Python the same as a press in a new one:

- No module keeps the workbook's state between presses: each press wraps the calling workbook afresh and reads
  what it needs from it (the only module-level caches are pure functions of their arguments: column letters,
  a keyed hash per ledger key).
- The code is the code installed now: ``buttons`` compares the ragbook files on disk with those the running
  modules were loaded from (their size and modification time, a millisecond's look), and when ragbook was
  upgraded or edited since, forgets every ragbook module so that the press imports them afresh. Libraries
  ragbook uses (xlwings, openpyxl...) are not reloaded: after upgrading them, quit Excel once.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

_PACKAGE = "ragbook"
_loaded: tuple[tuple[str, int, int], ...] | None = None  # the files the running ragbook was loaded from


def fingerprint(root: Path | None = None) -> tuple[tuple[str, int, int], ...]:
    """Each Python file of the installed ragbook with its size and modification time."""
    folder = root or Path(sys.modules[_PACKAGE].__file__).resolve().parent
    found = []
    for path in sorted(folder.rglob("*.py")):
        try:
            stat = path.stat()
        except OSError:
            continue
        found.append((str(path.relative_to(folder)), stat.st_size, stat.st_mtime_ns))
    return tuple(found)


def forget_ragbook() -> None:
    """Drop every ragbook module, so that the next import loads the code on disk."""
    for name in [name for name in sys.modules if name == _PACKAGE or name.startswith(_PACKAGE + ".")]:
        del sys.modules[name]
    importlib.invalidate_caches()


def buttons() -> ModuleType:
    """``ragbook.ribbon.buttons`` as installed now: imported afresh if ragbook changed on disk since it was loaded."""
    global _loaded
    now = fingerprint()
    if _loaded is not None and now != _loaded:
        forget_ragbook()
        module = importlib.import_module(f"{_PACKAGE}.ribbon.buttons")
        importlib.import_module(f"{_PACKAGE}.ribbon.warm")._loaded = now  # the fresh module remembers it
        return module
    _loaded = now
    return importlib.import_module(f"{_PACKAGE}.ribbon.buttons")
