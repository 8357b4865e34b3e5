"""Incremental and parallel builds write exactly what a fresh single-process build writes.

The workbooks come from the benchmark's generator (bench/generate.py), small enough to build in seconds:
20 services in 3 districts, in Bahasa Indonesia and English.
"""

from __future__ import annotations

import importlib
import json
import os
import shutil
import sys
from pathlib import Path
from types import ModuleType

import pytest

from directory_builder.build.runner import BuildOptions, BuildResult, build_directory
from directory_builder.check.validate import validate_workbook

BENCH = Path(__file__).resolve().parent.parent / "bench"
OLD = 1_000_000_000  # an mtime long ago (2001): a rewritten file gets a new one

try:
    from directory_builder.render.html import render_district_page  # noqa: F401
    from directory_builder.render.pdf import render_booklet  # noqa: F401
except ImportError:  # pragma: no cover - only while the renderers are being written
    pytestmark = pytest.mark.xfail(reason="the PDF and HTML renderers are not there yet", strict=False)


def _generator() -> ModuleType:
    sys.path.insert(0, str(BENCH))
    try:
        return importlib.import_module("generate")
    finally:
        sys.path.remove(str(BENCH))


def _tree(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _build(workbook: Path, out: Path, *, jobs: int = 1, incremental: bool = True) -> BuildResult:
    result = build_directory(workbook, BuildOptions(out=out, jobs=jobs, incremental=incremental))
    assert result.built and not result.failures, (result.validation.errors, result.failures)
    return result


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, str]:
    """(base, the same with one phone number corrected, the slug of that service's district)."""
    gen = _generator()
    folder = tmp_path_factory.mktemp("workbooks")
    spec = {"services": 20, "districts": 3, "languages": ("id", "en"), "seed": 5}
    base = gen.generate(gen.Spec(**spec), folder / "base.xlsx")
    directory = validate_workbook(base).directory
    assert directory is not None
    middle = directory.districts[1]
    service = next(s for s in directory.services if s.district == middle.name and s.publish == "public"
                   and s.status == "active" and s.phone and not s.phone[0].short_code)
    raw = service.phone[0].raw
    fixed = raw[:-1] + str((int(raw[-1]) + 1) % 10)
    edited = gen.generate(gen.Spec(**spec, edits={service.row - 3: {"phone": fixed}}), folder / "edited.xlsx")
    return base, edited, middle.slug


@pytest.fixture(scope="module")
def base_build(workbooks: tuple[Path, Path, str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("base") / "out"
    _build(workbooks[0], out, jobs=1, incremental=False)
    return out


def _copy_with_old_mtimes(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst)
    for path in dst.rglob("*"):
        if path.is_file():
            os.utime(path, (OLD, OLD))
    return dst


def test_parallel_build_is_byte_identical_to_one_process(workbooks: tuple[Path, Path, str], base_build: Path,
                                                         tmp_path: Path) -> None:
    _build(workbooks[0], tmp_path / "two", jobs=2, incremental=False)
    one, two = _tree(base_build), _tree(tmp_path / "two")
    assert sorted(one) == sorted(two)
    assert [name for name in one if one[name] != two[name]] == []
    assert any(name.endswith(".pdf") for name in one) and any(name.endswith(".html") for name in one)


def test_correcting_one_phone_rebuilds_one_district_only(workbooks: tuple[Path, Path, str], base_build: Path,
                                                         tmp_path: Path) -> None:
    _base, edited, slug = workbooks
    out = _copy_with_old_mtimes(base_build, tmp_path / "inc")
    result = _build(edited, out, jobs=1)

    assert sorted(result.rebuilt) == [(slug, "en"), (slug, "id")]
    assert len(result.reused) == 4
    rewritten = sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                       if p.is_file() and p.stat().st_mtime != OLD)
    district_files = sorted(p for p in rewritten if Path(p).name.startswith(slug + "."))
    assert district_files == sorted(f"{lang}/{slug}{ext}" for lang in ("en", "id")
                                    for ext in (".pdf", ".card.pdf", ".html"))
    # Only the district's files, the manifest and (when its bytes change) the index are written.
    assert set(rewritten) - set(district_files) <= {"manifest.json", "index.html"}

    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    old = json.loads((base_build / "manifest.json").read_text(encoding="utf-8"))
    changed = sorted(j["key"] for j, k in zip(manifest["jobs"], old["jobs"], strict=True)
                     if j["input_hash"] != k["input_hash"])
    assert changed == [f"en/{slug}", f"id/{slug}"]

    fresh = tmp_path / "fresh"
    _build(edited, fresh, jobs=1, incremental=False)
    inc, full = _tree(out), _tree(fresh)
    assert sorted(inc) == sorted(full)
    assert [name for name in inc if inc[name] != full[name]] == []


def test_unchanged_workbook_rebuilds_nothing(workbooks: tuple[Path, Path, str], base_build: Path,
                                             tmp_path: Path) -> None:
    out = _copy_with_old_mtimes(base_build, tmp_path / "same")
    before = _tree(out)
    result = _build(workbooks[0], out, jobs=2)
    assert result.rebuilt == []
    assert len(result.reused) == 6
    assert _tree(out) == before
    assert all(p.stat().st_mtime == OLD for p in out.rglob("*.pdf"))


def test_a_damaged_output_file_is_rebuilt(workbooks: tuple[Path, Path, str], base_build: Path,
                                          tmp_path: Path) -> None:
    out = _copy_with_old_mtimes(base_build, tmp_path / "damaged")
    victim = next(out.glob("en/*.card.pdf"))
    victim.write_bytes(victim.read_bytes()[:-100])
    result = _build(workbooks[0], out, jobs=1)
    assert len(result.rebuilt) == 1
    assert _tree(out) == _tree(base_build)


def test_the_index_is_written_again_only_when_its_lines_change(workbooks: tuple[Path, Path, str], base_build: Path,
                                                               tmp_path: Path) -> None:
    _base, edited, _slug = workbooks
    out = _copy_with_old_mtimes(base_build, tmp_path / "index")
    _build(edited, out, jobs=1)  # a phone number: same districts, same counts, same links
    assert (out / "index.html").stat().st_mtime == OLD
    (out / "index.html").unlink()
    _build(edited, out, jobs=1)
    fresh = tmp_path / "fresh"
    _build(edited, fresh, jobs=1, incremental=False)
    assert (out / "index.html").read_bytes() == (fresh / "index.html").read_bytes()
    assert _tree(out) == _tree(fresh)


@pytest.mark.parametrize("edition", ["public", "practitioners"])
def test_the_plan_counts_what_the_views_show(workbooks: tuple[Path, Path, str], edition: str) -> None:
    """index.html counts services from the plan (no view made); the views must agree, in every edition."""
    from directory_builder.publish.selection import plan, planned_view, select

    directory = validate_workbook(workbooks[0]).directory
    assert directory is not None
    items = plan(directory, edition=edition)  # type: ignore[arg-type]
    views = select(directory, edition=edition).views  # type: ignore[arg-type]
    assert [(i.district.name, i.lang) for i in items] == [(v.district, v.lang) for v in views]
    for item, view in zip(items, views, strict=True):
        assert len(item.services) == len(view.services) > 0
        assert planned_view(directory, item, edition) == view  # type: ignore[arg-type]
