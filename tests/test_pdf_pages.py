"""Pages a victim can use: an explained empty district, kinds of help that flow on, entries kept whole,
boxes inside the text column. Checked on the PDFs (pdfplumber), the card and the web page."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup
from reportlab.pdfgen.canvas import Canvas

from directory_builder.i18n import use_language
from directory_builder.publish.content import load_front_matter
from directory_builder.publish.view import CategorySection, DistrictView
from directory_builder.render.html import render_district_page
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf import render_booklet, render_pocket_card
from directory_builder.render.pdf_booklet import SERVICE_MIN_SCALE, BookletBuilder
from directory_builder.render.pdf_kit import get_kit
from directory_builder.vocab import CATEGORIES
from factories import many_services_view, sample_view, service
from test_pdf import flat, outline_pages, pages_text

EMPTY_SENTENCE = "No services are listed for Kota Bandung yet."
CALL_SENTENCE = "In an emergency, call one of the emergency numbers in this directory."
EVERYWHERE_SENTENCE = "The services for all districts below can help you wherever you are."


def empty_view(**overrides: object) -> DistrictView:
    return dataclasses.replace(sample_view(), sections=(), **overrides)  # type: ignore[arg-type]


def page_of(texts: list[str], needle: str, start: int = 0) -> int:
    """The 0-based page whose (flattened) text holds ``needle``, searching from ``start``."""
    for n in range(start, len(texts)):
        if needle in flat(texts[n]):
            return n
    raise AssertionError(f"{needle!r} is on no page")


# ---------------------------------------------------------------------------------------- empty district


def test_empty_district_booklet_has_a_heading_and_says_where_help_is() -> None:
    texts = pages_text(render_booklet(empty_view(), RenderOptions()))
    page = page_of(texts, EMPTY_SENTENCE)
    body = flat(texts[page])
    assert body.startswith("Services in Kota Bandung")  # a heading first, never a bare line
    assert CALL_SENTENCE in body and EVERYWHERE_SENTENCE in body
    assert "No services of this kind" not in " ".join(texts)
    assert page_of(texts, "Services for all districts", page) == page  # the help follows on the same page
    assert outline_pages(render_booklet(empty_view(), RenderOptions()))["Services in Kota Bandung"] == page + 1


def test_empty_district_without_anything_mentions_only_what_exists() -> None:
    view = empty_view(all_district_sections=(), national_hotlines=(), local_emergency=())
    body = flat(" ".join(pages_text(render_booklet(view, RenderOptions()))))
    assert EMPTY_SENTENCE in body
    assert CALL_SENTENCE not in body and EVERYWHERE_SENTENCE not in body


def test_empty_district_card_explains() -> None:
    with pdfplumber.open(io.BytesIO(render_pocket_card(empty_view(), RenderOptions()))) as pdf:
        back = flat(pdf.pages[1].extract_text() or "")
    assert EMPTY_SENTENCE in back and CALL_SENTENCE in back
    assert "National case management service" in back  # the all-districts service still on the card


def test_empty_district_web_page_explains() -> None:
    doc = BeautifulSoup(render_district_page(empty_view(), RenderOptions()), "html.parser")
    here = doc.select_one("#here")
    assert here is not None
    assert here.find("h2").get_text(strip=True) == "Services in Kota Bandung"
    sentences = [p.get_text(strip=True) for p in here.select(".empty p")]
    assert sentences == [EMPTY_SENTENCE, CALL_SENTENCE, EVERYWHERE_SENTENCE]


def test_empty_district_in_indonesian() -> None:
    view = dataclasses.replace(sample_view("id"), sections=())
    body = flat(" ".join(pages_text(render_booklet(view, RenderOptions()))))
    assert "Belum ada layanan yang tercantum untuk Kota Bandung." in body


# ---------------------------------------------------------------------------------------- flow


SMALL_KINDS = ("hotline", "shelter", "medical", "legal")


def small_kinds_view() -> DistrictView:
    sections = tuple(CategorySection(c, (service(f"S-{c}", f"Help with {c}", [c]),)) for c in SMALL_KINDS)
    return sample_view(sections=sections)


def test_kinds_of_help_flow_on_one_page() -> None:
    outline = outline_pages(render_booklet(small_kinds_view(), RenderOptions()))
    pages = [outline[CATEGORIES.label(c)] for c in SMALL_KINDS]
    assert pages[0] == pages[1] and len(set(pages)) < len(pages), outline


def test_a_style_file_can_start_each_kind_of_help_on_a_new_page(tmp_path: Path) -> None:
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "style.yaml").write_text("layout:\n  category_new_page: true\n", encoding="utf-8")
    outline = outline_pages(render_booklet(small_kinds_view(), RenderOptions(template_dirs=(tmp_path,))))
    pages = [outline[CATEGORIES.label(c)] for c in SMALL_KINDS]
    assert pages == list(range(pages[0], pages[0] + len(SMALL_KINDS))), outline


def test_a_heading_is_never_the_last_thing_on_a_page() -> None:
    view = many_services_view(40)
    data = render_booklet(view, RenderOptions())
    texts = pages_text(data)
    outline = outline_pages(data)
    for section in view.sections:
        heading_page = outline[CATEGORIES.label(section.category)] - 1
        assert section.services[0].name in flat(texts[heading_page]), section.category


# ---------------------------------------------------------------------------------------- kept whole


def _first_entry_height(view: DistrictView) -> tuple[float, float]:
    """(height of the first kind of help's heading and first entry, height of a page's text frame)."""
    kit = get_kit("a5")
    with use_language(view.lang):
        builder = BookletBuilder(view, kit, load_front_matter(view.lang))
        height = 0.0
        for flowable in builder.category(view.sections[0], "k", big=True):  # up to the first entry
            _w, h = flowable.wrapOn(Canvas(io.BytesIO()), kit.paper.frame_width, kit.paper.frame_height)
            if hasattr(flowable, "_H"):
                return height + float(flowable._H), kit.paper.frame_height
            height += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
    raise AssertionError("no entry under the heading")


def _long_entry_view(words: int) -> DistrictView:
    text = " ".join(f"word{i}" for i in range(words))
    entry = service("S-LONG", "Long entry", ["legal"], description=text, website="https://long.example.org/help",
                    address="Jl. Akhir No. 9 END-ADDRESS", hours="Mon-Fri 08:00-16:00",
                    how_to_get_help="Call first, then come to the office.")
    return sample_view(sections=(CategorySection("legal", (entry,)),))


def test_an_entry_a_little_taller_than_the_page_is_not_split() -> None:
    """The seen case: a long description pushed the website, QR code and address onto a page of their own."""
    words = 60
    while True:  # the shortest description that makes heading and entry taller than a page
        height, frame = _first_entry_height(_long_entry_view(words))
        if height > frame:
            break
        words += 10
    assert height * SERVICE_MIN_SCALE <= frame
    texts = pages_text(render_booklet(_long_entry_view(words), RenderOptions()))
    page = page_of(texts, "Long entry")
    for part in ("Legal help", f"word{words - 1}", "https://long.example.org/help", "END-ADDRESS", "Checked on"):
        assert part in flat(texts[page]), part


def test_a_longer_entry_splits_cleanly() -> None:
    texts = pages_text(render_booklet(_long_entry_view(900), RenderOptions()))
    start = page_of(texts, "Long entry")
    assert "Legal help" in flat(texts[start])  # the heading starts with it, never alone
    end = page_of(texts, "END-ADDRESS", start)
    assert end > start
    assert "Checked on" in flat(texts[end])


def test_entries_that_fit_a_page_are_never_split() -> None:
    entries = tuple(service(f"S-{i}", f"Entry number {i}", ["legal"], description=" ".join(["help"] * (40 + 25 * i)),
                            address=f"Jl. Akhir {i} END-{i}") for i in range(8))
    view = sample_view(sections=(CategorySection("legal", entries),))
    texts = pages_text(render_booklet(view, RenderOptions()))
    for i in range(8):
        start = page_of(texts, f"Entry number {i}")
        assert f"END-{i}" in flat(texts[start]), i


# ---------------------------------------------------------------------------------------- boxes


@pytest.mark.parametrize("lang", ["en", "th"])
def test_boxes_stay_inside_the_text_column(lang: str) -> None:
    """The corrections box, the "temporarily closed" notice, story boxes, the cover's number box."""
    kit = get_kit("a5")
    left, right = kit.paper.left, kit.paper.left + kit.paper.frame_width
    data = render_booklet(sample_view(lang), RenderOptions())
    checked = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            for shape in (*page.rects, *page.curves):
                half = (shape.get("linewidth") or 0) / 2 if shape.get("stroke") else 0
                assert shape["x0"] - half >= left - 0.01, (number, shape["x0"], half)
                assert shape["x1"] + half <= right + 0.01, (number, shape["x1"], half)
                checked += 1
    assert checked > 3
