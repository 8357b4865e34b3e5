"""A confidential place stays unfindable: typed again in another cell, as a map link, as coordinates, or
on another published row, it is an error naming the cell, and it never reaches an output.

Staff type the place in the ways they know: "Jl. Rahasia Aman No. 7" as "JL RAHASIA AMAN nomor 7", a
Google Maps link pasted as the website, "-6.81731, 107.14201" or "LS 6,8173 BT 107,1420" in How to get
help, a public clinic in the same building on another row. Each seen case is checked in validate (the
cell reference), in the views selection.py makes when validation is skipped, and in the built files.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

import hostile
from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.check import confidential
from directory_builder.check.problems import Problem, report_text
from directory_builder.check.validate import ValidationResult, validate_workbook
from directory_builder.publish.selection import select
from workbook_factory import make_workbook, service

TODAY = dt.date(2026, 4, 1)
ADDRESS = "Jl. Rahasia Aman No. 7, Cianjur"
LAT, LON = -6.81731, 107.14201
NEW_CODES = {"confidential-address-repeated", "confidential-map-link", "confidential-coordinates",
             "confidential-address-shared", "address-is-confidential", "confidential-place-near",
             "near-confidential-place"}


def shelter(**values: Any) -> dict[str, Any]:
    """The confidential shelter of every test, on row 3."""
    base = {"id": "CONF", "service_name": {"en": "Safe house", "id": "Rumah aman"}, "confidential": "yes",
            "address": ADDRESS, "latitude": LAT, "longitude": LON, "district": "Kabupaten Cianjur",
            "description": {"en": "A safe house for women.", "id": "Rumah aman untuk perempuan."}}
    base.update(values)
    return service(**base)


def clinic(**values: Any) -> dict[str, Any]:
    base = {"id": "PUB", "service_name": {"en": "Clinic", "id": "Klinik"}, "categories": "medical",
            "description": {"en": "A clinic.", "id": "Klinik."}, "address": "Jl. Lain No. 99, Cianjur",
            "district": "Kabupaten Cianjur"}
    base.update(values)
    return service(**base)


def write(tmp_path: Path, *services: dict[str, Any], name: str = "w.xlsx") -> Path:
    return make_workbook(tmp_path / name, services=list(services), settings={"Languages": "en, id"})


def check(path: Path) -> ValidationResult:
    return validate_workbook(path, today=TODAY)


def letter(path: Path, label: str) -> str:
    """The column letter of a Services header, as the workbook was written."""
    ws = load_workbook(path, read_only=True)["Services"]
    for cell in next(ws.iter_rows(min_row=1, max_row=1)):
        if str(cell.value or "").rstrip(" *") == label:
            return str(cell.column_letter)
    raise AssertionError(f"no column {label!r}")


def ours(result: ValidationResult) -> list[Problem]:
    return [p for p in result.errors if p.code in NEW_CODES]


# ------------------------------------------------------------------------------------------- recognising


@pytest.mark.parametrize("text", [
    "Datang ke Jl. Rahasia Aman No. 7.",
    "datang ke JL RAHASIA AMAN nomor 7",
    "Alamat: Jalan Rahasia Aman 7, Cianjur",
    "Jln.Rahasia Aman No.7",
    "Ｊｌ．Ｒａｈａｓｉａ Ａｍａｎ ７",  # full-width, as some phone keyboards type
    "Jl. Rahasia   Aman\nNo. 7",
    "Jl. Rahasia Aman No. 7, Cianjur",
])
def test_the_address_is_recognised_as_staff_type_it(text: str) -> None:
    place = confidential.Place.of(ADDRESS, None, None)
    assert confidential.leaks(text, place) == ["address"]
    assert "Rahasia" not in confidential.redact(text, place)


@pytest.mark.parametrize("text", [
    "Jl. Rahasia Aman No. 72",  # another house
    "Jl. Rahasia Baru No. 7",
    "Cianjur",  # the town alone
    "Biaya Rp 10.000, 25.000 per hari",  # prices with a thousands separator
    "Senin-Jumat 08.00-16.00",
    "Call 0812 3456 7890 or +62 21 3190 0110",
    "https://example.org/about-our-maps",
    "https://www.where.com/x",
    "Ages 12.5 to 17.5",
])
def test_ordinary_text_is_not_taken_for_the_place(text: str) -> None:
    assert confidential.leaks(text, confidential.Place.of(ADDRESS, LAT, LON)) == []


@pytest.mark.parametrize("text", [
    "https://www.google.com/maps/place/x/@-6.8173,107.142,17z",
    "https://maps.google.co.id/?q=-6.8173,107.142",
    "https://goo.gl/maps/AbCdEf123",
    "https://maps.app.goo.gl/xyz987",
    "www.openstreetmap.org/?mlat=-6.8173&mlon=107.1420#map=19",
    "https://osm.org/go/abc",
    "https://g.page/r/CabcDEF",
    "https://share.google/AbC123",
    "https://www.bing.com/maps?cp=-6.8~107.1",
    "https://maps.apple.com/?ll=-6.8,107.1",
    "https://waze.com/ul?ll=-6.8,107.1",
    "https://wego.here.com/?map=-6.8,107.1,15",
    "geo:-6.8173,107.1420",
    "Lokasi di google.com/maps ya",
    "///filled.count.soap",
    "Plus code 4RHV+8Q Cianjur",
])
def test_map_links_are_recognised(text: str) -> None:
    assert "map" in confidential.leaks(text, confidential.Place.of(None, None, None))
    assert confidential.redact(text, confidential.Place.of(None, None, None)) != text


@pytest.mark.parametrize("text", [
    "-6.81731, 107.14201",
    "-6.81731,107.14201",
    "Lokasi -6.8173 107.1420",
    "6.8173 S, 107.1420 E",
    "LS 6,8173 BT 107,1420",
    "lat: -6.8173 lon: 107.1420",
    "6°49'02.3\"S 107°08'31.2\"E",
    "lat=-6.8173&long=107.1420",
])
def test_coordinates_are_recognised_in_common_forms(text: str) -> None:
    place = confidential.Place.of(None, LAT, LON)
    assert confidential.leaks(text, place) == ["coordinates"]
    redacted = confidential.redact(text, place)
    assert "8173" not in redacted and "1420" not in redacted and "49'" not in redacted


@pytest.mark.parametrize("text", [
    "Kami di -7.25041, 112.76882.",
    "-7.2504°, 112.7688°",
    "7.2504°S, 112.7688°E",
    "S 7° 15.024' E 112° 46.128'",  # degrees and decimal minutes, as GPS devices show them
    "7° 15' 01\" S, 112° 46' 08\" E",
    "N 13°45.123' E100°30.5'",
])
def test_coordinates_of_any_place_are_found_without_the_entry_s_own(text: str) -> None:
    assert confidential.leaks(text, confidential.Place.of(None, None, None)) == ["coordinates"]


@pytest.mark.parametrize("text", ["Suhu 30° di luar", "Buka 08.00 - 16.00, Sabtu 09.00", "Rp 1.500.000, 2.500.000"])
def test_degrees_and_times_alone_are_not_coordinates(text: str) -> None:
    assert confidential.leaks(text, confidential.Place.of(None, None, None)) == []


@pytest.mark.parametrize(("address", "typed"), [
    ("No. 5, Jalan Ampang, 50450 Kuala Lumpur", "Kami di 5 Jalan Ampang."),
    ("12 Nguyễn Huệ, Quận 1, TP. Hồ Chí Minh", "Đến 12 Nguyen Hue nhé"),
    ("123/4 ซอยสุขุมวิท 11 แขวงคลองเตย", "มาที่123/4ซอยสุขุมวิท11นะ"),
    ("Ruko Contoh Blok C-3, Jl. Contoh Cikini No. 20, Menteng", "di Jl Contoh Cikini 20"),
])
def test_street_and_number_in_other_countries(address: str, typed: str) -> None:
    assert confidential.leaks(typed, confidential.Place.of(address, None, None)) == ["address"]


def test_an_area_alone_is_not_a_place() -> None:
    """'Quận 1', 'RT 05/RW 03' and a postcode are shared by thousands of addresses: not keys."""
    keys = confidential.place_keys("12 Nguyễn Huệ, Quận 1, RT 05/RW 03, 50450 Kuala Lumpur")
    assert ("quan", "1") not in keys and ("50450", "kuala", "lumpur") not in keys
    assert all(any(len(w) >= 3 and w.isalpha() and w not in ("quan", "kuala", "lumpur") for w in k)
               for k in keys)


# ------------------------------------------------------------------------------------------- validate: cells

COLUMNS = [
    ("description", "en", "Description (en)"),
    ("description", "id", "Description (id)"),
    ("how_to_get_help", "en", "How to get help (en)"),
    ("how_to_get_help", "id", "How to get help (id)"),
    ("documents", "id", "Documents to bring (id)"),
    ("cost_details", "en", "Cost details (en)"),
    ("accessibility", "en", "Accessibility (en)"),
    ("hours", "id", "Opening hours (id)"),
    ("service_name", "id", "Service name (id)"),
    ("organization", None, "Organization"),
    ("focal_point", None, "Focal point (internal)"),  # printed in the practitioner edition
]


@pytest.mark.parametrize(("key", "lang", "label"), COLUMNS)
def test_address_typed_in_another_printed_cell_is_an_error(tmp_path: Path, key: str, lang: str | None,
                                                           label: str) -> None:
    text = "Datang ke JL RAHASIA AMAN nomor 7 ya"
    value: Any = text if lang is None else {"en": "x", "id": "x", lang: text}
    if key == "service_name":
        value = {"en": "Safe house", "id": text}
    path = write(tmp_path, shelter(**{key: value}))
    result = check(path)
    found = ours(result)
    assert [(p.code, p.where) for p in found] == [("confidential-address-repeated", f"Services!{letter(path, label)}3")]
    assert label in found[0].message()
    assert "RAHASIA" not in found[0].message().upper() and "RAHASIA" not in found[0].hint().upper()
    assert 3 in result.invalid_rows


def test_notes_may_hold_the_address(tmp_path: Path) -> None:
    """Notes (internal) and Verified by are never printed: staff may keep the address there."""
    result = check(write(tmp_path, shelter(notes=f"Shelter at {ADDRESS}, -6.81731, 107.14201")))
    assert ours(result) == []


@pytest.mark.parametrize("website", [
    "https://www.google.com/maps/place/Rumah/@-6.81731,107.14201,17z",
    "https://maps.app.goo.gl/xyz987",
    "https://www.openstreetmap.org/?mlat=-6.81731&mlon=107.14201#map=19/-6.81731/107.14201",
    "waze.com/ul?ll=-6.81731,107.14201",
])
def test_map_link_as_website_is_an_error(tmp_path: Path, website: str) -> None:
    path = write(tmp_path, shelter(website=website))
    found = ours(check(path))
    where = f"Services!{letter(path, 'Website')}3"
    assert found and {p.where for p in found} == {where}
    assert "confidential-map-link" in {p.code for p in found}


def test_geo_link_is_named_without_quoting_it(tmp_path: Path) -> None:
    """A geo: link is no web address either; its problem would quote the coordinates in reports and logs."""
    path = write(tmp_path, shelter(website="geo:-6.81731,107.14201"))
    result = check(path)
    where = f"Services!{letter(path, 'Website')}3"
    assert {(p.code, p.where) for p in result.errors} == {("confidential-map-link", where),
                                                          ("confidential-coordinates", where)}
    report = "\n".join(report_text(result.problems))
    assert "81731" not in report and "14201" not in report


@pytest.mark.parametrize("typed", ["Lokasi: -6.81731, 107.14201", "LS 6,8173 BT 107,1420",
                                   "6°49'02.3\"S 107°08'31.2\"E", "Di -7.25041, 112.76882 (belakang pasar)"])
def test_coordinates_in_text_are_an_error(tmp_path: Path, typed: str) -> None:
    path = write(tmp_path, shelter(how_to_get_help={"en": "Call first.", "id": typed}))
    found = ours(check(path))
    assert [(p.code, p.where) for p in found] == [
        ("confidential-coordinates", f"Services!{letter(path, 'How to get help (id)')}3")]


def test_a_public_entry_may_print_its_map_and_coordinates(tmp_path: Path) -> None:
    """Only confidential entries are searched: a clinic's map link is useful."""
    path = write(tmp_path, clinic(website="https://maps.app.goo.gl/xyz", latitude=-6.9, longitude=107.6,
                                  how_to_get_help="Lokasi -6.90000, 107.60000"))
    assert ours(check(path)) == []


