"""Stand-ins for what Excel gives the ribbon's VBA: the pressed control, the dialogs, and RunPython.

pyOpenVBA's interpreter runs the real module from macros/; only Excel's side is stood in for. RunPython is
captured instead of starting Python, so a test sees exactly the statement xlwings would run.
"""

from __future__ import annotations

from pyopenvba.interpreter import MISSING, HostBridge, VBAObject, member, method, setter
from pyopenvba.interpreter._constants_data import EXCEL_CONSTANTS, OFFICE_CONSTANTS
from pyopenvba.interpreter._runtime import UNRESOLVED

_CONSTANTS = {k.lower(): v for k, v in {**EXCEL_CONSTANTS, **OFFICE_CONSTANTS}.items()}


class RibbonControl(VBAObject):
    """What Office passes an onAction callback: the button's id and tag."""

    vba_type_name = "IRibbonControl"

    def __init__(self, id_: str, tag: str) -> None:
        self._id, self._tag = id_, tag

    @member(name="Id")
    def id_(self) -> str:
        return self._id

    @member(name="Tag")
    def tag(self) -> str:
        return self._tag


class FolderDialog(VBAObject):
    vba_type_name = "FileDialog"

    def __init__(self, answer: str | None) -> None:
        self.answer, self.title = answer, ""

    @member(name="Title")
    def get_title(self) -> str:
        return self.title

    @setter("Title")
    def set_title(self, value: str) -> None:
        self.title = value

    @method(name="Show")
    def show(self) -> int:
        return -1 if self.answer else 0

    @method(name="SelectedItems")
    def selected_items(self, index: int) -> str:
        assert index == 1
        return self.answer


class Application(VBAObject):
    vba_type_name = "Application"

    def __init__(self, answer: str | None) -> None:
        self.answer = answer
        self.asked: list[tuple[str, object]] = []
        self.status_bar: object = None

    @method(name="GetOpenFilename")
    def get_open_filename(self, FileFilter=MISSING, FilterIndex=MISSING, Title=MISSING, ButtonText=MISSING,
                          MultiSelect=MISSING):
        self.asked.append(("open", Title))
        return self.answer or False

    @method(name="GetSaveAsFilename")
    def get_save_as_filename(self, InitialFileName=MISSING, FileFilter=MISSING, FilterIndex=MISSING, Title=MISSING,
                             ButtonText=MISSING):
        self.asked.append(("save", Title))
        return self.answer or False

    @member(name="FileDialog")
    def file_dialog(self, fileDialogType):
        self.asked.append(("folder", fileDialogType))
        return FolderDialog(self.answer)

    @member(name="StatusBar")
    def get_status_bar(self):
        return self.status_bar

    @setter("StatusBar")
    def set_status_bar(self, value) -> None:
        self.status_bar = value


class ExcelStandIn(HostBridge):
    """Excel as the ribbon module sees it; ``answer`` is what every dialog answers (None: cancelled)."""

    def __init__(self, answer: str | None = None) -> None:
        self.application = Application(answer)
        self.ran: list[str] = []

    def global_object(self, name: str) -> object:
        return self.application if name.lower() == "application" else UNRESOLVED

    def constant(self, name: str) -> object:
        return _CONSTANTS.get(name.lower(), UNRESOLVED)

    def has_global_member(self, name: str) -> bool:
        return name.lower() == "runpython"

    def call_global(self, name: str, args: list[object], named: dict[str, object]) -> object:
        assert name.lower() == "runpython" and len(args) == 1 and not named
        self.ran.append(str(args[0]))
        return 0
