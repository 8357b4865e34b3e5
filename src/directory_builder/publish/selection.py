"""Edition and publishing rules, in ONE place: the privacy guarantee lives here.

Renderers and exporters receive only what this module returns. A field that an edition must not show is
never copied into the view: internal columns (focal points in the public edition; verifier and notes in
every edition) and confidential addresses and coordinates are dropped here, by construction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from directory_builder.check import confidential as places
from directory_builder.columns import SERVICES_COLUMNS
from directory_builder.i18n import gettext_, language_name
from directory_builder.i18n.emergency import emergency_name
from directory_builder.model import Directory, District, NamedNumber, Phone, Service, Text
from directory_builder.publish.neutral import neutral_title
from directory_builder.publish.quick_exit import quick_exit_url
from directory_builder.publish.view import (
    VIEW_FIELD_OF_COLUMN,
    CategorySection,
    ColumnValue,
    DistrictInfo,
    DistrictView,
    Edition,
    PhoneView,
    PublishedDirectory,
    PublishedEntry,
    ServiceView,
)
from directory_builder.publish.view import NamedNumber as NamedNumberView
from directory_builder.util.names import match_key
from directory_builder.vocab import CATEGORIES

PUBLISHED_STATUSES = ("active", "temporarily_closed")



def publish_levels(edition: Edition) -> tuple[str, ...]:
    """Which Publish values an edition includes."""
    return ("public",) if edition == "public" else ("public", "practitioners")


def is_published(service: Service, edition: Edition) -> bool:
    return service.status in PUBLISHED_STATUSES and service.publish in publish_levels(edition)


def published_services(directory: Directory, edition: Edition, *, exclude_rows: Iterable[int] = ()) -> list[Service]:
    skip = set(exclude_rows)
    return _hide_shared_places(directory.services, [s for s in directory.services if s.row not in skip and
                                                    is_published(s, edition)])


def _hide_shared_places(everyone: Sequence[Service], services: list[Service]) -> list[Service]:
    """Defence in depth: an entry at a confidential place (same address, or within 50 m) loses its address
    and coordinates here, even when validation (which reports it on both rows) was skipped."""
    secrets = [places.Located(s.row, s.address, s.latitude, s.longitude, s.district)
               for s in everyone if s.confidential and (s.address or s.latitude is not None)]
    if not secrets:
        return services
    shown = [places.Located(s.row, s.address, s.latitude, s.longitude, s.district)
             for s in services if not s.confidential and (s.address or s.latitude is not None)]
    hidden = {clash.shown for clash in places.clashes(secrets, shown)}
    if not hidden:
        return services
    return [s.model_copy(update={"address": None, "latitude": None, "longitude": None}) if s.row in hidden
            and not s.confidential else s for s in services]


def is_map_link(text: str) -> bool:
    """A link to a map (Google Maps, OpenStreetMap, geo:...): renderers leave it out for a confidential entry,
    asking the one module that decides privacy rather than the checker."""
    return bool(places.map_links(text))


def phone_view(phone: Phone) -> PhoneView:
    return PhoneView(international=phone.international, local=phone.local, dial=phone.dial,
                     short_code=phone.short_code, extension=phone.extension)


def _named(numbers: Sequence[NamedNumber], lang: str, *, shown: Sequence[NamedNumber] = (),
           hide: Callable[[str], str] = str) -> tuple[NamedNumberView, ...]:
    """The numbers not already in ``shown`` (nor earlier in ``numbers``), each once, named in ``lang``.

    A district's list often repeats a national hotline ("Police: 110"): the cover, card and page show
    each number once, under the national list's name.
    """
    seen = {(n.phone.dial, n.phone.extension) for n in shown}
    out: list[NamedNumberView] = []
    for n in numbers:
        key = (n.phone.dial, n.phone.extension)
        if key not in seen:
            seen.add(key)
            out.append(NamedNumberView(name=hide(number_name(n, lang)), phone=phone_view(n.phone)))
    return tuple(out)


def number_name(number: NamedNumber, lang: str) -> str:
    """A hotline's name in ``lang``: as staff typed it for ``lang``, else a well-known service's name in ``lang``.

    A name nobody translated and the tool does not know is printed as typed (validation warned about it).
    """
    return number.names.get(lang) or emergency_name(number.name, lang)


#: Columns a ServiceView holds elsewhere: per-entry facts (``PublishedEntry``) or a field of its own.
_NOT_IN_MORE = frozenset(("district", "publish", *ServiceView.__dataclass_fields__,
                          *VIEW_FIELD_OF_COLUMN))
_MORE_COLUMNS = tuple(c for c in SERVICES_COLUMNS if c.key not in _NOT_IN_MORE)


def _more_values(service: Service, edition: Edition, text: Callable[[Text], str | None],
                 hide: Callable[[str | None], str | None]) -> tuple[tuple[str, ColumnValue], ...]:
    """The columns with no ServiceView field of their own (a column added to the table alone), each value
    made publishable by the same rules as the named fields: the edition's visibility, the view's language,
    and a confidential place taken out of any text."""
    out: list[tuple[str, ColumnValue]] = []
    for column in _MORE_COLUMNS:
        if not column.published_in(edition):
            continue
        value = _published_value(getattr(service, column.key, None), text, hide)
        if value not in (None, "", ()):
            out.append((column.key, value))
    return tuple(out)


def _published_value(value: object, text: Callable[[Text], str | None],
                     hide: Callable[[str | None], str | None]) -> ColumnValue | None:
    if isinstance(value, Text):
        return text(value)
    if isinstance(value, str):
        return hide(value)
    if isinstance(value, list) and all(isinstance(v, Phone) for v in value):
        return tuple(phone_view(v) for v in value)
    if isinstance(value, list):
        return tuple(hide(str(v)) or "" for v in value)
    if isinstance(value, bool | int | float | dt.date):
        return value
    return None


def service_view(service: Service, lang: str, default_lang: str, edition: Edition) -> ServiceView:
    """The publishable part of one service, in one language. The only constructor of ServiceView."""

    confidential = service.confidential
    # A confidential place typed again in another cell (validation reports it) is taken out here too.
    place = places.Place.of(service.address, service.latitude, service.longitude) if confidential else None

    def hide(value: str | None) -> str | None:
        return places.redact(value, place) if value and place is not None else value

    def text(value: object) -> str | None:
        return hide(value.get(lang, default_lang) if value else None)  # type: ignore[attr-defined]

    website = service.website
    if place is not None and website and places.leaks(website, place):
        website = None  # a map link: never printed, never in a QR code
    practitioners = edition == "practitioners"
    focal_phone = service.focal_point_phone[0] if (practitioners and service.focal_point_phone) else None
    return ServiceView(
        id=service.id,
        name=text(service.service_name) or hide(service.organization) or "",
        organization=hide(service.organization) or "",
        organization_type=service.organization_type,
        categories=tuple(service.categories),
        description=text(service.description) or "",
        cost=service.cost,
        status=service.status,
        last_verified=service.last_verified,
        all_districts=service.all_districts,
        trafficking_specific=service.trafficking_specific,
        beneficiaries=tuple(service.beneficiaries),
        min_age=service.min_age,
        max_age=service.max_age,
        how_to_get_help=text(service.how_to_get_help),
        referral_needed=service.referral_needed,
        documents=text(service.documents),
        cost_details=text(service.cost_details),
        phones=tuple(phone_view(p) for p in service.phone),
        hotlines=tuple(phone_view(p) for p in service.hotline),
        sms=tuple(phone_view(p) for p in service.sms),
        email=hide(service.email),
        website=website,
        hours=text(service.hours),
        open_24h=service.open_24h,
        languages_spoken=tuple(language_name(code, lang) for code in service.languages_spoken),
        accessibility=text(service.accessibility),
        confidential=confidential,
        address=None if confidential else service.address,
        latitude=None if confidential else service.latitude,
        longitude=None if confidential else service.longitude,
        focal_point=hide(service.focal_point) if practitioners else None,
        focal_point_phone=phone_view(focal_phone) if focal_phone else None,
        more=_more_values(service, edition, text, hide),
    )


def _sections(services: Sequence[ServiceView], lang: str) -> tuple[CategorySection, ...]:
    """Group by category in the canonical order; each service in full under its first category only."""
    sections = []
    for code in CATEGORIES.codes:
        primary = tuple(sorted((s for s in services if s.primary_category == code), key=_sort_key))
        also = tuple(sorted((s for s in services if code in s.categories[1:]), key=_sort_key))
        if primary or also:
            sections.append(CategorySection(category=code, services=primary, also=also))
    return tuple(sections)


def _sort_key(s: ServiceView) -> tuple[str, str, str]:
    return (s.name.casefold(), s.organization.casefold(), s.id)


@dataclass(frozen=True)
class Selection:
    """What one build publishes: the views per (district, language), in a deterministic order."""

    views: tuple[DistrictView, ...]


def district_view(directory: Directory, district: District, lang: str, edition: Edition,
                  *, exclude_rows: Iterable[int] = (),
                  published: Sequence[Service] | None = None) -> DistrictView:
    """One district in one language. ``published``: the edition's services, when the caller has them."""
    settings = directory.settings
    default_lang = settings.default_language
    hide = _secrets(directory).redact
    services = published if published is not None else published_services(directory, edition,
                                                                              exclude_rows=exclude_rows)
    own = [service_view(s, lang, default_lang, edition) for s in services if not s.all_districts
           and s.district == district.name]
    everywhere = [service_view(s, lang, default_lang, edition) for s in services if s.all_districts]
    return DistrictView(
        lang=lang,
        default_lang=default_lang,
        edition=edition,
        title=hide(settings.title.get(lang, default_lang) or ""),
        country=settings.country,
        edition_name=hide(settings.edition.get(lang, default_lang) or ""),
        published=settings.published,
        publisher=hide(settings.publisher.get(lang, default_lang) or ""),
        district=district.name,
        province=hide(district.province),
        district_slug=district.slug,
        district_code=district.code,
        corrections_contact=_hidden(settings.corrections_contact, hide),
        national_hotlines=_named(settings.national_hotlines, lang, hide=hide),
        local_emergency=_named(district.emergency, lang, shown=settings.national_hotlines, hide=hide),
        quick_exit_url=quick_exit_url(_hidden(settings.quick_exit.get(lang, default_lang), hide), lang),
        contact_name=_hidden(settings.contact_name.values.get(lang), hide),  # else "Help line" in the page's language
        contact_full_names=settings.contact_full_names,
        sections=_sections(own, lang),
        all_district_sections=_sections(everywhere, lang),
        languages=tuple(settings.languages),
    )


