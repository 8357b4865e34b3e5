"""The benchmark's workbook generator: deterministic, valid, and filled the way staff fill the template."""

from __future__ import annotations

import collections
import importlib
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from directory_builder.check.validate import ValidationResult, validate_workbook
from directory_builder.columns import SERVICES_COLUMNS
from directory_builder.workbook.reader import read_workbook

BENCH = Path(__file__).resolve().parent.parent / "bench"


@pytest.fixture(scope="module")
def gen() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("generate")
    finally:
        sys.path.remove(str(BENCH))


def _make(gen: ModuleType, folder: Path, name: str, **spec: object) -> Path:
    return gen.generate(gen.Spec(**spec), folder / name)


@pytest.fixture(scope="module")
def medium(gen: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ValidationResult]:
    path = _make(gen, tmp_path_factory.mktemp("gen"), "medium.xlsx", services=240, districts=3,
                 languages=("id", "en"), seed=3)
    return path, validate_workbook(path)


def test_same_seed_same_bytes_other_seed_other_bytes(gen: ModuleType, tmp_path: Path) -> None:
    a = _make(gen, tmp_path, "a.xlsx", services=40, districts=2, seed=7)
    b = _make(gen, tmp_path, "b.xlsx", services=40, districts=2, seed=7)
    c = _make(gen, tmp_path, "c.xlsx", services=40, districts=2, seed=8)
    assert a.read_bytes() == b.read_bytes()
    assert a.read_bytes() != c.read_bytes()


@pytest.mark.parametrize(("languages", "country"), [
    (("id", "en"), "ID"), (("vi", "en"), "VN"), (("th", "en"), "TH"), (("en", "id", "vi"), "ID"),
])
def test_every_language_mix_validates_without_errors(gen: ModuleType, tmp_path: Path,
                                                     languages: tuple[str, ...], country: str) -> None:
    path = _make(gen, tmp_path, "w.xlsx", services=60, districts=3, languages=languages, seed=1)
    result = validate_workbook(path)
    assert [(p.code, p.where) for p in result.errors] == []
    assert result.directory is not None
    settings = result.directory.settings
    assert settings.country == country
    assert settings.languages == list(languages)
    assert len(result.directory.districts) == 3
    assert len(result.directory.services) == 60
    # Every service has a name and a description in the default language.
    assert all(s.service_name.values.get(languages[0]) for s in result.directory.services)
    assert all(s.description.values.get(languages[0]) for s in result.directory.services)


def test_descriptions_have_40_to_80_words_and_warn_like_staff_text(medium: tuple[Path, ValidationResult]) -> None:
    _path, result = medium
    assert result.directory is not None
    counts = [len(s.description.values["id"].split()) for s in result.directory.services]
    assert min(counts) >= 40 and max(counts) <= 80 + 30  # the last sentence may overshoot the target
    codes = collections.Counter(p.code for p in result.warnings)
    assert codes["description-too-long"] > len(counts) // 2


def test_every_column_of_the_spec_is_filled_somewhere(medium: tuple[Path, ValidationResult]) -> None:
    path, _result = medium
    raw = read_workbook(path)
    assert raw.services is not None
    filled: collections.Counter[tuple[str, str | None]] = collections.Counter()
    for _row, cells in raw.services.rows:
        for match in raw.services.columns:
            if cells.get(match.index) is not None:
                filled[(match.column.key, match.lang)] += 1
    for column in SERVICES_COLUMNS:
        langs = ("id", "en") if column.translatable else (None,)
        for lang in langs:
            assert filled[(column.key, lang)] > 0, (column.key, lang)
    assert raw.districts is not None and len(raw.districts.rows) == 3


def test_rows_look_like_a_real_directory(medium: tuple[Path, ValidationResult]) -> None:
    path, result = medium
    assert result.directory is not None
    services = result.directory.services
    assert any(s.confidential and "shelter" in s.categories for s in services)
    assert any(s.confidential and s.address for s in services)  # staff keep the address for themselves
    assert any(s.publish == "practitioners" for s in services)
    assert any(s.publish == "no" or s.status == "closed" for s in services)
    assert any(s.all_districts for s in services)
    assert any(p.short_code for s in services for p in s.hotline)
    assert any(len(s.phone) > 1 for s in services)
    assert any(s.website and s.website.startswith("https://www.") for s in services)
    assert all(s.email is None or s.email.endswith(".example") for s in services)
    assert any(p.code == "stale-entry" for p in result.warnings)
    # Dates typed as text (DD/MM/YYYY) and real Excel dates both occur.
    raw = read_workbook(path)
    assert raw.services is not None
    col = next(m.index for m in raw.services.columns if m.column.key == "last_verified")
    kinds = {type(cells[col]).__name__ for _row, cells in raw.services.rows}
    assert {"str", "datetime"} <= kinds


def test_text_is_stored_as_shared_strings_like_excel_saves_it(gen: ModuleType, tmp_path: Path) -> None:
    path = _make(gen, tmp_path, "s.xlsx", services=20, districts=2)
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
        sheets = [zf.read(n) for n in names if n.startswith("xl/worksheets/")]
    assert "xl/sharedStrings.xml" in names
    assert not any(b"inlineStr" in sheet for sheet in sheets)
    inline = gen.generate(gen.Spec(services=20, districts=2), tmp_path / "i.xlsx", inline_strings=True)
    assert read_workbook(inline).services.rows == read_workbook(path).services.rows  # type: ignore[union-attr]


def test_an_edit_changes_exactly_one_cell(gen: ModuleType, tmp_path: Path) -> None:
    base = _make(gen, tmp_path, "base.xlsx", services=30, districts=3, seed=2)
    edited = _make(gen, tmp_path, "edited.xlsx", services=30, districts=3, seed=2,
                   edits={12: {"phone": "021 5550 0123"}})
    rows_a = read_workbook(base).services.rows  # type: ignore[union-attr]
    rows_b = read_workbook(edited).services.rows  # type: ignore[union-attr]
    diffs = [(ra, k) for (ra, ca), (_rb, cb) in zip(rows_a, rows_b, strict=True)
             for k in set(ca) | set(cb) if ca.get(k) != cb.get(k)]
    assert len(diffs) == 1 and diffs[0][0] == 12 + 3
    assert validate_workbook(edited).errors == []


@pytest.mark.parametrize("languages", [("id", "en"), ("vi", "en"), ("th", "en")])
def test_calamine_and_openpyxl_read_the_same(gen: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                             languages: tuple[str, ...]) -> None:
    """The fast reader (python-calamine) and openpyxl give the same rows, problems and model."""
    pytest.importorskip("python_calamine")
    from directory_builder.workbook import calamine

    path = _make(gen, tmp_path, "w.xlsx", services=80, districts=3, languages=languages, seed=4)
    assert calamine.open_calamine(path) is not None
    results = {}
    for reader in ("calamine", "openpyxl"):
        monkeypatch.setenv(calamine.READER_ENV, reader)
        raw = read_workbook(path)
        result = validate_workbook(path)
        assert result.directory is not None
        results[reader] = (raw.services, raw.districts, raw.settings, raw.problems, result.problems,
                           result.directory.model_dump())
    assert results["calamine"] == results["openpyxl"]
