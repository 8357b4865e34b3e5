"""The accessible booklet: the district web page printed to a tagged PDF/UA-1 file by WeasyPrint.

Why this engine and this source: ReportLab (the other booklet) cannot write a structure tree, and the web
page already is the accessible form of a district: real headings in order (h1 title, h2 groups, h3
categories, h4 services), lists, links with their targets checked, ``lang`` on the language names. WeasyPrint
turns that HTML into tagged PDF (``pdf_variant="pdf/ua-1"``): a structure tree, marked content, /Lang,
DisplayDocTitle and dc:title. So the booklet reads the same published view through the same template as
the page, and a print style sheet (``templates/pdf/accessible.css``) lays it out on A5, A4 or Letter.

What this module adds to WeasyPrint:

* Nothing is loaded from anywhere: ``_local_only()`` refuses every URL except ``data:`` and the
  built-in Noto faces of ``render/fonts.py`` (the faces the other PDFs embed, served from memory).
* Icons become CSS backgrounds, which WeasyPrint draws as artifacts: they are decoration, the word beside
  each says the same, and a screen reader should not say "phone, Phone". An inline SVG would be tagged as a
  Figure that needs alternative text repeating that word.
* ``render/pdf_tagging.py``: /Lang on every element in another language than the page's, and text that
  extracts right from Vietnamese and Thai letters the font draws as a letter and a separate mark.
* Deterministic bytes: creation and modification dates are the edition's publication date, the file
  identifier is a hash of the content.

WeasyPrint needs Pango (a system library), so it is an optional extra (``directory-builder[accessible]``)
imported only here; ``missing_engine_message()`` says how to install it when it cannot be imported.
"""

from __future__ import annotations

import base64
import functools
import logging
import re
from pathlib import Path
from typing import Any

from directory_builder.i18n import _
from directory_builder.publish.view import DistrictView
from directory_builder.render.fonts import FACES, FAMILY, Face, face_bytes
from directory_builder.render.html import render_district_page
from directory_builder.render.icons import icon_svg
from directory_builder.render.options import Paper, RenderOptions
from directory_builder.render.pdf_tagging import weasyprint_fixes
from directory_builder.util.templates_path import find_template

__all__ = ["PRINT_STYLE_FILE", "check_style", "engine_available", "missing_engine_message", "render_accessible_booklet"]

PRINT_STYLE_FILE = "pdf/accessible.css"

#: CSS page sizes of ``--paper``.
_PAGE_SIZES: dict[Paper, str] = {"a5": "A5", "a4": "A4", "letter": "letter"}
#: The font URLs the style sheet names; the fetcher answers them from ``render/fonts.py``.
_FONT_SCHEME = "directory-builder-font:"
#: A decorative icon exactly as ``render/html.py`` writes it (workbook text is escaped and cannot hold '<').
_ICON_RE = re.compile(r'<svg aria-hidden="true"><use href="#i-([a-z][a-z0-9_]{0,63})"/></svg>')
_HEAD_END = "</head>"


