"""``translations import``: read a review workbook back, check every row, then write what it says.

Everything is checked before anything is written, and every problem is reported at once, with its cell
(``Translations!D12``), like the workbook validator. Errors write nothing; warnings (a translation much
longer than its English text, an English text that changed since the export) are reported and written.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from directory_builder.i18n import DEFAULT_LANGUAGE, N_, gettext_
from directory_builder.publish.content import FrontMatter
from directory_builder.translations.entries import (
    FRONT_MATTER_PREFIX,
    LANGUAGE_CODE,
    PACKAGE_LOCALES,
    REVIEWED_FLAG,
    Entry,
    all_entries,
    catalog_path,
    english_front_matter,
    front_matter_texts,
    message_key,
    placeholders,
    read_catalog,
    translatable,
)
from directory_builder.translations.sheet import HEADERS, REVIEWED, SHEET, STATUSES
from directory_builder.util.errors import InputError
from directory_builder.util.storage import write_bytes
from directory_builder.util.templates_path import BUILTIN_TEMPLATES
from directory_builder.workbook.reader import check_archive

#: A translation may be this many times longer than its English text (plus ``LENGTH_SLACK`` characters)
#: before it is questioned: Thai or Vietnamese run longer than English, but not three times longer.
LENGTH_FACTOR = 3
LENGTH_SLACK = 20
#: Longer than this is refused: no fixed text of the tool is near it.
MAX_TEXT = 5000

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ImportProblem:
    """One problem of a review workbook: where (``Translations!D12``), what, and what to do."""

    severity: Severity
    where: str
    message: str
    hint: str

    def line(self) -> str:
        """The validator's text form: ``Translations!D12  error  <message>  (<hint>)``."""
        word = gettext_(N_("error") if self.severity == "error" else N_("warning"))
        return f"{self.where}  {word}  {self.message}  ({self.hint})"


@dataclass
class ReviewedTexts:
    """What a review workbook says: the language, each text by key with its status, and its problems."""

    lang: str
    texts: dict[str, tuple[str, bool]] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)

    @property
    def errors(self) -> list[ImportProblem]:
        return [p for p in self.problems if p.severity == "error"]


def read_review(path: Path, template_dirs: Sequence[Path] = ()) -> ReviewedTexts:
    """Read and check ``path``; raises InputError (exit 2) when it is not a readable .xlsx at all."""
    wb = _open(path)
    lang = str(wb.properties.language or "").strip().lower()
    review = ReviewedTexts(lang)
    if SHEET not in wb.sheetnames:
        review.problems.append(_problem("error", f"{SHEET}!A1", N_(
            "The workbook has no sheet named {sheet}."), N_(
            "Use the file made by directory-builder translations export, without renaming its sheets."),
            sheet=SHEET))
        return review
    rows = list(wb[SHEET].iter_rows(values_only=True))
    known = _known_entries(lang, template_dirs, review)
    if known is None:
        return review
    header = tuple(_text(v) for v in (rows[0] if rows else ())[:len(HEADERS)])
    if header != HEADERS:
        review.problems.append(_problem("error", f"{SHEET}!A1", N_(
            "The first row of the sheet must be: {headers}."), N_(
            "Do not add, remove or move columns; export the file again if needed."),
            headers=", ".join(HEADERS)))
        return review
    for number, row in enumerate(rows[1:], start=2):
        _check_row(review, number, tuple(_text(v) for v in (*row, *[None] * len(HEADERS))[:len(HEADERS)]), known)
    return review


def _open(path: Path) -> Any:
    from openpyxl import load_workbook

    check_archive(path)  # size and zip-bomb limits, as for any workbook
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for broken files
        raise InputError(gettext_(N_(
            "The workbook '{path}' could not be read ({reason}). Open it in Excel or LibreOffice and save it "
            "again as .xlsx.")).format(path=path, reason=type(exc).__name__)) from exc


def _known_entries(lang: str, template_dirs: Sequence[Path], review: ReviewedTexts) -> dict[str, Entry] | None:
    if not LANGUAGE_CODE.match(lang) or lang == DEFAULT_LANGUAGE or not catalog_path(lang, template_dirs).is_file():
        review.problems.append(_problem("error", f"{SHEET}!A1", N_(
            "This file does not say which language it holds ('{lang}')."), N_(
            "Use the file made by directory-builder translations export --lang CODE."), lang=lang))
        return None
    return {entry.key: entry for entry in all_entries(lang, template_dirs)}


def _check_row(review: ReviewedTexts, number: int, cells: tuple[str, ...], known: dict[str, Entry]) -> None:
    key, _where, source, text, status, _marks = (cells[0].strip(), *cells[1:4], cells[4].strip(), cells[5])
    if not any(cells):
        return  # an empty row: nothing to say
    cell = f"{SHEET}!{{}}{number}"
    entry = known.get(key)
    if entry is None:
        review.problems.append(_problem("error", cell.format("A"), N_(
            "'{key}' is not a text of directory-builder."), N_(
            "Do not change column A or add rows; export the file again and copy your translations into it."),
            key=key))
        return
    if key in review.texts:
        review.problems.append(_problem("error", cell.format("A"), N_(
            "The text '{key}' appears twice."), N_("Delete one of the two rows."), key=key))
        return
    before = len(review.errors)
    if source != entry.source:
        review.problems.append(_problem("warning", cell.format("C"), N_(
            "The English text changed since this file was made."), N_(
            "Check that the translation still says the same as the English text now: {source}"),
            source=entry.source))
    if not text:
        review.problems.append(_problem("error", cell.format("D"), N_(
            "The translation is empty."), N_("Write the translation, or copy the English text if it stays the same.")))
    elif placeholders(text) != entry.placeholders:
        review.problems.append(_problem("error", cell.format("D"), N_(
            "The words in braces must be the same as in the English text: {expected}."), N_(
            "Copy them exactly as they are in column C; they are replaced by a name, a number or a date."),
            expected=" ".join(entry.placeholders) or "-"))
    elif len(text) > MAX_TEXT:
        review.problems.append(_problem("error", cell.format("D"), N_(
            "The translation is longer than {limit} characters."), N_("Shorten it."), limit=str(MAX_TEXT)))
    elif len(text) > LENGTH_FACTOR * len(entry.source) + LENGTH_SLACK:
        review.problems.append(_problem("warning", cell.format("D"), N_(
            "The translation is much longer than the English text."), N_(
            "Check that it translates only this text; long labels may not fit on the page.")))
    if status not in STATUSES:
        review.problems.append(_problem("error", cell.format("E"), N_(
            "The status must be draft or reviewed."), N_("Choose one from the list in the cell.")))
    if len(review.errors) == before:
        review.texts[key] = (text, status == REVIEWED)


