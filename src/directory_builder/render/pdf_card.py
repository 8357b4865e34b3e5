"""The pocket card: an A7 card (size set in style.yaml), printed on both sides, exactly two pages.

Side 1: a neutral title (a card may be found on someone at risk), the district, and the emergency numbers, large.
Side 2: the five most essential services, chosen deterministically (see :func:`card_services`), each
with its best number. Each side is shrunk to fit its page, so any workbook gives exactly two pages.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, KeepInFrame, PageBreak, PageTemplate, Spacer
from reportlab.platypus.flowables import HRFlowable

from directory_builder.i18n import _, format_date, use_language
from directory_builder.publish.labels import column_label
from directory_builder.publish.neutral import neutral_property
from directory_builder.publish.view import DistrictView, PhoneView, ServiceView
from directory_builder.render.empty import empty_district, has_own_services
from directory_builder.render.icons import category_icon_name
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf_flowables import BookletCanvas, Gutter, Unbroken
from directory_builder.render.pdf_kit import Kit, binary_streams, get_kit, join, label, text
from directory_builder.util.text import clean_text, escape_markup, nobreak
from directory_builder.vocab import CATEGORIES

#: Which kinds of help matter most to someone in danger: the card shows these first.
CARD_PRIORITY: tuple[str, ...] = (
    "hotline", "shelter", "medical", "police", "legal",
    *(c for c in CATEGORIES.codes if c not in ("hotline", "shelter", "medical", "police", "legal")),
)
CARD_SERVICES = 5
CARD_NUMBERS = 6  # emergency numbers on side 1; the booklet lists them all


@dataclass(frozen=True)
class CardEntry:
    service: ServiceView
    category: str  # the category the service is shown for (its most essential one)
    phone: PhoneView
    kind: str  # "hotline", "phone" or "sms": a column key (its label) and an icon name


def best_number(service: ServiceView) -> tuple[PhoneView, str] | None:
    """A 24-hour hotline first, then an ordinary phone, then WhatsApp/SMS."""
    for phones, kind in ((service.hotlines, "hotline"), (service.phones, "phone"), (service.sms, "sms")):
        if phones:
            return phones[0], kind
    return None


def _rank(service: ServiceView) -> tuple[int, bool, bool, str, str]:
    best = min(CARD_PRIORITY.index(c) for c in service.categories if c in CARD_PRIORITY)
    return (best, service.status != "active", service.all_districts, service.name.casefold(), service.id)


def card_services(view: DistrictView, count: int = CARD_SERVICES) -> list[CardEntry]:
    """The ``count`` most essential services that have a number, deterministically.

    Temporarily closed services are left out (a card is for when help is needed now). Services are
    ranked by their most essential category (hotline, shelter, medical, police, legal, then the rest
    in the usual order), the district's own before "all districts" ones, then by name and ID. The card takes the best service of each category first,
    so it shows different kinds of help, and fills any remaining places in rank order.
    """
    candidates = [s for s in view.services if s.status == "active" and best_number(s) is not None
                  and any(c in CARD_PRIORITY for c in s.categories)]
    ordered = sorted(candidates, key=_rank)
    chosen: list[ServiceView] = []
    seen: set[str] = set()
    for service in ordered:
        category = CARD_PRIORITY[_rank(service)[0]]
        if category not in seen and len(chosen) < count:
            chosen.append(service)
            seen.add(category)
    for service in ordered:
        if len(chosen) >= count:
            break
        if service not in chosen:
            chosen.append(service)
    chosen.sort(key=_rank)
    entries = []
    for service in chosen:
        number = best_number(service)
        assert number is not None
        entries.append(CardEntry(service, CARD_PRIORITY[_rank(service)[0]], number[0], number[1]))
    return entries


def _number(phone: PhoneView) -> str:
    return nobreak(escape_markup(phone.local or phone.international))


def _side_one(view: DistrictView, kit: Kit) -> list[Flowable]:
    lang = view.lang
    out: list[Flowable] = []
    if view.edition == "practitioners":
        out.append(kit.p(text(label("practitioners_edition"), lang), "card_banner"))
    out += [
        kit.p(text(label("card_title"), lang), "card_title"),  # neutral: never the directory's title
        kit.p(text(join([view.district, view.province]), lang), "card_district"),
        HRFlowable(width="100%", thickness=2, color=kit.style.colour("accent"), spaceBefore=3, spaceAfter=2),
    ]
    numbers = view.emergency_numbers[:CARD_NUMBERS]
    if numbers:
        heading = kit.p(text(label("emergency_numbers"), lang), "card_heading")
        out.append(Gutter(kit.icon("emergency", 12, "heading"), heading, 16, heading.style.leading))
        for item in numbers:
            out += [kit.p(text(item.name, lang), "card_name"), kit.p(_number(item.phone), "card_number", kind=Unbroken)]
    return out


def _side_two(view: DistrictView, kit: Kit) -> list[Flowable]:
    lang = view.lang
    heading = kit.p(text(_("Where to get help"), lang), "card_heading")
    out: list[Flowable] = [Gutter(kit.icon("search", 12, "heading"), heading, 16, heading.style.leading)]
    entries = card_services(view)
    if not has_own_services(view):
        out += [kit.p(text(sentence, lang), "card_text") for sentence in empty_district(view).sentences]
    elif not entries:
        out.append(kit.p(text(label("no_services"), lang), "card_text"))
    for entry in entries:
        name = kit.p(text(entry.service.name, lang), "card_name")
        number = kit.p(f'<font size="{kit.style.card("text"):g}">{text(column_label(entry.kind), lang)}:</font> '
                       f"{_number(entry.phone)}", "card_service_number", kind=Unbroken)
        icon = kit.icon(category_icon_name(entry.category), 11)
        out += [Gutter(icon, name, 15, name.style.leading), Gutter(None, number, 15, 0)]
    published = label("edition_published", edition=view.edition_name, date=format_date(view.published, lang))
    out += [Spacer(1, 4), HRFlowable(width="100%", thickness=0.6, color=kit.style.colour("rule"), spaceAfter=1),
            kit.p(text(join([view.district, published], " \u00b7 "), lang), "card_title")]
    return out


def _fit(content: Sequence[Flowable], width: float, height: float) -> KeepInFrame:
    return KeepInFrame(width, height, list(content), mode="shrink", vAlign="TOP")


def render_pocket_card(view: DistrictView, options: RenderOptions) -> bytes:
    """The two-sided pocket card PDF for one district and language (pure: same input, same bytes)."""
    kit = get_kit(options.paper, options.template_dirs)
    style = kit.style
    width, height, margin = style.card("width"), style.card("height"), style.card("margin")
    inner_w, inner_h = width - 2 * margin, height - 2 * margin
    scrub = neutral_property if options.neutral_title else str  # the card's own title is always neutral
    with use_language(view.lang):
        buf = io.BytesIO()
        doc = BaseDocTemplate(
            buf,
            pagesize=(width, height),
            leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin,
            title=clean_text(f"{label('card_title')} \u2014 {view.district}").replace("\n", " "),
            author=scrub(clean_text(view.publisher).replace("\n", " ")),
            subject=clean_text(label("emergency_numbers")),
            creator="directory-builder",
            lang=view.lang,
            invariant=1,
            pageCompression=1,
            initialFontName=kit.fonts.regular,
        )
        frame = Frame(margin, margin, inner_w, inner_h, id="card",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
        doc.addPageTemplates([PageTemplate("card", [frame])])
        story = [_fit(_side_one(view, kit), inner_w, inner_h), PageBreak(),
                 _fit(_side_two(view, kit), inner_w, inner_h)]
        with binary_streams():
            doc.build(story, canvasmaker=partial(BookletCanvas, font=kit.fonts.regular, published=view.published))
    return buf.getvalue()
