"""The print-ready booklet: cover, contents, how to use, front matter, services by category, back page.

Laid out in one pass (no ``multiBuild``): the contents page, the "see page" cross-references and the
"Page n of N" footers draw page numbers through form XObjects that the canvas fills in when it is saved
(see ``pdf_flowables.BookletCanvas``).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepInFrame,
    NextPageTemplate,
    PageBreak,
    PageTemplate,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus.doctemplate import NullActionFlowable
from reportlab.platypus.flowables import HRFlowable

from directory_builder.i18n import _, format_date, gettext_, use_language
from directory_builder.publish.content import FrontMatter, load_front_matter
from directory_builder.publish.labels import FIELD_LABELS, column_label, label
from directory_builder.publish.neutral import mentions_trafficking, neutral_property, neutral_view
from directory_builder.publish.present import Line, service_lines
from directory_builder.publish.selection import is_map_link
from directory_builder.publish.view import CategorySection, DistrictView, NamedNumber, PhoneView, ServiceView
from directory_builder.render.empty import empty_district, has_own_services
from directory_builder.render.icons import category_icon_name
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf_flowables import (
    Anchor,
    BookletCanvas,
    Boxed,
    DBParagraph,
    Gap,
    Gutter,
    LightKeepTogether,
    PageRef,
    Pinned,
    RefRow,
    SeparatorRule,
    ServiceBlock,
    Unbroken,
)
from directory_builder.render.pdf_kit import Kit, binary_streams, get_kit, join, phone_markup, text
from directory_builder.util.text import clean_text, escape_attr, escape_markup, needs_shaping, nobreak
from directory_builder.vocab import CATEGORIES, ORG_TYPES

#: How much smaller a contents page may be set to keep it on one page (0.9: a 12 pt line becomes 10.8 pt).
CONTENTS_MIN_SCALE = 0.9

#: How much smaller an entry a little taller than a page may be set to keep it on one page.
SERVICE_MIN_SCALE = 0.9

#: How much smaller the first entry of a kind of help may be set, with its heading (its explanation left
#: out), when only that keeps the entry whole on one page with its heading (0.85: 10 pt becomes 8.5 pt).
HEADED_SERVICE_MIN_SCALE = 0.85

#: Contact icons explained in the legend, with the label that says what each means.
LEGEND_FIELD_ICONS: tuple[tuple[str, str], ...] = (
    ("phone", "phone"),
    ("hotline", "hotline"),
    ("sms", "sms"),
    ("email", "email"),
    ("website", "website"),
    ("clock", "hours"),
    ("location", "address"),
    ("people", "beneficiaries"),
    ("cost", "cost"),
    ("language", "languages_spoken"),
    ("accessibility", "accessibility"),
    ("check", "trafficking_specific"),
)


@dataclass(frozen=True)
class TocEntry:
    key: str
    title: str
    level: int = 0
    icon: str | None = None


def _categories_present(view: DistrictView) -> list[str]:
    seen = {sec.category for sec in (*view.sections, *view.all_district_sections)}
    return [code for code in CATEGORIES.codes if code in seen]


def _best_hotline(view: DistrictView) -> NamedNumber | None:
    numbers = view.national_hotlines or view.local_emergency
    return numbers[0] if numbers else None


class BookletBuilder:
    """Turns one DistrictView into the booklet's flowables (the "story")."""

    #: --neutral-title: the cover, seen by anyone near the booklet, names no trafficking anywhere.
    neutral = False

    def __init__(self, view: DistrictView, kit: Kit, front: FrontMatter) -> None:
        self.view = view
        self.kit = kit
        self.front = front
        self.lang = view.lang
        self.width = kit.paper.frame_width
        self.toc: list[TocEntry] = self._toc_entries()

    def t(self, value: str | None) -> str:
        return text(value, self.lang)

    # ------------------------------------------------------------------ plan

    def _toc_entries(self) -> list[TocEntry]:
        view = self.view
        entries = [TocEntry("howto", label("how_to_use"))]
        entries += [TocEntry(f"fm:{s.id}", s.title) for s in self.front.sections]
        entries += [TocEntry(f"cat:{sec.category}", CATEGORIES.label(sec.category), 0, sec.category)
                    for sec in view.sections]
        if not has_own_services(view):
            entries.append(TocEntry("empty", empty_district(view).heading))
        if view.all_district_sections:
            entries.append(TocEntry("alldist", label("all_districts")))
            entries += [TocEntry(f"alldist:{sec.category}", CATEGORIES.label(sec.category), 1, sec.category)
                        for sec in view.all_district_sections]
        entries.append(TocEntry("back", label("emergency_numbers"), 0, None))
        return entries

    def _anchor(self, key: str) -> Anchor:
        for entry in self.toc:
            if entry.key == key:
                return Anchor(key, clean_text(entry.title), entry.level)
        return Anchor(key)

    def story(self) -> list[Flowable]:
        out: list[Flowable] = []
        out += self.cover()
        out += [NextPageTemplate("body"), PageBreak()]
        out += self.contents()
        out += [PageBreak()]
        out += self.how_to_use()
        out += self.front_matter()
        out += self.services()
        out += self.back_page()
        return out

    # ------------------------------------------------------------------ cover and back page

    def numbers(self, numbers: Sequence[NamedNumber], *, big: str = "number") -> list[Flowable]:
        """Emergency numbers: name at the left, the number large at the right; never a LayoutError."""
        kit = self.kit
        small = kit.style.font("small")
        rows: list[Flowable] = []
        num_style = kit.styles[big]
        right = ParagraphStyle(big + "+right", parent=num_style, alignment=TA_RIGHT)
        right_shaped = ParagraphStyle(big + "+right+shaped", parent=right)
        right_shaped.shaping = 1
        for n, item in enumerate(numbers):
            name = kit.p(self.t(item.name), "number_name")
            number_markup = self._big_number(item.phone, small * kit.cover_scale)
            shaped = needs_shaping(number_markup)
            num = Unbroken(number_markup, right_shaped if shaped else right)
            last = n == len(numbers) - 1
            rows.append(NumberRow(name, num, 0.52, None if last else kit.style.colour("rule")))
        return rows

    def _big_number(self, phone: PhoneView, small: float) -> str:
        local = nobreak(escape_markup(phone.local or phone.international))
        if phone.short_code or not phone.international or phone.international == phone.local:
            return local
        intl = nobreak(escape_markup(phone.international))
        return f'{local}<br/><font size="{small:g}" name="{self.kit.fonts.regular}">' \
               f"{escape_markup(label('international_form'))}: {intl}</font>"

    def cover(self) -> list[Flowable]:
        """Emergency numbers first and large, then the title and district; publisher at the foot."""
        kit, view = self.kit, self.view
        top: list[Flowable] = []
        if view.edition == "practitioners":
            top.append(kit.p(self.t(label("practitioners_edition")), "banner"))
        if view.emergency_numbers:
            top.append(self.numbers_box(view.emergency_numbers))
            top.append(Spacer(1, 16))
        top.append(HRFlowable(width="100%", thickness=3, color=kit.style.colour("accent"), spaceAfter=4))
        top.append(kit.p(self.t(view.title), "cover_title"))
        top.append(kit.p(self.t(view.district), "cover_district"))
        top.append(kit.p(self.t(view.province), "cover_text"))
        edition = label("edition_published", edition=view.edition_name, date=format_date(view.published, self.lang))
        bottom = [
            HRFlowable(width="100%", thickness=0.8, color=kit.style.colour("rule"), spaceAfter=2),
            kit.p(self.t(edition), "cover_muted"),
        ]
        if not (self.neutral and mentions_trafficking(view.publisher)):
            bottom.append(kit.p(self.t(label("published_by", publisher=view.publisher)), "cover_muted"))
        return [Pinned(top, bottom)]

    def numbers_box(self, numbers: Sequence[NamedNumber]) -> Flowable:
        kit = self.kit
        heading = Gutter(kit.icon("emergency", 20, "heading"), kit.p(self.t(label("emergency_numbers")),
                         "box_heading"), 26, kit.styles["box_heading"].leading)
        return Boxed([heading, *self.numbers(numbers)], padding=8, fill=kit.style.colour("box_background"),
                     border=kit.style.colour("box_border"))

    def back_page(self) -> list[Flowable]:
        kit, view = self.kit, self.view
        out: list[Flowable] = [PageBreak()]
        out.append(kit.p(self.t(label("emergency_numbers")), "h1", anchor=self._anchor("back")))
        out += self.numbers(view.emergency_numbers)
        contact = view.corrections_contact
        sentence = (label("corrections", contact=contact) if contact
                    else label("corrections_no_contact", publisher=view.publisher))
        out.append(Spacer(1, 18))
        out.append(kit.field("info", self.t(sentence), "notice"))
        return out

    # ------------------------------------------------------------------ contents and how to use

    def contents(self) -> list[Flowable]:
        kit = self.kit
        out: list[Flowable] = [kit.p(self.t(label("contents")), "h1")]
        size = kit.style.font("body")
        number_width = stringWidth("000", kit.fonts.regular, size) + 2
        colour = kit.style.colour("text")
        for entry in self.toc:
            style = "toc_sub" if entry.level else "toc"
            row = RefRow(kit.p(self.t(entry.title), style), PageRef(entry.key, size, colour, number_width))
            if entry.icon:
                out.append(Gutter(kit.icon(category_icon_name(entry.icon), 14), row, 20, kit.styles[style].leading))
            else:
                out.append(Gutter(None, row, 20, kit.styles[style].leading))
        return self._fit_one_page(out)

    def _fit_one_page(self, flowables: list[Flowable]) -> list[Flowable]:
        """A contents a few lines longer than a page is set a little smaller (at most by CONTENTS_MIN_SCALE)
        rather than leaving its last line alone overleaf; a longer one runs on over two pages as usual."""
        from reportlab.pdfgen.canvas import Canvas

        height = self.kit.paper.frame_height
        scratch = Canvas(io.BytesIO())  # flowables measure text on a canvas; this one is never saved
        needed = sum(f.wrapOn(scratch, self.width, height)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                     for f in flowables)
        if height < needed <= height / CONTENTS_MIN_SCALE:
            return [KeepInFrame(self.width, height, flowables, mode="shrink")]
        return flowables

    def how_to_use(self) -> list[Flowable]:
        kit = self.kit
        out: list[Flowable] = [kit.p(self.t(label("how_to_use")), "h1", anchor=self._anchor("howto"))]
        for line in self.front.how_to_use:
            out.append(kit.p(self.t(line), "bullet", bulletText="\u2022"))
        out.append(kit.p(self.t(_("What the pictures mean")), "h2", keepWithNext=1))
        cats = [(category_icon_name(code), CATEGORIES.label(code)) for code in _categories_present(self.view)]
        if cats:
            out.append(self._legend(cats, kit.style.icon("legend")))
        out.append(Spacer(1, 8))
        out.append(self._legend([(icon, column_label(key)) for icon, key in LEGEND_FIELD_ICONS], kit.style.icon("field") + 3))
        return out

    def _legend(self, items: Sequence[tuple[str, str]], size: float) -> Table:
        """Icons with their names, two to a row (translated labels only: short, never workbook text)."""
        kit = self.kit
        half = self.width / 2
        cells = [[kit.icon(icon, size), kit.p(self.t(name), "legend")] for icon, name in items]
        if len(cells) % 2:
            cells.append(["", ""])
        rows = [cells[i] + cells[i + 1] for i in range(0, len(cells), 2)]
        gap = size + 6
        table = Table(rows, colWidths=[gap, half - gap, gap, half - gap], hAlign="LEFT")
        table.setStyle(TableStyle([
            ("FONT", (0, 0), (-1, -1), kit.fonts.regular, kit.style.font("small")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), 0),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
        ]))
        return table

    # ------------------------------------------------------------------ front matter

    def front_matter(self) -> list[Flowable]:
        kit = self.kit
        out: list[Flowable] = []
        for section in self.front.sections:
            out.append(Spacer(1, kit.style.space("section")))
            out.append(kit.p(self.t(section.title), "h1", keepWithNext=1, anchor=self._anchor(f"fm:{section.id}")))
            for block in section.blocks:
                out += self._block(block)
        return out

    def _block(self, block: Any) -> list[Flowable]:
        kit = self.kit
        kind = block.kind
        if kind == "paragraph":
            return [kit.p(self.t(block.text), "body")]
        if kind == "list":
            return [kit.p(self.t(item), "bullet", bulletText="\u2022") for item in block.items]
        if kind == "story":
            return [kit.p(self.t(block.title), "h3", keepWithNext=1), kit.p(self.t(block.text), "story")]
        if kind == "qa":
            return [kit.p(self.t(block.question), "h3", keepWithNext=1), kit.p(self.t(block.answer), "answer")]
        return []

    # ------------------------------------------------------------------ services

    def services(self) -> list[Flowable]:
        kit, view = self.kit, self.view
        new_page = bool(kit.style.layout("category_new_page"))
        out: list[Flowable] = []
        if not has_own_services(view):
            out += [PageBreak(), *self.empty_district()]
        for n, section in enumerate(view.sections):
            # A kind of help listed only as "see also" gets no page of its own.
            out += self._page_or_gap(n == 0 or (new_page and bool(section.services)))
            out += self.category(section, f"cat:{section.category}", big=True)
        if view.all_district_sections:
            out.append(PageBreak() if has_own_services(view) else Gap(kit.style.space("section")))
            title = kit.p(self.t(label("all_districts")), "h1", anchor=self._anchor("alldist"))
            for n, section in enumerate(view.all_district_sections):
                if n:
                    out += self._page_or_gap(new_page and bool(section.services))
                out += self.category(section, f"alldist:{section.category}", big=False, lead=[title] if n == 0 else [])
        return out

    def empty_district(self) -> list[Flowable]:
        """A district with no services of its own: a heading, then where help can still be found."""
        kit = self.kit
        empty = empty_district(self.view)
        out: list[Flowable] = [kit.p(self.t(empty.heading), "h1", keepWithNext=1, anchor=self._anchor("empty"))]
        out += [kit.p(self.t(sentence), "body") for sentence in empty.sentences]
        return out

    def _page_or_gap(self, new_page: bool) -> list[Flowable]:
        return [PageBreak()] if new_page else [Gap(self.kit.style.space("section"))]

    def category(self, section: CategorySection, key: str, *, big: bool,
                 lead: Sequence[Flowable] = ()) -> list[Flowable]:
        """A kind of help: its heading (after ``lead``), explanation and rule, kept with the first entry."""
        kit = self.kit
        term = CATEGORIES.term(section.category)
        size = kit.style.icon("category") * (1 if big else 0.8)
        style = "h1" if big else "h2"
        heading = kit.p(self.t(gettext_(term.label)), style, anchor=self._anchor(key))
        if not big:
            heading.style = ParagraphStyle(heading.style.name + "+flat", parent=heading.style, spaceBefore=0)
        explanation = kit.p(self.t(gettext_(term.explanation)), "explanation")
        top: list[Flowable] = [
            *lead,
            Gutter(kit.icon(category_icon_name(section.category), size), heading, size + 8,
                   max(size, heading.style.leading)),
            explanation,
            HRFlowable(width="100%", thickness=1.5, color=kit.style.colour("accent"), spaceBefore=2, spaceAfter=2),
        ]
        out: list[Flowable] = []
        if not section.services:  # only "see also" rows: the heading keeps with the first of them
            for flowable in top:
                flowable.keepWithNext = 1
            out += top
        for n, service in enumerate(section.services):
            out.append(self.service(service, first=n == 0, heading=top if n == 0 else (),
                                    optional=(explanation,)))
        for n, service in enumerate(section.also):
            row = self.see_also(service)
            if n == 0 and section.services:
                row.extra_space_before = kit.style.space("service")
            out.append(row)
        return out

    def see_also(self, service: ServiceView) -> Gutter:
        kit = self.kit
        primary = CATEGORIES.label(service.primary_category)
        markup = f"<b>{self.t(service.name)}</b> ({self.t(service.organization)})<br/>" \
                 f"{self.t(label('see_also', category=primary))}"
        size = kit.style.font("body")
        ref = PageRef(f"svc:{service.id}", size, kit.style.colour("text"),
                      stringWidth("000", kit.fonts.regular, size) + 2)
        row = RefRow(kit.p(markup, "body"), ref)
        return Gutter(kit.icon(category_icon_name(service.primary_category)), row, kit.style.space("gutter"),
                      kit.styles["body"].leading)

    def service(self, s: ServiceView, *, first: bool, heading: Sequence[Flowable] = (),
                optional: Sequence[Flowable] = ()) -> Flowable:
        """One entry as a block that never splits when it fits on a page (``heading``: kept with it;
        ``optional``: parts of the heading left out when only that keeps the entry whole on one page)."""
        kit = self.kit
        items: list[Flowable] = list(heading)
        if not first:
            items.append(SeparatorRule(0.6, kit.style.colour("rule"), kit.style.space("service") / 2))
        items.append(kit.p(self.t(s.name), "service_name", anchor=Anchor(f"svc:{s.id}")))
        org_type = ORG_TYPES.label(s.organization_type) if s.organization_type in ORG_TYPES.codes else ""
        items.append(kit.p(join([self.t(s.organization), self.t(org_type)], " \u00b7 "), "muted"))
        head = len(items)
        min_tail = 3 * kit.styles["body"].leading
        units = list(self._service_fields(s))
        # "Checked on" closes the entry: never leave it alone at the top of a page.
        checked = kit.p(self.t(label("checked_on", date=format_date(s.last_verified, self.lang))), "small")
        units[-1:] = [[*units[-1], checked]] if units else [[checked]]
        for unit in units:
            if len(unit) == 1:
                items.append(unit[0])
            else:  # lines that belong together: a website and its QR code, the last line and "Checked on"
                items.append(ServiceBlock(unit, head=0, min_tail=min_tail, keep_fraction=0.5))
        return ServiceBlock(items, head=head, min_tail=min_tail, min_scale=SERVICE_MIN_SCALE, optional=optional,
                            optional_min_scale=HEADED_SERVICE_MIN_SCALE)

    def _service_fields(self, s: ServiceView) -> Iterator[list[Flowable]]:
        """The lines of an entry (``present.service_lines``), each as flowables that must stay on one page."""
        for line in service_lines(s):
            unit = self._line(s, line)
            if unit:
                yield unit

    def _line(self, s: ServiceView, line: Line) -> list[Flowable]:
        kit = self.kit
        if line.kind == "notice":
            return [kit.field(line.icon, self.t(line.label), "notice")]
        if line.kind == "badge":
            return [kit.field(line.icon, self.t(line.label), "bold")]
        if line.confidential:
            return [kit.field(line.icon, f"<b>{self.t(label('confidential_address'))}</b>")]
        value = self._value(s, line)
        if not value:
            return []
        row = kit.labelled(line.icon, line.label, value)
        qr = kit.qr(line.link) if line.kind == "link" and line.link else None
        return [row] if qr is None else [row, Gutter(None, qr, kit.style.space("gutter"), 0)]

    def _value(self, s: ServiceView, line: Line) -> str:
        """A line's value as paragraph markup (workbook text escaped)."""
        if line.kind == "email" and line.link:
            return f'<a href="mailto:{_attr(line.link)}">{escape_markup(line.link)}</a>'
        if line.kind == "link" and line.link:
            if s.confidential and is_map_link(line.link):  # the view holds none: belt and braces
                return ""
            return f'<a href="{_attr(line.link)}">{escape_markup(line.link)}</a>'
        abroad = label("international_form")
        small = self.kit.style.font("small")
        phones = [phone_markup(p, abroad_label=abroad, small=small) for p in line.phones]
        if line.kind == "person":
            return join([self.t(" ".join(line.plain_parts)), *phones])
        if phones:
            return "<br/>".join(phones)
        parts = [f"<b>{self.t(p.text)}</b>" if p.stress == "always" else self.t(p.text) for p in line.parts]
        return join(parts, _JOINERS[line.joiner])


