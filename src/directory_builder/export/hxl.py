"""One HXL-tagged CSV: row 1 the template's labels, row 2 its HXL tags, then one row per published service.

Only the columns the edition publishes appear (``Column.visibility``: "public" everywhere, "practitioners"
only in the practitioner edition, "never" nowhere), and their values come from the edition's view, so a
confidential address or coordinate is empty. Translatable columns appear once per directory language,
tagged ``+i_<lang>`` exactly like the template. Codes (categories, cost, status) stay codes and yes/no
stays yes/no, so the file reads back into the template's Services sheet and into HXL tools.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from directory_builder.columns import ALL_DISTRICTS, SERVICES_COLUMNS, Column
from directory_builder.export.csvsafe import csv_bytes
from directory_builder.i18n import gettext_
from directory_builder.model import Directory
from directory_builder.publish.selection import PublishedEntry
from directory_builder.publish.view import Edition, PhoneView, ServiceView
from directory_builder.workbook.template import HeaderCell, table_headers

Getter = Callable[[PublishedEntry, ServiceView], object]


def _phones(numbers: Iterable[PhoneView]) -> str:
    return "; ".join(p.international for p in numbers)


def _codes(values: Sequence[str]) -> str:
    return "; ".join(values)


#: Column key -> its value for one entry in one language's view. Every publishable column has one
#: (a test checks it), so a column added to columns.py cannot silently disappear from the export.
GETTERS: dict[str, Getter] = {
    "id": lambda e, v: v.id,
    "organization": lambda e, v: v.organization,
    "organization_type": lambda e, v: v.organization_type,
    "service_name": lambda e, v: v.name,
    "categories": lambda e, v: _codes(v.categories),
    "trafficking_specific": lambda e, v: v.trafficking_specific,
    "district": lambda e, v: e.district if e.district is not None else gettext_(ALL_DISTRICTS),
    "description": lambda e, v: v.description,
    "beneficiaries": lambda e, v: _codes(v.beneficiaries),
    "min_age": lambda e, v: v.min_age,
    "max_age": lambda e, v: v.max_age,
    "how_to_get_help": lambda e, v: v.how_to_get_help,
    "referral_needed": lambda e, v: v.referral_needed,
    "documents": lambda e, v: v.documents,
    "cost": lambda e, v: v.cost,
    "cost_details": lambda e, v: v.cost_details,
    "phone": lambda e, v: _phones(v.phones),
    "hotline": lambda e, v: _phones(v.hotlines),
    "sms": lambda e, v: _phones(v.sms),
    "email": lambda e, v: v.email,
    "website": lambda e, v: v.website,
    "hours": lambda e, v: v.hours,
    "open_24h": lambda e, v: v.open_24h,
    "languages_spoken": lambda e, v: _codes(e.language_codes),
    "accessibility": lambda e, v: v.accessibility,
    "address": lambda e, v: v.address,
    "confidential": lambda e, v: v.confidential,
    "latitude": lambda e, v: v.latitude,
    "longitude": lambda e, v: v.longitude,
    "status": lambda e, v: v.status,
    "publish": lambda e, v: e.publish,
    "focal_point": lambda e, v: v.focal_point,
    "focal_point_phone": lambda e, v: v.focal_point_phone.international if v.focal_point_phone else None,
    "last_verified": lambda e, v: v.last_verified.isoformat(),
}


def published_columns(edition: Edition) -> tuple[Column, ...]:
    """The Services columns whose values the edition may show, in the template's order."""
    return tuple(c for c in SERVICES_COLUMNS if c.published_in(edition))


def hxl_headers(directory: Directory, edition: Edition, lang: str | None = None) -> list[HeaderCell]:
    """Labels in ``lang`` (default: the active language), tags as in the template."""
    from directory_builder.i18n import current_language

    return table_headers(published_columns(edition), directory.settings.languages, lang or current_language())


def hxl_csv(directory: Directory, entries: Iterable[PublishedEntry], edition: Edition) -> bytes:
    headers = hxl_headers(directory, edition)
    rows = (
        [GETTERS[h.column.key](entry, entry.in_language(h.lang) if h.lang else entry.view) for h in headers]
        for entry in entries
    )
    return csv_bytes([h.label for h in headers], rows, bom=True, extra_headers=[[h.hxl for h in headers]])
