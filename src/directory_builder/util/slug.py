"""File names for districts: lowercase ASCII ``[a-z0-9-]``, never a path outside the output folder."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol, TypeVar

from directory_builder.util.winnames import DEVICE_NAMES


class _Named(Protocol):
    name: str
    code: str | None


_N = TypeVar("_N", bound=_Named)


#: Names Windows refuses for a file whatever its extension (CON.pdf opens the console: ``winnames.py``), and
#: names the build writes itself. A district slugified to one of them gets the fallback word appended.
RESERVED = DEVICE_NAMES | {"clock", "index", "manifest"}


def _ascii_slug(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-")


def slugify(text: str, fallback: str = "district") -> str:
    """'Kabupaten Cianjur' -> 'kabupaten-cianjur'; 'Đà Nẵng' -> 'da-nang'; Thai-only names -> fallback; 'CON' -> 'con-district'."""
    slug = _ascii_slug(text)
    if slug in RESERVED:
        return f"{slug}-{fallback}"
    return slug or fallback


def _base(item: _Named) -> str:
    """From the name; for a name with no Latin letter or digit (Thai, Khmer, Lao...), from the district's
    code ('TH-50' -> 'th-50'), so its files are told apart without a number."""
    if not _ascii_slug(item.name) and item.code and _ascii_slug(item.code):
        return slugify(item.code)
    return slugify(item.name)


def assign_slugs(items: Iterable[_N]) -> list[tuple[_N, str, str | None]]:
    """Unique slugs in input order; a collision gets '-2', '-3'... and names the district it clashed with."""
    taken: dict[str, str] = {}
    result: list[tuple[_N, str, str | None]] = []
    for item in items:
        base = _base(item)
        slug, n, clash = base, 2, None
        while slug in taken or slug in ("index", "manifest"):
            clash = taken.get(base, item.name)
            slug, n = f"{base}-{n}", n + 1
        taken[slug] = item.name
        result.append((item, slug, clash))
    return result
