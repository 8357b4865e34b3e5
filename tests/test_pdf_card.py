"""The pocket card: two sides of an A7 card, emergency numbers large, the five most essential services."""

from __future__ import annotations

import dataclasses
import io

import pdfplumber
import pytest
from pypdf import PdfReader

from directory_builder.publish.view import CategorySection, NamedNumber
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf import pdf_page_count, render_pocket_card
from directory_builder.render.pdf_card import card_services
from factories import HOSTILE, phone, sample_view, service, short

MM = 72 / 25.4


def sides(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [" ".join((p.extract_text() or "").split()) for p in pdf.pages]


@pytest.fixture(scope="module")
def card() -> bytes:
    return render_pocket_card(sample_view(), RenderOptions())


def test_two_a7_pages(card: bytes) -> None:
    reader = PdfReader(io.BytesIO(card))
    assert len(reader.pages) == 2 == pdf_page_count(card)
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(74 * MM, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(105 * MM, abs=0.5)


def test_card_size_does_not_follow_the_booklet_paper(card: bytes) -> None:
    assert render_pocket_card(sample_view(), RenderOptions(paper="a4")) == card


def test_side_one_has_district_and_numbers_large(card: bytes) -> None:
    front = sides(card)[0]
    for part in ("Kota Bandung", "Emergency numbers", "129", "110", "(022) 4231234", "Police"):
        assert part in front
    with pdfplumber.open(io.BytesIO(card)) as pdf:
        chars = pdf.pages[0].chars
        number_sizes = {round(c["size"]) for c in chars if c["text"] == "9"}
        name_sizes = {round(c["size"]) for c in chars if c["text"] == "P"}
        assert max(number_sizes) >= 1.5 * max(name_sizes)


def test_side_two_lists_five_essential_services(card: bytes) -> None:
    back = sides(card)[1]
    assert "Where to get help" in back
    for name in ("Anti-trafficking hotline", "Safe house for women and children", "Women's health clinic",
                 "Women and children protection unit", "National case management service"):
        assert name in back
    assert "Legal aid desk" not in back  # temporarily closed: not on a card for emergencies
    assert back.index("Anti-trafficking hotline") < back.index("Safe house") < back.index("Women's health")
    assert "Hotline, 24 hours: 129" in back  # the best number: the 24-hour hotline before anything else


def test_selection_is_deterministic_and_prioritised() -> None:
    view = sample_view()
    entries = card_services(view)
    assert [e.category for e in entries] == ["hotline", "shelter", "medical", "police", "return_home"]
    assert [e.kind for e in entries][:2] == ["hotline", "phone"]
    shuffled = dataclasses.replace(view, sections=tuple(reversed(view.sections)))
    assert card_services(shuffled) == entries


def test_one_of_each_kind_before_a_second_of_any() -> None:
    hotlines = tuple(service(f"H{i}", f"Hotline {i}", ["hotline"], hotlines=(short(f"11{i}"),)) for i in range(6))
    shelter = service("SH", "Zebra shelter", ["shelter"])
    view = sample_view(sections=(CategorySection("hotline", hotlines), CategorySection("shelter", (shelter,))),
                       all_district_sections=())
    names = [e.service.name for e in card_services(view)]
    # The shelter gets a place although five hotlines rank before it.
    assert names == ["Hotline 0", "Hotline 1", "Hotline 2", "Hotline 3", "Zebra shelter"]


def test_practitioner_card_says_so() -> None:
    data = render_pocket_card(sample_view(edition="practitioners"), RenderOptions())
    assert "Practitioner edition" in sides(data)[0]


def test_always_two_pages_whatever_the_workbook_holds() -> None:
    long_name = "Name " + "x" * 3000
    numbers = tuple(NamedNumber(f"Line {i} {HOSTILE}", phone(f"(022) 42{i:05d}", "+62", "+62")) for i in range(40))
    services = tuple(service(f"S{i}", long_name, ["hotline"]) for i in range(20))
    view = sample_view(national_hotlines=numbers, sections=(CategorySection("hotline", services),))
    data = render_pocket_card(view, RenderOptions())
    assert pdf_page_count(data) == 2
    assert HOSTILE in sides(data)[0]


def test_empty_district_card() -> None:
    view = sample_view(sections=(), all_district_sections=(), national_hotlines=(), local_emergency=())
    data = render_pocket_card(view, RenderOptions())
    assert pdf_page_count(data) == 2
    assert "No services are listed for Kota Bandung yet." in " ".join(sides(data)[1].split())


def test_deterministic(card: bytes) -> None:
    assert render_pocket_card(sample_view(), RenderOptions()) == card
