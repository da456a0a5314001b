"""Stand-ins for what Excel gives the ribbon's VBA: the pressed control, the dialogs, the workbook, the files
Windows' FileSystemObject sees, and RunPython.

pyOpenVBA's interpreter runs the real module from macros/; only Excel's side is stood in for. RunPython is
captured instead of starting Python, so a test sees exactly the statement xlwings would run. Excel's own
dialogs (a file, files, a folder, where to save) answer from ``picks``, one each in turn (None: cancelled; a
list: the files of a multiple choice); MsgBox and InputBox answer from the interpreter's ``answers``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pyopenvba.exceptions import VBARuntimeError
from pyopenvba.interpreter import (MISSING, HostBridge, Interpreter, VBAArray, VBACollection, VBAObject, member,
                                   method, setter)
from pyopenvba.interpreter._constants_data import EXCEL_CONSTANTS, OFFICE_CONSTANTS
from pyopenvba.interpreter._runtime import UNRESOLVED

from tests.helpers.paths import MACROS

_CONSTANTS = {k.lower(): v for k, v in {**EXCEL_CONSTANTS, **OFFICE_CONSTANTS}.items()}
XLWINGS_VERSION = "0.37.8"  # the xlwings module's own constant, which these macros read (xlwings.bas is not loaded)
CONF = ("Interpreter_Win", "Interpreter_Mac", "Conda Path", "Conda Env", "Use UDF Server")


OK_AS_OFFERED = object()  # an answer for InputBox: OK, leaving the text it offered


class Ribbon(Interpreter):
    """pyOpenVBA's interpreter, also recording the text each InputBox offered (``offered``)."""

    def __init__(self, host: HostBridge) -> None:
        super().__init__(host)
        self.offered: list[str] = []

    def ask_for_input(self, prompt: str, title: str, default: str) -> object:
        self.offered.append(default)
        if self.answers and self.answers[0] is OK_AS_OFFERED:
            self.answers.pop(0)
            self.answers.insert(0, default)
        return super().ask_for_input(prompt, title, default)


def interpreter(host: HostBridge, *, mac: bool = False) -> Ribbon:
    """The macros/ modules in pyOpenVBA's interpreter, compiled as Windows Excel (or Mac Excel) compiles them."""
    vba = Ribbon(host)
    for path in sorted(MACROS.glob("*.bas")) + sorted(MACROS.glob("*.cls")):
        source = path.read_bytes().decode("cp1252")
        if mac:
            source = source.replace("Option Explicit", "#Const Mac = True\r\nOption Explicit", 1)
        vba.add_module(source, name=path.stem, kind="standard" if path.suffix == ".bas" else "class")
    return vba


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

    def __init__(self, answer: str | None, asked: list) -> None:
        self.answer, self.asked, self.title, self.initial = answer, asked, "", ""

    @member(name="Title")
    def get_title(self) -> str:
        return self.title

    @setter("Title")
    def set_title(self, value: str) -> None:
        self.title = value

    @member(name="InitialFileName")
    def get_initial(self) -> str:
        return self.initial

    @setter("InitialFileName")
    def set_initial(self, value: str) -> None:
        self.initial = value

    @method(name="Show")
    def show(self) -> int:
        self.asked.append(("folder", self.title, self.initial))
        return -1 if self.answer else 0

    @method(name="SelectedItems")
    def selected_items(self, index: int) -> str:
        assert index == 1
        return self.answer


class Application(VBAObject):
    vba_type_name = "Application"

    def __init__(self, picks: list) -> None:
        self.picks = list(picks)
        self.asked: list[tuple] = []  # (kind, title, and what the dialog was given) of every Excel dialog shown
        self.status_bar: object = None

    def _next(self):
        assert self.picks, f"a dialog the test gave no answer for: {self.asked[-1]}"
        return self.picks.pop(0)

    @method(name="GetOpenFilename")
    def get_open_filename(self, FileFilter=MISSING, FilterIndex=MISSING, Title=MISSING, ButtonText=MISSING,
                          MultiSelect=MISSING):
        many = MultiSelect is not MISSING and bool(MultiSelect)
        self.asked.append(("files" if many else "open", Title, FileFilter))
        answer = self._next()
        if answer is None:
            return False
        if many:  # Excel gives an array from 1, even for one file
            return VBAArray([(1, len(answer))], items=list(answer))
        return answer

    @method(name="GetSaveAsFilename")
    def get_save_as_filename(self, InitialFileName=MISSING, FileFilter=MISSING, FilterIndex=MISSING, Title=MISSING,
                             ButtonText=MISSING):
        self.asked.append(("save", Title, FileFilter))
        return self._next() or False

    @member(name="FileDialog")
    def file_dialog(self, fileDialogType):
        return FolderDialog(self._next(), self.asked)

    @member(name="PathSeparator")
    def path_separator(self) -> str:
        return "\\"

    @member(name="StatusBar")
    def get_status_bar(self):
        return self.status_bar

    @setter("StatusBar")
    def set_status_bar(self, value) -> None:
        self.status_bar = value


class Cell(VBAObject):
    vba_type_name = "Range"

    def __init__(self, sheet: Sheet, row: int, column: int) -> None:
        self.sheet, self.row, self.column = sheet, row, column

    @member(name="Value", default=True)
    def value(self):
        rows = self.sheet.rows
        if self.row <= len(rows) and self.column <= len(rows[self.row - 1]):
            return rows[self.row - 1][self.column - 1]
        return ""

    @member(name="Row")
    def row_(self) -> int:
        return self.row


