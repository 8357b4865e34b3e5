"""The blank template: read back with openpyxl, with the project's own reader, and through LibreOffice."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import unicodedata
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import column_index_from_string, range_boundaries
from openpyxl.worksheet.datavalidation import DataValidation

from directory_builder.check.validate import validate_workbook
from directory_builder.columns import (
    ALL_DISTRICTS,
    DIRECTORY_HXL,
    DISTRICTS_COLUMNS,
    SERVICES_COLUMNS,
    SETTINGS,
    Column,
)
from directory_builder.i18n import SHIPPED_LANGUAGES, gettext_
from directory_builder.util.errors import InputError
from directory_builder.workbook import instructions
from directory_builder.workbook.reader import read_workbook
from directory_builder.workbook.template import (
    DATA_LAST_ROW,
    FILL_INTERNAL,
    FILL_OPTIONAL,
    FILL_REQUIRED,
    build_template_workbook,
    excel_text,
    safe_sheet_name,
    write_template,
)

SHEETS = ["Instructions", "Directory", "Districts", "Services", "Lists"]


def expected_hxl(columns: tuple[Column, ...], languages: list[str]) -> list[str]:
    """Row 2 as columns.py says it must be, computed independently of the template writer."""
    tags: list[str] = []
    for col in columns:
        if col.translatable:
            tags.extend(f"{col.hxl}+i_{code}" for code in languages)
        else:
            tags.append(col.hxl)
    return tags


def row_values(ws: Any, row: int) -> list[object]:
    values = [c.value for c in ws[row]]
    while values and values[-1] is None:
        values.pop()
    return values


@pytest.fixture(scope="module")
def template_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_template(tmp_path_factory.mktemp("tpl") / "directory.xlsx", "en", ["id", "en"])


@pytest.fixture(scope="module")
def wb(template_path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(template_path)


def validations_by_column(ws: Any) -> dict[int, list[DataValidation]]:
    """Data validations keyed by the 1-based column they cover."""
    found: dict[int, list[DataValidation]] = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            min_col, _min_row, max_col, _max_row = range_boundaries(rng.coord)
            for col in range(min_col, max_col + 1):
                found.setdefault(col, []).append(dv)
    return found


def list_values(wb: openpyxl.Workbook, formula: str) -> list[object]:
    """The cells a list validation's formula points at ('Lists'!$A$2:$A$7)."""
    sheet, ref = formula.lstrip("=").rsplit("!", 1)
    sheet = sheet.strip("'").replace("''", "'")
    return [row[0].value for row in wb[sheet][ref.replace("$", "")]]


# ------------------------------------------------------------------------------------------ structure


def test_sheets_in_order(wb: openpyxl.Workbook) -> None:
    assert wb.sheetnames == SHEETS
    assert wb.active.title == "Instructions"


@pytest.mark.parametrize(("sheet", "columns"), [("Services", SERVICES_COLUMNS), ("Districts", DISTRICTS_COLUMNS)])
def test_hxl_row_matches_columns(wb: openpyxl.Workbook, sheet: str, columns: tuple[Column, ...]) -> None:
    assert row_values(wb[sheet], 2) == expected_hxl(columns, ["id", "en"])


def test_labels_mark_required_and_languages(wb: openpyxl.Workbook) -> None:
    labels = row_values(wb["Services"], 1)
    assert labels[:5] == ["ID", "Organization *", "Organization type *", "Service name (id) *", "Service name (en)"]
    # '*' exactly on required columns, and only on the default language's copy of a translatable one.
    expected_star = []
    for col in SERVICES_COLUMNS:
        if col.translatable:
            expected_star += [col.required, False]
        else:
            expected_star.append(col.required)
    assert [str(label).endswith(" *") for label in labels] == expected_star
    assert row_values(wb["Districts"], 1) == ["District *", "Province *", "District code",
                                              "Local emergency numbers (id)", "Local emergency numbers (en)"]


def test_freeze_panes_and_widths(wb: openpyxl.Workbook) -> None:
    for sheet in ("Directory", "Districts", "Services"):
        assert wb[sheet].freeze_panes == "A3"
    ws = wb["Services"]
    assert ws.column_dimensions["B"].width == SERVICES_COLUMNS[1].width
    # Phone columns are Text so a leading 0 is kept; dates show as year-month-day.
    labels = row_values(ws, 1)
    phone = openpyxl.utils.get_column_letter(labels.index("Phone") + 1)
    verified = openpyxl.utils.get_column_letter(labels.index("Last verified *") + 1)
    assert ws.column_dimensions[phone].number_format == "@"
    assert ws.column_dimensions[verified].number_format == "yyyy-mm-dd"