_JOINERS = {"list": "; ", "detail": " \u2014 ", "paragraphs": "<br/>"}


def _attr(value: str) -> str:
    return escape_attr(value)


#: The least part of the row an emergency number's name keeps when a long number takes the rest.
NAME_MIN_SHARE = 0.3


class NumberRow(Flowable):
    """An emergency number: its name at the left, the number large at the right, on one row.

    A number is never broken across lines (a victim could dial the wrong one): when it is wider than
    the right-hand column it gets a line of its own under the name, and when it is wider than the
    whole column even so, it is set smaller until it fits. The only line break is between name and number.
    If the row is taller than a whole page (a pathological name), it falls back to two stacked,
    splittable paragraphs instead of raising ReportLab's "too large" LayoutError.
    """

    def __init__(self, name: DBParagraph, number: Unbroken, split_at: float, rule: Any) -> None:
        super().__init__()
        self.name = name
        self.number = number
        self.split_at = split_at
        self.rule = rule
        self._stacked = False

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._left = availWidth * self.split_at - 6
        self._right = availWidth - self._left - 6
        need = float(self.number.minWidth())  # the widest part that must not break: the number
        if need > self._right:  # the name gives up width while its words still fit, else the row stacks
            left = availWidth - need - 6
            if left >= max(float(self.name.minWidth()), availWidth * NAME_MIN_SHARE):
                self._left, self._right = left, need
        self._stacked = need > self._right
        if self._stacked:
            self._left = self._right = availWidth
        _w, self._hn = self.name.wrap(self._left, availHeight)
        _w, self._hv = self.number.wrap(self._right, availHeight)
        body = self._hn + self._hv + 2 if self._stacked else max(self._hn, self._hv)
        self.width, self.height = availWidth, body + 7
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        if frame is not None and self.height <= frame._height and not getattr(frame, "_atTop", False):
            return []
        return [NullActionFlowable(), self.name, self.number]

    def draw(self) -> None:
        canv = self.canv
        top = self.height - 3
        self.name.drawOn(canv, 0, top - self._hn)
        number_top = top - self._hn - 2 if self._stacked else top
        self.number.drawOn(canv, self.width - self._right, number_top - self._hv)
        if self.rule is not None:
            canv.setStrokeColor(self.rule)
            canv.setLineWidth(0.5)
            canv.line(0, 0.5, self.width, 0.5)


