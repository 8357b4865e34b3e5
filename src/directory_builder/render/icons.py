"""One set of SVG pictograms, drawn once, used by both the PDF and the HTML renderer.

The icons live in ``templates/icons/<name>.svg`` so an NGO can replace any of them with ``--template-dir``.
Because such a file comes from a user folder, every icon is parsed with defusedxml (no DTD, no entities) and
checked against a small allowed subset of SVG (basic shapes, five presentation attributes, ``currentColor``
as the only colour, the 24x24 view box). Only the checked geometry is ever written out again: the HTML gets
markup this module rebuilt itself, and ReportLab gets a Drawing converted (with svglib) from that same rebuilt
markup, never from the raw file.

The PDF renderer draws thousands of icons per build, so conversion happens once per (icon, colour) and
:class:`IconFlowable` stores each icon once per PDF as a form XObject that every use references.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import Element

from defusedxml import ElementTree as SafeET
from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group
from reportlab.lib import colors
from reportlab.platypus.flowables import Flowable

from directory_builder.util.templates_path import find_template
from directory_builder.vocab import CATEGORIES

__all__ = [
    "CATEGORY_ICON_NAMES",
    "ICON_NAMES",
    "UI_ICON_NAMES",
    "IconError",
    "IconFlowable",
    "category_icon_name",
    "check_icons",
    "icon_drawing",
    "icon_flowable",
    "icon_path",
    "icon_sheet_pdf",
    "icon_svg",
    "load_icon",
]

CATEGORY_ICON_NAMES: tuple[str, ...] = CATEGORIES.codes
UI_ICON_NAMES: tuple[str, ...] = (
    "phone",
    "hotline",
    "sms",
    "email",
    "website",
    "clock",
    "location",
    "lock",
    "people",
    "cost",
    "document",
    "language",
    "accessibility",
    "check",
    "warning",
    "exit",
    "info",
    "search",
    "emergency",
)
# Every icon the built-in set ships, each name once (``hotline`` is both a category and a UI icon).
ICON_NAMES: tuple[str, ...] = tuple(dict.fromkeys((*CATEGORY_ICON_NAMES, *UI_ICON_NAMES)))

SVG_NS = "http://www.w3.org/2000/svg"
VIEW_BOX = "0 0 24 24"
VIEW_SIZE = 24.0
MAX_ICON_BYTES = 16_384  # a pictogram is < 1.5 KB; anything far bigger is not one

PAINT_ATTRS = ("fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin")
GEOMETRY_ATTRS: dict[str, tuple[str, ...]] = {
    "path": ("d",),
    "circle": ("cx", "cy", "r"),
    "ellipse": ("cx", "cy", "rx", "ry"),
    "rect": ("x", "y", "width", "height", "rx", "ry"),
    "line": ("x1", "y1", "x2", "y2"),
    "polyline": ("points",),
    "polygon": ("points",),
}
ROOT_ATTRS = ("viewBox", "width", "height", "version", *PAINT_ATTRS)

_NAME_RE = re.compile(r"^[a-z][a-z0-9_]{0,63}$")
_NUMBER_RE = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?(px)?$")
_PATH_DATA_RE = re.compile(r"^[MmLlHhVvCcSsQqTtAaZz0-9eE.,+\-\s]*$")
_POINTS_RE = re.compile(r"^[0-9eE.,+\-\s]*$")
_PAINT_VALUES = frozenset({"currentColor", "none"})
_LINECAPS = frozenset({"butt", "round", "square"})
_LINEJOINS = frozenset({"miter", "round", "bevel"})


class IconError(ValueError):
    """An icon file that is missing the required shape: names the file and what is wrong with it."""


@dataclass(frozen=True)
class IconShape:
    """One checked child element: its tag and attributes in a fixed order."""

    tag: str
    attrs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Icon:
    """A checked icon: root paint attributes and shapes, ready to be written out again."""

    name: str
    source: Path
    root_attrs: tuple[tuple[str, str], ...]
    shapes: tuple[IconShape, ...]

    def inner_markup(self) -> str:
        """The shapes as SVG markup (no root element), rebuilt from checked values only."""
        return "".join(
            f"<{s.tag}" + "".join(f' {k}="{escape(v, quote=True)}"' for k, v in s.attrs) + "/>"
            for s in self.shapes
        )

    @property
    def digest(self) -> str:
        """A short fingerprint of the geometry, so two different files never share one PDF form."""
        text = repr((self.root_attrs, self.shapes))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]


def category_icon_name(code: str) -> str:
    """The icon drawn next to a service category; every category code has its own icon file."""
    if code not in CATEGORY_ICON_NAMES:
        raise KeyError(f"unknown category code {code!r}")
    return code


def _check_name(name: str) -> None:
    """Icon names become file names: refuse anything that could leave the icons folder."""
    if not _NAME_RE.match(name):
        raise IconError(f"invalid icon name {name!r}: use lower-case letters, digits and _")


def icon_path(name: str, template_dirs: Iterable[Path] = ()) -> Path:
    """The file of icon ``name``: a user's ``--template-dir`` copy first, else the built-in one."""
    _check_name(name)
    return find_template(f"icons/{name}.svg", template_dirs)