def test_no_data_rows(wb: openpyxl.Workbook) -> None:
    for sheet in ("Districts", "Services"):
        ws = wb[sheet]
        assert all(c.value is None for row in ws.iter_rows(min_row=3) for c in row)


# ------------------------------------------------------------------------------------------ header notes


def test_header_comments_and_colours(wb: openpyxl.Workbook) -> None:
    ws = wb["Services"]
    labels = row_values(ws, 1)
    for index, label in enumerate(labels, start=1):
        cell = ws.cell(1, index)
        assert cell.comment is not None, label
        assert cell.comment.author == "directory-builder"
    by_label = {str(label): ws.cell(1, i) for i, label in enumerate(labels, start=1)}
    for col in SERVICES_COLUMNS:
        cell = by_label.get(gettext_(col.label, "en") + (" *" if col.required else "")) or by_label[
            f"{gettext_(col.label, 'en')} (id)" + (" *" if col.required else "")]
        assert gettext_(col.help, "en") in cell.comment.text
        colour = cell.fill.fgColor.rgb[-6:]
        if col.internal:
            assert colour == FILL_INTERNAL
            assert "(internal)" in str(cell.value)
            assert "Never published" in cell.comment.text
        elif col.required:
            assert colour == FILL_REQUIRED
        else:
            assert colour == FILL_OPTIONAL
    assert "do not edit this row" in ws["A2"].comment.text.lower()
    assert ws["A2"].font.italic and ws["A2"].font.color.rgb[-6:] == "7F7F7F"


# ------------------------------------------------------------------------------------------ validations


def test_drop_downs_point_at_lists(wb: openpyxl.Workbook) -> None:
    ws = wb["Services"]
    labels = [str(v) for v in row_values(ws, 1)]
    dvs = validations_by_column(ws)
    for col in SERVICES_COLUMNS:
        if col.translatable:
            continue
        index = labels.index(gettext_(col.label, "en") + (" *" if col.required else "")) + 1
        lists = [dv for dv in dvs.get(index, []) if dv.type == "list"]
        if col.type in ("choice", "bool", "district"):
            assert len(lists) == 1, col.key
            dv = lists[0]
            assert dv.errorStyle == "warning"
            assert str(dv.sqref) == f"{openpyxl.utils.get_column_letter(index)}3:" \
                                    f"{openpyxl.utils.get_column_letter(index)}{DATA_LAST_ROW}"
            assert dv.formula1.startswith("'Lists'!$"), dv.formula1
            values = list_values(wb, dv.formula1)
            if col.type == "district":
                assert values[0] == gettext_(ALL_DISTRICTS, "en")
                assert values[1] == '=IF(\'Districts\'!$A3="","",\'Districts\'!$A3)'
                assert len(values) == 999
            else:
                assert col.vocabulary is not None
                assert values == [gettext_(t.label, "en") for t in col.vocabulary.terms]
        else:
            assert not lists, col.key


def test_every_column_has_an_input_prompt_within_excel_limits() -> None:
    for lang in SHIPPED_LANGUAGES:
        wb = build_template_workbook(lang, list(SHIPPED_LANGUAGES))
        for sheet in (wb.worksheets[1], wb.worksheets[2], wb.worksheets[3]):
            dvs = validations_by_column(sheet)
            width = len(row_values(sheet, 1))
            # Directory: the Value column (B) only; tables: every column.
            for index in ([2] if sheet is wb.worksheets[1] else range(1, width + 1)):
                prompts = [dv for dv in dvs.get(index, []) if dv.prompt]
                assert prompts, (lang, sheet.title, index)
                for dv in prompts:
                    assert dv.showInputMessage
                    assert len(dv.prompt.encode("utf-16-le")) // 2 <= 255
                    assert len(dv.promptTitle.encode("utf-16-le")) // 2 <= 32
                    if dv.error:
                        assert len(dv.error) <= 255


def test_validations_never_overlap() -> None:
    """Two validations on one cell make Excel 'repair' the file: each cell gets at most one."""
    wb = build_template_workbook("en", ["id", "en", "th"])
    for ws in wb.worksheets:
        seen: set[tuple[int, int]] = set()
        for dv in ws.data_validations.dataValidation:
            for rng in dv.sqref.ranges:
                min_col, min_row, max_col, max_row = range_boundaries(rng.coord)
                cells = {(c, r) for c in range(min_col, max_col + 1) for r in range(min_row, max_row + 1)}
                assert not cells & seen, (ws.title, rng.coord)
                seen |= cells


