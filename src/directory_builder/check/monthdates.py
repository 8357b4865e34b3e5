"""Dates typed with month names in any of the template's languages: "5 Maret 2026", "5 Mac 2026",
"5 tháng 3 năm 2026", "5 มีนาคม 2569", "March 5, 2026", "5 Mar 2026", "5 มี.ค. 2569".

Staff type the publication date the way they say it, not as 2026-03-05. The month and weekday names come
from Babel's locale data (the same data that prints the dates), so what the tool prints it also reads
back. Only a text with exactly one month name, one day and one four-digit year is read; anything else
(no year, two month names, a name that means two months) returns None and stays an error on its cell.

Thai dates usually count years in the Buddhist era (2569 = 2026): a year written with "พ.ศ.", or a
Thai month name with a year from 2443 on, is a Buddhist year. The two ranges cannot overlap: the tool
reads years 1900-2200 only.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from directory_builder.i18n import SHIPPED_LANGUAGES

#: The languages whose month and weekday names are read: the shipped template languages, so a new language
#: is one line in ``i18n.SHIPPED_LANGUAGES``.
DATE_LANGUAGES = SHIPPED_LANGUAGES

#: Buddhist era year = Gregorian year + 543.
BUDDHIST_OFFSET = 543
_BUDDHIST_ERA = "พ.ศ."
_CHRISTIAN_ERA = "ค.ศ."
#: Words around the numbers that carry no value: Vietnamese "ngày" (day) and "năm" (year), Thai "ที่"
#: ("the", after a weekday) and "วัน" (day), English ordinal endings are handled in the number pattern.
_FILLER_WORDS = ("ngày", "năm", "ที่", "วัน")
_FIRST_YEAR, _LAST_YEAR = 1900, 2200
_THAI = re.compile(r"[\u0e00-\u0e7f]")


def _fold(text: str) -> str:
    return re.sub(r"\s+", " ", text.casefold()).strip()


@lru_cache(maxsize=1)
def _month_names() -> dict[str, frozenset[int]]:
    """Every month name and abbreviation of every date language -> the month numbers it can mean."""
    from babel.dates import get_month_names

    names: dict[str, set[int]] = {}
    for lang in DATE_LANGUAGES:
        for width in ("wide", "abbreviated"):
            for context in ("format", "stand-alone"):
                for number, name in get_month_names(width, context, locale=lang).items():
                    for form in {_fold(name), _fold(name).rstrip(".")}:
                        names.setdefault(form, set()).add(number)
    return {name: frozenset(months) for name, months in names.items() if name}


@lru_cache(maxsize=1)
def _weekday_names() -> tuple[str, ...]:
    from babel.dates import get_day_names

    found: set[str] = set()
    for lang in DATE_LANGUAGES:
        for width in ("wide", "abbreviated"):
            found.update(_fold(n) for n in get_day_names(width, "format", locale=lang).values())
    return tuple(sorted(found, key=len, reverse=True))


def _word_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """Any of ``words``, not inside a longer word; Thai words anywhere (Thai is written without spaces)."""
    def one(word: str) -> str:
        return re.escape(word) if _THAI.search(word) else rf"(?<![^\W\d_]){re.escape(word)}(?![^\W\d_])"

    return re.compile("|".join(one(w) for w in words))


@lru_cache(maxsize=1)
def _month_pattern() -> re.Pattern[str]:
    # Longest first, and no digit after a name ending in one: "tháng 12" is not "tháng 1" and a "2".
    names = tuple(sorted(_month_names(), key=len, reverse=True))
    return re.compile("|".join(f"(?:{_word_pattern((n,)).pattern})" + (r"(?!\d)" if n[-1].isdigit() else "")
                               for n in names))


_NUMBERS = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)? (\d{4})$|^(\d{4}) (\d{1,2})$")


def parse_month_name_date(text: str) -> dt.date | None:
    """The date in ``text`` when it names its month in words, unambiguously; None otherwise."""
    folded = _fold(text)
    months = list(_month_pattern().finditer(folded))
    if len(months) != 1 or len(_month_names()[months[0].group(0)]) != 1:
        return None
    match = months[0]
    month = next(iter(_month_names()[match.group(0)]))
    rest = folded[: match.start()] + " " + folded[match.end():]
    buddhist = _BUDDHIST_ERA in rest
    rest = rest.replace(_BUDDHIST_ERA, " ").replace(_CHRISTIAN_ERA, " ")
    rest = _word_pattern(_weekday_names() + _FILLER_WORDS).sub(" ", rest)
    rest = _fold(re.sub(r"[,.]", " ", rest))
    numbers = _NUMBERS.match(rest)
    if numbers is None:
        return None
    day_text, year_text = (numbers.group(1), numbers.group(2)) if numbers.group(1) else \
        (numbers.group(4), numbers.group(3))
    year = int(year_text)
    thai_month = bool(_THAI.search(match.group(0)))
    if buddhist or (thai_month and year >= _FIRST_YEAR + BUDDHIST_OFFSET):
        year -= BUDDHIST_OFFSET
    if not _FIRST_YEAR <= year <= _LAST_YEAR:
        return None
    try:
        return dt.date(year, month, int(day_text))
    except ValueError:
        return None
