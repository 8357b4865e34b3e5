"""The web pages as build.py writes them from the bundled example: every link between them resolves."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from directory_builder.build.runner import BuildOptions, build_directory

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "jakarta-westjava.xlsx"
CONFIDENTIAL_ADDRESS = "Jl. Rahasia Aman No. 7"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("directory")
    result = build_directory(EXAMPLE, BuildOptions(out=out, formats=("html",), jobs=1, incremental=False),
                             today=dt.date(2026, 4, 1))
    assert result.built and not result.failures, result.failures
    return out


def _local_links(page: Path) -> list[str]:
    doc = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    hrefs = [str(a["href"]) for a in doc.find_all("a", href=True)]
    return [h for h in hrefs if not urlsplit(h).scheme and not h.startswith("#")]


def test_every_link_between_the_pages_resolves(built: Path) -> None:
    pages = sorted(built.glob("*/*.html"))
    assert len(pages) >= 2
    index_links = _local_links(built / "index.html")
    assert sorted(index_links) == sorted(p.relative_to(built).as_posix() for p in pages)
    for page in pages:
        for href in _local_links(page):
            assert (page.parent / href).resolve().is_file(), f"{page.name}: {href}"


def test_pages_keep_confidential_addresses_out(built: Path) -> None:
    for page in built.rglob("*.html"):
        assert CONFIDENTIAL_ADDRESS not in page.read_text(encoding="utf-8"), page


def test_pages_are_small(built: Path) -> None:
    sizes = {p.name: p.stat().st_size for p in built.glob("*/*.html")}
    assert max(sizes.values()) < 100_000, sizes
