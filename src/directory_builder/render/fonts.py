"""The booklet's fonts: static Noto Sans faces with Thai merged in, built once and cached on disk.

Why this module does real work instead of registering a file:

* ``fontpkg-noto-sans`` and ``fontpkg-noto-sans-thai`` ship only *variable* fonts
  (``NotoSans[wdth,wght].ttf``). ReportLab embeds static TrueType faces only, and bold must be the
  real bold design, not a synthesised smear. So we cut static instances (Regular 400, Bold 700,
  Italic 400) with ``fontTools.varLib.instancer``.
* Thai, Latin and Vietnamese must work in the same paragraph and the same *word*: a Thai booklet
  prints Latin organization names, digits and URLs; an English booklet may print a Thai organization
  name. ReportLab's shaper (uharfbuzz) shapes a whole word with the font of its first fragment, so a
  word that switched fonts half-way (``(มูลนิธิ)`` with Latin brackets) would be shaped with the wrong
  glyph ids. Wrapping Thai runs in ``<font name=...>`` would also have to be repeated for every
  ``canvas.drawString`` (cover, footer, page numbers). Instead we **merge** the Thai glyphs and their
  OpenType tables (GSUB/GPOS ``thai`` script) into each Noto Sans face with ``fontTools.merge``:
  one font covers every script the booklets use, every code path just works, and the PDF still only
  embeds the glyphs used (ReportLab subsets).
* Building the three faces takes ~20 s, so the result is cached on disk in a per-user cache folder,
  keyed by a hash of the source fonts, the fontTools version, :data:`RECIPE_VERSION` and the tool's
  version; the build is deterministic (no timestamps), so the same sources always give byte-identical
  faces and PDFs. A face decides every glyph a victim reads, so the cached file goes through
  ``cachedir``: ours alone, not a link, made for this key, its content hash checked; the checked bytes
  (never the file name, which could be swapped afterwards) are handed to ReportLab. Anything else is
  built again and replaced. When no cache folder is writable the faces are built in memory, once per
  process.
"""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from directory_builder import __version__
from directory_builder.util import cachedir

#: Bump when the way faces are built changes: old cache entries are then ignored.
RECIPE_VERSION = 1

#: ReportLab font names of the registered faces.
REGULAR = "DBSans"
BOLD = "DBSans-Bold"
ITALIC = "DBSans-Italic"
FAMILY = "DBSans"

_THAI_BLOCK = range(0x0E00, 0x0E80)
_DOTTED_CIRCLE = 0x25CC  # shapers insert it before a mark that has no base


@dataclass(frozen=True)
class Face:
    """One static face to build: its ReportLab name, PostScript style and design coordinates."""

    name: str
    style: str  # "Regular", "Bold", "Italic"
    weight: int
    italic: bool


FACES: tuple[Face, ...] = (
    Face(REGULAR, "Regular", 400, False),
    Face(BOLD, "Bold", 700, False),
    Face(ITALIC, "Italic", 400, True),
)


@dataclass(frozen=True)
class FontNames:
    """The registered names to put in paragraph styles and ``canvas.setFont``."""

    regular: str = REGULAR
    bold: str = BOLD
    italic: str = ITALIC
    #: No bold italic is built: the booklets never use it. ``<b><i>`` prints bold.
    bold_italic: str = BOLD


class FontError(RuntimeError):
    """A font package is missing or a face could not be built; the message says what to install."""


def _package_file(module: str, filename: str, pip_name: str) -> Path:
    try:
        mod = __import__(module)
    except ImportError as exc:
        raise FontError(f"the font package {pip_name!r} is not installed; run: pip install {pip_name}") from exc
    path = Path(mod.ROOT) / "files" / filename
    if not path.is_file():
        raise FontError(f"{path} is missing; reinstall the font package: pip install --force-reinstall {pip_name}")
    return path


