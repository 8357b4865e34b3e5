"""One HXL-tagged CSV: row 1 the template's labels, row 2 its HXL tags, then one row per published service.

Only the columns the edition publishes appear (``Column.visibility``: "public" everywhere, "practitioners"
only in the practitioner edition, "never" nowhere), and their values come from the edition's view, so a
confidential address or coordinate is empty. Translatable columns appear once per directory language,
tagged ``+i_<lang>`` exactly like the template. Codes (categories, cost, status) stay codes and yes/no
stays yes/no, so the file reads back into the template's Services sheet and into HXL tools.
"""

from __future__ import annotations

import datetime as dt

from directory_builder.columns import ALL_DISTRICTS, SERVICES_COLUMNS, Column, HeaderCell, table_headers
from directory_builder.export.csvsafe import csv_bytes
from directory_builder.i18n import gettext_
from directory_builder.publish.view import Edition, PhoneView, PublishedDirectory, PublishedEntry


def cell(entry: PublishedEntry, column: Column, lang: str | None) -> object:
    """One column's cell for one entry (in ``lang`` for a translatable column), mapped by its type: codes
    and numbers joined with '; ' as the template reads them, phones in their international form."""
    value = entry.value(column.key, lang)
    if column.key == "district" and value is None:
        return gettext_(ALL_DISTRICTS)
    if isinstance(value, tuple):
        return "; ".join(v.international if isinstance(v, PhoneView) else str(v) for v in value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def published_columns(edition: Edition) -> tuple[Column, ...]:
    """The Services columns whose values the edition may show, in the template's order."""
    return tuple(c for c in SERVICES_COLUMNS if c.published_in(edition))


def hxl_headers(published: PublishedDirectory, lang: str | None = None) -> list[HeaderCell]:
    """Labels in ``lang`` (default: the active language), tags as in the template."""
    from directory_builder.i18n import current_language

    return table_headers(published_columns(published.edition), list(published.languages),
                         lang or current_language())


def hxl_csv(published: PublishedDirectory) -> bytes:
    """The HXL export of one edition, as the bytes of its CSV file."""
    headers = hxl_headers(published)
    rows = ([cell(entry, h.column, h.lang) for h in headers] for entry in published.entries)
    return csv_bytes([h.label for h in headers], rows, bom=True, extra_headers=[[h.hxl for h in headers]])
