"""The kinds-of-help buttons at 320 px: every word whole on one line and inside its button, in every
shipped language, on the example's own pages (long Indonesian and Malay words such as "Perlindungan")."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from directory_builder.check.validate import validate_workbook
from directory_builder.i18n import SHIPPED_LANGUAGES
from directory_builder.publish.selection import select
from directory_builder.render.html import render_district_page
from directory_builder.render.options import RenderOptions

pytestmark = pytest.mark.browser

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "jakarta-westjava.xlsx"
DISTRICT = "Kabupaten Cianjur"
WIDTHS = (320, 360, 400)

#: For each button: the words (as the browser's own word segmenter finds them, Thai included) whose letters
#: sit on more than one line, and whether the label runs past the button's inner edge.
CUT_WORDS = r"""
() => Array.from(document.querySelectorAll('.kinds a')).map((button) => {
  const span = button.querySelector('span');
  const node = span.firstChild;
  const text = node.textContent;
  const segmenter = new Intl.Segmenter(document.documentElement.lang, {granularity: 'word'});
  const cut = [];
  for (const word of segmenter.segment(text)) {
    if (!word.isWordLike) continue;
    const lines = new Set();
    for (let i = word.index; i < word.index + word.segment.length; i++) {
      const range = document.createRange();
      range.setStart(node, i);
      range.setEnd(node, i + 1);
      const rect = range.getBoundingClientRect();
      if (rect.width) lines.add(Math.round(rect.top + rect.height / 2));
    }
    if (lines.size > 1) cut.push(word.segment);
  }
  const box = button.getBoundingClientRect();
  const label = span.getBoundingClientRect();
  const style = getComputedStyle(button);
  const inner = box.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight);
  return {text: text, cut: cut, overflows: label.right > inner + 0.5 || span.scrollWidth > span.clientWidth + 1};
})
"""


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The example's district page in every shipped language (text the example lacks falls back)."""
    result = validate_workbook(EXAMPLE, today=dt.date(2026, 4, 1))
    assert result.directory is not None
    root = tmp_path_factory.mktemp("buttons")
    out: dict[str, Path] = {}
    for lang in SHIPPED_LANGUAGES:
        view = select(result.directory, languages=[lang], districts=[DISTRICT]).views[0]
        path = root / f"{lang}.html"
        path.write_bytes(render_district_page(view, RenderOptions()))
        out[lang] = path
    return out


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_category_buttons_keep_whole_words(chromium: Any, pages: dict[str, Path], lang: str, width: int) -> None:
    context = chromium.new_context(viewport={"width": width, "height": 800})
    try:
        page = context.new_page()
        page.goto(pages[lang].as_uri())
        buttons = page.evaluate(CUT_WORDS)
        assert len(buttons) >= 10
        bad = [b for b in buttons if b["cut"] or b["overflows"]]
        assert bad == [], f"{lang} at {width} px: {bad}"
        assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing wider than the phone
    finally:
        context.close()
