"""The web page of one district, and the index of every district: self-contained, plain-language HTML.

A page is read on a cheap phone, maybe offline, maybe by someone whose phone is checked by others. So:

- everything is inline (CSS, a few lines of JavaScript, icons as one SVG sprite) and the page loads
  nothing from anywhere: a Content-Security-Policy meta tag (``default-src 'none'``) allows exactly the
  inline style and script blocks, by their SHA-256 hashes, computed here from the exact bytes written;
- all of it works without JavaScript (the category filter is CSS ``:target``; the quick exit is a plain
  link); the script only adds the search box, ``location.replace`` for the quick exit and Esc-Esc;
- workbook text is untrusted: Jinja2 autoescapes it, links are only built from checked values
  (``tel:`` from the dial digits, ``http(s)`` websites, plain e-mail addresses) and anything else is
  shown as text without a link.

Templates live in ``templates/html/`` and are looked up through the ``--template-dir`` search path, so an
NGO can replace a single file (for example only ``style.css``). Rendering is deterministic: the same view
and options give the same bytes.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined, TemplateSyntaxError, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup, escape

from directory_builder.i18n import (
    _,
    format_date,
    gettext_,
    language_name,
    ngettext_,
    use_language,
)
from directory_builder.publish.content import load_front_matter
from directory_builder.publish.labels import label
from directory_builder.publish.neutral import neutral_view, safe_title
from directory_builder.publish.present import ages, lines_in, service_lines, vocabulary_label
from directory_builder.publish.quick_exit import quick_exit_url
from directory_builder.publish.view import DistrictView, IndexEntry, PhoneView, ServiceView
from directory_builder.render.empty import empty_district
from directory_builder.render.icons import category_icon_name, load_icon
from directory_builder.render.options import RenderOptions
from directory_builder.render.share_panel import share_panel
from directory_builder.render.webfonts import FAMILY as WEBFONT_FAMILY
from directory_builder.render.webfonts import font_face_css
from directory_builder.util.phoneformat import dial_digits
from directory_builder.util.templates_path import search_path
from directory_builder.vocab import BENEFICIARIES, CATEGORIES, COST, ORG_TYPES

__all__ = [
    "NEUTRAL_EXIT_URL",
    "IndexEntry",
    "check_pages",
    "content_security_policy",
    "render_district_page",
    "render_index",
]

#: Where the quick-exit button goes in English when the workbook sets no page: a weather search.
NEUTRAL_EXIT_URL = quick_exit_url(None, "en")

STYLE_FILE = "html/style.css"
SCRIPT_FILE = "html/script.js"
SHARE_STYLE_FILE = "html/share.css"  # only on pages with the share section, so other pages stay as they were
SHARE_SCRIPT_FILE = "html/share.js"
DISTRICT_TEMPLATE = "html/district.html"
INDEX_TEMPLATE = "html/index.html"

#: Where the templates put the icon sprite and the inline blocks; filled in after rendering. Escaped
#: text can never contain "<!--", so these markers only ever come from the templates themselves.
_SPRITE_PLACEHOLDER = "<!--db:icon-sprite-->"
_STYLE_PLACEHOLDER = "<!--db:style-->"
_SCRIPT_PLACEHOLDER = "<!--db:script-->"
_CSP_PLACEHOLDER = "<!--db:csp-->"
_ICON_USE_RE = re.compile(r'<use href="#i-([a-z][a-z0-9_]{0,63})"')
_SAFE_REL_HREF_RE = re.compile(r"^[A-Za-z0-9._~-]+(?:/[A-Za-z0-9._~-]+)*$")
_EMAIL_RE = re.compile(r"^[^\s@<>()\[\]\\,;:\"']+@[^\s@<>()\[\]\\,;:\"']+\.[^\s@<>()\[\]\\,;:\"']+$")
_LEADING_WS_RE = re.compile(r"\n[ \t]+")
_CSS_COMMENT_RE = re.compile(r"/\*.*?\*/", re.DOTALL)


# ------------------------------------------------------------------------------------------- public API


def render_district_page(view: DistrictView, options: RenderOptions) -> bytes:
    """The UTF-8 HTML page of one district in one language and edition."""
    env = _environment(tuple(Path(d) for d in options.template_dirs))
    if options.neutral_title:
        view = neutral_view(view)  # the <title> and the page's heading
    with use_language(view.lang):
        front = load_front_matter(view.lang, options.template_dirs)
        page = _DistrictPage(view)
        share = share_panel(view, options)
        title = f"{view.title} – {view.district}" if view.title else view.district
        context = {
            "view": view,
            "page": page,
            "front": front,
            "page_title": title,
            "lang": view.lang,
            "text_dir": _text_direction(view.lang),
            "practitioners": view.edition == "practitioners",
            "exit_url": view.quick_exit_url,
            "own_exit_page": view.quick_exit_url != quick_exit_url(None, view.lang),
            "share": share,
        }
        extra_css = _filter_css(page.filter_codes)
        extra_script = ""
        if share is not None:
            extra_css += "\n" + _asset(env, SHARE_STYLE_FILE, "</style")
            extra_script = _asset(env, SHARE_SCRIPT_FILE, "</script")
        return _render(env, DISTRICT_TEMPLATE, context, extra_css=extra_css, extra_script=extra_script)


def render_index(
    entries: Sequence[IndexEntry],
    options: RenderOptions,
    *,
    title: str,
    lang: str,
    languages: Sequence[str],
    quick_exit: str | None = None,
) -> bytes:
    """index.html: every district, grouped by province, with its web page, booklet and pocket card per language.

    ``quick_exit``: the workbook's quick-exit page for ``lang``, if it set one.
    """
    env = _environment(tuple(Path(d) for d in options.template_dirs))
    if options.neutral_title:
        title = safe_title(title, lang)
    with use_language(lang):
        context = {
            "provinces": _index_groups(entries, languages),
            "page_title": title,
            "lang": lang,
            "text_dir": _text_direction(lang),
            "safe_href": _safe_relative_href,
            "exit_url": quick_exit_url(quick_exit, lang),
            "own_exit_page": bool(quick_exit),
        }
        return _render(env, INDEX_TEMPLATE, context, extra_css="")


def check_templates(template_dirs: Iterable[Path]) -> None:
    """Compile the page templates (the user's first): a syntax error is raised here, not in every district."""
    env = _environment(tuple(template_dirs))
    for name in (DISTRICT_TEMPLATE, INDEX_TEMPLATE):
        try:
            env.get_template(name)
        except TemplateSyntaxError as exc:
            raise ValueError(f"{exc.filename or name}, line {exc.lineno}: {exc.message}") from exc


def check_pages(view: DistrictView, options: RenderOptions) -> None:
    """Your own page templates may not make a page load anything from outside itself (ValueError naming the
    file): checked on the source of your files, then on one district page and the index rendered with them.

    A page that fetched a font, an image or a style sheet from a server would tell that server, and anyone
    watching the network, that a phone opened a directory for trafficking victims; and it would not work
    offline. The Content-Security-Policy would block most of it, but silently: refusing it here says why.
    """
    from directory_builder.render.selfcontained import (
        css_references,
        external_references,
        literal_external_references,
    )

    dirs = tuple(Path(d) for d in options.template_dirs)
    if not dirs:
        return  # the built-in templates are tested
    for folder in dirs:
        for path in sorted((folder / "html").glob("*")) if (folder / "html").is_dir() else ():
            if path.suffix.lower() in (".html", ".htm", ".css") and path.is_file():
                text = path.read_text(encoding="utf-8", errors="replace")
                refs = css_references(text, "CSS") if path.suffix.lower() == ".css" else literal_external_references(text)
                if refs:
                    raise ValueError(_external_message(path, refs[0].url, refs[0].where))
    try:
        pages = (
            render_district_page(view, options),
            render_index([], options, title=view.title or view.district, lang=view.lang, languages=(view.lang,)),
        )
    except Exception as exc:  # a sandbox refusal or a runtime error in your template: name the file
        culprit = _template_file_in_traceback(exc, dirs)
        if culprit is None:
            raise
        raise ValueError(f"{culprit}: {' '.join(str(exc).split())}") from exc
    for name, page in zip((DISTRICT_TEMPLATE, INDEX_TEMPLATE), pages, strict=True):
        refs = external_references(page.decode("utf-8"))
        if refs:
            source = _file_holding(refs[0].url, dirs) or _user_file(name, dirs) or dirs[0]
            raise ValueError(_external_message(source, refs[0].url, refs[0].where))


def _external_message(path: Path, url: str, where: str) -> str:
    shown = url if len(url) <= 80 else url[:77] + "..."
    return _(
        "{file}: the page would load '{url}' ({where}) from outside itself. Pages must load nothing (the "
        "server and anyone watching the network would see that a directory was opened), so put it in the "
        "page (a data: URL) or remove it"
    ).format(file=path, url=shown, where=where)


def _file_holding(text: str, dirs: tuple[Path, ...]) -> Path | None:
    """The first file in the user's folders whose text contains ``text`` (where a rendered address came from)."""
    if not text:
        return None
    for folder in dirs:
        for path in sorted(folder.rglob("*")):
            if path.is_file() and path.suffix.lower() in (".html", ".htm", ".css", ".js", ".yaml", ".yml") \
                    and text in path.read_text(encoding="utf-8", errors="replace"):
                return path
    return None


def _user_file(relpath: str, dirs: tuple[Path, ...]) -> Path | None:
    """The user's copy of the page template ``relpath``, else the first page template file of theirs (the
    page is built from several: base.html, macros.html...)."""
    for folder in dirs:
        if (folder / relpath).is_file():
            return folder / relpath
    for folder in dirs:
        pages = sorted((folder / "html").glob("*.htm*")) if (folder / "html").is_dir() else []
        if pages:
            return pages[0]
    return None


def _template_file_in_traceback(exc: BaseException, dirs: tuple[Path, ...]) -> Path | None:
    """The last of the user's template files in the traceback (Jinja puts template lines in it)."""
    roots = [d.resolve() for d in dirs]
    found: Path | None = None
    tb = exc.__traceback__
    while tb is not None:
        filename = Path(tb.tb_frame.f_code.co_filename)
        with contextlib.suppress(OSError, ValueError):
            resolved = filename.resolve()
            if any(root in resolved.parents for root in roots):
                found = filename
        tb = tb.tb_next
    return found


def content_security_policy(style: str, script: str, *, fonts: bool = False) -> str:
    """The page's CSP: nothing may load; only the exact inline style and script blocks may run.

    ``fonts``: the style carries fonts as ``data:`` URLs (``render/webfonts.py``); only such pages allow them.
    """
    return (
        "default-src 'none'; "
        f"style-src '{_sha256(style)}'; "
        f"script-src '{_sha256(script)}'; "
        "img-src data:; "
        + ("font-src data:; " if fonts else "")
        + "base-uri 'none'; "
        "form-action 'none'"
    )


# ------------------------------------------------------------------------------------------- environment


@functools.lru_cache(maxsize=16)
def _environment(template_dirs: tuple[Path, ...]) -> Environment:
    """One Jinja2 environment per template search path and process (templates compile once).

    Templates from a ``--template-dir`` run in Jinja's sandbox: a page template is a file someone sent,
    and must not reach Python's internals (``''.__class__.__mro__``...) from a template expression.
    """
    env = (SandboxedEnvironment if template_dirs else Environment)(
        loader=FileSystemLoader([str(p) for p in search_path(template_dirs)]),
        autoescape=select_autoescape(["html", "htm", "xml"], default_for_string=True, default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        auto_reload=False,
    )
    env.globals.update(
        {
            "_": gettext_,
            "gettext": gettext_,
            "ngettext": ngettext_,
            "ng": ngettext_,
            "label": label,
            "format_date": format_date,
            "language_name": language_name,
            "icon": _icon_use,
            "category_icon": lambda code: _icon_use(category_icon_name(code)),
            "category_label": lambda code: CATEGORIES.label(code),
            "category_explanation": lambda code: gettext_(CATEGORIES.term(code).explanation),
            "org_type_label": lambda code: vocabulary_label(ORG_TYPES, code),
            # Kept for page templates copied from earlier versions (--template-dir).
            "cost_label": lambda code: vocabulary_label(COST, code),
            "beneficiary_label": lambda code: vocabulary_label(BENEFICIARIES, code),
            "ages": lambda service: ages(service) or None,
            "service_lines": service_lines,
            "lines_in": lines_in,
            "joiner": _joiner,
            "empty_district": empty_district,
            "icon_sprite": Markup(_SPRITE_PLACEHOLDER),
            "exit_url": NEUTRAL_EXIT_URL,
        }
    )
    env.filters.update(
        {
            "tel_href": _tel_href,
            "sms_href": _sms_href,
            "whatsapp_href": _whatsapp_href,
            "mailto_href": _mailto_href,
            "web_href": _web_href,
            "map_href": _map_href,
            "text": _text,
        }
    )
    return env


def _render(env: Environment, template_name: str, context: dict[str, Any], *, extra_css: str,
            extra_script: str = "") -> bytes:
    """Render, put the icon sprite in, and return the bytes; the CSP hashes match the inline blocks exactly.

    The page's text decides which fonts its style carries (``webfonts.font_face_css``), so the style and
    the CSP that hashes it are put in after the text is rendered.
    """
    template_dirs = _template_dirs_of(env)
    style = _asset(env, STYLE_FILE, "</style") + extra_css
    script = _asset(env, SCRIPT_FILE, "</script") + ("\n" + extra_script if extra_script else "")
    html = env.get_template(template_name).render(
        **context,
        inline_style=Markup(_STYLE_PLACEHOLDER),
        inline_script=Markup(_SCRIPT_PLACEHOLDER),
        csp=Markup(_CSP_PLACEHOLDER),
    )
    html = _LEADING_WS_RE.sub("\n", html)
    # A style sheet of your own that does not name the family would only carry the fonts' weight.
    faces = font_face_css(html) if f'"{WEBFONT_FAMILY}"' in style else ""
    style = faces + style
    html = html.replace(_CSP_PLACEHOLDER, str(escape(content_security_policy(style, script, fonts=bool(faces)))), 1)
    sprite = _sprite(_ICON_USE_RE.findall(html), template_dirs)
    if _SPRITE_PLACEHOLDER in html:
        html = html.replace(_SPRITE_PLACEHOLDER, sprite, 1)
    elif sprite:  # a customised template without {{ icon_sprite }}: icons must still show
        head, sep, tail = html.rpartition("</body>")
        html = head + sprite + "\n" + sep + tail if sep else html + sprite
    # The blocks go in last, after the whitespace clean-up, byte for byte as hashed for the CSP.
    html = html.replace(_STYLE_PLACEHOLDER, style, 1).replace(_SCRIPT_PLACEHOLDER, script, 1)
    return (html.rstrip("\n") + "\n").encode("utf-8")


def _template_dirs_of(env: Environment) -> tuple[Path, ...]:
    """The user folders of an environment's search path (the built-in folder is always last)."""
    loader = env.loader
    assert isinstance(loader, FileSystemLoader)
    return tuple(Path(p) for p in loader.searchpath[:-1])


def _asset(env: Environment, name: str, closing_tag: str) -> str:
    """An inline CSS or JS file, whitespace-trimmed per line; refuses text that would close its block early."""
    assert env.loader is not None
    source, filename, _uptodate = env.loader.get_source(env, name)
    if name.endswith(".css"):
        source = _CSS_COMMENT_RE.sub("", source)
    lines = (line.strip() for line in source.splitlines())
    text = "\n".join(line for line in lines if line and not (name.endswith(".js") and line.startswith("//")))
    if name.endswith(".css"):
        text = _minify_css(text)
    if closing_tag in text.lower():
        raise ValueError(f"{filename}: must not contain {closing_tag!r}")
    return text


def _minify_css(css: str) -> str:
    """Drop the spaces CSS never needs (after ':' ';' ',' and around '{' '}' '>'), outside quoted strings.

    Spaces around '+', '-' and '~' are kept (calc() needs them), as is any space before ':' (a selector
    like ``a :hover`` differs from ``a:hover``). About a quarter of the stylesheet's bytes, on every page.
    """
    parts = re.split(r"""("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')""", css)
    for i in range(0, len(parts), 2):
        chunk = re.sub(r"\s*([{};>])\s*", r"\1", parts[i])
        chunk = re.sub(r"([:,])\s+", r"\1", chunk)
        parts[i] = chunk.replace(";}", "}")
    return "".join(parts).strip()


def _text(value: object, isolate: bool = True) -> Markup:
    """Workbook text with its line breaks kept: each line escaped, joined with <br>.

    Right-to-left safe: the text is a ``<bdi>`` (its direction from its own first letter, so an Arabic
    description reads right to left on an Indonesian page and the reverse), and numbers in it (a phone
    number, a date) are left-to-right isolates, so "(021) 3190-0110" never comes out as "0110-3190 (021)"
    inside right-to-left text. ``isolate=False`` when the caller already wraps the text.
    """
    lines = str(value).strip().splitlines()
    body = Markup("<br>").join(_isolate_numbers(escape(line)) for line in lines)
    return Markup("<bdi>") + body + Markup("</bdi>") if isolate else body


#: A run of digits with the characters phone numbers and dates are written with (escaped text holds no
#: '&', '<' or '>' inside such a run, so wrapping it cannot break an entity or a tag).
_NUMBER_RUN_RE = re.compile(r"\+?\(?\d[\d ()./-]{5,}\d\)?")


def _isolate_numbers(line: Markup) -> Markup:
    return Markup(_NUMBER_RUN_RE.sub(lambda m: f'<bdi dir="ltr">{m.group(0)}</bdi>', str(line)))


def _sha256(text: str) -> str:
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _text_direction(lang: str) -> str:
    """'rtl' for right-to-left languages, else 'ltr' (all shipped languages are left-to-right)."""
    from babel import Locale, UnknownLocaleError

    try:
        return str(Locale.parse(lang.replace("-", "_")).text_direction)
    except (UnknownLocaleError, ValueError):
        return "ltr"


# ------------------------------------------------------------------------------------------- icons


def _icon_use(name: str) -> Markup:
    """A decorative icon (always next to its text): a reference into the page's sprite."""
    if not re.fullmatch(r"[a-z][a-z0-9_]{0,63}", name):
        raise ValueError(f"invalid icon name {name!r}")
    return Markup(f'<svg aria-hidden="true"><use href="#i-{name}"/></svg>')


def _sprite(names: Iterable[str], template_dirs: tuple[Path, ...]) -> str:
    """One hidden <svg> holding a <symbol> for every icon the page uses, each once, in name order."""
    wanted = sorted(set(names))
    if not wanted:
        return ""
    symbols = []
    for name in wanted:
        icon = load_icon(name, template_dirs)  # parsed and checked against the safe SVG subset
        attrs = "".join(f' {k}="{escape(v)}"' for k, v in icon.root_attrs)
        symbols.append(f'<symbol id="i-{name}" viewBox="0 0 24 24"{attrs}>{icon.inner_markup()}</symbol>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" class="sprite" width="0" height="0" aria-hidden="true" '
        'focusable="false">' + "".join(symbols) + "</svg>"
    )


# ------------------------------------------------------------------------------------------- labels


def _joiner(name: str) -> str:
    """How the web page joins the parts of a line (``present.Joiner``)."""
    return {"list": "; ", "detail": " \u2013 ", "paragraphs": ""}[name]


# ------------------------------------------------------------------------------------------- links


def _dial_digits(phone: PhoneView) -> str:
    """The dial string reduced to what a tel: link may hold: digits, with one leading '+'."""
    return dial_digits(phone.dial)


def _tel_href(phone: PhoneView) -> str | None:
    digits = _dial_digits(phone)
    return f"tel:{digits}" if digits else None


def _sms_href(phone: PhoneView) -> str | None:
    digits = _dial_digits(phone)
    return f"sms:{digits}" if digits else None


def _whatsapp_href(phone: PhoneView) -> str | None:
    """wa.me needs a full international number: none for short codes or numbers without a country code."""
    digits = _dial_digits(phone)
    if phone.short_code or not digits.startswith("+") or len(digits) < 8:
        return None
    return "https://wa.me/" + digits[1:]


def _mailto_href(email: str | None) -> str | None:
    """mailto: only for a plain address; anything odd is shown as text without a link."""
    if not email:
        return None
    value = email.strip()
    if not _EMAIL_RE.match(value) or any(unicodedata.category(c).startswith("C") for c in value):
        return None
    return "mailto:" + quote(value, safe="@.+-_~!$&*=^`{|}%")


def _web_href(url: str | None) -> str | None:
    """Only http(s) URLs with a host become links; the view should hold nothing else, but check anyway."""
    if not url:
        return None
    value = url.strip()
    if any(c.isspace() or unicodedata.category(c).startswith("C") for c in value):
        return None
    try:
        parts = urlsplit(value)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return value


def _map_href(service: ServiceView) -> str | None:
    """An OpenStreetMap link for a place with coordinates; never for a confidential address."""
    lat, lon = service.latitude, service.longitude
    if service.confidential or lat is None or lon is None:
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):
        return None
    return f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}&zoom=17"


