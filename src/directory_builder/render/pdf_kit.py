"""Per-process toolkit shared by the booklet and the pocket card: paragraph styles, text, labels, icons,
QR codes, and the stream setting both documents are written with.

Everything here is built once per (style file, paper) and cached: a national build renders hundreds of
booklets per process and must not rebuild styles or icons for each one.
"""

from __future__ import annotations

import contextlib
import functools
import itertools
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from reportlab import rl_config
from reportlab.graphics.barcode import qrencoder
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.rl_accel import fp_str
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Flowable

from directory_builder.publish.labels import label as label  # the booklet and the card share it from here
from directory_builder.publish.view import PhoneView
from directory_builder.render import qrstore
from directory_builder.render.fonts import FontNames, register_fonts
from directory_builder.render.icons import icon_flowable
from directory_builder.render.pdf_flowables import Anchor, DBParagraph, Gutter
from directory_builder.render.pdf_style import Paper, PdfStyle, load_style
from directory_builder.util.text import (
    escape_attr,
    escape_markup,
    needs_shaping,
    nobreak,
    segment_for_wrapping,
)


def text(value: str | None, lang: str | None = None) -> str:
    """Workbook (or translated) text as safe paragraph markup, with Thai word breaks."""
    if not value:
        return ""
    return segment_for_wrapping(escape_markup(value), lang)


def phone_markup(phone: PhoneView, *, abroad_label: str | None = None, small: float | None = None,
                 link: bool = True) -> str:
    """A number as markup that never wraps inside: local form, then the international form once.

    Short codes ("129") and numbers whose two forms are the same print once.
    """
    local = nobreak(escape_markup(phone.local or phone.international))
    if link and phone.dial:
        local = f'<a href="tel:{escape_attr(phone.dial)}">{local}</a>'
    if phone.short_code or not phone.international or phone.international == phone.local:
        return local
    intl = nobreak(escape_markup(phone.international))
    if abroad_label:
        intl = f"{escape_markup(abroad_label)}: {intl}"
    if small:
        return f'{local} <font size="{small:g}">({intl})</font>'
    return f"{local} ({intl})"


