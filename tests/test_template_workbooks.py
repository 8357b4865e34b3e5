"""The committed blank workbooks (templates/workbooks/) and the template's example settings.

The committed files must be exactly what ``directory-builder template --lang xx`` writes today, compared
part by part (scripts/template_workbooks.py says why not by compressed bytes); the example settings in the
Directory sheet's help must be in the template's language (issue 14).
"""

from __future__ import annotations

import importlib.util
import io
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest

from directory_builder.columns import SETTINGS, SHEET_DIRECTORY
from directory_builder.i18n import SHIPPED_LANGUAGES, gettext_
from directory_builder.util.templates_path import BLANK_WORKBOOKS, blank_workbook_name
from directory_builder.workbook.template import EXAMPLES_IN_WORDS, sheet_names, write_template

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "template_workbooks.py"
FOREIGN = tuple(lang for lang in SHIPPED_LANGUAGES if lang != "en")


@pytest.fixture(scope="module")
def script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("template_workbooks", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("template_workbooks", module)
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------------------- committed


def test_the_committed_folder_is_the_one_templates_path_knows(script: ModuleType) -> None:
    assert script.FOLDER.resolve() == BLANK_WORKBOOKS.resolve() == (ROOT / "templates" / "workbooks").resolve()


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_committed_workbook_matches_the_generator(script: ModuleType, lang: str) -> None:
    assert (BLANK_WORKBOOKS / blank_workbook_name(lang)).is_file(), (
        f"templates/workbooks/{blank_workbook_name(lang)} is missing: run python scripts/template_workbooks.py")
    assert script.differing_parts(lang) == [], (
        f"templates/workbooks/{blank_workbook_name(lang)} is out of date: run python scripts/template_workbooks.py")


def test_no_workbook_for_a_language_that_is_not_shipped(script: ModuleType) -> None:
    assert script.stray_files() == []
    assert script.main(["--check"]) == 0


def test_the_check_sees_a_changed_cell(script: ModuleType, tmp_path: Path) -> None:
    """The comparison can fail: one edited cell in one committed workbook is reported, by its part."""
    script.write_all(tmp_path)
    path = tmp_path / blank_workbook_name("id")
    wb = openpyxl.load_workbook(path)
    wb[sheet_names("id")[SHEET_DIRECTORY]]["B4"] = "ID"
    wb.save(path)
    assert "xl/worksheets/sheet2.xml" in script.differing_parts("id", tmp_path)
    assert all(script.differing_parts(lang, tmp_path) == [] for lang in SHIPPED_LANGUAGES if lang != "id")
    (tmp_path / "directory-template-xx.xlsx").write_bytes(b"")
    assert script.stray_files(tmp_path) == ["directory-template-xx.xlsx"]


def test_the_script_writes_what_the_cli_writes(script: ModuleType, tmp_path: Path) -> None:
    written = write_template(tmp_path / blank_workbook_name("th"), "th")
    assert script.expected_bytes("th") == written.read_bytes()


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_committed_workbook_opens_in_its_language(lang: str) -> None:
    data = (BLANK_WORKBOOKS / blank_workbook_name(lang)).read_bytes()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == list(sheet_names(lang).values())
    assert wb.properties.language == lang


# ---------------------------------------------------------------------------------------------- examples


def _directory_help(path: Path, lang: str) -> list[str]:
    """Column C (help) of every setting row on the Directory sheet of the written workbook."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet_names(lang)[SHEET_DIRECTORY]]
    return [str(row[2]) for row in ws.iter_rows(min_row=3, values_only=True) if row[2]]


@pytest.mark.parametrize("lang", FOREIGN)
def test_example_settings_are_in_the_templates_language(lang: str, tmp_path: Path) -> None:
    helps = "\n".join(_directory_help(write_template(tmp_path / "t.xlsx", lang), lang))
    example = gettext_("Example: {example}", lang)
    for setting in SETTINGS:
        if setting.key in EXAMPLES_IN_WORDS:
            translated = gettext_(setting.example, lang)
            assert translated != setting.example, f"{setting.key}: no {lang} translation of {setting.example!r}"
            assert example.format(example=translated) in helps
            assert setting.example not in helps, f"{setting.key}: English example in the {lang} template"


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_example_codes_stay_codes(lang: str, tmp_path: Path) -> None:
    """Country, languages, dates, numbers and addresses are the same in every language ("ID" is not "รหัส ID")."""
    helps = _directory_help(write_template(tmp_path / "t.xlsx", lang), lang)
    example = gettext_("Example: {example}", lang)
    for setting in SETTINGS:
        if setting.example and setting.key not in EXAMPLES_IN_WORDS:
            assert any(h.endswith("\n" + example.format(example=setting.example)) for h in helps), setting.key


def test_english_examples_unchanged(tmp_path: Path) -> None:
    helps = "\n".join(_directory_help(write_template(tmp_path / "t.xlsx", "en"), "en"))
    for setting in SETTINGS:
        if setting.example:
            assert f"Example: {setting.example}" in helps
