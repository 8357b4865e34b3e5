"""The booklet's look and feel, read from ``templates/pdf/style.yaml`` so an NGO can change it without Python.

The built-in file holds every setting. A user's ``--template-dir`` may hold a ``pdf/style.yaml`` with only
the settings it changes; it is deep-merged over the built-in one (like rst2pdf style sheets), folders
earlier on the search path winning. Because the file comes from outside, it is read defensively:
``yaml.safe_load``, a size cap, a fixed schema (an unknown or misspelt setting is an error that names it,
not a silently ignored line) and typed values (lengths with units, ``#rrggbb`` colours, sane ranges).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from reportlab.lib.colors import Color, HexColor

from directory_builder.util.templates_path import BUILTIN_TEMPLATES, search_path

STYLE_FILE = "pdf/style.yaml"
MAX_STYLE_BYTES = 100_000

_LENGTH_RE = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?|\.[0-9]+)\s*(pt|mm|cm|in)?\s*$")
_UNITS = {"pt": 1.0, "mm": 72 / 25.4, "cm": 72 / 2.54, "in": 72.0, None: 1.0}
_COLOUR_RE = re.compile(r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")

# The schema: every setting, its kind and (for numbers) its allowed range.
_PAPER = {k: ("length", 36, 2000) for k in ("width", "height")} | {
    k: ("length", 0, 300) for k in ("top", "bottom", "left", "right")
}
SCHEMA: dict[str, dict[str, Any]] = {
    "paper": {"a5": _PAPER, "a4": _PAPER, "letter": _PAPER},
    "card": {
        "width": ("length", 72, 600),
        "height": ("length", 72, 600),
        "margin": ("length", 0, 72),
        "title": ("number", 5, 40),
        "heading": ("number", 5, 40),
        "text": ("number", 5, 40),
        "number": ("number", 6, 60),
        "service_number": ("number", 6, 60),
    },
    "fonts": {
        "body": ("number", 6, 40),
        "leading": ("number", 1.0, 3.0),
        "small": ("number", 6, 40),
        "footer": ("number", 6, 24),
        "footer_hotline": ("number", 6, 24),
        "cover_title": ("number", 8, 72),
        "cover_district": ("number", 8, 72),
        "cover_number": ("number", 8, 72),
        "cover_text": ("number", 6, 40),
        "heading": ("number", 8, 60),
        "subheading": ("number", 8, 48),
        "service_name": ("number", 8, 40),
    },
    "colours": {
        k: ("colour",)
        for k in ("text", "muted", "heading", "accent", "on_accent", "icon", "rule", "notice_background",
                  "notice_border", "box_background", "box_border")
    },
    "spacing": {
        "paragraph": ("length", 0, 72),
        "service": ("length", 0, 144),
        "section": ("length", 0, 144),
        "gutter": ("length", 8, 72),
    },
    "icons": {
        "category": ("length", 8, 96),
        "field": ("length", 6, 36),
        "legend": ("length", 8, 72),
        "qr": ("length", 36, 200),
    },
    "layout": {"category_new_page": ("bool",)},
}


class StyleError(ValueError):
    """A style file that cannot be used; the message names the file and the setting."""


@dataclass(frozen=True)
class Paper:
    width: float
    height: float
    top: float
    bottom: float
    left: float
    right: float

    @property
    def size(self) -> tuple[float, float]:
        return (self.width, self.height)

    @property
    def frame_width(self) -> float:
        return self.width - self.left - self.right

    @property
    def frame_height(self) -> float:
        return self.height - self.top - self.bottom


@dataclass(frozen=True, eq=False)  # hashed by identity: one cached instance per set of files
class PdfStyle:
    """Every setting, typed: lengths in points, colours as ReportLab colours."""

    values: Mapping[str, Mapping[str, Any]]
    sources: tuple[str, ...]  # the files merged, for error messages and the build's input hash

    def paper(self, name: str) -> Paper:
        if name not in self.values["paper"]:
            raise StyleError(f"unknown paper size {name!r}; use one of: {', '.join(SCHEMA['paper'])}")
        return Paper(**self.values["paper"][name])

    def font(self, key: str) -> float:
        return float(self.values["fonts"][key])

    def leading(self, size: float) -> float:
        return round(size * self.font("leading"), 2)

    def colour(self, key: str) -> Color:
        colour: Color = self.values["colours"][key]
        return colour

    def space(self, key: str) -> float:
        return float(self.values["spacing"][key])

    def icon(self, key: str) -> float:
        return float(self.values["icons"][key])

    def card(self, key: str) -> float:
        return float(self.values["card"][key])

    def layout(self, key: str) -> Any:
        return self.values["layout"][key]


def _read(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        raw = fh.read(MAX_STYLE_BYTES + 1)
    if len(raw) > MAX_STYLE_BYTES:
        raise StyleError(f"{path}: larger than {MAX_STYLE_BYTES} bytes; a style file is a few lines")
    try:
        data = yaml.safe_load(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise StyleError(f"{path}: not UTF-8 text; save it as UTF-8") from exc
    except yaml.YAMLError as exc:
        raise StyleError(f"{path}: not valid YAML: {exc}") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise StyleError(f"{path}: expected settings grouped under headings such as 'fonts:' and 'colours:'")
    return data


def _merge(base: dict[str, Any], over: Mapping[str, Any]) -> dict[str, Any]:
    """Deep merge: mappings merge key by key, anything else replaces."""
    out = dict(base)
    for key, value in over.items():
        if isinstance(value, Mapping) and isinstance(out.get(key), Mapping):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def _check_keys(data: Mapping[str, Any], schema: Mapping[str, Any], path: Path, where: str = "") -> None:
    for key, value in data.items():
        name = f"{where}{key}"
        if key not in schema:
            known = ", ".join(schema)
            raise StyleError(f"{path}: unknown setting {name!r}; the settings here are: {known}")
        sub = schema[key]
        if isinstance(sub, dict):
            if not isinstance(value, Mapping):
                raise StyleError(f"{path}: {name!r} must hold settings (indented lines), not a value")
            _check_keys(value, sub, path, f"{name}.")


def _convert(value: Any, spec: tuple[Any, ...], name: str, sources: str) -> Any:
    kind = spec[0]
    if kind == "bool":
        if not isinstance(value, bool):
            raise StyleError(f"{sources}: {name} must be true or false, not {value!r}")
        return value
    if kind == "colour":
        if not isinstance(value, str) or not _COLOUR_RE.match(value.strip()):
            raise StyleError(f'{sources}: {name} must be a colour like "#1a2b3c" (in quotes), not {value!r}')
        return HexColor(value.strip())
    if isinstance(value, bool):
        number = None
    elif isinstance(value, int | float):
        number = float(value)
    elif kind == "length" and isinstance(value, str) and (m := _LENGTH_RE.match(value)):
        number = float(m.group(1)) * _UNITS[m.group(2)]
    else:
        number = None
    if number is None:
        form = "a length such as 12, 12pt, 5mm or 0.5in" if kind == "length" else "a number"
        raise StyleError(f"{sources}: {name} must be {form}, not {value!r}")
    low, high = spec[1], spec[2]
    if not low <= number <= high:
        raise StyleError(f"{sources}: {name} = {value!r} is out of range ({low:g} to {high:g} points)")
    return round(number, 3)


def _typed(data: Mapping[str, Any], schema: Mapping[str, Any], sources: str, where: str = "") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, spec in schema.items():
        name = f"{where}{key}"
        if key not in data:
            raise StyleError(f"{sources}: the setting {name!r} is missing")
        if isinstance(spec, dict):
            out[key] = _typed(data[key], spec, sources, f"{name}.")
        else:
            out[key] = _convert(data[key], spec, name, sources)
    return out


def style_files(template_dirs: Iterable[Path] = ()) -> tuple[Path, ...]:
    """Every style file that applies, lowest priority first: the built-in one, then user folders."""
    builtin = BUILTIN_TEMPLATES / STYLE_FILE
    users = [base / STYLE_FILE for base in search_path(template_dirs) if base != BUILTIN_TEMPLATES]
    found = [p for p in reversed(users) if p.is_file() and p.resolve() != builtin.resolve()]
    return (builtin, *found)


def load_style(template_dirs: Iterable[Path] = ()) -> PdfStyle:
    """The merged, checked style for these template folders (cached until a file changes)."""
    files = style_files(template_dirs)
    stamp = tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p in files)
    return _load_cached(stamp)


@functools.lru_cache(maxsize=32)
def _load_cached(stamp: tuple[tuple[str, int, int], ...]) -> PdfStyle:
    merged: dict[str, Any] = {}
    for path_str, _mtime, _size in stamp:
        path = Path(path_str)
        data = _read(path)
        _check_keys(data, SCHEMA, path)
        merged = _merge(merged, data)
    sources = " + ".join(p for p, _m, _s in stamp)
    return PdfStyle(values=_typed(merged, SCHEMA, sources), sources=tuple(p for p, _m, _s in stamp))
