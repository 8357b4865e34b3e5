"""Settings and district numbers that reach the reader, in each language of the directory.

A translatable setting has one row per language ("Edition (id)", "Edition (en)"); a row without a
language suffix is the main (first) language's. The "Name: number" lists ("National hotlines (en)", a
district's "+i_en" emergency column) give the names in that language for the same numbers: each name is
matched to the main list by its number, so a list in another language cannot add or drop a number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from directory_builder.i18n.emergency import is_recognised
from directory_builder.model import NamedNumber

#: (language or None, row, value, label) of one Directory row, as the reader found it.
SettingRow = tuple[str | None, int, Any, str]


def main_row_first(rows: Sequence[SettingRow], main: str | None) -> list[SettingRow]:
    """The main language's row (or the row without a language) before the other languages' rows."""
    return sorted(rows, key=lambda r: r[0] not in (None, main))


def texts_by_language(rows: Sequence[SettingRow], main: str, as_text: Any) -> dict[str, str]:
    """language -> text of the filled rows; the first row of a language wins."""
    texts: dict[str, str] = {}
    for lang, _row, value, _label in main_row_first(rows, main):
        if value is not None and as_text(value).strip():
            texts.setdefault(lang or main, as_text(value))
    return texts


def name_numbers(main: Sequence[NamedNumber], by_lang: Mapping[str, Sequence[NamedNumber]]) -> tuple[
        list[NamedNumber], list[tuple[str, NamedNumber]]]:
    """``main`` with each number's name in the other languages; and the numbers no main entry has."""
    names: list[dict[str, str]] = [{} for _ in main]
    index = {(n.phone.dial, n.phone.extension): i for i, n in reversed(list(enumerate(main)))}
    strays: list[tuple[str, NamedNumber]] = []
    for lang, numbers in by_lang.items():
        for number in numbers:
            at = index.get((number.phone.dial, number.phone.extension))
            if at is None:
                strays.append((lang, number))
            else:
                names[at].setdefault(lang, number.name)
    named = [n.model_copy(update={"names": {**n.names, **extra}}) if extra else n
             for n, extra in zip(main, names, strict=True)]
    return named, strays


def untranslated_languages(numbers: Sequence[NamedNumber], languages: Sequence[str]) -> list[str]:
    """The languages (after the main one) in which a name would be printed untranslated.

    A well-known service ("Police", "Bomba") is named in every language by the tool itself.
    """
    return [lang for lang in languages[1:]
            if any(lang not in n.names and not is_recognised(n.name) for n in numbers)]
