"""Privacy by construction: planted secrets never reach an output an edition must not show.

A hypothesis strategy writes small workbooks (1-3 districts, 1-6 services) whose every internal column
(focal point, focal point phone, verified by, notes) holds a distinctive random value, ASCII ("SECRET" +
hex) or non-Latin unicode, and whose confidential addresses and coordinates are distinctive too. Services
that an edition does not publish (Publish = no or practitioners, Status = closed) are secrets as a whole.

Then every output is searched: the views selection.py hands to renderers, the HTML pages (raw bytes,
unescaped text, link targets), the PDF booklets and pocket cards (raw bytes, inflated streams, extracted
text, link targets, metadata), the manifest, the exports (HSDS CSVs and datapackage, HXL CSV, JSON), the
validation report, and what the CLI writes to stderr.

What counts as "containing" a secret: a text secret appears, ignoring case; a phone secret's 11 digits
appear in the digits of one phone-like run of the text (whatever the separators); a coordinate's integer
part and first four decimals appear (any rounding to 4 or more decimals). Numbers are not searched in raw
PDF bytes or raw HTML (drawing operators and inline SVG are full of numbers), but they are in the text,
the link targets (tel:, sms:, map links) and the attributes.

Policy for reports and logs (see docs/security.md): the validation report is for the staff who hold the
workbook and may quote an invalid cell so they can find it; valid internal or confidential values are never
quoted there, and ``build`` never writes a confidential address, coordinate, note or verifier to stderr.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import html
import json
import re
import tempfile
import unicodedata
import urllib.parse
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import hostile
from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.check.problems import report_text
from directory_builder.check.validate import validate_workbook
from directory_builder.outputs import build_formats
from directory_builder.publish.selection import select
from directory_builder.publish.view import Edition
from directory_builder.render.card_image import card_pictures
from workbook_factory import make_workbook, service

TODAY = dt.date(2026, 4, 1)
EDITIONS: tuple[Edition, ...] = ("public", "practitioners")
PROPERTY = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# ------------------------------------------------------------------------------------------ secrets


@dataclass(frozen=True)
class Secret:
    kind: str  # "text", "digits" or "coord"
    value: str
    what: str  # for failure messages: "notes of service 2"

    def found_in(self, text: str, digits: str) -> bool:
        if self.kind == "text":
            return self.value.casefold() in text.casefold()
        if self.kind == "digits":
            return self.value in digits
        return self.value in text


@dataclass
class Plan:
    """A workbook's rows and, per edition, what must never appear and what must appear."""

    districts: list[str]
    services: list[dict[str, Any]]
    forbidden: dict[str, list[Secret]] = field(default_factory=lambda: {e: [] for e in EDITIONS})
    never_logged: list[Secret] = field(default_factory=list)  # confidential addresses etc.: never on stderr
    shown: dict[str, list[str]] = field(default_factory=lambda: {e: [] for e in EDITIONS})  # positive controls
    allowed_focal: list[str] = field(default_factory=list)  # focal points the practitioner edition may show


def _coord(integer: int, decimals: str, negative: bool) -> tuple[float, str]:
    """A coordinate like -12.34561: its 5th decimal is 1 so rounding to 4 decimals keeps the searched digits."""
    value = float(f"{'-' if negative else ''}{integer}.{decimals}1")
    return value, f"{integer}.{decimals}"


ASCII_SECRET = st.text(alphabet="0123456789abcdef", min_size=6, max_size=6).map(lambda h: f"SECRET{h}")
UNICODE_SECRET = (
    st.text(alphabet=st.characters(whitelist_categories=("Lu", "Ll", "Lo"), min_codepoint=0x100), min_size=4,
            max_size=10)
    .map(lambda t: unicodedata.normalize("NFC", t))
    .filter(lambda t: len(t) >= 4 and t.isprintable() and not any(ch.isspace() for ch in t))
)
SECRET_BODY = st.one_of(ASCII_SECRET, UNICODE_SECRET)
HEX6 = st.text(alphabet="0123456789abcdef", min_size=6, max_size=6)
DIGITS = st.text(alphabet="0123456789", min_size=7, max_size=7)


