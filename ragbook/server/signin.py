"""Signing in with Entra ID: xlwings Server's own provider, with one addition for a host off the internet.

xlwings Server checks each request's Entra ID token against Microsoft's published signing keys, which it
fetches from Microsoft. A council host that cannot reach the internet can be given those keys as a file
instead (``RAGBOOK_SERVER_ENTRAID_KEYS``, or ``ragbook server --entraid-keys FILE``; the file is what
https://login.microsoftonline.com/common/discovery/v2.0/keys returns, refreshed daily by a scheduled task).
xlwings Server asks ``auth/entraid/jwks.py`` of its project for them (see ``project``), which is this function.
"""

from __future__ import annotations

import json

from ..core.errors import InputError
from .options import entraid_keys_file


async def get_jwks_json() -> dict | None:
    """The key set from the configured file, or None to let xlwings Server fetch Microsoft's."""
    path = entraid_keys_file()
    if path is None:
        return None
    try:
        keys = json.loads(path.read_text("utf-8"))
    except (OSError, ValueError) as exc:
        raise InputError(f"The Entra ID keys file cannot be read ({exc.__class__.__name__}); sign-in is refused "
                         f"until it can.") from None
    if not isinstance(keys, dict) or not isinstance(keys.get("keys"), list):
        raise InputError("The Entra ID keys file is not a key set (a JSON object with a list of keys).")
    return keys
