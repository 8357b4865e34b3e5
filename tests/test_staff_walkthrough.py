"""The staff's walk-through in their language (issue 14, "Done when"): template, a filled copy with
mistakes, validate, build, the fixed copy, build, diff, report. Every word printed to the staff must come
from the language's catalog (or Babel's names of months, countries and languages) or from the workbooks
themselves: an English word from a forgotten string, from click, or from a library is listed by name."""

from __future__ import annotations

import copy
import functools
import re
import sys
from pathlib import Path
from typing import Any

import pytest
from babel import Locale
from babel.messages.pofile import read_po
from openpyxl import load_workbook
from typer.testing import CliRunner

from directory_builder.cli import app
from directory_builder.i18n import babel_locale

ROOT = Path(__file__).resolve().parent.parent
LOCALES = ROOT / "src" / "directory_builder" / "locales"
sys.path.insert(0, str(ROOT / "examples"))

import make_example  # noqa: E402  (the example's own builder, from examples/)

_WORD = re.compile(r"[^\W\d_]+")
#: Cell references (Layanan!AO7, J6) and option names (--ui-lang) are the same in every language.
_NOT_WORDS = re.compile(r"\b[A-Z]{1,3}[0-9]+\b|--[a-z][a-z-]*")
#: Scripts written without spaces between words (Thai).
_UNSPACED = re.compile(r"[\u0e00-\u0e7f]")


@functools.cache
def catalog_text(lang: str) -> str:
    """Every translation of ``lang``'s catalog, and Babel's month, day, language and country names."""
    with (LOCALES / lang / "LC_MESSAGES" / "messages.po").open("rb") as fh:
        catalog = read_po(fh)
    texts = [str(m.string) for m in catalog if m.id and m.string]
    locale = Locale.parse(babel_locale(lang))
    for names in (locale.months["format"]["wide"], locale.days["format"]["wide"]):
        texts += list(names.values())
    texts += list(locale.languages.values()) + list(locale.territories.values())
    return "\n".join(texts)


def workbook_text(*paths: Path) -> str:
    """Every cell and sheet name of the workbooks: staff typed these, they are not ours to translate."""
    texts: list[str] = []
    for path in paths:
        wb = load_workbook(path, read_only=True)
        for ws in wb.worksheets:
            texts.append(ws.title)
            for row in ws.iter_rows(values_only=True):
                texts += [str(v) for v in row if v is not None]
        wb.close()
    return "\n".join(texts)


def foreign_words(printed: str, lang: str, *known_texts: str) -> list[str]:
    """The words of ``printed`` found neither in ``lang``'s catalog nor in ``known_texts``."""
    corpus = "\n".join([catalog_text(lang), *known_texts])
    vocabulary = {w.casefold() for w in _WORD.findall(corpus)}
    unknown = []
    for word in _WORD.findall(_NOT_WORDS.sub(" ", printed)):
        # Thai is written without spaces, and its vowel marks split a run into pieces that do not match
        # the catalog's words: a run of Thai letters is Thai, not English, which is what is looked for.
        known = bool(_UNSPACED.search(word)) or word.casefold() in vocabulary
        if not known:
            unknown.append(word)
    return sorted(set(unknown))


def example_workbook(path: Path, lang: str, *, mistakes: bool = False, edit: Any = None) -> Path:
    """The fictional example, filled into the ``lang`` template as staff would; optionally with mistakes."""
    data = make_example.load_source()
    services = copy.deepcopy(data["services"])
    if mistakes:
        services[0]["email"] = "info@@example"  # an email-syntax reason
        services[1]["phone"] = "5550 12"  # a phone that is not valid in the country
        services[2]["min_age"], services[2]["max_age"] = 30, 10
        for row in services[3:15]:  # repeated "no English text" warnings
            if isinstance(row.get("description"), dict):
                row["description"].pop("en", None)
    if edit is not None:
        edit(services)
    languages = make_example.languages_of(data["settings"])
    wb = make_example.build_template_workbook(lang, languages=languages)
    names = make_example.sheet_names(lang)
    make_example.fill_settings(wb[names[make_example.SHEET_DIRECTORY]], data["settings"], lang, languages)
    make_example.fill_table(wb[names[make_example.SHEET_DISTRICTS]], make_example.DISTRICTS_COLUMNS,
                            data["districts"], languages)
    make_example.fill_table(wb[names[make_example.SHEET_SERVICES]], make_example.SERVICES_COLUMNS, services,
                            languages)
    wb.save(path)
    return path


def staff_runs(args: list[str]) -> tuple[int, str]:
    """One command as staff run it: no language given anywhere (the workbook decides)."""
    env: dict[str, str | None] = {"DIRECTORY_BUILDER_LANG": None, "LANGUAGE": None, "LC_ALL": None,
                                  "LC_MESSAGES": None, "LANG": "C.UTF-8"}
    result = CliRunner().invoke(app, args, env=env)
    return result.exit_code, result.output


def _change_a_phone_and_close_one(services: list[dict[str, Any]]) -> None:
    services[1]["phone"] = "(021) 5550 9999"
    del services[5]


@pytest.mark.parametrize("lang", ["id", "ms", "vi", "th"])
def test_the_walkthrough_prints_no_word_outside_the_language(lang: str, tmp_path: Path) -> None:
    blank, bad = tmp_path / "kosong.xlsx", example_workbook(tmp_path / "salah.xlsx", lang, mistakes=True)
    good = example_workbook(tmp_path / "baik.xlsx", lang)
    newer = example_workbook(tmp_path / "baru.xlsx", lang, edit=_change_a_phone_and_close_one)
    out = str(tmp_path / "hasil")
    steps = [
        (["template", str(blank), "--lang", lang], 0),
        (["validate", str(bad)], 1),
        (["build", str(bad), "--out", out, "--format", "html", "--jobs", "1"], 1),
        (["validate", str(good)], 0),
        (["build", str(good), "--out", out, "--format", "html", "--jobs", "1", "--district", "Jakarta Pusat"], 0),
        (["diff", str(good), str(newer)], 0),
        (["report", str(good)], 0),
        (["validate", "--bogus", str(good)], 2),
        (["validate", "--help", "--ui-lang", lang], 0),
    ]
    printed: list[str] = []
    for args, expected in steps:
        code, output = staff_runs(args)
        assert code == expected, (args, output)
        printed.append(output)
    # The words staff chose (workbooks, file names) are theirs; everything else must be the catalog's.
    theirs = [workbook_text(bad, good, newer), *map(str, (blank, bad, good, newer, out))]
    assert foreign_words("\n".join(printed), lang, *theirs) == []


def test_the_helper_finds_an_english_word() -> None:
    assert foreign_words("Tidak ada kesalahan. Usage: directory-builder", "id") == ["Usage"]
    assert foreign_words("ไม่มีข้อผิดพลาด รายการบริการ!AO7 --ui-lang Usage", "th") == ["Usage"]
