"""How many texts of a language are still drafts: a build says so once, to staff, never on an output."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from directory_builder.i18n import DEFAULT_LANGUAGE
from directory_builder.publish.content import load_front_matter
from directory_builder.translations.entries import (
    REVIEWED_FLAG,
    catalog_path,
    front_matter_file,
    front_matter_reviewed,
    front_matter_texts,
)


def draft_count(lang: str, template_dirs: Sequence[Path] = ()) -> int:
    """Translated texts of ``lang`` that no reviewer has marked reviewed (English, the source: none)."""
    if lang == DEFAULT_LANGUAGE:
        return 0
    try:
        return _catalog_drafts(catalog_path(lang, template_dirs)) + _front_matter_drafts(lang, template_dirs)
    except (OSError, ValueError):
        return 0  # no catalog for a language the tool does not ship: nothing to review here


def _catalog_drafts(path: Path) -> int:
    """A line scan, not a parse: every build runs it, and Babel's parser takes 70 ms per catalog.

    Babel writes one ``msgid`` line per entry (the header's included) and the flags on one ``#,`` line.
    """
    entries = reviewed = 0
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("msgid "):
            entries += 1
        elif line.startswith("#,") and REVIEWED_FLAG in {flag.strip() for flag in line[2:].split(",")}:
            reviewed += 1
    return max(entries - 1 - reviewed, 0)


def _front_matter_drafts(lang: str, template_dirs: Sequence[Path]) -> int:
    """A user's file is checked (and cached) by the build already; the built-in one is counted cheaply."""
    if not template_dirs:
        return _builtin_front_matter_drafts(lang)
    front = load_front_matter(lang, template_dirs)
    if front.language != lang:
        return 0  # no file for the language: the English text is shown, nothing is a draft translation
    return len(set(front_matter_texts(front)) - front_matter_reviewed(front))


def _builtin_front_matter_drafts(lang: str) -> int:
    """The shipped file, trusted and tested: libyaml and a count of its texts, not the 150 ms model check."""
    path = front_matter_file(lang)
    if not path.is_file():
        return 0
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    if not data.get("needs_review"):
        return 0
    return max(_texts_in(data.get("how_to_use")) + _texts_in(data.get("sections")) - len(data.get("reviewed") or ()), 0)


def _texts_in(node: Any) -> int:
    """The texts in a front-matter node: every string except the section ids."""
    if isinstance(node, str):
        return 1
    if isinstance(node, list):
        return sum(_texts_in(item) for item in node)
    if isinstance(node, dict):
        return sum(_texts_in(value) for key, value in node.items() if key != "id")
    return 0


def drafts_notice(languages: Sequence[str], template_dirs: Sequence[Path] = ()) -> str | None:
    """One sentence for the whole build (never per district, never on an output): which languages still
    have draft texts, how many, and the command that starts their review. None when there are none."""
    from directory_builder.i18n import _

    counts = [(lang, draft_count(lang, template_dirs)) for lang in dict.fromkeys(languages)]
    drafts = [(lang, count) for lang, count in counts if count]
    if not drafts:
        return None
    return _("Some texts are draft translations that no native speaker has reviewed yet: {counts}. To have "
             "them reviewed: directory-builder translations export --lang {lang} review.xlsx").format(
        counts=", ".join(f"{lang} {count}" for lang, count in drafts), lang=drafts[0][0])
