"""--neutral-title: no title a stranger could see names trafficking, in any of the five languages.

Each output is parsed: the PDFs' properties (Title, Subject, Keywords, Author, Creator) and the booklet's
cover, the web pages' <title> and visible heading, the index's title and headings, the manifest and the
file names. Without the option the same places do name it, so these tests can fail.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader

from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.check.validate import validate_workbook
from directory_builder.i18n import gettext_
from directory_builder.publish.neutral import DEFAULT_NEUTRAL_TITLE, mentions_trafficking
from workbook_factory import make_workbook, service

WORDS = ("traffick", "perdagangan orang", "pemerdagangan", "buôn bán người", "ค้ามนุษย์")

TITLES = {
    "en": "Directory of Services for Trafficking Victims",
    "id": "Direktori Layanan untuk Korban Perdagangan Orang",
    "ms": "Direktori Perkhidmatan untuk Mangsa Pemerdagangan Orang",
    "vi": "Danh bạ dịch vụ cho nạn nhân buôn bán người",
    "th": "สมุดรายชื่อบริการสำหรับผู้เสียหายจากการค้ามนุษย์",
}
PUBLISHER = "Anti-Trafficking Task Force"


def _says_it(text: str) -> bool:
    low = text.casefold()
    return any(word in low for word in WORDS)


def _build(tmp_path: Path, lang: str, neutral: bool, monkeypatch: pytest.MonkeyPatch,
           settings: dict[str, object] | None = None) -> Path:
    monkeypatch.setenv("DIRECTORY_BUILDER_CACHE_DIR", str(tmp_path / "cache"))
    path = make_workbook(tmp_path / f"{lang}.xlsx", [service(description="Kami membantu.")],
                         districts=["Jakarta Pusat"],
                         settings={"Languages": lang, "Title": TITLES[lang], "Publisher": PUBLISHER, **(settings or {})})
    out = tmp_path / ("neutral" if neutral else "plain") / lang
    result = build_directory(path, BuildOptions(out=out, neutral_title=neutral, jobs=1))
    assert result.built and not result.failures, [p.to_dict() for p in result.validation.errors]
    return out


def _titles(out: Path) -> list[str]:
    """Every title a stranger could see, from every output of the build."""
    seen: list[str] = [str(p.relative_to(out)) for p in out.rglob("*")]  # file names
    seen.append((out / "manifest.json").read_text(encoding="utf-8"))
    for pdf in out.rglob("*.pdf"):
        reader = PdfReader(io.BytesIO(pdf.read_bytes()))
        meta = reader.metadata or {}
        seen += [str(meta.get(key, "")) for key in ("/Title", "/Subject", "/Keywords", "/Author", "/Creator")]
        if not pdf.name.endswith(".card.pdf"):
            seen.append(reader.pages[0].extract_text())  # the booklet's cover
        else:
            seen += [page.extract_text() for page in reader.pages]  # the pocket card, both sides
    for html in out.rglob("*.html"):
        soup = BeautifulSoup(html.read_bytes(), "html.parser")
        assert soup.title is not None
        seen.append(soup.title.get_text())
        seen += [h.get_text() for h in soup.find_all("h1")]
        if html.name == "index.html":
            seen += [h.get_text() for h in soup.find_all(["h2", "h3", "h4"])]
            seen += [f.get_text() for f in soup.find_all("footer")]
    return seen


@pytest.mark.parametrize("lang", sorted(TITLES))
def test_neutral_title_reaches_every_title(tmp_path: Path, lang: str, monkeypatch: pytest.MonkeyPatch) -> None:
    plain = _titles(_build(tmp_path, lang, False, monkeypatch))
    assert any(_says_it(t) for t in plain)  # without the option the subject is in the titles

    out = _build(tmp_path, lang, True, monkeypatch)
    titles = _titles(out)
    leaks = [t for t in titles if _says_it(t)]
    assert leaks == []
    neutral = gettext_(DEFAULT_NEUTRAL_TITLE, lang)
    page = BeautifulSoup((out / lang / "jakarta-pusat.html").read_bytes(), "html.parser")
    assert page.title is not None and page.title.get_text() == f"{neutral} – Jakarta Pusat"
    assert page.h1 is not None and page.h1.get_text() == neutral
    index = BeautifulSoup((out / "index.html").read_bytes(), "html.parser")
    assert index.title is not None and index.title.get_text() == neutral
    meta = PdfReader(out / lang / "jakarta-pusat.pdf").metadata
    assert meta is not None and meta.title == f"{neutral} — Jakarta Pusat"


def test_neutral_title_setting_is_used_per_language(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = _build(tmp_path, "en", True, monkeypatch, settings={"Neutral title": "Community contacts"})
    page = BeautifulSoup((out / "en" / "jakarta-pusat.html").read_bytes(), "html.parser")
    assert page.title is not None and page.title.get_text() == "Community contacts – Jakarta Pusat"
    meta = PdfReader(out / "en" / "jakarta-pusat.pdf").metadata
    assert meta is not None and meta.title == "Community contacts — Jakarta Pusat"
    assert not meta.author  # 'Anti-Trafficking Task Force' is left out of the properties


def test_a_neutral_title_that_names_trafficking_is_an_error(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "w.xlsx", [service()],
                         settings={"Languages": "en, id", "Neutral title (id)": "Bantuan korban perdagangan  orang"})
    result = validate_workbook(path)
    problems = [p for p in result.errors if p.code == "title-not-neutral"]
    assert len(problems) == 1 and problems[0].where.startswith("Directory!B"), [p.to_dict() for p in result.problems]


@pytest.mark.parametrize("lang", sorted(TITLES))
def test_the_default_neutral_title_is_translated_and_neutral(lang: str) -> None:
    text = gettext_(DEFAULT_NEUTRAL_TITLE, lang)
    assert text and not mentions_trafficking(text)
    assert lang == "en" or text != DEFAULT_NEUTRAL_TITLE


def test_mentions_trafficking_sees_through_case_width_and_invisible_characters() -> None:
    assert mentions_trafficking("ANTI-TRAFFICKING") and mentions_trafficking("Perdagangan\u200b  Orang")
    assert mentions_trafficking("Ｔｒａｆｆｉｃｋｉｎｇ") and mentions_trafficking(TITLES["th"])
    assert not mentions_trafficking("Useful services") and not mentions_trafficking("Perdagangan")
