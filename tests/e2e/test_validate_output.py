"""What ``ragbook validate`` prints: the findings counted by rule, the first of them, every one when asked; and a
reader that stops reading (``ragbook validate ... | head``) ends it quietly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

from click.testing import CliRunner

from ragbook.cli import cli
from ragbook.core.model import Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.io.master.workbook import MasterWorkbook
from ragbook.present import FINDINGS_SHOWN
from tests.helpers.large import AGENCIES, large_action
from tests.helpers.paths import ROOT


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)


def test_it_counts_the_findings_by_rule_and_lists_the_first(sample_master):
    result = run("validate", sample_master, "--today", "26/11/2026")
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert lines[0] == "Findings by rule:"
    counts = {line.split()[2]: int(line.split()[0]) for line in lines[1:] if line.startswith("    ")}
    assert sum(counts.values()) == 58 and counts["rating-missing"] == 4 and counts["lead-missing"] == 18
    listed = [line for line in lines if line.startswith("  ") and not line.startswith("    ")]
    assert len(listed) == FINDINGS_SHOWN
    assert f"The first {FINDINGS_SHOWN} of 58 findings (--all lists every one, --json gives them as JSON):" in lines
    assert "  error    rating-missing         SCR Sam and Kyle 1.3  RAG: The action has no rating." in lines
    assert lines[-1].endswith("18 actions checked, 5 errors, 53 warnings; listed on the Exceptions sheet, 58 cells "
                              "marked with a note.")


def test_all_lists_every_finding_and_json_gives_them_all(sample_master):
    everything = run("validate", sample_master, "--today", "26/11/2026", "--all").output.splitlines()
    listed = [line for line in everything if line.startswith("  ") and not line.startswith("    ")]
    assert len(listed) == 58 and "Findings:" in everything
    as_json = json.loads(run("validate", sample_master, "--today", "26/11/2026", "--json").output)
    assert len(as_json["findings"]) == 58


def test_a_clean_plan_prints_only_the_sentence(tmp_path):
    plan = tmp_path / "plan.xlsx"
    run("new", plan)
    result = run("validate", plan)
    assert (result.exit_code, result.output) == (0, f"{plan}: 0 actions checked, 0 errors, 0 warnings; listed on "
                                                    f"the Exceptions sheet, 0 cells marked with a note.\n")


def test_a_reader_that_stops_reading_ends_it_quietly(tmp_path):
    """``ragbook validate --all | head -2`` through a real pipe: no traceback, no error sentence, the usual code."""
    plan = tmp_path / "plan.xlsx"
    master = MasterWorkbook.create(plan)
    # 3,000 findings: far more than a pipe's buffer holds
    actions = [large_action(n).with_changes(lead_agency="") for n in range(3000)]
    master.write_register(Register(DEFAULT_INDEX, actions, AGENCIES))
    master.save()
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [sys.executable, "-m", "ragbook", "validate", str(plan), "--all", "--today",
               date(2026, 11, 1).strftime("%d/%m/%Y")]
    ragbook = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    head = subprocess.Popen(["head", "-2"], stdin=ragbook.stdout, stdout=subprocess.PIPE)
    ragbook.stdout.close()  # head alone reads the pipe now: when it exits, ragbook's writes find no reader
    shown, _ = head.communicate(timeout=120)
    said = ragbook.stderr.read().decode()
    code = ragbook.wait(timeout=120)
    assert shown.decode().splitlines()[0] == "Findings by rule:"
    assert said == "" and code in (0, 1), (code, said)
