"""The ribbon's VBA, run in pyOpenVBA's interpreter: every button calls Python that exists and runs, each dialog
path reaches Python with what was chosen, every cancel ends the press with nothing run, and a computer that is
not set up is told what to do before any Python runs (tests/e2e/test_ribbon_setup_vba.py)."""

from __future__ import annotations

import ast
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import xlwings as xw

from ragbook import commands
from ragbook.demo import assign_demo_leads, sample_plan
from ragbook.ribbon import BUTTONS
from tests.helpers.officejs import payload_of
from tests.helpers.paths import MACROS
from tests.helpers.vba_host import OK_AS_OFFERED, XLWINGS_VERSION, ExcelStandIn, RibbonControl, interpreter

NS = {"ui": "http://schemas.microsoft.com/office/2006/01/customui"}
BUTTON_XML = ET.parse(MACROS / "customUI.xml").getroot().findall(".//ui:button", NS)
YES, NO, CANCEL = 6, 7, 2  # what MsgBox returns for each button


def press_args(statement: str) -> tuple:
    """The arguments of ragbook.ribbon.press in the statement RunPython was given, as Python reads them."""
    match = re.fullmatch(r"import ragbook\.ribbon; ragbook\.ribbon\.press\((.*)\)", statement)
    assert match, statement
    return ast.literal_eval(f"({match.group(1)},)")


def pressed(tag: str, *picks, answers=(), **host) -> tuple[ExcelStandIn, object]:
    """Press the button with ``tag``: Excel's dialogs answer ``picks``, MsgBox and InputBox ``answers``."""
    excel = ExcelStandIn(*picks, **host)
    vba = interpreter(excel)
    vba.answers = list(answers)
    vba.run("RagbookButton", [RibbonControl("ragbookButton", tag)])
    assert not vba.answers and not excel.application.picks, "every answer the test gave was asked for"
    return excel, vba


def test_every_macros_module_compiles_for_windows_and_mac():
    for mac in (False, True):
        vba = interpreter(ExcelStandIn(), mac=mac)
        assert set(vba.modules) >= {p.stem.lower() for p in MACROS.glob("*.bas")}


def test_the_ribbon_has_the_groups_a_user_thinks_in():
    root = ET.parse(MACROS / "customUI.xml").getroot()
    tab = root.find(".//ui:tab", NS)
    assert tab.get("label") == "Action Plan"
    groups = {g.get("label"): [b.get("label") for b in g.findall("ui:button", NS)] for g in tab.findall("ui:group", NS)}
    assert groups == {"Plan": ["Import plan", "Validate", "Apply colours"],
                      "Returns": ["Issue returns", "Chase returns", "Re-issue return", "Consolidate returns"],
                      "Review": ["Apply decisions"], "Reports": ["Refresh summary", "Board report"], "Help": ["Help"]}
    for button in BUTTON_XML:
        assert button.get("size") == "large" and button.get("imageMso"), button.get("id")
        assert button.get("onAction") == "RagbookButton"  # one dispatcher for every button
        assert button.get("tag").split("|")[0] in BUTTONS
        assert BUTTONS[button.get("tag").split("|")[0]].label == button.get("label")


# ---------------------------------------------------------------------------- every button runs its Python
@pytest.fixture
def master(tmp_path) -> Path:
    """A master with leads and a round of returns issued, so that every button has something to work on."""
    plan = tmp_path / "ActionPlan.xlsm"
    commands.new_plan(plan, sample_plan())
    assign_demo_leads(plan)
    commands.issue_plan(plan, tmp_path / "issued")
    return plan


@pytest.fixture
def caller(master):
    """The workbook as xlwings' remote engine sees it, set as the caller xlwings.Book.caller() returns."""
    book = xw.Book(json=payload_of(master))
    book.set_mock_caller()
    yield book
    del xw.Book._mock_caller


def answers_for(ask: str, tmp_path: Path) -> tuple[list, list, tuple]:
    """(Excel's dialogs' answers, MsgBox/InputBox answers, the press's arguments) of one run of each question."""
    out = tmp_path / "out"
    out.mkdir(exist_ok=True)
    return {
        "": ([], [], ("", "", "")),
        "plan": ([str(sample_plan())], [], (str(sample_plan()), "", "")),
        "issue": ([str(out)], [NO], (str(out), "", "")),
        "chase": ([str(out)], [], (str(out), "", "")),
        "reissue": ([str(out)], ["Police", NO], (str(out), "", "Police")),
        "returns": ([str(tmp_path / "issued")], [YES, NO], (str(tmp_path / "issued"), "", "")),
        "report": ([str(tmp_path / "Board report.docx")], [NO], (str(tmp_path / "Board report.docx"), "", "")),
    }[ask]


