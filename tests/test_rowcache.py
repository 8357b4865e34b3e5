"""The row cache gives exactly what checking every row gives, and only to the user who wrote it.

Each test compares a run that reuses cached rows with a run that checks every row (no cache): same
problems (cells, messages), same rows left out, same model. The cache folder is a fresh temporary one.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.check import rowcache
from directory_builder.check.rowcache import NO_CACHE_ENV, RowCache
from directory_builder.check.validate import ValidationResult, validate_raw, validate_workbook
from directory_builder.i18n import use_language
from directory_builder.workbook.reader import read_workbook
from workbook_factory import make_workbook, service

TODAY = dt.date(2026, 6, 1)
_DEFAULT_FOLDER = rowcache.cache_folder
LONG = " ".join(["Kami membantu korban perdagangan orang dengan tempat tinggal aman."] * 8)


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh rows folder (the fonts stay in the user's cache: building them takes half a minute)."""
    folder = tmp_path / "cache" / "rows"
    monkeypatch.setattr(rowcache, "cache_folder", lambda: folder)
    monkeypatch.delenv(NO_CACHE_ENV, raising=False)
    return folder


def cache_folder() -> Path:
    return rowcache.cache_folder()


def _services(**changes: dict[str, Any]) -> list[dict[str, Any]]:
    """Rows with every kind of outcome: clean, warnings, errors, generated IDs that clash, all districts."""
    rows = {
        "clean": service(id="S1", service_name="Rumah aman"),
        "warned": service(id="S2", service_name="Konseling", description=LONG, categories="counselling"),
        "bad_phone": service(id="S3", service_name="Bantuan hukum", phone="12", categories="legal_aid"),
        "unknown_district": service(id="S4", service_name="Klinik", district="Jakarta Pusaat", categories="medical"),
        "gen_a": service(service_name="Pulang", organization="Yayasan Pulang", categories="return_home"),
        "gen_b": service(service_name="Pulang", organization="Yayasan Pulang", categories="return_home"),
        "everywhere": service(id="S7", service_name="Hotline", district="All districts", categories="counselling"),
        "duplicate_id": service(id="S1", service_name="Rumah aman 2", district="Kabupaten Cianjur"),
        "stale": service(id="S9", service_name="Dokumen", categories="documents", last_verified=dt.date(2024, 1, 5)),
    }
    for name, values in changes.items():
        rows[name] = {**rows[name], **values}
    return list(rows.values())


def _write(path: Path, **changes: dict[str, Any]) -> Path:
    return make_workbook(path, services=_services(**changes), settings={"Languages": "id, en"})


def _check(path: Path, *, cache: bool, today: dt.date = TODAY) -> tuple[ValidationResult, RowCache | None]:
    row_cache = RowCache(path) if cache else None
    result = validate_raw(read_workbook(path), today=today, cache=row_cache)
    return result, row_cache


def _assert_same(cached: ValidationResult, fresh: ValidationResult) -> None:
    assert cached.problems == fresh.problems
    assert [p.message() for p in cached.problems] == [p.message() for p in fresh.problems]
    assert cached.invalid_rows == fresh.invalid_rows
    assert repr(cached.directory) == repr(fresh.directory)


def test_a_second_run_reuses_every_row_and_gives_the_same_result(tmp_path: Path) -> None:
    book = _write(tmp_path / "d.xlsx")
    fresh, _ = _check(book, cache=False)
    first, cache1 = _check(book, cache=True)
    second, cache2 = _check(book, cache=True)
    assert cache1 is not None and cache2 is not None
    assert (cache1.hits, cache1.misses) == (0, 9)
    assert (cache2.hits, cache2.misses) == (9, 0)
    _assert_same(first, fresh)
    _assert_same(second, fresh)
    codes = {p.code for p in second.problems}
    assert {"invalid-phone", "unknown-district", "duplicate-id", "possible-duplicate", "description-too-long",
            "stale-entry"} <= codes
    ids = sorted(s.id for s in second.directory.services if s.id_generated)  # type: ignore[union-attr]
    assert len(ids) == 2 and ids[1] == ids[0] + "-2"


def test_an_edited_row_is_checked_again_and_the_others_are_reused(tmp_path: Path) -> None:
    book = _write(tmp_path / "d.xlsx")
    _check(book, cache=True)
    _write(book, bad_phone={"phone": "021 3190 0111"}, clean={"phone": "9"})  # one fix, one new mistake
    cached, cache = _check(book, cache=True)
    fresh, _ = _check(book, cache=False)
    assert cache is not None and (cache.hits, cache.misses) == (7, 2)
    _assert_same(cached, fresh)
    bad = [p.cell for p in cached.problems if p.code == "invalid-phone"]
    assert len(bad) == 1 and bad[0].endswith("3")  # the first data row (row 3), no longer row 5


