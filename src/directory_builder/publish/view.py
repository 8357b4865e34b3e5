"""What a renderer or exporter may see: one district, one language, one edition, nothing more.

These records are built only by ``selection.py``. They hold no internal column and no confidential
address: a field that must not be published in an edition is simply absent (None), so no renderer
can leak it. Text is already resolved to the view's language (with fallback to the default language).
Codes (categories, cost, organization type...) stay codes; renderers translate them via ``vocab``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Literal

Edition = Literal["public", "practitioners"]


@dataclass(frozen=True)
class PhoneView:
    """One phone number, ready to print and to dial."""

    international: str  # "+62 21 3190 0110"; for short codes the code itself ("129")
    local: str  # "(021) 31900110"; for short codes the code itself
    dial: str  # what goes in tel:/sms: links: E.164 "+622131900110", or the short code "129"
    short_code: bool = False
    extension: str | None = None  # "12" of "ext. 12": printed after the number, never dialled in a link


@dataclass(frozen=True)
class NamedNumber:
    """A hotline or emergency line: "Police: 110"."""

    name: str
    phone: PhoneView


#: A published column value: text already in the view's language, codes, numbers, a date or phones.
ColumnValue = str | bool | int | float | dt.date | tuple[str, ...] | tuple[PhoneView, ...]

#: Column keys whose ServiceView field has another name.
VIEW_FIELD_OF_COLUMN: dict[str, str] = {"service_name": "name", "phone": "phones", "hotline": "hotlines"}
#: Phone columns of which a view holds one number only (the focal point's first).
ONE_NUMBER_COLUMNS = ("focal_point_phone",)


@dataclass(frozen=True)
class ServiceView:
    id: str
    name: str
    organization: str
    organization_type: str  # vocab.ORG_TYPES code
    categories: tuple[str, ...]  # vocab.CATEGORIES codes, first is the primary
    description: str
    cost: str  # vocab.COST code
    status: str  # "active" or "temporarily_closed"
    last_verified: dt.date
    all_districts: bool = False
    trafficking_specific: bool | None = None
    beneficiaries: tuple[str, ...] = ()  # vocab.BENEFICIARIES codes
    min_age: int | None = None
    max_age: int | None = None
    how_to_get_help: str | None = None
    referral_needed: bool | None = None
    documents: str | None = None
    cost_details: str | None = None
    phones: tuple[PhoneView, ...] = ()
    hotlines: tuple[PhoneView, ...] = ()  # answered 24 hours
    sms: tuple[PhoneView, ...] = ()  # WhatsApp / SMS
    email: str | None = None
    website: str | None = None  # http(s) URL, already checked
    hours: str | None = None
    open_24h: bool | None = None
    languages_spoken: tuple[str, ...] = ()  # display names in the view's language
    accessibility: str | None = None
    confidential: bool = False  # True: show the call-first sentence, never an address
    address: str | None = None  # always None when confidential
    latitude: float | None = None  # always None when confidential
    longitude: float | None = None
    # Practitioner edition only; always None in the public edition.
    focal_point: str | None = None
    focal_point_phone: PhoneView | None = None
    # The values of columns that have no field above (a column added to the table alone), as
    # (column key, value) in table order; only those the edition publishes, empty ones left out.
    more: tuple[tuple[str, ColumnValue], ...] = ()

    def value(self, key: str) -> ColumnValue | None:
        """The published value of the column ``key`` (None when empty, or not published in this view)."""
        name = VIEW_FIELD_OF_COLUMN.get(key, key)
        if name in _FIELD_NAMES:
            found = getattr(self, name)
            return (found,) if isinstance(found, PhoneView) else found
        return dict(self.more).get(key)

    @property
    def primary_category(self) -> str:
        return self.categories[0]

    @property
    def anchor(self) -> str:
        """A stable, safe HTML id for links to this entry."""
        return "s-" + "".join(c if c.isascii() and (c.isalnum() or c in "-_") else "-" for c in self.id)


_FIELD_NAMES = frozenset(f for f in ServiceView.__dataclass_fields__ if f != "more")


@dataclass(frozen=True)
class CategorySection:
    """One category: the services whose first category it is, and those that also offer it."""

    category: str
    services: tuple[ServiceView, ...]
    also: tuple[ServiceView, ...] = ()  # listed in full under their primary category; cross-referenced here


@dataclass(frozen=True)
class DistrictView:
    lang: str
    default_lang: str
    edition: Edition
    title: str
    country: str  # ISO 3166 alpha-2
    edition_name: str
    published: dt.date
    publisher: str
    district: str
    province: str
    district_slug: str
    district_code: str | None = None
    corrections_contact: str | None = None
    national_hotlines: tuple[NamedNumber, ...] = ()
    local_emergency: tuple[NamedNumber, ...] = ()
    sections: tuple[CategorySection, ...] = ()  # services of this district, canonical category order
    all_district_sections: tuple[CategorySection, ...] = ()  # services for "All districts"
    languages: tuple[str, ...] = field(default=())  # every language of the directory, for links
    quick_exit_url: str = "https://www.google.com/search?q=weather"  # publish.quick_exit: in the page's language
    contact_name: str | None = None  # the workbook's neutral contact name in this language (None: "Help line")
    contact_full_names: bool = False  # the contacts file may name each number (the workbook opted in)

    @property
    def services(self) -> tuple[ServiceView, ...]:
        """Every service in this view once, district ones first."""
        return tuple(s for sec in (*self.sections, *self.all_district_sections) for s in sec.services)

    @property
    def emergency_numbers(self) -> tuple[NamedNumber, ...]:
        return (*self.national_hotlines, *self.local_emergency)


@dataclass(frozen=True)
class IndexLink:
    """How index.html links one output's file (each output declares its own: ``outputs/``)."""

    label: str  # a msgid, translated into the index's language when shown
    icon: str
    mime: str | None = None
    primary: bool = False  # the full-colour button; the others are drawn as alternatives
    position: int = 50  # where the link stands among the others (smaller first)


