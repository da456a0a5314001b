"""Shared fixtures: the real sample plan, fresh masters written by the code, and plan files built for tests."""

from __future__ import annotations

import os
import shutil
from datetime import date
from pathlib import Path

import pytest

from ragbook import commands
from ragbook.demo import sample_plan

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


@pytest.fixture(scope="session")
def soffice() -> str:
    path = shutil.which("soffice") or shutil.which("libreoffice")
    if path is None:
        pytest.skip("LibreOffice is not installed")
    return path
