"""How names and IDs typed by people are compared: what looks the same must compare the same.

A district name copied from a web page may carry a zero-width space, a soft hyphen or a bidi mark; one
typed on a phone may use a full-width letter; one typed on a Russian keyboard may have a Cyrillic 'А' that
looks exactly like the Latin 'A'. Compared as written, such names are two districts (two booklets, a
service "not found"), or two IDs that are really one. So:

- ``match_key``: NFKC, invisible characters removed, whitespace collapsed, case folded. Two names with
  the same key are the same name.
- ``skeleton``: the key with letters that look like Latin ones (Cyrillic, Greek) replaced by those Latin
  letters, after Unicode's confusables idea (UTS #39) with a small table of the letters that matter for
  names: two names with the same skeleton but different keys look alike and are not the same, which is
  an error, never a guess.
- ``mixed_scripts``: a word written with letters of two of Latin, Cyrillic and Greek (Latin 'Alpha' with
  a Cyrillic 'А') is almost never meant; other mixes (a Thai name with a Latin one) are fine.

No library earns its place for this: ICU's spoof checker (PyICU) needs the ICU C++ build, and the
confusables packages on PyPI carry the whole Unicode table for a job that, for district names and IDs,
is the three alphabets below.
"""

from __future__ import annotations

import re
import unicodedata

#: Characters that change nothing a reader sees: zero-width space, non-joiner and joiner, word joiner,
#: byte order mark (zero-width no-break space), soft hyphen, Arabic letter mark, the bidi marks,
#: embeddings, overrides and isolates, and the invisible math operators.
_INVISIBLE = re.compile("[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]")

#: Letters of other scripts that look like a Latin letter (UTS #39 confusables, the part that matters for
#: names typed on Cyrillic and Greek keyboards), applied before case folding so 'В' reads as 'B'.
_LOOKALIKES: dict[str, str] = {
    # Cyrillic capitals and small letters
    "А": "A", "В": "B", "С": "C", "Е": "E", "Н": "H", "І": "I", "Ј": "J", "К": "K", "М": "M", "О": "O",
    "Р": "P", "Ѕ": "S", "Т": "T", "Х": "X", "У": "Y", "Ԛ": "Q", "Ԝ": "W", "Ү": "Y", "Ӏ": "I",
    "а": "a", "с": "c", "е": "e", "һ": "h", "і": "i", "ј": "j", "о": "o", "р": "p", "ѕ": "s", "х": "x",
    "у": "y", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ү": "y", "ɡ": "g",
    # Greek capitals and small letters
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N", "Ο": "O",
    "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X",
    "α": "a", "ι": "i", "κ": "k", "ν": "v", "ο": "o", "ρ": "p", "τ": "t", "υ": "u", "χ": "x", "ϲ": "c",
    "ϳ": "j",
}
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKES)

#: Scripts whose letters are confused with each other; a word mixing two of them is an error.
_CONFUSED_SCRIPTS = ("LATIN", "CYRILLIC", "GREEK")


def clean_name(text: str) -> str:
    """NFKC without invisible characters, whitespace collapsed: the name as it should be stored."""
    return " ".join(_INVISIBLE.sub("", unicodedata.normalize("NFKC", text)).split())


def match_key(text: str) -> str:
    """The form two names are compared in: equal keys mean the same name."""
    return clean_name(text).casefold()


def skeleton(text: str) -> str:
    """The key with Cyrillic and Greek look-alikes read as Latin letters: equal skeletons look the same."""
    return unicodedata.normalize("NFKC", clean_name(text).translate(_LOOKALIKE_TABLE)).casefold()


def _script(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    try:
        first = unicodedata.name(ch).split(" ", 1)[0]
    except ValueError:
        return None
    return first if first in _CONFUSED_SCRIPTS else None


def mixed_scripts(text: str) -> tuple[str, ...]:
    """The confusable scripts (Latin, Cyrillic, Greek) mixed inside one word of ``text``; () if none."""
    found: set[str] = set()
    for word in clean_name(text).split():
        scripts = {s for s in map(_script, word) if s}
        if len(scripts) > 1:
            found |= scripts
    return tuple(s for s in _CONFUSED_SCRIPTS if s in found)