# ---------------------------------------------------------------------- document


def _fit(text_: str, font: str, size: float, width: float, min_size: float, keep: str = "") -> tuple[str, float]:
    """Shrink, then shorten with an ellipsis, so a footer string never runs into the page number.

    ``keep`` (a phone number) follows the text and is never shortened: below ``min_size`` it is set
    smaller still rather than cut. Computed once per booklet (not per page) and by bisection: a
    workbook value may be 5000 characters.
    """
    text_ = text_[:400]
    while size > min_size and stringWidth(text_ + keep, font, size) > width:
        size -= 0.5
    if stringWidth(text_ + keep, font, size) <= width:
        return text_ + keep, size
    if keep and stringWidth("\u2026" + keep, font, size) > width:
        return keep, min(size, width / max(stringWidth(keep, font, 1), 1e-6))
    low, high = 0, len(text_)
    while low < high:
        mid = (low + high + 1) // 2
        if stringWidth(text_[:mid] + "\u2026" + keep, font, size) <= width:
            low = mid
        else:
            high = mid - 1
    return text_[:low] + "\u2026" + keep, size


def _footer(kit: Kit, view: DistrictView) -> Callable[[Any, Any], None]:
    """The running footer drawn on every page except the cover: hotline, district, "Page n of N"."""
    style = kit.style
    paper = kit.paper
    regular, bold = kit.fonts.regular, kit.fonts.bold
    size = style.font("footer")
    hot_size = style.font("footer_hotline")
    hotline = _best_hotline(view)
    hot_text = hot_number = ""
    if hotline is not None:
        hot_text = clean_text(hotline.name).replace("\n", " ")
        hot_number = ": " + clean_text(hotline.phone.local or hotline.phone.international).replace("\n", " ")
    place = clean_text(join([view.district, view.province])).replace("\n", " ")
    left, right = paper.left, paper.width - paper.right
    page_width = stringWidth(label("page_n_of_m", page=888, pages=888), regular, size) + 6
    icon = kit.icon("phone", hot_size) if hot_number else None
    text_color, rule = style.colour("text"), style.colour("rule")
    hot_x = left + (hot_size + 4 if icon is not None else 0)
    hot_shown, hot_fs = _fit(hot_text, bold, hot_size, right - hot_x - page_width, 7, hot_number) if hot_number \
        else ("", 0)
    place_shown, place_fs = _fit(place, regular, size, right - left - page_width, 7)

    def draw(canv: Any, _doc: Any) -> None:
        y_rule = paper.bottom - 7
        y1 = y_rule - hot_size - 3
        y2 = y1 - size - 4
        canv.saveState()
        canv.setStrokeColor(rule)
        canv.setLineWidth(0.6)
        canv.line(left, y_rule, right, y_rule)
        canv.setFillColor(text_color)
        if icon is not None:
            icon.drawOn(canv, left, y1 - 1.5)
        if hot_shown:
            canv.setFont(bold, hot_fs)
            canv.drawString(hot_x, y1, hot_shown, shaping=needs_shaping(hot_shown))
        canv.setFont(regular, place_fs)
        canv.drawString(left, y2, place_shown, shaping=needs_shaping(place_shown))
        if isinstance(canv, BookletCanvas):
            canv.draw_form_scaled(canv.page_of_form(canv.getPageNumber()), right, y2, size)
        canv.restoreState()

    return draw