@dataclass(frozen=True)
class IndexEntry:
    """One (district, language) line of index.html: (href relative to the index, how it is linked) for
    each output file that is there, in the order shown."""

    district: str
    province: str
    lang: str
    links: tuple[tuple[str, IndexLink], ...]
    services: int


@dataclass(frozen=True)
class PublishedEntry:
    """One published service for the exports (HSDS, HXL, JSON), which are per service, not per district.

    ``views`` holds the edition's view in every language of the directory (privacy already applied by
    ``selection.service_view``); the other fields are the per-service facts a district view carries
    implicitly.
    """

    district: str | None  # the district's name; None for a service shown in every district
    publish: str  # the Publish level ("public" or "practitioners"); never "no" here
    language_codes: tuple[str, ...]  # Languages spoken as ISO codes (views hold display names)
    views: tuple[tuple[str, ServiceView], ...]  # (language, view), in the directory's language order

    @property
    def view(self) -> ServiceView:
        """The view in the directory's default language."""
        return self.views[0][1]

    def in_language(self, lang: str) -> ServiceView:
        return dict(self.views).get(lang, self.view)

    def value(self, key: str, lang: str | None = None) -> ColumnValue | None:
        """A column's published value for the exports: the per-entry facts (district, Publish, languages as
        codes), else the view's value in ``lang`` (default: the directory's default language)."""
        if key == "district":
            return self.district
        if key == "publish":
            return self.publish
        if key == "languages_spoken":
            return self.language_codes
        return (self.in_language(lang) if lang else self.view).value(key)


@dataclass(frozen=True)
class DistrictInfo:
    """A district as the exports list it: its numbers as typed (repeats of national ones kept)."""

    name: str
    province: str
    code: str | None
    slug: str
    emergency: tuple[NamedNumber, ...] = ()


@dataclass(frozen=True)
class PublishedDirectory:
    """One edition for the exports (HSDS, HXL, JSON): the settings they print, every district, and every
    published entry once. Built only by ``selection.published_directory``."""

    edition: Edition
    titles: tuple[tuple[str, str], ...]  # (language, title) as given in the workbook
    country: str
    languages: tuple[str, ...]
    edition_name: str
    published: dt.date
    publisher: str
    corrections_contact: str | None
    national_hotlines: tuple[NamedNumber, ...]
    districts: tuple[DistrictInfo, ...]
    entries: tuple[PublishedEntry, ...]

    @property
    def default_language(self) -> str:
        return self.languages[0]

    def district(self, name: str) -> DistrictInfo | None:
        return next((d for d in self.districts if d.name == name), None)
