"""Fixed labels shared by the booklet, the web page and the pocket card, so they always say the same.

The label of a column's value is not here: it is the column's ``output_label`` in ``columns.py``
(``column_label``), so a column added to the table brings its label with it.
"""

from __future__ import annotations

from typing import Any

from directory_builder.columns import SERVICES_COLUMNS, column_by_key
from directory_builder.i18n import N_, gettext_

FIELD_LABELS: dict[str, str] = {
    "ages": N_("Ages"),
    "referral_needed": N_("You need a referral letter"),
    "no_referral_needed": N_("No referral needed"),
    "checked_on": N_("Checked on {date}"),
    "temporarily_closed": N_("Temporarily closed. Call before you go."),
    "confidential_address": N_("Call first; the address is shared only with people who need it"),
    "all_districts": N_("Services for all districts"),
    "emergency_numbers": N_("Emergency numbers"),
    "contents": N_("Contents"),
    "how_to_use": N_("How to use this directory"),
    "see_also": N_("Also offers this service: see {category}"),
    "page_n_of_m": N_("Page {page} of {pages}"),
    "corrections": N_("Is something wrong in this directory? Tell {contact}."),
    "corrections_no_contact": N_("Is something wrong in this directory? Tell {publisher}."),
    "practitioners_edition": N_("Practitioner edition: not for distribution to the public"),
    "ages_range": N_("{min} to {max} years"),
    "ages_min": N_("{min} years and older"),
    "ages_max": N_("Up to {max} years"),
    "no_services": N_("No services of this kind are listed for this district yet."),
    "edition_published": N_("{edition}, published {date}"),
    "published_by": N_("Published by {publisher}"),
    "international_form": N_("From abroad"),
    # The pocket card is carried by people at risk: its title must not say what it is about.
    "card_title": N_("Important phone numbers"),
}


def label(key: str, **values: Any) -> str:
    """A fixed label in the active language, with ``{placeholders}`` filled in.

    A translation with a broken placeholder falls back to the English text rather than failing a build.
    """
    message = FIELD_LABELS[key]
    translated = gettext_(message)
    if not values:
        return translated
    try:
        return translated.format(**values)
    except (KeyError, IndexError, ValueError):
        return message.format(**values)


def column_label(key: str, lang: str | None = None) -> str:
    """The label printed before a Services column's value, in ``lang`` (default: the active language)."""
    return gettext_(column_by_key(SERVICES_COLUMNS, key).output_label, lang)