def _doc(buf: io.BytesIO, kit: Kit, view: DistrictView, neutral: bool = False) -> BaseDocTemplate:
    paper = kit.paper
    title = clean_text(f"{view.title} \u2014 {view.district}").replace("\n", " ")
    # A PDF viewer shows these properties in its title bar and file list: with --neutral-title, none of
    # them may name trafficking (the title was made neutral by render_booklet).
    scrub = neutral_property if neutral else str
    doc = BaseDocTemplate(
        buf,
        pagesize=paper.size,
        leftMargin=paper.left,
        rightMargin=paper.right,
        topMargin=paper.top,
        bottomMargin=paper.bottom,
        title=title,
        author=scrub(clean_text(view.publisher).replace("\n", " ")),
        subject=scrub(clean_text(join([view.edition_name, view.district, view.province], ", ")).replace("\n", " ")),
        creator="directory-builder",
        lang=view.lang,
        invariant=1,
        pageCompression=1,
        displayDocTitle=1,
        initialFontName=kit.fonts.regular,
        keepTogetherClass=LightKeepTogether,
    )
    def frame(name: str) -> Frame:
        return Frame(paper.left, paper.bottom, paper.frame_width, paper.frame_height, id=name,
                     leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    doc.addPageTemplates([
        PageTemplate("cover", [frame("cover")]),
        # Drawn when the page ends, so the footer follows the page's text in reading (and copy) order.
        PageTemplate("body", [frame("body")], onPageEnd=_footer(kit, view)),
    ])
    return doc


def render_booklet(view: DistrictView, options: RenderOptions) -> bytes:
    """The booklet PDF for one district and language (pure: same input, same bytes)."""
    kit = get_kit(options.paper, options.template_dirs)
    if options.neutral_title:
        view = neutral_view(view)
    with use_language(view.lang):
        front = load_front_matter(view.lang, options.template_dirs)
        builder = BookletBuilder(view, kit, front)
        builder.neutral = options.neutral_title
        story = builder.story()
        buf = io.BytesIO()
        doc = _doc(buf, kit, view, options.neutral_title)
        english = FIELD_LABELS["page_n_of_m"]
        page_template = _(english)

        def page_label(page: int, pages: int) -> str:
            try:
                return page_template.format(page=page, pages=pages)
            except (KeyError, IndexError, ValueError):
                return english.format(page=page, pages=pages)

        with binary_streams():
            doc.build(story, canvasmaker=partial(BookletCanvas, font=kit.fonts.regular, page_label=page_label,
                                                 published=view.published))
    return buf.getvalue()


__all__ = ["BookletBuilder", "binary_streams", "label", "render_booklet"]
