"""The web pages in a real browser: accessibility (axe-core, WCAG 2.2 AA) in light and dark mode, 320 px
phones, tap targets, the no-JavaScript category filter, the search box, the quick exit, and no network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from directory_builder.render.html import NEUTRAL_EXIT_URL, render_district_page, render_index
from directory_builder.render.options import RenderOptions
from factories import index_entry, many_services_view, sample_view

pytestmark = pytest.mark.browser

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
PAGES = ("en/kota-bandung.html", "id/kota-bandung.html", "th/kota-bandung.html", "en/many.html", "index.html")
#: Everything a person taps in the page's own interface (inline links inside sentences are exempt, WCAG 2.5.8).
TAP_TARGETS = ".bar a:not(.skip), .langs a, .sos-call, .kinds a, .btn, summary, #q, footer a"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small built directory: three languages of one district (one a practitioner edition), a 40-service
    district and the index, laid out as build.py lays them out."""
    root = tmp_path_factory.mktemp("site")
    langs = ("en", "id", "th")
    views = {
        "en/kota-bandung.html": sample_view("en", languages=langs),
        "id/kota-bandung.html": sample_view("id", edition="practitioners", languages=langs),
        "th/kota-bandung.html": sample_view("th", languages=langs),
        "en/many.html": many_services_view(40),
    }
    for rel, view in views.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(render_district_page(view, RenderOptions(neutral_title=rel.startswith("th"))))
    entries = [
        index_entry("Kota Bandung", "West Java", lang, f"{lang}/kota-bandung.html", f"{lang}/kota-bandung.pdf",
                   f"{lang}/kota-bandung.card.pdf", 6)
        for lang in langs
    ] + [index_entry("Kota Banyak", "West Java", "en", "en/many.html", None, None, 40)]
    (root / "index.html").write_bytes(
        render_index(entries, RenderOptions(), title="Directory of Services", lang="en", languages=langs))
    return root


@pytest.fixture()
def open_page(chromium: Any, site: Path) -> Iterator[Any]:
    """open_page(rel, **context options) -> a loaded page; every request and console error is recorded."""
    contexts: list[Any] = []

    def _open(rel: str, **kwargs: Any) -> Any:
        context = chromium.new_context(**kwargs)
        contexts.append(context)
        page = context.new_page()
        page.requests = []  # type: ignore[attr-defined]
        page.errors = []  # type: ignore[attr-defined]
        page.on("request", lambda r: page.requests.append(r.url))
        page.on("console", lambda m: page.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: page.errors.append(str(e)))
        page.goto((site / rel).as_uri())
        return page

    yield _open
    for context in contexts:
        context.close()


def _open_all_details(page: Any) -> None:
    page.evaluate("document.querySelectorAll('details').forEach(function (d) { d.open = true; })")


def _axe(page: Any, axe_script: Path) -> list[dict[str, Any]]:
    """Run axe-core (injected: the context must bypass the page's CSP, which rightly blocks it)."""
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        AXE_TAGS,
    )
    return list(result["violations"])


def _describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        targets = [", ".join(node["target"]) for node in v["nodes"][:5]]
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} -> {targets}")
        for node in v["nodes"][:2]:
            lines.append("    " + node.get("failureSummary", "").replace("\n", " "))
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------- accessibility


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("rel", ["en/kota-bandung.html", "id/kota-bandung.html", "th/kota-bandung.html", "index.html"])
def test_axe_finds_no_wcag_violation(open_page: Any, axe_script: Path, rel: str, scheme: str) -> None:
    page = open_page(rel, color_scheme=scheme, viewport={"width": 390, "height": 844}, bypass_csp=True)
    _open_all_details(page)
    violations = _axe(page, axe_script)
    assert violations == [], _describe(violations)


def test_axe_with_a_category_filter_chosen(open_page: Any, axe_script: Path) -> None:
    page = open_page("en/kota-bandung.html", bypass_csp=True)
    page.click(".kinds a[href='#k-legal']")
    violations = _axe(page, axe_script)
    assert violations == [], _describe(violations)


# ------------------------------------------------------------------------------------------- phones


@pytest.mark.parametrize("rel", PAGES)
def test_no_horizontal_scrolling_at_320_px(open_page: Any, rel: str) -> None:
    page = open_page(rel, viewport={"width": 320, "height": 640})
    _open_all_details(page)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, width


@pytest.mark.parametrize("rel", ["en/kota-bandung.html", "id/kota-bandung.html", "index.html"])
def test_tap_targets_are_at_least_44_px(open_page: Any, rel: str) -> None:
    page = open_page(rel, viewport={"width": 320, "height": 640})
    _open_all_details(page)
    sizes = page.evaluate(
        """selector => Array.from(document.querySelectorAll(selector))
            .filter(el => el.getClientRects().length > 0)
            .map(el => { const r = el.getBoundingClientRect();
                         return {what: el.outerHTML.slice(0, 80), w: r.width, h: r.height}; })""",
        TAP_TARGETS,
    )
    assert len(sizes) > 10
    small = [s for s in sizes if s["w"] < 44 or s["h"] < 44]
    assert small == [], small


