"""The web edition: the Action Plan buttons through xlwings Server, for PCs without Python and Excel on the web.

An organisation's IT runs this server (``ragbook server``, or ``ragbook.server.app:app`` under a service
manager); its Office add-in, deployed from the Microsoft 365 admin centre, adds the **Action Plan** tab to
Excel (desktop or web) and sends the open workbook to the server when a button is pressed. The server runs
the same button functions as the desktop workbook (``ragbook.ribbon``) on xlwings' remote engine and sends
back what Excel must change. The add-in's manifest, ribbon, task pane and icons are generated from the desktop
ribbon (``macros/customUI.xml``), so both editions have the same buttons.

    ribbon    the buttons, read from customUI.xml, and which of them upload or download files
    manifest  the add-in's manifest.xml (a template xlwings Server fills in)
    taskpane  the task pane; addin_js its script; icons the ribbon's icons
    project   the xlwings Server project, written into the state folder at start
    options   settings, as environment variables every server process reads
    runtime   what a process shares: settings, job folders, the worker pool, the error policy
    jobs      each user's job folders, their expiry, and keeping the server's paths out of sight
    uploads   uploads checked by ragbook's own readers
    router    the task pane's routes: jobs, uploads, downloads
    press     one press: the button function on the workbook, under the workbook's lock
    scripts   the xlwings Server scripts, one per button
    signin    Entra ID's keys from a file, for a host off the internet
    app       the ASGI application

Nothing here is imported by the rest of ragbook but ``ragbook server`` (``cli/server.py``), and only this
package needs the ``server`` extra (``pip install 'ragbook[server]'``).
"""

from __future__ import annotations

from .options import EntraId, ServerOptions

__all__ = ["EntraId", "ServerOptions", "serve"]


def serve(options: ServerOptions, host: str = "127.0.0.1", port: int = 8000, workers: int = 1,
          certfile: str | None = None, keyfile: str | None = None, log_level: str = "info") -> None:
    """Run the server until it is stopped (Ctrl+C, or the service manager)."""
    import os  # noqa: PLC0415

    import uvicorn  # noqa: PLC0415 - the server extra

    os.environ.update(options.environment())
    uvicorn.run("ragbook.server.app:app", host=host, port=port, workers=workers, ssl_certfile=certfile,
                ssl_keyfile=keyfile, log_level=log_level, proxy_headers=True, server_header=False)
