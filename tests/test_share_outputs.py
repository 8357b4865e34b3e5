"""The files for phones (issue 16): card pictures, the message to share and the contacts file.

Every check reads the produced bytes: PNG headers and chunks, the message's characters and numbers, the
vCard parsed line by line, the web page and the index parsed with BeautifulSoup.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import re
import struct
import zlib
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.check.validate import validate_workbook
from directory_builder.outputs import REGISTRY, default_build_formats
from directory_builder.publish.selection import select
from directory_builder.publish.view import CategorySection, NamedNumber
from directory_builder.render.card_image import WIDTH, card_pictures
from directory_builder.render.message import MESSAGE_LIMIT, district_message, sms_size
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf_card import render_pocket_card
from directory_builder.render.vcard import render_vcard
from factories import HOSTILE, SECRET_ADDRESS, many_services_view, sample_view, service, short
from workbook_factory import make_workbook
from workbook_factory import service as row

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "jakarta-westjava.xlsx"
PHONE_FORMATS = ("card-image", "message", "contacts")
LONG_DISTRICT = "Kabupaten Kepulauan Seribu dan Sekitarnya Bagian Utara Jauh"


# ------------------------------------------------------------------------------------------ card pictures


def png_chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, at = [], 8
    while at < len(data):
        (length,) = struct.unpack(">I", data[at:at + 4])
        kind, body = data[at + 4:at + 8], data[at + 8:at + 8 + length]
        assert zlib.crc32(kind + body) == struct.unpack(">I", data[at + 8 + length:at + 12 + length])[0]
        chunks.append((kind, body))
        at += 12 + length
    return chunks


@pytest.mark.parametrize("lang", ["en", "th"])
def test_card_pictures_fit_chat_apps(lang: str) -> None:
    view = sample_view(lang, district=LONG_DISTRICT if lang == "en" else "อำเภอเมืองเชียงใหม่และอำเภอใกล้เคียงทั้งหมด")
    front, back = card_pictures(render_pocket_card(view, RenderOptions()))
    for picture in (front, back):
        chunks = png_chunks(picture)
        width, height = struct.unpack(">II", chunks[0][1][:8])
        assert width == WIDTH and 1.35 < height / width < 1.5  # an A7 side
        assert len(picture) < 200_000
        assert {kind for kind, _ in chunks} <= {b"IHDR", b"PLTE", b"IDAT", b"IEND"}  # no time, no text
    assert front != back


def test_card_pictures_show_the_hotlines_large_and_dark() -> None:
    """The front is mostly white with dark, large digits: legible in grayscale on a small screen."""
    front, _back = card_pictures(render_pocket_card(sample_view(), RenderOptions()))
    gray = Image.open(io.BytesIO(front)).convert("L")
    pixels = gray.tobytes()
    dark_rows = [y for y in range(gray.height) if min(pixels[y * gray.width:(y + 1) * gray.width]) < 60]
    runs, start = [], dark_rows[0]
    for a, b in zip(dark_rows, [*dark_rows[1:], -1], strict=True):
        if b != a + 1:
            runs.append(a - start + 1)
            start = b
    assert max(runs) >= 60  # a number line at least 60 px tall at 1080 px wide (about 3.5 mm on a 5-inch phone)


def test_card_pictures_are_deterministic() -> None:
    card = render_pocket_card(sample_view("th"), RenderOptions())
    assert card_pictures(card) == card_pictures(render_pocket_card(sample_view("th"), RenderOptions()))


# ------------------------------------------------------------------------------------------ the message

NUMBER_RE = re.compile(r"(\+\d[\d -]{5,}\d|\b\d{3,}\b)")


def test_message_has_emergency_numbers_first_then_services_by_need() -> None:
    view = sample_view()
    text = district_message(view)
    assert len(text) <= MESSAGE_LIMIT
    lines = text.splitlines()
    assert lines[0] == "Useful services - Kota Bandung"  # the title names trafficking: the neutral one
    assert lines[2] == "Emergency numbers:"
    assert lines[3:6] == ["Anti-trafficking hotline (SAPA): 129", "Police: 110",
                          "Bandung social services: +62 22 4231234"]
    services = lines[lines.index("Where to get help:") + 1:]
    assert services and services[0].startswith("- Hotlines: ")
    assert services[1].startswith("- Safe place to stay: Safe house for women and children")
    assert "Legal aid desk" not in text  # temporarily closed
    assert SECRET_ADDRESS not in text and "Jalan" not in text  # no address at all


def test_message_numbers_are_the_dial_numbers() -> None:
    """Every number in the message dials one of the view's numbers (chat apps turn them into links)."""
    view = sample_view()
    dials = {p.dial for s in view.services for p in (*s.phones, *s.hotlines, *s.sms)}
    dials |= {n.phone.dial for n in view.emergency_numbers}
    found = NUMBER_RE.findall(district_message(view))
    assert found
    for number in found:
        assert re.sub(r"[^\d+]", "", number) in dials, number


