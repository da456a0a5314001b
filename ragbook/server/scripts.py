"""The xlwings Server scripts: one per button of ``ragbook.ribbon.BUTTONS``, under the button's own key.

The add-in posts the open workbook to ``/xlwings/custom-scripts-call/<key>``; xlwings Server turns it into an
``xlwings.Book`` on its remote engine and awaits the script, which hands the press to a worker thread
(``runtime.in_pool``) and returns when it is done. The arguments the add-in sends are the job that holds the
press's files ("" for a button that needs none) and the document's address (for the workbook's lock); ``today``
is for a caller that checks as at another day, as ``ragbook validate --today`` does.

Only these scripts are in the module xlwings Server calls (the add-in's project imports ``__all__``), and a
request for any other name is answered 404 before it reaches xlwings Server (``app``).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

import xlwings as xw
from xlwings.server import script as xlwings_script
from xlwings_server.models import CurrentUser

from ..ribbon import BUTTONS
from .press import press_now
from .runtime import in_pool, owner_of


def _script(key: str) -> Callable[..., Any]:
    async def script(book: xw.Book, user: CurrentUser, job: str = "", document: str = "",
                     today: dt.date | None = None) -> None:
        await in_pool(press_now, book, key, owner_of(user), job or "", document or "", today)

    script.__name__ = script.__qualname__ = key
    script.__doc__ = f"The {BUTTONS[key].label} button."
    # xlwings.server's decorator, whatever the order xlwings was imported in (xw.script is the desktop's
    # unless XLWINGS_ON_SERVER was set before the first import of xlwings).
    return xlwings_script(script)


SCRIPTS = {key: _script(key) for key in BUTTONS}
globals().update(SCRIPTS)
__all__ = list(SCRIPTS)
