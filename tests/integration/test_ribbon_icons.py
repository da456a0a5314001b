"""Every built-in icon the ribbon names is one of Excel's own: an imageMso that Excel does not know shows no
icon, or none at all in some builds. The names are checked against Excel's published control list, committed
as tests/corpus/excel_control_ids.txt (its first lines say where it comes from)."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from ragbook.io.xlsm import package
from tests.helpers.paths import COMMITTED, MACROS, ROOT

EXCEL_CONTROLS = ROOT / "tests" / "corpus" / "excel_control_ids.txt"


def excel_control_ids() -> set[str]:
    lines = EXCEL_CONTROLS.read_text("utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def image_names(custom_ui: bytes) -> dict[str, str]:
    root = ET.fromstring(custom_ui)
    return {element.get("id"): element.get("imageMso") for element in root.iter() if element.get("imageMso")}


def test_the_committed_list_is_excels():
    names = excel_control_ids()
    assert len(names) > 1500
    assert {"FileSave", "Paste", "DataValidation", "PivotTableInsert", "ConditionalFormattingMenu"} <= names
    # Access's and Word's own controls are not Excel's.
    assert not {"ImportTextFile", "ImportExcel", "FileSaveAsWordDocx"} & names


def test_every_ribbon_icon_is_an_excel_control():
    images = image_names((MACROS / "customUI.xml").read_bytes())
    assert len(images) == 11  # every button has one
    unknown = {button: name for button, name in images.items() if name not in excel_control_ids()}
    assert not unknown, f"not in Excel's control list: {unknown}"


def test_the_built_workbook_carries_those_icons():
    assert image_names(package.ribbon_of(COMMITTED.read_bytes())) == image_names((MACROS / "customUI.xml").read_bytes())
