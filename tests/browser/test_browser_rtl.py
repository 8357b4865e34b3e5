"""Right-to-left pages in a real browser: every phone number is drawn left to right, digits in order.

The HTML tests check the markup (``tests/test_rtl.py``); this one checks what Chromium draws, character by
character, on an Arabic page and on an English page with Arabic text around a number.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from directory_builder.publish.view import CategorySection, DistrictView
from directory_builder.render.html import render_district_page
from directory_builder.render.options import RenderOptions
from factories import phone, sample_view, service

pytestmark = pytest.mark.browser

NUMBER = "(021) 3190-0110"
ARABIC = f"نقدم مأوى آمنا للنساء. اتصلوا على {NUMBER} قبل المجيء."

#: For every text node in the page holding the number: the left edge of each of its visible characters.
_POSITIONS = """(number) => {
  const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const at = node.data.indexOf(number);
    if (at < 0) continue;
    const xs = [];
    for (let i = at; i < at + number.length; i++) {
      if (node.data[i] === " ") continue;
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      xs.push(range.getBoundingClientRect().left);
    }
    out.push(xs);
  }
  return out;
}"""


def _view(lang: str) -> DistrictView:
    s = service("AR-1", "مأوى آمن", ["shelter"], description=ARABIC,
                phones=(phone(NUMBER, "+62 21 3190 0110", "+622131900110"),))
    return sample_view(lang, sections=(CategorySection("shelter", (s,)),), all_district_sections=())


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_numbers_are_drawn_left_to_right(chromium: Any, tmp_path: Path, lang: str) -> None:
    path = tmp_path / f"{lang}.html"
    path.write_bytes(render_district_page(_view(lang), RenderOptions()))
    context = chromium.new_context(viewport={"width": 1200, "height": 900}, java_script_enabled=True)
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        runs = page.evaluate(_POSITIONS, NUMBER)
    finally:
        context.close()
    assert len(runs) >= 2  # the phone link and the description
    for xs in runs:
        assert xs == sorted(xs), xs  # '(' first, then 0, 2, 1, ')', 3, 1, 9, 0, '-', 0, 1, 1, 0
