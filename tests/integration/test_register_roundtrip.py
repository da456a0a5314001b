"""Whatever people type survives a write and a read-back, as text, unchanged (but for characters XML cannot hold)."""

from __future__ import annotations

import re
import tempfile
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from ragbook.core.model import Action, Register
from ragbook.core.ratings import DEFAULT_INDEX
from ragbook.io.master.workbook import MasterWorkbook

XML_ILLEGAL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
typed_text = st.text(st.characters(codec="utf-8"), max_size=60) | st.sampled_from(
    ["=1+1", "=HYPERLINK(\"http://x\")", "+44 20 7946 0000", "-", "@risk", "  padded  ", "line\nbreak", "a&b<c>\"d\""]
)


def expected(text: str) -> str:
    return XML_ILLEGAL.sub("", text).replace("\r\n", "\n").replace("\r", "\n")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(progress=typed_text, evidence=typed_text, target=st.dates(date(1950, 1, 1), date(2099, 12, 31)))
def test_text_and_dates_survive_the_master(progress, evidence, target):
    with tempfile.TemporaryDirectory() as folder:
        plan = Path(folder) / "p.xlsx"
        master = MasterWorkbook.create(plan)
        action = Action("Review", "1.1", action="Do it.", progress=progress, evidence=evidence, target_date=target)
        master.write_register(Register(DEFAULT_INDEX, [action]))
        master.save()
        (back,) = MasterWorkbook.open(plan).read_register().actions
        assert back.target_date == target
        assert (back.progress, back.evidence) == (expected(progress), expected(evidence))
        cell = load_workbook(plan)["Register"]["H2"]
        if expected(progress):
            assert cell.data_type == "s"
