"""``ragbook server``: the web edition, the Action Plan buttons through xlwings Server (``ragbook.server``)."""

from __future__ import annotations

import importlib.util
import ipaddress
import shutil
import tempfile
from pathlib import Path

import click

from ..core.errors import InputError
from .base import EXISTING_FILE, cli, reports_errors


@cli.command("server")
@click.option("--host", default="127.0.0.1", show_default=True, help="The address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="The port to listen on.")
@click.option("--workers", type=click.IntRange(1, 64), default=1, show_default=True,
              help="Server processes (presses run side by side on that many cores).")
@click.option("--threads", type=click.IntRange(1, 64), default=4, show_default=True,
              help="Button presses each process works on at once.")
@click.option("--state-dir", type=click.Path(path_type=Path, file_okay=False),
              help="Where users' job folders, the workbook locks and the add-in's files are kept "
                   "(default: a new temporary folder, removed when the server stops).")
@click.option("--keep-minutes", type=click.IntRange(1, 7 * 24 * 60), default=60, show_default=True,
              help="A user's uploaded and downloadable files are removed when unused for this long.")
@click.option("--hostname", help="The name (and port) users reach the server at, e.g. actionplan.example.gov.uk: "
                                 "the manifest's addresses use it.")
@click.option("--certfile", type=EXISTING_FILE, help="TLS certificate (Office add-ins need https).")
@click.option("--keyfile", type=EXISTING_FILE, help="TLS private key, with --certfile.")
@click.option("--license-key", envvar="XLWINGS_LICENSE_KEY",
              help="xlwings Server's licence key: 'noncommercial' or a paid key (see the README).")
@click.option("--entraid-tenant-id", envvar="XLWINGS_AUTH_ENTRAID_TENANT_ID",
              help="Turn on Entra ID sign-in: the organisation's tenant id (with --entraid-client-id).")
@click.option("--entraid-client-id", envvar="XLWINGS_AUTH_ENTRAID_CLIENT_ID",
              help="The add-in's app registration (client) id in Entra ID.")
@click.option("--entraid-role", "roles", multiple=True, help="An app role a user must hold (repeatable).")
@click.option("--entraid-keys", type=EXISTING_FILE,
              help="Entra ID's signing keys as a JSON file, for a host that cannot reach Microsoft.")
@reports_errors
def server_command(host: str, port: int, workers: int, threads: int, state_dir: Path | None, keep_minutes: int,
                   hostname: str | None, certfile: Path | None, keyfile: Path | None, license_key: str | None,
                   entraid_tenant_id: str | None, entraid_client_id: str | None, roles: tuple[str, ...],
                   entraid_keys: Path | None) -> None:
    """Run the web edition: the Action Plan buttons for Excel on the web and for PCs without Python.

    The organisation's IT runs it; its add-in (the manifest at /manifest.xml, deployed from the Microsoft 365
    admin centre) adds the Action Plan tab to Excel, which sends the open workbook here when a button is
    pressed. Buttons that read files take uploads in the add-in's task pane; buttons that make files offer them
    there to download.

    \b
    Example:
      ragbook server --license-key noncommercial
      ragbook server --host 0.0.0.0 --hostname actionplan.example.gov.uk --state-dir /srv/ragbook \\
        --entraid-tenant-id TENANT --entraid-client-id CLIENT
    """
    for module in ("uvicorn", "xlwings_server", "fastapi"):
        if importlib.util.find_spec(module) is None:
            raise InputError("The web edition needs the server extra: pip install 'ragbook[server]'.")
    from ..server import EntraId, ServerOptions, serve  # noqa: PLC0415 - only this command runs the server
    from ..server.options import LICENCE_SENTENCE  # noqa: PLC0415

    if not license_key:
        raise InputError(LICENCE_SENTENCE)
    if bool(entraid_tenant_id) != bool(entraid_client_id):
        raise InputError("Entra ID sign-in needs both --entraid-tenant-id and --entraid-client-id.")
    if bool(certfile) != bool(keyfile):
        raise InputError("https needs both --certfile and --keyfile.")
    entraid = (EntraId(entraid_tenant_id, entraid_client_id, roles, entraid_keys)
               if entraid_tenant_id and entraid_client_id else None)
    temporary = state_dir is None
    state = Path(tempfile.mkdtemp(prefix="ragbook-server-")) if temporary else state_dir.resolve()
    options = ServerOptions(state, keep_minutes, threads, license_key=license_key, hostname=hostname or "",
                            entraid=entraid)
    scheme = "https" if certfile else "http"
    click.echo(f"Action Plan server on {scheme}://{host}:{port}/ (the add-in's manifest: /manifest.xml); users' "
               f"files are removed after {keep_minutes} minutes unused. Stop it with Ctrl+C.")
    if entraid is None and not _loopback(host):
        click.echo("Warning: sign-in is off, so anyone who can reach this address can press the buttons; turn "
                   "on Entra ID sign-in (--entraid-tenant-id, --entraid-client-id).", err=True)
    try:
        serve(options, host, port, workers, str(certfile) if certfile else None, str(keyfile) if keyfile else None)
    finally:
        if temporary:
            shutil.rmtree(state, ignore_errors=True)


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