def test_a_long_directory_drops_the_least_important_and_says_how_many() -> None:
    view = many_services_view(100)
    text = district_message(view)
    assert len(text) <= MESSAGE_LIMIT
    shown = sum(1 for line in text.splitlines() if line.startswith("- "))
    more = re.search(r"More services in the full directory: (\d+)\.", text)
    assert more and shown + int(more.group(1)) == 100
    assert text.splitlines()[-1] == more.group(0)


@pytest.mark.parametrize("lang", ["th", "vi", "id", "ms"])
def test_message_in_every_language_fits(lang: str) -> None:
    text = district_message(many_services_view(60, lang, seed_text=" ศูนย์ช่วยเหลือผู้เสียหาย"))
    assert len(text) <= MESSAGE_LIMIT
    assert text.endswith("\n") and "\r" not in text


def test_hostile_names_stay_on_their_line() -> None:
    evil = service("S-E", "Fake\nPolice: 999\u202e", ["hotline"], hotlines=(short("1500"),), phones=())
    view = sample_view(sections=(CategorySection("hotline", (evil,)),), all_district_sections=())
    text = district_message(view)
    assert "\nPolice: 999" not in text and "\u202e" not in text
    assert "Fake Police: 999: 1500" in text


def test_sms_segments() -> None:
    assert sms_size("a" * 160) == sms_size("a" * 160)
    assert (sms_size("a" * 160).encoding, sms_size("a" * 160).segments) == ("GSM-7", 1)
    assert sms_size("a" * 161).segments == 2 and sms_size("a" * 307).segments == 3
    assert sms_size("€" * 80).segments == 1 and sms_size("€" * 81).segments == 2  # two septets each
    assert (sms_size("ก" * 70).encoding, sms_size("ก" * 70).segments) == ("UCS-2", 1)
    assert sms_size("ก" * 71).segments == 2
    assert sms_size(district_message(sample_view("id"))).encoding == "GSM-7"


# ------------------------------------------------------------------------------------------ the contacts


def parse_vcards(data: bytes) -> list[dict[str, list[str]]]:
    """RFC 2425 lines: CRLF ends, folded lines (a leading space) joined; each card's properties by name."""
    text = data.decode("utf-8")
    assert "\n" not in text.replace("\r\n", "")
    physical = text.split("\r\n")
    assert physical[-1] == ""
    for line in physical:
        assert len(line.encode("utf-8")) <= 75
    logical: list[str] = []
    for line in physical[:-1]:
        if line.startswith(" "):
            logical[-1] += line[1:]
        else:
            logical.append(line)
    cards: list[dict[str, list[str]]] = []
    for line in logical:
        name, _, value = line.partition(":")
        if line == "BEGIN:VCARD":
            cards.append({})
        elif line != "END:VCARD":
            cards[-1].setdefault(name.split(";")[0], []).append(value)
    return cards


