"""A blank template validated before anything is filled in asks for what staff must fill, in its own language.

Seen: `template --lang id` then `validate` asked for 'Nama layanan (en)' and 'Deskripsi (en)' columns the
Indonesian template never had, because the rows of a workbook with Directory-sheet errors were read as English.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import openpyxl
import pytest

from directory_builder.check.validate import validate_workbook
from directory_builder.util.templates_path import BLANK_WORKBOOKS, blank_workbook_name


@pytest.mark.parametrize("lang", ["id", "ms", "vi", "th", "en"])
def test_a_blank_template_asks_for_no_column_it_does_not_have(lang: str) -> None:
    result = validate_workbook(BLANK_WORKBOOKS / blank_workbook_name(lang))
    assert [p for p in result.problems if p.code == "missing-column"] == []
    assert {p.code for p in result.errors} >= {"missing-setting", "no-rows"}


def test_with_the_languages_setting_emptied_the_rows_are_read_in_the_columns_language(tmp_path: Path) -> None:
    path = tmp_path / "wb.xlsx"
    shutil.copy(BLANK_WORKBOOKS / blank_workbook_name("id"), path)
    wb = openpyxl.load_workbook(path)
    directory = wb.worksheets[1]
    emptied = 0
    for row in directory.iter_rows(min_row=1):
        if row[0].value and str(row[0].value).startswith("Bahasa"):
            row[1].value = None
            emptied += 1
    assert emptied == 1
    wb.save(path)
    missing = [p.column for p in validate_workbook(path).problems if p.code == "missing-column"]
    assert missing == []
