"""Every script on the page is drawn with real letters, never with the empty boxes of a missing glyph.

Chromium reports, through the DevTools protocol, which fonts drew each text node
(``CSS.getPlatformFontsForNode``). A missing glyph is drawn with the box of one of those fonts, so a text
node is drawn correctly only if every character in it is in the character map of a font that drew it. The
test reads those maps: fonts the page carries from the page's own ``@font-face`` rules, the machine's fonts
from the files fontconfig names. So it fails on a page that names no font for its Thai letters on a machine
without a Thai font (like CI: ``tests/test_webfonts.py`` checks that CI installs none), whatever fonts the
machine has, and it says which font drew which text.
"""

from __future__ import annotations

import base64
import io
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from fontTools.ttLib import TTFont

from directory_builder.publish.view import CategorySection, DistrictView
from directory_builder.render.html import render_district_page
from directory_builder.render.options import RenderOptions
from factories import sample_view, service

pytestmark = pytest.mark.browser

THAI_NAME = "มูลนิธิเพื่อนหญิง (Friends of Women Foundation)"
THAI = "บ้านพักฉุกเฉินสำหรับผู้หญิงและเด็ก โทรได้ตลอด ๒๔ ชั่วโมง ไม่เสียค่าใช้จ่าย"
VIETNAMESE = "Nhà tạm lánh an toàn cho phụ nữ và trẻ em; hỗ trợ pháp lý, tư vấn tâm lý. Người ở Hưng Yên, Quảng Ngãi."
ARABIC = "نقدم مأوى آمنا للنساء والأطفال، ومساعدة قانونية مجانية."


def _view(lang: str, name: str, description: str) -> DistrictView:
    s = service("X-1", name, ["shelter"], description=description)
    return sample_view(lang, sections=(CategorySection("shelter", (s,)),))


#: Pages in each script: the Thai page (its interface in Thai too), an English page naming a Thai
#: organization, and Vietnamese and Arabic pages.
PAGES = {
    "th": lambda: _view("th", THAI_NAME, THAI),
    "en-with-thai": lambda: _view("en", THAI_NAME, THAI),
    "vi": lambda: _view("vi", "Nhà tạm lánh Hòa Bình", VIETNAMESE),
    "ar": lambda: _view("ar", "مأوى آمن", ARABIC),
}

#: Every text node of the page (outside <head>, <script> and <style>) with its node id.
_SKIPPED_PARENTS = {"SCRIPT", "STYLE", "TITLE", "HEAD", "svg", "symbol"}


def _text_nodes(node: dict[str, Any], parent: str = "") -> Iterator[dict[str, Any]]:
    if node.get("nodeType") == 3 and parent not in _SKIPPED_PARENTS:
        yield node
    for child in node.get("children", ()):
        yield from _text_nodes(child, node.get("nodeName", ""))


def _drawn(char: str) -> bool:
    """A character a font must draw: not a space, a control or an invisible format character."""
    return not char.isspace() and unicodedata.category(char) not in ("Cc", "Cf", "Zs")


@cache
def _system_font_files() -> dict[str, str]:
    """PostScript name -> file of every font fontconfig knows."""
    out = subprocess.run(["fc-list", "--format", "%{postscriptname}\t%{file}\n"], capture_output=True,
                         text=True, check=True).stdout
    return dict(line.split("\t", 1) for line in out.splitlines() if "\t" in line)


@cache
def _system_cmap(postscript: str) -> frozenset[int]:
    path = _system_font_files().get(postscript)
    if path is None:
        return frozenset()
    with TTFont(path, fontNumber=0, lazy=True) as font:
        return frozenset(font.getBestCmap())


def _page_cmaps(html: str) -> dict[str, frozenset[int]]:
    """PostScript name -> character map of each font the page carries in a data: URL."""
    cmaps = {}
    for data in re.findall(r"url\(data:font/woff2;base64,([A-Za-z0-9+/]+=*)\)", html):
        font = TTFont(io.BytesIO(base64.b64decode(data)))
        cmaps[str(font["name"].getDebugName(6))] = frozenset(font.getBestCmap())
    return cmaps


def _missing_glyphs(chromium: Any, path: Path) -> tuple[list[str], list[str]]:
    """(each text node drawn with a missing glyph, with the fonts that drew it; the fonts the page carries
    that drew some text)."""
    html = path.read_text(encoding="utf-8")
    carried = _page_cmaps(html)
    context = chromium.new_context(viewport={"width": 400, "height": 900})
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.evaluate("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")
        page.evaluate("document.fonts.ready")
        cdp = context.new_cdp_session(page)
        cdp.send("DOM.enable")
        cdp.send("CSS.enable")
        root = cdp.send("DOM.getDocument", {"depth": -1})["root"]
        problems, used_carried = [], set()
        for node in _text_nodes(root):
            chars = {ord(c) for c in node["nodeValue"] if _drawn(c)}
            if not chars:
                continue
            fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
            if not fonts:
                continue  # not laid out (hidden): nothing is drawn
            covered: set[int] = set()
            for font in fonts:
                if font["isCustomFont"]:
                    covered |= carried.get(font["postScriptName"], frozenset())
                    used_carried.add(font["postScriptName"])
                else:
                    covered |= _system_cmap(font["postScriptName"])
            missing = sorted(chars - covered)
            if missing:
                drawn_by = ", ".join(f"{f['familyName']} ({f['postScriptName']})" for f in fonts)
                problems.append(f"{node['nodeValue'].strip()[:40]!r}: {''.join(map(chr, missing))!r} "
                                f"drawn as missing glyphs by {drawn_by}")
        return problems, sorted(used_carried)
    finally:
        context.close()


@pytest.mark.parametrize("name", sorted(PAGES))
def test_no_text_is_drawn_with_missing_glyphs(chromium: Any, tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.html"
    path.write_bytes(render_district_page(PAGES[name](), RenderOptions()))
    problems, _carried = _missing_glyphs(chromium, path)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("name", ["th", "en-with-thai"])
def test_thai_letters_are_drawn_with_the_font_the_page_carries(chromium: Any, tmp_path: Path, name: str) -> None:
    """Not with whatever Thai font a machine may have: the page looks the same everywhere, like the booklet."""
    path = tmp_path / f"{name}.html"
    path.write_bytes(render_district_page(PAGES[name](), RenderOptions()))
    _problems, carried = _missing_glyphs(chromium, path)
    assert carried == ["NotoSansThai-Bold", "NotoSansThai-Regular"]
