"""What one server process shares between requests: its settings, the job folders, the worker pool that runs
button presses off the event loop, and the one error policy every response follows.

The pool: xlwings Server awaits each script inside its event loop, so a press that worked in the loop itself
would hold up every other user's request until it finished. Each press runs in a worker thread instead
(``RAGBOOK_SERVER_THREADS`` of them a process), and the loop goes on serving uploads, downloads, the task pane
and other presses meanwhile. For presses to run truly side by side on several cores, run several processes
(``ragbook server --workers N``): they share the job folders and the workbook locks, which live on disk.

The error policy is the command line's (``present.failure``): one sentence, never a traceback. Bad input is a
client error: 400 (a file or an argument that cannot be used), 404 (no such job or button), 409 (another press
is working on the same workbook), 413 (an upload larger than its kind may be), 422 (a file refused as unsafe);
anything unexpected is a 500 with one sentence and a reference to the traceback in the server's log.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import secrets
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, Callable, TypeVar

from fastapi import HTTPException

from .. import present
from ..core.errors import MasterBusyError, RagbookError, UnsafeFileError
from .jobs import JobNotFound, Jobs, Redactor
from .options import Running, from_environment
from .ribbon import Ribbon, load_ribbon
from .uploads import TooLarge

logger = logging.getLogger("ragbook.server")
T = TypeVar("T")


@functools.cache
def running() -> Running:
    return from_environment()


@functools.cache
def jobs() -> Jobs:
    return Jobs(running().jobs_dir, running().keep_minutes * 60.0)


@functools.cache
def ribbon() -> Ribbon:
    return load_ribbon()


@functools.cache
def pool() -> ThreadPoolExecutor:
    return ThreadPoolExecutor(max_workers=running().threads, thread_name_prefix="ragbook-press")


async def in_pool(work: Callable[..., T], *args: Any) -> T:
    """``work(*args)`` in a worker thread, awaited without holding up the event loop."""
    return await asyncio.get_running_loop().run_in_executor(pool(), functools.partial(work, *args))


def owner_of(user: Any) -> str:
    return str(getattr(user, "id", None) or "anonymous")


def redactor() -> Redactor:
    """The redactor that hides every path of the server's state folder."""
    return Redactor({}, hide=(running().state_dir,))


STATUS = ((JobNotFound, 404), (TooLarge, 413), (MasterBusyError, 409), (UnsafeFileError, 422), (RagbookError, 400))


def refusal(exc: BaseException, hiding: Redactor | None = None) -> HTTPException:
    """The response for a failure: its one sentence, with no path of the server in it."""
    if isinstance(exc, HTTPException):
        return exc
    hiding = hiding or redactor()
    for kind, status in STATUS:
        if isinstance(exc, kind):
            return HTTPException(status_code=status, detail=hiding.text(str(exc)))
    reference = secrets.token_hex(4)
    logger.error("unexpected failure, reference %s", reference, exc_info=exc)
    sentence, _ = present.failure(exc if isinstance(exc, Exception) else RuntimeError(repr(exc)),
                                  f"the server's log has the details under reference {reference}; tell whoever "
                                  f"runs the Action Plan server.")
    return HTTPException(status_code=500, detail=hiding.text(sentence))


async def sweep_now() -> int:
    return await in_pool(jobs().sweep)


@asynccontextmanager
async def lifespan(app: Any):
    """Every server process sweeps expired job folders while it runs, and finishes its presses when it stops."""
    every = max(5.0, min(60.0, running().keep_minutes * 60.0 / 4))

    async def sweep_forever() -> None:
        while True:
            try:
                removed = await sweep_now()
                if removed:
                    logger.info("removed %d expired job folders", removed)
            except Exception:  # noqa: BLE001 - the sweeper must outlive a folder it could not remove
                logger.exception("sweeping job folders failed")
            await asyncio.sleep(every)

    sweeper = asyncio.create_task(sweep_forever(), name="ragbook-sweeper")
    try:
        yield
    finally:
        sweeper.cancel()
        pool().shutdown(wait=True, cancel_futures=False)
