"""The xlwings Server project the web edition runs: written into the state folder at start, from the sources.

xlwings Server runs a project folder (``XLWINGS_PROJECT_DIR``) holding ``custom_scripts`` (the scripts it can
call), ``routers/custom.py`` (routes of its own), ``lifespan.py``, ``auth/`` (a sign-in provider's overrides),
``templates/`` (the manifest and the task pane, over xlwings Server's own) and ``static/``. Nothing of it is
kept in the repository: the Python files are one-line shims into ``ragbook.server``, and the rest is generated
from ``macros/customUI.xml`` (the manifest, the task pane, the icons) or from ``ragbook.server`` (the add-in's
script). Every start writes it again, so it is always what this ragbook makes; a file is replaced only when
its content changed, atomically, so server processes starting together never see half a file.
"""

from __future__ import annotations

import os
from pathlib import Path

from .addin_js import ADDIN_JS
from .icons import ADDIN_SIZES, SIZES, colour_of, icon_png, initials
from .manifest import ICONS, icon_names, manifest_template
from .options import make_private_dir
from .ribbon import Ribbon
from .taskpane import CSS, taskpane_template

SHIMS = {
    "custom_scripts/__init__.py": "from ragbook.server.scripts import *  # noqa: F401,F403 - the buttons, and only them\n",
    "routers/__init__.py": "",
    "routers/custom.py": "from ragbook.server.router import router  # noqa: F401 - jobs, uploads, downloads\n",
    "lifespan.py": "from ragbook.server.runtime import lifespan  # noqa: F401 - the job sweeper\n",
    "auth/__init__.py": "",
    "auth/entraid/__init__.py": "from xlwings_server.auth.entraid import validate_token  # noqa: F401\n",
    "auth/entraid/jwks.py": "from ragbook.server.signin import get_jwks_json  # noqa: F401\n",
}
HEADER = "# Written by ragbook at start (ragbook/server/project.py); changes here are overwritten.\n"


def project_files(ribbon: Ribbon) -> dict[str, bytes]:
    """Every file of the project, by its path inside the project folder."""
    files = {path: (HEADER + text).encode("utf-8") for path, text in SHIMS.items()}
    files["templates/manifest.xml"] = manifest_template(ribbon).encode("utf-8")
    files["templates/taskpane.html"] = taskpane_template(ribbon).encode("utf-8")
    files["static/ragbook/addin.js"] = ADDIN_JS.encode("utf-8")
    files["static/ragbook/taskpane.css"] = CSS.encode("utf-8")
    for name, (label, position) in icon_names(ribbon).items():
        text = initials(label)
        for size in ADDIN_SIZES if name == "addin" else SIZES:
            files[f"static/{ICONS}/{name}-{size}.png"] = icon_png(text, colour_of(position), size)
    return files


def write_project(folder: Path, ribbon: Ribbon) -> Path:
    """Write the project into ``folder`` (only what changed); returns the folder."""
    make_private_dir(folder)
    for relative, data in project_files(ribbon).items():
        target = folder / relative
        make_private_dir(target.parent)
        try:
            if target.read_bytes() == data:
                continue
        except OSError:
            pass
        partial = target.with_name(f".{target.name}.{os.getpid()}.part")
        partial.write_bytes(data)
        os.replace(partial, target)
    return folder
