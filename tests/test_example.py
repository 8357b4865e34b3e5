"""The bundled fictional example (examples/jakarta-westjava.xlsx): valid, varied, and up to date.

The example is what a new user opens first and what the other tests and the docs build from, so it must
validate with no error, use every category, column and edition rule, and be exactly what
examples/make_example.py makes from examples/source/directory.yaml.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import phonenumbers
import pytest

from directory_builder.check.validate import ValidationResult, validate_workbook
from directory_builder.columns import SERVICES_COLUMNS
from directory_builder.model import Directory, Phone
from directory_builder.vocab import CATEGORIES, ORG_TYPES
from directory_builder.workbook.template import workbook_bytes

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "jakarta-westjava.xlsx"
GENERATOR = ROOT / "examples" / "make_example.py"
TODAY = dt.date(2026, 4, 1)
CONFIDENTIAL_ADDRESS = "Jl. Rahasia Aman No. 7, Cianjur"
#: Warnings the example carries on purpose (entries not checked for more than 12 months).
INTENDED_WARNINGS = {"stale-entry"}


def _load_generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_example", GENERATOR)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("make_example", module)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def generator() -> ModuleType:
    return _load_generator()


@pytest.fixture(scope="module")
def result() -> ValidationResult:
    return validate_workbook(EXAMPLE, today=TODAY)


@pytest.fixture(scope="module")
def directory(result: ValidationResult) -> Directory:
    assert result.directory is not None
    return result.directory


def _all_phones(directory: Directory) -> list[Phone]:
    phones = [n.phone for n in directory.settings.national_hotlines]
    phones += [n.phone for d in directory.districts for n in d.emergency]
    for s in directory.services:
        phones += [*s.phone, *s.hotline, *s.sms, *s.focal_point_phone]
    return phones


# ---------------------------------------------------------------------------------------------- validity


def test_example_validates_without_errors(result: ValidationResult) -> None:
    assert result.errors == [], [p.message() for p in result.errors]
    unexpected = [p for p in result.warnings if p.code not in INTENDED_WARNINGS]
    assert unexpected == [], [(p.code, p.cell, p.message()) for p in unexpected]


def test_example_has_stale_entries_and_mostly_recent_ones(directory: Directory, result: ValidationResult) -> None:
    stale = [p for p in result.warnings if p.code == "stale-entry"]
    assert 2 <= len(stale) <= len(directory.services) // 5
    limit = dt.date(2025, 3, 31)
    # Closed entries are never printed, so they are not flagged for re-checking.
    assert sum(s.last_verified < limit and s.status != "closed" for s in directory.services) == len(stale)


def test_settings(directory: Directory) -> None:
    settings = directory.settings
    assert settings.languages == ["id", "en"]
    assert settings.country == "ID"
    assert settings.published == dt.date(2026, 3, 31)
    assert settings.review_after_months == 12
    assert "(CONTOH FIKTIF)" in settings.title.values["id"]
    assert "(FICTIONAL EXAMPLE)" in settings.title.values["en"]
    for lang, word in (("id", "fiktif"), ("en", "fictional")):
        assert word in settings.publisher.values[lang].lower() and word in settings.edition.values[lang].lower()
    assert {n.phone.dial for n in settings.national_hotlines} >= {"110", "129"}


# ---------------------------------------------------------------------------------------------- coverage


def test_districts(directory: Directory) -> None:
    assert len(directory.districts) >= 6
    assert {d.province for d in directory.districts} == {"DKI Jakarta", "Jawa Barat"}
    assert all(d.code and d.emergency for d in directory.districts)
    own = {s.district for s in directory.services if s.publish == "public" and s.status == "active"}
    assert {d.name for d in directory.districts} <= own  # every district has a directory of its own


def test_services_cover_every_category_and_organization_type(directory: Directory) -> None:
    services = directory.services
    assert len(services) >= 40
    assert {c for s in services for c in s.categories} == set(CATEGORIES.codes)
    assert {s.organization_type for s in services} == set(ORG_TYPES.codes)
    assert {s.trafficking_specific for s in services} == {True, False}
    assert sum(s.all_districts for s in services) >= 3


def test_exactly_one_confidential_shelter(directory: Directory) -> None:
    confidential = [s for s in directory.services if s.confidential]
    assert len(confidential) == 1
    shelter = confidential[0]
    assert "shelter" in shelter.categories
    assert shelter.address == CONFIDENTIAL_ADDRESS
    assert shelter.notes is not None and "SECRET-NOTE" in shelter.notes
    assert shelter.latitude is not None and shelter.longitude is not None
    assert shelter.publish == "public" and shelter.status == "active"
    # Outputs are grepped for these markers: they must occur nowhere else in the source data.
    source = (ROOT / "examples" / "source" / "directory.yaml").read_text(encoding="utf-8").casefold()
    for marker in ("rahasia", "secret", "822771", "131313"):
        assert source.count(marker) == 1, marker


def test_editions_and_statuses(directory: Directory) -> None:
    services = directory.services
    assert sum(s.publish == "practitioners" for s in services) >= 2
    assert sum(s.publish == "no" for s in services) == 1
    assert sum(s.status == "temporarily_closed" for s in services) == 1
    assert sum(s.status == "closed" for s in services) == 1
    assert any(s.id_generated for s in services)  # a new row without an ID, as staff leave it


def test_both_languages_everywhere(directory: Directory) -> None:
    translatable = [c.key for c in SERVICES_COLUMNS if c.translatable]
    for service in directory.services:
        for key in translatable:
            text = getattr(service, key)
            if text:
                assert set(text.values) == {"id", "en"}, (service.id, key)
        assert service.service_name and service.description


def test_every_column_is_used(directory: Directory) -> None:
    for column in SERVICES_COLUMNS:
        if column.key == "id":
            continue
        values = [getattr(s, column.key) for s in directory.services]
        assert any(v is not None and (isinstance(v, bool) or bool(v)) for v in values), column.key
        if column.type == "bool":
            assert {v for v in values if v is not None} == {True, False}, column.key


def test_contacts_are_fictional(directory: Directory) -> None:
    for phone in _all_phones(directory):
        if phone.short_code:
            assert len(phone.dial) == 3, phone.raw  # only the public national short codes
            continue
        number = phonenumbers.parse(phone.raw, "ID")
        assert phonenumbers.is_valid_number(number), phone.raw
        assert "555" in phone.dial, phone.raw  # the invented range
    for service in directory.services:
        if service.email:
            assert service.email.rsplit("@", 1)[1] in {"example.org", "example.com", "example.net"}
        if service.website:
            host = service.website.split("/")[2]
            assert host.removeprefix("www.") in {"example.org", "example.com", "example.net"}
    assert any(s.website and not s.website.startswith("https://www.") for s in directory.services)


# ---------------------------------------------------------------------------------------------- generator


def test_committed_workbook_matches_generator(generator: ModuleType, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.xlsx"
    assert generator.main(["--out", str(fresh)]) == 0
    assert generator.sheet_values(fresh) == generator.sheet_values(EXAMPLE), (
        "examples/jakarta-westjava.xlsx is out of date: run python examples/make_example.py")
    assert generator.main(["--check"]) == 0


def test_generator_is_deterministic(generator: ModuleType) -> None:
    assert workbook_bytes(generator.build_example_workbook()) == workbook_bytes(generator.build_example_workbook())


def test_generator_refuses_unknown_keys(generator: ModuleType, tmp_path: Path) -> None:
    source = tmp_path / "bad.yaml"
    source.write_text(
        "settings: {languages: 'id, en'}\n"
        "districts: []\n"
        "services:\n  - organisation: Typo Foundation\n",
        encoding="utf-8",
    )
    with pytest.raises(generator.ExampleError, match="organisation"):
        generator.build_example_workbook(source)
