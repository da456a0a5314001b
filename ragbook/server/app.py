"""The web edition's ASGI application: ``ragbook.server.app:app`` (what ``ragbook server`` runs with uvicorn, and
what a container or a service runs under gunicorn with uvicorn's workers).

Importing it reads the settings from the environment (``options``), writes the xlwings Server project into the
state folder (``project``), points xlwings Server at it and imports xlwings Server's app, which then finds
ragbook's scripts, routes, sweeper and templates there. The app is wrapped in a thin guard that answers two
things before xlwings Server sees them: a script name that is not a button (404 and a sentence, rather than
xlwings Server looking the name up in its scripts module), and a workbook larger than the server accepts (413).
"""

from __future__ import annotations

import json
import os
from typing import Any, Awaitable, Callable

from .options import LICENCE_SENTENCE, LICENSE_KEY, from_environment, make_private_dir, xlwings_settings
from .project import write_project
from .ribbon import load_ribbon

MAX_WORKBOOK_BYTES = 512 * 1024 * 1024  # the JSON of a master of 20,000 actions is a small part of this

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict]]
Send = Callable[[dict], Awaitable[None]]


def prepare() -> None:
    """Write the project and set what xlwings Server reads at import; refuses to start without a licence key."""
    if not os.environ.get(LICENSE_KEY):
        raise SystemExit(LICENCE_SENTENCE)
    running = from_environment()
    make_private_dir(running.state_dir)
    make_private_dir(running.jobs_dir)
    write_project(running.project_dir, load_ribbon())
    for name, value in xlwings_settings(running.state_dir).items():  # when run without ``ragbook server``
        os.environ.setdefault(name, value)
    os.environ["XLWINGS_PROJECT_DIR"] = str(running.project_dir)


class Guard:
    """Answers script names that are not buttons, and oversized workbooks, before xlwings Server does."""

    def __init__(self, app: Callable, app_path: str, scripts: set[str]) -> None:
        self.app = app
        self.prefix = f"{app_path}/xlwings/custom-scripts-call/"
        self.scripts = scripts

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") == "http" and scope.get("path", "").startswith(self.prefix):
            name = scope["path"][len(self.prefix):]
            if name not in self.scripts:
                await _answer(send, 404, f"{name!r} is not a button of the Action Plan tab; update the add-in "
                                         f"and the server together.")
                return
            length = dict(scope.get("headers") or []).get(b"content-length", b"0")
            if length.isdigit() and int(length) > MAX_WORKBOOK_BYTES:
                await _answer(send, 413, "The workbook is larger than the Action Plan server accepts.")
                return
        await self.app(scope, receive, send)


async def _answer(send: Send, status: int, sentence: str) -> None:
    body = json.dumps({"detail": sentence}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def build() -> Guard:
    prepare()
    from xlwings_server.config import settings  # noqa: PLC0415 - only after the environment is set
    from xlwings_server.main import main_app  # noqa: PLC0415

    from ..ribbon import BUTTONS  # noqa: PLC0415

    return Guard(main_app, settings.app_path, set(BUTTONS))


app = build()
