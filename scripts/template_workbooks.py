#!/usr/bin/env python3
"""The committed blank workbooks in templates/workbooks/, one per shipped language.

  python scripts/template_workbooks.py          # (re)write templates/workbooks/directory-template-<lang>.xlsx
  python scripts/template_workbooks.py --check  # exit 1 naming each workbook that is out of date

Each file is exactly what ``directory-builder template directory-template-<lang>.xlsx --lang <lang>`` writes,
so an NGO can pick up a blank workbook without installing anything. Run this after changing a column, a
setting, the instructions or a translation: tests/test_template_workbooks.py fails until you do.

Workbooks are compared part by part (every XML file inside the .xlsx, uncompressed), not by the .xlsx bytes:
the writer is deterministic (fixed document dates and zip entry dates), but the compressed bytes also
depend on the zlib build, which is not the project's to fix. Every cell, style, drop-down, comment and
defined name lives in those parts, so nothing that matters escapes the comparison.
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))  # this checkout's generator, not an installed copy

from directory_builder.i18n import SHIPPED_LANGUAGES  # noqa: E402
from directory_builder.util.templates_path import blank_workbook_name  # noqa: E402
from directory_builder.workbook.template import (  # noqa: E402
    build_template_workbook,
    workbook_bytes,
    write_template,
)

FOLDER = ROOT / "templates" / "workbooks"


def expected_bytes(lang: str) -> bytes:
    """What ``directory-builder template`` writes for ``lang`` under the committed file's name."""
    return workbook_bytes(build_template_workbook(lang, file_name=blank_workbook_name(lang)))


def workbook_parts(data: bytes) -> dict[str, bytes]:
    """Every part of an .xlsx package by name, uncompressed."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def differing_parts(lang: str, folder: Path = FOLDER) -> list[str]:
    """The parts of the committed workbook in ``lang`` that differ from the generator's (all when missing)."""
    path = folder / blank_workbook_name(lang)
    fresh = workbook_parts(expected_bytes(lang))
    if not path.is_file():
        return sorted(fresh)
    committed = workbook_parts(path.read_bytes())
    return sorted(name for name in fresh.keys() | committed.keys() if fresh.get(name) != committed.get(name))


def stray_files(folder: Path = FOLDER) -> list[str]:
    """Files in the folder that are not the workbook of a shipped language (a language dropped or renamed)."""
    wanted = {blank_workbook_name(lang) for lang in SHIPPED_LANGUAGES}
    return sorted(p.name for p in folder.iterdir() if p.name not in wanted) if folder.is_dir() else []


def write_all(folder: Path = FOLDER) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for lang in SHIPPED_LANGUAGES:
        written.append(write_template(folder / blank_workbook_name(lang), lang, force=True))
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write or check the committed blank workbooks.")
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if any is out of date")
    args = parser.parse_args(argv)
    if not args.check:
        for path in write_all():
            print(f"wrote {path.relative_to(ROOT)}")
        return 0
    stale = [lang for lang in SHIPPED_LANGUAGES if differing_parts(lang)]
    for lang in stale:
        print(f"templates/workbooks/{blank_workbook_name(lang)} is out of date "
              f"(differs in {', '.join(differing_parts(lang))})", file=sys.stderr)
    for name in stray_files():
        print(f"templates/workbooks/{name} is not the workbook of a shipped language", file=sys.stderr)
    if stale or stray_files():
        print("run: python scripts/template_workbooks.py", file=sys.stderr)
        return 1
    print("templates/workbooks/ is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
