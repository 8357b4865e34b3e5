"""The published entries as JSON: the edition's published view, for other programs.

Each published column is one key (``Column.json_name``), in the column table's order, its value from the
view: text columns hold one value per directory language (``{"en": ..., "id": ...}``, already with the
default-language fallback the directories print); codes stay codes; phones carry the international,
local and dialable forms the view worked out. Fields the edition does not publish are absent, not null:
the public export has no focal point key at all. Output is UTF-8, byte-identical for the same input.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from typing import Any

from directory_builder.columns import SERVICES_COLUMNS, Column
from directory_builder.publish.view import (
    ONE_NUMBER_COLUMNS,
    ColumnValue,
    NamedNumber,
    PhoneView,
    PublishedDirectory,
    PublishedEntry,
)

FORMAT = "directory-builder/published-entries"
FORMAT_VERSION = 1

#: Column types whose JSON value is a list (empty rather than null).
_LIST_TYPES = ("multichoice", "phones", "languages", "named_phones")


def _phone(p: PhoneView) -> dict[str, Any]:
    return {"international": p.international, "local": p.local, "dial": p.dial, "short_code": p.short_code}


def _named(numbers: Iterable[NamedNumber]) -> list[dict[str, Any]]:
    return [{"name": n.name, **_phone(n.phone)} for n in numbers]


def _plain(value: ColumnValue | None, column: Column) -> Any:
    """One language's value as JSON: phones as objects, codes as a list, a date in ISO form."""
    if value is None or value == ():
        return [] if column.type in _LIST_TYPES and column.key not in ONE_NUMBER_COLUMNS else None
    if isinstance(value, tuple):
        phones = [_phone(v) for v in value if isinstance(v, PhoneView)]
        if phones:
            return phones[0] if column.key in ONE_NUMBER_COLUMNS else phones
        return list(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _column_value(entry: PublishedEntry, column: Column) -> Any:
    if column.translatable:
        texts = {lang: value for lang, _ in entry.views if (value := entry.value(column.key, lang))}
        return texts or None
    return _plain(entry.value(column.key), column)


def entry_dict(entry: PublishedEntry, edition: str) -> dict[str, Any]:
    """One service: every column the edition publishes, mapped by the column table."""
    record: dict[str, Any] = {}
    for column in SERVICES_COLUMNS:
        if not column.published_in(edition):
            continue
        record[column.json_name] = _column_value(entry, column)
        if column.key == "district":
            record["all_districts"] = entry.view.all_districts
    return record


def _directory_dict(published: PublishedDirectory) -> dict[str, Any]:
    return {
        "title": dict(published.titles),
        "country": published.country,
        "languages": list(published.languages),
        "edition": published.edition_name,
        "published": published.published.isoformat(),
        "publisher": published.publisher,
        "corrections_contact": published.corrections_contact,
        "national_hotlines": _named(published.national_hotlines),
    }


def json_document(published: PublishedDirectory) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "edition": published.edition,
        "directory": _directory_dict(published),
        "districts": [
            {"name": d.name, "province": d.province, "code": d.code, "slug": d.slug,
             "emergency_numbers": _named(d.emergency)}
            for d in published.districts
        ],
        "services": [entry_dict(e, published.edition) for e in published.entries],
    }


def json_bytes(published: PublishedDirectory) -> bytes:
    """The JSON export of one edition, as the bytes of its file."""
    text = json.dumps(json_document(published), ensure_ascii=False, indent=2)
    return (text + "\n").encode("utf-8")
