"""The README stays true: every command is documented, and the two commands are the first ones shown."""

from __future__ import annotations

import pytest

from ragbook.cli import cli
from ragbook.core.rules import RULES
from tests.helpers.paths import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("command", sorted(cli.commands))
def test_every_command_is_in_the_readme(command):
    assert f"`ragbook {command}" in README


def test_every_validation_rule_is_in_the_readme():
    for rule in RULES:
        assert f"`{rule}`" in README, rule


def test_the_first_command_installs_and_runs_the_demo_and_the_second_runs_the_tests():
    blocks = [block.split("```", 1)[0].strip() for block in README.split("```sh\n")[1:]]
    assert blocks[:2] == [
        "python3 -m venv .venv && . .venv/bin/activate && pip install -e '.[test]' && ragbook demo", "pytest"]


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert script.rstrip().splitlines()[-1] == "pytest"
