"""Open Referral HSDS 3.0 as a tabular data package: a folder of CSV files and ``datapackage.json``.

Every table of the official package is written (empty ones with their header only), with the official
table schemas copied verbatim into our ``datapackage.json`` (``hsds-3.0-datapackage.json`` beside this
file is the Open Referral descriptor, CC BY-SA 4.0), so ``frictionless validate`` checks the export
against the standard itself. The input is ``selection.published_directory``: the edition's rules (which
rows, which fields, no confidential address) were applied before this module sees anything.

Mapping, per published service (one workbook row is a service at one place):
  organization      one per organization name
  service           name, description, status, fees, eligibility, ages, application process,
                    assured_date (= Last verified), alert for a temporarily closed service
  location, service_at_location, address
                    one physical location when the service has an address, coordinates or a
                    confidential place; a confidential location has no address row and no coordinates,
                    only the "call first" sentence. HSDS requires city, province and postal code in an
                    address: when the postal code cannot be read from the text (or the service is for
                    all districts), the address text goes into the location's description instead.
  phone             phone / hotline (voice) and WhatsApp-SMS (text) numbers; the focal point's phone
                    (practitioner edition) on its contact
  contact           practitioner edition only: the focal point
  schedule          simple opening hours parsed to weekly rules; other text kept as the description
  language, service_area (the district, or every district), required_document, accessibility,
  cost_option, taxonomy + taxonomy_term (the category list) + attribute (service -> category)

IDs are UUIDs derived (uuid5, fixed namespace) from the service IDs, so a re-export keeps them.
Free text is in the directory's default language (HSDS has one language per dataset).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from directory_builder.columns import SERVICES_COLUMNS
from directory_builder.export.csvsafe import csv_bytes
from directory_builder.export.hours import DAY_CODES, is_24_hours, parse_hours
from directory_builder.i18n import N_, _, gettext_, language_name
from directory_builder.publish.labels import FIELD_LABELS, column_label
from directory_builder.publish.view import PhoneView, PublishedDirectory, PublishedEntry, ServiceView
from directory_builder.util.errors import InputError
from directory_builder.util.oserrors import writing
from directory_builder.vocab import BENEFICIARIES, CATEGORIES, COST, ORG_TYPES

#: Never change: every exported id is derived from it, and consumers match records across exports by id.
NAMESPACE = uuid.UUID("0d5c1f4e-7b1a-5c8e-9f36-2a41d7e0b9c3")
DESCRIPTOR = "hsds-3.0-datapackage.json"
PACKAGE_FILE = "datapackage.json"

TAXONOMY_NAME = N_("Directory of Services categories")
TAXONOMY_DESCRIPTION = N_("The categories of services for trafficking victims used by directory-builder.")
TAXONOMY_KEY = "directory-builder-categories"
ELIGIBILITY = N_("For: {who}.")

Row = dict[str, Any]
Tables = dict[str, list[Row]]


def stable_id(kind: str, *parts: str) -> str:
    """The same (kind, parts) always gives the same UUID, in every export and on every machine."""
    return str(uuid.uuid5(NAMESPACE, "\x1f".join((kind, *parts))))


@cache
def official_descriptor() -> dict[str, Any]:
    """The Open Referral HSDS 3.0 tabular data package descriptor shipped with the tool."""
    text = (resources.files("directory_builder") / "export" / DESCRIPTOR).read_text(encoding="utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def table_fields() -> dict[str, list[str]]:
    """Resource name -> its CSV header (the official field order)."""
    return {r["name"]: [f["name"] for f in r["schema"]["fields"]] for r in official_descriptor()["resources"]}


# ------------------------------------------------------------------------------------------- mapping


def _number(phone: PhoneView) -> dict[str, Any]:
    """HSDS keeps an extension in its own field: 'number' is what a phone dials, nothing more."""
    suffix = f" ext. {phone.extension}" if phone.extension else ""
    number = phone.international.removesuffix(suffix) if suffix else phone.international
    return {"number": number, "extension": int(phone.extension) if phone.extension else None}


class _Builder:
    def __init__(self, published: PublishedDirectory) -> None:
        self.published = published
        self.edition = published.edition
        self.lang = published.default_language
        self.tables: Tables = {name: [] for name in table_fields()}
        self.organizations: dict[str, str] = {}  # folded name -> uuid
        self.term_ids: dict[str, str] = {}

    def label(self, msgid: str) -> str:
        return gettext_(msgid, self.lang)

    def add(self, table: str, **row: Any) -> None:
        self.tables[table].append(row)

    # -- fixed tables

    def taxonomy(self) -> None:
        taxonomy_id = stable_id("taxonomy", TAXONOMY_KEY)
        self.add("taxonomy", id=taxonomy_id, name=self.label(TAXONOMY_NAME),
                 description=self.label(TAXONOMY_DESCRIPTION), version="1")
        for term in CATEGORIES.terms:
            term_id = stable_id("taxonomy_term", TAXONOMY_KEY, term.code)
            self.term_ids[term.code] = term_id
            self.add("taxonomy_term", id=term_id, code=term.code, name=self.label(term.label),
                     description=self.label(term.explanation) or self.label(term.label),
                     taxonomy=self.label(TAXONOMY_NAME), language=self.lang, taxonomy_id=taxonomy_id)

    # -- per service

    def organization(self, view: ServiceView) -> str:
        key = " ".join(view.organization.split()).casefold()
        if key not in self.organizations:
            org_id = stable_id("organization", key)
            self.organizations[key] = org_id
            self.add("organization", id=org_id, name=view.organization,
                     description=self.label(ORG_TYPES.term(view.organization_type).label))
        return self.organizations[key]

    def service(self, entry: PublishedEntry) -> None:
        view = entry.in_language(self.lang)
        service_id = stable_id("service", view.id)
        org_id = self.organization(view)
        self.add(
            "service",
            id=service_id,
            organization_id=org_id,
            **self._mapped(view),
            status="temporarily closed" if view.status == "temporarily_closed" else "active",
            application_process=self._application(view),
            eligibility_description=self._eligibility(view),
            alert=self.label(FIELD_LABELS["temporarily_closed"]) if view.status == "temporarily_closed" else None,
        )
        for code in view.categories:
            self.add("attribute", id=stable_id("attribute", view.id, code), link_id=service_id,
                     taxonomy_term_id=self.term_ids[code], link_entity="service")
        self.add("cost_option", id=stable_id("cost_option", view.id), service_id=service_id,
                 option=self.label(COST.term(view.cost).label), amount=0 if view.cost == "free" else None,
                 amount_description=view.cost_details)
        location_id = self.location(view, org_id, service_id, entry.district)
        self.phones(view, service_id)
        self.contact(view, service_id)
        self.schedules(view, service_id)
        for code in entry.language_codes:
            self.add("language", id=stable_id("language", view.id, code), service_id=service_id,
                     name=language_name(code, self.lang), code=code if _is_code(code) else None)
        for district in self._areas(entry):
            self.add("service_area", id=stable_id("service_area", view.id, district), service_id=service_id,
                     name=district)
        if view.documents:
            self.add("required_document", id=stable_id("required_document", view.id), service_id=service_id,
                     document=view.documents)
        if view.accessibility and location_id:
            self.add("accessibility", id=stable_id("accessibility", view.id), location_id=location_id,
                     description=view.accessibility)

    def _mapped(self, view: ServiceView) -> dict[str, Any]:
        """The service fields that hold a column's value as it is (``Column.hsds``), from the view."""
        fields: dict[str, Any] = {}
        for column in SERVICES_COLUMNS:
            if column.hsds and column.published_in(self.edition):
                value = view.value(column.key)
                fields[column.hsds] = value.isoformat() if isinstance(value, dt.date) else value
        return fields

    def _application(self, view: ServiceView) -> str | None:
        parts = [view.how_to_get_help or ""]
        if view.referral_needed is not None:
            key = "referral_needed" if view.referral_needed else "no_referral_needed"
            parts.append(self.label(FIELD_LABELS[key]) + ".")
        text = " ".join(p.strip() for p in parts if p.strip())
        return text or None

    def _eligibility(self, view: ServiceView) -> str | None:
        if not view.beneficiaries:
            return None
        who = ", ".join(self.label(BENEFICIARIES.term(code).label) for code in view.beneficiaries)
        return self.label(ELIGIBILITY).format(who=who)

    def _areas(self, entry: PublishedEntry) -> list[str]:
        if entry.district is not None:
            return [entry.district]
        return [d.name for d in self.published.districts]

    def location(self, view: ServiceView, org_id: str, service_id: str, district: str | None) -> str | None:
        has_place = view.address or view.latitude is not None or view.confidential
        if not has_place:
            return None
        location_id = stable_id("location", view.id)
        description: str | None = None
        address_row: Row | None = None
        if view.confidential:
            description = self.label(FIELD_LABELS["confidential_address"])
        elif view.address:
            address_row = self._address(view.address, location_id, district)
            if address_row is None:
                description = view.address
        self.add("location", id=location_id, location_type="physical", organization_id=org_id,
                 name=view.organization, description=description,
                 latitude=None if view.confidential else view.latitude,
                 longitude=None if view.confidential else view.longitude)
        self.add("service_at_location", id=stable_id("service_at_location", view.id), service_id=service_id,
                 location_id=location_id)
        if address_row is not None:
            self.tables["address"].append(address_row)
        return location_id

    def _address(self, text: str, location_id: str, district: str | None) -> Row | None:
        """An HSDS address needs city, province and postal code; None when they cannot be known."""
        place = self.published.district(district) if district else None
        postal = _postal_code(text, self.published.country)
        if place is None or postal is None:
            return None
        return {"id": stable_id("address", location_id), "location_id": location_id, "address_1": text,
                "city": place.name, "state_province": place.province, "postal_code": postal,
                "country": self.published.country, "address_type": "physical"}

    def phones(self, view: ServiceView, service_id: str) -> None:
        groups: list[tuple[str, tuple[PhoneView, ...], str, str | None]] = [
            ("phone", view.phones, "voice", None),
            ("hotline", view.hotlines, "voice", column_label("hotline", self.lang)),
            ("sms", view.sms, "text", column_label("sms", self.lang)),
        ]
        for kind, numbers, phone_type, description in groups:
            for i, phone in enumerate(numbers):
                self.add("phone", id=stable_id("phone", view.id, kind, str(i)), service_id=service_id,
                         **_number(phone), type=phone_type, description=description)

    def contact(self, view: ServiceView, service_id: str) -> None:
        if self.edition != "practitioners" or not (view.focal_point or view.focal_point_phone):
            return  # the focal point is never published in the public edition (and is None there anyway)
        contact_id = stable_id("contact", view.id)
        self.add("contact", id=contact_id, service_id=service_id, name=view.focal_point,
                 title=column_label("focal_point", self.lang))
        if view.focal_point_phone is not None:
            self.add("phone", id=stable_id("phone", view.id, "focal_point", "0"), contact_id=contact_id,
                     **_number(view.focal_point_phone), type="voice")

    def schedules(self, view: ServiceView, service_id: str) -> None:
        parsed = parse_hours(view.hours) if view.hours else None
        if view.open_24h or (view.hours and not parsed and is_24_hours(view.hours)):
            # One every-day rule; the staff's own words (e.g. "Setiap hari 24 jam") as its description.
            text = view.hours if view.hours and not parsed else column_label("open_24h", self.lang)
            self.add("schedule", id=stable_id("schedule", view.id, "24h"), service_id=service_id, freq="WEEKLY",
                     wkst="MO", byday=",".join(DAY_CODES), opens_at="00:00:00", closes_at="23:59:00",
                     description=text)
            if not parsed:
                return
        if not view.hours:
            return
        if not parsed:
            self.add("schedule", id=stable_id("schedule", view.id, "text"), service_id=service_id,
                     description=view.hours)
            return
        for i, block in enumerate(parsed):
            self.add("schedule", id=stable_id("schedule", view.id, str(i)), service_id=service_id,
                     freq="WEEKLY", wkst="MO", byday=block.byday, opens_at=block.opens, closes_at=block.closes,
                     description=view.hours)


