"""Where the open workbook is on this computer, when Excel names it by a web address.

A workbook opened from a OneDrive or SharePoint folder that is synced to this computer is named by its web
address (``book.fullname`` is ``https://d.docs.live.net/<cid>/...`` for a personal OneDrive,
``https://<tenant>-my.sharepoint.com/personal/<user>/Documents/...`` for OneDrive for work or school,
``https://<tenant>.sharepoint.com/sites/<site>/Shared Documents/...`` for a SharePoint library). The buttons
need the file itself: its lock is a file beside it, and Help checks its folder can be written. The file is
found from what the OneDrive app says it syncs: on Windows its sync engine lists each synced folder in the
registry (``HKCU\\Software\\SyncEngines\\Providers\\OneDrive\\*``: ``UrlNamespace``, the address, and
``MountPoint``, the folder), and it sets ``OneDrive``, ``OneDriveCommercial`` and ``OneDriveConsumer`` to the
folders of the two kinds of personal OneDrive; a Mac keeps them under ``~/Library/CloudStorage``.

``synced_file`` is pure (the environment, the synced folders and the test for a file are passed in), so every
kind of address is tested without a registry; ``here`` reads them on this computer.
"""

from __future__ import annotations

import os
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Sequence
from urllib.parse import unquote

from ..core.errors import InputError

SYNC_ENGINES_KEY = r"Software\SyncEngines\Providers\OneDrive"
# A personal OneDrive's files, after the part of the address that names the drive.
_CONSUMER = re.compile(r"^https://d\.docs\.live\.net/[^/]+/(?P<rest>.+)$", re.IGNORECASE)
_BUSINESS = re.compile(r"^https://[^/]+-my\.sharepoint\.com/personal/[^/]+/Documents/(?P<rest>.+)$", re.IGNORECASE)
_CONSUMER_VARIABLES = ("OneDriveConsumer", "OneDrive")
_BUSINESS_VARIABLES = ("OneDriveCommercial", "OneDrive")


@dataclass(frozen=True)
class SyncedFolder:
    """One folder the OneDrive app keeps in step with a web address."""

    url: str  # UrlNamespace: the address of the folder's files on the web
    folder: Path  # MountPoint: where they are on this computer


def is_web_address(name: str) -> bool:
    return name.strip().lower().startswith(("https://", "http://"))


def candidates(url: str, env: Mapping[str, str], synced: Sequence[SyncedFolder]) -> Iterator[Path]:
    """Every place on this computer the file at ``url`` could be synced to, the most specific first."""
    address = unquote(url.strip())
    for mount in sorted(synced, key=lambda m: len(m.url), reverse=True):  # a synced sub-folder before its library
        prefix = unquote(mount.url.strip()).rstrip("/") + "/"
        if address.casefold().startswith(prefix.casefold()):
            yield _under(mount.folder, address[len(prefix):])
    for pattern, variables in ((_CONSUMER, _CONSUMER_VARIABLES), (_BUSINESS, _BUSINESS_VARIABLES)):
        match = pattern.match(address)
        if match:
            for variable in variables:
                if env.get(variable):
                    yield _under(Path(env[variable]), match.group("rest"))


def _under(folder: Path, rest: str) -> Path:
    return folder.joinpath(*[part for part in rest.split("/") if part])


def synced_file(url: str, env: Mapping[str, str], synced: Sequence[SyncedFolder],
                exists: Callable[[Path], bool] = Path.is_file) -> Path:
    """The synced copy of the workbook at ``url`` on this computer; InputError when there is none."""
    for path in candidates(url, env, synced):
        if exists(path):
            return path
    raise InputError(f"{url}: this workbook is open from OneDrive or SharePoint and no synced copy of it was found "
                     f"on this computer; open it from its synced folder in File Explorer (Finder on a Mac), then "
                     f"press the button again.")


def master_file(book: Any) -> Path | None:
    """The open workbook's file on this computer; None when it is not a file here (xlwings' remote engine, or a
    workbook never saved). A web address is resolved to the synced file, or refused (InputError)."""
    try:
        name = str(book.fullname)
    except (OSError, ValueError):
        return None
    if is_web_address(name):
        env, synced = here()
        return synced_file(name, env, synced)
    path = Path(name)
    try:
        return path if path.is_absolute() and path.is_file() else None
    except (OSError, ValueError):  # a name Python cannot stat (a NUL character, a name too long)
        return None


def here() -> tuple[dict[str, str], list[SyncedFolder]]:
    """This computer's OneDrive folders: the environment and, on Windows, the sync engine's list."""
    env = {name: value for name, value in os.environ.items() if name.lower().startswith("onedrive")}
    if sys.platform == "darwin":
        env.update(mac_folders(Path.home() / "Library" / "CloudStorage"))
    return env, registry_folders() if sys.platform == "win32" else []


def mac_folders(cloud_storage: Path) -> dict[str, str]:
    """A Mac's OneDrive folders as the variables Windows sets: ``OneDrive-Personal`` is the personal OneDrive,
    ``OneDrive-<organisation>`` the one for work or school."""
    found: dict[str, str] = {}
    try:
        folders = sorted(p for p in cloud_storage.iterdir() if p.is_dir() and p.name.startswith("OneDrive"))
    except OSError:
        return found
    for folder in folders:
        variable = "OneDriveConsumer" if folder.name == "OneDrive-Personal" else "OneDriveCommercial"
        found.setdefault(variable, str(folder))
    return found


def registry_folders() -> list[SyncedFolder]:  # pragma: no cover - Windows only
    """The folders the OneDrive app syncs, as its sync engine lists them for this user."""
    import winreg  # noqa: PLC0415 - Windows only

    folders: list[SyncedFolder] = []
    try:
        providers = winreg.OpenKey(winreg.HKEY_CURRENT_USER, SYNC_ENGINES_KEY)
    except OSError:
        return folders  # OneDrive never set up here
    with providers:
        for index in range(winreg.QueryInfoKey(providers)[0]):
            try:
                with winreg.OpenKey(providers, winreg.EnumKey(providers, index)) as provider:
                    url = winreg.QueryValueEx(provider, "UrlNamespace")[0]
                    mount = winreg.QueryValueEx(provider, "MountPoint")[0]
            except OSError:
                continue  # a provider without both values is not a synced folder
            if url and mount:
                folders.append(SyncedFolder(str(url), Path(str(mount))))
    return folders
