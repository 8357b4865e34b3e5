"""The web page's share section in a real browser: readable without JavaScript, a working copy button,
axe-clean in light and dark mode, no horizontal scrolling at 320 px, and the quick exit still first."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from directory_builder.render.html import render_district_page
from directory_builder.render.message import district_message
from directory_builder.render.options import RenderOptions
from factories import sample_view

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SHARE = RenderOptions(share=("message", "contacts"))


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("share")
    for lang in ("en", "th"):
        (root / f"{lang}.html").write_bytes(render_district_page(sample_view(lang), SHARE))
    return root


def _open(chromium: Any, path: Path, **options: Any) -> tuple[Any, Any]:
    context = chromium.new_context(**options)
    page = context.new_page()
    page.goto(path.as_uri())
    return context, page


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("lang", ["en", "th"])
def test_share_section_is_axe_clean(chromium: Any, axe_script: Path, pages: Path, lang: str, scheme: str) -> None:
    context, page = _open(chromium, pages / f"{lang}.html", color_scheme=scheme, bypass_csp=True,
                          viewport={"width": 390, "height": 844})
    try:
        page.add_script_tag(path=str(axe_script))
        result = page.evaluate("tags => axe.run('#share', {runOnly: {type: 'tag', values: tags}, "
                               "resultTypes: ['violations']})", AXE_TAGS)
        assert result["violations"] == [], [(v["id"], v["nodes"][0]["target"]) for v in result["violations"]]
    finally:
        context.close()


def test_message_is_readable_without_javascript(chromium: Any, pages: Path) -> None:
    context, page = _open(chromium, pages / "en.html", java_script_enabled=False)
    try:
        assert page.is_visible("#share-text") and not page.is_visible("#share-copy")
        assert page.inner_text("#share-text").strip() == district_message(sample_view("en")).strip()
    finally:
        context.close()


def test_copy_button_copies_the_message(chromium: Any, pages: Path) -> None:
    context, page = _open(chromium, pages / "en.html", permissions=["clipboard-read", "clipboard-write"])
    try:
        assert page.is_visible("#share-copy")
        page.click("#share-copy")
        page.wait_for_function("document.getElementById('share-status').textContent.length > 0")
        assert page.evaluate("navigator.clipboard.readText()") == district_message(sample_view("en"))
        assert page.inner_text("#share-status").startswith("Copied")
        assert page.get_attribute("#share a[download]", "href") == "kota-bandung.vcf"
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "th"])
def test_no_horizontal_scrolling_at_320_px(chromium: Any, pages: Path, lang: str) -> None:
    context, page = _open(chromium, pages / f"{lang}.html", viewport={"width": 320, "height": 640})
    try:
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
        box = page.locator("#share-copy").bounding_box()
        assert box is not None and box["height"] >= 44 and box["width"] >= 44
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["en", "th"])
def test_numbers_in_the_message_stay_on_one_line_at_320_px(chromium: Any, pages: Path, lang: str) -> None:
    """Seen: '+62 812-5550-' / '0170' in the message block at 320 px."""
    context, page = _open(chromium, pages / f"{lang}.html", viewport={"width": 320, "height": 640})
    try:
        runs = page.evaluate("""[...document.querySelectorAll('#share-text .tel-run')]
            .map(e => [e.textContent, e.getClientRects().length])""")
        assert any(len(text) >= 15 for text, _lines in runs), runs  # a long mobile number is among them
        assert all(lines == 1 for _text, lines in runs), runs
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()
