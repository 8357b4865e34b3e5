"""At 320 px (and a little wider) every phone number on the web page sits whole on one line and the page
never scrolls sideways. Seen before the fix: "+62 812-5550-" / "0170" on two lines at 320 px."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from directory_builder.render.html import render_district_page
from directory_builder.render.options import RenderOptions
from test_phone_lines import NUMBERS, numbers_view

pytestmark = pytest.mark.browser

WIDTHS = (320, 375)

#: Every printed number (the tel: links' text, the numbers without a link and the "from abroad" forms):
#: how many line boxes it takes, whether the browser may wrap it, and whether it runs past the page.
NUMBER_LINES = r"""
() => Array.from(document.querySelectorAll('bdi.tel')).map((el) => ({
  text: el.textContent,
  lines: el.getClientRects().length,
  inLink: el.closest('a[href^="tel:"]') !== null,
  whiteSpace: getComputedStyle(el).whiteSpace,
  right: el.getBoundingClientRect().right,
}))
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("numbers")
    out: dict[str, Path] = {}
    for n, phone in enumerate(NUMBERS):
        view = numbers_view(phone, NUMBERS[(n + 1) % len(NUMBERS)])
        path = root / f"{n}.html"
        path.write_bytes(render_district_page(view, RenderOptions()))
        out[phone.local] = path
    return out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("number", [p.local for p in NUMBERS])
def test_every_number_is_on_one_line(chromium: Any, pages: dict[str, Path], number: str, width: int) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(pages[number].as_uri())
        numbers = page.evaluate(NUMBER_LINES)
        assert sum(n["text"] == number and n["inLink"] for n in numbers) >= 3  # emergency list and the entry
        for n in numbers:
            assert n["lines"] == 1, f"{n['text']!r} on {n['lines']} lines at {width} px"
            assert n["whiteSpace"] == "nowrap", n
            assert n["right"] <= width, n
        links = page.evaluate("Array.from(document.querySelectorAll('a[href^=\"tel:\"]')).map(a => a.textContent)")
        assert any(number in text for text in links)
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # no sideways scrolling
    finally:
        context.close()