@dataclass(frozen=True)
class Planned:
    """One (district, language) of a build before its view is made: what the view will be made from."""

    district: District
    lang: str
    services: tuple[Service, ...]  # the edition's services shown there: the district's own, then everywhere's

    @property
    def key(self) -> str:
        return f"{self.lang}/{self.district.slug}"


def plan(directory: Directory, *, edition: Edition = "public", languages: Sequence[str] | None = None,
         districts: Sequence[str] | None = None, exclude_rows: Iterable[int] = ()) -> list[Planned]:
    """Every (district, language) of the build, districts in workbook order, then languages.

    Cheap (no view is made): a rebuild uses it to find the few districts whose inputs changed, and
    makes views for those only.
    """
    langs = list(languages or directory.settings.languages)
    wanted = None if not districts else {match_key(d) for d in districts} | set(districts)
    published = published_services(directory, edition, exclude_rows=exclude_rows)
    by_district: dict[str, list[Service]] = {}
    for service in published:
        by_district.setdefault("" if service.all_districts else service.district, []).append(service)
    everywhere = by_district.get("", [])
    hide = _secrets(directory).redact
    return [
        Planned(_shown_district(d, hide), lang, (*by_district.get(d.name, ()), *everywhere))
        for d in directory.districts
        if wanted is None or match_key(d.name) in wanted or d.slug in wanted
        for lang in langs
    ]