def test_text_is_at_least_18_px(open_page: Any) -> None:
    page = open_page("en/kota-bandung.html", viewport={"width": 360, "height": 640})
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.svc dd')).fontSize)")
    assert size >= 18


# ------------------------------------------------------------------------------------------- filter and search


def _visible(page: Any, selector: str) -> bool:
    return bool(page.is_visible(selector))


def test_category_filter_works_without_javascript(open_page: Any) -> None:
    page = open_page("en/kota-bandung.html", java_script_enabled=False, viewport={"width": 360, "height": 800})
    assert not _visible(page, "#search")  # the search box needs JavaScript, so it stays hidden
    assert not _visible(page, ".showall")
    page.click(".kinds a[href='#k-medical']")
    assert page.evaluate("location.hash") == "#k-medical"
    assert _visible(page, "#c-medical")
    assert _visible(page, "#c-medical article")
    for hidden in ("#c-shelter", "#c-hotline", "#c-legal", "#everywhere", "#here p.none"):
        assert not _visible(page, hidden), hidden
    assert _visible(page, ".showall")
    # a category offered only for all districts: the "none here yet" note, then the all-districts section
    page.click(".kinds a[href='#k-case_management']")
    assert _visible(page, "#here p.none.cat-case_management")
    assert _visible(page, "#a-case_management") and not _visible(page, "#c-medical")
    page.click(".showall a")
    for shown in ("#c-shelter", "#c-hotline", "#c-medical", "#a-case_management"):
        assert _visible(page, shown), shown
    assert not _visible(page, ".showall")


def test_search_box_filters_services(open_page: Any) -> None:
    page = open_page("en/kota-bandung.html", viewport={"width": 360, "height": 800})
    assert _visible(page, "#q")
    page.fill("#q", "clinic")
    shown = page.eval_on_selector_all(".svc", "els => els.filter(e => e.getClientRects().length).map(e => e.id)")
    assert shown == ["s-S-003"]
    assert "1" in page.text_content("#search-status")
    page.fill("#q", "no such thing anywhere")
    assert page.eval_on_selector_all(".svc", "els => els.filter(e => e.getClientRects().length).length") == 0
    page.fill("#q", "")
    assert page.eval_on_selector_all(".svc", "els => els.filter(e => e.getClientRects().length).length") == 6


# ------------------------------------------------------------------------------------------- quick exit


def _neutral_site(page: Any) -> None:
    """Answer the neutral site from here: the tests never touch the network."""
    page.context.route(
        "https://www.google.com/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<title>Weather</title>"),
    )


def test_quick_exit_replaces_the_page_in_history(open_page: Any, site: Path) -> None:
    page = open_page("index.html")
    _neutral_site(page)
    page.goto((site / "en/kota-bandung.html").as_uri())
    before = page.evaluate("history.length")
    page.click("#quick-exit")
    page.wait_for_url(NEUTRAL_EXIT_URL)
    assert page.title() == "Weather"
    assert page.evaluate("history.length") == before  # location.replace: no new entry
    page.go_back()
    assert page.url.endswith("/index.html")  # Back skips the directory page


def test_escape_twice_leaves(open_page: Any) -> None:
    page = open_page("en/kota-bandung.html")
    _neutral_site(page)
    page.keyboard.press("Escape")
    assert page.url.startswith("file://")  # once is not enough: Esc also closes things
    page.keyboard.press("Escape")
    page.wait_for_url(NEUTRAL_EXIT_URL)


def test_quick_exit_works_without_javascript(open_page: Any) -> None:
    page = open_page("en/kota-bandung.html", java_script_enabled=False)
    _neutral_site(page)
    before = page.evaluate("history.length")
    page.click("#quick-exit")
    page.wait_for_url(NEUTRAL_EXIT_URL)
    assert page.evaluate("history.length") == before + 1  # a plain link: the page stays in history


def test_quick_exit_stays_on_screen(open_page: Any) -> None:
    page = open_page("en/many.html", viewport={"width": 360, "height": 640})
    page.evaluate("window.scrollTo(0, document.body.scrollHeight / 2)")
    box = page.locator("#quick-exit").bounding_box()
    assert box is not None and box["y"] >= 0 and box["y"] + box["height"] <= 640


# ------------------------------------------------------------------------------------------- network, print


@pytest.mark.parametrize("rel", PAGES)
def test_pages_request_nothing_but_themselves(open_page: Any, rel: str) -> None:
    page = open_page(rel)
    _open_all_details(page)
    if page.locator(".kinds a").count():
        page.locator(".kinds a").first.click()
        page.fill("#q", "help")
    page.wait_for_timeout(100)
    outside = [url for url in page.requests if not url.startswith(("file://", "data:"))]
    assert outside == []
    assert page.errors == []  # a CSP violation (a wrong hash) would be reported here


def test_print_hides_the_controls(open_page: Any) -> None:
    page = open_page("en/kota-bandung.html")
    page.emulate_media(media="print")
    for hidden in (".bar", ".kinds", "#search"):
        assert not _visible(page, hidden), hidden
    assert _visible(page, "#emergency")
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background in ("rgb(255, 255, 255)", "rgba(0, 0, 0, 0)")
