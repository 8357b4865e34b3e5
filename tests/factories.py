"""Sample DistrictView objects for renderer tests (PDF and HTML): rich, deterministic, a little hostile.

``sample_view()`` returns a view with four categories in the district, an "all districts" section, a
confidential shelter, a temporarily closed entry, a service listed under a second category ("also"),
a long description, a short-code hotline ("129"), a website, and hostile text (``<b>&amp; <script>``)
that must print literally. Tweak anything with ``dataclasses.replace`` or the keyword arguments.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Sequence

from directory_builder.publish.view import (
    CategorySection,
    DistrictView,
    Edition,
    IndexEntry,
    NamedNumber,
    PhoneView,
    ServiceView,
)

HOSTILE = "<b>&amp; <script>alert(1)</script>"
SECRET_ADDRESS = "Jalan Rahasia 13 (SECRET-SHELTER-ADDRESS)"  # never given to a view; tests look for it
PUBLISHED = dt.date(2026, 11, 23)
CHECKED = dt.date(2026, 9, 1)

LONG_DESCRIPTION = (
    "We help people who were trafficked to rebuild their lives. A social worker meets you, listens, and "
    "helps you plan the next steps: a safe place to stay, health care, legal advice and, when you are "
    "ready, the journey home. "
) * 3

THAI_DESCRIPTION = (
    "ศูนย์ช่วยเหลือผู้เสียหายจากการค้ามนุษย์ให้บริการที่พักพิงชั่วคราวแก่ผู้หญิงและเด็ก "
    "เจ้าหน้าที่สังคมสงเคราะห์จะรับฟังและช่วยวางแผนขั้นตอนต่อไปอย่างปลอดภัย"
)


def phone(local: str, international: str, dial: str) -> PhoneView:
    return PhoneView(international=international, local=local, dial=dial)


def short(code: str) -> PhoneView:
    return PhoneView(international=code, local=code, dial=code, short_code=True)


def service(sid: str, name: str, categories: Sequence[str], **fields: object) -> ServiceView:
    """One service with sensible defaults; any ServiceView field can be overridden."""
    base: dict[str, object] = {
        "id": sid,
        "name": name,
        "organization": f"Organization of {name}",
        "organization_type": "ngo",
        "categories": tuple(categories),
        "description": f"{name} helps people who were trafficked. Call first to make an appointment.",
        "cost": "free",
        "status": "active",
        "last_verified": CHECKED,
        "phones": (phone("(022) 4231234", "+62 22 4231234", "+62224231234"),),
    }
    base.update(fields)
    return ServiceView(**base)  # type: ignore[arg-type]


def sample_services(lang: str = "en", edition: Edition = "public") -> dict[str, ServiceView]:
    practitioners = edition == "practitioners"
    focal = {"focal_point": "Ibu Sari Wulandari", "focal_point_phone": phone(
        "0812-3456-7890", "+62 812-3456-7890", "+6281234567890")} if practitioners else {}
    thai = lang == "th"
    return {
        "hotline": service(
            "S-001", "Anti-trafficking hotline", ["hotline", "legal"],
            organization="Ministry of Women's Empowerment", organization_type="government",
            description="Free calls, day and night. Trained staff listen and tell you where to get help.",
            phones=(), hotlines=(short("129"),), sms=(phone("0811-1129-129", "+62 811-1129-129", "+628111129129"),),
            open_24h=True, languages_spoken=("Bahasa Indonesia", "English"), trafficking_specific=True,
            beneficiaries=("everyone",), **focal,
        ),
        "shelter": service(
            "S-002", "Safe house for women and children", ["shelter", "medical"],
            organization="Yayasan Rumah Aman", description=LONG_DESCRIPTION if not thai else THAI_DESCRIPTION,
            confidential=True, beneficiaries=("women", "girls", "boys"), min_age=0, max_age=60,
            how_to_get_help="Call first. A social worker meets you at a safe place.",
            referral_needed=False, documents="No documents needed.", trafficking_specific=True,
            accessibility="Wheelchair access on the ground floor", **focal,
        ),
        "clinic": service(
            "S-003", "Women's health clinic", ["medical"],
            organization="Puskesmas Sukajadi", organization_type="government",
            cost="low_cost", cost_details="Free with a referral letter from a social worker",
            address="Jl. Sukajadi No. 12, Bandung", hours="Mon-Fri 08:00-16:00",
            website="https://puskesmas-sukajadi.example.org/layanan",
            email="info@puskesmas-sukajadi.example.org", referral_needed=True,
        ),
        "closed": service(
            "S-004", "Legal aid desk", ["legal"],
            organization=f"LBH {HOSTILE}", organization_type="community",
            description=f"Lawyers explain your rights. {HOSTILE}",
            status="temporarily_closed", address="Jl. Merdeka 5, Bandung",
            languages_spoken=("Bahasa Indonesia",),
        ),
        "police": service(
            "S-005", "Women and children protection unit", ["police"],
            organization="Polrestabes Bandung", organization_type="government",
            phones=(short("110"), phone("(022) 7271011", "+62 22 7271011", "+62227271011")),
            address="Jl. Jawa No. 1, Bandung", open_24h=True, max_age=17 if thai else None,
        ),
        "national": service(
            "S-100", "National case management service", ["case_management", "return_home"],
            organization="IOM Indonesia", organization_type="international", all_districts=True,
            phones=(phone("(021) 57951275", "+62 21 57951275", "+622157951275"),),
            website="https://indonesia.iom.int/", email="iomjakarta@iom.int",
        ),
    }


def sample_view(lang: str = "en", edition: Edition = "public", *, district: str = "Kota Bandung",
                **overrides: object) -> DistrictView:
    """A rich district view; ``overrides`` replace any DistrictView field."""
    s = sample_services(lang, edition)
    sections = (
        CategorySection("hotline", (s["hotline"],)),
        CategorySection("shelter", (s["shelter"],)),
        CategorySection("medical", (s["clinic"],), also=(s["shelter"],)),
        CategorySection("legal", (s["closed"],), also=(s["hotline"],)),
        CategorySection("police", (s["police"],)),
    )
    all_districts = (
        CategorySection("case_management", (s["national"],)),
        CategorySection("return_home", (), also=(s["national"],)),
    )
    view = DistrictView(
        lang=lang,
        default_lang="en",
        edition=edition,
        title="Directory of Services for Trafficking Victims" if lang != "th" else "สมุดรายชื่อบริการสำหรับผู้เสียหายจากการค้ามนุษย์",
        country="ID",
        edition_name="Second edition",
        published=PUBLISHED,
        publisher="Anti-Trafficking Task Force of West Java",
        district=district,
        province="West Java" if lang != "th" else "จังหวัดเชียงใหม่",
        district_slug="kota-bandung",
        district_code="ID3273",
        corrections_contact="corrections@gugus-tugas.example.org",
        national_hotlines=(
            NamedNumber("Anti-trafficking hotline (SAPA)", short("129")),
            NamedNumber("Police", short("110")),
        ),
        local_emergency=(
            NamedNumber("Bandung social services", phone("(022) 4231234", "+62 22 4231234", "+62224231234")),
        ),
        sections=sections,
        all_district_sections=all_districts,
        languages=("en", "id"),
    )
    return dataclasses.replace(view, **overrides) if overrides else view  # type: ignore[arg-type]


def many_services_view(n: int = 100, lang: str = "en", *, seed_text: str = "") -> DistrictView:
    """A district with ``n`` services spread over eight categories: for performance measurements."""
    cats = ("hotline", "shelter", "medical", "mental_health", "legal", "police", "documents", "return_home")
    by_cat: dict[str, list[ServiceView]] = {c: [] for c in cats}
    for i in range(n):
        cat = cats[i % len(cats)]
        by_cat[cat].append(service(
            f"S-{i:04d}", f"Service number {i:03d}{seed_text}", [cat],
            organization=f"Organization {i % 17}", address=f"Jalan Nomor {i}, Bandung",
            hours="Mon-Fri 08:00-16:00", languages_spoken=("Bahasa Indonesia", "English"),
            beneficiaries=("women", "men"), how_to_get_help="Call first, then visit the office.",
            website=f"https://service-{i}.example.org/" if i % 5 == 0 else None,
        ))
    sections = tuple(CategorySection(c, tuple(sorted(v, key=lambda s: s.name))) for c, v in by_cat.items() if v)
    return sample_view(lang, sections=sections, all_district_sections=())


def index_entry(district: str, province: str, lang: str, html: str | None, pdf: str | None, card: str | None,
                services: int) -> IndexEntry:
    """An index line linking the web page, booklet and card files given (None: not built), as build makes it
    from the output registry's link declarations."""
    from directory_builder.outputs import REGISTRY

    hrefs = {"html": html, "pdf": pdf, "card": card}
    links = tuple((href, link) for name, href in hrefs.items()
                  if href is not None and (link := REGISTRY[name].link) is not None)
    return IndexEntry(district, province, lang, tuple(sorted(links, key=lambda pair: pair[1].position)), services)
