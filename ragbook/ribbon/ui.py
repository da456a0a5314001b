"""Talking to the person at Excel: the status bar while a button works, and a message box at the end."""

from __future__ import annotations

from typing import Any

TITLE = "Action Plan"


class ExcelUi:
    """Messages and progress in the Excel the calling workbook is open in."""

    def __init__(self, book: Any) -> None:
        self.book = book

    def status(self, text: str | bool) -> None:
        """Excel's status bar; ``False`` hands it back to Excel."""
        try:
            self.book.app.status_bar = text
        except NotImplementedError:
            pass  # the remote engine (Excel on the web) has no status bar; the message box still comes

    def message(self, text: str, *, error: bool = False) -> None:
        title = f"{TITLE}: could not run" if error else TITLE
        self.book.app.alert(text, title=title, mode="critical" if error else "info")
