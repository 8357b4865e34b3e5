"""Well-known emergency services recognised in any shipped language and named in the page's language.

Staff often type "Police: 110" in an Indonesian workbook, or leave the English edition's hotline names in
Indonesian. Victims must read every name in their page's language, so a name from the data file
``templates/data/emergency_services.yaml`` ("Polisi", "Polis", "Công an", "ตำรวจ", "Bomba"...) is shown
as that service's name in the page's language when staff gave no name in that language themselves.
Words in brackets after the name are kept: "Police (Polres)" on an Indonesian page is "Polisi (Polres)".
The names are data, not code, so a programme officer can add one without a programmer.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from directory_builder.util.names import match_key
from directory_builder.util.templates_path import BUILTIN_TEMPLATES

DATA_FILE = BUILTIN_TEMPLATES / "data" / "emergency_services.yaml"

#: "Police (Polres)" -> "Police", " (Polres)".
_BRACKETED_TAIL = re.compile(r"^(?P<base>.*?)(?P<tail>\s*[(\[].*[)\]])\s*$", re.DOTALL)


@dataclass(frozen=True)
class KnownService:
    key: str
    names: dict[str, tuple[str, ...]]  # language -> names; the first is the printed one


def _fold(name: str) -> str:
    """The form names are compared in: NFKC (a Thai SARA AM typed as NIKHAHIT + SARA AA, full-width letters,
    a decomposed 'Công an'), no invisible characters, case and spacing folded, a closing full stop or colon
    left out ('Polisi.', 'Police:')."""
    return match_key(name.replace("’", "'")).rstrip(" .:;,")


@functools.cache
def known_services(path: Path = DATA_FILE) -> tuple[KnownService, ...]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    return tuple(KnownService(str(key), {str(lang): tuple(str(n) for n in names) for lang, names in langs.items()})
                 for key, langs in data.items())


@functools.cache
def _by_name() -> dict[str, KnownService]:
    return {_fold(name): service for service in known_services() for names in service.names.values()
            for name in names}


def recognise(name: str) -> tuple[KnownService, str] | None:
    """The well-known service ``name`` names, and the bracketed words after it (kept as typed)."""
    service = _by_name().get(_fold(name))
    if service is not None:
        return service, ""
    match = _BRACKETED_TAIL.match(name)
    if match and (service := _by_name().get(_fold(match["base"]))) is not None:
        return service, match["tail"]
    return None


def is_recognised(name: str) -> bool:
    return recognise(name) is not None


def emergency_name(name: str, lang: str) -> str:
    """``name`` as a reader of ``lang`` should see it: a well-known service's name in ``lang``, else as typed.

    A name already in ``lang`` ("Kepolisian" on an Indonesian page) is kept as staff wrote it.
    """
    found = recognise(name)
    if found is None:
        return name
    service, tail = found
    names = service.names.get(lang)
    if not names:
        return name
    typed = _fold(name[: len(name) - len(tail)] if tail else name)
    if typed in {_fold(n) for n in names}:
        return name
    return names[0] + tail