@functools.cache
def source_fonts() -> dict[str, Path]:
    """The variable source fonts: Latin upright, Latin italic, Thai."""
    return {
        "latin": _package_file("fontpkg_noto_sans", "NotoSans[wdth,wght].ttf", "fontpkg-noto-sans"),
        "latin_italic": _package_file("fontpkg_noto_sans", "NotoSans-Italic[wdth,wght].ttf", "fontpkg-noto-sans"),
        "thai": _package_file("fontpkg_noto_sans_thai", "NotoSansThai[wdth,wght].ttf", "fontpkg-noto-sans-thai"),
    }


@functools.cache
def cache_key() -> str:
    """What the built faces depend on: the source bytes, fontTools and our recipe."""
    import fontTools

    digest = hashlib.sha256(f"recipe={RECIPE_VERSION};fonttools={fontTools.version}".encode())
    for role, path in sorted(source_fonts().items()):
        digest.update(role.encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()[:20]


def _cache_folder() -> Path | None:
    return cachedir.cache_folder(f"fonts/{cache_key()}")


def _entry(face: Face) -> tuple[str, str]:
    """The face's file name in the cache and the key it must have been made for."""
    return f"NotoSans-{face.style}.font", cachedir.entry_key("font", face.style, cache_key(), __version__)


def _instance(path: Path, weight: int) -> object:
    from fontTools.ttLib import TTFont
    from fontTools.varLib import instancer

    font = TTFont(str(path), recalcTimestamp=False)
    return instancer.instantiateVariableFont(font, {"wght": weight, "wdth": 100}, updateFontNames=False)


def _to_bytes(font: object) -> bytes:
    buf = io.BytesIO()
    font.recalcTimestamp = False  # type: ignore[attr-defined]
    font.save(buf)  # type: ignore[attr-defined]
    return buf.getvalue()


def _thai_part(weight: int) -> bytes:
    """The Thai letters of Noto Sans Thai at ``weight``, with the layout rules that position them."""
    from fontTools import subset

    thai = _instance(source_fonts()["thai"], weight)
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.glyph_names = True
    options.notdef_outline = True
    options.hinting = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=[*_THAI_BLOCK, _DOTTED_CIRCLE])
    subsetter.subset(thai)
    return _to_bytes(thai)


def thai_letters(weight: int) -> bytes:
    """The Thai letters of Noto Sans Thai as a static face at ``weight`` (TrueType bytes; deterministic):
    what the booklet merges into its faces, and what the web pages cut their Thai subsets from."""
    return _thai_part(weight)


def _set_names(font: object, face: Face) -> None:
    """Name the merged face like a static Noto Sans face, so ``pdffonts`` shows e.g. NotoSans-Bold."""
    name = font["name"]  # type: ignore[index]
    for name_id in (16, 17, 21, 22, 25):
        name.removeNames(nameID=name_id)
    family = "Noto Sans"
    ps_name = f"NotoSans-{face.style}"
    for name_id, value in ((1, family), (2, face.style), (4, f"{family} {face.style}"), (6, ps_name),
                           (3, f"{ps_name};directory-builder-{RECIPE_VERSION}")):
        name.setName(value, name_id, 3, 1, 0x409)
        name.setName(value, name_id, 1, 0, 0)


def build_face(face: Face) -> bytes:
    """One static face (Noto Sans + Noto Sans Thai merged) as TrueType bytes; deterministic."""
    from fontTools import merge

    sources = source_fonts()
    latin = _instance(sources["latin_italic" if face.italic else "latin"], face.weight)
    # Thai has no italic design; the italic face carries the upright Thai letters.
    parts = [io.BytesIO(_to_bytes(latin)), io.BytesIO(_thai_part(face.weight))]
    merged = merge.Merger().merge(parts)
    # The merger stamps "now" as creation and modification times: keep the source's, so builds are
    # reproducible.
    for stamp in ("created", "modified"):
        setattr(merged["head"], stamp, getattr(latin["head"], stamp))  # type: ignore[index]
    _set_names(merged, face)
    return _to_bytes(merged)