def _shown_district(district: District, hide: Callable[[str], str]) -> District:
    """The district as index.html and its pages name it: a confidential place typed into its province taken out
    (its numbers' names are taken out where they are named, ``_named``)."""
    province = hide(district.province)
    return district if province == district.province else district.model_copy(update={"province": province})


def planned_view(directory: Directory, item: Planned, edition: Edition) -> DistrictView:
    return district_view(directory, item.district, item.lang, edition, published=item.services)


def select(directory: Directory, *, edition: Edition = "public", languages: Sequence[str] | None = None,
           districts: Sequence[str] | None = None, exclude_rows: Iterable[int] = ()) -> Selection:
    """Every (district, language) view of the build, districts in workbook order, then languages."""
    items = plan(directory, edition=edition, languages=languages, districts=districts, exclude_rows=exclude_rows)
    return Selection(tuple(planned_view(directory, item, edition) for item in items))


# ------------------------------------------------------------------------------------------- exports


def published_entries(directory: Directory, edition: Edition, *, exclude_rows: Iterable[int] = ()) -> list[PublishedEntry]:
    """Every service the edition publishes, once, in workbook order, with its view in each language."""
    languages = directory.settings.languages
    return [published_entry(s, languages, edition)
            for s in published_services(directory, edition, exclude_rows=exclude_rows)]


