"""The workbook means what it says: one sheet per role, labels and codes that agree on privacy, and names
compared as people see them (invisible characters, full-width letters, look-alike alphabets)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook

from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.check.validate import ValidationResult, validate_workbook
from directory_builder.util.errors import InputError
from directory_builder.util.names import match_key, mixed_scripts, skeleton
from directory_builder.workbook.calamine import READER_ENV
from workbook_factory import make_workbook, service


@pytest.fixture(params=["calamine", "openpyxl"])
def reader(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both readers must see hidden sheets and refuse two candidates."""
    monkeypatch.setenv(READER_ENV, request.param)
    return str(request.param)


def _codes(result: ValidationResult, code: str) -> list[str]:
    return [p.where for p in result.problems if p.code == code]


# ------------------------------------------------------------------------------------------- sheets


def _copy_sheet(path: Path, source: str, title: str, *, hidden: bool) -> Path:
    wb = load_workbook(path)
    copy = wb.copy_worksheet(wb[source])
    copy.title = title
    if hidden:
        copy.sheet_state = "hidden"
    wb.save(path)
    return path


@pytest.mark.parametrize("title", ["Layanan", "Services (old)", "SERVICES 2025"])
def test_two_services_sheets_are_an_error_naming_both(tmp_path: Path, reader: str, title: str) -> None:
    """A hidden translated copy ('Layanan') or an old copy with the codes in row 2 never silently wins."""
    path = _copy_sheet(make_workbook(tmp_path / "w.xlsx", [service()]), "Services", title, hidden=True)
    with pytest.raises(InputError) as err:
        validate_workbook(path)
    message = str(err.value)
    assert "'Services'" in message and f"'{title}' (hidden)" in message, message
    assert "Traceback" not in message


def test_a_hidden_sheet_named_first_does_not_win(tmp_path: Path, reader: str) -> None:
    path = make_workbook(tmp_path / "w.xlsx", [service()])
    wb = load_workbook(path)
    old = wb.copy_worksheet(wb["Services"])
    old.title = "Dịch vụ"  # the Vietnamese name of the sheet
    old.sheet_state = "hidden"
    wb.move_sheet(old, offset=-wb.index(old))  # first in the workbook
    wb.save(path)
    with pytest.raises(InputError, match="'Dịch vụ' \\(hidden\\)"):
        validate_workbook(path)


@pytest.mark.parametrize("source", ["Districts", "Directory"])
def test_two_districts_or_directory_sheets_are_an_error(tmp_path: Path, reader: str, source: str) -> None:
    path = _copy_sheet(make_workbook(tmp_path / "w.xlsx", [service()]), source, f"Old {source}", hidden=False)
    with pytest.raises(InputError) as err:
        validate_workbook(path)
    assert f"'{source}'" in str(err.value) and f"'Old {source}'" in str(err.value)


def test_one_sheet_of_each_is_read_as_before(tmp_path: Path, reader: str) -> None:
    result = validate_workbook(make_workbook(tmp_path / "w.xlsx", [service()]))
    assert result.ok, [p.to_dict() for p in result.errors]


# ------------------------------------------------------------------------------------------- labels vs codes


def _relabel(path: Path, key_hxl: str, label: str, hxl: str) -> str:
    """Give the Services column whose code is ``key_hxl`` a new label and code; return its cell letter."""
    wb = load_workbook(path)
    ws = wb["Services"]
    for cell in ws[2]:
        if cell.value == key_hxl:
            ws.cell(row=1, column=cell.column, value=label)
            cell.value = hxl
            wb.save(path)
            return str(cell.column_letter)
    raise KeyError(key_hxl)


@pytest.mark.parametrize(
    ("label", "hxl"),
    [
        ("Focal point phone (internal)", "#contact+phone"),  # says internal, read as public
        ("Telefon orang hubungan (dalaman)", "#contact+phone"),  # the same in Malay
        ("Phone", "#contact+phone+internal"),  # says public, read as internal
        ("Notes (internal)", "#description+i_en"),  # staff notes read as the public description
    ],
)
def test_a_label_and_code_that_disagree_on_privacy_are_an_error(tmp_path: Path, label: str, hxl: str) -> None:
    path = make_workbook(tmp_path / "w.xlsx", [service(focal_point_phone="0812 9999 4321")])
    source = "#contact+phone+internal" if hxl == "#contact+phone" else (
        "#contact+phone" if hxl == "#contact+phone+internal" else "#description+i_en")
    letter = _relabel(path, source, label, hxl)
    result = validate_workbook(path)
    problems = [p for p in result.errors if p.code == "column-privacy-conflict"]
    assert [p.where for p in problems] == [f"Services!{letter}1"], [p.to_dict() for p in result.problems]
    assert label in problems[0].message() and hxl in problems[0].message()