def _problem(severity: Severity, where: str, message: str, hint: str, **params: str) -> ImportProblem:
    return ImportProblem(severity, where, gettext_(message).format(**params), gettext_(hint).format(**params))


def _text(value: object) -> str:
    """A cell as text, spaces kept (a message may end with one); only spaces is empty."""
    text = "" if value is None else str(value)
    return text if text.strip() else ""


# ----------------------------------------------------------------------------------------------- writing


@dataclass(frozen=True)
class Written:
    catalog: Path
    front_matter: Path
    reviewed: int
    drafts: int


def write_review(review: ReviewedTexts, *, into: Path | None, template_dirs: Sequence[Path] = ()) -> Written:
    """Write the catalog and the front matter of ``review.lang``: into a ``--template-dir`` folder
    (``into``), or over the project's own files. Texts the workbook does not have keep their current state."""
    lang = review.lang
    catalog = read_catalog(catalog_path(lang, (*([into] if into else []), *template_dirs)))
    reviewed = drafts = 0
    for msgid, message in translatable(catalog):
        found = review.texts.get(message_key(msgid))
        is_reviewed = found[1] if found else REVIEWED_FLAG in message.flags
        if found:
            message.string = found[0]
        _set_reviewed(message.flags, is_reviewed)
        reviewed, drafts = reviewed + is_reviewed, drafts + (not is_reviewed)
    current = {e.key: e for e in all_entries(lang, (*([into] if into else []), *template_dirs))}
    front, fm_reviewed, fm_drafts = _front_matter(lang, review.texts, current)
    po_path = (into / "locales" if into else PACKAGE_LOCALES) / lang / "LC_MESSAGES" / "messages.po"
    fm_path = (into if into else BUILTIN_TEMPLATES) / "content" / lang / "frontmatter.yaml"
    write_bytes(po_path, _po_bytes(catalog))
    mo_path = po_path.with_suffix(".mo")
    if mo_path.exists():  # an installed copy reads the compiled catalog: keep it in step
        write_bytes(mo_path, _mo_bytes(catalog))
    write_bytes(fm_path, front)
    return Written(po_path, fm_path, reviewed + fm_reviewed, drafts + fm_drafts)


def _set_reviewed(flags: set[str], reviewed: bool) -> None:
    if reviewed:
        flags.add(REVIEWED_FLAG)
    else:
        flags.discard(REVIEWED_FLAG)


def _po_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_po(buf, catalog, width=110)  # as scripts/i18n.py writes it: a later update changes nothing
    return buf.getvalue()


def _mo_bytes(catalog: Catalog) -> bytes:
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    return buf.getvalue()


def _front_matter(lang: str, texts: dict[str, tuple[str, bool]], current: dict[str, Entry]) -> tuple[bytes, int, int]:
    """The front-matter file: the English file's layout, each text from the workbook or kept as it was."""
    english = english_front_matter()
    chosen: dict[str, str] = {}
    reviewed: list[str] = []
    for place, source in front_matter_texts(english).items():
        key = FRONT_MATTER_PREFIX + place
        kept = current.get(key)
        text, is_reviewed = texts.get(key, (kept.translation if kept else "", bool(kept and kept.reviewed)))
        chosen[place] = text or source
        if is_reviewed:
            reviewed.append(place)
    needs_review = len(reviewed) < len(chosen)
    data: dict[str, Any] = {"language": lang, "needs_review": needs_review}
    if needs_review:
        data["reviewed"] = reviewed
    data["how_to_use"] = [chosen[f"how_to_use.{i}"] for i in range(len(english.how_to_use))]
    data["sections"] = [{"id": s.id, "title": chosen[f"{s.id}.title"],
                         "blocks": list(_blocks(s.id, s.blocks, chosen))} for s in english.sections]
    FrontMatter.model_validate(data)  # the file this writes must load
    header = ("# Front matter written by 'directory-builder translations import'. Same layout as\n"
              "# content/en/frontmatter.yaml; 'reviewed' lists the texts a reviewer has checked.\n")
    body = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100000)
    return (header + body).encode("utf-8"), len(reviewed), len(chosen) - len(reviewed)


def _blocks(section: str, blocks: Sequence[Any], chosen: dict[str, str]) -> Iterator[dict[str, Any]]:
    for b, block in enumerate(blocks):
        place = f"{section}.{b}"
        if block.kind == "paragraph":
            yield {"paragraph": chosen[place]}
        elif block.kind == "list":
            yield {"list": [chosen[f"{place}.{i}"] for i in range(len(block.items))]}
        elif block.kind == "story":
            yield {"story": {"title": chosen[f"{place}.title"], "text": chosen[f"{place}.text"]}}
        else:
            yield {"qa": {"q": chosen[f"{place}.q"], "a": chosen[f"{place}.a"]}}
