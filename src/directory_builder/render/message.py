"""The message to share: one district's emergency numbers and most important services as plain text.

Most victims receive help as a message in a chat app, not as a PDF. The message must fit in one screen of a
chat and in a few SMS segments, so it is short (``MESSAGE_LIMIT`` characters, counted as characters, not
bytes) and says the most important first: the emergency numbers, then the services in the pocket card's
order of need (hotline, shelter, medical, police, legal, then the rest; ``pdf_card.card_services``). When the
services do not all fit, the least important are dropped and the last line says how many more the web
page and the booklet list.

Nothing here can leak: it is drawn from the published view (no internal column, no confidential address;
it prints no address at all), and workbook text is reduced to one clean line (no control characters, no
line breaks that could fake a line of the message). Its title is the neutral one when the directory's own
names trafficking, because the message stays on a phone that someone else may read.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from directory_builder.i18n import _, use_language
from directory_builder.publish.labels import label
from directory_builder.publish.neutral import safe_title
from directory_builder.publish.view import DistrictView, NamedNumber, PhoneView
from directory_builder.util.text import clean_text

if TYPE_CHECKING:
    from directory_builder.render.pdf_card import CardEntry
from directory_builder.vocab import CATEGORIES

#: Characters (code points) a message may have: one screen of a chat app, at most seven SMS segments.
MESSAGE_LIMIT = 1000
#: A name longer than this is cut with an ellipsis: one long name must not push a service out.
NAME_LIMIT = 60


def district_message(view: DistrictView) -> str:
    """The message of one district in its view's language: at most ``MESSAGE_LIMIT`` characters."""
    with use_language(view.lang):
        head = [_one_line(f"{safe_title(view.title, view.lang)} - {view.district}", 2 * NAME_LIMIT)]  # '-': GSM-7
        numbers = [_number_line(n) for n in view.emergency_numbers]
        services = list(dict.fromkeys(_service_line(e.category, e.service.name, e.phone) for e in _services(view)))
        return _fit(head, numbers, services)


def _services(view: DistrictView) -> Sequence[CardEntry]:
    from directory_builder.render.pdf_card import card_services  # the card's order of need

    return card_services(view, count=len(view.services))


def _fit(head: list[str], numbers: list[str], services: list[str]) -> str:
    """Drop services from the end (then emergency numbers) until the message fits, saying how many went."""
    for shown in range(len(services), -1, -1):
        text = _compose(head, numbers, services[:shown], len(services) - shown)
        if len(text) <= MESSAGE_LIMIT:
            return text
    kept = list(numbers)  # only the emergency numbers are left, and they are too many: keep those that fit
    while kept and len(_compose(head, kept, [], 0)) > MESSAGE_LIMIT:
        kept.pop()
    return _compose(head, kept, [], 0)[:MESSAGE_LIMIT]


def _compose(head: list[str], numbers: list[str], services: list[str], left: int) -> str:
    blocks = ["\n".join(head)]
    if numbers:
        blocks.append("\n".join([label("emergency_numbers") + ":", *numbers]))
    if services:
        blocks.append("\n".join([_("Where to get help:"), *services]))
    if left:
        blocks.append(_("More services in the full directory: {count}.").format(count=left))
    return "\n\n".join(blocks) + "\n"


def _number_line(number: NamedNumber) -> str:
    return f"{_one_line(number.name)}: {dial_form(number.phone)}"


def _service_line(category: str, name: str, phone: PhoneView) -> str:
    return f"- {CATEGORIES.label(category)}: {_one_line(name)}: {dial_form(phone)}"


def dial_form(phone: PhoneView) -> str:
    """The form printed in a message: international (it works from a foreign SIM card too; chat apps and
    phones make it a link), the short code as it is."""
    return phone.local if phone.short_code else phone.international


def _one_line(text: str, limit: int = NAME_LIMIT) -> str:
    """Workbook text as one clean line, cut at ``limit`` characters."""
    line = " ".join(clean_text(text).split())
    return line if len(line) <= limit else line[: limit - 3].rstrip() + "..."


# ------------------------------------------------------------------------------------------- SMS segments

#: The GSM 03.38 basic character set (one septet each) and its extension table (two septets each).
_GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = frozenset("^{}\\[~]|€\f")


@dataclass(frozen=True)
class SmsSize:
    """How a text travels as SMS: its encoding and the number of segments it is split into."""

    encoding: str  # "GSM-7" (160 per message, 153 per segment) or "UCS-2" (70, 67 per segment)
    segments: int


def sms_size(text: str) -> SmsSize:
    """The segments ``text`` makes: GSM-7 when every character is in the GSM alphabet, else UCS-2 (Thai,
    Vietnamese and the dash and ellipsis this module writes all need UCS-2)."""
    if all(c in _GSM_BASIC or c in _GSM_EXTENDED for c in text):
        units = sum(2 if c in _GSM_EXTENDED else 1 for c in text)
        return SmsSize("GSM-7", 1 if units <= 160 else -(-units // 153))
    units = sum(2 if ord(c) > 0xFFFF else 1 for c in text)  # UTF-16 code units
    return SmsSize("UCS-2", 1 if units <= 70 else -(-units // 67))