def _local(tag: str, source: Path) -> str:
    """The SVG element name without its namespace; any other namespace is refused."""
    if tag.startswith("{"):
        ns, _, local = tag[1:].partition("}")
        if ns == SVG_NS:
            return local
    raise IconError(f"{source}: element {tag!r} is not an SVG element")


def _check_paint(attr: str, value: str, where: str) -> None:
    """Presentation values: one colour only (currentColor), plain numbers, known keywords."""
    ok = (
        (attr in ("fill", "stroke") and value in _PAINT_VALUES)
        or (attr == "stroke-width" and bool(_NUMBER_RE.match(value)))
        or (attr == "stroke-linecap" and value in _LINECAPS)
        or (attr == "stroke-linejoin" and value in _LINEJOINS)
    )
    if not ok:
        hint = " (colours must be currentColor or none)" if attr in ("fill", "stroke") else ""
        raise IconError(f"{where}: {attr}={value!r} is not allowed{hint}")


def _check_geometry(tag: str, attr: str, value: str, where: str) -> None:
    """Geometry values: numbers, or path data / point lists made only of numbers and commands."""
    if attr == "d":
        ok = bool(_PATH_DATA_RE.match(value)) and bool(value.strip())
    elif attr == "points":
        ok = bool(_POINTS_RE.match(value)) and bool(value.strip())
    else:
        ok = bool(_NUMBER_RE.match(value))
    if not ok:
        raise IconError(f"{where}: <{tag}> {attr}={value!r} is not a plain number or path")


def _checked_attrs(
    elem: Element, allowed: tuple[str, ...], where: str, tag: str
) -> tuple[tuple[str, str], ...]:
    """The element's attributes in the allowed order, after refusing any attribute outside it."""
    for key in elem.attrib:
        if key not in allowed:
            raise IconError(
                f"{where}: attribute {key!r} is not allowed on <{tag}>; allowed: {', '.join(allowed)}"
            )
    out = []
    for key in allowed:
        value = elem.attrib.get(key)
        if value is None:
            continue
        value = value.strip()
        if key in PAINT_ATTRS:
            _check_paint(key, value, where)
        elif tag != "svg":
            _check_geometry(tag, key, value, where)
        out.append((key, value))
    return tuple(out)


def parse_icon(data: bytes, name: str, source: Path) -> Icon:
    """Parse and check one icon file; IconError says exactly what to change in it."""
    if len(data) > MAX_ICON_BYTES:
        raise IconError(f"{source}: {len(data)} bytes; an icon must be smaller than {MAX_ICON_BYTES} bytes")
    try:
        root = SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except Exception as exc:  # defusedxml raises several types; all mean "not a safe, well-formed file"
        raise IconError(f"{source}: not a well-formed, DTD-free SVG file ({exc})") from exc
    if _local(root.tag, source) != "svg":
        raise IconError(f"{source}: the root element must be <svg>")
    root_attrs = _checked_attrs(root, ROOT_ATTRS, str(source), "svg")
    if dict(root_attrs).get("viewBox", "").split() != VIEW_BOX.split():
        raise IconError(f'{source}: the root needs viewBox="{VIEW_BOX}"')
    if (root.text or "").strip():
        raise IconError(f"{source}: text is not allowed in an icon")
    shapes = []
    for child in root:
        tag = _local(str(child.tag), source)
        if tag not in GEOMETRY_ATTRS:
            raise IconError(f"{source}: <{tag}> is not allowed; use only {', '.join(GEOMETRY_ATTRS)}")
        if len(child) or (child.text or "").strip() or (child.tail or "").strip():
            raise IconError(f"{source}: <{tag}> must be empty, with no text around it")
        attrs = _checked_attrs(child, (*GEOMETRY_ATTRS[tag], *PAINT_ATTRS), str(source), tag)
        shapes.append(IconShape(tag, attrs))
    if not shapes:
        raise IconError(f"{source}: the icon draws nothing")
    paint = tuple((k, v) for k, v in root_attrs if k in PAINT_ATTRS)
    return Icon(name=name, source=source, root_attrs=paint, shapes=tuple(shapes))