def test_prices_and_hours_of_a_confidential_entry_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path, shelter(cost_details="Rp 10.000, 25.000 per hari", hours="Senin-Jumat 08.00-16.00"))
    assert ours(check(path)) == []


# ------------------------------------------------------------------------------------------- validate: rows


def test_same_address_on_a_public_row_is_an_error_on_both(tmp_path: Path) -> None:
    path = write(tmp_path, shelter(), clinic(address="JALAN RAHASIA AMAN 7, Kab. Cianjur"))
    found = ours(check(path))
    col = letter(path, "Address")
    assert sorted((p.code, p.where) for p in found) == [
        ("address-is-confidential", f"Services!{col}4"), ("confidential-address-shared", f"Services!{col}3")]
    by_row = {p.row: p for p in found}
    assert "row 4" in by_row[3].message().lower() and "row 3" in by_row[4].message().lower()
    assert "Rahasia" not in by_row[4].message() + by_row[4].hint()


def test_same_building_in_a_longer_address_is_found(tmp_path: Path) -> None:
    path = write(tmp_path, shelter(), clinic(address="Ruko Sentosa Lt. 2, Jl. Rahasia Aman No. 7, Cianjur"))
    assert {p.row for p in ours(check(path))} == {3, 4}


@pytest.mark.parametrize(("publish", "status", "expected"), [
    ("practitioners", "active", {3, 4}), ("public", "temporarily_closed", {3, 4}),
    ("no", "active", set()), ("public", "closed", set()),
])
def test_only_published_rows_give_the_place_away(tmp_path: Path, publish: str, status: str,
                                                 expected: set[int]) -> None:
    path = write(tmp_path, shelter(), clinic(address=ADDRESS, publish=publish, status=status))
    assert {p.row for p in ours(check(path))} == expected


