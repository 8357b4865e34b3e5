"""The column table drives the model, the presentation lines and the exports."""

from __future__ import annotations

import ast
import dataclasses
import datetime as dt
import json
from pathlib import Path

import pytest
from pydantic import ValidationError

from directory_builder import model
from directory_builder.columns import SERVICES_COLUMNS, Column, column_by_key
from directory_builder.export.hsds import table_fields
from directory_builder.export.jsonexport import json_bytes
from directory_builder.i18n import use_language
from directory_builder.publish.present import service_lines
from directory_builder.publish.view import PublishedDirectory, PublishedEntry
from factories import phone, service

SRC = Path(__file__).resolve().parents[1] / "src" / "directory_builder"

BUS = Column("bus_route", "#service+bus_route", "Bus routes", "longtext", "Which buses stop near the door.")


def valid_service(**extra: object) -> dict[str, object]:
    return {"id": "S1", "organization": "Org", "organization_type": "ngo", "service_name": {"values": {"en": "A"}},
            "categories": ["shelter"], "district": "Jakarta Pusat", "description": {"values": {"en": "We help."}},
            "cost": "free", "confidential": False, "status": "active", "publish": "public",
            "last_verified": dt.date(2026, 1, 1), **extra}


def test_service_refuses_a_field_that_is_no_column() -> None:
    model.Service(**valid_service())  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="bus_route"):
        model.Service(**valid_service(bus_route="x"))  # type: ignore[arg-type]


def test_service_has_exactly_the_columns_of_the_table() -> None:
    assert model.table_mismatches(model.Service) == []
    assert set(model.Service.model_fields) == {c.key for c in SERVICES_COLUMNS} | set(model.ROW_FIELDS)


def test_a_column_added_to_the_table_becomes_a_field() -> None:
    extended = model._service_model((*SERVICES_COLUMNS, BUS))
    assert extended.model_fields["bus_route"].annotation == str | None
    assert extended(**valid_service(bus_route="Bus 12")).bus_route == "Bus 12"  # type: ignore[attr-defined]


def test_a_declared_field_that_disagrees_with_the_table_stops_the_import() -> None:
    retyped = tuple(dataclasses.replace(c, type="int") if c.key == "cost" else c for c in SERVICES_COLUMNS)
    with pytest.raises(TypeError, match="cost"):
        model._service_model(retyped)


def test_model_does_not_import_the_checker() -> None:
    """model <- check/parse, never the other way round (the cycle that made both half-importable)."""
    tree = ast.parse((SRC / "model.py").read_text(encoding="utf-8"))
    imported = [node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module]
    assert not [m for m in imported if m.startswith("directory_builder.check")], imported


def test_lines_follow_the_table_for_a_new_column() -> None:
    s = service("S-1", "Shelter", ["shelter"], more=(("bus_route", "Bus 12 stops here"),), accessibility="Ramp",
                phones=(phone("(021) 1", "+62 21 1", "+62211"),))
    with use_language("en"):
        lines = service_lines(s, (*SERVICES_COLUMNS, BUS))
    keys = [line.key for line in lines]
    assert keys.index("accessibility") < keys.index("bus_route") < keys.index("phone")  # "about", order 100
    bus = lines[keys.index("bus_route")]
    assert (bus.label, bus.kind, bus.plain_parts) == ("Bus routes", "paragraph", ("Bus 12 stops here",))
    with use_language("en"):
        assert "bus_route" not in [line.key for line in service_lines(s)]  # a column the table lacks: no line


def test_lines_take_their_labels_and_icons_from_the_table() -> None:
    s = service("S-1", "Shelter", ["shelter"], phones=(phone("(021) 1", "+62 21 1", "+62211"),), hours="Mon-Fri",
                open_24h=True)
    with use_language("en"):
        lines = {line.key: line for line in service_lines(s)}
    for key in ("phone", "hours", "description"):
        column = column_by_key(SERVICES_COLUMNS, key)
        assert lines[key].icon == column.icon and lines[key].label == (column.shown_as or column.label)
    assert lines["hours"].plain_parts == ("Open 24 hours", "Mon-Fri")


def _published(edition: str = "public", **fields: object) -> PublishedDirectory:
    view = service("S-1", "Shelter", ["shelter"], **fields)
    entry = PublishedEntry(district="Jakarta Pusat", publish="public", language_codes=("id",), views=(("en", view),))
    return PublishedDirectory(edition=edition, titles=(("en", "T"),), country="ID", languages=("en",),  # type: ignore[arg-type]
                              edition_name="First", published=dt.date(2026, 1, 1), publisher="P",
                              corrections_contact=None, national_hotlines=(), districts=(), entries=(entry,))


def test_the_json_export_uses_the_views_phone_forms() -> None:
    """jsonexport prints what the view worked out; it never formats a number itself."""
    odd = phone("LOCAL-FORM", "INTL-FORM", "+62211")
    record = json.loads(json_bytes(_published(phones=(odd,))))["services"][0]
    assert record["phones"] == [{"international": "INTL-FORM", "local": "LOCAL-FORM", "dial": "+62211",
                                 "short_code": False}]


@pytest.mark.parametrize("edition", ["public", "practitioners"])
def test_the_json_record_has_one_key_per_published_column(edition: str) -> None:
    record = json.loads(json_bytes(_published(edition)))["services"][0]
    expected = [c.json_name for c in SERVICES_COLUMNS if c.published_in(edition)]
    assert [k for k in record if k != "all_districts"] == expected
    assert ("focal_point" in record) == (edition == "practitioners")


def test_every_hsds_mapping_names_a_field_of_the_service_table() -> None:
    service_fields = set(table_fields()["service"])
    mapped = [c for c in SERVICES_COLUMNS if c.hsds]
    assert mapped and all(c.hsds in service_fields for c in mapped), [c.hsds for c in mapped]
