"""``ragbook build-workbook --check`` on the committed workbooks: exit code and message, in and out of process."""

from __future__ import annotations

import subprocess
import sys

from click.testing import CliRunner

from ragbook.cli import cli
from tests.helpers.paths import COMMITTED, PACKAGED, ROOT


def test_check_command_passes_on_the_committed_workbook():
    result = CliRunner().invoke(cli, ["build-workbook", "--check"])
    assert result.exit_code == 0, result.output
    assert result.output.count(": unchanged.") == 2


def test_check_command_exit_code_and_message():
    result = subprocess.run([sys.executable, "-m", "ragbook", "build-workbook", "--check"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [f"{COMMITTED}: unchanged.", f"{PACKAGED}: unchanged."]