def _safe_relative_href(href: str | None) -> str | None:
    """Index links: relative paths inside the output folder only (no scheme, no '..', no leading '/')."""
    if not href or not _SAFE_REL_HREF_RE.match(href) or ".." in href.split("/"):
        return None
    return href


# ------------------------------------------------------------------------------------------- page model


class _DistrictPage:
    """What the district template needs beyond the view: unique anchors, filter codes, section ids."""

    def __init__(self, view: DistrictView) -> None:
        self.view = view
        self.anchors = _unique_anchors(view.services)
        local = [s.category for s in view.sections]
        everywhere = [s.category for s in view.all_district_sections]
        present = set(local) | set(everywhere)
        #: Categories offered here or everywhere, in the canonical order: the filter's buttons.
        self.filter_codes: tuple[str, ...] = tuple(c for c in CATEGORIES.codes if c in present)
        #: Categories with no district service but an all-districts one: "none here yet" notes.
        self.missing_here: tuple[str, ...] = tuple(c for c in self.filter_codes if c not in local)
        #: Categories of the all-districts group: its classes, so the filter can hide the group as a whole.
        self.everywhere_codes = tuple(everywhere)

    def anchor(self, service: ServiceView) -> str:
        """The id of the service's entry (a cross-reference to an entry not on this page keeps its own)."""
        return self.anchors.get(service.id, service.anchor)


