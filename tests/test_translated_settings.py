"""Settings that reach the reader are translatable (issue 14, "Nothing printed in the wrong language").

Seen: the Indonesian page said "Police", "Child helpline", "Ambulance", "Fire"; the English edition said
"Edisi pertama, published 5 March 2026". Now Title, Edition, Publisher, National hotlines, the districts'
emergency names and the quick-exit page have a value per language, are checked like any translation, and
well-known emergency services are named in the page's language when staff did not name them.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from bs4 import BeautifulSoup

from directory_builder.check.validate import ValidationResult, validate_workbook
from directory_builder.i18n import SHIPPED_LANGUAGES, gettext_
from directory_builder.i18n.emergency import emergency_name, known_services
from directory_builder.publish.selection import select
from directory_builder.publish.view import DistrictView
from directory_builder.render.html import render_district_page
from directory_builder.render.options import RenderOptions
from directory_builder.workbook.template import build_template_workbook
from workbook_factory import make_workbook, service

TODAY = dt.date(2026, 4, 1)
BASE: dict[str, Any] = {"Languages": "id, en", "Title": {"id": "Direktori", "en": "Directory"},
                        "Edition": {"id": "Edisi pertama", "en": "First edition"},
                        "Publisher": {"id": "Jaringan Contoh", "en": "Example Network"}}


def _check(tmp_path: Path, settings: dict[str, Any], districts: Any = ("Jakarta Pusat",)) -> ValidationResult:
    path = make_workbook(tmp_path / "w.xlsx", [service()], districts=districts, settings={**BASE, **settings})
    return validate_workbook(path, today=TODAY)


def _views(result: ValidationResult) -> dict[str, DistrictView]:
    assert result.directory is not None, [p.message() for p in result.errors]
    return {v.lang: v for v in select(result.directory).views if v.district == "Jakarta Pusat"}


def _names(view: DistrictView) -> list[str]:
    return [n.name for n in view.emergency_numbers]


def test_english_hotline_names_are_indonesian_on_the_indonesian_page(tmp_path: Path) -> None:
    result = _check(tmp_path, {"National hotlines": "Police: 110; Child helpline: 129; Ambulance: 118; Fire: 113"})
    views = _views(result)
    assert _names(views["id"]) == ["Polisi", "Layanan pengaduan anak", "Ambulans", "Pemadam Kebakaran"]
    assert _names(views["en"]) == ["Police", "Child helpline", "Ambulance", "Fire"]
    assert not [p for p in result.warnings if p.code == "missing-translation" and p.sheet == "Directory"]


def test_edition_and_publisher_are_printed_in_the_page_language(tmp_path: Path) -> None:
    views = _views(_check(tmp_path, {}))
    assert (views["en"].edition_name, views["en"].publisher) == ("First edition", "Example Network")
    assert (views["id"].edition_name, views["id"].publisher) == ("Edisi pertama", "Jaringan Contoh")
    page = BeautifulSoup(render_district_page(views["en"], RenderOptions()), "html.parser").get_text(" ")
    assert "First edition, published" in page and "Edisi" not in page


def test_an_edition_without_its_english_row_is_a_warning_on_its_cell(tmp_path: Path) -> None:
    result = _check(tmp_path, {"Edition": {"id": "Edisi pertama"}})  # no 'Edition (en)' row at all
    warned = [p for p in result.warnings if p.code == "missing-translation" and p.column == "Edition"]
    assert [(p.sheet, p.cell) for p in warned] == [("Directory", "B7")]  # the 'Edition (id)' row it falls back to
    assert "English" in warned[0].message()
    assert _views(result)["en"].edition_name == "Edisi pertama"


def test_an_empty_english_row_is_the_cell_named(tmp_path: Path) -> None:
    result = _check(tmp_path, {"Edition": {"id": "Edisi pertama", "en": None}})
    warned = [p for p in result.warnings if p.code == "missing-translation" and p.column == "Edition"]
    assert [p.cell for p in warned] == ["B8"]  # 'Edition (en)', left empty


def test_hotline_names_per_language_are_matched_by_number(tmp_path: Path) -> None:
    result = _check(tmp_path, {"National hotlines": {"id": "Layanan SAPA: 129; Polisi: 110",
                                                     "en": "Police: 110; SAPA helpline: 129; Other: 0812 3456 7890"}})
    views = _views(result)
    assert _names(views["id"]) == ["Layanan SAPA", "Polisi"]
    assert _names(views["en"]) == ["SAPA helpline", "Police"]  # in the main list's order
    stray = [p for p in result.warnings if p.code == "translated-number-unknown"]
    assert [(p.cell, dict(p.params)["value"]) for p in stray] == [("B14", "0812 3456 7890")]  # 'National hotlines (en)'


def test_an_unknown_hotline_name_without_a_translation_is_a_warning(tmp_path: Path) -> None:
    result = _check(tmp_path, {"National hotlines": "Layanan SAPA: 129; Polisi: 110"})
    warned = [p for p in result.warnings if p.code == "missing-translation" and p.column == "National hotlines"]
    assert len(warned) == 1 and warned[0].sheet == "Directory" and warned[0].cell is not None
    assert _names(_views(result)["en"]) == ["Layanan SAPA", "Police"]


def test_district_emergency_names_are_translatable_columns(tmp_path: Path) -> None:
    district = {"district": "Jakarta Pusat", "province": "DKI Jakarta",
                "emergency": {"id": "Polisi pelabuhan: 021 5550 0201; Pemadam Kebakaran: 113",
                              "en": "Port police: 021 5550 0201"}}
    result = _check(tmp_path, {}, districts=[district])
    views = _views(result)
    assert _names(views["id"]) == ["Polisi pelabuhan", "Pemadam Kebakaran"]
    assert _names(views["en"]) == ["Port police", "Fire"]
    assert not [p for p in result.warnings if p.code == "missing-translation" and p.sheet == "Districts"]


def test_an_untranslated_district_name_is_a_warning_on_the_english_cell(tmp_path: Path) -> None:
    district = {"district": "Jakarta Pusat", "province": "DKI Jakarta", "emergency": "Polisi pelabuhan: 021 5550 0201"}
    result = _check(tmp_path, {}, districts=[district])
    warned = [p for p in result.warnings if p.code == "missing-translation" and p.sheet == "Districts"]
    assert [(p.cell, p.column) for p in warned] == [("D3", "Local emergency numbers")]  # the '(en)' column


@pytest.mark.parametrize("name", ["Polisi", "Polis", "Công an", "ตำรวจ", "Police (Polres)", "POLISI"])
def test_police_is_recognised_in_every_language(name: str) -> None:
    tail = " (Polres)" if "(" in name else ""
    expected = [f"{n}{tail}" for n in ("Police", "Polisi", "Polis", "Công an", "ตำรวจ")]
    if name == "POLISI":
        expected[1] = "POLISI"  # already Indonesian: kept as staff typed it
    assert [emergency_name(name, lang) for lang in SHIPPED_LANGUAGES] == expected


@pytest.mark.parametrize(("name", "lang", "shown"), [
    ("Ambulans", "en", "Ambulance"), ("Cấp cứu", "th", "รถพยาบาล"), ("Pemadam Kebakaran", "ms", "Bomba"),
    ("Bomba", "vi", "Cứu hỏa"), ("Cứu hỏa", "id", "Pemadam Kebakaran"), ("ดับเพลิง", "en", "Fire"),
    ("Kepolisian", "id", "Kepolisian"),  # already Indonesian: kept as staff typed it
    ("Port police", "id", "Port police"),  # not a well-known service: as typed (and a warning when checked)
])
def test_well_known_services_are_translated(name: str, lang: str, shown: str) -> None:
    assert emergency_name(name, lang) == shown


def test_the_emergency_names_file_is_unambiguous_and_complete() -> None:
    seen: dict[str, str] = {}
    for known in known_services():
        assert set(known.names) == set(SHIPPED_LANGUAGES), known.key
        for names in known.names.values():
            for name in names:
                assert seen.setdefault(name.casefold(), known.key) == known.key, name


def _exit_href(view: DistrictView) -> str:
    page = BeautifulSoup(render_district_page(view, RenderOptions()), "html.parser")
    link = page.find(id="quick-exit")
    assert link is not None
    return str(link["href"])


def test_the_quick_exit_searches_in_the_page_language(tmp_path: Path) -> None:
    views = _views(_check(tmp_path, {}))
    assert parse_qs(urlsplit(_exit_href(views["id"])).query)["q"] == ["cuaca"]
    assert _exit_href(views["en"]) == "https://www.google.com/search?q=weather"  # as before


def test_the_quick_exit_page_is_a_setting_per_language(tmp_path: Path) -> None:
    views = _views(_check(tmp_path, {"Quick exit page": {"id": "https://www.kompas.com", "en": "www.bbc.com"}}))
    assert _exit_href(views["id"]) == "https://www.kompas.com"
    assert _exit_href(views["en"]) == "https://www.bbc.com"
    safety = BeautifulSoup(render_district_page(views["en"], RenderOptions()), "html.parser").find(id="safety")
    assert safety is not None and "ordinary web page" in safety.get_text() and "weather" not in safety.get_text()


def test_a_quick_exit_page_that_is_not_a_web_address_is_an_error_on_its_cell(tmp_path: Path) -> None:
    result = _check(tmp_path, {"Quick exit page": {"id": "javascript:alert(1)"}})
    assert [(p.code, p.cell) for p in result.errors if p.sheet == "Directory"] == [("invalid-url", "B13")]


def test_a_published_date_with_a_month_name_is_read_and_an_unclear_one_names_its_cell(tmp_path: Path) -> None:
    result = _check(tmp_path, {"Published": "5 Maret 2026"})
    assert result.directory is not None and result.directory.settings.published == dt.date(2026, 3, 5)
    result = _check(tmp_path, {"Published": "5 Maret"})
    assert [(p.code, p.cell) for p in result.errors if p.sheet == "Directory"] == [("invalid-date", "B9")]


def test_the_template_has_a_row_per_language_for_each_translatable_setting() -> None:
    wb = build_template_workbook("id", languages=("id", "en"))
    labels = [str(c.value) for c in wb.worksheets[1]["A"] if c.value]
    for msgid in ("Edition", "Publisher", "National hotlines", "Quick exit page"):
        label = gettext_(msgid, "id")
        found = [x for x in labels if x.startswith(label + " (")]
        assert [x.rstrip(" *")[-4:] for x in found] == ["(id)", "(en)"], (label, labels)
    districts = [str(c.value) for c in wb.worksheets[2][1] if c.value]
    assert [x for x in districts if x.endswith(("(id)", "(en)"))] == [
        f"{districts[3][:-5]} (id)", f"{districts[3][:-5]} (en)"]


@pytest.mark.parametrize("key", ["Title", "Edition", "Publisher"])
def test_a_required_setting_without_its_main_language_is_an_error(tmp_path: Path, key: str) -> None:
    """Seen: the 'Title (id)' row deleted from an Indonesian directory; no word, and the Indonesian pages
    printed the English title."""
    result = _check(tmp_path, {key: {"en": BASE[key]["en"]}})
    missing = [p for p in result.errors if p.code == "missing-setting"]
    assert [dict(p.params)["setting"] for p in missing] == [f"{key} (id)"]
    assert missing[0].sheet == "Directory"
    assert _check(tmp_path, {}).ok


@pytest.mark.parametrize("label", ["Title (en)", "Title (EN)", "Judul (en)"])
def test_a_setting_given_twice_is_an_error_naming_both_cells(tmp_path: Path, label: str) -> None:
    """Seen: a corrected 'Title (en)' row added at the bottom was silently ignored (the old title printed)."""
    from openpyxl import load_workbook

    path = make_workbook(tmp_path / "w.xlsx", [service()], districts=("Jakarta Pusat",), settings=BASE)
    wb = load_workbook(path)
    ws = wb["Directory"]
    first = next(c.row for c in ws["A"] if c.value == "Title (en)")
    ws.append([label, "Corrected directory"])
    wb.save(path)
    result = validate_workbook(path, today=TODAY)
    dup = [p for p in result.errors if p.code == "duplicate-setting"]
    assert [(p.where, dict(p.params)["other"]) for p in dup] == [(f"Directory!B{ws.max_row}", f"Directory!B{first}")]


@pytest.mark.parametrize("typed", ["C\u00f4ng an".encode().decode(), "Co\u0302ng an", "\u0e15\u0e4d\u0e32\u0e23\u0e27\u0e08",
                                   "Pol\u200bisi", "\uff30\uff4f\uff4c\uff49\uff53\uff49", "Polisi.", " POLISI : "])
def test_emergency_names_are_recognised_however_they_were_typed(typed: str) -> None:
    """Seen: a decomposed 'Công an', Thai 'ตำรวจ' typed with NIKHAHIT + SARA AA, a zero-width space, full-width
    letters and a closing full stop were printed untranslated on the English page."""
    assert emergency_name(typed, "en") == "Police"


@pytest.mark.parametrize("url", ["https://ex\u0430mple.com", "http://10.0.0.1/", "http://192.168.1.1:8080/x",
                                 "https://127.0.0.1", "http://100.64.0.1/", "https://router.local/"])
def test_a_quick_exit_page_that_is_not_a_plain_website_is_an_error(tmp_path: Path, url: str) -> None:
    """Seen: a Cyrillic look-alike 'https://exаmple.com' and 'http://10.0.0.1/' were published as typed."""
    result = _check(tmp_path, {"Quick exit page": {"id": url, "en": "https://www.bbc.com/weather"}})
    assert [p.code for p in result.errors] == ["quick-exit-unusual"]
    assert result.errors[0].sheet == "Directory" and result.errors[0].cell is not None
    assert _check(tmp_path, {"Quick exit page": {"id": "https://cuaca.example.id/", "en": "bbc.com"}}).ok


def test_a_malformed_main_emergency_list_is_one_error_without_echoes(tmp_path: Path) -> None:
    """Seen: 'Polisi 021 5550 0300' (no colon) gave its error and three 'number not in the Indonesian list'
    warnings on the English cell."""
    district = {"district": "Jakarta Pusat", "province": "DKI Jakarta",
                "emergency": {"id": "Polisi 021 5550 0300", "en": "Police: 021 5550 0300; Fire: 113"}}
    result = _check(tmp_path, {}, districts=[district])
    districts = [p for p in result.problems if p.sheet == "Districts"]
    assert [p.code for p in districts] == ["invalid-named-phone"]
