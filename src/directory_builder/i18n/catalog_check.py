"""Catalog completeness: untranslated, fuzzy, or placeholder-mismatched entries (used by tests and scripts)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

_PLACEHOLDER = re.compile(r"\{[a-zA-Z_][a-zA-Z0-9_]*\}")


def placeholders(text: str) -> list[str]:
    return sorted(_PLACEHOLDER.findall(text))


def catalog_problems(locales: Path, languages: Sequence[str]) -> list[str]:
    from babel.messages.pofile import read_po

    problems: list[str] = []
    pot_path = locales / "messages.pot"
    with pot_path.open("rb") as fh:
        template = read_po(fh)
    expected = {m.id for m in template if m.id}
    for lang in languages:
        po_path = locales / lang / "LC_MESSAGES" / "messages.po"
        if not po_path.exists():
            problems.append(f"{lang}: no catalog at {po_path}")
            continue
        with po_path.open("rb") as fh:
            catalog = read_po(fh)
        present = {m.id for m in catalog if m.id}
        for msgid in sorted(expected - present, key=str):
            problems.append(f"{lang}: missing entry {msgid!r} (run scripts/i18n.py update)")
        for message in catalog:
            if not message.id:
                continue
            ids = [str(i) for i in message.id] if isinstance(message.id, list | tuple) else [str(message.id)]
            raw = message.string
            strs = [str(t or "") for t in raw] if isinstance(raw, list | tuple) else [str(raw or "")]
            if message.fuzzy:
                problems.append(f"{lang}: fuzzy entry {ids[0]!r}")
            if not all(strs):
                problems.append(f"{lang}: untranslated {ids[0]!r}")
                continue
            for s in strs:
                if placeholders(s) != placeholders(ids[0]):
                    problems.append(f"{lang}: placeholders differ in {ids[0]!r}: {placeholders(s)} != "
                                    f"{placeholders(ids[0])}")
    return problems
