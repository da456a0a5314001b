"""ragbook: an Excel-native tracker for multi-agency safeguarding action plans.

``import ragbook`` stays cheap: the library API (``ragbook.open_plan``, see ``ragbook.library``) is loaded
on first use, and with it openpyxl; pandas only when a view's ``to_frame()`` is called.
"""

from __future__ import annotations

_LIBRARY = ("open_plan", "Plan", "View", "Update")

__all__ = list(_LIBRARY)


def __getattr__(name: str) -> object:
    if name in _LIBRARY:
        from . import library  # noqa: PLC0415 - lazy, so that importing ragbook loads nothing heavy

        return getattr(library, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LIBRARY})