@pytest.mark.parametrize("button", BUTTON_XML, ids=[b.get("id") for b in BUTTON_XML])
def test_pressing_each_button_runs_its_python(button, tmp_path, caller):
    tag = button.get("tag")
    key, _, ask = tag.partition("|")
    picks, answers, args = answers_for(ask, tmp_path)
    excel = ExcelStandIn(*picks)
    vba = interpreter(excel)
    vba.answers = list(answers)
    vba.run(button.get("onAction"), [RibbonControl(button.get("id"), tag)])

    # The statement RunPython gets: the button's function, with what the dialogs gave as Python literals.
    (statement,) = excel.ran
    expected = (key, *args) if key != "help" else (key, "", "", XLWINGS_VERSION)  # Help compares xlwings versions
    assert press_args(statement) == expected
    assert excel.application.status_bar == f"Action Plan: {button.get('id')} is running..."
    exec(statement, {})  # noqa: S102 - exactly what xlwings would run, with this workbook as the caller
    alerts = [a for a in caller.json()["actions"] if a["func"] == "alert"]
    assert len(alerts) == 1
    prompt, title, _, mode, _ = alerts[0]["args"]
    assert (title, mode) == ("Action Plan", "info"), prompt


# ---------------------------------------------------------------------------- each dialog path
def test_issue_returns_asks_for_a_folder_then_whether_to_use_a_password():
    excel, vba = pressed("issue_returns|issue", r"C:\Rounds\Q3", answers=[NO])
    assert press_args(excel.ran[0]) == ("issue_returns", r"C:\Rounds\Q3", "", "")
    assert excel.asked == [("folder", "Choose the folder for the returns", "C:\\Plans\\")]  # starts beside the master
    assert vba.dialogs[0][1].startswith("Protect the returns with a password?")

    excel, vba = pressed("issue_returns|issue", r"C:\Rounds\Q3", r"C:\Secrets\round password.txt", answers=[YES])
    assert press_args(excel.ran[0]) == ("issue_returns", r"C:\Rounds\Q3", r"C:\Secrets\round password.txt", "")
    assert excel.asked[1][:2] == ("open", "Choose the file holding the password")


def test_chase_returns_asks_for_the_folder_of_the_reminders():
    excel, vba = pressed("chase_returns|chase", r"C:\Rounds\Q3 reminders")
    assert press_args(excel.ran[0]) == ("chase_returns", r"C:\Rounds\Q3 reminders", "", "")
    assert vba.dialogs == []


@pytest.mark.parametrize(("sheet", "row", "offered"), [("Returns", 3, "Health"), ("Agencies", 2, "Police"),
                                                       ("Returns", 1, ""), ("Register", 3, "")])
def test_re_issue_offers_the_agency_in_the_selected_row(sheet, row, offered):
    sheets = {"Returns": [["Return ID", "Agency", "Issued"], ["R001-Police", "Police", ""],
                          ["R001-Health", "Health", ""]],
              "Agencies": [["Agency", "Contact"], ["Police", "DI"]],
              "Register": [["Review", "Ref", "Recommendation", "Action", "Lead Agency"],
                           ["SCR", "1.1", "", "", "Police"], ["SCR", "1.2", "", "", "Health"]]}
    answers = [OK_AS_OFFERED, NO] if offered else ["Education", NO]
    excel, vba = pressed("reissue_return|reissue", r"C:\Out", answers=answers, active=(sheet, row), sheets=sheets)
    assert vba.offered == [offered]
    assert press_args(excel.ran[0]) == ("reissue_return", r"C:\Out", "", offered or "Education")
    assert excel.asked[0][1] == f"Choose the folder for the return of {offered or 'Education'}"


def test_re_issue_can_use_a_password_file():
    excel, _ = pressed("reissue_return|reissue", r"C:\Out", r"C:\pw.txt", answers=["Police", YES])
    assert press_args(excel.ran[0]) == ("reissue_return", r"C:\Out", r"C:\pw.txt", "Police")


def test_consolidate_reads_a_folder_or_the_files_chosen():
    excel, vba = pressed("consolidate_returns|returns", r"C:\Back", answers=[YES, NO])
    assert press_args(excel.ran[0]) == ("consolidate_returns", r"C:\Back", "", "")
    assert [d[1].split("\n")[0] for d in vba.dialogs] == ["Consolidate every return in a folder?",
                                                          "Are any of these returns protected with a password?"]

    files = [r"C:\Back\R001-Police.xlsx", r"C:\Back\O'Brien's copy.xlsx"]
    excel, _ = pressed("consolidate_returns|returns", files, r"C:\pw.txt", answers=[NO, YES])
    assert press_args(excel.ran[0]) == ("consolidate_returns", files, r"C:\pw.txt", "")
    assert excel.asked[0] == ("files", "Choose the returns", "Returns (*.xlsx),*.xlsx")

    excel, _ = pressed("consolidate_returns|returns", [r"C:\one.xlsx"], answers=[NO, NO])  # one file is a list too
    assert press_args(excel.ran[0]) == ("consolidate_returns", [r"C:\one.xlsx"], "", "")