def test_a_reused_row_gets_its_generated_id_back_when_the_clash_is_gone(tmp_path: Path) -> None:
    book = _write(tmp_path / "d.xlsx")
    _before, _ = _check(book, cache=True)
    _write(book, gen_a={"organization": "Yayasan Lain"})  # gen_b no longer clashes; its row is unchanged
    cached, cache = _check(book, cache=True)
    fresh, _ = _check(book, cache=False)
    assert cache is not None and cache.hits == 8
    _assert_same(cached, fresh)
    assert not any(s.id.endswith("-2") for s in cached.directory.services)  # type: ignore[union-attr]


@pytest.mark.parametrize("change", ["today", "districts", "language", "country", "columns"])
def test_a_changed_context_checks_every_row_again(tmp_path: Path, change: str) -> None:
    book = _write(tmp_path / "d.xlsx")
    _check(book, cache=True)
    today = TODAY
    if change == "today":
        today = TODAY + dt.timedelta(days=400)  # every entry becomes stale
    elif change == "districts":
        make_workbook(book, services=_services(), settings={"Languages": "id, en"},
                      districts=["Jakarta Pusat", "Kabupaten Cianjur", "Jakarta Pusaat"])
    elif change == "country":
        make_workbook(book, services=_services(), settings={"Languages": "id, en", "Country": "MY"})
    elif change == "columns":
        make_workbook(book, services=_services(), settings={"Languages": "id, en"}, columns=["website"])
    if change == "language":
        with use_language("id"):
            cached, cache = _check(book, cache=True, today=today)
            fresh, _ = _check(book, cache=False, today=today)
    else:
        cached, cache = _check(book, cache=True, today=today)
        fresh, _ = _check(book, cache=False, today=today)
    assert cache is not None and cache.hits == 0
    _assert_same(cached, fresh)


def test_the_cache_is_private_to_its_owner(tmp_path: Path, private_cache: Path) -> None:
    book = _write(tmp_path / "d.xlsx")
    _check(book, cache=True)
    files = list(cache_folder().glob("*.pickle"))
    assert len(files) == 1
    assert stat.S_IMODE(files[0].stat().st_mode) == 0o600
    assert stat.S_IMODE(cache_folder().stat().st_mode) == 0o700
    assert cache_folder() == private_cache


@pytest.mark.parametrize("damage", ["world-writable", "garbage", "truncated", "folder"])
def test_a_damaged_or_foreign_cache_file_is_ignored(tmp_path: Path, damage: str) -> None:
    book = _write(tmp_path / "d.xlsx")
    _check(book, cache=True)
    path = next(cache_folder().glob("*.pickle"))
    if damage == "world-writable":
        path.chmod(0o666)
    elif damage == "garbage":
        path.write_bytes(b"\x80\x05not a pickle at all")
    elif damage == "truncated":
        path.write_bytes(path.read_bytes()[:1000])
    else:
        path.unlink()
        path.mkdir()
    cached, cache = _check(book, cache=True)
    fresh, _ = _check(book, cache=False)
    assert cache is not None and cache.hits == 0
    _assert_same(cached, fresh)


def test_no_cache_setting_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(NO_CACHE_ENV, "1")
    book = _write(tmp_path / "d.xlsx")
    validate_workbook(book, cache=True)
    assert not cache_folder().exists() or not any(cache_folder().iterdir())


