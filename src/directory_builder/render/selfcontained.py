"""Find everything a web page would load from outside itself (fonts, images, styles, frames, redirects).

A district page is read on a phone that others may check: it must load nothing from anywhere, so that
opening it leaves no trace on a server and works offline. The built-in templates obey this (and the
Content-Security-Policy blocks the rest); a user's ``--template-dir`` page is checked with this module
before anything is drawn, on the HTML it renders, with the standard library's HTML parser.

Links the reader chooses to follow (``<a href="https://...">`` to a service's website) are not loads and
are allowed. A resource may only be inline: a ``data:`` URL or a ``#fragment`` of the page itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

__all__ = ["ExternalReference", "external_references", "literal_external_references"]


@dataclass(frozen=True)
class ExternalReference:
    """One thing the page would load: where (``<img src>``, ``CSS url()``...) and the address as written."""

    where: str
    url: str


#: Elements that embed another document or a plugin: refused whatever they point at (even srcdoc).
_FRAMES = frozenset({"iframe", "frame", "frameset", "object", "embed", "applet", "portal"})
#: Elements whose address is refused even when inline: a script file, and <base> (it re-points every link).
_NEVER_INLINE = frozenset({"script", "base"})
#: Attributes whose value is a resource the browser fetches (or, for forms and ping, sends data to).
_RESOURCE_ATTRS = frozenset({"src", "data", "poster", "background", "codebase", "archive", "lowsrc",
                             "dynsrc", "manifest", "action", "formaction", "ping", "icon", "profile"})
#: Elements whose href is a link the reader follows, not a load.
_NAVIGATION = frozenset({"a", "area"})
_CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)\s]*))\s*\)""", re.IGNORECASE)
_CSS_IMPORT = re.compile(r"@import\b\s*(?:url\(\s*)?[\"']?([^\"');\s]*)", re.IGNORECASE)
_CSS_IMAGE_SET = re.compile(r"""image-set\(\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
_CSS_ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})\s?|\\(.)")
_TEMPLATE_CODE = ("{{", "{%", "{#")


def _inline(url: str) -> bool:
    """A data: URL or a fragment of this page: nothing is fetched."""
    value = "".join(url.split()).lower()
    return value.startswith(("data:", "#")) or value == ""


def _unescape_css(css: str) -> str:
    """CSS escapes (``\\75 rl(`` is ``url(``) undone, so an escaped url() or @import is still found."""
    return _CSS_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), css)


def css_references(css: str, where: str) -> list[ExternalReference]:
    """url(), image-set() and @import in a style sheet or a style attribute that point outside the page."""
    text = _unescape_css(re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL))
    found = []
    for match in _CSS_IMPORT.finditer(text):
        found.append(ExternalReference(f"{where} @import", match.group(1) or match.group(0)))
    for pattern in (_CSS_URL, _CSS_IMAGE_SET):
        for match in pattern.finditer(text):
            url = next((g for g in match.groups() if g is not None), "")
            if not _inline(url):
                found.append(ExternalReference(f"{where} url()", url))
    return found


class _Finder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[ExternalReference] = []
        self._in_style = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)
        if tag == "style":
            self._in_style += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._check(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style" and self._in_style:
            self._in_style -= 1

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.found.extend(css_references(data, "<style>"))

    def _add(self, tag: str, attr: str, url: str) -> None:
        self.found.append(ExternalReference(f"<{tag} {attr}>" if attr else f"<{tag}>", url.strip()))

    def _check(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name.lower(): value or "" for name, value in attrs}
        if tag in _FRAMES:
            self._add(tag, "", values.get("src") or values.get("data") or values.get("srcdoc") or "")
        if tag == "meta" and values.get("http-equiv", "").strip().lower() == "refresh":
            self._add(tag, "http-equiv=refresh", values.get("content", ""))
        for name, value in values.items():
            local = name.rsplit(":", 1)[-1]  # xlink:href is href
            if name == "style":
                self.found.extend(css_references(value, f"<{tag} style>"))
            elif local == "srcset" or local == "imagesrcset":
                for candidate in value.split(","):
                    url = candidate.strip().split(" ")[0] if candidate.strip() else ""
                    if not _inline(url):
                        self._add(tag, name, url)
            elif (local in _RESOURCE_ATTRS or (local == "href" and tag not in _NAVIGATION)) \
                    and ((tag in _NEVER_INLINE and local in ("src", "href")) or not _inline(value)):
                self._add(tag, name, value)


def external_references(html: str) -> list[ExternalReference]:
    """Everything the rendered page ``html`` would load from outside itself, in document order."""
    finder = _Finder()
    finder.feed(html)
    finder.close()
    return finder.found


def literal_external_references(source: str) -> list[ExternalReference]:
    """The same, in a template's source: addresses holding Jinja code are left to the rendered check."""
    return [ref for ref in external_references(source) if not any(code in ref.url for code in _TEMPLATE_CODE)]
