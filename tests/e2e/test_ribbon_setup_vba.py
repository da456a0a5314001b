"""Before any Python runs, the ribbon's VBA checks that the Python this workbook names is there with ragbook
beside it; when not, one message box says what is wrong and what to do, and RunPython is not called.

Pressed in pyOpenVBA's interpreter, with Windows' FileSystemObject stood in for by the files a test says exist.
"""

from __future__ import annotations

import pytest

from tests.helpers.vba_host import ExcelStandIn, RibbonControl, Setup, interpreter

PYTHON = r"C:\Program Files\Python312\pythonw.exe"
USER_SCRIPTS = r"C:\Users\jo\AppData\Roaming\Python\Python312\Scripts\ragbook.exe"


def press_help(setup: Setup, *, mac: bool = False) -> tuple[ExcelStandIn, object]:
    excel = ExcelStandIn(setup=setup)
    vba = interpreter(excel, mac=mac)
    vba.run("RagbookButton", [RibbonControl("ragbookHelpButton", "help")])
    return excel, vba


def test_python_missing_where_xlwings_conf_says_is_told_before_anything_runs():
    excel, vba = press_help(Setup(interpreter=PYTHON))
    assert excel.ran == []
    (dialog,) = vba.dialogs
    assert dialog[1] == (f"Python was not found at {PYTHON}, where the hidden xlwings.conf sheet of this workbook says "
                         f"it is (Interpreter_Win, cell B1); install Python there, or put the path of the Python that "
                         f"has ragbook in B1 (right-click a sheet tab, Unhide, xlwings.conf), then press the button "
                         f"again.")
    assert dialog[2] == "Action Plan: Python is not set up"


def test_python_without_ragbook_beside_it_is_told_how_to_install_it():
    excel, vba = press_help(Setup(interpreter=PYTHON, files={PYTHON}))
    assert excel.ran == []
    assert vba.dialogs[0][1] == (
        f"ragbook is not installed for the Python at {PYTHON} (there is no ragbook.exe beside it or in its Scripts "
        f"folder); install it with \"C:\\Program Files\\Python312\\python.exe\" -m pip install ragbook, or put the "
        f"path of the Python that has ragbook in B1 of the hidden xlwings.conf sheet, then press the button again.")


@pytest.mark.parametrize("ragbook", [r"C:\Program Files\Python312\Scripts\ragbook.exe",
                                     r"C:\Program Files\Python312\ragbook.exe", USER_SCRIPTS])
def test_ragbook_where_pip_puts_it_lets_the_press_run(ragbook):
    excel, vba = press_help(Setup(interpreter=PYTHON, files={PYTHON, ragbook}))
    assert vba.dialogs == []
    assert len(excel.ran) == 1


def test_a_virtual_environment_has_python_and_ragbook_in_one_folder():
    python = r"C:\Users\jo\ragbook-env\Scripts\pythonw.exe"
    excel, vba = press_help(Setup(interpreter=python, files={python, r"C:\Users\jo\ragbook-env\Scripts\ragbook.exe"}))
    assert vba.dialogs == [] and len(excel.ran) == 1


@pytest.mark.parametrize("setting", ["", "pythonw", r"%LOCALAPPDATA%\Programs\Python\Python312\pythonw.exe"])
def test_what_only_starting_python_could_check_is_left_to_xlwings(setting):
    """Blank is xlwings' default (python on the PATH); a bare name is looked up on the PATH; %VARIABLES% are
    expanded by xlwings. None of them is checked, so none stops a working setup."""
    excel, vba = press_help(Setup(interpreter=setting))
    assert vba.dialogs == [] and len(excel.ran) == 1
    if setting:
        assert excel.file_system.looked_at == []


def test_a_computer_without_the_file_system_object_is_not_stopped():
    excel, vba = press_help(Setup(interpreter=PYTHON, no_file_system=True))
    assert vba.dialogs == [] and len(excel.ran) == 1


def test_on_a_mac_the_check_is_left_to_help():
    """Mac Excel is sandboxed: a Python outside its folders can look missing to VBA, so nothing is checked there."""
    excel, vba = press_help(Setup(interpreter=PYTHON), mac=True)
    assert vba.dialogs == [] and len(excel.ran) == 1


def test_the_check_comes_before_any_question():
    excel = ExcelStandIn(r"C:\Out", setup=Setup(interpreter=PYTHON))
    vba = interpreter(excel)
    vba.run("RagbookButton", [RibbonControl("ragbookIssueReturns", "issue_returns|issue")])
    assert excel.asked == [] and excel.ran == []
    assert vba.dialogs[0][1].startswith("Python was not found")


def test_the_interpreter_setting_is_read_as_xlwings_reads_it():
    vba = interpreter(ExcelStandIn(setup=Setup(interpreter=PYTHON)))
    assert vba.run("ConfSetting", ["Interpreter_Win"]) == PYTHON
    assert vba.run("ConfSetting", ["INTERPRETER_WIN"]) == PYTHON  # xlwings matches the names in any case
    assert vba.run("ConfSetting", ["Interpreter_Mac"]) == ""
    assert vba.run("ConfSetting", ["No such setting"]) == ""