def test_an_unwritable_cache_folder_does_not_stop_validation(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    monkeypatch.setattr(rowcache, "cache_folder", lambda: blocker / "rows")
    book = _write(tmp_path / "d.xlsx")
    result = validate_workbook(book, cache=True, today=TODAY)
    _assert_same(result, _check(book, cache=False)[0])


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_rebuild_with_cached_rows_equals_a_fresh_build(tmp_path: Path) -> None:
    """The command line's path: the same workbook file corrected in place, then built again."""
    rows = [service(id=f"S{i}", service_name=f"Layanan {i}", district=d, phone=f"021 3190 01{i:02d}")
            for i, d in enumerate(["Jakarta Pusat", "Kabupaten Cianjur"] * 3)]
    book = make_workbook(tmp_path / "d.xlsx", services=rows, settings={"Languages": "id, en"})
    out = tmp_path / "out"
    options = BuildOptions(out=out, jobs=1, row_cache=True, formats=("html",))
    first = build_directory(book, options, today=TODAY)
    assert first.built and len(first.rebuilt) == 4
    rows[1] = {**rows[1], "phone": "021 3190 0199"}  # Kabupaten Cianjur
    make_workbook(book, services=rows, settings={"Languages": "id, en"})
    again = build_directory(book, options, today=TODAY)
    assert sorted(again.rebuilt) == [("kabupaten-cianjur", "en"), ("kabupaten-cianjur", "id")]
    assert "0199" in (out / "id" / "kabupaten-cianjur.html").read_text(encoding="utf-8")

    fresh = tmp_path / "fresh"
    shutil.rmtree(cache_folder())
    build_directory(book, BuildOptions(out=fresh, jobs=1, formats=("html",), incremental=False), today=TODAY)
    assert _tree(out) == _tree(fresh)
    assert not any(p.suffix == ".pickle" for p in out.rglob("*"))  # the cache never sits with the outputs


def test_the_cache_file_of_a_build_is_outside_the_output_folder(tmp_path: Path) -> None:
    book = make_workbook(tmp_path / "d.xlsx", services=[service(id="S1")])
    out = tmp_path / "out"
    build_directory(book, BuildOptions(out=out, jobs=1, row_cache=True, formats=("html",)), today=TODAY)
    cached = list(cache_folder().glob("*.pickle"))
    assert len(cached) == 1 and out not in cached[0].parents
    assert os.stat(cached[0]).st_uid == os.getuid()


def test_the_next_nights_build_of_an_unchanged_workbook_reuses_every_file(tmp_path: Path) -> None:
    """The date changes what validation says (stale entries), not what is published."""
    book = make_workbook(tmp_path / "d.xlsx", services=[service(id="S1"), service(id="S2", district="Kabupaten Cianjur")])
    options = BuildOptions(out=tmp_path / "out", jobs=1, row_cache=True, formats=("html",))
    first = build_directory(book, options, today=TODAY)
    again = build_directory(book, options, today=TODAY + dt.timedelta(days=1))
    later = build_directory(book, options, today=TODAY + dt.timedelta(days=400))
    assert len(first.rebuilt) == 2
    assert again.rebuilt == [] and later.rebuilt == []
    assert any(p.code == "stale-entry" for p in later.validation.problems)


def test_the_default_folder_is_in_the_users_cache(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("DIRECTORY_BUILDER_CACHE_DIR", str(tmp_path / "c"))
    assert _DEFAULT_FOLDER() == tmp_path / "c" / "rows"


def test_rows_checked_in_child_processes_give_the_same_result(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The first check of a big workbook shares the rows with forked children (Linux); same result, same cache."""
    from directory_builder.util import forkwork

    if not sys.platform.startswith("linux"):
        pytest.skip("rows are shared with forked children on Linux only")  # pragma: no cover
    monkeypatch.setattr(forkwork, "can_fork", lambda: True)  # even if an earlier test left a thread running
    rows = [service(id=f"S{i}", service_name=f"Layanan {i}", phone="12" if i % 7 == 0 else f"021 3190 {i:04d}",
                    description=LONG if i % 5 == 0 else "Bantuan.", district="Jakarta Pusat" if i % 2 else "Kabupaten Cianjur")
            for i in range(40)]
    book = make_workbook(tmp_path / "d.xlsx", services=rows, settings={"Languages": "id, en"})
    fresh, _ = _check(book, cache=False)  # 40 rows: below the threshold, checked in this process
    monkeypatch.setattr(forkwork, "MIN_ITEMS", 2)
    monkeypatch.setattr(forkwork, "usable_cpus", lambda: 4)
    forked: list[int] = []
    real = forkwork.Children.__init__

    def counting(self: Any, work: Any, shares: Any) -> None:
        forked.append(len(shares))
        real(self, work, shares)

    monkeypatch.setattr(forkwork.Children, "__init__", counting)
    shared, _cache = _check(book, cache=True)
    assert forked == [3]  # this process and three children
    _assert_same(shared, fresh)
    again, cache2 = _check(book, cache=True)  # every row, from whichever process checked it, was cached
    assert cache2 is not None and (cache2.hits, cache2.misses) == (40, 0)
    _assert_same(again, fresh)


def test_a_failing_child_only_means_the_parent_checks_its_rows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from directory_builder.util import forkwork

    if not sys.platform.startswith("linux"):
        pytest.skip("rows are shared with forked children on Linux only")  # pragma: no cover
    monkeypatch.setattr(forkwork, "can_fork", lambda: True)
    book = _write(tmp_path / "d.xlsx")
    fresh, _ = _check(book, cache=False)
    monkeypatch.setattr(forkwork, "MIN_ITEMS", 2)
    monkeypatch.setattr(forkwork, "usable_cpus", lambda: 2)

    def broken(self: Any, work: Any, shares: Any) -> None:
        real_init(self, lambda share: (_ for _ in ()).throw(MemoryError()), shares)

    real_init = forkwork.Children.__init__
    monkeypatch.setattr(forkwork.Children, "__init__", broken)
    shared, _ = _check(book, cache=True)
    _assert_same(shared, fresh)


def test_a_relabelled_column_rechecks_the_rows_but_rebuilds_nothing(tmp_path: Path) -> None:
    """Labels appear in problems, not in what is published."""
    from openpyxl import load_workbook

    book = make_workbook(tmp_path / "d.xlsx", services=[service(id="S1", phone="12"), service(id="S2")])
    options = BuildOptions(out=tmp_path / "out", jobs=1, row_cache=True, formats=("html",), skip_invalid=True)
    first = build_directory(book, options, today=TODAY)
    assert len(first.rebuilt) == 2
    wb = load_workbook(book)
    ws = wb["Services"]
    phone_col = next(c for c in ws[1] if str(c.value).startswith("Phone"))
    phone_col.value = "Telephone"
    wb.save(book)
    again = build_directory(book, options, today=TODAY)
    assert again.rebuilt == []
    assert [p.column for p in again.validation.problems if p.code == "invalid-phone"] == ["Telephone"]
