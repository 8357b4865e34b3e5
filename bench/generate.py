"""Realistic synthetic workbooks at any size, for the benchmark and the tests.

    python bench/generate.py --services 10000 --districts 100 --languages id,en --seed 1 --out big.xlsx

The workbook is filled the way NGO staff fill the template: labels and drop-down words in the template's
language, phones in local format separated by ';', short hotlines, www. web sites, opening hours as free
text, some confidential shelters (some with the address kept for staff), practitioner-only and unpublished
rows, stale and recently checked entries, dates both as real Excel dates and as DD/MM/YYYY text, a few
phones that Excel turned into numbers, and a handful of "All districts" services. Descriptions have 40-80
words, so validation warns "description too long" on most rows: that is what staff write.

Every header comes from columns.py (through the template writer's ``table_headers``), so the generator
follows the column table when it changes. Output is deterministic for a seed: the same arguments give
byte-identical files (fixed document dates and zip timestamps). Organizations, people, places, phone
numbers and web sites are fictional; mail and web domains use the reserved ``.example`` top-level domain.
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import re
import sys
import unicodedata
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make the sibling text bank importable
    sys.path.insert(0, str(Path(__file__).resolve().parent))

import textbank as tb
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from directory_builder.columns import (
    ALL_DISTRICTS,
    DIRECTORY_HXL,
    DISTRICTS_COLUMNS,
    HELP_HEADER,
    PLACE_CATEGORIES,
    SERVICES_COLUMNS,
    SETTING_HEADER,
    SETTINGS,
    SHEET_DIRECTORY,
    SHEET_DISTRICTS,
    SHEET_SERVICES,
    VALUE_HEADER,
)
from directory_builder.i18n import SHIPPED_LANGUAGES, gettext_
from directory_builder.publish.neutral import DEFAULT_NEUTRAL_TITLE
from directory_builder.vocab import COST, ORG_TYPES, PUBLISH, STATUS, YES_NO, Vocabulary
from directory_builder.workbook.template import (
    FIXED_TIMESTAMP,
    sheet_names,
    table_headers,
    workbook_bytes,
)

SUPPORTED = ("id", "vi", "th", "en")
#: The day the synthetic staff "last checked" their entries from; fixed so output never depends on the clock.
AS_OF = dt.date(2026, 10, 31)
PUBLISHED = dt.date(2026, 11, 1)


@dataclass(frozen=True)
class Spec:
    """What to generate. ``edits`` changes cells after generation: {service index: {column key: value}}."""

    services: int = 200
    districts: int = 2
    languages: tuple[str, ...] = ("id", "en")
    seed: int = 1
    as_of: dt.date = AS_OF
    edits: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)

    @property
    def default(self) -> str:
        return self.languages[0]

    @property
    def country(self) -> str:
        return tb.COUNTRY[self.default]

    @property
    def all_district_rows(self) -> int:
        """A few national services appear in every district's directory (hotlines, return home)."""
        return max(1, min(10, self.services // 200)) if self.services >= 20 else 0


@dataclass
class DistrictRow:
    name: str
    base: str  # the place name without "Kabupaten", "Huyện", "อำเภอ"
    province: str
    code: str
    area: str  # the district's phone area code
    emergency: str
    lat: float
    lon: float


# ------------------------------------------------------------------------------------------- helpers


def _label(vocab: Vocabulary, code: str, lang: str) -> str:
    """What a drop-down in the template's language puts in the cell: the translated label."""
    return gettext_(vocab.term(code).label, lang)


def _yes_no(value: bool, lang: str) -> str:
    return _label(YES_NO, "yes" if value else "no", lang)


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")


def _domain(org: str, index: int) -> str:
    words = [w for w in _ascii(org).lower().replace("-", " ").split() if w.isalnum()]
    stem = "-".join(words[:4]) or f"org{index}"
    return f"{stem}.example"


def _weighted(rng: random.Random, weights: Mapping[str, int]) -> str:
    codes = list(weights)
    return rng.choices(codes, weights=[weights[c] for c in codes], k=1)[0]


def _digits(rng: random.Random, n: int) -> str:
    return "".join(str(rng.randint(0, 9)) for _ in range(n))


def _group(digits: str) -> str:
    """Local grouping staff type: '3190 0110', '234 5678'."""
    if len(digits) == 8:
        return f"{digits[:4]} {digits[4:]}"
    if len(digits) == 7:
        return f"{digits[:3]} {digits[3:]}"
    return digits


class _Phones:
    def __init__(self, country: str, rng: random.Random) -> None:
        self.plan = tb.PHONE_PLANS[country]
        self.rng = rng

    def landline(self, area: str) -> str:
        digits = self.plan.area_digits
        if self.plan.national_digits is not None:
            digits = self.plan.national_digits - (len(area) - 1)
        elif len(area) == 4:  # smaller cities have one digit fewer
            digits -= 1
        number = str(self.rng.randint(2, 8)) + _digits(self.rng, digits - 1)
        return f"{area} {_group(number)}" if self.rng.random() < 0.8 else f"({area}) {number}"

    def mobile(self) -> str:
        prefix = self.rng.choice(self.plan.mobile)
        digits = _digits(self.rng, self.plan.mobile_digits)
        if self.rng.random() < 0.15:
            return prefix + digits  # typed without spaces
        return f"{prefix} {_group(digits)}" if len(digits) in (7, 8) else f"{prefix} {digits}"

    def short(self) -> str:
        return self.rng.choice(self.plan.short)


# ------------------------------------------------------------------------------------------- districts


def make_districts(spec: Spec, rng: random.Random) -> list[DistrictRow]:
    country = spec.country
    syll = tb.PLACE_SYLLABLES[country]
    join = tb.PLACE_JOIN[country]
    combos = [a + join + (b.lower() if join == "" and country == "ID" else b)
              for a in syll for b in syll if a != b]
    rng.shuffle(combos)
    lat0, lat1, lon0, lon1 = tb.GEO_BOX[country]
    plan = tb.PHONE_PLANS[country]
    provinces = max(1, (spec.districts + 9) // 10)
    province_names = [tb.PROVINCE_PREFIX[country] + combos[-1 - i] for i in range(provinces)]
    phones = _Phones(country, rng)
    names_short = tb.EMERGENCY_NAMES[country]
    short = tb.EMERGENCY_SHORT[country]
    rows: list[DistrictRow] = []
    usable = len(combos) - provinces
    for i in range(spec.districts):
        base = combos[i % usable] + (f" {i // usable + 1}" if i >= usable else "")
        prefix = rng.choice(tb.DISTRICT_PREFIX[country])
        area = rng.choice(plan.area)
        emergency = f"{names_short[0]}: {short[0]}; {names_short[1]}: {short[1]}"
        if rng.random() < 0.6:
            emergency += f"; {names_short[2]}: {phones.landline(area)}"
        rows.append(DistrictRow(
            name=prefix + base, base=base, province=province_names[i // 10], code=f"{country}{1000 + i}",
            area=area, emergency=emergency,
            lat=round(rng.uniform(lat0, lat1), 4), lon=round(rng.uniform(lon0, lon1), 4),
        ))
    return rows


# ------------------------------------------------------------------------------------------- services


def _description(rng: random.Random, category: str, spec: Spec) -> dict[str, str]:
    """40-80 words in the default language (Thai, written without spaces, is sized by its English twin)."""
    target = rng.randint(40, 80)
    count_lang = spec.default if spec.default != "th" else "en"
    parts = [tb.OPENERS[category]]
    pool = list(tb.SENTENCES)
    rng.shuffle(pool)
    words = len(parts[0][count_lang].split())
    for sentence in pool:
        if words >= target:
            break
        parts.append(sentence)
        words += len(sentence[count_lang].split())
    return {lang: " ".join(p[lang] for p in parts) for lang in tb.LANGS}


def _org(rng: random.Random, category: str, district: DistrictRow | None, spec: Spec, index: int) -> tuple[str, str]:
    country = spec.country
    kinds = tb.ORG_KIND_BY_CATEGORY[category]
    kind = rng.choice(kinds)
    patterns = tb.ORG_PATTERNS[country][kind]
    if district is None and kind in ("police", "gov", "medical"):
        kind, patterns = "ngo", tb.ORG_PATTERNS[country]["ngo"]
    pattern, org_type = rng.choice(patterns)
    words = tb.ORG_WORDS[country]
    a, b = rng.sample(words, 2)
    name = pattern.format(a=a, b=b, district=district.name if district else "", place=district.base if district else "")
    if kind in ("ngo", "community", "legal") and rng.random() < 0.5 and district is not None:
        name += f" {district.base}"  # local branch
    return name.strip(), org_type


def make_service(rng: random.Random, index: int, district: DistrictRow | None, spec: Spec,
                 phones: _Phones, lang: str, taken: set[tuple[str, str, str]]) -> dict[tuple[str, str | None], Any]:
    """One Services row as {(column key, language or None): cell value}."""
    country = spec.country
    # The same organization rarely lists the same service twice in one district: try other names, then
    # another category (a district has one or two police units, not six).
    for attempt in range(24):
        if attempt % 6 == 0:
            if district is None:
                category = rng.choice(("hotline", "hotline", "return_home", "legal"))
            else:
                category = _weighted(rng, tb.CATEGORY_WEIGHTS)
        org, org_type = _org(rng, category, district, spec, index)
        name_variant = rng.randrange(len(tb.SERVICE_NAMES[category]))
        names = tb.SERVICE_NAMES[category][name_variant]
        signature = (org.casefold(), names[spec.default].casefold(), district.name if district else "")
        if signature not in taken:
            break
    taken.add(signature)
    categories = [category]
    related = [c for c in tb.RELATED[category] if rng.random() < 0.35]
    categories += related[:2]
    row: dict[tuple[str, str | None], Any] = {}

    def put(key: str, value: Any, lang_: str | None = None) -> None:
        row[(key, lang_)] = value

    def put_text(key: str, texts: Mapping[str, str], missing: float = 0.03) -> None:
        for i, code in enumerate(spec.languages):
            if i > 0 and rng.random() < missing:
                continue  # a translation staff have not done yet
            put(key, texts[code], code)

    if rng.random() < 0.93:
        code = district.code if district else f"{country}0000"
        put("id", f"{code}-{index + 1:05d}")
    put("organization", org)
    put("organization_type", _label(ORG_TYPES, org_type, lang))
    put_text("service_name", names, missing=0.0)
    put("categories", "; ".join(categories))
    if rng.random() < 0.8:
        put("trafficking_specific", _yes_no(rng.random() < 0.6, lang))
    put("district", district.name if district else gettext_(ALL_DISTRICTS, lang))
    put_text("description", _description(rng, category, spec))

    if category in ("child_protection", "education"):
        put("beneficiaries", rng.choice(("children", "girls; boys", "children; families")))
        put("max_age", 17)
        if rng.random() < 0.5:
            put("min_age", rng.choice((5, 6, 12)))
    elif category == "shelter":
        who = "women; girls" if name_variant == 0 else "men; boys"
        put("beneficiaries", who)
        if rng.random() < 0.5:
            put("min_age", 12 if "girls" in who or "boys" in who else 18)
    elif rng.random() < 0.6:
        put("beneficiaries", rng.choice(("everyone", "women; men", "migrant_workers", "women; children",
                                         "adults; foreign_nationals", "persons_with_disabilities; everyone")))
        if rng.random() < 0.2:
            put("min_age", 18)

    if rng.random() < 0.85:
        put_text("how_to_get_help", rng.choice(tb.HOW_TO_GET_HELP))
    if rng.random() < 0.35:
        put("referral_needed", _yes_no(rng.random() < 0.3, lang))
    if rng.random() < 0.5:
        put_text("documents", rng.choice(tb.DOCUMENTS))
    cost = rng.choices(("free", "low_cost", "paid"), weights=(85, 10, 5), k=1)[0]
    put("cost", _label(COST, cost, lang))
    if cost != "free" or rng.random() < 0.1:
        put_text("cost_details", rng.choice(tb.COST_DETAILS))

    # Contact routes: a landline and often a mobile, hotlines as short codes, WhatsApp numbers.
    area = district.area if district else tb.PHONE_PLANS[country].area[0]
    numbers = []
    if category != "hotline" or rng.random() < 0.5:
        numbers.append(phones.landline(area))
        if rng.random() < 0.4:
            numbers.append(phones.mobile())
    if numbers:
        if country == "ID" and rng.random() < 0.01:
            put("phone", int(phones.mobile().replace(" ", "")))  # Excel dropped the leading 0
        else:
            put("phone", "; ".join(numbers))
    if category == "hotline":
        put("hotline", phones.short() if rng.random() < 0.7 else phones.mobile())
    elif rng.random() < 0.15:
        put("hotline", phones.mobile())
    if rng.random() < 0.4:
        put("sms", phones.mobile())
    domain = _domain(org, index)
    if rng.random() < 0.7:
        local = rng.choice(("info", "admin", "help", "contact", "layanan" if country == "ID" else "lienhe"))
        put("email", f"{local}@{domain}")
    if rng.random() < 0.5:
        put("website", f"www.{domain}" if rng.random() < 0.75 else f"https://{domain}/")
    open_24h = category in ("hotline", "shelter", "police") and rng.random() < 0.7
    if open_24h:
        put_text("hours", tb.HOURS[2])
        put("open_24h", _yes_no(True, lang))
    elif rng.random() < 0.85:
        put_text("hours", rng.choice((tb.HOURS[0], tb.HOURS[1], tb.HOURS[3], tb.HOURS[4])))
    if rng.random() < 0.6:
        put("languages_spoken", rng.choice(tb.SPOKEN[country]))
    if rng.random() < 0.25:
        put_text("accessibility", rng.choice(tb.ACCESSIBILITY))

    # Places: confidential shelters (staff often keep the address for themselves), phone-only hotlines.
    confidential = ("shelter" in categories and rng.random() < 0.85) or rng.random() < 0.02
    place_based = bool(set(categories) & set(PLACE_CATEGORIES)) or rng.random() < 0.5
    if district is not None and (place_based or confidential) and (not confidential or rng.random() < 0.4):
        street = rng.choice(tb.STREETS[country])
        # A confidential place shares no address with a published row (validate reports that on both).
        number = rng.randint(1, 250) + (300 if confidential else 0)
        address = {"ID": f"{street} No. {number}, {district.base}",
                   "VN": f"Số {number} {street}, {district.name}",
                   "TH": f"{number}/{rng.randint(1, 30)} {street} {district.name}"}[country]
        put("address", address)
        if rng.random() < 0.4:
            # ...nor lies within 50 m of one: confidential places sit north of the published ones' box.
            put("latitude", round(district.lat + (rng.uniform(0.06, 0.07) if confidential
                                                  else rng.uniform(-0.05, 0.05)), 6))
            put("longitude", round(district.lon + rng.uniform(-0.05, 0.05), 6))
    put("confidential", _yes_no(confidential, lang))
    status = rng.choices(("active", "temporarily_closed", "closed"), weights=(93, 4, 3), k=1)[0]
    put("status", _label(STATUS, status, lang))
    publish = rng.choices(("public", "practitioners", "no"), weights=(88, 9, 3), k=1)[0]
    put("publish", _label(PUBLISH, publish, lang))
    if rng.random() < 0.6:
        person = f"{rng.choice(tb.FIRST_NAMES[country])} {rng.choice(tb.LAST_NAMES[country])}"
        put("focal_point", person)
        put("focal_point_phone", phones.mobile())
    # Most entries were checked in the last ten months; about one in twelve is stale.
    days = rng.randint(400, 900) if rng.random() < 0.08 else rng.randint(0, 300)
    verified = spec.as_of - dt.timedelta(days=days)
    if rng.random() < 0.75:
        put("last_verified", dt.datetime(verified.year, verified.month, verified.day))
    else:
        put("last_verified", verified.strftime("%d/%m/%Y"))
    if rng.random() < 0.5:
        put("verified_by", rng.choice(tb.FIRST_NAMES[country]))
    if rng.random() < 0.2:
        put("notes", tb.NOTES[spec.default])
    for key, value in spec.edits.get(index, {}).items():
        put(key, value)
    return row


# ------------------------------------------------------------------------------------------- workbook


def _template_language(spec: Spec) -> str:
    return spec.default if spec.default in SHIPPED_LANGUAGES else "en"


def _header_cells(ws: Any, labels: Sequence[str], tags: Sequence[str | None]) -> None:
    bold = Font(bold=True)
    grey_fill = PatternFill("solid", start_color="F2F2F2", end_color="F2F2F2")
    grey_font = Font(color="7F7F7F")
    top = []
    for label in labels:
        cell = WriteOnlyCell(ws, value=label)
        cell.font = bold
        top.append(cell)
    second = []
    for tag in tags:
        cell = WriteOnlyCell(ws, value=tag)
        cell.fill, cell.font = grey_fill, grey_font
        second.append(cell)
    ws.append(top)
    ws.append(second)


def _settings_rows(spec: Spec, lang: str) -> list[tuple[str, Any]]:
    country = spec.country
    values: dict[str, Any] = {
        "country": country,
        "languages": ", ".join(spec.languages),
        "edition": tb.EDITION[spec.default],
        "published": dt.datetime(PUBLISHED.year, PUBLISHED.month, PUBLISHED.day),
        "publisher": tb.PUBLISHER[spec.default],
        "corrections_contact": f"koreksi@{_domain(tb.PUBLISHER['en'], 0)}",
        "national_hotlines": tb.NATIONAL_HOTLINES[country],
        "review_after_months": 12,
    }
    rows: list[tuple[str, Any]] = []
    for setting in SETTINGS:
        label = gettext_(setting.label, lang)
        if setting.translatable:
            for code in spec.languages:
                rows.append((f"{label} ({code})", _translated_setting(setting.key, code, spec, values)))
        else:
            rows.append((label, values.get(setting.key)))  # a setting staff leave blank: empty
    return rows


def _translated_setting(key: str, code: str, spec: Spec, values: dict[str, Any]) -> Any:
    """A translatable setting's row in ``code``, as staff fill it: the texts in every language, the
    national hotlines in the main language only (names in the others are left to the tool or to a warning),
    no quick-exit page of their own. The Neutral title (--neutral-title) must not name trafficking."""
    texts = {"title": tb.TITLE, "edition": tb.EDITION, "publisher": tb.PUBLISHER}
    if key in texts:
        return texts[key][code]
    if key == "neutral_title":
        return gettext_(DEFAULT_NEUTRAL_TITLE, code)
    return values.get(key) if code == spec.default else None


def build_workbook(spec: Spec) -> Workbook:
    """The whole workbook in openpyxl's write-only mode (fast and small in memory at 10,000 rows)."""
    for code in spec.languages:
        if code not in SUPPORTED:
            raise ValueError(f"language {code!r}: choose from {', '.join(SUPPORTED)}")
    lang = _template_language(spec)
    rng = random.Random(spec.seed)
    names = sheet_names(lang)
    wb = Workbook(write_only=True)
    wb.properties.creator = "directory-builder bench"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP

    ws_dir = wb.create_sheet(names[SHEET_DIRECTORY])
    _header_cells(ws_dir, [gettext_(h, lang) for h in (SETTING_HEADER, VALUE_HEADER, HELP_HEADER)],
                  [*DIRECTORY_HXL, None])
    for label, value in _settings_rows(spec, lang):
        ws_dir.append([label, value])

    districts = make_districts(spec, rng)
    ws_dist = wb.create_sheet(names[SHEET_DISTRICTS])
    d_headers = table_headers(DISTRICTS_COLUMNS, spec.languages, lang)
    _header_cells(ws_dist, [h.label for h in d_headers], [h.hxl for h in d_headers])
    for d in districts:
        values = {"district": d.name, "province": d.province, "district_code": d.code, "emergency": d.emergency}
        ws_dist.append([values.get(h.column.key) for h in d_headers])

    ws_serv = wb.create_sheet(names[SHEET_SERVICES])
    s_headers = table_headers(SERVICES_COLUMNS, spec.languages, lang)
    _header_cells(ws_serv, [h.label for h in s_headers], [h.hxl for h in s_headers])
    phones = _Phones(spec.country, rng)
    national = spec.all_district_rows
    local = spec.services - national
    # Staff paste the districts' lists one after another; the national services come first.
    plan: list[DistrictRow | None] = [None] * national
    if districts:
        plan += [districts[i * len(districts) // max(local, 1)] for i in range(local)]
    taken: set[tuple[str, str, str]] = set()
    for index, district in enumerate(plan):
        row = make_service(rng, index, district, spec, phones, lang, taken)
        ws_serv.append([row.get((h.column.key, h.lang if h.column.translatable else None))
                        for h in s_headers])
    return wb


_INLINE = re.compile(rb'<c r="([A-Z]+[0-9]+)"((?: s="[0-9]+")?) t="inlineStr"><is><t(?: xml:space="preserve")?>(.*?)</t></is></c>',
                     re.DOTALL)
_SST = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_SST_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings"


def shared_strings(data: bytes) -> bytes:
    """Move every text cell into a shared-strings table, as Excel, LibreOffice and Google Sheets save it.

    openpyxl writes text as inline strings; readers pay very differently for the two forms (openpyxl builds
    an object per inline string), so a benchmark must read what staff actually hand in.
    """
    table: dict[bytes, int] = {}
    uses = 0

    def index(match: re.Match[bytes]) -> bytes:
        nonlocal uses
        text = match.group(3)
        uses += 1
        number = table.setdefault(text, len(table))
        return b'<c r="%s"%s t="s"><v>%d</v></c>' % (match.group(1), match.group(2), number)

    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        parts = {info.filename: src.read(info.filename) for info in src.infolist()}
        for name in sorted(n for n in parts if n.startswith("xl/worksheets/sheet")):
            parts[name] = _INLINE.sub(index, parts[name])
        items = b"".join(b'<si><t xml:space="preserve">%s</t></si>' % text for text in table)
        parts["xl/sharedStrings.xml"] = (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="%d" uniqueCount="%d">'
            b"%s</sst>" % (uses, len(table), items))
        parts["[Content_Types].xml"] = parts["[Content_Types].xml"].replace(
            b"</Types>", b'<Override PartName="/xl/sharedStrings.xml" ContentType="%s"/></Types>' % _SST.encode())
        parts["xl/_rels/workbook.xml.rels"] = parts["xl/_rels/workbook.xml.rels"].replace(
            b"</Relationships>",
            b'<Relationship Type="%s" Target="sharedStrings.xml" Id="rIdSharedStrings"/></Relationships>'
            % _SST_REL.encode())
        for name, content in parts.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, content)
    return out.getvalue()


def generate(spec: Spec, out: Path, *, inline_strings: bool = False) -> Path:
    """Write the workbook for ``spec`` to ``out`` (byte-identical for the same spec).

    Text goes into a shared-strings table like Excel saves it, unless ``inline_strings`` (openpyxl's own
    way of writing, kept to measure what the difference costs the reader).
    """
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = workbook_bytes(build_workbook(spec))
    if not inline_strings:
        data = shared_strings(data)
    tmp = out.with_name(out.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(out)
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--services", type=int, default=200, help="number of Services rows (default 200)")
    parser.add_argument("--districts", type=int, default=2, help="number of districts (default 2)")
    parser.add_argument("--languages", default="id,en",
                        help="languages of the directory, first is the default: id, vi, th, en (default id,en)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    parser.add_argument("--inline-strings", action="store_true",
                        help="keep openpyxl's inline strings instead of a shared-strings table (as Excel saves)")
    args = parser.parse_args(argv)
    langs = tuple(code.strip().lower() for code in args.languages.split(",") if code.strip())
    spec = Spec(services=args.services, districts=args.districts, languages=langs, seed=args.seed)
    path = generate(spec, args.out, inline_strings=args.inline_strings)
    print(f"{path}: {spec.services} services, {spec.districts} districts, languages {', '.join(langs)}, "
          f"country {spec.country}, seed {spec.seed}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
