"""What a district with no services of its own says, the same in the booklet, the web page and the card.

A victim who opens such a page must not meet a bare "no services" line: the page says plainly that
nothing is listed for this district yet, and where help can still be found (the emergency numbers, the
services for all districts), naming only what this edition really holds.
"""

from __future__ import annotations

from dataclasses import dataclass

from directory_builder.i18n import N_, gettext_
from directory_builder.publish.view import DistrictView

HEADING = N_("Services in {district}")
NOTHING_HERE = N_("No services are listed for {district} yet.")
CALL_A_NUMBER = N_("In an emergency, call one of the emergency numbers in this directory.")
USE_EVERYWHERE = N_("The services for all districts below can help you wherever you are.")


@dataclass(frozen=True)
class EmptyDistrict:
    """The heading and the plain sentences shown instead of a district's own services (translated)."""

    heading: str
    sentences: tuple[str, ...]


def has_own_services(view: DistrictView) -> bool:
    return bool(view.sections)


def empty_district(view: DistrictView) -> EmptyDistrict:
    """The explanation for ``view``'s district, in the active language (call inside use_language)."""
    sentences = [_fill(NOTHING_HERE, view.district)]
    if view.emergency_numbers:
        sentences.append(gettext_(CALL_A_NUMBER))
    if view.all_district_sections:
        sentences.append(gettext_(USE_EVERYWHERE))
    return EmptyDistrict(_fill(HEADING, view.district), tuple(sentences))


def _fill(message: str, district: str) -> str:
    """A translated sentence with the district filled in; a broken translation falls back to English."""
    try:
        return gettext_(message).format(district=district)
    except (KeyError, IndexError, ValueError):
        return message.format(district=district)


__all__ = ["EmptyDistrict", "empty_district", "has_own_services"]
