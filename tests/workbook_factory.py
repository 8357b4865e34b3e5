"""Build small test workbooks with openpyxl, shaped like the template (row 1 labels, row 2 HXL tags).

Usage::

    from workbook_factory import make_workbook, service

    make_workbook(tmp_path / "w.xlsx",
                  services=[service(id="S1", service_name={"en": "Safe house", "id": "Rumah aman"})],
                  districts=["Jakarta Pusat", ("Kabupaten Cianjur", "Jawa Barat")],
                  settings={"Languages": "en, id"})

Services are dicts keyed by the column keys of ``columns.SERVICES_COLUMNS``. A translatable value is
either a string (the default language) or a ``{lang: text}`` dict. Columns appear in the table's order,
only when some service uses them (or when named in ``columns``); ``omit`` drops columns, e.g. the ID.
Values are written as given: a ``date`` becomes an Excel date, a string stays a string.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from directory_builder.columns import DISTRICTS_COLUMNS, SERVICES_COLUMNS

DEFAULT_SETTINGS: dict[str, Any] = {
    "Title": "Directory of Services",
    "Country": "ID",
    "Languages": "en",
    "Edition": "First edition",
    "Published": dt.date(2026, 3, 1),
    "Publisher": "Test Task Force",
    "Review after (months)": 12,
}

DEFAULT_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("Jakarta Pusat", "DKI Jakarta"),
    ("Kabupaten Cianjur", "Jawa Barat"),
)

_counter = 0


def service(**values: Any) -> dict[str, Any]:
    """A valid service row (public, active, Jakarta Pusat); keyword arguments override any column."""
    global _counter
    _counter += 1
    base: dict[str, Any] = {
        "organization": "Yayasan Harapan",
        "organization_type": "ngo",
        "service_name": f"Service {_counter}",
        "categories": "shelter",
        "district": "Jakarta Pusat",
        "description": "We help people who were trafficked.",
        "cost": "free",
        "phone": "021 3190 0110",
        "confidential": "no",
        "address": "Jl. Merdeka 1, Jakarta Pusat 10110",
        "status": "active",
        "publish": "public",
        "last_verified": dt.date(2026, 1, 15),
    }
    base.update(values)
    if base["confidential"] == "yes" and "address" not in values:
        # A place of its own: a confidential place that shares another row's address is an error.
        base["address"] = f"Jl. Rahasia {_counter}, Jakarta Pusat"
    return base


def _languages(settings: Mapping[str, Any]) -> list[str]:
    return [code.strip() for code in str(settings["Languages"]).replace(";", ",").split(",") if code.strip()]


def _district_rows(districts: Iterable[str | Sequence[Any] | Mapping[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for d in districts:
        if isinstance(d, str):
            rows.append({"district": d, "province": "DKI Jakarta"})
        elif isinstance(d, Mapping):
            rows.append(dict(d))
        else:
            rows.append(dict(zip(("district", "province", "district_code", "emergency"), d, strict=False)))
    return rows


def make_workbook(
    path: Path,
    services: Sequence[Mapping[str, Any]] = (),
    districts: Iterable[str | Sequence[Any] | Mapping[str, Any]] = DEFAULT_DISTRICTS,
    settings: Mapping[str, Any] | None = None,
    *,
    columns: Iterable[str] = (),
    omit: Iterable[str] = (),
    hxl_row: bool = True,
) -> Path:
    """Write a workbook with Directory, Districts and Services sheets and return its path."""
    merged = {**DEFAULT_SETTINGS, **(settings or {})}
    langs = _languages(merged)
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Directory"
    ws.append(["Setting", "Value"])
    ws.append(["#meta+setting", "#meta+value"])
    for name, value in merged.items():
        if value is None:
            continue
        if isinstance(value, Mapping):  # a translatable setting: one row per language
            for lang, text in value.items():
                ws.append([f"{name} ({lang})", text])
        else:
            ws.append([name, value])

    _table(wb.create_sheet("Districts"), DISTRICTS_COLUMNS, _district_rows(districts), langs, set(), set(), True)
    wanted = set(columns)
    for row in services:
        wanted.update(row)
    _table(wb.create_sheet("Services"), SERVICES_COLUMNS, list(services), langs, wanted, set(omit), hxl_row)
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path


def _table(ws: Any, table: Sequence[Any], rows: Sequence[Mapping[str, Any]], langs: list[str],
           wanted: set[str], omit: set[str], hxl_row: bool) -> None:
    headers: list[tuple[str, str | None, str, str]] = []  # key, lang, label, hxl
    keys = wanted or {k for row in rows for k in row}
    for col in table:
        if col.key not in keys or col.key in omit:
            continue
        if col.translatable:
            for lang in langs:
                headers.append((col.key, lang, f"{col.label} ({lang})", col.hxl_for(lang)))
        else:
            headers.append((col.key, None, col.label + (" *" if col.required else ""), col.hxl))
    ws.append([h[2] for h in headers])
    if hxl_row:
        ws.append([h[3] for h in headers])
    for row in rows:
        out: list[Any] = []
        for key, cell_lang, _label, _hxl in headers:
            value = row.get(key)
            if isinstance(value, Mapping):
                value = value.get(cell_lang)
            elif cell_lang is not None and cell_lang != langs[0]:
                value = None  # a plain string is the default language's text
            out.append(value)
        ws.append(out)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text ('=...): a string, not a formula


# ------------------------------------------------------------------------------------------- privacy

#: Distinctive values planted in ``make_secrets_workbook``; tests search every output's bytes for them.
SECRETS = {
    "notes": "SECRET-NOTE-7f3a",  # Notes (internal): never in any output
    "verifier": "VERIFIER-9b2c",  # Verified by (internal): never in any output
    "focal_point": "FOCAL-PERSON-4d1e",  # practitioner edition only
    "focal_phone_digits": "81299994321",  # Focal point phone 0812 9999 4321: practitioner edition only
    "confidential_address": "RAHASIA-ADDR-5e6f",  # a confidential address: never in any output
    "confidential_lat": "98765",  # digits of the confidential latitude -6.98765
    "confidential_lon": "54321",  # digits of the confidential longitude 107.54321
    "practitioners_service": "PRACTITIONER-ONLY-SVC",  # Publish = practitioners
    "unpublished_service": "UNPUBLISHED-SVC",  # Publish = no: never
    "closed_service": "CLOSED-SVC",  # Status = closed: never
}


def make_secrets_workbook(path: Path) -> Path:
    """A valid two-language workbook with every kind of value an edition must not show."""
    s = SECRETS
    return make_workbook(path, settings={"Languages": "en, id"}, services=[
        service(id="PUB-1", service_name={"en": "Open shelter", "id": "Rumah aman"}, categories="shelter; legal",
                hours="Mon-Fri 08:00-16:00", languages_spoken="id; en", focal_point=s["focal_point"],
                focal_point_phone="0812 9999 4321", verified_by=s["verifier"], notes=s["notes"],
                email="help@example.org", website="www.example.org"),
        service(id="CONF-1", service_name="Hidden house", categories="shelter", district="Kabupaten Cianjur",
                confidential="yes", address=f"Jl. {s['confidential_address']} No. 7, Cianjur 43211",
                latitude=-6.98765, longitude=107.54321, notes=s["notes"], open_24h="yes"),
        service(id="PRAC-1", service_name=s["practitioners_service"], publish="practitioners",
                district="All districts", categories="case_management", hotline="129"),
        service(id="NO-1", service_name=s["unpublished_service"], publish="no"),
        service(id="CLOSED-1", service_name=s["closed_service"], status="closed"),
    ])