def test_multichoice_prompts_list_the_codes(wb: openpyxl.Workbook) -> None:
    ws = wb["Services"]
    labels = [str(v) for v in row_values(ws, 1)]
    dvs = validations_by_column(ws)
    for key, label in (("categories", "Categories *"), ("beneficiaries", "Who can use it")):
        col = next(c for c in SERVICES_COLUMNS if c.key == key)
        (dv,) = dvs[labels.index(label) + 1]
        assert dv.type is None  # a drop-down would hold one value only
        assert col.vocabulary is not None
        for code in col.vocabulary.codes:
            assert code in dv.prompt


# ------------------------------------------------------------------------------------------ other sheets


def test_directory_sheet(wb: openpyxl.Workbook) -> None:
    ws = wb["Directory"]
    assert row_values(ws, 1) == ["Setting", "Value", "Help"]
    assert tuple(row_values(ws, 2)) == DIRECTORY_HXL
    rows = {str(ws.cell(r, 1).value): ws.cell(r, 2).value for r in range(3, ws.max_row + 1)}
    expected = []
    for setting in SETTINGS:
        if setting.translatable:
            expected += [f"{setting.label} (id)" + (" *" if setting.required else ""), f"{setting.label} (en)"]
        else:
            expected.append(setting.label + (" *" if setting.required else ""))
    assert list(rows) == expected
    assert rows["Languages *"] == "id, en"
    assert rows["Review after (months)"] == 12
    assert [v for k, v in rows.items() if k not in ("Languages *", "Review after (months)")] == [None] * (
        len(rows) - 2)
    helps = [str(ws.cell(r, 3).value) for r in range(3, ws.max_row + 1)]
    assert "Example: ID" in helps[2]


def test_instructions_sheet(wb: openpyxl.Workbook) -> None:
    ws = wb["Instructions"]
    texts = [str(c.value) for c in ws["B"] if c.value]
    values = instructions.placeholders("en", "directory.xlsx")
    assert texts == [instructions.render(b, values, "en") for b in instructions.INSTRUCTIONS]
    assert "directory-builder validate directory.xlsx" in texts
    assert any("Last verified" in t and "Verified by (internal)" in t for t in texts)
    assert any("confidential" in t.lower() for t in texts)
    headings = [c for c in ws["B"] if c.value and c.font.bold]
    assert len(headings) >= 5
    assert ws.column_dimensions["B"].width >= 80
    assert all(c.alignment.wrap_text for c in ws["B"] if c.value)


def test_lists_sheet_is_last_and_protected(wb: openpyxl.Workbook) -> None:
    ws = wb["Lists"]
    assert wb.sheetnames[-1] == "Lists"
    assert ws.sheet_state == "visible"
    assert ws.protection.sheet
    assert row_values(ws, 1)[:2] == ["Organization type", "Code"]
    assert [ws.cell(r, 2).value for r in range(2, 8)] == ["government", "ngo", "international", "community",
                                                          "religious", "private"]


# ------------------------------------------------------------------------------------------ languages


def test_hxl_row_identical_in_every_language() -> None:
    rows = set()
    for lang in SHIPPED_LANGUAGES:
        wb = build_template_workbook(lang, ["th", "en"])
        sheets = wb.worksheets
        assert len(sheets) == 5
        rows.add(tuple(row_values(sheets[3], 2)) + tuple(row_values(sheets[2], 2)) + tuple(row_values(sheets[1], 2)))
        labels = row_values(sheets[3], 1)
        assert labels[1] == gettext_("Organization", lang) + " *"
    assert len(rows) == 1


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_translated_template_reads_back(tmp_path: Path, lang: str) -> None:
    path = write_template(tmp_path / f"{lang}.xlsx", lang, ["th", "en"])
    assert openpyxl.load_workbook(path).sheetnames[3] == safe_sheet_name(gettext_("Services", lang))
    raw = read_workbook(path)
    assert raw.services is not None and raw.districts is not None and raw.settings is not None
    mapped = {(m.column.key, m.lang) for m in raw.services.columns}
    expected: set[tuple[str, str | None]] = {
        (c.key, code) for c in SERVICES_COLUMNS if c.translatable for code in ("th", "en")}
    expected |= {(c.key, None) for c in SERVICES_COLUMNS if not c.translatable}
    assert mapped == expected
    assert {m.column.key for m in raw.districts.columns} == {c.key for c in DISTRICTS_COLUMNS}
    assert [p.code for p in raw.problems] == []
    keys = {(key, lang) for key, lang, *_ in raw.settings.values}
    assert ("title", "th") in keys and ("title", "en") in keys and ("languages", None) in keys


def test_default_languages_follow_lang() -> None:
    wb = build_template_workbook("vi")
    assert f"{gettext_('Service name', 'vi')} (vi) *" in row_values(wb.worksheets[3], 1)


