"""The fonts a web page carries (render/webfonts.py): only where its letters need them, only the letters it
uses, in regular and bold, byte-identical from build to build, within the page budget, allowed by the CSP.
What Chromium draws with them is checked in tests/browser/test_browser_scripts.py."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from fontTools.ttLib import TTFont

from directory_builder.render import webfonts
from directory_builder.render.html import render_district_page
from directory_builder.render.options import RenderOptions
from factories import many_services_view, sample_view

ROOT = Path(__file__).resolve().parents[1]
OPTIONS = RenderOptions()
_FONT_RE = re.compile(r"@font-face\{([^}]*)\}")
_DATA_RE = re.compile(r"url\(data:font/woff2;base64,([A-Za-z0-9+/]+=*)\)")


def _faces(html: str) -> list[tuple[str, TTFont]]:
    """(the @font-face rule, its decoded font) for each font the page carries."""
    out = []
    for rule in _FONT_RE.findall(html):
        data = _DATA_RE.search(rule)
        assert data is not None, rule
        out.append((rule, TTFont(io.BytesIO(base64.b64decode(data.group(1))))))
    return out


def _policy(html: str) -> dict[str, str]:
    meta = BeautifulSoup(html, "html.parser").find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None
    return dict(part.strip().split(" ", 1) for part in str(meta["content"]).split(";"))


def _thai(text: str) -> set[int]:
    return {ord(c) for c in text if 0x0E00 <= ord(c) <= 0x0E7F}


def test_a_thai_page_carries_its_thai_letters_in_regular_and_bold() -> None:
    html = render_district_page(sample_view("th"), OPTIONS).decode("utf-8")
    faces = _faces(html)
    assert [re.search(r"font-weight:(\d+)", rule).group(1) for rule, _ in faces] == ["400", "700"]  # type: ignore[union-attr]
    needed = _thai(html) | {0x0E4D, 0x0E32}  # SARA AM is drawn as NIKHAHIT + SARA AA
    assert 0x0E33 in _thai(html)
    for rule, font in faces:
        assert 'font-family:"Directory Sans"' in rule and "unicode-range:U+0E00-0E7F" in rule
        assert font.flavor == "woff2"
        cmap = set(font.getBestCmap())
        assert cmap == needed, "exactly the Thai letters the page uses"
        assert "thai" in {r.ScriptTag for r in font["GPOS"].table.ScriptList.ScriptRecord}  # marks placed
        assert "thai" in {r.ScriptTag for r in font["GSUB"].table.ScriptList.ScriptRecord}
    assert [font["name"].getDebugName(6) for _, font in faces] == ["NotoSansThai-Regular", "NotoSansThai-Bold"]
    assert _policy(html)["font-src"] == "data:"


def test_the_style_sheet_puts_the_carried_faces_first() -> None:
    html = render_district_page(sample_view("th"), OPTIONS).decode("utf-8")
    assert re.search(r'body\{[^}]*font-family:"Directory Sans",system-ui', html)


def test_a_page_without_such_letters_carries_no_font_and_allows_none() -> None:
    for lang in ("en", "id", "vi"):
        html = render_district_page(sample_view(lang), OPTIONS).decode("utf-8")
        assert "@font-face" not in html and "font/woff2" not in html, lang
        assert "font-src" not in _policy(html), lang


def test_an_english_page_naming_a_thai_organization_carries_its_letters() -> None:
    from directory_builder.publish.view import CategorySection
    from factories import service

    s = service("X-1", "มูลนิธิเพื่อนหญิง", ["shelter"])
    html = render_district_page(sample_view("en", sections=(CategorySection("shelter", (s,)),)), OPTIONS).decode()
    faces = _faces(html)
    assert len(faces) == 2
    assert set(faces[0][1].getBestCmap()) == _thai("มูลนิธิเพื่อนหญิง")


def test_fonts_and_pages_are_byte_identical_from_the_cache_or_cut_afresh(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    view = sample_view("th")
    monkeypatch.setenv("DIRECTORY_BUILDER_CACHE_DIR", str(tmp_path / "cache"))
    cut_in_memory = render_district_page(view, OPTIONS)
    assert not list((tmp_path / "cache").rglob("*.font")), "drawing a page writes nothing to the caches"
    webfonts.store_sources_for(webfonts.page_letters_hint(view))
    assert len(list((tmp_path / "cache").rglob("NotoSansThai-*.font"))) == 2
    webfonts.subset_woff2.cache_clear()
    from_cache = render_district_page(view, OPTIONS)
    assert from_cache == cut_in_memory
    # Another process, another hash seed, an empty cache: the faces are cut afresh, to the same bytes.
    code = ("import hashlib, sys; sys.path.insert(0, 'tests'); from factories import sample_view; "
            "from directory_builder.render.html import render_district_page; "
            "from directory_builder.render.options import RenderOptions; "
            "print(hashlib.sha256(render_district_page(sample_view('th'), RenderOptions())).hexdigest())")
    env = {**os.environ, "PYTHONHASHSEED": "7", "DIRECTORY_BUILDER_CACHE_DIR": str(tmp_path / "other"),
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == hashlib.sha256(cut_in_memory).hexdigest()


def test_the_page_hint_finds_the_letters_the_page_needs() -> None:
    view = sample_view("th")
    html = render_district_page(view, OPTIONS).decode("utf-8")
    assert webfonts.letters_needing_faces(webfonts.page_letters_hint(view)).keys() == \
        webfonts.letters_needing_faces(html).keys()


def test_the_fonts_weigh_little_and_do_not_grow_with_the_page() -> None:
    """The fonts depend on the distinct letters, not on the page's length: a Thai page stays within the 100 KB
    budget (tests/test_html.py measures a long English page)."""
    page = render_district_page(sample_view("th"), OPTIONS).decode("utf-8")
    fonts = sum(len(m) for m in _DATA_RE.findall(page))
    assert len(page.encode()) < 100_000 and fonts < 20_000, (len(page.encode()), fonts)
    thai_text = " บ้านพักฉุกเฉินสำหรับผู้หญิงและเด็ก โทรได้ตลอด ๒๔ ชั่วโมง ไม่เสียค่าใช้จ่าย"
    long_page = render_district_page(many_services_view(40, "th", seed_text=thai_text), OPTIONS).decode("utf-8")
    assert sum(len(m) for m in _DATA_RE.findall(long_page)) < 20_000


def test_ci_installs_no_font_that_would_hide_missing_glyphs() -> None:
    """The browser tests see missing Thai glyphs only on a machine without a Thai font: CI installs none."""
    for script in (ROOT / "scripts" / "install-test-deps.sh", ROOT / ".ci" / "run"):
        text = script.read_text(encoding="utf-8")
        assert not re.search(r"\bfonts?-|\bnoto\b|\btlwg\b", text, re.IGNORECASE), script
    if os.environ.get("CI") and shutil.which("fc-list"):
        thai_fonts = subprocess.run(["fc-list", ":lang=th", "file"], capture_output=True, text=True).stdout
        assert not thai_fonts.strip(), f"CI has Thai fonts that would hide a page without its own:\n{thai_fonts}"


def test_a_style_sheet_of_your_own_without_the_family_gets_no_font(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "style.css").write_text("body { font-family: Tahoma, sans-serif; }\n", encoding="utf-8")
    html = render_district_page(sample_view("th"), RenderOptions(template_dirs=(tmp_path,))).decode("utf-8")
    assert "@font-face" not in html and "font-src" not in _policy(html)


def test_a_thai_index_carries_its_letters() -> None:
    from directory_builder.render.html import render_index
    from factories import index_entry

    entries = [index_entry("เขตบางรัก", "กรุงเทพมหานคร", "th", "th/bang-rak.html", None, None, 3)]
    html = render_index(entries, OPTIONS, title="สมุดรายชื่อบริการ", lang="th", languages=["th"]).decode()
    (_rule, font), _bold = _faces(html)
    assert set(font.getBestCmap()) >= _thai("เขตบางรักกรุงเทพมหานครสมุดรายชื่อบริการ")