def test_two_confidential_rows_may_share_their_place(tmp_path: Path) -> None:
    path = write(tmp_path, shelter(), shelter(id="CONF-2", service_name="Counselling", categories="mental_health"))
    assert ours(check(path)) == []


def test_coordinates_within_50_m_are_an_error_on_both(tmp_path: Path) -> None:
    # 0.0003 degrees of latitude is 33 m.
    path = write(tmp_path, shelter(), clinic(latitude=LAT + 0.0003, longitude=LON))
    found = ours(check(path))
    col = letter(path, "Latitude")
    assert sorted((p.code, p.where) for p in found) == [
        ("confidential-place-near", f"Services!{col}3"), ("near-confidential-place", f"Services!{col}4")]
    assert "33 m" in found[0].message() and "33 m" in found[1].message()


def test_coordinates_100_m_away_are_fine(tmp_path: Path) -> None:
    path = write(tmp_path, shelter(), clinic(latitude=LAT + 0.0009, longitude=LON))
    assert ours(check(path)) == []


def test_the_example_has_no_confidential_leak() -> None:
    example = Path(__file__).parent.parent / "examples" / "jakarta-westjava.xlsx"
    assert ours(validate_workbook(example)) == []


# ------------------------------------------------------------------------------------------- publishing

LEAKY_TEXTS = {
    "description": {"en": "Come to Jl. Rahasia Aman No. 7. We are at -6.81731, 107.14201.", "id": "Rumah aman."},
    "how_to_get_help": {"en": "Map: https://maps.app.goo.gl/xyz987", "id": "Lokasi LS 6,8173 BT 107,1420"},
    "website": "https://www.google.com/maps/place/Rumah/@-6.81731,107.14201,17z",
}
SECRET_FORMS = ("Rahasia", "RAHASIA", "81731", "14201", "8173", "1420", "maps.app.goo.gl", "google.com/maps")


