"""Shared fixtures: the real sample plan, fresh masters written by the code, plan files built for tests, a
master with returns issued, and a master with a quarter's history for the summary and report tests.

tests/unit holds the core's tests and the use cases' on in-memory fakes (tests/helpers/fakes.py); tests/integration
the adapters on real files; tests/e2e the command line, the ribbon's buttons, the demo, rendering and real Excel.
"""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from ragbook import commands
from ragbook.app.returns import IssueReport
from ragbook.demo import assign_demo_leads, sample_plan
from tests.helpers.reporting import build_sample, copy_of
from tests.helpers.returns import Cycle, copy_cycle, issue_template

# xlwings' remote engine (the one the ribbon tests drive) is free for noncommercial and government use.
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

SAMPLE = sample_plan()
TODAY = date(2026, 11, 26)


@pytest.fixture
def sample() -> Path:
    return SAMPLE


@pytest.fixture
def sample_master(tmp_path: Path) -> Path:
    """A master created from the sample plan, as `ragbook new PLAN --from SAMPLE` writes it."""
    plan = tmp_path / "ActionPlan.xlsx"
    commands.new_plan(plan, SAMPLE)
    return plan


@pytest.fixture
def maintained(tmp_path: Path) -> Path:
    """The desktop's master (.xlsm) from the sample, with the demo's lead agencies and target dates."""
    plan = tmp_path / "ActionPlan.xlsm"
    commands.new_plan(plan, SAMPLE)
    assign_demo_leads(plan)
    return plan


@pytest.fixture(scope="session")
def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.skip("LibreOffice is not installed")
    return path


# ---------------------------------------------------------------------------- returns
@pytest.fixture(scope="session")
def issued_template(tmp_path_factory) -> tuple[Path, IssueReport]:
    """The sample plan's master with the demo's leads and a round of returns issued (built once; copy it)."""
    return issue_template(tmp_path_factory.mktemp("template"))


@pytest.fixture
def cycle(issued_template, tmp_path) -> Cycle:
    """A fresh copy of the master and its issued returns, for a test to change."""
    return copy_cycle(issued_template, tmp_path)


# ---------------------------------------------------------------------------- summary and reports
@pytest.fixture(scope="session")
def history_master(tmp_path_factory) -> Path:
    """The sample plan with the demo's leads and a quarter of audit and returns history (built once; copy it)."""
    return build_sample(tmp_path_factory.mktemp("history"))


@pytest.fixture
def history_plan(history_master, tmp_path) -> Path:
    """A fresh copy of ``history_master`` for a test to change."""
    return copy_of(history_master, tmp_path / "plan")
