"""The booklet PDF: parsed back with pypdf/pdfplumber and checked against the view it was made from."""

from __future__ import annotations

import dataclasses
import io
import re
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from pypdf import PdfReader

from directory_builder.i18n import use_language
from directory_builder.publish.view import CategorySection, DistrictView, NamedNumber
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf import pdf_page_count, render_booklet
from directory_builder.vocab import CATEGORIES
from factories import HOSTILE, SECRET_ADDRESS, phone, sample_view, service, short

MM = 72 / 25.4
PAPERS = {"a5": (148 * MM, 210 * MM), "a4": (210 * MM, 297 * MM), "letter": (612.0, 792.0)}


def pages_text(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return [page.extract_text() or "" for page in pdf.pages]


def flat(text: str) -> str:
    """Extracted text with line breaks and runs of spaces collapsed (a phrase may wrap)."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def view() -> DistrictView:
    return sample_view()


@pytest.fixture(scope="module")
def booklet(view: DistrictView) -> bytes:
    return render_booklet(view, RenderOptions())


@pytest.fixture(scope="module")
def texts(booklet: bytes) -> list[str]:
    return pages_text(booklet)


def outline_pages(data: bytes) -> dict[str, int]:
    """Bookmark title -> 1-based page number, from the PDF outline."""
    reader = PdfReader(io.BytesIO(data))
    out: dict[str, int] = {}

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                page = reader.get_destination_page_number(item)
                assert page is not None
                out.setdefault(item.title, page + 1)

    walk(reader.outline)
    return out


# ---------------------------------------------------------------------------------------- cover


def test_cover_has_numbers_first_then_title(texts: list[str], view: DistrictView) -> None:
    cover = flat(texts[0])
    for number in ("129", "110", "(022) 4231234"):
        assert number in cover
    assert "+62 22 4231234" in cover  # the international form once, for a full number
    for part in (view.title, view.district, view.province, view.publisher, "23 November 2026", "Second edition"):
        assert part in cover
    assert cover.index("129") < cover.index(view.title)
    # National hotlines, then the district's own numbers.
    assert cover.index("Anti-trafficking hotline") < cover.index("Police") < cover.index("Bandung social services")


def test_practitioner_banner_only_in_practitioner_edition(texts: list[str]) -> None:
    assert "Practitioner edition" not in "".join(texts)
    practitioners = pages_text(render_booklet(sample_view(edition="practitioners"), RenderOptions()))
    assert "Practitioner edition: not for distribution to the public" in flat(practitioners[0])
    everything = flat(" ".join(practitioners))
    assert "Ibu Sari Wulandari" in everything  # the focal point, practitioner edition only


# ---------------------------------------------------------------------------------------- structure


def test_footer_on_every_page_but_the_cover(texts: list[str], view: DistrictView) -> None:
    total = len(texts)
    assert "Page 1 of" not in texts[0]
    for n, text in enumerate(texts[1:], start=2):
        assert f"Page {n} of {total}" in text
        assert view.district in text
        assert "Anti-trafficking hotline (SAPA): 129" in text


def test_contents_page_numbers_are_the_real_pages(texts: list[str], booklet: bytes) -> None:
    contents = texts[1]
    assert contents.startswith("Contents")
    entries = {}
    for line in contents.splitlines()[1:]:
        m = re.match(r"^(.*?)[\s.]*?(\d+)$", line.strip())
        if m:
            entries[m.group(1).rstrip(" .")] = int(m.group(2))
    expected = ["How to use this directory", "What is human trafficking?", "Questions and answers",
                "Hotlines", "Safe place to stay", "Health care", "Legal help", "Police",
                "Services for all districts", "Case workers", "Emergency numbers"]
    for title in expected:
        assert title in entries, (title, entries)
        page_text = texts[entries[title] - 1]
        assert title in page_text, (title, entries[title])
    # Every entry points at the same page as the PDF's outline (bookmarks).
    outline = outline_pages(booklet)
    for title, page in entries.items():
        if title in outline:
            assert outline[title] == page, title


def test_services_are_under_their_category_heading(booklet: bytes, texts: list[str], view: DistrictView) -> None:
    outline = outline_pages(booklet)
    headings = [(outline[CATEGORIES.label(sec.category)], sec) for sec in view.sections]
    headings.sort(key=lambda x: x[0])
    for i, (page, section) in enumerate(headings):
        end = headings[i + 1][0] if i + 1 < len(headings) else len(texts) + 1
        block = flat(" ".join(texts[page - 1:end - 1]))
        explanation = CATEGORIES.term(section.category).explanation
        assert explanation in block
        for svc in section.services:
            assert flat(svc.name) in block, (svc.name, section.category)
            assert block.index(CATEGORIES.label(section.category)) < block.index(svc.name)


def test_all_districts_section(texts: list[str], booklet: bytes) -> None:
    outline = outline_pages(booklet)
    page = outline["Services for all districts"]
    text = flat(texts[page - 1])
    assert "Services for all districts" in text
    assert "National case management service" in text
    assert page > outline["Police"]


def test_see_also_points_to_the_service_page(texts: list[str]) -> None:
    everything = [flat(t) for t in texts]
    shelter_page = next(n for n, t in enumerate(everything, 1) if "Safe house for women and children Yayasan" in t)
    xref = next(t for t in everything if "Also offers this service: see Safe place to stay" in t)
    m = re.search(r"Also offers this service: see Safe place to stay (\d+)", xref)
    assert m and int(m.group(1)) == shelter_page


def test_how_to_use_has_front_matter_and_a_legend(texts: list[str]) -> None:
    page = flat(texts[2])
    assert page.startswith("How to use this directory")
    assert "What the pictures mean" in page
    for name in ("Hotlines", "Safe place to stay", "Health care", "Legal help", "Police", "Case workers",
                 "Phone", "WhatsApp / SMS", "Website"):
        assert name in page
    everything = flat(" ".join(texts))
    for title in ("What is human trafficking?", "Forms of trafficking", "Your rights", "Questions and answers",
                  "Mai's story", "Will I be arrested?"):
        assert title in everything


def test_back_page_has_corrections_and_numbers(texts: list[str], view: DistrictView) -> None:
    back = flat(texts[-1])
    assert "Is something wrong in this directory? Tell corrections@gugus-tugas.example.org." in back
    assert "129" in back and "(022) 4231234" in back
    no_contact = dataclasses.replace(view, corrections_contact=None)
    back = flat(pages_text(render_booklet(no_contact, RenderOptions()))[-1])
    assert f"Tell {view.publisher}." in back


# ---------------------------------------------------------------------------------------- services


def service_text(texts: list[str], name: str) -> str:
    joined = flat(" ".join(texts))
    start = joined.index(name + " ")
    end = joined.index("Checked on", start)
    return joined[start:end + 30]


def test_service_block_fields(texts: list[str]) -> None:
    hotline = service_text(texts, "Anti-trafficking hotline Ministry")
    for part in ("Government", "Specialised in helping trafficking victims", "Open 24 hours",
                 "Hotline, 24 hours: 129", "WhatsApp / SMS: 0811-1129-129", "+62 811-1129-129",
                 "Languages spoken: Bahasa Indonesia, English", "Who can use it: Everyone", "Cost: Free",
                 "Checked on 1 September 2026"):
        assert part in hotline, part
    assert hotline.count("129") >= 1
    clinic = service_text(texts, "Women's health clinic")
    for part in ("Low cost", "Free with a referral letter", "You need a referral letter",
                 "Mon-Fri 08:00-16:00", "info@puskesmas-sukajadi.example.org",
                 "https://puskesmas-sukajadi.example.org/layanan", "Jl. Sukajadi No. 12, Bandung"):
        assert part in clinic, part
    shelter = service_text(texts, "Safe house for women and children")
    assert "0 to 60 years" in shelter and "No referral needed" in shelter


def test_short_code_printed_once(texts: list[str]) -> None:
    hotline = service_text(texts, "Anti-trafficking hotline Ministry")
    assert "Hotline, 24 hours: 129 " in hotline
    assert "From abroad: 129" not in flat(" ".join(texts))


def test_confidential_shelter_has_no_address(texts: list[str]) -> None:
    shelter = service_text(texts, "Safe house for women and children")
    assert "Call first; the address is shared only with people who need it" in shelter
    assert "Address:" not in shelter
    assert SECRET_ADDRESS not in flat(" ".join(texts))


def test_temporarily_closed_notice(texts: list[str]) -> None:
    assert "Temporarily closed. Call before you go." in service_text(texts, "Legal aid desk")


def test_hostile_text_prints_literally(texts: list[str], booklet: bytes) -> None:
    everything = flat(" ".join(texts))
    assert HOSTILE in everything
    assert f"LBH {HOSTILE}" in everything


def test_website_has_a_qr_code(booklet: bytes) -> None:
    # The QR code is a vector path of filled rectangles under the website line.
    with pdfplumber.open(io.BytesIO(booklet)) as pdf:
        page = next(p for p in pdf.pages if "puskesmas-sukajadi.example.org/layanan" in (p.extract_text() or ""))
        squares = [r for r in page.rects if r["non_stroking_color"] in ((0,), [0], (0.0,), [0.0], 0, 0.0)]
        assert len(squares) > 100


# ---------------------------------------------------------------------------------------- file properties


def test_metadata_and_language(booklet: bytes, view: DistrictView) -> None:
    reader = PdfReader(io.BytesIO(booklet))
    meta = reader.metadata
    assert meta is not None
    assert meta.title == f"{view.title} \u2014 {view.district}"
    assert meta.author == view.publisher
    assert view.district in (meta.subject or "")
    assert reader.root_object["/Lang"] == "en"
    th = PdfReader(io.BytesIO(render_booklet(sample_view("th"), RenderOptions())))
    assert th.root_object["/Lang"] == "th"


def test_deterministic_bytes(view: DistrictView, booklet: bytes) -> None:
    assert render_booklet(view, RenderOptions()) == booklet


def test_deterministic_across_processes(booklet: bytes, tmp_path: Path) -> None:
    script = (
        "import sys; sys.path[:0] = sys.argv[2:4]\n"
        "from factories import sample_view\n"
        "from directory_builder.render.pdf import render_booklet\n"
        "from directory_builder.render.options import RenderOptions\n"
        "open(sys.argv[1], 'wb').write(render_booklet(sample_view(), RenderOptions()))\n"
    )
    out = tmp_path / "again.pdf"
    src = str(Path(__file__).resolve().parents[1] / "src")
    subprocess.run([sys.executable, "-c", script, str(out), str(Path(__file__).parent), src], check=True)
    assert out.read_bytes() == booklet


def test_page_count(booklet: bytes) -> None:
    assert pdf_page_count(booklet) == len(PdfReader(io.BytesIO(booklet)).pages)
    with pytest.raises(ValueError):
        pdf_page_count(b"not a pdf")


@pytest.mark.parametrize("paper", sorted(PAPERS))
def test_paper_sizes(view: DistrictView, paper: str) -> None:
    data = render_booklet(view, RenderOptions(paper=paper))  # type: ignore[arg-type]
    reader = PdfReader(io.BytesIO(data))
    width, height = PAPERS[paper]
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width, abs=0.5)
        assert float(page.mediabox.height) == pytest.approx(height, abs=0.5)


def test_small_file(booklet: bytes) -> None:
    assert len(booklet) / pdf_page_count(booklet) < 10_000


@pytest.mark.skipif(shutil.which("pdffonts") is None, reason="poppler-utils not installed")
def test_fonts_embedded_and_subset(booklet: bytes, tmp_path: Path) -> None:
    path = tmp_path / "b.pdf"
    path.write_bytes(booklet)
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    rows = [line.split() for line in out.splitlines()[2:] if line.strip()]
    assert rows
    names = {row[0] for row in rows}
    assert any("NotoSans-Regular" in n for n in names) and any("NotoSans-Bold" in n for n in names)
    for row in rows:
        assert re.match(r"^[A-Z]{6}\+NotoSans-", row[0]), row
        emb, sub = row[-5], row[-4]
        assert (emb, sub) == ("yes", "yes"), row


# ---------------------------------------------------------------------------------------- hostile sizes


def test_huge_values_never_break_the_layout(view: DistrictView) -> None:
    long_word = "x" * 5000
    long_url = "https://example.org/" + "a" * 180
    many_phones = tuple(phone(f"(022) 42{i:05d}", f"+62 22 42{i:05d}", f"+622242{i:05d}") for i in range(40))
    words = " ".join(f"word{i}" for i in range(3000))
    monster = service("S-999", "Monster " + long_word, ["legal"], description=words + " THE-END",
                      website=long_url, phones=many_phones, address=long_word,
                      how_to_get_help=long_word, organization="Org " + long_word)
    sections = (*view.sections, CategorySection("documents", (monster,)))
    hotlines = (NamedNumber("Name " + long_word, short("129")), *view.national_hotlines)
    big = dataclasses.replace(view, sections=sections, national_hotlines=hotlines, district="D" + "y" * 300)
    data = render_booklet(big, RenderOptions())
    texts = pages_text(data)
    everything = "".join(" ".join(texts).split())
    assert "THE-END" in everything
    assert "word2999" in everything
    assert "(022)4200039" in everything
    assert long_url in everything  # a long address wraps, but every character is printed
    # The 3000-word description runs over several pages.
    assert sum("word1" in t for t in texts) >= 3


def test_no_services_message(view: DistrictView) -> None:
    empty = dataclasses.replace(view, sections=(), all_district_sections=())
    texts = pages_text(render_booklet(empty, RenderOptions()))
    assert "No services are listed for Kota Bandung yet." in flat(" ".join(texts))  # explained: test_pdf_pages


# ---------------------------------------------------------------------------------------- languages


@pytest.fixture(scope="module")
def thai_booklet() -> bytes:
    return render_booklet(sample_view("th"), RenderOptions())


def test_thai_booklet_prints_thai(thai_booklet: bytes) -> None:
    texts = pages_text(thai_booklet)
    squeezed = "".join(re.sub(r"\s", "", t) for t in texts)
    assert "จังหวัดเชียงใหม่" in squeezed
    with use_language("th"):
        assert pdf_page_count(thai_booklet) > 5


def test_vietnamese_text_extracts_intact(view: DistrictView) -> None:
    name = "Trung tâm hỗ trợ nạn nhân bị mua bán người Đường Nguyễn Huệ ệ ỗ ữ ặ ẫ"
    svc = service("S-VN", name, ["hotline"])
    vi = dataclasses.replace(view, lang="vi", sections=(CategorySection("hotline", (svc,)),))
    assert name in flat(" ".join(pages_text(render_booklet(vi, RenderOptions()))))


def test_template_dir_style_override(view: DistrictView, booklet: bytes, tmp_path: Path) -> None:
    (tmp_path / "pdf").mkdir()
    (tmp_path / "pdf" / "style.yaml").write_text("fonts:\n  body: 14\npaper:\n  a5: {left: 25mm}\n")
    data = render_booklet(view, RenderOptions(template_dirs=(tmp_path,)))
    assert data != booklet
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = next(p for p in pdf.pages if "Human trafficking is when" in (p.extract_text() or ""))
        sizes = {round(c["size"], 1) for c in page.chars}
        assert 14.0 in sizes  # the body size the user file sets
        assert 18.0 in sizes  # a heading size it does not set, from the built-in file
        assert min(c["x0"] for c in page.chars) >= 25 * MM - 1


def iter_lines(data: bytes) -> Iterator[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            for line in page.extract_text_lines():
                yield line["text"]


# ------------------------------------------------------------------------------------------ contents page


def test_a_contents_one_line_too_long_stays_on_one_page() -> None:
    """Jakarta Utara (Bahasa Indonesia) in the example: its contents was one line longer than a page and
    left "Nomor darurat ... 34" alone on page 3. It is now set a little smaller and fits page 2."""
    from directory_builder.check.validate import validate_workbook
    from directory_builder.publish.selection import select

    example = Path(__file__).resolve().parents[1] / "examples" / "jakarta-westjava.xlsx"
    directory = validate_workbook(example).directory
    assert directory is not None
    view = next(v for v in select(directory).views if v.district == "Jakarta Utara" and v.lang == "id")
    with use_language("id"):
        data = render_booklet(view, RenderOptions())
    texts = pages_text(data)
    assert flat(texts[1]).startswith("Daftar isi")
    assert "Nomor darurat" in texts[1]  # the contents' last line, on the contents page
    assert flat(texts[2]).startswith("Cara memakai direktori ini")  # page 3: how to use, as listed
    assert re.search(r"Cara memakai direktori ini[ .]*3\b", flat(texts[1]))
    assert outline_pages(data)["Cara memakai direktori ini"] == 3


def test_only_a_slightly_long_contents_is_shrunk() -> None:
    from reportlab.platypus import KeepInFrame, Spacer

    from directory_builder.render import pdf_booklet
    from directory_builder.render.pdf_kit import get_kit

    builder = pdf_booklet.BookletBuilder.__new__(pdf_booklet.BookletBuilder)
    builder.kit = get_kit("a5")
    builder.width = builder.kit.paper.frame_width
    page = builder.kit.paper.frame_height

    def rows(total: float) -> list[Any]:
        return [Spacer(10, total / 10) for _ in range(10)]

    short = rows(page * 0.8)
    assert builder._fit_one_page(short) == short
    long_by_a_line = builder._fit_one_page(rows(page * 1.04))
    assert len(long_by_a_line) == 1 and isinstance(long_by_a_line[0], KeepInFrame)
    two_pages = rows(page * 1.5)
    assert builder._fit_one_page(two_pages) == two_pages
