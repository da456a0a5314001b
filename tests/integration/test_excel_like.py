"""The benchmark's and tests' 'as Excel saves it' rewrite keeps every value."""

from __future__ import annotations

import shutil
import zipfile

from benchmarks.excel_like import share_strings
from ragbook.io.master.workbook import MasterWorkbook


def test_shared_strings_keep_every_value(sample_master, tmp_path):
    copy = tmp_path / "shared.xlsx"
    shutil.copy(sample_master, copy)
    share_strings(copy)
    with zipfile.ZipFile(copy) as archive:
        assert "xl/sharedStrings.xml" in archive.namelist()
        assert b"inlineStr" not in archive.read("xl/worksheets/sheet1.xml")
    assert MasterWorkbook.open(copy).read_register() == MasterWorkbook.open(sample_master).read_register()
