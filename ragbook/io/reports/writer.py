"""The board report as a file: ``BoardReportFile`` implements ``app.ports.ReportWriter``.

A ``.docx`` is written by ``board_report``; a ``.pdf`` is that document converted by LibreOffice.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from ...core.errors import InputError
from ...core.paper import BoardPaper
from . import pdf
from .board_report import write_report

REPORT_SUFFIXES = {".docx", ".pdf"}


class BoardReportFile:
    def check_target(self, out: Path) -> None:
        if out.suffix.lower() not in REPORT_SUFFIXES:
            raise InputError(f"{out}: a board report is written as .docx or .pdf; choose a name ending in one of them.")
        if not out.parent.is_dir():
            raise InputError(f"{out}: the folder {out.parent} does not exist; create it or choose another place.")
        if out.suffix.lower() == ".pdf":
            pdf.require(out)  # say so before any work is done

    def write(self, out: Path, paper: BoardPaper) -> None:
        if out.suffix.lower() != ".pdf":
            write_report(out, paper)
            return
        with tempfile.TemporaryDirectory(prefix="ragbook-report-") as folder:
            docx = Path(folder) / out.with_suffix(".docx").name
            write_report(docx, paper)
            pdf.convert(docx, out)