def _serial(k: int, body: str) -> str:
    """A secret unique by construction: the serial on both ends keeps one secret from hiding inside another."""
    return f"{k:02d}{body}{k:02d}"


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    n_districts = draw(st.integers(1, 3))
    districts = [f"Kota {name}" for name in ("Alpha", "Beta", "Gamma")[:n_districts]]
    n_services = draw(st.integers(1, 6))
    plan = Plan(districts, [])
    for i in range(n_services):
        focal, verifier, notes, address = (_serial(4 * i + k, draw(SECRET_BODY)) for k in range(4))
        phone = f"{i}{draw(DIGITS)}"  # 8 digits, unique by the leading service number
        publish = draw(st.sampled_from(["public", "practitioners", "no"]))
        status = draw(st.sampled_from(["active", "temporarily_closed", "closed"]))
        confidential = draw(st.booleans())
        # Decimals unique by construction: no coordinate's digits can hide in another's ("20.1234" in "120.1234").
        lat, lat_key = _coord(draw(st.integers(10, 80)), f"{2 * i:02d}{draw(DIGITS)[:2]}", draw(st.booleans()))
        lon, lon_key = _coord(draw(st.integers(100, 179)), f"{2 * i + 1:02d}{draw(DIGITS)[:2]}", draw(st.booleans()))
        marker = f"Svc{i}x{draw(HEX6)}"
        row = service(
            id=f"S-{i + 1}", service_name=marker, organization=f"Org {marker}",
            categories=draw(st.sampled_from(["shelter", "hotline; legal", "medical", "case_management"])),
            district=draw(st.sampled_from([*districts, "All districts"])),
            publish=publish, status=status, confidential="yes" if confidential else "no",
            address=f"Jl. {address} No. {i + 1}", latitude=lat, longitude=lon,
            focal_point=focal, focal_point_phone=f"0812 {phone[:4]} {phone[4:]}",
            verified_by=verifier, notes=notes,
        )
        plan.services.append(row)
        whole = [Secret("text", marker, f"name of service {i}"), Secret("text", address, f"address of service {i}"),
                 Secret("coord", lat_key, f"latitude of service {i}"), Secret("coord", lon_key, f"longitude of {i}"),
                 Secret("text", focal, f"focal point of {i}"), Secret("digits", "812" + phone, f"focal phone of {i}")]
        always = [Secret("text", notes, f"notes of service {i}"), Secret("text", verifier, f"verifier of service {i}")]
        place = whole[1:4]
        internal = whole[4:]
        plan.never_logged += always + (place if confidential else [])
        for edition in EDITIONS:
            published = status != "closed" and (publish == "public" or (publish == "practitioners"
                                                                         and edition == "practitioners"))
            forbidden = plan.forbidden[edition]
            forbidden += always
            if not published:
                forbidden += whole
                continue
            plan.shown[edition].append(marker)
            if confidential:
                forbidden += place
            if edition == "public":
                forbidden += internal
            else:
                plan.allowed_focal.append(focal)
    return plan


def write_plan(plan: Plan, path: Path) -> Path:
    return make_workbook(path, services=plan.services, districts=plan.districts)


# ------------------------------------------------------------------------------------------ text forms


@dataclass(frozen=True)
class Form:
    """One way of reading an output: its label, its text, and whether numbers (phones, coordinates) are searched.

    Raw PDF bytes, inflated PDF streams and raw HTML are searched for text only: drawing operators and
    inline SVG are full of numbers, so a short or repetitive number would be found there by chance.
    """

    label: str
    text: str
    numbers: bool = True

    @functools.cached_property
    def digits(self) -> str:
        """The digits of every phone-like run ("+62 812-3456-7890" -> "628123456789"), runs kept apart."""
        return "|".join(re.sub(r"\D", "", run) for run in _NUMBER_RUN.findall(self.text))


_NUMBER_RUN = re.compile(r"\+?\d(?:[\d().\-/]|[ \u00a0](?=[\d(]))*\d|\d")