@lru_cache(maxsize=256)
def _load_icon_cached(name: str, template_dirs: tuple[Path, ...]) -> Icon:
    path = icon_path(name, template_dirs)
    return parse_icon(path.read_bytes(), name, path)


def load_icon(name: str, template_dirs: Iterable[Path] = ()) -> Icon:
    """The checked icon ``name`` (cached: one build reads each file once)."""
    return _load_icon_cached(name, tuple(Path(d) for d in template_dirs))


def check_icons(template_dirs: Iterable[Path]) -> None:
    """Parse every icon a ``--template-dir`` replaces, before anything is drawn: IconError names the file.

    A broken or unsafe icon (not well-formed, a DTD, an ``<image href>`` or any other element or attribute
    outside the allowed subset, which is how an SVG would load something from outside) would otherwise
    fail every district, one by one, as a program error.
    """
    dirs = tuple(Path(d) for d in template_dirs)
    for folder in dirs:
        for name in ICON_NAMES:
            path = folder / "icons" / f"{name}.svg"
            if path.is_file():
                parse_icon(path.read_bytes(), name, path)


# ---------------------------------------------------------------- HTML


def icon_svg(
    name: str,
    *,
    size: int = 24,
    label: str | None = None,
    css_class: str = "icon",
    template_dirs: Iterable[Path] = (),
) -> str:
    """Inline SVG for HTML pages.

    With ``label`` the icon is an image with an accessible name (``role="img"``, ``aria-label`` and a
    ``<title>``, all escaped: labels are translations and may be workbook text); without it the icon is
    decoration that screen readers skip. The result is byte-identical for the same arguments.
    """
    return _icon_svg_cached(name, size, label, css_class, tuple(Path(d) for d in template_dirs))


@lru_cache(maxsize=4096)
def _icon_svg_cached(
    name: str, size: int, label: str | None, css_class: str, template_dirs: tuple[Path, ...]
) -> str:
    icon = _load_icon_cached(name, template_dirs)
    px = str(int(size))
    attrs: list[tuple[str, str]] = [
        ("xmlns", SVG_NS),
        ("viewBox", VIEW_BOX),
        ("width", px),
        ("height", px),
    ]
    if css_class:
        attrs.append(("class", css_class))
    attrs.extend(icon.root_attrs)
    if label:
        attrs.extend([("role", "img"), ("aria-label", label)])
    else:
        attrs.extend([("aria-hidden", "true"), ("focusable", "false")])
    head = "<svg" + "".join(f' {k}="{escape(v, quote=True)}"' for k, v in attrs) + ">"
    title = f"<title>{escape(label, quote=False)}</title>" if label else ""
    return head + title + icon.inner_markup() + "</svg>"


# ---------------------------------------------------------------- ReportLab


def _color_hex(color: Any) -> str:
    """Normalise a ReportLab colour, a CSS name or '#rrggbb' to '#rrggbb' (None is black)."""
    if color is None:
        return "#000000"
    c = colors.toColor(color)
    return "#" + c.hexval()[2:].lower()


def _standalone_svg(icon: Icon, color_hex: str) -> bytes:
    """The checked icon as a complete SVG with its one colour filled in, for svglib."""
    root = "".join(
        f' {k}="{escape(color_hex if v == "currentColor" else v, quote=True)}"' for k, v in icon.root_attrs
    )
    inner = icon.inner_markup().replace('"currentColor"', f'"{color_hex}"')
    return f'<svg xmlns="{SVG_NS}" viewBox="{VIEW_BOX}"{root}>{inner}</svg>'.encode()


@lru_cache(maxsize=512)
def _unit_group(name: str, color_hex: str, template_dirs: tuple[Path, ...]) -> Group:
    """The icon as a ReportLab Group in view-box units (0..24, y up): converted once per colour."""
    from svglib.svglib import svg2rlg  # imported late: only the PDF renderer needs it

    icon = _load_icon_cached(name, template_dirs)
    drawing = svg2rlg(io.BytesIO(_standalone_svg(icon, color_hex)))
    if drawing is None:
        raise IconError(f"{icon.source}: svglib could not convert the icon")
    group = Group(*drawing.contents)
    # svglib sizes a view-box-only SVG as 24 px = 18 pt; undo that so one unit is one view-box unit.
    px_to_pt = drawing.width / VIEW_SIZE
    group.scale(1 / px_to_pt, 1 / px_to_pt)
    return group


@lru_cache(maxsize=2048)
def _sized_group(name: str, size: float, color_hex: str, template_dirs: tuple[Path, ...]) -> Group:
    group = Group(_unit_group(name, color_hex, template_dirs))
    k = size / VIEW_SIZE
    group.scale(k, k)
    return group


