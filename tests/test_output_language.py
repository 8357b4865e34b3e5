"""Nothing printed in the wrong language (issue 14): every word of every output is in the output's language.

The example (Indonesian and English) and a small Malay, Vietnamese and Thai workbook are built; every
text of the web page, booklet and pocket card (HTML strings, pdfplumber lines) must be the tool's own text
in that language or the workbook's text for that language (tests/output_language.py says exactly what
counts). "Police" on an Indonesian page, or the Indonesian edition on the English one, fails.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from directory_builder.build.runner import BuildOptions, build_directory
from output_language import html_texts, leftovers, pdf_texts, tool_texts, workbook_texts
from workbook_factory import make_workbook, service

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "jakarta-westjava.xlsx"
TODAY = dt.date(2026, 4, 1)

TEXT = {  # careful drafts, as staff in each country would type them
    "service_name": {"ms": "Rumah perlindungan wanita", "vi": "Nhà tạm lánh cho phụ nữ",
                     "th": "บ้านพักฉุกเฉินสำหรับผู้หญิง"},
    "description": {"ms": "Kami memberi tempat tinggal yang selamat.", "vi": "Chúng tôi cho bạn một nơi ở an toàn.",
                    "th": "เราให้ที่พักที่ปลอดภัยแก่คุณ"},
    "how_to_get_help": {"ms": "Telefon dahulu.", "vi": "Hãy gọi điện trước.", "th": "โทรหาเราก่อน"},
}
SETTINGS = {
    "Title": {"ms": "Direktori Perkhidmatan", "vi": "Danh bạ dịch vụ", "th": "สมุดรายชื่อบริการ"},
    "Country": "MY",
    "Languages": "ms, vi, th",
    "Edition": {"ms": "Edisi pertama", "vi": "Ấn bản đầu tiên", "th": "ฉบับแรก"},
    "Published": "5 Mac 2026",  # a date with a month name, as a Malaysian officer types it
    "Publisher": {"ms": "Rangkaian Contoh", "vi": "Mạng lưới Ví dụ", "th": "เครือข่ายตัวอย่าง"},
    # Only the Malay names: the well-known services are named in Vietnamese and Thai by the tool.
    "National hotlines": {"ms": "Polis: 999; Bomba: 994"},
}
DISTRICT = {"district": "Kuala Lumpur", "province": "Wilayah Persekutuan",
            "emergency": {"ms": "Polis (IPD): 03 2615 5555; Talian komuniti: 03 2615 5556",
                          "vi": "Công an (IPD): 03 2615 5555; Đường dây cộng đồng: 03 2615 5556",
                          "th": "ตำรวจ (IPD): 03 2615 5555; สายด่วนชุมชน: 03 2615 5556"}}


def _build(workbook: Path, out: Path, district: str) -> Path:
    result = build_directory(workbook, BuildOptions(out=out, districts=(district,), jobs=1), today=TODAY)
    assert result.built and not result.failures, result.failures
    assert not result.validation.errors, [p.message() for p in result.validation.errors]
    return out


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(EXAMPLE, tmp_path_factory.mktemp("example") / "out", "Jakarta Pusat")


@pytest.fixture(scope="module")
def three_languages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("msvith")
    workbook = make_workbook(
        tmp / "msvith.xlsx",
        services=[service(organization="Pertubuhan Contoh", district="Kuala Lumpur", phone="03 2615 5557",
                          address="Jalan Contoh 1, 50000 Kuala Lumpur", hours=None, **TEXT)],
        districts=[DISTRICT], settings=SETTINGS)
    return workbook, _build(workbook, tmp / "out", "Kuala Lumpur")


def _wrong_words(workbook: Path, out: Path, lang: str) -> dict[str, list[str]]:
    known = tool_texts(lang) | workbook_texts(workbook, lang)
    found = {}
    for path in sorted((out / lang).iterdir()):
        data = path.read_bytes()
        shown = html_texts(data) if path.suffix == ".html" else pdf_texts(data)
        assert shown, path
        found[path.name] = leftovers(shown, known)
    assert set(found) >= {"jakarta-pusat.html", "jakarta-pusat.pdf", "jakarta-pusat.card.pdf"} or \
        set(found) >= {"kuala-lumpur.html", "kuala-lumpur.pdf", "kuala-lumpur.card.pdf"}, found
    return {name: words for name, words in found.items() if words}


@pytest.mark.parametrize("lang", ["id", "en"])
def test_the_example_prints_only_its_language(example_out: Path, lang: str) -> None:
    assert _wrong_words(EXAMPLE, example_out, lang) == {}


@pytest.mark.parametrize("lang", ["ms", "vi", "th"])
def test_a_malay_vietnamese_thai_directory_prints_only_its_language(three_languages: tuple[Path, Path],
                                                                     lang: str) -> None:
    workbook, out = three_languages
    assert _wrong_words(workbook, out, lang) == {}


def test_the_check_finds_an_english_name_on_an_indonesian_page(tmp_path: Path) -> None:
    """The check itself can fail: staff's English 'Police' in the Indonesian cell is not Indonesian text."""
    workbook = make_workbook(tmp_path / "w.xlsx", settings={"Languages": "id", "National hotlines": "Police: 110"})
    page = b"<html lang='id'><body><h2>Nomor darurat</h2><p>Police: 110</p><p>Polisi: 110</p></body></html>"
    assert leftovers(html_texts(page), tool_texts("id") | workbook_texts(workbook, "id")) == ["police"]