def forms_of(path: Path, label: str | None = None, *, thorough: bool = True) -> Iterator[Form]:
    """Every readable form of one output file; ``thorough=False`` skips pypdf's slow text extraction."""
    data = path.read_bytes()
    name = label or path.name
    if path.suffix == ".pdf":
        yield from _pdf_forms(data, name, thorough)
        return
    raw = data.decode("utf-8", "replace")
    if path.suffix == ".html":
        from bs4 import BeautifulSoup

        soup = BeautifulSoup(raw, "html.parser")
        yield Form(f"{name} (raw)", raw, numbers=False)  # inline SVG paths hold decimal numbers
        yield Form(f"{name} (text)", soup.get_text(" "))
        attrs = [str(v) for tag in soup.find_all(True) if tag.name not in ("path", "svg", "symbol", "use", "circle",
                                                                            "rect", "line", "polyline", "polygon",
                                                                            "g", "ellipse", "style")
                 for k, v in tag.attrs.items() if k not in ("style", "d", "viewbox", "points")]
        yield Form(f"{name} (attributes)", urllib.parse.unquote(html.unescape("\n".join(attrs))))
        return
    if path.suffix == ".png":  # compressed pixels: only the bytes (the card PDF it is drawn from is searched)
        yield Form(f"{name} (raw)", raw, numbers=False)
        return
    if path.suffix == ".json":
        yield Form(f"{name} (raw)", raw)
        yield Form(f"{name} (values)", "\n".join(_json_strings(json.loads(data))))
        return
    yield Form(name, raw)