def _unique_anchors(services: Iterable[ServiceView]) -> dict[str, str]:
    """ServiceView.anchor per service, made unique when two IDs differ only by non-ASCII characters."""
    anchors: dict[str, str] = {}
    used: set[str] = set()
    for service in services:
        if service.id in anchors:
            continue
        base = service.anchor
        candidate, n = base, 1
        while candidate in used:
            n += 1
            candidate = f"{base}-{n}"
        used.add(candidate)
        anchors[service.id] = candidate
    return anchors


def _filter_css(codes: Sequence[str]) -> str:
    """The no-JavaScript category filter: when #k-<code> is the :target, only that category stays visible.

    Generated rather than written in style.css so it always covers exactly the categories on the page,
    even with a customised stylesheet. Browsers without :has() still filter; they only skip the outline
    on the chosen button.
    """
    if not codes:
        return ""
    show = ",".join(f"#k-{c}:target~.group .cat-{c},#k-{c}:target~.group-all.has-{c}" for c in codes)
    chosen = ",".join(f"body:has(#k-{c}:target) .kinds a[href='#k-{c}']" for c in codes)
    return (
        "\n.ft:target~.group .cat,.ft:target~.group .none,.ft:target~.group-all{display:none}"
        "\n.ft:target~.showall{display:block}"
        f"\n{show}{{display:block}}"
        f"\n{chosen}{{outline:4px solid var(--focus);outline-offset:2px}}"
    )


# ------------------------------------------------------------------------------------------- index model


@dataclass(frozen=True)
class _IndexDistrict:
    name: str
    entries: tuple[IndexEntry, ...]
    services: int


@dataclass(frozen=True)
class _IndexProvince:
    name: str
    districts: tuple[_IndexDistrict, ...]


def _index_groups(entries: Sequence[IndexEntry], languages: Sequence[str]) -> tuple[_IndexProvince, ...]:
    """Provinces and districts in the order given (the workbook's), languages in the directory's order."""
    lang_rank = {code: i for i, code in enumerate(languages)}
    provinces: dict[str, dict[str, list[IndexEntry]]] = {}
    for entry in entries:
        provinces.setdefault(entry.province, {}).setdefault(entry.district, []).append(entry)
    out = []
    for province, districts in provinces.items():
        items = []
        for name, group in districts.items():
            ordered = tuple(sorted(group, key=lambda e: (lang_rank.get(e.lang, len(lang_rank)), e.lang)))
            items.append(_IndexDistrict(name, ordered, max(e.services for e in ordered)))
        out.append(_IndexProvince(province, tuple(items)))
    return tuple(out)
