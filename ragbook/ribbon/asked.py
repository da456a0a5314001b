"""What a button was given: the answers to the dialogs the VBA put up before the press.

The VBA asks with Excel's own dialogs (``macros/Ribbon.bas``) and passes the answers to
``ragbook.ribbon.press``: the file, folder or files chosen, the file holding a password (the password itself
never passes through the VBA, the workbook or a message), and one more answer some buttons need (the agency
to re-issue to, whether a report is for publication, the xlwings version the workbook's macros belong to).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from ..core.errors import InputError


@dataclass(frozen=True)
class Asked:
    chosen: tuple[str, ...] = ()  # the file, folder or files chosen; () when the button asks for none
    password_file: str = ""
    extra: str = ""

    @classmethod
    def of(cls, chosen: str | Sequence[str] = "", password_file: str = "", extra: str = "") -> Asked:
        paths = [chosen] if isinstance(chosen, str) else list(chosen)
        return cls(tuple(str(p) for p in paths if str(p)), str(password_file or ""), str(extra or ""))

    def path(self, what: str) -> Path:
        """The one file or folder chosen."""
        return self.paths(what)[0]

    def paths(self, what: str) -> list[Path]:
        if not self.chosen:
            raise InputError(f"No {what} was chosen; press the button again and choose one.")
        return [Path(p) for p in self.chosen]

    def password(self) -> str | None:
        """The password in the file chosen, or None when none was chosen."""
        if not self.password_file:
            return None
        from ..io.returns.crypto import read_password_file  # noqa: PLC0415 - only a press with a password

        return read_password_file(Path(self.password_file))


def live(book: Any) -> Any:
    """The calling workbook as a ``ports.Master`` (loaded on a press, not when the ribbon's module is)."""
    from ..io.live.master import LiveMaster  # noqa: PLC0415

    return LiveMaster(book)