def _json_strings(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for k, v in value.items():
            yield str(k)
            yield from _json_strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _json_strings(v)
    else:
        yield str(value)


def _pdfium_text(data: bytes) -> str:
    """PDFium's text extraction: 30 times faster than pypdf's, so the property tests can afford it."""
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(data)
    try:
        return "\n".join(doc[i].get_textpage().get_text_range() for i in range(len(doc)))
    finally:
        doc.close()


def _pdf_forms(data: bytes, name: str, thorough: bool) -> Iterator[Form]:
    import io

    from pypdf import PdfReader

    yield Form(f"{name} (raw)", data.decode("latin-1"), numbers=False)
    inflated = []
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            inflated.append(zlib.decompress(match.group(1)).decode("latin-1"))
        except zlib.error:
            continue
    yield Form(f"{name} (inflated streams)", "\n".join(inflated), numbers=False)
    reader = PdfReader(io.BytesIO(data))
    if thorough:
        yield Form(f"{name} (text)", "\n".join(page.extract_text() or "" for page in reader.pages))
    yield Form(f"{name} (text, pdfium)", _pdfium_text(data))
    links = []
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            action = annot.get_object().get("/A")
            if action is not None and "/URI" in action.get_object():
                links.append(str(action.get_object()["/URI"]))
    yield Form(f"{name} (links)", urllib.parse.unquote("\n".join(links)))
    meta: dict[str, Any] = dict(reader.metadata or {})
    yield Form(f"{name} (metadata)", "\n".join(f"{k}={v}" for k, v in meta.items()))


def leaks(secrets: Iterable[Secret], forms: Iterable[Form]) -> list[str]:
    found = []
    forms = list(forms)
    for secret in secrets:
        for form in forms:
            if secret.kind in ("coord", "digits") and not form.numbers:
                continue
            if secret.found_in(form.text, form.digits):
                found.append(f"{secret.what} ({secret.value!r}) in {form.label}")
    return found


def _strings(value: Any) -> Iterator[str]:
    """Every string and number in a view (dataclasses, tuples, dates)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for f in dataclasses.fields(value):
            yield from _strings(getattr(value, f.name))
    elif isinstance(value, list | tuple):
        for v in value:
            yield from _strings(v)
    elif value is not None:
        yield str(value)


# ------------------------------------------------------------------------------------------ the views


@PROPERTY
@given(plan=plans())
def test_views_hold_no_secret(plan: Plan) -> None:
    """What selection.py gives renderers and exporters: the privacy guarantee at its source."""
    with tempfile.TemporaryDirectory() as tmp:
        result = validate_workbook(write_plan(plan, Path(tmp) / "w.xlsx"), today=TODAY)
    assert not result.errors, report_text(result.errors)
    assert result.directory is not None
    report = Form("validation report", "\n".join(report_text(result.problems)))
    assert leaks(plan.forbidden["public"] + plan.forbidden["practitioners"], [report]) == []
    for edition in EDITIONS:
        views = select(result.directory, edition=edition).views
        text = "\n".join(s for view in views for s in _strings(view))
        form = Form(f"{edition} views", text)
        assert leaks(plan.forbidden[edition], [form]) == []
        for marker in plan.shown[edition]:
            assert marker in text, f"{marker} is published in the {edition} edition but missing from its views"
        if edition == "practitioners":
            for focal in plan.allowed_focal:
                assert focal.casefold() in text.casefold(), "the practitioner edition lost a focal point"


# ------------------------------------------------------------------------------------------ the outputs


def _build_forms(out: Path, *, thorough: bool = False) -> list[Form]:
    return [form for path in sorted(out.rglob("*")) if path.is_file()
            for form in forms_of(path, str(path.relative_to(out)), thorough=thorough)]


#: Every build format but the card pictures (slow to draw): test_fixed_directories_hold_no_secret_pypdf shows
#: that their pixels are those of the card PDF, whose text is searched.
SEARCHED = ("pdf", "html", "message", "contacts")


@PROPERTY
@given(plan=plans())
def test_directories_hold_no_secret(plan: Plan) -> None:
    """Both editions, PDF booklets, pocket cards, HTML pages, index and manifest, byte by byte."""
    hostile.renderers_or_xfail(("pdf", "html"))
    with tempfile.TemporaryDirectory() as tmp:
        workbook = write_plan(plan, Path(tmp) / "w.xlsx")
        for edition in EDITIONS:
            out = Path(tmp) / edition
            result = build_directory(workbook, BuildOptions(out=out, edition=edition, jobs=1, formats=SEARCHED),
                                     today=TODAY)
            assert result.built and not result.failures, result.failures
            forms = _build_forms(out)
            assert leaks(plan.forbidden[edition], forms) == []
            html_text = "\n".join(f.text for f in forms if f.label.endswith(".html (text)"))
            pdf_text = "\n".join(f.text for f in forms if f.label.endswith(".pdf (text, pdfium)"))
            for marker in plan.shown[edition]:  # the search would find a leak: it finds what is published
                assert marker in html_text, f"{marker} missing from the {edition} HTML"
                assert marker in pdf_text, f"{marker} missing from the {edition} PDF text"


@PROPERTY
@given(plan=plans(), fmt=st.sampled_from(["hsds", "hxl", "json"]))
def test_exports_hold_no_secret(plan: Plan, fmt: str) -> None:
    export_workbook = hostile.export_or_xfail()
    with tempfile.TemporaryDirectory() as tmp:
        workbook = write_plan(plan, Path(tmp) / "w.xlsx")
        for edition in EDITIONS:
            out = Path(tmp) / f"{edition}-{fmt}" / ("hsds" if fmt == "hsds" else f"services.{fmt if fmt == 'json' else 'csv'}")
            result = export_workbook(workbook, fmt, out, edition=edition)
            assert not result.errors
            files = sorted(p for p in out.rglob("*") if p.is_file()) if out.is_dir() else [out]
            forms = [form for p in files for form in forms_of(p, f"{fmt}/{p.name}")]
            assert leaks(plan.forbidden[edition], forms) == []
            everything = "\n".join(f.text for f in forms)
            for marker in plan.shown[edition]:
                assert marker in everything, f"{marker} missing from the {edition} {fmt} export"


@pytest.mark.parametrize("edition", EDITIONS)
def test_fixed_directories_hold_no_secret_pypdf(tmp_path: Path, edition: str) -> None:
    """The fixed example through every form, pypdf's text extraction included (slow, so not in the property)."""
    hostile.renderers_or_xfail(("pdf", "html"))
    plan = _fixed_plan()
    out = tmp_path / edition
    # Every registered format (the print files too), the booklet and card as a print shop gets them.
    options = BuildOptions(out=out, edition=edition, jobs=1, formats=build_formats(), print_shop=True, creep_mm=1.0)
    result = build_directory(write_plan(plan, tmp_path / "w.xlsx"), options, today=TODAY)
    assert result.built and not result.failures, result.failures
    assert {f["kind"] for f in result.files} >= {"pdf", "card", "booklet-imposed", "cards-sheet"}
    assert list(out.rglob("*.vcf")) and list(out.rglob("*.message.txt"))
    # The card pictures hold no text to search: they must show exactly what the card shows, whose text is
    # searched (the card without the print shop's bleed, as the pictures are drawn from it).
    plain = tmp_path / f"{edition}-plain"
    build_directory(write_plan(plan, tmp_path / "w.xlsx"), BuildOptions(out=plain, edition=edition, jobs=1,
                                                                       formats=("pdf", "card-image")), today=TODAY)
    cards = sorted(plain.rglob("*.card.pdf"))
    assert cards
    for card in cards:
        stem = str(card)[: -len(".card.pdf")]
        assert card_pictures(card.read_bytes()) == (Path(stem + ".card-front.png").read_bytes(),
                                                    Path(stem + ".card-back.png").read_bytes())
        assert Path(stem + ".card-front.png").read_bytes() == (out / card.relative_to(plain)).with_name(
            card.name.replace(".card.pdf", ".card-front.png")).read_bytes()
    forms = _build_forms(out, thorough=True)
    assert any(f.label.endswith(".pdf (text)") for f in forms)
    assert any(f.label.endswith("-accessible.pdf (text)") and "Svc0xfixed" in f.text for f in forms)
    assert leaks(plan.forbidden[edition], forms) == []
    pypdf_text = "\n".join(f.text for f in forms if f.label.endswith(".pdf (text)"))
    assert "Svc0xfixed" in pypdf_text, "pypdf extracts nothing: the search would be blind"


# ------------------------------------------------------------------------------------------ logs


def _fixed_plan() -> Plan:
    """One deterministic example with every kind of secret (ASCII, Thai, Vietnamese), for the CLI checks."""
    plan = Plan(["Kota Alpha", "Kota Beta"], [])
    rows = [
        ("public", "active", True, "SECRETa11a11a1", "SECRETb22b22b2", "SECRETc33c33c3", "ที่อยู่ลับมาก", "11112222"),
        ("practitioners", "active", False, "ĐầuMốiBíMật", "SECRETd44d44d4", "SECRETe55e55e5", "SECRETf66f66f6",
         "33334444"),
        ("no", "active", True, "SECRET0770770", "SECRET0880880", "SECRET0990990", "SECRET0aa0aa0", "55556666"),
        ("public", "closed", False, "SECRET0bb0bb0", "SECRET0cc0cc0", "SECRET0dd0dd0", "SECRET0ee0ee0", "77778888"),
    ]
    for i, (publish, status, confidential, focal, verifier, notes, address, digits) in enumerate(rows):
        lat, lat_key = _coord(12 + i, f"{4321 + i * 1111}", True)
        lon, lon_key = _coord(101 + i, f"{8765 - i * 1111}", False)
        marker = f"Svc{i}xfixed"
        plan.services.append(service(
            id=f"S-{i + 1}", service_name=marker, organization=f"Org {marker}", district="Kota Alpha",
            publish=publish, status=status, confidential="yes" if confidential else "no",
            address=f"Jl. {address} No. {i + 1}", latitude=lat, longitude=lon, focal_point=focal,
            focal_point_phone=f"0812 {digits[:4]} {digits[4:]}", verified_by=verifier, notes=notes))
        always = [Secret("text", notes, f"notes {i}"), Secret("text", verifier, f"verifier {i}")]
        place = [Secret("text", address, f"address {i}"), Secret("coord", lat_key, f"lat {i}"),
                 Secret("coord", lon_key, f"lon {i}")]
        plan.never_logged += always + (place if confidential else [])
        internal = [Secret("text", focal, f"focal {i}"), Secret("digits", "812" + digits, f"focal phone {i}")]
        plan.forbidden["public"] += always + internal + (place if confidential or publish != "public" or
                                                         status == "closed" else [])
        plan.forbidden["practitioners"] += always + (place if confidential or publish == "no" or status == "closed"
                                                     else []) + (internal if publish == "no" or status == "closed"
                                                                 else [])
    return plan


@pytest.mark.parametrize("edition", EDITIONS)
def test_build_log_holds_no_secret(tmp_path: Path, edition: str) -> None:
    """What build writes to stderr (a CI log, a shared terminal) never quotes internal or confidential values."""
    plan = _fixed_plan()
    workbook = write_plan(plan, tmp_path / "w.xlsx")
    run = hostile.run_cli("build", workbook, "--out", tmp_path / "out", "--edition", edition, "--jobs", "1",
                          "--format", "html", cwd=tmp_path)
    assert "Traceback" not in run.stderr
    streams = [Form("build stderr", run.stderr), Form("build stdout", run.stdout)]
    assert leaks(plan.never_logged + plan.forbidden[edition], streams) == []


def test_validate_report_quotes_no_valid_secret(tmp_path: Path) -> None:
    """The staff report quotes invalid cells only; valid internal and confidential values never appear in it."""
    plan = _fixed_plan()
    workbook = write_plan(plan, tmp_path / "w.xlsx")
    for fmt in ("text", "json"):
        run = hostile.run_cli("validate", workbook, "--format", fmt, cwd=tmp_path)
        assert run.returncode == 0, run.stdout + run.stderr
        streams = [Form(f"validate {fmt} stdout", run.stdout), Form(f"validate {fmt} stderr", run.stderr)]
        assert leaks(plan.never_logged + plan.forbidden["public"], streams) == []


def test_fixed_plan_is_valid_and_meaningful(tmp_path: Path) -> None:
    """The fixed example validates and plants secrets of every kind (guards the two tests above)."""
    plan = _fixed_plan()
    result = validate_workbook(write_plan(plan, tmp_path / "w.xlsx"), today=TODAY)
    assert not result.errors, report_text(result.errors)
    kinds = {s.kind for s in plan.never_logged}
    assert kinds == {"text", "coord"}
    assert any(s.kind == "digits" for s in plan.forbidden["public"])


# ------------------------------------------------------------------------------------------ confidential routes
#
# A confidential place also leaks when staff type it again: in another printed cell, as a map link (the
# website's QR code encodes it too), as coordinates in text, or on another published row (same address,
# or coordinates a few metres away). validate must report each route as an error, and with --skip-invalid
# nothing of the place may reach any output.

PLACE_CODES = frozenset({"confidential-address-repeated", "confidential-map-link", "confidential-coordinates",
                         "confidential-address-shared", "address-is-confidential", "confidential-place-near",
                         "near-confidential-place"})
ROUTE_COLUMNS = ("description", "how_to_get_help", "documents", "cost_details", "accessibility", "hours")
ROUTES = ("cell", "map", "coordinates", "same_address", "nearby")


def _coord_key(value: float) -> str:
    """The searched digits of a planted coordinate (its 5th decimal is 1: rounding keeps the first four)."""
    return f"{abs(value):.5f}"[:-1]


def _dms(value: float, positive: str, negative: str) -> str:
    degrees = abs(value)
    minutes = (degrees - int(degrees)) * 60
    seconds = (minutes - int(minutes)) * 60
    return f"{int(degrees)}°{int(minutes):02d}'{seconds:04.1f}\"{positive if value >= 0 else negative}"


@dataclass
class LeakyPlan:
    plan: Plan
    invalid_rows: set[int]  # rows validate must report (the confidential one, and any twin)
    secrets: list[Secret]  # every planted form of the place: never in an output, nor in the report
    routes: tuple[str, ...]


@st.composite
def leaky_plans(draw: st.DrawFn) -> LeakyPlan:
    plan = draw(plans())
    k = draw(st.integers(0, len(plan.services) - 1))
    row = plan.services[k]
    row.update(confidential="yes", status="active", publish=draw(st.sampled_from(["public", "practitioners"])))
    routes = tuple(r for r in ROUTES if draw(st.booleans())) or (draw(st.sampled_from(ROUTES)),)
    address: str = row["address"]  # "Jl. <secret> No. <n>"
    body, number = address[4:].rsplit(" No. ", 1)
    lat: float = row["latitude"]
    lon: float = row["longitude"]
    marker = row["service_name"]
    secret_row = k + 3
    invalid = {secret_row}
    # Row k is left out whole by --skip-invalid: everything of it is a secret now.
    secrets = [Secret("text", marker, "marker of the confidential row"), Secret("text", body, "its address"),
               Secret("coord", _coord_key(lat), "its latitude"), Secret("coord", _coord_key(lon), "its longitude"),
               Secret("coord", _coord_key(lat).replace(".", ","), "its latitude, decimal comma"),
               Secret("coord", _coord_key(lon).replace(".", ","), "its longitude, decimal comma")]
    ascii_body = body.isascii()
    if "cell" in routes:
        column = draw(st.sampled_from(ROUTE_COLUMNS))
        typed = draw(st.sampled_from([
            address, f"Jalan {body} {number}", f"jl {body} nomor {number}",
            f"JL. {body.upper() if ascii_body else body} NO.{number}", f"{address}, {row['district']}",
        ]))
        row[column] = f"Come to {typed}. Call first."
        secrets.append(Secret("text", typed, f"address typed in {column}"))
    if "map" in routes:
        url = draw(st.sampled_from([
            f"https://www.google.com/maps/@{lat:.6f},{lon:.6f},17z", f"https://maps.google.com/?q={lat:.5f},{lon:.5f}",
            f"https://www.openstreetmap.org/?mlat={lat:.5f}&mlon={lon:.5f}#map=18", f"waze.com/ul?ll={lat:.5f},{lon:.5f}",
        ]))
        row["website"] = url
        secrets.append(Secret("text", url.split("//")[-1], "map link as website"))
    if "coordinates" in routes:
        typed = draw(st.sampled_from([
            f"{lat:.5f}, {lon:.5f}", f"{lat:.5f},{lon:.5f}",
            f"{abs(lat):.4f} {'N' if lat >= 0 else 'S'} {abs(lon):.4f} {'E' if lon >= 0 else 'W'}",
            f"{lat:.4f} {lon:.4f}".replace(".", ","), f"{_dms(lat, 'N', 'S')} {_dms(lon, 'E', 'W')}",
        ]))
        row["how_to_get_help"] = f"{row.get('how_to_get_help', '')} We are at {typed}".strip()
        secrets.append(Secret("text", typed, "coordinates typed in How to get help"))
    twin_base = {"organization": "Org twin", "categories": "legal", "district": row["district"],
                 "publish": "public", "status": "active", "confidential": "no"}
    if "same_address" in routes:
        twin_marker = f"Twin{k}x{draw(HEX6)}"
        plan.services.append(service(id=f"T-{k}", service_name=twin_marker, **twin_base,
                                     address=draw(st.sampled_from([address, f"Jalan {body} {number}, Kota",
                                                                   f"Gedung Baru, Jl. {body} No. {number}"]))))
        invalid.add(len(plan.services) + 2)
        secrets.append(Secret("text", twin_marker, "the same-address twin"))
    if "nearby" in routes:
        twin_marker = f"Near{k}x{draw(HEX6)}"
        near_lat = lat + draw(st.sampled_from([0.0001, -0.0002, 0.0003]))  # 11 to 33 m away
        plan.services.append(service(id=f"N-{k}", service_name=twin_marker, **twin_base,
                                     address=f"Jl. Tetangga{k}x No. 1", latitude=near_lat, longitude=lon))
        invalid.add(len(plan.services) + 2)
        secrets += [Secret("text", twin_marker, "the nearby twin"),
                    Secret("coord", _coord_key(near_lat), "the nearby twin's latitude")]
    for edition in EDITIONS:
        if marker in plan.shown[edition]:
            plan.shown[edition].remove(marker)
    return LeakyPlan(plan, invalid, secrets, routes)


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(leaky=leaky_plans())
def test_confidential_place_typed_again_is_an_error_and_never_published(leaky: LeakyPlan) -> None:
    """Every route is an error on the right rows; with --skip-invalid nothing of the place is in any output."""
    hostile.renderers_or_xfail(("pdf", "html"))
    plan = leaky.plan
    with tempfile.TemporaryDirectory() as tmp:
        workbook = write_plan(plan, Path(tmp) / "w.xlsx")
        result = validate_workbook(workbook, today=TODAY)
        assert {p.row for p in result.errors} == leaky.invalid_rows, (leaky.routes, report_text(result.errors))
        assert {p.code for p in result.errors} <= PLACE_CODES, report_text(result.errors)
        report = Form("validation report", "\n".join(report_text(result.problems)))
        assert leaks(leaky.secrets, [report]) == []
        for edition in EDITIONS:
            out = Path(tmp) / edition
            built = build_directory(workbook, BuildOptions(out=out, edition=edition, jobs=1, skip_invalid=True),
                                    today=TODAY)
            assert not built.failures, built.failures
            assert leaky.invalid_rows <= set(built.skipped_rows)
            forms = _build_forms(out)
            assert leaks(leaky.secrets + plan.forbidden[edition], forms) == [], leaky.routes
            html_text = "\n".join(f.text for f in forms if f.label.endswith(".html (text)"))
            for marker in plan.shown[edition]:  # the rows left in are built: the search is not blind
                assert marker in html_text, f"{marker} missing from the {edition} HTML"
        export_workbook = hostile.export_or_xfail()
        refused = export_workbook(workbook, "json", Path(tmp) / "s.json", edition="public")
        assert refused.errors and not (Path(tmp) / "s.json").exists()