def unescape(value: str) -> str:
    return re.sub(r"\\(.)", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def test_contacts_are_neutral_by_default() -> None:
    view = sample_view()
    cards = parse_vcards(render_vcard(view))
    assert [c["VERSION"] for c in cards] == [["3.0"]] * len(cards)
    assert [unescape(c["FN"][0]) for c in cards] == [f"Help line {i}" for i in range(1, len(cards) + 1)]
    tels = [c["TEL"][0] for c in cards]
    assert tels[:3] == ["129", "110", "+62224231234"]  # the emergency numbers first, then 24-hour hotlines
    assert len(set(tels)) == len(tels)
    for tel in tels:
        assert re.fullmatch(r"\+?\d+", tel)
    data = render_vcard(view)
    for secret in ("Police", "Bandung", "trafficking", "Organization", SECRET_ADDRESS):
        assert secret.encode() not in data


def test_contacts_use_the_workbooks_name_in_the_pages_language() -> None:
    assert parse_vcards(render_vcard(sample_view(contact_name="Teman")))[0]["FN"] == ["Teman 1"]
    th = parse_vcards(render_vcard(sample_view("th")))[0]["FN"][0]
    assert th != "Help line 1" and th.endswith(" 1")  # the catalog's Thai
    # A name that says what the numbers are is not neutral: the catalog's name is used instead.
    assert parse_vcards(render_vcard(sample_view(contact_name="Anti-trafficking")))[0]["FN"] == ["Help line 1"]


def test_full_names_only_when_opted_in_and_escaped() -> None:
    evil = "Shelter, North; \\ back\nBEGIN:VCARD " + HOSTILE + " ศูนย์ช่วยเหลือผู้เสียหายจากการค้ามนุษย์"
    view = sample_view(contact_full_names=True, national_hotlines=(NamedNumber(evil, short("129")),))
    data = render_vcard(view)
    cards = parse_vcards(data)
    assert unescape(cards[0]["FN"][0]) == " ".join(evil.split())[:60]
    assert cards[0]["FN"][0].startswith("Shelter\\, North\\; \\\\ back BEGIN")
    assert data.split(b"\r\n").count(b"BEGIN:VCARD") == len(cards) == 2  # a name cannot start a card
    assert unescape(cards[1]["FN"][0]) == "Bandung social services"


def test_contacts_are_deterministic() -> None:
    assert render_vcard(sample_view("vi")) == render_vcard(sample_view("vi"))


def test_the_workbook_sets_the_contact_name_and_opts_in(tmp_path: Path) -> None:
    settings = {"Contact name (en)": "Friend", "Full names in contacts": "yes",
                "National hotlines": "Police: 110"}
    path = make_workbook(tmp_path / "w.xlsx", [row(id="S-1", district="Jakarta Pusat")], settings=settings)
    result = validate_workbook(path)
    assert not result.errors, result.errors
    assert result.directory is not None
    view = select(result.directory).views[0]
    assert view.contact_name == "Friend" and view.contact_full_names
    bad = make_workbook(tmp_path / "b.xlsx", [row(id="S-1", district="Jakarta Pusat")],
                        settings={"Full names in contacts": "perhaps"})
    problem = next(p for p in validate_workbook(bad).errors if p.code == "invalid-yes-no")
    assert problem.where == "Directory!B10" and "perhaps" in problem.message("en")  # row 10: after the 7 defaults


# ------------------------------------------------------------------------------------------ the build


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The example's first district built twice, into two folders, with the web pages and the phone files."""
    folders = []
    for name in ("a", "b"):
        out = tmp_path_factory.mktemp(name)
        result = build_directory(EXAMPLE, BuildOptions(out=out, formats=("html", *PHONE_FORMATS), jobs=1,
                                                       districts=("Jakarta Pusat",)))
        assert result.built and not result.failures, result.failures
        folders.append(out)
    return folders[0], folders[1]


def test_phone_files_are_opt_in() -> None:
    assert not set(PHONE_FORMATS) & set(default_build_formats())
    assert all(o.opt_in for o in REGISTRY.values() if o.format in PHONE_FORMATS)


def test_build_lists_every_phone_file_in_the_manifest(built: tuple[Path, Path]) -> None:
    out = built[0]
    kinds = {f["path"]: f["kind"] for f in json.loads((out / "manifest.json").read_text("utf-8"))["files"]}
    for lang in ("id", "en"):
        base = f"{lang}/jakarta-pusat"
        assert kinds[f"{base}.card-front.png"] == "card-front" and kinds[f"{base}.card-back.png"] == "card-back"
        assert kinds[f"{base}.message.txt"] == "message" and kinds[f"{base}.vcf"] == "contacts"
    message = next(f for f in json.loads((out / "manifest.json").read_text("utf-8"))["files"]
                   if f["path"] == "id/jakarta-pusat.message.txt")
    text = (out / "id" / "jakarta-pusat.message.txt").read_text("utf-8")
    assert message["characters"] == len(text)
    assert message["sms"] == {"encoding": "GSM-7", "segments": -(-len(text) // 153)}  # Indonesian: GSM-7


def test_build_is_deterministic(built: tuple[Path, Path]) -> None:
    a, b = built
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file() and p.name != "manifest.json")
    assert len(files) >= 11
    for rel in files:
        assert (a / rel).read_bytes() == (b / rel).read_bytes(), rel


def test_web_page_shows_the_message_and_links_the_contacts(built: tuple[Path, Path]) -> None:
    out = built[0]
    page = BeautifulSoup((out / "en" / "jakarta-pusat.html").read_text("utf-8"), "html.parser")
    share = page.find(id="share")
    assert share is not None
    assert page.find(id="share-text").get_text() == (out / "en" / "jakarta-pusat.message.txt").read_text("utf-8")
    button = page.find(id="share-copy")
    assert button is not None and button.has_attr("hidden")  # shown by the script only (it needs the clipboard)
    link = share.find("a", href="jakarta-pusat.vcf")
    assert link is not None and "Save these numbers to your phone" in link.get_text()
    assert (out / "en" / "jakarta-pusat.vcf").is_file()
    assert "'Help line 1'" in share.get_text()


def test_web_page_without_phone_files_is_unchanged(tmp_path: Path) -> None:
    view = sample_view()
    from directory_builder.render.html import render_district_page

    plain = render_district_page(view, RenderOptions())
    assert b'id="share"' not in plain and b"share-copy" not in plain
    only_contacts = render_district_page(view, RenderOptions(share=("contacts",)))
    soup = BeautifulSoup(only_contacts, "html.parser")
    assert soup.find(id="share-text") is None and soup.find("a", href="kota-bandung.vcf") is not None


def test_index_links_every_output_in_its_language(built: tuple[Path, Path]) -> None:
    index = BeautifulSoup((built[0] / "index.html").read_text("utf-8"), "html.parser")
    hrefs = [a["href"] for a in index.find_all("a", href=True) if a["href"].startswith("id/jakarta-pusat")]
    assert hrefs == ["id/jakarta-pusat.html", "id/jakarta-pusat.card-front.png", "id/jakarta-pusat.card-back.png",
                     "id/jakarta-pusat.message.txt", "id/jakarta-pusat.vcf"]
    lang = index.find("html")["lang"]
    labels = [a.get_text(" ", strip=True) for a in index.find_all("a", href=True)
              if a["href"].startswith("en/jakarta-pusat")]
    assert lang == "id" and all("PNG" in t or "vCard" in t or "teks" in t or "Halaman" in t for t in labels), labels
    assert index.find("a", href="id/jakarta-pusat.vcf")["type"] == "text/vcard"


def test_message_file_is_utf8_and_short(built: tuple[Path, Path]) -> None:
    for path in built[0].rglob("*.message.txt"):
        text = path.read_bytes().decode("utf-8")
        assert 0 < len(text) <= MESSAGE_LIMIT


def test_share_section_keeps_the_page_within_its_budget_and_policy() -> None:
    """The message and the copy script add about 1.5 KB: a forty-service page stays under 100 KB, and the
    Content-Security-Policy allows exactly the inline script with the copy button in it."""
    from directory_builder.render.html import render_district_page

    page = render_district_page(many_services_view(40), RenderOptions(share=("message", "contacts")))
    assert len(page) < 100_000, len(page)
    soup = BeautifulSoup(page, "html.parser")
    script = soup.find("script").string
    assert "share-copy" in script and "navigator.clipboard" in script
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii")
    policy = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})["content"]
    assert f"script-src 'sha256-{digest}'" in policy
