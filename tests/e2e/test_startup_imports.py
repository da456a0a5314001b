"""Every command and every button press starts a new Python, so what their entry modules import is pinned here.

Importing ``ragbook.cli`` (every command) or ``ragbook.ribbon`` (every press) must not load the libraries only
some commands need; each command loads its own when it runs. Checked on the import graph of a fresh Python,
not on a time (times are the benchmark's: benchmarks/run.py prints them beside their targets).
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.helpers.paths import ROOT

# Libraries of one or a few commands, and what they bring (numpy comes with openpyxl when it is installed).
HEAVY = ("openpyxl", "rich", "docx", "msoffcrypto", "python_calamine", "oletools", "pandas", "numpy", "lxml",
         "xlwings", "defusedxml", "pyopenvba", "PIL", "matplotlib")
# ragbook's own modules that only some commands use: the use cases and the file adapters.
ONLY_WHEN_USED = ("ragbook.commands", "ragbook.app.plan", "ragbook.app.returns", "ragbook.app.reports",
                  "ragbook.io.master.workbook", "ragbook.io.live.master", "ragbook.io.importers",
                  "ragbook.io.reports", "ragbook.io.returns", "ragbook.library", "ragbook.server")


def modules_after(statement: str) -> list[str]:
    code = f"{statement}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.splitlines()[-1])


def loaded(modules: list[str], names: tuple[str, ...]) -> list[str]:
    return sorted({name for name in names for module in modules if module == name or module.startswith(name + ".")})


@pytest.mark.parametrize("entry", ["import ragbook.cli", "import ragbook.ribbon", "import ragbook",
                                   "from ragbook.cli import main"])
def test_an_entry_module_loads_no_heavy_library(entry):
    modules = modules_after(entry)
    assert loaded(modules, HEAVY) == []
    assert loaded(modules, ONLY_WHEN_USED) == []


def test_the_help_of_every_command_loads_no_heavy_library():
    code = ("import sys\nfrom click.testing import CliRunner\nfrom ragbook.cli import cli\n"
            "for name in sorted(cli.commands):\n"
            "    assert CliRunner().invoke(cli, [name, '--help']).exit_code == 0, name\n")
    modules = modules_after(code)
    assert loaded(modules, HEAVY) == []
    assert loaded(modules, ONLY_WHEN_USED) == []


def test_a_command_loads_what_it_needs_when_it_runs(tmp_path):
    """The lazy imports are real: ``ragbook new`` does load the master's adapter (and openpyxl) when it runs."""
    code = ("from click.testing import CliRunner\nfrom ragbook.cli import cli\n"
            f"assert CliRunner().invoke(cli, ['new', {str(tmp_path / 'plan.xlsx')!r}]).exit_code == 0\n")
    modules = modules_after(code)
    assert "ragbook.io.master.workbook" in modules and "openpyxl" in modules
    assert loaded(modules, ("docx", "rich", "msoffcrypto", "pandas")) == []