class Kit:
    """Paragraph styles and helpers for one style file and one paper size."""

    def __init__(self, style: PdfStyle, paper: str, template_dirs: tuple[Path, ...]) -> None:
        self.style = style
        self.fonts: FontNames = register_fonts()
        self.paper_name = paper
        self.paper: Paper = style.paper(paper)
        self.template_dirs = template_dirs
        self.styles: dict[str, ParagraphStyle] = {}
        self._shaped: dict[str, ParagraphStyle] = {}
        self._define_styles()

    # ------------------------------------------------------------------ styles

    def _add(self, name: str, size: float, *, bold: bool = False, italic: bool = False,
             color: str = "text", leading: float | None = None, **extra: Any) -> None:
        st = self.style
        font = self.fonts.bold if bold else self.fonts.italic if italic else self.fonts.regular
        ps = ParagraphStyle(
            name,
            fontName=font,
            fontSize=size,
            leading=leading if leading is not None else st.leading(size),
            textColor=st.colour(color),
            alignment=extra.pop("alignment", TA_LEFT),
            bulletFontName=self.fonts.regular,
            bulletFontSize=size,
            allowWidows=0,
            allowOrphans=0,
            splitLongWords=1,
            uriWasteReduce=0.3,
            embeddedHyphenation=0,
            **extra,
        )
        self.styles[name] = ps
        shaped = ParagraphStyle(name + "+shaped", parent=ps)
        shaped.shaping = 1
        self._shaped[name] = shaped

    def _define_styles(self) -> None:
        st = self.style
        body = st.font("body")
        small = st.font("small")
        para = st.space("paragraph")
        # The cover and the emergency numbers grow with the page: A4 and Letter get bigger type.
        k = min(max(self.paper.frame_width / 340.0, 1.0), 1.45)
        self._add("body", body, spaceBefore=para)
        self._add("body_first", body)
        self._add("muted", body, color="muted")
        self._add("small", small, color="muted", spaceBefore=para)
        self._add("bold", body, bold=True, spaceBefore=para)
        # A box's padding and border are drawn outside the paragraph: indent it by as much on both
        # sides, so the box stays inside the text column instead of sticking out into the margin.
        self._add("notice", body, bold=True, spaceBefore=para + 4, spaceAfter=6,
                  backColor=st.colour("notice_background"), borderColor=st.colour("notice_border"),
                  borderWidth=1.2, borderPadding=(3, 4, 4, 4), leftIndent=4.6, rightIndent=4.6)
        self._add("service_name", st.font("service_name"), bold=True, color="heading", spaceBefore=4)
        self._add("h1", st.font("heading"), bold=True, color="heading", spaceAfter=4)
        self._add("h2", st.font("subheading"), bold=True, color="heading", spaceBefore=st.space("section"),
                  spaceAfter=3)
        self._add("h3", body, bold=True, spaceBefore=st.space("section") / 2)
        self._add("explanation", body, italic=True, color="muted", spaceAfter=4)
        self._add("bullet", body, leftIndent=16, bulletIndent=4, spaceBefore=para)
        self._add("answer", body, leftIndent=12, spaceBefore=1)
        self._add("story", body, backColor=st.colour("box_background"), borderPadding=(5, 6, 6, 6),
                  leftIndent=6, rightIndent=6, spaceBefore=para + 4, spaceAfter=8)
        self._add("toc", body, endDots=". ", spaceBefore=3)
        self._add("toc_sub", body, endDots=". ", spaceBefore=2, leftIndent=14)
        self._add("legend", small, spaceBefore=0)
        self._add("cover_title", k * st.font("cover_title"), bold=True, color="heading", spaceBefore=6)
        self._add("cover_district", k * st.font("cover_district"), bold=True, spaceBefore=8)
        self._add("cover_text", k * st.font("cover_text"), spaceBefore=3)
        self._add("cover_muted", k * st.font("cover_text"), color="muted", spaceBefore=3)
        self._add("banner", k * st.font("cover_text"), bold=True, color="on_accent", alignment=TA_CENTER,
                  backColor=st.colour("accent"), borderPadding=(5, 6, 6, 6), leftIndent=6, rightIndent=6,
                  spaceBefore=5, spaceAfter=14)
        self._add("box_heading", k * st.font("subheading"), bold=True, color="heading")
        self._add("number_name", k * body, bold=True)
        number = k * st.font("cover_number")
        self._add("number", number, bold=True, leading=number * 1.2)
        card_text = st.card("text")
        self._add("card_title", st.card("title"), color="muted", leading=st.card("title") * 1.3)
        self._add("card_banner", st.card("title"), bold=True, color="on_accent", alignment=TA_CENTER,
                  leading=st.card("title") * 1.3, backColor=st.colour("accent"), borderPadding=(2, 3, 3, 3),
                  leftIndent=3, rightIndent=3, spaceBefore=2, spaceAfter=6)
        self._add("card_district", st.card("heading") + 2, bold=True, color="heading",
                  leading=(st.card("heading") + 2) * 1.25)
        self._add("card_heading", st.card("heading"), bold=True, color="heading",
                  leading=st.card("heading") * 1.3, spaceBefore=3, spaceAfter=1)
        self._add("card_text", card_text, leading=card_text * 1.3)
        self._add("card_name", card_text, bold=True, leading=card_text * 1.3, spaceBefore=3)
        self._add("card_number", st.card("number"), bold=True, leading=st.card("number") * 1.2)
        self._add("card_service_number", st.card("service_number"), bold=True,
                  leading=st.card("service_number") * 1.25)

    # ------------------------------------------------------------------ paragraphs

    @property
    def cover_scale(self) -> float:
        return min(max(self.paper.frame_width / 340.0, 1.0), 1.45)

    def p(self, markup: str, style: str = "body", *, anchor: Anchor | None = None, shaped: bool | None = None,
          kind: type[DBParagraph] = DBParagraph, **attrs: Any) -> DBParagraph:
        """A paragraph of (already escaped) markup; OpenType shaping only where the text needs it.
        ``kind``: ``Unbroken`` for a paragraph holding a phone number."""
        if shaped is None:
            shaped = needs_shaping(markup)
        para = kind(markup, (self._shaped if shaped else self.styles)[style], anchor=anchor)
        for key, value in attrs.items():
            setattr(para, key, value)
        return para

    def icon(self, name: str, size: float | None = None, color: str = "icon") -> Flowable:
        return icon_flowable(name, size or self.style.icon("field"), self.style.colour(color),
                             template_dirs=self.template_dirs)

    def field(self, icon: str | None, markup: str, style: str = "body", **attrs: Any) -> Gutter:
        """One line of a service: an icon in the gutter, the text beside it (the text may split)."""
        para = self.p(markup, style, **attrs)
        marker = self.icon(icon) if icon else None
        return Gutter(marker, para, self.style.space("gutter"), para.style.leading)

    def labelled(self, icon: str | None, label: str, value_markup: str, style: str = "body") -> Gutter:
        return self.field(icon, f"<b>{escape_markup(label)}:</b> {value_markup}", style)

    def qr(self, url: str) -> Flowable | None:
        """The website's QR code, bigger for a long address (more modules); None if it cannot be encoded."""
        size = self.style.icon("qr")
        size = size * (1.5 if len(url) > 150 else 1.25 if len(url) > 80 else 1.0)
        modules = qr_modules(url)
        return QrFlowable(modules, round(size, 1)) if modules is not None else None


