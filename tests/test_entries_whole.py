"""On the shipped example's booklets (every language, A5 and A4), an entry that fits on a page is printed
on one page: its name and its last line ("Checked on ...") are on the same page. Seen before the fix:
id/kota-bandung.pdf split "Layanan terpadu..." under the heading "Pendamping" (heading and entry were
taller than a page, though the entry alone fitted). Read from the PDFs' text (poppler's pdftotext)."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import pytest
from reportlab.pdfgen.canvas import Canvas

from directory_builder.check.validate import validate_workbook
from directory_builder.i18n import format_date, use_language
from directory_builder.publish.content import load_front_matter
from directory_builder.publish.labels import label
from directory_builder.publish.selection import select
from directory_builder.publish.view import DistrictView, ServiceView
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf import render_booklet
from directory_builder.render.pdf_booklet import SERVICE_MIN_SCALE, BookletBuilder
from directory_builder.render.pdf_kit import get_kit

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "jakarta-westjava.xlsx"


def squash(text: str) -> str:
    """Text without any space or break mark: a name wrapped over two lines still matches itself."""
    return "".join(ch for ch in text if not ch.isspace() and ch not in "\u200b\u00ad")


def page_texts(data: bytes, tmp_path: Path) -> list[str]:
    path = tmp_path / "booklet.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True).stdout
    return [squash(page) for page in out.decode("utf-8").split("\f")]


def entries(view: DistrictView) -> list[ServiceView]:
    """The entries in the order the booklet prints them."""
    return [s for sec in (*view.sections, *view.all_district_sections) for s in sec.services]


def entry_pages(view: DistrictView, texts: list[str]) -> list[tuple[ServiceView, int, int]]:
    """(entry, page of its name and organization, page of its "Checked on" line) for every entry."""
    with use_language(view.lang):
        found = []
        page, pos = 0, 0
        for s in entries(view):
            start = squash(s.name + s.organization)  # a "see" row prints "name (organization)": never matches
            checked = squash(label("checked_on", date=format_date(s.last_verified, view.lang)))
            while start not in texts[page][pos:]:
                page, pos = page + 1, 0
                assert page < len(texts), (view.lang, view.district, s.name)
            first = page
            pos = texts[page].index(start, pos) + len(start)
            while checked not in texts[page][pos:]:
                page, pos = page + 1, 0
                assert page < len(texts), (view.lang, view.district, s.name, "checked on")
            pos = texts[page].index(checked, pos) + len(checked)
            found.append((s, first, page))
    return found


def fits_a_page(view: DistrictView, paper: str) -> dict[str, bool]:
    """Service ID -> whether the entry alone (no heading) fits on a page, set at most SERVICE_MIN_SCALE smaller."""
    kit = get_kit(paper)
    canvas = Canvas(io.BytesIO())
    with use_language(view.lang):
        builder = BookletBuilder(view, kit, load_front_matter(view.lang))
        out = {}
        for s in entries(view):
            block = builder.service(s, first=True)
            block.wrapOn(canvas, kit.paper.frame_width, kit.paper.frame_height)
            out[s.id] = float(block._H) * SERVICE_MIN_SCALE <= kit.paper.frame_height
    return out


@pytest.fixture(scope="module")
def views() -> list[DistrictView]:
    result = validate_workbook(EXAMPLE)
    assert result.directory is not None
    return list(select(result.directory, edition="public").views)


@pytest.mark.parametrize("paper", ["a5", "a4"])
def test_every_entry_of_the_example_is_on_one_page(views: list[DistrictView], paper: str, tmp_path: Path) -> None:
    assert {v.lang for v in views} >= {"en", "id"}
    checked = longer = 0
    for view in views:
        fits = fits_a_page(view, paper)
        texts = page_texts(render_booklet(view, RenderOptions(paper=paper)), tmp_path)  # type: ignore[arg-type]
        for s, first, last in entry_pages(view, texts):
            if fits[s.id]:
                where = f"{view.lang}/{view.district}: {s.name!r} runs from page {first + 1} to {last + 1}"
                assert first == last, where
                checked += 1
            else:  # longer than a page: it flows on, and its name is never the last line of a page
                assert last > first and squash(s.organization) in texts[first]
                longer += 1
    assert checked > 20 and checked > 5 * longer
