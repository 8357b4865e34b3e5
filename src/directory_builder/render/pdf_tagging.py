"""What WeasyPrint (70) does not do for the accessible booklet, added while it lays out and writes.

* /Lang on foreign-language parts. WeasyPrint sets the document's /Lang only. The booklet names each
  language of the directory in that language (``<a lang="th">ไทย</a>``); a screen reader must switch voice
  there, which it does from the structure element's /Lang.
* Text that extracts right. The booklet's font (Noto Sans with Thai merged, ``render/fonts.py``) draws
  some letters as a base glyph and a separate mark (Vietnamese "ụ" as "u" + dot below, Thai SARA AM as
  NIKHAHIT + SARA AA). WeasyPrint maps the whole letter to the mark's glyph and nothing to the base
  glyph, and since a glyph has one mapping per font, every later plain "u" then extracts as nothing
  ("cung" -> "cng"). Each glyph here is mapped to the character its name stands for (the Adobe Glyph List
  rule the ReportLab booklet uses for the same font), so "u" + dot below extracts as "u\\u0323", which is
  "ụ" once normalised, and a screen reader reads it.

* One link annotation per link. WeasyPrint gives every box inside a link (the icon, the name, the number
  of an emergency call button) its own copy of the link's annotation, tagged under a Span instead of the
  Link element; PDF/UA wants each link annotation inside its Link. Links are not passed down here, so the
  ``<a>`` box alone carries it (its area covers its children). Its /Contents (what a screen reader
  says for the link) are the link's words instead of its address.

Each wraps a WeasyPrint module function for the time of one ``write_pdf``; a lock keeps threads apart.
``tests/test_pdf_accessible.py`` checks both results from the produced bytes, so a WeasyPrint that renames
these functions fails the tests rather than quietly losing the fix.
"""

from __future__ import annotations

import contextlib
import functools
import io
import threading
import unicodedata
from collections.abc import Iterator
from typing import Any

__all__ = ["weasyprint_fixes"]

_LOCK = threading.Lock()


@contextlib.contextmanager
def weasyprint_fixes(page_lang: str) -> Iterator[None]:
    """Within this block (render and write_pdf), WeasyPrint writes /Lang on foreign parts, glyph-name text
    mappings and one annotation per link."""
    import weasyprint.pdf
    from weasyprint import anchors
    from weasyprint.pdf import tags

    build_tree = tags._build_box_tree
    build_fonts = weasyprint.pdf.build_fonts_dictionary
    gather_anchors = anchors.gather_anchors

    def anchors_without_inherited_links(box: Any, anchors_: Any, links: Any, bookmarks: Any, forms: Any,
                                        parent_matrix: Any = None, parent_form: Any = None,
                                        parent_link: Any = None) -> Any:
        return gather_anchors(box, anchors_, links, bookmarks, forms, parent_matrix, parent_form, None)

    def tree_with_lang(box: Any, parent: Any, pdf: Any, *args: Any) -> Iterator[Any]:
        lang = _own_lang(box)
        for element in build_tree(box, parent, pdf, *args):
            if lang and lang != page_lang and "Lang" not in element:
                element["Lang"] = _pdf_string(lang)
            _describe_link(box)
            yield element

    def fonts_with_text(pdf: Any, fonts: Any, *args: Any, **kwargs: Any) -> Any:
        for font in fonts.values():
            _fix_text_mapping(font)
        return build_fonts(pdf, fonts, *args, **kwargs)

    with _LOCK:
        tags._build_box_tree = tree_with_lang
        weasyprint.pdf.build_fonts_dictionary = fonts_with_text
        anchors.gather_anchors = anchors_without_inherited_links
        try:
            yield
        finally:
            tags._build_box_tree = build_tree
            weasyprint.pdf.build_fonts_dictionary = build_fonts
            anchors.gather_anchors = gather_anchors


def _describe_link(box: Any) -> None:
    """A link annotation's /Contents: the link's words, not its address. WeasyPrint writes the target
    ("tel:129", "s-shelter-1"); the page's own words for it ("Call Police: Police 110", the hidden
    "Call ...:" included) say what it does."""
    annotation = getattr(box, "link_annotation", None)
    element = getattr(box, "element", None)
    if annotation is None or element is None:
        return
    words = " ".join(" ".join(element.itertext()).split())  # parts of a link are often separate words
    if words:
        annotation["Contents"] = _pdf_string(words[:300])


def _own_lang(box: Any) -> str | None:
    """The ``lang`` attribute of the box's own element (html and body carry the page's)."""
    element = getattr(box, "element", None)
    if element is None or getattr(box, "element_tag", None) in ("html", "body"):
        return None
    value = str(element.get("lang") or "").strip()
    return value or None


def _pdf_string(text: str) -> Any:
    import pydyf

    return pydyf.String(text)


def _fix_text_mapping(font: Any) -> None:
    """Map each used glyph to its name's text where WeasyPrint's mapping is not that glyph's letter."""
    if getattr(font, "bitmap", False) or not font.to_unicode:
        return
    names = _glyph_names(bytes(font.file_content), int(getattr(font, "index", 0) or 0))
    for glyph_id, text in list(font.to_unicode.items()):
        named = _name_text(names[glyph_id]) if 0 <= glyph_id < len(names) else ""
        # NFKD: a ligature glyph named "fi" shows U+FB01 by name, and WeasyPrint's "fi" is that already.
        if named and unicodedata.normalize("NFKD", text) != unicodedata.normalize("NFKD", named):
            font.to_unicode[glyph_id] = named


@functools.lru_cache(maxsize=8)
def _glyph_names(content: bytes, index: int) -> tuple[str, ...]:
    from fontTools.ttLib import TTFont

    return tuple(TTFont(io.BytesIO(content), fontNumber=index, lazy=True).getGlyphOrder())


@functools.lru_cache(maxsize=4096)
def _name_text(name: str) -> str:
    """The text a glyph name stands for (``uni0E48.small`` -> U+0E48, ``dotbelowcomb`` -> U+0323)."""
    from fontTools.agl import toUnicode

    if name.startswith(("glyph", ".notdef")):
        return ""
    return str(toUnicode(name) or "")
