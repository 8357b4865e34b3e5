"""Find every word in an output that is neither the tool's own text in that language nor the workbook's.

The tool's own text in a language: that language's catalog translations (never the English msgid a missing
translation falls back to), its front matter, Babel's month names and language names, and the well-known
emergency services' names in that language. The workbook's text: the cells of that language's columns and
rows, and the cells that are not translatable (names, addresses, phones). What is left after taking all of
them out of the output's text must be nothing but digits, punctuation and the few allowed strings below.

Texts are compared without spaces, case or soft breaks (PDF text extraction puts spaces inside Thai words).
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pdfplumber
import yaml
from babel import Locale
from babel.dates import get_day_names, get_era_names, get_month_names
from babel.messages.pofile import read_po
from bs4 import BeautifulSoup
from openpyxl import load_workbook

from directory_builder.columns import DISTRICTS_COLUMNS, SERVICES_COLUMNS, SETTINGS, HxlTag
from directory_builder.i18n import SHIPPED_LANGUAGES
from directory_builder.i18n.emergency import known_services, recognise
from directory_builder.util.templates_path import BUILTIN_TEMPLATES

SRC = Path(__file__).resolve().parent.parent / "src" / "directory_builder"

#: Strings any output may show whatever its language. Keep this tiny; say why for each.
ALLOWED: tuple[str, ...] = (
    "directory-builder",  # the tool's name, in the PDF producer line and the page footer
)

_PLACEHOLDER = re.compile(r"\{[^{}]*\}|%\([^)]*\)s|%s|%d")
_URL_OR_EMAIL = re.compile(r"(?:https?://|www\.)\S+|\S+@\S+\.\S+", re.IGNORECASE)
_SEPARATOR = "\u2063"  # put where a known text was taken out, so that two leftovers never join into one


def norm(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch not in "\u200b\u00ad\u2060").casefold()


def catalog_texts(lang: str) -> set[str]:
    """The catalog's translations in ``lang`` (for English, the msgids), cut at their placeholders."""
    if lang == "en":
        po = SRC / "locales" / "messages.pot"
    else:
        po = SRC / "locales" / lang / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    texts: set[str] = set()
    for message in catalog:
        if not message.id:
            continue
        values: Iterable[Any] = message.id if lang == "en" else message.string
        for value in (values if isinstance(values, tuple | list) else [values]):
            texts.update(piece for piece in _PLACEHOLDER.split(str(value or "")) if piece.strip())
    return texts


def _strings(node: Any) -> Iterable[str]:
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)


def tool_texts(lang: str) -> set[str]:
    """Everything the tool itself may print in ``lang``."""
    texts = catalog_texts(lang)
    front = BUILTIN_TEMPLATES / "content" / lang / "frontmatter.yaml"
    texts.update(_strings(yaml.safe_load(front.read_text(encoding="utf-8"))))
    for width in ("wide", "abbreviated"):
        texts.update(get_month_names(width, locale=lang).values())
        texts.update(get_day_names(width, locale=lang).values())
    texts.update(get_era_names("abbreviated", locale=lang).values())
    for other in SHIPPED_LANGUAGES:  # the language switcher: each language's own name and its name in lang
        texts.add(Locale.parse(other).get_display_name(other) or other)
        texts.add(Locale.parse(other).get_display_name(lang) or other)
    texts.update(Locale.parse(lang).languages.values())  # "Languages spoken" are printed with Babel's names
    for service in known_services():
        texts.update(service.names.get(lang, ()))
    return texts


def workbook_texts(path: Path, lang: str) -> set[str]:
    """The workbook's cells a ``lang`` output may show, read by the contract (docs/columns.md).

    A translatable column or setting holds text in the language of its suffix; without one, in the main
    (first) language. Other cells (names, addresses) are the same in every language. A well-known emergency
    service's name ("Police") is the tool's to translate: it counts only where it is that language's name.
    """
    wb = load_workbook(path, read_only=True, data_only=True)
    cells: list[tuple[bool, str | None, Any]] = []  # (translatable, language suffix, value)
    columns = {HxlTag.parse(c.hxl).key: c for c in (*SERVICES_COLUMNS, *DISTRICTS_COLUMNS)}  # type: ignore[union-attr]
    main = "en"
    for ws in wb.worksheets:
        rows = list(ws.iter_rows(values_only=True))
        tags = [HxlTag.parse(str(v)) if v else None for v in rows[1]] if len(rows) > 1 else []
        if any(t is not None and t.key in columns for t in tags):
            for row in rows[2:]:
                cells += [(columns[t.key].translatable, t.lang, v) for t, v in zip(tags, row, strict=False)
                          if t is not None and t.key in columns and v is not None]
            continue
        for row in rows:
            if len(row) < 2 or row[0] is None or row[1] is None:
                continue
            label = str(row[0]).rstrip("* ").strip()
            suffix = re.search(r"\((\w{2,3})\)$", label)
            base = label[: suffix.start()].strip() if suffix else label
            setting = next((s for s in SETTINGS if s.label == base), None)
            if setting is not None and setting.key == "languages":
                main = re.split(r"[,;\s]+", str(row[1]).strip())[0].lower()
            cells.append((bool(setting and setting.translatable), suffix.group(1) if suffix else None, row[1]))
    wb.close()
    texts: set[str] = set()
    for translatable, suffix, value in cells:
        if not translatable or (suffix or main) == lang:
            texts.update(piece for piece in _cell_texts(value) if _may_show(piece, lang))
    return texts


