"""Fonts inside the web pages: the glyphs of a script a phone or computer may lack, carried by the page.

A web page is read on whatever device a victim has, maybe offline, and it may load nothing from outside
itself (the Content-Security-Policy forbids it, and a font server would learn who opened a directory). A
device without a font for the page's script draws an empty box for every letter: on a Linux machine with
no Thai font installed, a Thai page shows only boxes. So a page whose text holds letters of a script in
:data:`EMBEDDED` carries, as ``@font-face`` rules with ``data:`` URLs, a WOFF2 subset of the booklet's own
face for that script, holding only the letters the page uses (a few kilobytes), in regular and bold (the
page's headings, buttons and labels are bold).

Which scripts: those whose letters common devices may lack *and* that the booklet's fonts
(``render/fonts.py``) cover. Thai: missing on many Linux desktops and some older phones. Latin, including
Vietnamese with its stacked diacritics, and Arabic are in the UI fonts of every common phone and computer,
so a face for them would only add weight; they are left to the device (the browser tests check that the
test machine draws them). Khmer, Lao and Myanmar are missing on many devices too, but the booklet has no
face for them yet: adding one means adding its Noto package to ``fonts.source_fonts`` and a line here.

The faces come first in the page's font stack (``"Directory Sans"`` in ``style.css``) and each one is
limited to its script by ``unicode-range``: its letters look the same on every device and like the
booklet, and every other character is drawn by the device's own fonts. Pages without such letters carry
nothing and are unchanged.

The source of each subset is a static instance of the Noto face (``fonts.thai_letters``), kept in the
tool's font cache (``util/cachedir``) beside the booklet's faces; ``store_sources_for`` puts it there
before a page is drawn (rendering only reads the cache, and cuts in memory, once per process, when the
entry is missing). Cutting is deterministic: the same letters give byte-identical fonts and pages.
"""

from __future__ import annotations

import base64
import functools
import io
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from directory_builder import __version__
from directory_builder.i18n import gettext_, language_name
from directory_builder.publish.view import DistrictView
from directory_builder.render import fonts
from directory_builder.util import cachedir

#: Bump when the way the page fonts are cut changes: old cache entries are then ignored.
RECIPE_VERSION = 1

#: The family name the page's style sheet puts first in its font stack.
FAMILY = "Directory Sans"

#: The weights of the page's faces: regular text, and bold (headings, buttons, labels; 600 and 800 in the
#: style sheet are drawn with the bold face, the nearest one).
WEIGHTS = (400, 700)

#: The name table entries kept in a subset: copyright, names, version, and the licence (SIL OFL).
_NAME_IDS = (0, 1, 2, 3, 4, 5, 6, 13, 14)


@dataclass(frozen=True)
class PageScript:
    """A script a page carries a face for: its code point block and where the static face comes from."""

    name: str
    family: str  # the source face's family, kept in the subset's names
    postscript: str  # the subset's PostScript name stem: NotoSansThai -> NotoSansThai-Bold
    first: int
    last: int
    source: Callable[[int], bytes]  # weight -> static TrueType face covering the block

    def covers(self, char: str) -> bool:
        return self.first <= ord(char) <= self.last

    @property
    def unicode_range(self) -> str:
        return f"U+{self.first:04X}-{self.last:04X}"


#: The scripts a page carries faces for (see the module docstring for why only these).
EMBEDDED: tuple[PageScript, ...] = (
    PageScript("thai", "Noto Sans Thai", "NotoSansThai", 0x0E00, 0x0E7F, fonts.thai_letters),
)


def letters_needing_faces(text: str) -> dict[PageScript, str]:
    """The letters of ``text`` per embedded script, sorted and each once; scripts absent from the text are left out.

    A letter's compatibility decomposition comes with it: the browser's shaper draws Thai SARA AM (U+0E33)
    as NIKHAHIT + SARA AA, looked up by code point, so without those two the vowel would be a blank.
    """
    found: dict[PageScript, str] = {}
    chars = set(text)
    chars |= {part for c in chars if ord(c) > 0x7F for part in unicodedata.normalize("NFKD", c)}
    for script in EMBEDDED:
        letters = "".join(sorted(c for c in chars if script.covers(c)))
        if letters:
            found[script] = letters
    return found