def icon_drawing(name: str, size: float, color: Any = None, *, template_dirs: Iterable[Path] = ()) -> Drawing:
    """The icon as a ``size`` x ``size`` pt ReportLab Drawing (a Flowable too).

    The converted shapes are cached per (name, size, colour) and shared between the Drawings returned:
    treat the shapes as read-only; the Drawing itself is new on every call, so its attributes
    (``hAlign``, ``vAlign``...) may be set freely.
    """
    dirs = tuple(Path(d) for d in template_dirs)
    drawing = Drawing(size, size)
    drawing.add(_sized_group(name, float(size), _color_hex(color), dirs))
    return drawing


class IconFlowable(Flowable):
    """A ``size`` x ``size`` pt icon for platypus (table cells, inline lists).

    Each (icon, colour) is written into the PDF once, as a form XObject, and every later use on any page
    is a single ``Do`` operator: a directory with thousands of icons stays small and fast to build.
    """

    def __init__(self, name: str, size: float, color: Any = None, *, template_dirs: Iterable[Path] = ()):
        super().__init__()
        self.name = name
        self.size = float(size)
        self.color_hex = _color_hex(color)
        self.template_dirs = tuple(Path(d) for d in template_dirs)
        self.width = self.height = self.size
        icon = _load_icon_cached(name, self.template_dirs)  # fail early, at layout time, on a bad icon
        self.form_name = f"dbicon_{name}_{self.color_hex[1:]}_{icon.digest}"

    def __repr__(self) -> str:
        return f"IconFlowable({self.name!r}, {self.size:g}, {self.color_hex!r})"

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        return self.size, self.size

    def draw(self) -> None:
        canv = self.canv
        if not canv.hasForm(self.form_name):
            pad = VIEW_SIZE / 8  # round caps and joins may reach past the view box
            canv.beginForm(self.form_name, -pad, -pad, VIEW_SIZE + pad, VIEW_SIZE + pad)
            unit = Drawing(VIEW_SIZE, VIEW_SIZE)
            # renderPDF starts every drawing with a font; use the document's own (embedded) one, else
            # each icon form references an unembedded Helvetica that pdffonts and PDF/A checks flag.
            unit.initialFontName = canv._fontname
            unit.add(_unit_group(self.name, self.color_hex, self.template_dirs))
            renderPDF.draw(unit, canv, 0, 0)
            canv.endForm()
        k = self.size / VIEW_SIZE
        canv.saveState()
        canv.scale(k, k)
        canv.doForm(self.form_name)
        canv.restoreState()


def icon_flowable(
    name: str, size: float, color: Any = None, *, template_dirs: Iterable[Path] = ()
) -> IconFlowable:
    """A Flowable drawing icon ``name`` at ``size`` pt; usable in table cells and beside paragraphs."""
    return IconFlowable(name, size, color, template_dirs=template_dirs)


def icon_sheet_pdf(template_dirs: Iterable[Path] = (), *, columns: int = 6, size: float = 28) -> bytes:
    """A one-page PDF showing every icon at ``size`` pt and at 10 pt, with its file name.

    For checking a set of icons on paper (including an NGO's overrides) before a whole build.
    The names are file names, not user-facing text, so they are not translated.
    """
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    dirs = tuple(Path(d) for d in template_dirs)
    caption = ParagraphStyle("icon-name", fontName="Helvetica", fontSize=7, leading=8.5, alignment=1)
    cells: list[Any] = [
        [
            Table(
                [[icon_flowable(n, size, template_dirs=dirs), icon_flowable(n, 10, template_dirs=dirs)]],
                colWidths=(size + 6, 16),
                style=TableStyle(
                    [("VALIGN", (0, 0), (-1, -1), "BOTTOM"), ("ALIGN", (0, 0), (-1, -1), "CENTER")]
                ),
            ),
            Paragraph(escape(n), caption),
        ]
        for n in ICON_NAMES
    ]
    rows = [cells[i : i + columns] for i in range(0, len(cells), columns)]
    rows[-1] = rows[-1] + [""] * (columns - len(rows[-1]))
    table = Table(rows, colWidths=[(A4[0] - 60) / columns] * columns)
    table.setStyle(TableStyle([("ALIGN", (0, 0), (-1, -1), "CENTER"), ("TOPPADDING", (0, 0), (-1, -1), 8)]))
    out = io.BytesIO()
    doc = SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=30,
        rightMargin=30,
        topMargin=30,
        bottomMargin=30,
        title="directory-builder icons",
        invariant=True,
    )
    doc.build([table])
    return out.getvalue()
