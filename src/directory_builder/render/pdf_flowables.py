"""Platypus building blocks for the booklet: a script-aware paragraph, icon gutters, late page numbers.

The booklet is laid out in ONE pass. Page numbers that are only known later (the contents page, cross
references, "Page n of N") are drawn as references to PDF form XObjects; :class:`BookletCanvas` defines
each form when the canvas is saved, once every page number is known. Nothing is laid out twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, KeepInFrame, KeepTogether, Paragraph
from reportlab.platypus.doctemplate import FrameBreak, NullActionFlowable
from reportlab.platypus.paragraph import _getFragWords, _processed_frags, _SHYWord

from directory_builder.util.text import ZWSP, needs_shaping

# A noncharacter: clean_text() removes every unassigned code point, so workbook text never holds it.
_BREAK = "\ufdd0"

#: Size at which page-number forms are drawn; uses scale them to the size they need.
FORM_FONT_SIZE = 10.0


def _split_fragword(word: list[Any]) -> list[list[Any]]:
    """One ReportLab "frag word" cut at each break mark into words drawn touching (no space between)."""
    pieces: list[list[Any]] = []
    current: list[Any] = []
    for frag, text in word[1:]:
        parts = text.split(_BREAK)
        for i, part in enumerate(parts):
            if i:
                pieces.append(current)
                current = []
            if part or not text:
                current.append((frag, part))
    pieces.append(current)
    pieces = [p for p in pieces if any(t for _f, t in p) or any(hasattr(f, "cbDefn") for f, _t in p)]
    out: list[list[Any]] = []
    for n, piece in enumerate(pieces):
        width = sum(stringWidth(t, f.fontName, f.fontSize) for f, t in piece if t)
        cls = word.__class__ if n == len(pieces) - 1 else list  # only the last keeps a trailing space
        out.append(cls([width, *piece]))
    return out


class DBParagraph(Paragraph):
    """A Paragraph that breaks Thai lines between words, remembers its line breaks, and can be a target.

    * U+200B (inserted by :func:`directory_builder.util.text.segment_for_wrapping`) becomes a zero-width
      break opportunity: the words on either side are separate "frag words" drawn touching. Stock
      ReportLab would either ignore U+200B or print it as a space.
    * ``breakLines`` is memoised per width: KeepTogether and the frame wrap the same paragraph at the
      same width several times, and shaping Thai with HarfBuzz is the costly part.
    * ``anchor``: when drawn, record the page number under this key (for the contents page and
      cross-references) and add a PDF bookmark and outline entry.
    """

    def __init__(self, text: Any, style: Any = None, bulletText: Any = None, frags: Any = None,
                 caseSensitive: int = 1, encoding: str = "utf8", *, anchor: Anchor | None = None) -> None:
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self.anchor = anchor
        self._bl_memo: tuple[tuple[float, ...], Any] | None = None

    def breakLines(self, width: Any) -> Any:
        key = tuple(width) if isinstance(width, list | tuple) else (width,)
        if self._bl_memo is not None and self._bl_memo[0] == key:
            return self._bl_memo[1]
        frags: list[Any] = self.__dict__.get("frags") or []
        if frags and not _processed_frags(frags) and any(ZWSP in getattr(f, "text", "") for f in frags):
            for f in frags:
                if hasattr(f, "text"):
                    f.text = f.text.replace(ZWSP, _BREAK)
            words: list[list[Any]] = []
            for word in _getFragWords(frags, key[0]):
                if isinstance(word, _SHYWord) or not any(_BREAK in t for _f, t in word[1:]):
                    words.append(word)
                else:
                    words.extend(_split_fragword(word))
            self.frags = words
        result = super().breakLines(width)
        self._bl_memo = (key, result)
        return result

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        parts = super().split(availWidth, availHeight)
        if len(parts) > 1 and self.anchor is not None:
            parts[0].anchor = self.anchor  # the heading's first line is where its page is
        return list(parts)

    def draw(self) -> None:
        if self.anchor is not None:
            self.anchor.mark(self.canv)
        super().draw()


@dataclass(frozen=True)
class Anchor:
    """A place the contents page or a cross-reference points to."""

    key: str
    outline_title: str | None = None  # None: no entry in the PDF outline (bookmarks panel)
    outline_level: int = 0

    def mark(self, canv: Any) -> None:
        if not isinstance(canv, BookletCanvas):
            return
        if self.key in canv.page_of:
            return
        canv.page_of[self.key] = canv.getPageNumber()
        name = canv.anchor_name(self.key)
        canv.bookmarkPage(name)
        if self.outline_title:
            canv.addOutlineEntry(self.outline_title, name, level=self.outline_level, closed=True)


class BookletCanvas(Canvas):
    """A canvas that knows the page of every anchor and fills in page-number forms when saved."""

    def __init__(self, *args: Any, font: str = "Helvetica", page_label: Callable[[int, int], str] | None = None,
                 published: dt.date | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if published is not None:
            # The document's creation date is the directory's publication date: meaningful, and the
            # same on every build (ReportLab's invariant mode would otherwise write 2000-01-01).
            stamp = f"D:{published:%Y%m%d}000000+00'00'"
            self.setDateFormatter(lambda *_args: stamp)
        self.page_of: dict[str, int] = {}
        self._ids: dict[str, int] = {}
        self._ref_keys: set[str] = set()
        self._page_forms: set[int] = set()
        self._form_font = font
        self._page_label = page_label or (lambda page, pages: f"{page} / {pages}")

    def _id(self, key: str) -> int:
        return self._ids.setdefault(key, len(self._ids))

    def anchor_name(self, key: str) -> str:
        """A PDF-safe destination name for any key (keys may hold workbook IDs)."""
        return f"a{self._id(key)}"

    def page_ref_form(self, key: str) -> str:
        """The form that will show the page number of ``key``, right-aligned at its origin."""
        self._ref_keys.add(key)
        return f"pg{self._id(key)}"

    def page_of_form(self, page: int) -> str:
        """The form that will show "Page ``page`` of N", right-aligned at its origin."""
        self._page_forms.add(page)
        return f"pp{page}"

    def draw_form_scaled(self, form: str, x: float, y: float, size: float) -> None:
        self.saveState()
        self.translate(x, y)
        scale = size / FORM_FONT_SIZE
        self.scale(scale, scale)
        self.doForm(form)
        self.restoreState()

    def _right_form(self, name: str, text: str) -> None:
        width = stringWidth(text, self._form_font, FORM_FONT_SIZE)
        self.beginForm(name, -width - 2, -FORM_FONT_SIZE, 2, FORM_FONT_SIZE * 1.5)
        self.setFont(self._form_font, FORM_FONT_SIZE)
        self.drawRightString(0, 0, text, shaping=needs_shaping(text))
        self.endForm()

    def save(self) -> None:
        pages = self.getPageNumber() - 1  # the document template has already ended the last page
        for key, ident in sorted(self._ids.items(), key=lambda kv: kv[1]):
            if key not in self._ref_keys:
                continue
            page = self.page_of.get(key)
            self._right_form(f"pg{ident}", str(page) if page is not None else "")
        for page in sorted(self._page_forms):
            self._right_form(f"pp{page}", self._page_label(page, pages))
        super().save()


class PageRef(Flowable):
    """The page number of an anchor, right-aligned at the right edge; known only at save time."""

    def __init__(self, key: str, size: float, color: Color, width: float) -> None:
        super().__init__()
        self.key = key
        self.size = size
        self.color = color
        self.width = width
        self.height = size

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.width, self.height

    def draw_at(self, canv: Any, x: float, y: float) -> None:
        if isinstance(canv, BookletCanvas):
            canv.setFillColor(self.color)
            canv.draw_form_scaled(canv.page_ref_form(self.key), x, y, self.size)

    def draw(self) -> None:
        self.draw_at(self.canv, self.width, 0)


def last_baseline(p: Paragraph) -> float:
    """Height above the paragraph's bottom of its last line's baseline (ReportLab's default layout)."""
    lines = len(p.blPara.lines) if getattr(p, "blPara", None) is not None else 1
    return float(p.height - p.style.fontSize - (max(lines, 1) - 1) * p.style.leading)


class RefRow(Flowable):
    """A paragraph with a page number at the right, level with its last line: contents and "see" rows."""

    def __init__(self, para: Paragraph, ref: PageRef, gap: float = 6) -> None:
        super().__init__()
        self.para = para
        self.ref = ref
        self.gap = gap

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _w, h = self.para.wrap(availWidth - self.ref.width - self.gap, availHeight)
        self.width, self.height = availWidth, h
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.para.split(availWidth - self.ref.width - self.gap, availHeight)
        if len(parts) < 2:
            return list(parts) if not parts else []
        return [*parts[:-1], RefRow(parts[-1], self.ref, self.gap)]

    def getSpaceBefore(self) -> float:
        return float(self.para.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.para.getSpaceAfter())

    def draw(self) -> None:
        self.para.drawOn(self.canv, 0, 0)
        self.ref.draw_at(self.canv, self.width, last_baseline(self.para))


class Gutter(Flowable):
    """A small marker (an icon) in a left gutter, level with the first line of a splittable flowable."""

    def __init__(self, marker: Flowable | None, content: Flowable, gutter: float, first_line: float) -> None:
        super().__init__()
        self.marker = marker
        self.content = content
        self.gutter = gutter
        self.first_line = first_line  # height of the content's first line: the marker is centred on it
        self.extra_space_before = 0.0
        self._ch = 0.0

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        _w, self._ch = self.content.wrapOn(self.canv, availWidth - self.gutter, availHeight)
        mh = self.marker.wrap(self.gutter, availHeight)[1] if self.marker is not None else 0
        self.width, self.height = availWidth, max(self._ch, mh)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        parts = self.content.splitOn(self.canv, availWidth - self.gutter, availHeight)
        if not parts:
            return []
        return [Gutter(self.marker, parts[0], self.gutter, self.first_line),
                *(Gutter(None, p, self.gutter, self.first_line) for p in parts[1:])]

    def getSpaceBefore(self) -> float:
        return float(self.content.getSpaceBefore())

    def getSpaceAfter(self) -> float:
        return float(self.content.getSpaceAfter())

    def draw(self) -> None:
        self.content.drawOn(self.canv, self.gutter, self.height - self._ch)
        if self.marker is not None:
            _mw, mh = self.marker.wrap(self.gutter, self.height)
            dy = max(0.0, (self.first_line - mh) / 2)
            self.marker.drawOn(self.canv, 0, self.height - dy - mh)


class LightKeepTogether(KeepTogether):
    """KeepTogether without the frame deep-copy ReportLab makes on every wrap (we add no generated
    content), which costs a few percent of a booklet's build time: used for every keep-with-next group."""

    _H: float = 0.0
    _H0: float = 0.0

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        total = 0.0
        space_after = 0.0
        first = None
        at_top = True
        for f in self._content:
            if hasattr(f, "frameAction"):
                continue
            _w, h = f.wrapOn(self.canv, aW, 0xFFFFFFF)
            if isinstance(f, LightKeepTogether):
                h = float(f._H)  # its wrap() reports a fake height to force a split; use the real one
            if first is None:
                first = h
            if h <= 1e-8:
                continue
            if not at_top:
                total += max(f.getSpaceBefore() - space_after, 0)
            at_top = False
            total += h
            space_after = f.getSpaceAfter()
            total += space_after
        self._H = total - space_after
        self._H0 = first or 0
        self._wrapInfo = aW, aH
        return aW, 0xFFFFFF  # force the frame to call split()


class ServiceBlock(LightKeepTogether):
    """One service (with, for the first of a kind of help, the heading above it): never split when it fits.

    * It fits where it is: it stays.
    * It fits on a page (set at most ``min_scale`` smaller): it moves whole to the next page, and on
      a fresh page an entry a little taller than the page is set smaller rather than split, so its
      website, QR code and address are never cut off onto a page of their own.
    * With the heading above it, it is taller than a page, but without its ``optional`` flowables (the
      kind of help's explanation) and set at most ``optional_min_scale`` smaller it fits: it is set so on
      a fresh page, so the entry stays whole and its heading is neither apart from it nor left alone at
      the foot of the page before.
    * It is longer than a page even so (a 3000-word description): it starts where its first ``head``
      flowables (heading, name, organization) and a few lines fit, and flows on line by line.

    ``keep_fraction``: the inner groups (a website and its QR code, the last line and "Checked on") keep
    together only while they are shorter than this part of a page.
    """

    def __init__(self, flowables: Sequence[Flowable], head: int, min_tail: float, keep_fraction: float = 1.0,
                 min_scale: float = 1.0, optional: Sequence[Flowable] = (), optional_min_scale: float = 1.0):
        super().__init__(list(flowables))
        self._head = head
        self._min_tail = min_tail
        self._keep_fraction = keep_fraction
        self._min_scale = min_scale
        self._optional = [f for f in optional if any(f is c for c in self._content)]
        self._optional_min_scale = optional_min_scale

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        # The first flowable returned must be an action: the document template insists that the first
        # part of a split fits where it is, and a long entry's first part may not.
        content = [NullActionFlowable(), *self._content]
        if aH >= self._H:
            return content
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", False))
        frame_h = float(frame._height) if frame is not None else aH
        fits_a_page = self._H * self._min_scale <= self._keep_fraction * frame_h
        if not fits_a_page and self._optional:
            lighter = self._without_optional()
            lighter.wrapOn(self.canv, aW, aH)
            if lighter._H * lighter._min_scale <= self._keep_fraction * frame_h:
                return [NullActionFlowable(), lighter]
        if at_top:
            return [NullActionFlowable(), self._shrunk(aW, aH)] if fits_a_page else content
        if fits_a_page:
            return [FrameBreak(), self]
        head_h = sum(f.wrapOn(self.canv, aW, aH)[1] + f.getSpaceBefore() for f in self._content[: self._head])
        if head_h + self._min_tail <= aH:
            return content
        return [FrameBreak(), *self._content]

    def _without_optional(self) -> ServiceBlock:
        """The same block without the flowables it may do without (they come before the ``head`` ones)."""
        kept = [f for f in self._content if not any(f is o for o in self._optional)]
        return ServiceBlock(kept, head=self._head - (len(self._content) - len(kept)), min_tail=self._min_tail,
                            keep_fraction=self._keep_fraction, min_scale=min(self._min_scale, self._optional_min_scale))

    def _shrunk(self, aW: float, aH: float) -> Flowable:
        """The whole block set just small enough to fill the page (never below ``min_scale``)."""
        parts = [f for f in flat_content(self._content) if not isinstance(f, SeparatorRule)]
        return KeepInFrame(aW, aH, parts, mode="shrink")


def flat_content(flowables: Sequence[Flowable]) -> list[Flowable]:
    """The flowables with every nested block opened, for a container that lays them out in one go."""
    out: list[Flowable] = []
    for f in flowables:
        out += flat_content(f._content) if isinstance(f, LightKeepTogether) else [f]
    return out


class Gap(Flowable):
    """Space between two parts, left out at the top of a page (where it would only push the text down)."""

    def __init__(self, height: float) -> None:
        super().__init__()
        self.gap = height

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        at_top = frame is not None and getattr(frame, "_atTop", False)
        self.width, self.height = availWidth, (0.0 if at_top else min(self.gap, availHeight))
        return self.width, self.height

    def draw(self) -> None:
        pass


class Unbroken(DBParagraph):
    """A paragraph holding a phone number, set smaller rather than broken when the number is wider than
    the column (ReportLab would cut a too-long word anywhere: a victim could dial the wrong number).
    Its other words (a label, "From abroad:") still wrap as usual; at full size it is a plain paragraph."""

    scale = 1.0
    _unscaled = (0.0, 0.0)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        need = float(self.minWidth())  # the widest part that must not break: the number
        self.scale = min(1.0, availWidth / need) if need > 0 else 1.0
        width, height = super().wrap(availWidth / self.scale, availHeight / self.scale)
        if self.scale == 1.0:
            return width, height
        self._unscaled = (float(width), float(height))  # Paragraph.wrap set these; draw() needs them back
        self.width, self.height = availWidth, height * self.scale
        return availWidth, height * self.scale

    def split(self, availWidth: float, availHeight: float) -> list[Any]:
        return [] if self.scale < 1.0 else super().split(availWidth, availHeight)

    def draw(self) -> None:
        if self.scale == 1.0:
            super().draw()
            return
        scaled = self.width, self.height
        self.width, self.height = self._unscaled
        self.canv.saveState()
        self.canv.scale(self.scale, self.scale)
        super().draw()
        self.canv.restoreState()
        self.width, self.height = scaled


class Boxed(Flowable):
    """Flowables inside a filled, bordered box (used where the content is known to be short: the cover)."""

    def __init__(self, content: Sequence[Flowable], *, padding: float, fill: Color, border: Color,
                 border_width: float = 1.2) -> None:
        super().__init__()
        self.content = list(content)
        self.padding = padding
        self.fill = fill
        self.border = border
        self.border_width = border_width
        self._sizes: list[tuple[float, float]] = []

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        inner = availWidth - 2 * self.padding
        self._sizes = [f.wrapOn(self.canv, inner, availHeight) for f in self.content]
        spaces = sum(f.getSpaceBefore() for f in self.content[1:])
        self.width = availWidth
        self.height = sum(h for _w, h in self._sizes) + spaces + 2 * self.padding
        return self.width, self.height

    def draw(self) -> None:
        canv = self.canv
        canv.saveState()
        canv.setFillColor(self.fill)
        canv.setStrokeColor(self.border)
        canv.setLineWidth(self.border_width)
        inset = self.border_width / 2  # the border's outer edge on the column's edge, not past it
        canv.roundRect(inset, inset, self.width - 2 * inset, self.height - 2 * inset, 4, stroke=1, fill=1)
        canv.restoreState()
        y = self.height - self.padding
        for n, (flowable, (_w, h)) in enumerate(zip(self.content, self._sizes, strict=True)):
            if n:
                y -= flowable.getSpaceBefore()
            y -= h
            flowable.drawOn(canv, self.padding, y)


class Pinned(Flowable):
    """A whole page: ``top`` flowables from the top, ``bottom`` ones against the bottom edge.

    Each part shrinks to fit (ReportLab's KeepInFrame) so a cover is always exactly one page, whatever
    the workbook holds.
    """

    def __init__(self, top: Sequence[Flowable], bottom: Sequence[Flowable], gap: float = 12) -> None:
        super().__init__()
        self.top = list(top)
        self.bottom = list(bottom)
        self.gap = gap

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        from reportlab.platypus import KeepInFrame

        self.width, self.height = availWidth, availHeight
        natural = sum(f.wrapOn(self.canv, availWidth, availHeight)[1] + f.getSpaceBefore() for f in self.bottom)
        bottom_h = min(natural, availHeight * 0.3)
        self._bottom = KeepInFrame(availWidth, bottom_h, self.bottom, mode="shrink")
        self._top = KeepInFrame(availWidth, availHeight - bottom_h - self.gap, self.top, mode="shrink")
        self._bh = self._bottom.wrapOn(self.canv, availWidth, bottom_h)[1]
        self._th = self._top.wrapOn(self.canv, availWidth, availHeight - bottom_h - self.gap)[1]
        return self.width, self.height

    def draw(self) -> None:
        self._top.drawOn(self.canv, 0, self.height - self._th)  # top first: the reading order
        self._bottom.drawOn(self.canv, 0, 0)


class SeparatorRule(Flowable):
    """A thin rule between two entries, left out when it would open a page (it separates nothing there)."""

    def __init__(self, thickness: float, color: Color, space_before: float) -> None:
        super().__init__()
        self.thickness = thickness
        self.color = color
        self.space_before = space_before
        self._visible = True

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        self._visible = not (frame is not None and getattr(frame, "_atTop", False))
        self.width = availWidth
        self.height = self.thickness + 1 if self._visible else 0
        return self.width, self.height

    def getSpaceBefore(self) -> float:
        return self.space_before

    def draw(self) -> None:
        if self._visible:
            self.canv.setStrokeColor(self.color)
            self.canv.setLineWidth(self.thickness)
            self.canv.line(0, self.height / 2, self.width, self.height / 2)
