"""The web edition's settings: what ``ragbook server`` is told, passed to every server process as environment
variables (xlwings Server's own ``XLWINGS_*`` ones, and ragbook's ``RAGBOOK_SERVER_*``), so that a service
manager or a container can set the same variables and run the app without the command.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..core.errors import InputError

STATE_DIR = "RAGBOOK_SERVER_STATE_DIR"  # job folders, locks and the add-in's generated files
KEEP_MINUTES = "RAGBOOK_SERVER_KEEP_MINUTES"  # a job folder unused for this long is removed
THREADS = "RAGBOOK_SERVER_THREADS"  # button presses one server process runs at once
LOCK_WAIT = "RAGBOOK_SERVER_LOCK_WAIT"  # seconds a press waits for another on the same workbook
ENTRAID_KEYS = "RAGBOOK_SERVER_ENTRAID_KEYS"  # a file holding Entra ID's signing keys, for a host off the internet
LICENSE_KEY = "XLWINGS_LICENSE_KEY"

# The add-in's own ids, one per xlwings Server environment: Office tells add-ins apart by them, so ragbook's
# must differ from every other xlwings add-in's in the tenant. Set XLWINGS_MANIFEST_ID_PROD to use another.
MANIFEST_IDS = {
    "dev": "8efe9dc6-a919-477d-9494-489d7172bb9a",
    "qa": "be7b15e0-beb0-4fa1-995a-9d2271276e42",
    "uat": "a9cb378a-7293-4e28-85c5-6cb07dd5a0ce",
    "staging": "b855b5a5-3a25-4aea-adfc-a775b31475f3",
    "prod": "f5bc5070-b383-45c7-a9a6-9a4b7e3e4e14",
}

LICENCE_SENTENCE = (
    "xlwings Server needs a licence key: set XLWINGS_LICENSE_KEY (or give --license-key) to 'noncommercial' "
    "if your organisation's use is noncommercial under the PolyForm Noncommercial licence 1.0.0 (it names "
    "government institutions; xlwings' documentation counts internal tools as commercial use, so decide this "
    "with whoever signs off licences), or to your paid xlwings PRO key."
)


@dataclass(frozen=True)
class EntraId:
    tenant_id: str
    client_id: str
    roles: tuple[str, ...] = ()
    keys_file: Path | None = None  # Entra ID's signing keys as a JSON file, for a server that cannot fetch them


@dataclass(frozen=True)
class ServerOptions:
    state_dir: Path
    keep_minutes: int = 60
    threads: int = 4
    lock_wait: float = 5.0
    license_key: str = ""
    hostname: str = ""  # the name (and port) users reach the server at, for the manifest's addresses
    entraid: EntraId | None = None
    extra: dict[str, str] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        """The variables every server process reads (``from_environment`` reads ragbook's back)."""
        env = {
            STATE_DIR: str(self.state_dir),
            KEEP_MINUTES: str(self.keep_minutes),
            THREADS: str(self.threads),
            LOCK_WAIT: str(self.lock_wait),
            **xlwings_settings(self.state_dir),
        }
        if self.license_key:
            env[LICENSE_KEY] = self.license_key
        if self.hostname:
            env["XLWINGS_HOSTNAME"] = self.hostname
        if self.entraid is not None:
            env["XLWINGS_AUTH_PROVIDERS"] = json.dumps(["entraid"])
            env["XLWINGS_AUTH_ENTRAID_TENANT_ID"] = self.entraid.tenant_id
            env["XLWINGS_AUTH_ENTRAID_CLIENT_ID"] = self.entraid.client_id
            env["XLWINGS_AUTH_REQUIRED_ROLES"] = json.dumps(list(self.entraid.roles))
            if self.entraid.keys_file is not None:
                env[ENTRAID_KEYS] = str(self.entraid.keys_file)
        env.update(self.extra)
        return env


def xlwings_settings(state_dir: Path, env: dict[str, str] | None = None) -> dict[str, str]:
    """What xlwings Server is always told: where ragbook's project is, and to leave out what ragbook has no use
    for (socket.io serves only streaming custom functions, and ragbook has none); ragbook's own manifest ids
    unless the organisation set its own."""
    env = os.environ if env is None else env
    settings = {
        "XLWINGS_PROJECT_DIR": str(project_dir(state_dir)),
        "XLWINGS_PROJECT_NAME": "Action Plan",
        "XLWINGS_ENABLE_SOCKETIO": "false",
        "XLWINGS_ENABLE_HOTRELOAD": "false",
        "XLWINGS_ENABLE_EXAMPLES": "false",
        "XLWINGS_ON_SERVER": "true",
    }
    settings.update({f"XLWINGS_MANIFEST_ID_{name.upper()}": value for name, value in MANIFEST_IDS.items()
                     if f"XLWINGS_MANIFEST_ID_{name.upper()}" not in env})
    return settings


@dataclass(frozen=True)
class Running:
    """What a server process needs at run time, read from its environment."""

    state_dir: Path
    keep_minutes: int
    threads: int
    lock_wait: float

    @property
    def jobs_dir(self) -> Path:
        return self.state_dir / "jobs"

    @property
    def locks_dir(self) -> Path:
        return self.state_dir / "locks"

    @property
    def project_dir(self) -> Path:
        return project_dir(self.state_dir)


def project_dir(state_dir: Path) -> Path:
    return state_dir / "addin"


def default_state_dir() -> Path:
    """Where a server run without a state folder keeps its files: one folder per user of this computer."""
    user = os.getuid() if hasattr(os, "getuid") else os.environ.get("USERNAME", "user")
    return Path(tempfile.gettempdir()) / f"ragbook-server-{user}"


def from_environment(env: dict[str, str] | None = None) -> Running:
    env = dict(os.environ if env is None else env)
    state = Path(env.get(STATE_DIR) or default_state_dir())
    return Running(state, _number(env, KEEP_MINUTES, 60, int, 1), _number(env, THREADS, 4, int, 1),
                   _number(env, LOCK_WAIT, 5.0, float, 0.0))


def _number(env: dict[str, str], name: str, default, kind, least):
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        raise InputError(f"{name}={raw!r}: not a number.") from None
    if value < least:
        raise InputError(f"{name}={raw!r}: must be at least {least}.")
    return value


def entraid_keys_file(env: dict[str, str] | None = None) -> Path | None:
    raw = (os.environ if env is None else env).get(ENTRAID_KEYS, "")
    return Path(raw) if raw else None


def make_private_dir(path: Path) -> Path:
    """A folder only this account can read (job folders hold a partnership's plans and returns)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.chmod(path, 0o700)
    except OSError:
        pass  # a file system without Unix permissions (the folder's own access rules apply)
    return path
