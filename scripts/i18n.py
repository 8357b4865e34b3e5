#!/usr/bin/env python3
"""Translation catalogs, managed with Babel.

  python scripts/i18n.py extract   # code (src/) and templates (templates/) -> src/directory_builder/locales/messages.pot
  python scripts/i18n.py update [LANG...]  # merge the .pot into each language's messages.po (new: untranslated)
  python scripts/i18n.py compile   # .po -> .mo (wheels do this automatically; a checkout reads .po directly)
  python scripts/i18n.py check     # untranslated, fuzzy or placeholder-mismatched entries, per language

Translators edit src/directory_builder/locales/<lang>/LC_MESSAGES/messages.po in Poedit or Weblate.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "src" / "directory_builder" / "locales"
POT = LOCALES / "messages.pot"
#: Every language with a catalog folder: adding a language is adding its folder (see docs/translating.md).
LANGUAGES = tuple(sorted(p.name for p in LOCALES.iterdir() if (p / "LC_MESSAGES").is_dir()))


def run(*args: str) -> None:
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", *args], check=True, cwd=ROOT)


def extract() -> None:
    run("extract", "-F", "babel.cfg", "-k", "N_", "-k", "gettext_", "--add-location=file", "--sort-by-file",
        "--project=directory-builder", "--copyright-holder=directory-builder contributors",
        "--msgid-bugs-address=https://github.com/directory-builder/directory-builder/issues",
        "-o", str(POT), "src", "templates")


def update(languages: tuple[str, ...] = LANGUAGES) -> None:
    for lang in languages:
        po = LOCALES / lang / "LC_MESSAGES" / "messages.po"
        if po.exists():
            run("update", "-i", str(POT), "-d", str(LOCALES), "-D", "messages", "-l", lang, "--no-fuzzy-matching", "--width=110",
                "--ignore-obsolete")
        else:
            run("init", "-i", str(POT), "-d", str(LOCALES), "-D", "messages", "-l", lang)
        if lang == "en":
            _fill_english(po)


def _fill_english(po: Path) -> None:
    """English is the source language: its catalog translates every message to itself."""
    from babel.messages.pofile import read_po, write_po

    with po.open("rb") as fh:
        catalog = read_po(fh)
    for message in catalog:
        if message.id and not message.string:
            message.string = message.id
    with po.open("wb") as fh:
        write_po(fh, catalog, width=110)


def compile_() -> None:
    run("compile", "-d", str(LOCALES), "-D", "messages")


def check() -> int:
    sys.path.insert(0, str(ROOT / "src"))
    from directory_builder.i18n.catalog_check import catalog_problems

    problems = catalog_problems(LOCALES, LANGUAGES)
    for line in problems:
        print(line)
    print(f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "extract":
        extract()
    elif command == "update":
        update(tuple(sys.argv[2:]) or LANGUAGES)
    elif command == "compile":
        compile_()
    elif command == "all":
        extract()
        update()
    else:
        sys.exit(check())
