"""Every fixed text of one language, as rows a translator can review, and where their status is kept.

Status: a text is a *draft* until a reviewer says otherwise, so a message added later and translated by
an engineer is a draft by itself, without anyone remembering to mark it.

- Catalog messages: a gettext flag ``reviewed`` on the entry (``#, reviewed``). Babel keeps flags when
  ``scripts/i18n.py update`` merges the template, and the flag is not ``fuzzy``, so
  ``scripts/i18n.py check`` does not count drafts as problems and compiled catalogs use every entry.
- Front matter: ``needs_review: false`` means every text of the file is reviewed; with
  ``needs_review: true`` only the keys listed under ``reviewed:`` are.

English is the source language: its texts are never drafts and are not exported.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from directory_builder.i18n import DEFAULT_LANGUAGE
from directory_builder.publish.content import FrontMatter, load_front_matter
from directory_builder.util.templates_path import BUILTIN_TEMPLATES, find_template

#: The gettext flag of a reviewed catalog entry.
REVIEWED_FLAG = "reviewed"
MESSAGE_PREFIX = "message:"
FRONT_MATTER_PREFIX = "frontmatter:"
#: ``{name}`` (the tool's own) and ``%(name)s`` (typer/click's) placeholders.
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}|%\([A-Za-z_][A-Za-z0-9_]*\)[sdr]")

#: A language code as catalog folders are named (``th``, ``pt_BR``): never a path.
LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:_[A-Z]{2})?$")

#: The project's own catalogs (a checkout's or an installed copy's).
PACKAGE_LOCALES = Path(__file__).resolve().parents[1] / "locales"


@dataclass(frozen=True)
class Entry:
    """One fixed text: ``key`` is stable across exports (a hash of the message, or the text's place)."""

    key: str
    source: str
    translation: str
    where: str
    reviewed: bool

    @property
    def placeholders(self) -> tuple[str, ...]:
        return placeholders(self.source)


def placeholders(text: str) -> tuple[str, ...]:
    """The placeholders of ``text``, sorted, each as often as it appears."""
    return tuple(sorted(PLACEHOLDER.findall(text)))


# ---------------------------------------------------------------------------------------------- catalog


def message_key(msgid: str) -> str:
    """A short key that stays the same while the English text does."""
    return MESSAGE_PREFIX + hashlib.sha256(msgid.encode("utf-8")).hexdigest()[:12]


def catalog_path(lang: str, template_dirs: Sequence[Path] = ()) -> Path:
    """The catalog a build in ``lang`` uses: a template folder's ``locales/`` first, then the project's.

    ``lang`` comes from a file someone sent (the review workbook's properties): anything but a language
    code is refused here, so it never becomes a path that leaves the folder.
    """
    if not LANGUAGE_CODE.match(lang):
        raise ValueError(f"not a language code: {lang!r}")
    for folder in template_dirs:
        candidate = Path(folder) / "locales" / lang / "LC_MESSAGES" / "messages.po"
        if candidate.is_file():
            return candidate
    return PACKAGE_LOCALES / lang / "LC_MESSAGES" / "messages.po"


def read_catalog(path: Path) -> Catalog:
    return read_po(io.BytesIO(path.read_bytes()))


def translatable(catalog: Catalog) -> Iterator[tuple[str, Message]]:
    """The entries with a single (non-plural) English text, with that text; the header is not one."""
    for message in catalog:
        if message.id and isinstance(message.id, str):
            yield message.id, message


#: Who reads a message, by the folder it comes from: a translator does the victims' texts first.
#: (Plain English like the sheet's source column; the first matching prefix wins.)
AREAS: tuple[tuple[str, str], ...] = (
    ("templates/html/", "web page (victims)"),
    ("templates/report/", "staff report"),
    ("src/directory_builder/publish/", "booklet, web page, card (victims)"),
    ("src/directory_builder/render/", "booklet, web page, card (victims)"),
    ("src/directory_builder/outputs/", "index page (victims)"),
    ("src/directory_builder/vocab.py", "workbook lists and outputs (staff, victims)"),
    ("src/directory_builder/columns.py", "workbook columns and outputs (staff, victims)"),
    ("src/directory_builder/i18n/emergency.py", "emergency numbers (victims)"),
    ("src/directory_builder/check/", "workbook checks (staff)"),
    ("src/directory_builder/workbook/", "Excel workbook (staff)"),
    ("src/directory_builder/lifecycle/", "changes and staff report"),
    ("src/directory_builder/", "command line (staff)"),
)


def area_of(paths: Sequence[str]) -> str:
    """Who reads texts from these source files, in a few words."""
    found = [next((words for prefix, words in AREAS if path.startswith(prefix)), "") for path in paths]
    return "; ".join(dict.fromkeys(words for words in found if words))


def catalog_entries(catalog: Catalog) -> list[Entry]:
    entries = []
    for msgid, message in translatable(catalog):
        paths = sorted({path for path, _line in message.locations})
        where = f"{area_of(paths)}: {', '.join(paths)}" if paths else "-"
        entries.append(Entry(message_key(msgid), msgid, str(message.string or ""), where,
                             REVIEWED_FLAG in message.flags))
    return entries


# ------------------------------------------------------------------------------------------ front matter


def front_matter_texts(front: FrontMatter) -> dict[str, str]:
    """Every text of a front-matter file by its place (``rights.2.3``: section rights, block 2, item 3)."""
    texts = {f"how_to_use.{i}": text for i, text in enumerate(front.how_to_use)}
    for section in front.sections:
        texts[f"{section.id}.title"] = section.title
        for b, block in enumerate(section.blocks):
            place = f"{section.id}.{b}"
            if block.kind == "paragraph":
                texts[place] = block.text
            elif block.kind == "list":
                texts.update({f"{place}.{i}": item for i, item in enumerate(block.items)})
            elif block.kind == "story":
                texts[f"{place}.title"] = block.title
                texts[f"{place}.text"] = block.text
            else:
                texts[f"{place}.q"] = block.question
                texts[f"{place}.a"] = block.answer
    return texts


def front_matter_reviewed(front: FrontMatter) -> frozenset[str]:
    """The places whose text a reviewer has checked."""
    if front.language == DEFAULT_LANGUAGE or not front.needs_review:
        return frozenset(front_matter_texts(front))
    return frozenset(front.reviewed)


def english_front_matter() -> FrontMatter:
    """The source text always comes from the built-in English file, the structure every language follows."""
    return load_front_matter(DEFAULT_LANGUAGE, ())


def front_matter_file(lang: str, template_dirs: Sequence[Path] = ()) -> Path:
    """The file a build in ``lang`` reads (the built-in one when no template folder has it)."""
    try:
        return find_template(f"content/{lang}/frontmatter.yaml", template_dirs)
    except FileNotFoundError:
        return BUILTIN_TEMPLATES / "content" / lang / "frontmatter.yaml"


def front_matter_entries(lang: str, template_dirs: Sequence[Path] = ()) -> list[Entry]:
    front = load_front_matter(lang, template_dirs)
    own = front.language == lang
    texts = front_matter_texts(front) if own else {}
    reviewed = front_matter_reviewed(front) if own else frozenset()
    where = f"first pages of the booklet and web page (victims): content/{lang}/frontmatter.yaml"
    return [Entry(FRONT_MATTER_PREFIX + place, source, texts.get(place, ""), f"{where} {place}",
                  place in reviewed)
            for place, source in front_matter_texts(english_front_matter()).items()]


def all_entries(lang: str, template_dirs: Sequence[Path] = ()) -> list[Entry]:
    """Every fixed text of ``lang``: the catalog's messages (labels included), then the front matter."""
    return [*catalog_entries(read_catalog(catalog_path(lang, template_dirs))),
            *front_matter_entries(lang, template_dirs)]
