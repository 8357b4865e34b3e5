"""The published entries as JSON: the edition's view of the validated model, for other programs.

Text fields hold one value per directory language (``{"en": ..., "id": ...}``, already with the
default-language fallback the directories print); codes stay codes; phones carry their international,
local and dialable forms. Fields the edition does not publish are absent, not null: the public export
has no focal point key at all. Output is UTF-8, keys in a fixed order, byte-identical for the same input.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from directory_builder.model import Directory, NamedNumber
from directory_builder.publish.selection import PublishedEntry, phone_view
from directory_builder.publish.view import Edition, PhoneView

FORMAT = "directory-builder/published-entries"
FORMAT_VERSION = 1

#: ServiceView fields that are text in one language, exported as {lang: text}.
TRANSLATED = ("name", "description", "how_to_get_help", "documents", "cost_details", "hours", "accessibility")


def _phone(p: PhoneView) -> dict[str, Any]:
    return {"international": p.international, "local": p.local, "dial": p.dial, "short_code": p.short_code}


def _named(numbers: Iterable[NamedNumber]) -> list[dict[str, Any]]:
    return [{"name": n.name, **_phone(phone_view(n.phone))} for n in numbers]


def _translated(entry: PublishedEntry, field: str) -> dict[str, str] | None:
    values = {lang: getattr(view, field) for lang, view in entry.views if getattr(view, field)}
    return values or None


def entry_dict(entry: PublishedEntry, edition: Edition) -> dict[str, Any]:
    v = entry.view
    record: dict[str, Any] = {
        "id": v.id,
        "organization": v.organization,
        "organization_type": v.organization_type,
        "name": _translated(entry, "name"),
        "categories": list(v.categories),
        "district": entry.district,
        "all_districts": v.all_districts,
        "publish": entry.publish,
        "status": v.status,
        "trafficking_specific": v.trafficking_specific,
        "description": _translated(entry, "description"),
        "beneficiaries": list(v.beneficiaries),
        "min_age": v.min_age,
        "max_age": v.max_age,
        "how_to_get_help": _translated(entry, "how_to_get_help"),
        "referral_needed": v.referral_needed,
        "documents": _translated(entry, "documents"),
        "cost": v.cost,
        "cost_details": _translated(entry, "cost_details"),
        "phones": [_phone(p) for p in v.phones],
        "hotlines": [_phone(p) for p in v.hotlines],
        "sms": [_phone(p) for p in v.sms],
        "email": v.email,
        "website": v.website,
        "hours": _translated(entry, "hours"),
        "open_24h": v.open_24h,
        "languages_spoken": list(entry.language_codes),
        "accessibility": _translated(entry, "accessibility"),
        "confidential": v.confidential,
        "address": v.address,
        "latitude": v.latitude,
        "longitude": v.longitude,
        "last_verified": v.last_verified.isoformat(),
    }
    if edition == "practitioners":
        record["focal_point"] = v.focal_point
        record["focal_point_phone"] = _phone(v.focal_point_phone) if v.focal_point_phone else None
    return record


def _directory_dict(directory: Directory) -> dict[str, Any]:
    s = directory.settings
    return {
        "title": dict(s.title.values),
        "country": s.country,
        "languages": list(s.languages),
        "edition": s.edition_name,
        "published": s.published.isoformat(),
        "publisher": s.publisher_name,
        "corrections_contact": s.corrections_contact,
        "national_hotlines": _named(s.national_hotlines),
    }


def json_document(directory: Directory, entries: Iterable[PublishedEntry], edition: Edition) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "edition": edition,
        "directory": _directory_dict(directory),
        "districts": [
            {"name": d.name, "province": d.province, "code": d.code, "slug": d.slug,
             "emergency_numbers": _named(d.emergency)}
            for d in directory.districts
        ],
        "services": [entry_dict(e, edition) for e in entries],
    }


def json_bytes(directory: Directory, entries: Iterable[PublishedEntry], edition: Edition) -> bytes:
    text = json.dumps(json_document(directory, entries, edition), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