def published_entry(service: Service, languages: Sequence[str], edition: Edition) -> PublishedEntry:
    """One service as the edition publishes it, in every language (the first is the default)."""
    return PublishedEntry(
        district=None if service.all_districts else service.district,
        publish=service.publish,
        language_codes=tuple(service.languages_spoken),
        views=tuple((lang, service_view(service, lang, languages[0], edition)) for lang in languages),
    )


def published_by_row(services: Sequence[Service], languages: Sequence[str], edition: Edition) -> dict[int, PublishedEntry]:
    """Services row -> what the edition publishes of it, for a list of services read without a Directory
    (``diff`` of a workbook with errors): the same rules as ``published_entries``, shared places included."""
    shown = _hide_shared_places(services, [s for s in services if is_published(s, edition)])
    return {s.row: published_entry(s, languages, edition) for s in shown}


def published_directory(directory: Directory, edition: Edition, *,
                        exclude_rows: Iterable[int] = ()) -> PublishedDirectory:
    """The whole edition for the exports: settings, every district, and each published entry once."""
    settings = directory.settings
    hide = _secrets(directory).redact
    return PublishedDirectory(
        edition=edition,
        titles=tuple((lang, hide(title)) for lang, title in settings.title.values.items()),
        country=settings.country,
        languages=tuple(settings.languages),
        edition_name=hide(settings.edition_name),
        published=settings.published,
        publisher=hide(settings.publisher_name),
        corrections_contact=_hidden(settings.corrections_contact, hide),
        national_hotlines=_every_number(settings.national_hotlines, hide),
        districts=tuple(DistrictInfo(name=d.name, province=hide(d.province), code=d.code, slug=d.slug,
                                     emergency=_every_number(d.emergency, hide)) for d in directory.districts),
        entries=tuple(published_entries(directory, edition, exclude_rows=exclude_rows)),
    )


def index_texts(directory: Directory, lang: str, *, neutral: bool) -> tuple[str, str | None]:
    """index.html's title and quick-exit page in ``lang``, without a confidential place typed into them."""
    settings = directory.settings
    hide = _secrets(directory).redact
    quick_exit = _hidden(settings.quick_exit.get(lang, lang), hide)
    if neutral:
        return published_neutral_title(directory, lang), quick_exit
    return hide(settings.title.get(lang, lang) or gettext_("Directory of Services", lang)), quick_exit


def published_neutral_title(directory: Directory, lang: str) -> str:
    """The neutral title (``--neutral-title``) in ``lang``, without a confidential place typed into it."""
    return _secrets(directory).redact(neutral_title(directory.settings, lang))


def _every_number(numbers: Sequence[NamedNumber], hide: Callable[[str], str]) -> tuple[NamedNumberView, ...]:
    """Every number of a list as the staff typed it (the exports keep repeats; the pages show each once)."""
    return tuple(NamedNumberView(name=hide(n.name), phone=phone_view(n.phone)) for n in numbers)


def _hidden(text: str | None, hide: Callable[[str], str]) -> str | None:
    return hide(text) if text else text


#: The confidential places of the last directory published, kept with it (a build makes many views of one).
_SECRETS: list[tuple[Directory, places.Secrets]] = []


def _secrets(directory: Directory) -> places.Secrets:
    """Defence in depth: the texts printed on every district's pages (settings, the district's province and
    numbers) lose any confidential place typed into them, even when validation was skipped (validation
    names those cells: ``check/crossrow.places_elsewhere``)."""
    if not _SECRETS or _SECRETS[0][0] is not directory:
        _SECRETS[:] = [(directory, places.Secrets.of(directory.services))]
    return _SECRETS[0][1]