def _is_code(text: str) -> bool:
    return 2 <= len(text) <= 3 and text.isascii() and text.isalpha()


_POSTAL_DIGITS = {"VN": 6, "IN": 6, "CN": 6, "SG": 6, "PH": 4, "AU": 4}


def _postal_code(text: str, country: str) -> str | None:
    """The last group of 5 digits (6 or 4 where the country uses that) in an address, else None."""
    digits = _POSTAL_DIGITS.get(country, 5)
    found = re.findall(rf"(?<!\d)\d{{{digits}}}(?!\d)", text)
    return found[-1] if found else None


def hsds_tables(published: PublishedDirectory) -> Tables:
    """Every HSDS table as rows (dicts by field name), in a deterministic order."""
    builder = _Builder(published)
    builder.taxonomy()
    for entry in published.entries:
        builder.service(entry)
    return builder.tables


# ------------------------------------------------------------------------------------------- writing


def package_files(tables: Tables) -> dict[str, bytes]:
    """File name -> bytes: one CSV per official resource, and the descriptor."""
    descriptor = official_descriptor()
    headers = table_fields()
    files: dict[str, bytes] = {}
    for resource in descriptor["resources"]:
        header = headers[resource["name"]]
        rows = ([row.get(name) for name in header] for row in tables.get(resource["name"], []))
        files[resource["path"]] = csv_bytes(header, rows)
    files[PACKAGE_FILE] = (json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    return files


def known_files() -> frozenset[str]:
    return frozenset({PACKAGE_FILE, *(r["path"] for r in official_descriptor()["resources"])})


def hsds_files(published: PublishedDirectory) -> dict[str, bytes]:
    """The HSDS export of one edition: file name -> bytes."""
    return package_files(hsds_tables(published))


def check_folder(out: Path) -> None:
    """The HSDS export is a folder of its own files: never a file, never a folder of other files."""
    with writing(out):
        if out.exists() and not out.is_dir():
            raise InputError(_("'{path}' is a file. The HSDS export is a folder: give a folder name, for example "
                               "hsds/.").format(path=out))
        if out.is_dir():
            foreign = sorted(p.name for p in out.iterdir() if p.name not in known_files())
            if foreign:
                raise InputError(_("The folder '{path}' holds other files ({files}). Choose a new or empty folder "
                                   "for the HSDS export.").format(path=out, files=", ".join(foreign[:3])))
