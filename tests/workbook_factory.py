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
        if name == "Title" and isinstance(value, Mapping):
            for lang, text in value.items():
                ws.append([f"Title ({lang})", text])
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
        for key, lang, _label, _hxl in headers:
            value = row.get(key)
            if isinstance(value, Mapping):
                value = value.get(lang)
            elif lang is not None and lang != langs[0]:
                value = None  # a plain string is the default language's text
            out.append(value)
        ws.append(out)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # typed as text ('=...): a string, not a formula
