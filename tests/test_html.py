"""The district web page and the index: structure, privacy, hostile text, no external loads, CSP, overrides."""

from __future__ import annotations

import base64
import hashlib
import itertools
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from directory_builder.i18n import SHIPPED_LANGUAGES, format_date, gettext_, language_name
from directory_builder.publish.labels import FIELD_LABELS, column_label
from directory_builder.publish.view import CategorySection, DistrictView, ServiceView
from directory_builder.render import html as html_mod
from directory_builder.render.html import IndexEntry, render_district_page, render_index
from directory_builder.render.options import RenderOptions
from directory_builder.vocab import CATEGORIES
from factories import HOSTILE, index_entry, many_services_view, phone, sample_view, service, short

OPTIONS = RenderOptions()
EVIL = '<script>alert(1)</script>" onmouseover="alert(2)'


def page(view: DistrictView | None = None, options: RenderOptions = OPTIONS) -> str:
    return render_district_page(view or sample_view(), options).decode("utf-8")


def soup(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def article(doc: BeautifulSoup, s: ServiceView) -> Tag:
    found = doc.find("article", id=s.anchor)
    assert isinstance(found, Tag), s.id
    return found


def label(key: str, lang: str = "en", **values: object) -> str:
    """A fixed label, or the output label of the column ``key``."""
    if key not in FIELD_LABELS:
        return column_label(key, lang)
    text = gettext_(FIELD_LABELS[key], lang)
    return text.format(**values) if values else text


def with_service(s: ServiceView, **overrides: object) -> DistrictView:
    """A view whose district has exactly this one service (under its primary category)."""
    sections = (CategorySection(s.primary_category, (s,)),)
    return sample_view(sections=sections, all_district_sections=(), **overrides)


# ------------------------------------------------------------------------------------------- structure


def test_every_service_is_under_its_category_section() -> None:
    view = sample_view()
    doc = soup(page(view))
    for prefix, sections in (("c", view.sections), ("a", view.all_district_sections)):
        group = doc.find(id="here" if prefix == "c" else "everywhere")
        assert isinstance(group, Tag)
        for sec in sections:
            node = group.find("section", id=f"{prefix}-{sec.category}")
            assert isinstance(node, Tag), sec.category
            assert CATEGORIES.label(sec.category) in node.find("h3").get_text()
            ids = [a["id"] for a in node.find_all("article")]
            assert ids == [s.anchor for s in sec.services]
            links = [a["href"] for a in node.select("ul.xref a")]
            assert links == [f"#{s.anchor}" for s in sec.also]
    # each service in full exactly once
    all_ids = [a["id"] for a in doc.find_all("article")]
    assert sorted(all_ids) == sorted(s.anchor for s in view.services)


def test_emergency_numbers_come_first_as_tap_to_call_links() -> None:
    view = sample_view()
    doc = soup(page(view))
    main = doc.find("main")
    assert isinstance(main, Tag)
    first = main.find(["section", "nav", "details", "div"])
    assert isinstance(first, Tag) and first.get("id") == "emergency"
    hrefs = [a["href"] for a in first.find_all("a")]
    assert hrefs == [f"tel:{n.phone.dial}" for n in view.emergency_numbers]
    for a, n in zip(first.find_all("a"), view.emergency_numbers, strict=True):
        text = a.get_text(" ", strip=True)
        assert n.name in text and n.phone.local in text and "Call" in text


def test_page_order_emergency_filter_services_front_matter() -> None:
    doc = soup(page())
    order = [el.get("id") for el in doc.find_all(id=["emergency", "kinds", "here", "everywhere", "info", "safety"])]
    assert order == ["emergency", "kinds", "here", "everywhere", "info", "safety"]
    assert doc.find("header") and doc.find("main") and doc.find("footer") and doc.find("nav")


def test_headings_are_in_order_and_ids_unique() -> None:
    for view in (sample_view(), sample_view("th"), sample_view(edition="practitioners")):
        doc = soup(page(view))
        levels = [int(h.name[1]) for h in doc.find_all(re.compile(r"^h[1-6]$"))]
        assert levels[0] == 1 and levels.count(1) == 1
        for before, after in itertools.pairwise(levels):
            assert after <= before + 1, levels
        ids = [el["id"] for el in doc.find_all(id=True)]
        assert len(ids) == len(set(ids))
        for a in doc.select('a[href^="#"]'):
            target = a["href"][1:]
            assert doc.find(id=target) is not None, target


def test_filter_links_target_existing_anchors_with_css_rules() -> None:
    view = sample_view()
    html = page(view)
    doc = soup(html)
    codes = [a["href"][3:] for a in doc.select("nav.kinds a")]
    expected = [c for c in CATEGORIES.codes
                if c in {s.category for s in (*view.sections, *view.all_district_sections)}]
    assert codes == expected
    style = doc.find("style").string
    for code in codes:
        target = doc.find(id=f"k-{code}")
        assert isinstance(target, Tag) and "ft" in target["class"]
        assert f"#k-{code}:target~.group .cat-{code}" in style
    # categories offered only "everywhere" get a "none here yet" note for the filter
    note = doc.select_one("#here p.none.cat-case_management")
    assert note is not None and label("no_services") in note.get_text()


def test_service_fields_use_the_shared_labels() -> None:
    view = sample_view()
    doc = soup(page(view))
    clinic = article(doc, view.sections[2].services[0])
    text = clinic.get_text(" ", strip=True)
    for key in ("description", "phone", "email", "website", "cost", "hours", "address", "referral_needed"):
        assert label(key) in text, key
    assert "Puskesmas Sukajadi · Government" in text
    assert "Low cost – Free with a referral letter" in text
    assert label("checked_on", date=format_date(view.sections[2].services[0].last_verified, "en")) in text
    web = clinic.find("a", href="https://puskesmas-sukajadi.example.org/layanan")
    assert web is not None and web["rel"] == ["noopener", "noreferrer"]
    assert clinic.find("a", href="mailto:info@puskesmas-sukajadi.example.org") is not None
    hotline = article(doc, view.sections[0].services[0])
    htext = hotline.get_text(" ", strip=True)
    assert label("trafficking_specific") in htext and label("open_24h") in htext and label("hotline") in htext
    assert hotline.find("a", href="tel:129") is not None
    assert hotline.find("a", href="sms:+628111129129") is not None
    assert hotline.find("a", href="https://wa.me/628111129129") is not None


def test_phone_links_show_local_and_international_forms() -> None:
    s = service("P-1", "Clinic", ["medical"], phones=(phone("(021) 3190 0110", "+62 21 3190 0110", "+622131900110"),))
    doc = soup(page(with_service(s)))
    a = article(doc, s).find("a", href="tel:+622131900110")
    assert a is not None
    assert "(021) 3190 0110" in a.get_text() and "Call Clinic:" in a.get_text()
    assert f"{label('international_form')}: +62 21 3190 0110" in article(doc, s).get_text(" ", strip=True)


def test_no_whatsapp_link_for_short_codes() -> None:
    s = service("P-2", "Line", ["hotline"], phones=(), sms=(short("1500"),))
    doc = soup(page(with_service(s)))
    card = article(doc, s)
    assert card.find("a", href="sms:1500") is not None
    assert not card.select('a[href^="https://wa.me"]')


def test_temporarily_closed_notice() -> None:
    view = sample_view()
    doc = soup(page(view))
    closed = article(doc, view.sections[3].services[0])
    assert "closed" in closed["class"]
    assert label("temporarily_closed") in closed.get_text()


def test_confidential_entries_never_show_an_address_or_map() -> None:
    # The view never carries a confidential address; the page must not print one even if it did.
    s = service("C-1", "Hidden shelter", ["shelter"], confidential=True, address="SECRET STREET 13",
                latitude=-6.2, longitude=106.8)
    html = page(with_service(s))
    card = article(soup(html), s)
    assert "SECRET STREET" not in html
    assert label("confidential_address") in card.get_text()
    assert not card.select('a[href*="openstreetmap"]')
    view = sample_view()
    shelter = article(soup(page(view)), view.sections[1].services[0])
    assert shelter.find(string=re.compile(re.escape(label("address")))) is not None
    assert label("confidential_address") in shelter.get_text()


def test_map_link_only_for_public_places_with_coordinates() -> None:
    s = service("M-1", "Office", ["legal"], address="Jl. Merdeka 5", latitude=-6.175392, longitude=106.827153)
    card = article(soup(page(with_service(s))), s)
    links = [a["href"] for a in card.select('a[href*="openstreetmap"]')]
    assert links == ["https://www.openstreetmap.org/?mlat=-6.17539&mlon=106.82715&zoom=17"]


def test_practitioner_edition_banner_and_focal_point() -> None:
    public = page(sample_view())
    assert label("practitioners_edition") not in public and "Ibu Sari" not in public
    view = sample_view(edition="practitioners")
    doc = soup(page(view))
    banner = doc.select_one("header .banner")
    assert banner is not None and label("practitioners_edition") in banner.get_text()
    card = article(doc, view.sections[0].services[0])
    assert label("focal_point") in card.get_text() and "Ibu Sari Wulandari" in card.get_text()
    assert card.find("a", href="tel:+6281234567890") is not None


def test_front_matter_is_collapsible() -> None:
    doc = soup(page())
    how = doc.find("details", id="how-to-use")
    assert isinstance(how, Tag) and len(how.find_all("li")) >= 3
    for section_id in ("what-is-trafficking", "forms", "stories", "rights", "witness", "faq"):
        det = doc.find("details", id=f"fm-{section_id}")
        assert isinstance(det, Tag), section_id
        assert det.find("summary").find("h3") is not None
    assert doc.select("#fm-faq .qa h4") and doc.select("#fm-stories .story h4")


def test_language_links_and_index_link() -> None:
    doc = soup(page(sample_view(languages=("en", "id", "th"))))
    nav = doc.select_one("nav.langs")
    assert nav is not None
    assert [a["href"] for a in nav.find_all("a")] == ["../id/kota-bandung.html", "../th/kota-bandung.html"]
    current = nav.select_one('[aria-current="page"]')
    assert current is not None and current["lang"] == "en"
    assert doc.find("a", href="../index.html") is not None
    assert soup(page(sample_view(languages=("en",)))).select_one("nav.langs") is None


# ------------------------------------------------------------------------------------------- language


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_html_lang_and_translated_labels(lang: str) -> None:
    view = sample_view(lang)
    doc = soup(page(view))
    root = doc.find("html")
    assert root["lang"] == lang and root["dir"] == "ltr"
    assert label("emergency_numbers", lang) in doc.find(id="emergency-h").get_text()
    assert format_date(view.published, lang) in doc.find("footer").get_text()


def test_neutral_title() -> None:
    view = sample_view()
    plain = soup(page(view)).title.get_text()
    assert "Trafficking" in plain and view.district in plain
    neutral = soup(page(view, RenderOptions(neutral_title=True))).title.get_text()
    assert "traffick" not in neutral.lower() and view.district in neutral
    assert neutral == f"{gettext_('Useful services', 'en')} – {view.district}"
    assert "traffick" not in soup(page(view, RenderOptions(neutral_title=True))).h1.get_text().lower()


# ------------------------------------------------------------------------------------------- hostile text


def _hostile_view() -> DistrictView:
    s = service(
        "X-1", EVIL, ["legal"], organization=EVIL, description=f"{EVIL}\nsecond line", how_to_get_help=EVIL,
        documents=EVIL, cost_details=EVIL, hours=EVIL, accessibility=EVIL, address=EVIL,
        languages_spoken=(EVIL,), email='a@b.example" onmouseover="x', website="javascript:alert(1)",
        phones=(phone(EVIL, EVIL, '+62<script>"21'),), focal_point=EVIL,
    )
    return with_service(s, district=EVIL, province=EVIL, title=EVIL, publisher=EVIL, edition_name=EVIL,
                        corrections_contact=EVIL)


def test_hostile_workbook_text_is_shown_as_text() -> None:
    html = page(_hostile_view())
    doc = soup(html)
    assert len(doc.find_all("script")) == 1  # only the page's own script
    for el in doc.find_all(True):
        assert not any(attr.lower().startswith("on") for attr in el.attrs), el.name
    assert "<script>alert(1)" not in html
    text = doc.get_text()
    assert "<script>alert(1)</script>" in text and '" onmouseover="alert(2)' in text
    assert doc.find("title").get_text().count("<script>") == 2  # title and district
    # sample hostile markup from the shared factory prints literally too
    assert HOSTILE in soup(page(sample_view())).get_text()


def test_unsafe_links_become_text() -> None:
    view = _hostile_view()
    doc = soup(page(view))
    card = doc.find("article")
    assert "javascript:alert(1)" in card.get_text()
    for a in doc.find_all("a", href=True):
        assert not a["href"].lower().startswith(("javascript:", "data:", "vbscript:")), a["href"]
        if a["href"].startswith("tel:"):
            assert re.fullmatch(r"tel:\+?[0-9]+", a["href"])
    assert card.find("a", href=re.compile("^mailto:")) is None
    assert card.find("a", href="tel:+6221") is not None


@pytest.mark.parametrize("url", ["javascript:alert(1)", "data:text/html,x", "ftp://example.org", "//evil.example",
                                 "https://", "http://exa mple.org", "https://example.org/\u0000"])
def test_web_href_refuses_anything_but_http_urls(url: str) -> None:
    assert html_mod._web_href(url) is None


def test_web_href_and_mailto_accept_ordinary_values() -> None:
    assert html_mod._web_href("https://example.org/a?b=c") == "https://example.org/a?b=c"
    assert html_mod._mailto_href("info@example.org") == "mailto:info@example.org"
    assert html_mod._mailto_href("a@b") is None
    assert html_mod._mailto_href("a@b.example?cc=x@y.z") is None


# ------------------------------------------------------------------------------------------- self-contained


def _inline(doc: BeautifulSoup, tag: str) -> str:
    blocks = doc.find_all(tag)
    assert len(blocks) == 1
    return blocks[0].string or ""


def _hash(text: str) -> str:
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode()


def assert_self_contained(html: str) -> None:
    doc = soup(html)
    assert not doc.find_all(src=True), "nothing may be loaded with src="
    for link in doc.find_all("link"):
        assert link.get("rel") == ["icon"] and link.get("href") == "data:,"
    for use in doc.find_all("use"):
        assert use["href"].startswith("#i-")
    for el in doc.find_all(href=True):
        if el.name == "a":
            href = el["href"]
            assert re.match(r"^(https?://|tel:|sms:|mailto:|#|\.\./|[a-z]{2,3}/)", href), href
        else:
            assert el.name in ("use", "link"), el.name
    for el in doc.find_all(True):
        assert "style" not in el.attrs, el.name  # the CSP allows no inline style attribute
    css = _inline(doc, "style")
    # the one URL allowed: a font carried inside the page (render/webfonts.py)
    css = re.sub(r"url\(data:font/woff2;base64,[A-Za-z0-9+/]+=*\)", "", css)
    assert "@import" not in css and "url(" not in css
    assert not doc.find_all(["img", "iframe", "object", "embed", "video", "audio", "source", "form", "base"])


def test_page_loads_nothing_from_outside() -> None:
    assert_self_contained(page())
    assert_self_contained(page(sample_view("th", edition="practitioners")))


def test_csp_meta_hashes_match_the_inline_blocks() -> None:
    doc = soup(page())
    meta = doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert meta is not None
    policy = dict(part.strip().split(" ", 1) for part in meta["content"].split(";"))
    assert policy["default-src"] == "'none'"
    assert policy["img-src"] == "data:"
    assert policy["base-uri"] == "'none'" and policy["form-action"] == "'none'"
    assert policy["style-src"] == f"'{_hash(_inline(doc, 'style'))}'"
    assert policy["script-src"] == f"'{_hash(_inline(doc, 'script'))}'"
    referrer = doc.find("meta", attrs={"name": "referrer"})
    assert referrer is not None and referrer["content"] == "no-referrer"
    # the CSP comes before anything it governs
    head = doc.find("head")
    assert head.find_all(["meta", "style"])[1] is meta


def test_print_and_dark_styles_present() -> None:
    css = _inline(soup(page()), "style")
    assert "@media print" in css and "prefers-color-scheme:dark" in css
    assert "overflow-wrap:anywhere" in css


def test_icons_come_from_one_sprite_with_text_next_to_them() -> None:
    doc = soup(page())
    sprite = doc.select_one("svg.sprite")
    assert sprite is not None and sprite["aria-hidden"] == "true"
    symbols = {s["id"] for s in sprite.find_all("symbol")}
    uses = {u["href"][1:] for u in doc.find_all("use")}
    assert uses == symbols  # every icon used is defined once, none defined in vain
    for svg in doc.find_all("svg"):
        if "sprite" in (svg.get("class") or []):
            continue
        assert svg["aria-hidden"] == "true"
        assert svg.parent.get_text(strip=True), "a decorative icon needs text next to it"


# ------------------------------------------------------------------------------------------- determinism, size


def test_output_is_deterministic() -> None:
    view = sample_view("th", edition="practitioners")
    first = render_district_page(view, OPTIONS)
    html_mod._environment.cache_clear()
    assert render_district_page(view, OPTIONS) == first
    entries = [index_entry("A", "P", "en", "en/a.html", None, None, 3)]
    assert render_index(entries, OPTIONS, title="T", lang="en", languages=["en"]) == render_index(
        entries, OPTIONS, title="T", lang="en", languages=["en"])


def test_forty_service_page_is_under_100_kb() -> None:
    size = len(render_district_page(many_services_view(40), OPTIONS))
    assert size < 100_000, size


# ------------------------------------------------------------------------------------------- template dir


def test_template_dir_can_override_only_the_css(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "style.css").write_text("body { color: #123456; }\n", encoding="utf-8")
    html = page(options=RenderOptions(template_dirs=(tmp_path,)))
    doc = soup(html)
    css = _inline(doc, "style")
    assert css.startswith("body{color:#123456}")
    assert "prefers-color-scheme" not in css
    meta = doc.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert _hash(css) in meta["content"]
    assert doc.find(id="emergency") is not None  # the built-in templates still render the page


def test_template_dir_can_override_a_template(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "index.html").write_text(
        '{% extends "html/base.html" %}{% block body %}<main id="main"><h1>{{ page_title }}</h1>'
        "<p>custom {{ provinces|length }}</p></main>{% endblock %}", encoding="utf-8")
    out = render_index([index_entry("A", "P", "en", "en/a.html", None, None, 1)],
                       RenderOptions(template_dirs=(tmp_path,)), title="<T>", lang="en", languages=["en"]).decode()
    assert "<p>custom 1</p>" in out and "<h1>&lt;T&gt;</h1>" in out


def test_css_that_would_close_the_style_block_is_refused(tmp_path: Path) -> None:
    (tmp_path / "html").mkdir()
    (tmp_path / "html" / "style.css").write_text("body{}</style><script>alert(1)</script>", encoding="utf-8")
    with pytest.raises(ValueError, match="</style"):
        page(options=RenderOptions(template_dirs=(tmp_path,)))


def test_css_minifier_keeps_strings_and_calc() -> None:
    css = 'a > b , c:hover { color : red ; content: " a ; b " }\n.y { width: calc(100% - 2px); }'
    assert html_mod._minify_css(css) == 'a>b ,c:hover{color :red;content:" a ; b "}.y{width:calc(100% - 2px)}'


# ------------------------------------------------------------------------------------------- index


def _entries() -> list[IndexEntry]:
    return [
        index_entry("Kota Bandung", "West Java", "id", "id/kota-bandung.html", "id/kota-bandung.pdf",
                   "id/kota-bandung.card.pdf", 6),
        index_entry("Kota Bandung", "West Java", "en", "en/kota-bandung.html", "en/kota-bandung.pdf",
                   "en/kota-bandung.card.pdf", 6),
        index_entry("Jakarta Pusat", "DKI Jakarta", "en", "en/jakarta-pusat.html", None, None, 13),
        index_entry("Kabupaten Cianjur", "West Java", "en", "en/kabupaten-cianjur.html", "en/kabupaten-cianjur.pdf",
                   None, 4),
    ]


def index_page(entries: list[IndexEntry] | None = None, lang: str = "en") -> str:
    return render_index(entries if entries is not None else _entries(), OPTIONS, title="Directory of Services",
                        lang=lang, languages=["en", "id"]).decode("utf-8")


def test_index_groups_districts_by_province_with_links_per_language() -> None:
    doc = soup(index_page())
    provinces = [h.get_text(strip=True) for h in doc.find_all("h2") if h.get("id", "").startswith("p-")]
    assert provinces == ["West Java", "DKI Jakarta"]
    west = doc.find("h2", string=None, id="p-1-h").find_parent("section")
    assert [h.get_text(strip=True) for h in west.find_all("h3")] == ["Kota Bandung", "Kabupaten Cianjur"]
    bandung = west.find("h3", string="Kota Bandung").find_parent("section")
    hrefs = [a["href"] for a in bandung.find_all("a")]
    assert hrefs == ["en/kota-bandung.html", "en/kota-bandung.pdf", "en/kota-bandung.card.pdf",
                     "id/kota-bandung.html", "id/kota-bandung.pdf", "id/kota-bandung.card.pdf"]
    names = [h.get_text(" ", strip=True) for h in bandung.select(".lang-name")]
    assert names[0] == language_name("en", "en")
    assert names[1] == f"{language_name('id', 'id')} ({language_name('id', 'en')})"
    assert bandung.select_one('.lang-name span[lang="id"]') is not None
    link = bandung.find("a", href="id/kota-bandung.pdf")
    assert "Kota Bandung" in link.get_text() and language_name("id", "id") in link.get_text()
    jakarta = doc.find("h3", string="Jakarta Pusat").find_parent("section")
    assert [a["href"] for a in jakarta.find_all("a")] == ["en/jakarta-pusat.html"]
    assert "13" in jakarta.select_one(".count").get_text()


def test_index_is_safe_and_self_contained() -> None:
    entries = [index_entry(EVIL, EVIL, "en", "javascript:alert(1)", "../../etc/passwd", "/abs/x.pdf", 1),
               index_entry("Good", "P", "en", "en/good.html", "https://evil.example/x.pdf", None, 1)]
    html = index_page(entries)
    doc = soup(html)
    assert "<script>alert(1)" not in html and EVIL in doc.get_text()
    hrefs = [a["href"] for a in doc.find_all("a", href=True) if not a["href"].startswith(("#", "https://www.google"))]
    assert hrefs == ["en/good.html"]
    assert_self_contained(html)
    assert doc.find("html")["lang"] == "en"
    assert doc.find(id="quick-exit") is not None and doc.find(id="safety") is not None


def test_index_labels_follow_its_language() -> None:
    doc = soup(index_page(lang="id"))
    assert doc.find("html")["lang"] == "id"
    assert gettext_("Booklet (PDF)", "id") in doc.get_text()


# ------------------------------------------------------------------------------------------- quick exit


def test_quick_exit_is_a_plain_link_and_the_safety_note_is_honest() -> None:
    for html in (page(), index_page()):
        doc = soup(html)
        exit_link = doc.find("a", id="quick-exit")
        assert exit_link is not None and exit_link["href"] == html_mod.NEUTRAL_EXIT_URL
        assert "bar" in exit_link.parent["class"]
        note = doc.find(id="safety").get_text(" ", strip=True)
        assert "cannot erase your browser history" in note and "private" in note
        script = _inline(doc, "script")
        assert "location.replace" in script and "Escape" in script