@functools.lru_cache(maxsize=4096)
def qr_modules(data: str) -> tuple[int, tuple[tuple[int, int, int], ...]] | None:
    """The QR symbol for ``data`` as (modules per side, dark runs (row, column, length)); cached.

    Encoding is the slow part (ReportLab's encoder tries eight masks), and a national build prints the
    same "all districts" websites in every booklet, so it is done once per address per process, and
    kept on disk for the next build (``qrstore.py``) by ``prepare_qr``, before drawing: drawing only
    reads the store (a symbol missing there is encoded in memory).
    """
    symbol = qrstore.load(data)
    return symbol if symbol is not None else _encode_qr(data)


@functools.lru_cache(maxsize=4096)
def prepare_qr(data: str) -> None:
    """Encode the symbol of ``data`` and store it, unless the store has it (the booklet's ``prepare``
    step, once per address per process). Never fails: a read-only store only means encoding again."""
    if qrstore.load(data) is None:
        symbol = _encode_qr(data)
        if symbol is not None:
            qrstore.save(data, symbol)


def _encode_qr(data: str) -> tuple[int, tuple[tuple[int, int, int], ...]] | None:
    try:
        qr = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
        qr.addData(data)
        qr.make()
    except Exception:  # too long for any QR version: print the address only
        return None
    runs = []
    for r, row in enumerate(qr.modules):
        c = 0
        for dark, group in itertools.groupby(bool(m) for m in row):
            n = len(list(group))
            if dark:
                runs.append((r, c, n))
            c += n
    return qr.getModuleCount(), tuple(runs)


class QrFlowable(Flowable):
    """A QR code drawn as one filled path (fast to draw, small in the file), with a quiet zone."""

    QUIET = 2  # modules of white border; 2 is enough on white paper and saves room

    def __init__(self, modules: tuple[int, tuple[tuple[int, int, int], ...]], size: float) -> None:
        super().__init__()
        self.modules = modules
        self.size = size
        self.width = self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size + 3

    def draw(self) -> None:
        self.canv.addLiteral(_qr_operators(self.modules, self.size))


@functools.lru_cache(maxsize=4096)
def _qr_operators(modules: tuple[int, tuple[tuple[int, int, int], ...]], size: float) -> str:
    """PDF operators filling every dark run: one path, computed once per (symbol, size)."""
    count, runs = modules
    quiet = QrFlowable.QUIET
    box = size / (count + 2 * quiet)
    ops = ["q 0 g"]
    for r, c, n in runs:
        ops.append(f"{fp_str((c + quiet) * box, size - (r + quiet + 1) * box, n * box, box)} re")
    ops.append("f Q")
    return "\n".join(ops)


def get_kit(paper: str, template_dirs: Iterable[Path] = ()) -> Kit:
    """The cached toolkit for these template folders and paper (rebuilt when a style file changes)."""
    dirs = tuple(Path(d) for d in template_dirs)
    return _kit(load_style(dirs), paper, dirs)


@functools.lru_cache(maxsize=16)
def _kit(style: PdfStyle, paper: str, template_dirs: tuple[Path, ...]) -> Kit:
    return Kit(style, paper, template_dirs)


def join(parts: Sequence[str], sep: str = ", ") -> str:
    return sep.join(p for p in parts if p)




@contextlib.contextmanager
def binary_streams() -> Iterator[None]:
    """Write page streams as plain Flate, without ReportLab's default ASCII85 layer (25% bigger, slower).

    ReportLab reads this from a global setting when the file is written; it is restored afterwards.
    """
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved
