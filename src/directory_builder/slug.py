"""File names for districts: lowercase ASCII ``[a-z0-9-]``, never a path outside the output folder."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Protocol, TypeVar


class _Named(Protocol):
    name: str


_N = TypeVar("_N", bound=_Named)


#: Names Windows refuses for a file whatever its extension (CON.pdf opens the console), and names the
#: build writes itself. A district slugified to one of them gets the fallback word appended.
RESERVED = frozenset(
    {"con", "prn", "aux", "nul", "clock", "index", "manifest"}
    | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)


def slugify(text: str, fallback: str = "district") -> str:
    """'Kabupaten Cianjur' -> 'kabupaten-cianjur'; 'Đà Nẵng' -> 'da-nang'; Thai-only names -> fallback; 'CON' -> 'con-district'."""
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text).strip("-")[:60].strip("-")
    if slug in RESERVED:
        return f"{slug}-{fallback}"
    return slug or fallback


def assign_slugs(items: Iterable[_N]) -> list[tuple[_N, str, str | None]]:
    """Unique slugs in input order; a collision gets '-2', '-3'... and names the district it clashed with."""
    taken: dict[str, str] = {}
    result: list[tuple[_N, str, str | None]] = []
    for item in items:
        base = slugify(item.name)
        slug, n, clash = base, 2, None
        while slug in taken or slug in ("index", "manifest"):
            clash = taken.get(base, item.name)
            slug, n = f"{base}-{n}", n + 1
        taken[slug] = item.name
        result.append((item, slug, clash))
    return result