class Sheet(VBAObject):
    vba_type_name = "Worksheet"

    def __init__(self, name: str, rows: list[list[object]]) -> None:
        self.name, self.rows = name, rows

    @member(name="Name")
    def name_(self) -> str:
        return self.name

    @member(name="Cells")
    def cells(self, row, column) -> Cell:
        return Cell(self, int(row), int(column))


class Workbook(VBAObject):
    vba_type_name = "Workbook"

    def __init__(self, path: str, sheets: dict[str, Sheet]) -> None:
        self.path, self.sheets = path, sheets

    @member(name="Path")
    def path_(self) -> str:
        return self.path

    @member(name="Worksheets")
    def worksheets(self, name) -> Sheet:
        if str(name) not in self.sheets:
            raise VBARuntimeError(9, "Subscript out of range")
        return self.sheets[str(name)]


class Folder(VBAObject):
    vba_type_name = "Folder"

    def __init__(self, path: str, files: FileSystem) -> None:
        self.path, self.files = path, files

    @member(name="Path")
    def path_(self) -> str:
        return self.path

    @member(name="SubFolders")
    def sub_folders(self) -> Folders:
        prefix = self.path.rstrip("\\").lower() + "\\"
        names = sorted({p[len(prefix):].split("\\")[0] for p in self.files.existing if p.lower().startswith(prefix)
                        and "\\" in p[len(prefix):]})
        return Folders([Folder(self.path.rstrip("\\") + "\\" + name, self.files) for name in names])


class Folders(VBACollection):
    vba_type_name = "Folders"

    def __init__(self, folders: list[Folder]) -> None:
        self.folders = folders

    def vba_items(self) -> list[object]:
        return list(self.folders)


class FileSystem(VBAObject):
    """Scripting.FileSystemObject over the Windows files a test says exist."""

    vba_type_name = "FileSystemObject"

    def __init__(self, existing: set[str]) -> None:
        self.existing = existing
        self.looked_at: list[str] = []

    @method(name="FileExists")
    def file_exists(self, path) -> bool:
        self.looked_at.append(str(path))
        return str(path).lower() in {p.lower() for p in self.existing}

    @method(name="FolderExists")
    def folder_exists(self, path) -> bool:
        prefix = str(path).rstrip("\\").lower() + "\\"
        return any(p.lower().startswith(prefix) for p in self.existing)

    @method(name="GetParentFolderName")
    def parent_folder_name(self, path) -> str:
        return str(path).rstrip("\\").rsplit("\\", 1)[0]

    @method(name="GetFolder")
    def get_folder(self, path) -> Folder:
        if not self.folder_exists(path):
            raise VBARuntimeError(76, "Path not found")
        return Folder(str(path), self)


class Shell(VBAObject):
    """WScript.Shell, for the one thing the macros ask of it."""

    vba_type_name = "IWshShell3"

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env

    @method(name="ExpandEnvironmentStrings")
    def expand(self, text) -> str:
        out = str(text)
        for name, value in self.env.items():
            out = out.replace(f"%{name}%", value)
        return out


@dataclass
class Setup:
    """The computer the workbook is on: its xlwings.conf sheet, the files there, the user's environment."""

    interpreter: str = ""  # the xlwings.conf sheet's Interpreter_Win
    files: set[str] = field(default_factory=set)  # Windows paths that exist
    env: dict[str, str] = field(default_factory=lambda: {"APPDATA": r"C:\Users\jo\AppData\Roaming"})
    no_file_system: bool = False  # CreateObject("Scripting.FileSystemObject") refused (a locked-down PC)


class ExcelStandIn(HostBridge):
    """Excel as the ribbon module sees it."""

    def __init__(self, *picks, setup: Setup | None = None, active: tuple[str, int] = ("Register", 1),
                 sheets: dict[str, list[list[object]]] | None = None, path: str = r"C:\Plans") -> None:
        self.application = Application(list(picks))
        self.setup = setup or Setup()
        conf = [[key, self.setup.interpreter if key == "Interpreter_Win" else ""] for key in CONF]
        book_sheets = {name: Sheet(name, rows) for name, rows in (sheets or {}).items()}
        book_sheets["xlwings.conf"] = Sheet("xlwings.conf", conf)
        self.book = Workbook(path, book_sheets)
        self.active = book_sheets.get(active[0]) or Sheet(active[0], [])
        self.active_row = active[1]
        self.file_system = FileSystem(self.setup.files)
        self.ran: list[str] = []

    @property
    def asked(self) -> list[tuple]:
        return self.application.asked

    def global_object(self, name: str) -> object:
        found = {"application": self.application, "thisworkbook": self.book, "activesheet": self.active,
                 "activecell": Cell(self.active, self.active_row, 1)}
        return found.get(name.lower(), UNRESOLVED)

    def constant(self, name: str) -> object:
        if name.lower() == "xlwings_version":
            return XLWINGS_VERSION
        return _CONSTANTS.get(name.lower(), UNRESOLVED)

    def create(self, type_name_: str) -> object:
        if type_name_.lower() == "scripting.filesystemobject":
            if self.setup.no_file_system:
                raise VBARuntimeError(429, "ActiveX component can't create object")
            return self.file_system
        if type_name_.lower() == "wscript.shell":
            return Shell(self.setup.env)
        return UNRESOLVED

    def has_global_member(self, name: str) -> bool:
        return name.lower() == "runpython"

    def call_global(self, name: str, args: list[object], named: dict[str, object]) -> object:
        assert name.lower() == "runpython" and len(args) == 1 and not named
        self.ran.append(str(args[0]))
        return 0