@pytest.mark.parametrize(("answers", "extra"), [([NO], ""), ([YES, NO], "public"), ([YES, YES], "public accept")])
def test_board_report_asks_whether_it_is_for_publication(answers, extra):
    excel, vba = pressed("board_report|report", r"C:\Papers\Board.pdf", answers=answers)
    assert press_args(excel.ran[0]) == ("board_report", r"C:\Papers\Board.pdf", "", extra)
    assert excel.asked == [("save", "Save the board report as",
                            "Word documents (*.docx),*.docx,PDF documents (*.pdf),*.pdf")]
    assert vba.dialogs[0][1].startswith("Is this report for publication?")
    if len(answers) > 1:
        assert "Yes: I have reviewed them: accept." in vba.dialogs[1][1]


def test_import_plan_asks_for_a_plan():
    excel, _ = pressed("import_plan|plan", r"C:\Plans\SCR.docx")
    assert press_args(excel.ran[0]) == ("import_plan", r"C:\Plans\SCR.docx", "", "")
    assert excel.asked[0][:2] == ("open", "Import plan")


def test_a_workbook_opened_from_a_web_address_starts_the_folder_dialog_nowhere_in_particular():
    excel, _ = pressed("chase_returns|chase", r"C:\Out",
                       path="https://contoso.sharepoint.com/sites/LSCP/Shared Documents")
    assert excel.asked == [("folder", "Choose the folder for the reminders", "")]


# ---------------------------------------------------------------------------- every cancel
CANCELS = {
    "import_plan|plan": [([None], [])],
    "issue_returns|issue": [([None], []), ([r"C:\Out"], [CANCEL]), ([r"C:\Out", None], [YES])],
    "chase_returns|chase": [([None], [])],
    "reissue_return|reissue": [([], [""]), ([None], ["Police"]), ([r"C:\Out"], ["Police", CANCEL]),
                               ([r"C:\Out", None], ["Police", YES])],
    "consolidate_returns|returns": [([], [CANCEL]), ([None], [YES]), ([None], [NO]), ([r"C:\Back"], [YES, CANCEL]),
                                    ([[r"C:\a.xlsx"], None], [NO, YES])],
    "board_report|report": [([None], []), ([r"C:\r.docx"], [CANCEL]), ([r"C:\r.docx"], [YES, CANCEL])],
}


@pytest.mark.parametrize(("tag", "picks", "answers"),
                         [(tag, picks, answers) for tag, runs in CANCELS.items() for picks, answers in runs])
def test_cancelling_any_dialog_runs_nothing(tag, picks, answers):
    excel, vba = pressed(tag, *picks, answers=answers)
    assert excel.ran == []
    assert excel.application.status_bar is None  # not even "is running"
    assert excel.asked or vba.dialogs


def test_every_question_a_tag_names_has_its_cancels_tested():
    asks = {b.get("tag") for b in BUTTON_XML if "|" in b.get("tag")}
    assert asks == set(CANCELS)


# ---------------------------------------------------------------------------- what reaches Python
@pytest.mark.parametrize("text", [r"C:\Users\Siobhan O'Brien\Plans\SCR 2021.docx", "/Users/o'neil/it's \\ here",
                                  "", "plain", "two\nlines\r", "caf\u00e9 \\'"])
def test_paths_reach_python_exactly(text):
    vba = interpreter(ExcelStandIn())
    literal = str(vba.run("PyText", [text]))
    assert ast.literal_eval(literal) == text
    call = str(vba.run("PythonCall", ["import_plan", text, text, text]))
    assert press_args(call) == ("import_plan", text, text, text)


def test_several_files_reach_python_as_a_list():
    vba = interpreter(ExcelStandIn())
    from pyopenvba.interpreter import VBAArray  # noqa: PLC0415

    files = [r"C:\a'b.xlsx", "\\\\server\\share\\c.xlsx"]
    call = str(vba.run("PythonCall", ["consolidate_returns", VBAArray([(1, 2)], items=list(files)), "", ""]))
    assert press_args(call) == ("consolidate_returns", files, "", "")


def test_an_unknown_button_says_so_in_a_message_box(caller):
    exec("import ragbook.ribbon; ragbook.ribbon.press('reticulate', '')", {})  # noqa: S102
    (alert,) = [a for a in caller.json()["actions"] if a["func"] == "alert"]
    assert alert["args"][:2] == ["The ribbon asked for 'reticulate', which this version of ragbook does not have; "
                                 "update ragbook and the workbook together.", "Action Plan: could not run"]
    assert alert["args"][3] == "critical"