def _may_show(piece: str, lang: str) -> bool:
    found = recognise(piece.strip())
    return found is None or piece.strip()[: len(piece.strip()) - len(found[1])].casefold() in {
        n.casefold() for n in found[0].names.get(lang, ())}


def _cell_texts(value: Any) -> list[str]:
    """A cell's text, and its pieces: a list cell ("a; b") and a "Name: number; Name: number" cell are printed
    piece by piece, and the names of such a cell only count one by one (see ``_may_show``)."""
    text = str(value)
    if re.search(r":\s*[+(]?\d", text):
        return [p for p in re.split(r"[;:\n]", text) if p.strip()]
    return [text, *(p for p in re.split(r"[;\n]", text) if p.strip())]


def html_texts(data: bytes) -> list[str]:
    soup = BeautifulSoup(data, "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    texts = [s for s in soup.find_all(string=True) if s.strip()]
    for tag in soup.find_all(True):
        for attr in ("alt", "title", "aria-label", "placeholder"):
            if tag.get(attr):
                texts.append(tag[attr])
        if tag.name == "meta" and tag.get("name") in ("description", "application-name") and tag.get("content"):
            texts.append(tag["content"])
    return [str(t) for t in texts]


def pdf_texts(data: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = [line["text"] for page in pdf.pages for line in page.extract_text_lines()]
        meta = [str(v) for k, v in (pdf.metadata or {}).items() if k in ("Title", "Subject", "Author")]
    return lines + meta


def _words(text: str) -> list[str]:
    """The words of ``text`` in a script with spaces, case-folded; Thai is compared as runs (see below)."""
    return [w.casefold() for w in _WORD.findall(unicodedata.normalize("NFKC", text))]


def _thai_runs(text: str) -> list[str]:
    """Thai text without the spaces PDF extraction puts inside words, cut at anything not Thai."""
    joined = re.sub(r"(?<=[\u0e00-\u0e7f])\s+(?=[\u0e00-\u0e7f])", "", unicodedata.normalize("NFKC", text))
    return [r for r in _THAI_RUN.findall(joined) if _THAI_LETTER.search(r)]


def _thai_letters(text: str) -> str:
    """Thai without spaces and marks: PDF text extraction moves tone marks and splits sara am."""
    return "".join(ch for ch in norm(unicodedata.normalize("NFKD", text)) if unicodedata.category(ch) != "Mn")


def _is_known_thai(run: str, texts: list[str], corpus: str) -> bool:
    """A run of Thai is known when it is part of a known text, or made of known texts and such parts
    (a workbook value next to a catalog phrase: "ฉบับแรก จัดพิมพ์เมื่อ")."""
    if run in corpus:
        return True
    for text in texts:
        run = run.replace(text, _SEPARATOR)
    return all(piece in corpus for piece in run.split(_SEPARATOR) if _THAI_LETTER.search(piece))


def leftovers(shown: Iterable[str], known: Iterable[str]) -> list[str]:
    """The words of ``shown`` that no ``known`` text has, once URLs, emails and numbers are taken out.

    Words of scripts written with spaces must each be a word of a known text; a run of Thai (written
    without spaces) must be part of a known Thai text.
    """
    known = [*known, *ALLOWED]
    known_words = {w for k in known for w in _words(k)}
    thai_texts = sorted({_thai_letters(k) for k in known if _THAI_LETTER.search(k)} - {""}, key=len, reverse=True)
    thai = _SEPARATOR.join(thai_texts)
    left: set[str] = set()
    for text in shown:
        text = _URL_OR_EMAIL.sub(" ", text)
        left.update(w for w in _words(_THAI_RUN.sub(" ", text)) if w not in known_words)
        left.update(run for run in _thai_runs(text) if not _is_known_thai(_thai_letters(run), thai_texts, thai))
    return sorted(left)


_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")
_THAI_RUN = re.compile(r"[\u0e00-\u0e7f]+")
_THAI_LETTER = re.compile(r"[\u0e01-\u0e2e]")
