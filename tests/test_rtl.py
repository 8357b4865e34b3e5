"""Right-to-left text on the web page: numbers, addresses and links keep their order.

No shipped page language is right-to-left, but a workbook may list Arabic or Urdu (a page in that
language is dir="rtl"), and any cell may hold right-to-left text on a left-to-right page. Phone numbers,
e-mail addresses and web addresses are left-to-right isolates; workbook text is isolated with its own
direction, and numbers inside it are left-to-right isolates.
"""

from __future__ import annotations

import re

from bs4 import BeautifulSoup, Tag

from directory_builder.publish.view import CategorySection, DistrictView
from directory_builder.render.html import render_district_page
from directory_builder.render.options import RenderOptions
from factories import phone, sample_view, service

ARABIC = "نقدم مأوى آمنا للنساء. اتصلوا على (021) 3190-0110 قبل المجيء."
NUMBER = re.compile(r"\+?\(?\d[\d ()./-]{5,}\d")


def _page(view: DistrictView) -> BeautifulSoup:
    return BeautifulSoup(render_district_page(view, RenderOptions()).decode("utf-8"), "html.parser")


def _view(lang: str) -> DistrictView:
    s = service("AR-1", "مأوى آمن", ["shelter"], description=ARABIC, address="Jl. Merdeka 1, Jakarta 10110",
                email="help@example.org", website="https://example.org/help",
                phones=(phone("(021) 3190-0110", "+62 21 3190 0110", "+622131900110"),),
                sms=(phone("0812-3456-7890", "+62 812 3456 7890", "+6281234567890"),))
    return sample_view(lang, sections=(CategorySection("shelter", (s,)),), all_district_sections=())


def _ltr_isolated(node: Tag) -> bool:
    """True when the node, or an element around it, is a left-to-right isolate."""
    current: Tag | None = node
    while current is not None and current.name != "html":
        if current.get("dir") == "ltr":
            return True
        current = current.parent
    return False


def _number_nodes(doc: BeautifulSoup) -> list[Tag]:
    main = doc.find("main")
    assert isinstance(main, Tag)
    found = []
    for text in main.find_all(string=NUMBER):
        parent = text.parent
        assert isinstance(parent, Tag)
        found.append(parent)
    return found


def test_an_arabic_page_is_right_to_left_and_every_number_is_an_ltr_isolate() -> None:
    doc = _page(_view("ar"))
    root = doc.find("html")
    assert isinstance(root, Tag) and root["dir"] == "rtl"
    numbers = _number_nodes(doc)
    assert len(numbers) >= 6  # emergency numbers, the phone, its international form, the SMS number, in the text
    bad = [n.get_text() for n in numbers if not _ltr_isolated(n)]
    assert bad == []


def test_arabic_description_next_to_a_phone_number_on_a_left_to_right_page() -> None:
    doc = _page(_view("en"))
    article = doc.find("article", id="s-AR-1")
    assert isinstance(article, Tag)
    description = article.find(string=re.compile("نقدم"))
    assert description is not None
    isolate = description.find_parent("bdi")
    assert isolate is not None and isolate.get("dir") in (None, "auto")  # its own direction: right to left
    inner = isolate.find("bdi", dir="ltr")
    assert isinstance(inner, Tag) and inner.get_text() == "(021) 3190-0110"
    assert [n.get_text() for n in _number_nodes(doc) if not _ltr_isolated(n)] == []


def test_links_and_address_keep_their_order() -> None:
    article = _page(_view("ar")).find("article", id="s-AR-1")
    assert isinstance(article, Tag)
    mail = article.find("a", href="mailto:help@example.org")
    web = article.find("a", href="https://example.org/help")
    tel = article.find("a", href="tel:+622131900110")
    assert isinstance(mail, Tag) and mail.get("dir") == "ltr"
    assert isinstance(web, Tag) and web.get("dir") == "ltr"
    assert isinstance(tel, Tag) and tel.find("bdi", dir="ltr") is not None
    address = article.find(string=re.compile("Merdeka"))
    assert address is not None and address.find_parent("bdi", dir="auto") is not None
    name = article.find("h4")
    assert isinstance(name, Tag) and name.get("dir") == "auto"