def test_views_never_carry_the_place_when_validation_is_skipped(tmp_path: Path) -> None:
    """Defence in depth: selection.py takes the place out even from a directory with errors."""
    result = check(write(tmp_path, shelter(**LEAKY_TEXTS), clinic(address="Jalan Rahasia Aman 7",
                                                                  latitude=LAT + 0.0001, longitude=LON)))
    assert result.errors and result.directory is not None
    for edition in ("public", "practitioners"):
        for view in select(result.directory, edition=edition).views:  # type: ignore[arg-type]
            for s in view.services:
                fields = [s.name, s.organization, s.description, s.how_to_get_help, s.website, s.address,
                          s.documents, s.hours, s.accessibility, s.cost_details,
                          None if s.latitude is None else repr(s.latitude)]
                text = " ".join(f for f in fields if f)
                assert not any(form in text for form in SECRET_FORMS), (s.id, text)
                if s.id == "CONF":
                    assert s.website is None
                    assert "Come to" in s.description or view.lang != "en"  # the rest of the text stays
                if s.id == "PUB":
                    assert s.address is None and s.latitude is None and s.longitude is None


def test_booklet_never_prints_or_encodes_a_map_link_of_a_confidential_entry(monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a view made by other code: no website line, no link, no QR code for the map link."""
    hostile.renderers_or_xfail(("pdf",))
    import dataclasses

    from pypdf import PdfReader

    from directory_builder.render import pdf_kit
    from directory_builder.render.options import RenderOptions
    from directory_builder.render.pdf import render_booklet
    from factories import sample_view

    encoded: list[str] = []
    real = pdf_kit.qr_modules
    monkeypatch.setattr(pdf_kit, "qr_modules", lambda data: encoded.append(data) or real(data))
    url = "https://maps.app.goo.gl/xyz987"
    view = sample_view()
    section = view.sections[0]
    hidden = dataclasses.replace(section.services[0], confidential=True, address=None, website=url)
    view = dataclasses.replace(view, sections=(dataclasses.replace(section, services=(hidden,
                                                                                     *section.services[1:])),
                                               *view.sections[1:]))
    data = render_booklet(view, RenderOptions())
    assert url not in encoded and all("goo.gl" not in e for e in encoded)
    assert encoded, "no QR code was drawn at all: the spy would see nothing"
    reader = PdfReader(io.BytesIO(data))
    text = "".join(page.extract_text() or "" for page in reader.pages)
    assert "goo.gl" not in text and b"goo.gl" not in data


def _leaky_workbook(tmp_path: Path) -> Path:
    return write(tmp_path, shelter(**LEAKY_TEXTS), clinic(address="Jalan Rahasia Aman 7", latitude=LAT + 0.0001,
                                                          longitude=LON),
                 clinic(id="OK", service_name={"en": "Legal aid", "id": "Bantuan hukum"}, categories="legal",
                        address="Jl. Terbuka 3, Cianjur"))


def test_build_skip_invalid_publishes_nothing_of_the_place(tmp_path: Path) -> None:
    """The CLI with --skip-invalid: every output byte stream and the log hold none of the place."""
    hostile.renderers_or_xfail(("pdf", "html"))
    from test_privacy import _build_forms

    workbook = _leaky_workbook(tmp_path)
    run = hostile.run_cli("validate", workbook, "--format", "json", cwd=tmp_path)
    assert run.returncode == 1
    report = json.loads(run.stdout)
    codes = {(e["code"], e["row"]) for e in report["errors"]}
    assert {("confidential-address-repeated", 3), ("confidential-map-link", 3), ("confidential-coordinates", 3),
            ("confidential-address-shared", 3), ("address-is-confidential", 4)} <= codes
    for edition in ("public", "practitioners"):
        out = tmp_path / edition
        run = hostile.run_cli("build", workbook, "--out", out, "--edition", edition, "--skip-invalid", "--jobs", "1",
                              cwd=tmp_path)
        assert "Traceback" not in run.stderr
        forms = _build_forms(out, thorough=True)
        assert any(f.label.endswith(".pdf (text)") for f in forms) and any(f.label.endswith(".html (text)")
                                                                           for f in forms)
        everything = "\n".join(f.text for f in forms) + run.stdout + run.stderr
        assert "Legal aid" in everything  # the valid row is built: the search is not blind
        # The manifest's SHA-256 digests change with every edit of the tool and hold "1420" one time in twenty:
        # a run of 32 hex digits is a digest, never a place.
        everything = re.sub(r"\b[0-9a-f]{32,}\b", "<digest>", everything)
        for form in SECRET_FORMS:
            assert form not in everything, f"{form!r} published in the {edition} edition"
    for fmt, name in (("json", "s.json"), ("hxl", "s.csv"), ("hsds", "hsds")):
        run = hostile.run_cli("export", workbook, "--format", fmt, "--out", tmp_path / name, cwd=tmp_path)
        assert run.returncode != 0 and not (tmp_path / name).exists()


def test_skip_invalid_in_the_library_leaves_both_rows_out(tmp_path: Path) -> None:
    hostile.renderers_or_xfail(("html",))
    result = build_directory(_leaky_workbook(tmp_path), BuildOptions(out=tmp_path / "out", formats=("html",),
                                                                      skip_invalid=True, jobs=1), today=TODAY)
    assert {3, 4} <= set(result.skipped_rows) and 5 not in result.skipped_rows


def test_changelog_does_not_quote_a_leaked_place(tmp_path: Path) -> None:
    from directory_builder.lifecycle.diff import diff_workbooks, format_diff

    old = write(tmp_path, shelter(), name="old.xlsx")
    new = write(tmp_path, shelter(description={"en": "Come to Jl. Rahasia Aman No. 7.", "id": "Rumah aman."}),
                name="new.xlsx")
    markdown = format_diff(diff_workbooks(old, new), "markdown")
    assert "Rahasia" not in markdown


def test_clashes_read_abbreviations_and_street_names_with_numbers() -> None:
    """'Jl. 17 Agustus No. 5' and 'Jalan 17 Agustus 5' are one place; No. 55 and another street are not."""
    secret = confidential.Located(3, "Jl. 17 Agustus No. 5, Manado", None, None)
    shown = [confidential.Located(4, "Jalan 17 Agustus 5", None, None),
             confidential.Located(5, "Jl. 17 Agustus No. 55", None, None),
             confidential.Located(6, "Jln. Sam Ratulangi 5, Manado", None, None),
             confidential.Located(7, "Jl. SECRET0a1 No. 5", None, None)]
    assert [(c.secret, c.shown, c.how) for c in confidential.clashes([secret], shown)] == [(3, 4, "address")]
    other = confidential.Located(8, "Jl. 03SECRET0a1b03 No. 1", None, None)
    twin = confidential.Located(9, "jalan 03secret0a1b03 nomor 1, Kota", None, None)
    assert [(c.secret, c.shown) for c in confidential.clashes([other], [twin, shown[3]])] == [(8, 9)]


def test_the_same_street_and_number_in_another_town_is_another_place(tmp_path: Path) -> None:
    """'Jl. Merdeka No. 1' is in many towns: street and number are compared within a district only."""
    path = write(tmp_path, shelter(), clinic(address="Jl. Rahasia Aman No. 7, Jakarta", district="Jakarta Pusat"),
                 clinic(id="ALL", address="Jl. Rahasia Aman No. 7", district="All districts",
                        service_name={"en": "Hotline", "id": "Saluran"}),
                 clinic(id="SAME", address=ADDRESS, district="Jakarta Pusat",
                        service_name={"en": "Office", "id": "Kantor"}))
    assert {p.row for p in ours(check(path))} == {3, 5, 6}


def test_bench_workbook_at_national_scale_has_no_shared_place(tmp_path: Path) -> None:
    """The benchmark's generator keeps confidential addresses apart, as staff must."""
    import importlib
    import sys

    bench = str(Path(__file__).resolve().parent.parent / "bench")
    sys.path.insert(0, bench)
    try:
        gen = importlib.import_module("generate")
    finally:
        sys.path.remove(bench)
    for seed, languages in ((1, ("id", "en")), (2, ("vi", "en")), (3, ("th", "en"))):
        path = gen.generate(gen.Spec(services=3000, districts=30, languages=languages, seed=seed),
                            tmp_path / f"big-{seed}.xlsx")
        assert ours(validate_workbook(path)) == []


# ------------------------------------------------------------------------------------------- other sheets

#: Where staff typed the shelter outside the Services sheet (seen: a hotline named after its street, the
#: quick-exit page a map link to it, its coordinates as the neutral title, its street in the edition).
ELSEWHERE_SETTINGS = {
    "Edition": {"en": "First edition, Jalan Rahasia Aman 7", "id": "Edisi pertama"},
    "Neutral title": {"en": f"Services {LAT}, {LON}", "id": "Layanan"},
    "Quick exit page": {"en": "https://maps.google.com/?q=Jl.+Rahasia+Aman+No.+7", "id": "https://example.org"},
    "National hotlines": "Polisi: 110; Rumah JL RAHASIA AMAN nomor 7: 0812 5550 0170",
}
ELSEWHERE_DISTRICTS = (("Jakarta Pusat", "DKI Jakarta"),
                       ("Kabupaten Cianjur", "Jawa Barat, dekat Jl. Rahasia Aman No. 7"))


def _elsewhere(tmp_path: Path) -> Path:
    return make_workbook(tmp_path / "w.xlsx", services=[shelter(), clinic(id="OK", address="Jl. Terbuka 3")],
                         districts=ELSEWHERE_DISTRICTS, settings={"Languages": "en, id", **ELSEWHERE_SETTINGS})


def test_a_place_typed_on_the_directory_or_districts_sheet_is_an_error_naming_the_cell(tmp_path: Path) -> None:
    path = _elsewhere(tmp_path)
    result = check(path)
    found = {p.where for p in result.errors if p.code == "confidential-place-elsewhere"}
    wb = load_workbook(path)
    expected = {f"Directory!B{c.row}" for c in wb["Directory"]["B"] if c.row > 2 and (
        "Rahasia" in str(c.value) or "RAHASIA" in str(c.value) or str(LON) in str(c.value))}
    expected |= {f"Districts!{c.coordinate}" for row in wb["Districts"].iter_rows() for c in row
                 if "Rahasia Aman" in str(c.value)}
    assert len(expected) == 5
    assert found == expected
    text = report_text(result.problems)
    assert "Rahasia" not in text and "RAHASIA" not in text and str(LON) not in text
    assert all(dict(p.params)["other_row"] == "3" for p in result.errors if p.code == "confidential-place-elsewhere")


def test_settings_with_the_place_are_published_without_it(tmp_path: Path) -> None:
    """Defence in depth: built with --skip-invalid, no page, index or card holds the place."""
    hostile.renderers_or_xfail(("pdf", "html"))
    from test_privacy import _build_forms

    path = _elsewhere(tmp_path)
    for neutral in ((), ("--neutral-title",)):
        out = tmp_path / f"out{len(neutral)}"
        run = hostile.run_cli("build", path, "--out", out, "--skip-invalid", "--jobs", "1", *neutral, cwd=tmp_path)
        assert run.returncode == 0, run.stderr
        forms = _build_forms(out, thorough=True)
        everything = re.sub(r"\b[0-9a-f]{32,}\b", "<digest>", "\n".join(f.text for f in forms) + run.stdout)
        assert "0812" in everything.replace(" ", "").replace("-", "") or "812" in everything  # hotline kept
        for form in ("Rahasia Aman", "RAHASIA AMAN", "Rahasia+Aman", "14201", "81731"):
            assert form not in everything, f"{form!r} published ({neutral})"


def test_secrets_index_finds_each_place_once_and_leaves_other_text() -> None:
    secrets = confidential.Secrets([(3, confidential.Place.of(ADDRESS, LAT, LON)),
                                    (9, confidential.Place.of("Jl. Melati No. 12", None, None))])
    assert secrets.found_in("Rumah jalan MELATI nomor 12") == [(9, "address")]
    assert secrets.found_in("https://maps.google.com/?q=Jl.%20Rahasia%20Aman%20No.%207") == [(3, "address")]
    assert secrets.found_in("6.8173 S 107.1420 E") == [(3, "coordinates")]
    assert secrets.found_in("-6.7000, 107.1420") == []  # 13 km away
    assert secrets.found_in("Polisi 110, Jalan Melati") == []  # the street without its number is many places
    assert secrets.redact("Call 110 or visit Jl. Melati No. 12") == "Call 110 or visit …"


def test_a_place_typed_into_another_entry_s_text_is_an_error_on_that_cell(tmp_path: Path) -> None:
    """Seen: a clinic's description "Next to the safe house at Jl. Rahasia Aman No. 7" passed validate."""
    path = write(tmp_path, shelter(), clinic(description={"en": "Next to the safe house at Jl. Rahasia Aman No. 7.",
                                                          "id": "Di sebelah rumah aman."}))
    result = check(path)
    found = [p for p in result.errors if p.code == "confidential-place-other-row"]
    assert [(p.row, p.column, dict(p.params)["other_row"]) for p in found] == [(4, "Description (en)", "3")]
    assert found[0].cell == f"{letter(path, 'Description (en)')}4"
    assert "Rahasia" not in report_text(result.problems)
