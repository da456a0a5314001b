"""Fixtures of the use-case tests: a small plan held in a ``FakeMaster``, and the fakes of the other ports."""

from __future__ import annotations

import pytest

from ragbook.core.ledger import Ledger
from tests.helpers.fakes import FakeMaster, FakePlans, FakeReportWriter, FakeReturnFiles
from tests.helpers.small_plan import small_plan


@pytest.fixture
def master() -> FakeMaster:
    return FakeMaster(small_plan(), ledger=Ledger.new())


@pytest.fixture
def plans(master) -> FakePlans:
    return FakePlans(master)


@pytest.fixture
def files() -> FakeReturnFiles:
    return FakeReturnFiles()


@pytest.fixture
def writer() -> FakeReportWriter:
    return FakeReportWriter()
