"""Building ``ActionPlan.xlsm``: the register's workbook writer, the VBA in ``macros/``, xlwings, the ribbon.

The steps: openpyxl writes the empty master of the contract (plus the hidden ``xlwings.conf`` sheet);
pyOpenVBA gives it a VBA project holding every module of ``macros/`` and the standalone xlwings VBA shipped
inside the installed, pinned xlwings (``xlwings.bas`` and its ``Dictionary`` class, used on a Mac), a class
module going in as Excel stores one; the project is then made the interoperable one [MS-OVBA] describes,
with no performance cache for any Office build to trust (``vba_project.py``); the ribbon part goes in and
the workbook part gets the macro-enabled content type; the zip is written with fixed times and order so
that building twice gives the same bytes.

The built workbook is committed twice: ``workbook/ActionPlan.xlsm`` for people, and inside the package
(``ragbook/data/ActionPlan.xlsm``) so that ``ragbook new PLAN.xlsm`` works from an installed wheel, where
``macros/`` does not exist.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

import xlwings
from openpyxl import Workbook
from openpyxl.styles import Font
from pyopenvba import ExcelFile
from pyopenvba.vba import VBAModuleKind

from ...core.errors import InputError
from ..master.workbook import blank_book
from ..sheets import contract as c
from . import package, vba_project
from .template import TEMPLATE_NAME
XLWINGS_MODULES = (("xlwings", "xlwings.bas"), ("Dictionary", "addin/Dictionary.cls"))

# The settings RunPython reads from the xlwings.conf sheet: contiguous from A1 (xlwings stops at the first
# blank cell in column A). Blank values fall back to xlwings' defaults: 'python' on the PATH. "Use UDF Server"
# (Windows only) keeps one Python running between button presses instead of starting one per press; it is off
# until a person turns it on, and must hold TRUE or FALSE (xlwings' VBA reads it as a Boolean).
XLWINGS_SETTINGS = (("Interpreter_Win", ""), ("Interpreter_Mac", ""), ("Conda Path", ""), ("Conda Env", ""),
                    ("Use UDF Server", False))
XLWINGS_HELP = (
    "Where is Python? Put the full path of the Python that has ragbook installed in B1 (Windows) or B2 (Mac),",
    "for example C:\\Users\\you\\AppData\\Local\\Programs\\Python\\Python312\\pythonw.exe or /usr/local/bin/python3.",
    "With conda, give Conda Path (the folder conda is installed in) and Conda Env (the environment's name) instead.",
    "Left blank, Excel runs 'python' from the PATH.",
    "Use UDF Server (Windows): TRUE keeps one Python running between presses, so a press does not wait for Python",
    "to start and load ragbook. A press notices an upgraded ragbook and loads it afresh; after upgrading anything",
    "else (xlwings, openpyxl), quit Excel once. Leave FALSE if buttons misbehave after a change.",
)


@dataclass(frozen=True)
class MacroSource:
    name: str
    kind: VBAModuleKind
    text: str  # as VBA keeps it: CRLF line ends


def find_macros_folder(start: Path | None = None) -> Path:
    """``macros/`` of the checkout this ragbook runs from (a developer's command: an installed wheel has none)."""
    here = Path(__file__).resolve()
    for folder in ([start] if start else []) + list(here.parents):
        candidate = folder / "macros"
        if (candidate / "customUI.xml").is_file():
            return candidate
    raise InputError("macros/customUI.xml: not found; run 'ragbook build-workbook' in a ragbook checkout, where "
                     "the VBA sources live.")


def read_macros(folder: Path) -> tuple[list[MacroSource], bytes]:
    """Every ``.bas``/``.cls`` module of ``folder`` (sorted by name) and the ribbon XML."""
    modules = []
    for path in sorted(folder.iterdir()):
        if path.suffix.lower() not in {".bas", ".cls"}:
            continue
        kind = VBAModuleKind.standard if path.suffix.lower() == ".bas" else VBAModuleKind.other
        text = vba_text(path.read_bytes(), path)
        declared = re.search(r'^Attribute VB_Name = "([^"]*)"', text, re.M)
        if declared is None or declared.group(1) != path.stem:
            raise InputError(f"{path}: its Attribute VB_Name must be {path.stem!r}, the file's name, so that the "
                             f"module keeps one name in the workbook.")
        modules.append(_stored(MacroSource(path.stem, kind, text)))
    return modules, (folder / "customUI.xml").read_bytes()


def vba_text(data: bytes, path: Path) -> str:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: is not Windows-1252 text, which VBA needs ({exc}).") from None
    return text.replace("\r\n", "\n").replace("\n", "\r\n")


def xlwings_sources() -> list[MacroSource]:
    """The standalone xlwings VBA of the installed xlwings: it must match the Python side's version."""
    root = Path(xlwings.__file__).parent
    sources = []
    for name, relative in XLWINGS_MODULES:
        kind = VBAModuleKind.standard if relative.endswith(".bas") else VBAModuleKind.other
        sources.append(_stored(MacroSource(name, kind, vba_text((root / relative).read_bytes(), root / relative))))
    return sources


def _stored(source: MacroSource) -> MacroSource:
    """A module as Excel keeps it in its stream: a class without its export block, with Excel's attributes."""
    if source.kind is VBAModuleKind.standard:
        return source
    return MacroSource(source.name, source.kind, vba_project.class_stream_source(source.name, source.text))


def build_workbook(macros: Path | None = None) -> bytes:
    """The bytes of ``ActionPlan.xlsm``; the same bytes every time for the same sources and xlwings."""
    modules, ribbon = read_macros(macros or find_macros_folder())
    with tempfile.TemporaryDirectory() as scratch:
        plain = Path(scratch) / "plain.xlsx"
        book = blank_book()
        _add_xlwings_conf(book)
        book.save(plain)
        xlsm = Path(scratch) / "ActionPlan.xlsm"
        # pyOpenVBA adds a project only to a macro-enabled package; the content type is what makes it one.
        members = package.read_members(plain.read_bytes())
        package.set_macro_enabled(members)
        xlsm.write_bytes(package.write_members(members))
        with ExcelFile(xlsm) as excel:
            project = excel.add_vba_project()
            for module in modules + xlwings_sources():
                project.add_module(module.name, module.text, kind=module.kind)
            excel.save()
        members = package.read_members(xlsm.read_bytes())
    members[package.VBA_PART] = vba_project.interoperable(members[package.VBA_PART])
    package.set_macro_enabled(members)
    package.add_ribbon(members, ribbon)
    package.fix_document_dates(members)
    return package.write_members(members)


def _add_xlwings_conf(book: Workbook) -> None:
    ws = book.create_sheet(c.XLWINGS_CONF)
    for row, (key, value) in enumerate(XLWINGS_SETTINGS, start=1):
        ws.cell(row, 1, key).font = Font(bold=True)
        ws.cell(row, 2, None if value == "" else value)
    for offset, line in enumerate(XLWINGS_HELP, start=len(XLWINGS_SETTINGS) + 2):
        ws.cell(offset, 1, line).font = Font(italic=True, color="595959")
    ws.column_dimensions["A"].width = 18
    ws.column_dimensions["B"].width = 70
    ws.sheet_state = "hidden"


@dataclass(frozen=True)
class BuildOutcome:
    path: Path
    status: str  # "written", "unchanged", "out of date", "missing"


def workbook_targets(macros: Path) -> tuple[Path, Path]:
    """Where the built workbook is committed: for people, and inside the package."""
    root = macros.parent
    return root / "workbook" / TEMPLATE_NAME, root / "ragbook" / "data" / TEMPLATE_NAME


def build_or_check(check: bool, macros: Path | None = None) -> list[BuildOutcome]:
    """Write the workbook where it is committed, or (``check``) only compare what is committed with a build."""
    folder = macros or find_macros_folder()
    data = build_workbook(folder)
    outcomes = []
    for target in workbook_targets(folder):
        current = target.read_bytes() if target.exists() else None
        if current == data:
            outcomes.append(BuildOutcome(target, "unchanged"))
        elif check:
            outcomes.append(BuildOutcome(target, "missing" if current is None else "out of date"))
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
            outcomes.append(BuildOutcome(target, "written"))
    return outcomes
