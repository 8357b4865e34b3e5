"""Every kind of validation problem: its cell, message and hint, in one pass."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from directory_builder.check.validate import ValidationResult, validate_workbook
from directory_builder.columns import DISTRICTS_COLUMNS, SERVICES_COLUMNS, SETTINGS

TODAY = dt.date(2026, 4, 1)

SETTINGS_OK: dict[str, Any] = {
    "Title (en)": "Directory of Services",
    "Title (id)": "Direktori Layanan",
    "Country": "ID",
    "Languages": "id, en",
    "Edition (id)": "Edisi pertama",
    "Edition (en)": "First edition",
    "Published": dt.datetime(2026, 3, 31),
    "Publisher": "Test Network",  # a name: the same in every language, given once
    "Publisher (en)": "Test Network",
    "National hotlines": "Police: 110; Child helpline: 129",  # well-known services: translated by the tool
}

DISTRICTS_OK = [
    {"district": "Jakarta Pusat", "province": "DKI Jakarta", "emergency": "Police: 110"},
    {"district": "Kabupaten Cianjur", "province": "Jawa Barat"},
]


def service(**overrides: Any) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": "S-1",
        "organization": "Yayasan Contoh",
        "organization_type": "ngo",
        "service_name@id": "Rumah aman",
        "service_name@en": "Safe house",
        "categories": "shelter; case_management",
        "district": "Jakarta Pusat",
        "description@id": "Kami memberi tempat aman.",
        "description@en": "We give a safe place to stay.",
        "cost": "free",
        "phone": "021 3190 0110",
        "address": "Jl. Contoh 1",
        "confidential": "no",
        "status": "active",
        "publish": "public",
        "last_verified": dt.datetime(2026, 1, 15),
    }
    row.update(overrides)
    return {k: v for k, v in row.items() if v is not None}


def write(path: Path, services: list[dict[str, Any]], *, settings: dict[str, Any] | None = None,
          districts: list[dict[str, Any]] | None = None, langs: tuple[str, ...] = ("id", "en")) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Directory"
    ws.append(["Setting", "Value"])
    ws.append(["#meta+setting", "#meta+value"])
    for name, value in (SETTINGS_OK if settings is None else settings).items():
        ws.append([name, value])
    for title, columns, rows in (("Districts", DISTRICTS_COLUMNS, districts if districts is not None else DISTRICTS_OK),
                                 ("Services", SERVICES_COLUMNS, services)):
        sheet = wb.create_sheet(title)
        keys: list[tuple[str, str | None]] = []
        for col in columns:
            for lang in (langs if col.translatable else (None,)):
                keys.append((col.key, lang))
        sheet.append([f"{c.label} ({lang})" if lang else c.label
                      for c in columns for lang in (langs if c.translatable else (None,))])
        sheet.append([c.hxl_for(lang) for c in columns for lang in (langs if c.translatable else (None,))])
        for row in rows:
            sheet.append([row.get(f"{key}@{lang}" if lang else key) for key, lang in keys])
    wb.save(path)
    return path


def column_letter(key: str, lang: str | None = None, langs: tuple[str, ...] = ("id", "en")) -> str:
    from openpyxl.utils import get_column_letter

    index = 0
    for col in SERVICES_COLUMNS:
        for lg in (langs if col.translatable else (None,)):
            index += 1
            if col.key == key and lg == lang:
                return get_column_letter(index)
    raise KeyError(key)


def check(tmp_path: Path, services: list[dict[str, Any]], **kw: Any) -> ValidationResult:
    return validate_workbook(write(tmp_path / "wb.xlsx", services, **kw), today=TODAY)


def only(result: ValidationResult, code: str) -> list[Any]:
    return [p for p in result.problems if p.code == code]


def test_a_good_workbook_has_no_errors(tmp_path: Path) -> None:
    result = check(tmp_path, [service()])
    assert result.errors == [], [p.to_dict() for p in result.errors]
    assert result.directory is not None
    s = result.directory.services[0]
    assert s.phone[0].international == "+62 21 31900110"
    assert s.phone[0].local == "(021) 31900110"
    assert s.service_name.values == {"id": "Rumah aman", "en": "Safe house"}
    assert s.categories == ["shelter", "case_management"]


@pytest.mark.parametrize(
    ("overrides", "code", "key", "lang", "message_part", "hint_part"),
    [
        ({"organization": None}, "required", "organization", None, "is required", "full name"),
        ({"organization_type": "charity"}, "invalid-choice", "organization_type", None, "'charity' is not in the list",
         "Government; Non-governmental organization (NGO)"),  # labels, as staff type them
        ({"categories": "shelter; spa"}, "invalid-choice", "categories", None, "'spa'", "Hotlines; Safe place"),
        ({"cost": "gratis-ish"}, "invalid-choice", "cost", None, "gratis-ish", "Free; Low cost; Paid"),
        ({"confidential": "maybe"}, "invalid-yes-no", "confidential", None, "'maybe' is not yes or no", "yes or no"),
        ({"min_age": "twelve"}, "invalid-integer", "min_age", None, "not a whole number", "without decimals"),
        ({"last_verified": "03/04/26"}, "invalid-date", "last_verified", None, "not a date", "31/03/2026"),
        ({"last_verified": "31/02/2026"}, "invalid-date", "last_verified", None, "31/02/2026", "year-month-day"),
        ({"phone": "12"}, "invalid-phone", "phone", None, "'12' is not a valid phone number in Indonesia",
         "international form"),
        ({"email": "help@@example"}, "invalid-email", "email", None, "help@@example", "name@example.org"),
        ({"website": "javascript:alert(1)"}, "invalid-url", "website", None, "javascript:alert(1)", "https://"),
        ({"website": "ftp://files.example.org"}, "invalid-url", "website", None, "ftp://", "https://"),
        ({"latitude": 123.5, "longitude": 106.8}, "out-of-range", "latitude", None, "123.5", "-90.0 to 90.0"),
        ({"district": "Jakarta Pusatt"}, "unknown-district", "district", None, "'Jakarta Pusatt' is not a district",
         "Did you mean 'Jakarta Pusat'?"),
        ({"service_name@id": None}, "required", "service_name", "id", "is required", "plain words"),
        ({"min_age": 18, "max_age": 12}, "age-range", "min_age", None, "(18) is higher than the maximum age (12)",
         "Swap"),
        ({"address": None}, "missing-address", "address", None, "no address and is not marked confidential",
         "confidential"),
        ({"last_verified": dt.datetime(2024, 1, 1)}, "stale-entry", "last_verified", None, "2024-01-01", "Call the provider"),
        ({"service_name@en": None}, "missing-translation", "service_name", "en", "English", "Add the English"),
        ({"description@en": " ".join(["word"] * 61) + "."}, "description-too-long", "description", "en", "61 words",
         "under 60 words"),
        ({"description@en": " ".join(["word"] * 25) + ". Short one."}, "sentence-too-long", "description", "en",
         "25 words", "at most 20 words"),
        ({"latitude": -6.2}, "coordinates-incomplete", "latitude", None, "Only one", "both"),
    ],
)
def test_each_problem_has_its_cell_message_and_hint(
    tmp_path: Path, overrides: dict[str, Any], code: str, key: str, lang: str | None, message_part: str,
    hint_part: str,
) -> None:
    result = check(tmp_path, [service(**{k: v for k, v in overrides.items()})] if None not in overrides.values()
                   else [_without(service(), overrides)])
    problems = only(result, code)
    assert problems, [p.to_dict() for p in result.problems]
    p = problems[0]
    assert p.sheet == "Services"
    assert p.row == 3
    assert p.cell == f"{column_letter(key, lang)}3"
    assert message_part in p.message(), p.message()
    assert hint_part in p.hint(), p.hint()
    data = p.to_dict()
    assert set(data) == {"code", "severity", "sheet", "row", "column", "cell", "message", "hint"}


def _without(row: dict[str, Any], overrides: dict[str, Any]) -> dict[str, Any]:
    row = dict(row)
    for k, v in overrides.items():
        if v is None:
            row.pop(k, None)
        else:
            row[k] = v
    return row


def test_no_contact_route(tmp_path: Path) -> None:
    result = check(tmp_path, [_without(service(), {"phone": None})])
    p = only(result, "no-contact")[0]
    assert p.cell == f"{column_letter('phone')}3"
    assert "no way to contact" in p.message()
    assert "Phone, Hotline 24 hours" in p.hint()


def test_short_codes_are_phone_numbers(tmp_path: Path) -> None:
    result = check(tmp_path, [service(phone=None, hotline="129; 110; 1300")])
    assert result.errors == []
    assert [p.dial for p in result.directory.services[0].hotline] == ["129", "110", "1300"]  # type: ignore[union-attr]


def test_excel_number_loses_leading_zero_and_is_repaired(tmp_path: Path) -> None:
    result = check(tmp_path, [service(phone=81234567890)])
    assert result.errors == []
    p = only(result, "phone-repaired")[0]
    assert p.severity == "warning" and p.cell == f"{column_letter('phone')}3"
    assert "081234567890" in p.message()
    assert result.directory.services[0].phone[0].dial == "+6281234567890"  # type: ignore[union-attr]


def test_duplicate_ids_point_at_the_other_row(tmp_path: Path) -> None:
    result = check(tmp_path, [service(), service(organization="Other org", **{"service_name@id": "Lain"})])
    p = only(result, "duplicate-id")[0]
    assert p.cell == f"{column_letter('id')}4"
    assert "row 3" in p.message()


def test_blank_ids_are_generated_stably(tmp_path: Path) -> None:
    rows = [service(id=None), service(id=None, organization="B", **{"service_name@id": "B"})]
    first = check(tmp_path, rows).directory
    second = check(tmp_path, rows).directory
    assert first and second
    ids = [s.id for s in first.services]
    assert ids == [s.id for s in second.services]
    assert len(set(ids)) == 2 and all(i.startswith("gen-") for i in ids)


def test_all_districts_in_any_language(tmp_path: Path) -> None:
    result = check(tmp_path, [service(district="all districts"), service(id="S-2", district="Semua kabupaten/kota")
                              if False else service(id="S-2", district="ALL DISTRICTS", organization="B")])
    assert result.errors == []
    assert all(s.all_districts for s in result.directory.services)  # type: ignore[union-attr]


def test_list_labels_accepted_in_another_language_and_case(tmp_path: Path) -> None:
    result = check(tmp_path, [service(cost="FREE", organization_type="Government", confidential=True, address=None)])
    assert result.errors == []
    s = result.directory.services[0]  # type: ignore[union-attr]
    assert (s.cost, s.organization_type, s.confidential) == ("free", "government", True)


def test_missing_settings_are_reported_on_the_directory_sheet(tmp_path: Path) -> None:
    settings = {k: v for k, v in SETTINGS_OK.items() if k.split(" (")[0] not in ("Publisher", "Country")}
    result = check(tmp_path, [service()], settings=settings)
    codes = {(p.code, p.column) for p in result.errors}
    assert ("missing-setting", "Publisher") in codes
    assert ("missing-setting", "Country") in codes
    assert result.directory is None


def test_invalid_settings_point_at_the_value_cell(tmp_path: Path) -> None:
    settings = dict(SETTINGS_OK, Country="Indonesia", Published="next week")
    result = check(tmp_path, [service()], settings=settings)
    by_code = {p.code: p for p in result.errors}
    assert by_code["invalid-country"].sheet == "Directory"
    assert by_code["invalid-country"].cell == "B5"
    assert by_code["invalid-date"].cell == "B9"  # after the two Edition rows


def test_missing_required_column(tmp_path: Path) -> None:
    path = write(tmp_path / "wb.xlsx", [service()])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Services"]
    ws.delete_cols(int(_col_index("cost")))
    wb.save(path)
    result = validate_workbook(path, today=TODAY)
    p = only(result, "missing-column")[0]
    assert p.column == "Cost" and "#service+cost" in p.hint()


def _col_index(key: str) -> int:
    from openpyxl.utils import column_index_from_string

    return column_index_from_string(column_letter(key))


def test_columns_matched_by_label_when_the_hxl_row_is_missing(tmp_path: Path) -> None:
    path = write(tmp_path / "wb.xlsx", [service()])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb["Services"].delete_rows(2)
    wb.save(path)
    result = validate_workbook(path, today=TODAY)
    assert [p.code for p in result.errors] == []
    assert only(result, "no-hxl-row")
    assert result.directory and result.directory.services[0].row == 2


def test_extra_columns_are_ignored_with_a_warning(tmp_path: Path) -> None:
    path = write(tmp_path / "wb.xlsx", [service()])
    from openpyxl import load_workbook

    wb = load_workbook(path)
    ws = wb["Services"]
    ws.cell(row=1, column=ws.max_column + 1, value="Favourite colour")
    wb.save(path)
    result = validate_workbook(path, today=TODAY)
    p = only(result, "extra-column")[0]
    assert p.severity == "warning" and "Favourite colour" in p.message()


def test_every_problem_is_collected_in_one_pass(tmp_path: Path) -> None:
    rows = [service(cost="?"), service(id="S-2", phone="1", email="x@", district="Nowhere")]
    result = check(tmp_path, rows)
    codes = sorted(p.code for p in result.errors)
    assert codes == ["invalid-choice", "invalid-email", "invalid-phone", "unknown-district"]
    assert result.invalid_rows == {3, 4}


def test_settings_keys_all_documented() -> None:
    assert {s.key for s in SETTINGS} >= {"title", "country", "languages", "edition", "published", "publisher"}


def test_an_over_long_translated_cell_is_an_error_on_that_cell(tmp_path: Path) -> None:
    result = check(tmp_path, [service(**{"description@en": "x" * 10_001})])
    p = only(result, "text-too-long")[0]
    assert p.cell == f"{column_letter('description', 'en')}3"
    assert "10001 characters" in p.message()


def test_directory_sheet_columns_are_found_by_their_tags_when_moved(tmp_path: Path) -> None:
    """Seen: one column inserted before 'Setting' made every setting 'missing' (no cell named), then 130
    phone errors. Column order is free (spec): the Setting and Value columns are found by row 2's tags."""
    from openpyxl import load_workbook

    from workbook_factory import make_workbook, service

    path = make_workbook(tmp_path / "w.xlsx", services=[service()], settings={"Country": "XX"})
    wb = load_workbook(path)
    wb["Directory"].insert_cols(1)
    wb.save(path)
    result = validate_workbook(path, today=TODAY)
    assert [(p.code, p.where) for p in result.errors] == [
        ("invalid-country", f"Directory!C{_setting_row(wb, 'Country')}")]


def _setting_row(wb: Any, label: str) -> int:
    return next(c.row for c in wb["Directory"]["B"] if c.value == label)