def font_face_css(text: str) -> str:
    """The ``@font-face`` rules a page with this text needs (one per script and weight); '' when none.

    ``text`` is the page's markup: every character a reader may see (text, labels, the search box's
    placeholder) is in it. Pure: reads the font cache, never writes it.
    """
    rules = []
    for script, letters in letters_needing_faces(text).items():
        for weight in WEIGHTS:
            woff2 = subset_woff2(script.name, weight, letters)
            rules.append(
                f'@font-face{{font-family:"{FAMILY}";font-style:normal;font-weight:{weight};'
                f'src:url(data:font/woff2;base64,{base64.b64encode(woff2).decode("ascii")}) format("woff2");'
                f"unicode-range:{script.unicode_range}}}"
            )
    return "\n".join(rules) + "\n" if rules else ""


def store_sources_for(text: str) -> None:
    """Put the static faces a page with this text needs in the cache (made now if missing), before drawing."""
    for script in letters_needing_faces(text):
        for weight in WEIGHTS:
            _source(script, weight, store=True)


def page_letters_hint(view: DistrictView) -> str:
    """Text with the letters a district's page will very likely hold, without drawing it (for
    ``store_sources_for``): every text of the view, a sentence in the page's language, and the language
    names its links show. A letter missed here costs only time: the page then cuts the face in memory."""
    names = "".join(language_name(code, code) for code in view.languages)
    return repr(view) + gettext_("Quick exit", view.lang) + names


@functools.lru_cache(maxsize=64)
def subset_woff2(script_name: str, weight: int, letters: str) -> bytes:
    """The face of ``script_name`` at ``weight`` holding only ``letters`` (with the layout rules and the
    glyphs shaping reaches from them: Thai tone marks lowered over short letters), as WOFF2 bytes.

    Deterministic: no timestamp is recalculated, the names are fixed, brotli compresses the same input to
    the same bytes.
    """
    from fontTools import subset
    from fontTools.ttLib import TTFont

    script = next(s for s in EMBEDDED if s.name == script_name)
    font = TTFont(io.BytesIO(_source(script, weight, store=False)), recalcTimestamp=False)
    options = subset.Options()
    options.layout_features = ["*"]  # every feature of the script: marks, ligatures, contextual forms
    options.name_IDs = list(_NAME_IDS)
    options.hinting = False  # phones ignore TrueType hints; they are a third of the bytes
    options.notdef_outline = False
    options.recalc_timestamp = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(text=letters)
    subsetter.subset(font)
    _set_names(font, script, weight)
    font.flavor = "woff2"
    buf = io.BytesIO()
    font.save(buf)
    return buf.getvalue()


def _set_names(font: object, script: PageScript, weight: int) -> None:
    """Fixed names (the same bytes on every build), saying what the face is and who cut it."""
    style = "Bold" if weight >= 600 else "Regular"
    family = script.family
    name = font["name"]  # type: ignore[index]
    for name_id in (16, 17, 21, 22, 25):
        name.removeNames(nameID=name_id)
    ps_name = f"{script.postscript}-{style}"
    for name_id, value in ((1, family), (2, style), (4, f"{family} {style}"), (6, ps_name),
                           (3, f"{ps_name};directory-builder-page-{RECIPE_VERSION}")):
        name.setName(value, name_id, 3, 1, 0x409)
    name.removeNames(platformID=1)  # the Macintosh copies: nothing reads them in a web font


def _source(script: PageScript, weight: int, *, store: bool) -> bytes:
    """The static face of ``script`` at ``weight``: from the cache when a checked entry is there, else cut
    (once per process) and, with ``store``, kept for the next run."""
    folder = cachedir.cache_folder(f"fonts/{fonts.cache_key()}")
    name = f"{script.postscript}-{weight}.font"
    key = cachedir.entry_key("page-font", script.name, weight, fonts.cache_key(), RECIPE_VERSION, __version__)
    data = cachedir.read_entry(folder, name, key)
    if data is None:
        data = _cut(script.name, weight)
        if store:
            cachedir.write_entry(folder, name, key, data)
    return data


@functools.cache
def _cut(script_name: str, weight: int) -> bytes:
    script = next(s for s in EMBEDDED if s.name == script_name)
    return script.source(weight)
