"""The contacts file: a vCard 3.0 (.vcf) of a district's emergency numbers and 24-hour hotlines.

A victim can save the numbers into their phone in one tap. A trafficker may look at that phone, so each
contact is named neutrally by default, "Help line 1", "Help line 2"... (the workbook's *Contact name*
setting in the page's language, else the catalog's), with no organization, note or address. Full names
are used only when the workbook opts in (*Full names in contacts*). The numbers come in the message's
order: the emergency numbers, then the 24-hour hotlines in the card's order of need.

Workbook text is untrusted: names are one clean line, escaped as RFC 2426 text (backslash, comma,
semicolon, newline), and lines are folded at 75 octets without splitting a UTF-8 character. A number is
only ever its dial digits. Deterministic: the same view gives the same bytes (no REV, no UID).
"""

from __future__ import annotations

from collections.abc import Iterator

from directory_builder.i18n import N_, gettext_
from directory_builder.publish.neutral import mentions_trafficking
from directory_builder.publish.view import DistrictView, NamedNumber
from directory_builder.render.message import NAME_LIMIT
from directory_builder.util.phoneformat import dial_digits
from directory_builder.util.text import clean_text

#: The neutral contact name when the workbook sets none; a number follows it.
DEFAULT_CONTACT_NAME = N_("Help line")
_FOLD_AT = 75  # octets per line, CRLF not counted (RFC 2425 5.8.1)


def contact_numbers(view: DistrictView) -> list[NamedNumber]:
    """The numbers of the file, each once: the emergency numbers, then 24-hour hotlines in order of need."""
    from directory_builder.render.pdf_card import card_services  # the card's order of need

    numbers = list(view.emergency_numbers)
    for entry in card_services(view, count=len(view.services)):
        for phone in entry.service.hotlines:
            numbers.append(NamedNumber(entry.service.name, phone))
    seen: set[str] = set()
    unique = []
    for number in numbers:
        digits = dial_digits(number.phone.dial)
        if digits and digits not in seen:
            seen.add(digits)
            unique.append(number)
    return unique


def contact_name(view: DistrictView) -> str:
    """The neutral name in the view's language: the workbook's, unless it names trafficking."""
    own = " ".join(clean_text(view.contact_name or "").split())
    if own and not mentions_trafficking(own):
        return own[:NAME_LIMIT]
    return gettext_(DEFAULT_CONTACT_NAME, view.lang)


def render_vcard(view: DistrictView) -> bytes:
    """The .vcf of one district in one language: UTF-8, CRLF line ends, one vCard per number."""
    neutral = contact_name(view)
    lines: list[str] = []
    for i, number in enumerate(contact_numbers(view), start=1):
        name = " ".join(clean_text(number.name).split())[:NAME_LIMIT] if view.contact_full_names else ""
        lines.extend(_card(name or f"{neutral} {i}", dial_digits(number.phone.dial)))
    return "".join(line + "\r\n" for raw in lines for line in _fold(raw)).encode("utf-8")


def _card(name: str, digits: str) -> list[str]:
    text = escape_text(name)
    return ["BEGIN:VCARD", "VERSION:3.0", f"N:{text};;;;", f"FN:{text}", f"TEL;TYPE=VOICE:{digits}", "END:VCARD"]


def escape_text(value: str) -> str:
    """A vCard 3.0 text value: backslash, comma and semicolon escaped, line breaks as ``\\n``."""
    value = value.replace("\\", "\\\\").replace(",", "\\,").replace(";", "\\;")
    return value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")


def _fold(line: str) -> Iterator[str]:
    """The line cut into pieces of at most 75 octets, each after the first starting with a space."""
    piece, size, limit = "", 0, _FOLD_AT
    for char in line:
        width = len(char.encode("utf-8"))
        if size + width > limit:
            yield piece
            piece, size, limit = " ", 1, _FOLD_AT
        piece += char
        size += width
    yield piece