def test_a_translatable_column_twice_for_the_default_language_is_an_error(tmp_path: Path) -> None:
    """'Description' (no language: the default) and 'Description (en)' are the same column."""
    path = make_workbook(tmp_path / "w.xlsx", [service(description="Second text")])
    wb = load_workbook(path)
    ws = wb["Services"]
    col = ws.max_column + 1
    ws.cell(row=1, column=col, value="Description")
    ws.cell(row=2, column=col, value="#description")
    ws.cell(row=3, column=col, value="A different description")
    wb.save(path)
    result = validate_workbook(path)
    assert [p.code for p in result.errors] == ["duplicate-column"], [p.to_dict() for p in result.problems]


# ------------------------------------------------------------------------------------------- names


def test_names_are_compared_as_people_see_them() -> None:
    assert match_key("Jakarta\u200b Pusat") == match_key("jakarta pusat") == match_key("Ｊａｋａｒｔａ\u00a0Pusat")
    assert match_key("Ja\u00adkarta\u2066 Pusat\u2069\ufeff") == "jakarta pusat"
    assert match_key("Аlpha") != match_key("Alpha") and skeleton("Аlpha") == skeleton("Alpha")
    assert mixed_scripts("Аlpha") == ("LATIN", "CYRILLIC")
    assert mixed_scripts("Bangkok กรุงเทพ") == () and mixed_scripts("Москва Moscow") == ()


def test_districts_differing_only_by_invisible_characters_are_one(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "w.xlsx", [service()],
                         districts=["Jakarta Pusat", "Jakarta\u200b Pusat", "Ｊａｋａｒｔａ Pusat"])
    result = validate_workbook(path)
    assert _codes(result, "duplicate-district") == ["Districts!A4", "Districts!A5"]


def test_lookalike_districts_are_an_error_naming_both_cells(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "w.xlsx", [service(district="Alpha")],
                         districts=["Alpha", "Аlpha"])  # the second starts with a Cyrillic А
    result = validate_workbook(path)
    problems = [p for p in result.errors if p.code == "lookalike-district"]
    assert [p.where for p in problems] == ["Districts!A4"]
    assert "Districts!A3" in problems[0].message()


def test_a_district_mixing_alphabets_is_an_error(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "w.xlsx", [service()], districts=["Jakarta Pusat", "Bandung Kоta"])
    result = validate_workbook(path)
    assert _codes(result, "mixed-script") == ["Districts!A4"]


def test_services_district_is_matched_after_normalisation(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "w.xlsx", [service(district="Jakarta\u200b  Pusat\u00ad"),
                                               service(district="Ｊａｋａｒｔａ Pusat")])
    result = validate_workbook(path)
    assert result.ok, [p.to_dict() for p in result.errors]
    assert result.directory is not None
    assert {s.district for s in result.directory.services} == {"Jakarta Pusat"}


def test_services_district_written_with_lookalike_letters_names_the_districts_cell(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "w.xlsx", [service(district="Jаkarta Pusat")])  # Cyrillic а
    result = validate_workbook(path)
    problems = [p for p in result.errors if p.code == "lookalike-district"]
    assert len(problems) == 1 and problems[0].where.startswith("Services!")
    assert "Districts!A3" in problems[0].message() and "'Jakarta Pusat'" in problems[0].message()


@pytest.mark.parametrize("other", ["S-1\u200b", "Ｓ-1", "Ѕ-1"])  # zero-width space, full-width, Cyrillic Ѕ
def test_service_ids_that_look_the_same_are_duplicates(tmp_path: Path, other: str) -> None:
    path = make_workbook(tmp_path / "w.xlsx", [service(id="S-1"), service(id=other, organization="Other")])
    result = validate_workbook(path)
    assert len(_codes(result, "duplicate-id")) == 1


def test_district_on_the_command_line_is_normalised(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIRECTORY_BUILDER_CACHE_DIR", str(tmp_path / "cache"))
    path = make_workbook(tmp_path / "w.xlsx", [service(), service(district="Kabupaten Cianjur")])
    options = BuildOptions(out=tmp_path / "out", formats=("html",), districts=("jakarta\u200b PUSAT\u00ad",))
    result = build_directory(path, options)
    assert [slug for slug, _lang in result.rebuilt] == ["jakarta-pusat"]


def test_a_hidden_services_sheet_alone_is_read_with_a_warning(tmp_path: Path, reader: str) -> None:
    """Never silent: staff checking the workbook do not see a hidden sheet, so the report says it is read."""
    path = make_workbook(tmp_path / "w.xlsx", [service()])
    wb = load_workbook(path)
    wb["Services"].sheet_state = "hidden"
    wb.save(path)
    result = validate_workbook(path)
    assert result.ok
    hidden = [p for p in result.warnings if p.code == "hidden-sheet"]
    assert [p.sheet for p in hidden] == ["Services"] and "hidden" in hidden[0].message()
