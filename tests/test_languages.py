"""Five languages end to end: the example built in en, id, ms, vi and th, PDF and HTML.

Each output's fixed labels must be in its own language: no English label left in a Thai booklet outside
workbook values. Workbook text missing in a language falls back to the default language (Indonesian here).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from openpyxl import load_workbook
from pypdf import PdfReader

from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.columns import SERVICES_COLUMNS, column_by_key
from directory_builder.i18n import SHIPPED_LANGUAGES, gettext_
from directory_builder.publish.labels import FIELD_LABELS
from directory_builder.vocab import CATEGORIES

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "jakarta-westjava.xlsx"
DISTRICT = "Kabupaten Cianjur"

#: Fixed labels that every booklet and page of the example shows (no placeholders, not workbook values).
LABELS = [*(column_by_key(SERVICES_COLUMNS, k).output_label for k in ("description", "beneficiaries", "cost",
                                                                      "how_to_get_help")),
          *(FIELD_LABELS[k] for k in ("emergency_numbers", "all_districts"))]
CATEGORY_LABELS = [CATEGORIES.term(code).label for code in ("shelter", "medical", "legal")]


def _norm(text: str) -> str:
    """Compare text the way a reader sees it: NFKD, no spaces or zero-width characters (PDF extraction of
    Thai puts spaces around marks and splits sara am)."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "\u200b\u00ad").casefold()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("langs")
    workbook = tmp / "five.xlsx"
    wb = load_workbook(EXAMPLE)
    ws = wb["Directory"]
    for row in ws.iter_rows(min_row=1):
        if row[0].value and str(row[0].value).strip().rstrip("*").strip() == "Languages":
            row[1].value = "id, en, ms, vi, th"
    wb.save(workbook)
    result = build_directory(workbook, BuildOptions(out=tmp / "out", districts=(DISTRICT,), jobs=1),
                             today=dt.date(2026, 4, 1))
    assert result.built and not result.failures, result.failures
    warnings = {p.code for p in result.validation.warnings}
    assert "missing-translation" in warnings  # workbook text has no ms/vi/th: it falls back, with a warning
    return tmp / "out"


def _pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _html_text(path: Path) -> tuple[str, str]:
    soup = BeautifulSoup(path.read_bytes(), "html.parser")
    return soup.get_text(" "), str(soup.html.get("lang") if soup.html else "")


@pytest.mark.parametrize("lang", SHIPPED_LANGUAGES)
def test_fixed_labels_are_in_the_outputs_language(built: Path, lang: str) -> None:
    pdf = _norm(_pdf_text(built / lang / "kabupaten-cianjur.pdf"))
    card = _norm(_pdf_text(built / lang / "kabupaten-cianjur.card.pdf"))
    html, html_lang = _html_text(built / lang / "kabupaten-cianjur.html")
    html = _norm(html)
    assert html_lang == lang
    for msgid in LABELS + CATEGORY_LABELS:
        translated = _norm(gettext_(msgid, lang))
        assert translated in pdf, (lang, msgid, "PDF")
        assert translated in html, (lang, msgid, "HTML")
        if lang != "en" and _norm(msgid) != translated:
            assert _norm(msgid) not in pdf, (lang, msgid, "English label left in the PDF")
            assert _norm(msgid) not in html, (lang, msgid, "English label left in the page")
    assert _norm(gettext_(FIELD_LABELS["card_title"], lang)) in card


@pytest.mark.parametrize("lang", ["ms", "vi", "th"])
def test_missing_workbook_translations_fall_back_to_the_default_language(built: Path, lang: str) -> None:
    html, _ = _html_text(built / lang / "kabupaten-cianjur.html")
    assert "Rumah aman untuk perempuan" in html  # the Indonesian service name: no ms/vi/th text in the workbook


def test_front_matter_is_in_each_language(built: Path) -> None:
    from directory_builder.publish.content import load_front_matter

    for lang in SHIPPED_LANGUAGES:
        first_title = load_front_matter(lang).sections[0].title
        assert _norm(first_title) in _norm(_pdf_text(built / lang / "kabupaten-cianjur.pdf")), lang