def test_blank_template_validates_with_only_expected_problems(template_path: Path) -> None:
    result = validate_workbook(template_path)
    codes = sorted({p.code for p in result.problems})
    assert codes == ["missing-setting", "no-rows"]
    missing = sorted(dict(p.params)["setting"] for p in result.problems if p.code == "missing-setting")
    assert missing == sorted(s.label for s in SETTINGS if s.required and s.key != "languages")


# ------------------------------------------------------------------------------------------ writing


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "t.xlsx"
    path.write_bytes(b"keep me")
    with pytest.raises(InputError, match="already exists"):
        write_template(path)
    assert path.read_bytes() == b"keep me"
    write_template(path, force=True)
    assert openpyxl.load_workbook(path).sheetnames == SHEETS
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.xlsx"]  # no temporary file left


@pytest.mark.parametrize(("name", "lang", "languages"), [("t.xls", "en", None), ("t.xlsx", "xx", None),
                                                         ("t.xlsx", "en", ["en", "english"])])
def test_bad_arguments_are_plain_input_errors(tmp_path: Path, name: str, lang: str,
                                              languages: list[str] | None) -> None:
    with pytest.raises(InputError):
        write_template(tmp_path / name, lang, languages)
    assert list(tmp_path.iterdir()) == []


def test_output_is_deterministic(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    first = write_template(tmp_path / "a" / "d.xlsx", "id", ["id", "en"])
    second = write_template(tmp_path / "b" / "d.xlsx", "id", ["id", "en"])
    assert hashlib.sha256(first.read_bytes()).digest() == hashlib.sha256(second.read_bytes()).digest()


def test_excel_text_limits() -> None:
    assert excel_text("short", 10) == "short"
    cut = excel_text("x" * 300, 255)
    assert len(cut) == 255 and cut.endswith("…")
    thai = "ที่พักพิงที่ปลอดภัย" * 30
    for limit in range(240, 256):
        cut = excel_text(thai, limit)
        kept = cut[:-1]
        assert len(cut) <= limit and thai.startswith(kept)
        assert unicodedata.category(thai[len(kept)]) not in ("Mn", "Mc")  # no vowel or tone mark cut off
    emoji = "😀" * 200
    assert len(excel_text(emoji, 255).encode("utf-16-le")) // 2 <= 255
    assert safe_sheet_name("A/B: [x]?*'") == "A B x"
    assert len(safe_sheet_name("n" * 40)) == 31


# ------------------------------------------------------------------------------------------ LibreOffice


@pytest.mark.soffice
def test_libreoffice_round_trip(template_path: Path, tmp_path: Path) -> None:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    source = openpyxl.load_workbook(template_path)
    source["Districts"]["A3"] = "Jakarta Pusat"
    source["Districts"]["A4"] = "Kab. O'Brien"
    filled = tmp_path / "filled.xlsx"
    source.save(filled)
    out = tmp_path / "out"
    subprocess.run([soffice, f"-env:UserInstallation=file://{tmp_path}/profile", "--headless", "--convert-to",
                    "xlsx", "--outdir", str(out), str(template_path), str(filled)],
                   check=True, capture_output=True, timeout=180)
    original = openpyxl.load_workbook(template_path)
    again = openpyxl.load_workbook(out / "directory.xlsx")
    assert again.sheetnames == SHEETS
    for sheet in ("Directory", "Districts", "Services"):
        assert row_values(again[sheet], 1) == row_values(original[sheet], 1)
        assert row_values(again[sheet], 2) == row_values(original[sheet], 2)
    lists_before = sorted(dv.formula1.replace("'", "") for dv in original["Services"].data_validations.dataValidation
                          if dv.type == "list")
    lists_after = sorted(dv.formula1.replace("'", "") for dv in again["Services"].data_validations.dataValidation
                         if dv.type == "list")
    assert lists_after == lists_before
    prompts = [dv for dv in again["Services"].data_validations.dataValidation if dv.prompt]
    assert len(prompts) == len(row_values(original["Services"], 1))
    assert sum(1 for c in again["Services"][1] if c.comment) == len(row_values(original["Services"], 1))
    # The District drop-down's helper column really computes: LibreOffice fills it from the Districts sheet.
    computed = openpyxl.load_workbook(out / "filled.xlsx", data_only=True)["Lists"]
    helper = next(c for c in computed[1] if c.value == "District").column_letter
    assert [computed[f"{helper}{r}"].value for r in (2, 3, 4, 5)] == ["All districts", "Jakarta Pusat",
                                                                      "Kab. O'Brien", None]
    assert column_index_from_string(helper) > 1
    # And the reader and validator still accept LibreOffice's copy.
    result = validate_workbook(out / "directory.xlsx")
    assert sorted({p.code for p in result.problems}) == ["missing-setting", "no-rows"]
