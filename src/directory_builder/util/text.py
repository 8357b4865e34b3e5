"""Script-aware helpers for printing untrusted workbook text.

Two jobs, both needed before any text reaches ReportLab (and useful to the HTML renderer too):

* **Cleaning** (:func:`clean_text`): workbook cells may hold control characters, lone surrogates,
  private-use characters or decomposed (NFD) accents. They are normalised to NFC, so Vietnamese
  letters such as "ệ" use the font's precomposed glyph, and the rest is dropped.
* **Break opportunities** (:func:`segment_for_wrapping`): Thai writes no spaces between words, so a
  line breaker that only breaks at spaces would either overflow or cut a word in half. We segment
  Thai runs into words with a real dictionary segmenter (pythainlp's ``newmm``, which works offline
  with its bundled dictionary) and insert U+200B ZERO WIDTH SPACE between words.

  Why U+200B: it is the Unicode way to mark a break opportunity, browsers honour it, and it is
  invisible. ReportLab 5 does not honour it the right way by itself (its ``split()`` ignores it unless
  the paragraph also holds a no-break space, and then it turns it into a visible inter-word space), so
  the PDF renderer's paragraph class turns each U+200B into a zero-width break between two
  "words" that are drawn touching (see ``render/pdf_flowables.py``).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable
from xml.sax.saxutils import escape as _xml_escape

ZWSP = "\u200b"
NBSP = "\u00a0"

_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
_HAS_THAI = re.compile(r"[\u0e00-\u0e7f]")
# Combining marks left over after NFC (a base letter the font has no precomposed glyph for) and Thai
# both need OpenType shaping (mark positioning); everything else prints right without it.
_NEEDS_SHAPING = re.compile(r"[\u0300-\u036f\u0e00-\u0e7f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")

_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")


def _is_unwanted(ch: str) -> bool:
    """Control, surrogate, private-use and unassigned characters: never printable, sometimes hostile."""
    cat = unicodedata.category(ch)
    if cat in ("Cc", "Cs", "Co", "Cn"):
        return ch not in "\n\t"
    # Bidi overrides and isolates can visually reorder a phone number or a name ("Trojan source").
    return ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff"


@functools.lru_cache(maxsize=8192)
def clean_text(text: str) -> str:
    """NFC text without control/private/unassigned characters; tabs become spaces, runs of spaces one.

    Newlines are kept (a cell with several lines prints as several lines); leading and trailing
    whitespace of every line is dropped.
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    if any(_is_unwanted(ch) for ch in text):
        text = "".join(ch for ch in text if not _is_unwanted(ch))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def escape_markup(text: str) -> str:
    """Clean text made safe for ReportLab paragraph markup: ``<b>`` prints as ``<b>``, not bold."""
    return _xml_escape(clean_text(text)).replace("\n", "<br/>")


def escape_attr(text: str) -> str:
    """A value for a quoted markup attribute (a link target)."""
    return _xml_escape(clean_text(text), {'"': "&quot;", "'": "&apos;"})


def has_thai(text: str) -> bool:
    return bool(_HAS_THAI.search(text))


def needs_shaping(text: str) -> bool:
    """True when ``text`` holds a script or mark that prints wrongly without OpenType shaping."""
    return bool(_NEEDS_SHAPING.search(text))


def nobreak(text: str) -> str:
    """Spaces become no-break spaces: a phone number or short code never splits across lines."""
    return text.replace(" ", NBSP)


@functools.cache
def _thai_tokenizer() -> Callable[[str], list[str]]:
    """pythainlp's dictionary-based newmm segmenter; imported late (it loads a dictionary, ~0.5 s)."""
    from pythainlp.tokenize import word_tokenize

    def tokenize(run: str) -> list[str]:
        return list(word_tokenize(run, engine="newmm", keep_whitespace=True))

    return tokenize


@functools.lru_cache(maxsize=16384)
def thai_words(run: str) -> tuple[str, ...]:
    """The words of one run of Thai letters (no spaces inside), in order; they join back to ``run``."""
    words = tuple(w for w in _thai_tokenizer()(run) if w)
    if "".join(words) != run:  # never trust a segmenter to keep every character
        return (run,)
    return words


def segment_for_wrapping(text: str, lang: str | None = None) -> str:
    """``text`` with U+200B inserted between Thai words, so a line may break there and only there.

    Every Thai run is segmented whatever ``lang`` is: an English booklet can print a Thai
    organization name. ``lang`` is accepted for the scripts that may be added later (Lao, Khmer and
    Myanmar also write without spaces). Text without Thai is returned unchanged, at no cost.
    """
    del lang  # every Thai run is segmented, whatever the booklet's language
    if not _HAS_THAI.search(text):
        return text
    return _THAI_RUN.sub(lambda m: ZWSP.join(thai_words(m.group(0))), text)