def engine_available() -> bool:
    """Whether WeasyPrint (and the Pango library under it) can be imported."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError):  # OSError: the Python package is there, Pango is not
        return False
    return True


def missing_engine_message() -> str:
    return _(
        "The accessible booklet (--format booklet-accessible) needs WeasyPrint, which is not installed "
        "or cannot find the Pango library. Install it with: pip install 'directory-builder[accessible]' "
        "(on Debian or Ubuntu also: sudo apt-get install libpango-1.0-0 libpangoft2-1.0-0), or build "
        "without that format"
    )


def render_accessible_booklet(view: DistrictView, options: RenderOptions) -> bytes:
    """The tagged PDF of one district in one language (pure: the same view and options give the same bytes)."""
    import weasyprint

    page = render_district_page(view, options).decode("utf-8")
    html = _print_ready(page, options)
    _quiet_engine()
    with weasyprint_fixes(view.lang):
        document = weasyprint.HTML(string=html, url_fetcher=_local_only(), media_type="print").render(
            pdf_variant="pdf/ua-1", pdf_tags=True
        )
        stamp = view.published.isoformat()
        document.metadata.created = stamp
        document.metadata.modified = stamp
        pdf = document.write_pdf(pdf_variant="pdf/ua-1", pdf_tags=True, pdf_identifier=True)
    assert isinstance(pdf, bytes)
    return pdf


@functools.cache
def _quiet_engine() -> None:
    """WeasyPrint logs what it skips of the screen style sheet (media queries, unknown properties) and may
    quote workbook text: none of it is for the user, and a build log must not repeat workbook values."""
    for name in ("weasyprint", "weasyprint.progress"):
        logger = logging.getLogger(name)
        logger.addHandler(logging.NullHandler())
        logger.propagate = False


# ------------------------------------------------------------------------------------------- the HTML


def _print_ready(page: str, options: RenderOptions) -> str:
    """The web page with its icons as backgrounds and the print style sheet last in its head."""
    names = sorted(set(_ICON_RE.findall(page)))
    body = _ICON_RE.sub(lambda m: f'<i class="ai ai-{m.group(1)}"></i>', page)
    style = _fonts_css() + _page_css(options) + _icons_css(names, options.template_dirs)
    head, sep, rest = body.partition(_HEAD_END)
    if not sep:  # a customised base.html without </head>: the parser still takes a leading <style>
        return f"<style>{style}</style>" + body
    return f"{head}<style>{style}</style>{sep}{rest}"


def check_style(template_dirs: tuple[Path, ...]) -> str:
    """The print style sheet (yours first): ValueError naming the file if it could close its block, or
    would load anything (the engine would refuse it anyway, silently)."""
    from directory_builder.render.selfcontained import css_references

    path = find_template(PRINT_STYLE_FILE, template_dirs)
    css = path.read_text(encoding="utf-8", errors="replace")
    if "</style" in css.lower():
        raise ValueError(f"{path}: must not contain '</style'")
    refs = css_references(css, "CSS")
    if refs:
        raise ValueError(_("{file}: the accessible booklet loads nothing from outside, remove '{url}'").format(
            file=path, url=refs[0].url[:80]))
    return css


def _page_css(options: RenderOptions) -> str:
    return f"@page{{size:{_PAGE_SIZES[options.paper]}}}\n{check_style(options.template_dirs)}"


def _fonts_css() -> str:
    """@font-face rules for the booklet faces (Noto Sans with Thai merged), bold-italic drawn as bold."""
    rules = []
    for face in FACES:
        style = "italic" if face.italic else "normal"
        rules.append(
            f'@font-face{{font-family:"{FAMILY}";src:url("{_FONT_SCHEME}{face.style}");'
            f"font-weight:{face.weight};font-style:{style}}}"
        )
    return "\n".join(rules) + "\n"


def _icons_css(names: list[str], template_dirs: tuple[Path, ...]) -> str:
    rules = []
    for name in names:
        svg = icon_svg(name, css_class="", template_dirs=template_dirs).replace("currentColor", "#000000")
        data = base64.b64encode(svg.encode("utf-8")).decode("ascii")
        rules.append(f'.ai-{name}{{background-image:url("data:image/svg+xml;base64,{data}")}}')
    return "\n".join(rules) + "\n"


# ------------------------------------------------------------------------------------------- fetching


@functools.lru_cache(maxsize=len(FACES))
def _face(style: str) -> bytes:
    """A booklet face from the cache the booklet's warm-up filled (``store_faces``); rendering only reads."""
    face: Face = next(f for f in FACES if f.style == style)
    return face_bytes(face, store=False)


def _local_only_fetcher() -> type:
    import weasyprint

    class LocalOnly(weasyprint.URLFetcher):
        """Answers the booklet's own fonts and data: URLs; refuses every other address (network, files)."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(_FONT_SCHEME):
                style = url[len(_FONT_SCHEME):]
                if style in {f.style for f in FACES}:
                    return weasyprint.urls.URLFetcherResponse(url, _face(style), {"Content-Type": "font/ttf"})
            elif url.startswith("data:"):
                return super().fetch(url, headers)
            raise ValueError(f"the accessible booklet loads nothing from outside: {url[:80]}")

    return LocalOnly


def _local_only() -> Any:
    """A fetcher that refuses everything but the booklet faces and data: URLs."""
    return _local_only_fetcher()()
