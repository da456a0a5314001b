"""Converting a report to PDF with LibreOffice, when it is installed."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

from ...core.errors import InputError

TIMEOUT_SECONDS = 180
# A tagged PDF (headings, tables, lists and the chart's alternative text carried as structure, for screen
# readers), with bookmarks from the headings and the document's title shown instead of its file name.
EXPORT_OPTIONS = json.dumps({
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "ExportBookmarks": {"type": "boolean", "value": "true"},
    "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
    "ExportFormFields": {"type": "boolean", "value": "false"},
}, separators=(",", ":"))


def soffice() -> str | None:
    """The LibreOffice program, or None when it is not installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def require(target: Path) -> str:
    """The LibreOffice program, or the one-sentence reason ``target`` cannot be made without it."""
    program = soffice()
    if program is None:
        raise InputError(f"{target}: cannot be made because LibreOffice (soffice) is not installed; install it, "
                         f"or write a Word report with --out {target.with_suffix('.docx').name}.")
    return program


def convert(source: Path, target: Path) -> Path:
    """Convert ``source`` (a .docx) to the PDF ``target`` through LibreOffice, headless."""
    program = require(target)
    # A profile of its own, so a LibreOffice the user has open (or another conversion) does not block this one.
    with tempfile.TemporaryDirectory(prefix="ragbook-lo-") as profile, \
            tempfile.TemporaryDirectory(prefix="ragbook-pdf-") as outdir:
        command = [program, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless", "--norestore",
                   "--convert-to", f"pdf:writer_pdf_Export:{EXPORT_OPTIONS}", "--outdir", outdir, str(source)]
        try:
            subprocess.run(command, check=False, capture_output=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise InputError(f"{target}: LibreOffice took longer than {TIMEOUT_SECONDS} seconds to convert "
                             f"{source.name}; try again, or open the .docx and save it as PDF.") from None
        produced = Path(outdir) / f"{source.stem}.pdf"
        if not produced.exists():
            raise InputError(f"{target}: LibreOffice did not convert {source.name} to PDF; open the .docx and "
                             f"save it as PDF instead.")
        shutil.move(str(produced), target)
    return target