def face_bytes(face: Face, *, store: bool = True) -> bytes:
    """The face, from the cache when a checked entry is there; else built and, with ``store``, stored for
    the next run. Rendering asks with ``store=False`` (renderers only read caches): the booklet's warm-up
    (``store_faces``) stores them first."""
    folder = _cache_folder()
    name, key = _entry(face)
    data = cachedir.read_entry(folder, name, key)
    if data is None:
        data = build_face(face)
        if store:
            cachedir.write_entry(folder, name, key, data)
    return data


def store_faces() -> None:
    """Every face in the cache (made now if missing), before anything is drawn."""
    for face in FACES:
        face_bytes(face)


def _font_class() -> type:
    """ReportLab's TTFont, taught to keep text extractable for glyphs that only shaping reaches.

    HarfBuzz swaps some Thai marks for variants with no Unicode code point (``uni0E48.small``: a tone
    mark lowered over a short consonant). ReportLab gives each such glyph a private-use code, so copy,
    search and screen readers would get U+E000 instead of the tone mark. We remember each private code's
    glyph name and, when the font is written, map it back to the text its AGL name stands for.
    """
    from fontTools.agl import toUnicode
    from reportlab.pdfbase.ttfonts import SUBSETN, TTFont

    class TextTTFont(TTFont):
        def __init__(self, *args: object, **kwargs: object) -> None:
            super().__init__(*args, **kwargs)
            self.private_text: dict[int, str] = {}

        def hbFont(self, fontSize: float = 10) -> object:
            font = super().hbFont(fontSize)
            self.hbAddPrivate = self._add_private
            return font

        def _add_private(self, name: str, gid: int, advance: int) -> int:
            code: int = self._TTFont__addPrivate(name, gid, advance)
            if code not in self.private_text:
                self.private_text[code] = toUnicode(name) or ""
            return code

        def addObjects(self, doc: object) -> None:
            state = self.state.get(doc)
            subsets = [list(s) for s in state.subsets] if state is not None else []
            super().addObjects(doc)
            for n, subset in enumerate(subsets):
                if not any(code in self.private_text for code in subset):
                    continue
                base = b"".join((SUBSETN(n), b"+", self.face.name, self.face.subfontNameX)).decode("pdfdoc")
                stream = doc.idToObject.get("toUnicodeCMap:" + base)  # type: ignore[attr-defined]
                if stream is not None:
                    stream.content = _to_unicode_cmap(base, subset, self.private_text)

    return TextTTFont


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _to_unicode_cmap(fontname: str, subset: list[int], private_text: dict[int, str]) -> str:
    """ReportLab's ToUnicode CMap, with private codes mapped to the characters their glyphs show."""
    pairs = []
    for i, code in enumerate(subset):
        text = private_text.get(code) or chr(code)
        pairs.append(f"<{i:02X}> <{_utf16_hex(text)}>")
    return "\n".join([
        "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap", "/CIDSystemInfo",
        f"<< /Registry ({fontname})", f"/Ordering ({fontname})", "/Supplement 0", ">> def",
        f"/CMapName /{fontname} def", "/CMapType 2 def", "1 begincodespacerange",
        f"<00> <{len(subset) - 1:02X}>", "endcodespacerange", f"{len(subset)} beginbfchar", *pairs,
        "endbfchar", "endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end",
    ])


def _register(face: Face) -> None:
    from reportlab.pdfbase import pdfmetrics

    TTFont = _font_class()
    # The checked bytes themselves: a file name could be swapped between the check and ReportLab's read.
    font = TTFont(face.name, io.BytesIO(face_bytes(face, store=False)))
    pdfmetrics.registerFont(font)


@functools.cache
def register_fonts() -> FontNames:
    """Register the faces with ReportLab once per process and return their names."""
    from reportlab.lib.fonts import addMapping

    try:
        for face in FACES:
            _register(face)
    except FontError:
        raise
    except Exception as exc:
        raise FontError(f"could not prepare the booklet fonts: {type(exc).__name__}: {exc}") from exc
    names = FontNames()
    addMapping(FAMILY, 0, 0, names.regular)
    addMapping(FAMILY, 1, 0, names.bold)
    addMapping(FAMILY, 0, 1, names.italic)
    addMapping(FAMILY, 1, 1, names.bold_italic)
    return names
