"""The icon set: files that follow the restricted SVG subset, safe HTML markup, real PDF output."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import pytest
from defusedxml import ElementTree as SafeET
from pypdf import PdfReader
from reportlab.graphics import renderPDF
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas

from directory_builder.render import icons
from directory_builder.render.icons import (
    ICON_NAMES,
    IconError,
    category_icon_name,
    icon_drawing,
    icon_flowable,
    icon_path,
    icon_sheet_pdf,
    icon_svg,
    load_icon,
    parse_icon,
)
from directory_builder.util.templates_path import BUILTIN_TEMPLATES
from directory_builder.vocab import CATEGORIES

ICON_DIR = BUILTIN_TEMPLATES / "icons"
SVG = "{http://www.w3.org/2000/svg}"
ALLOWED_ELEMENTS = {"path", "circle", "rect", "line", "polyline", "polygon", "ellipse"}
PAINT = {"fill", "stroke", "stroke-width", "stroke-linecap", "stroke-linejoin"}
GEOMETRY = {"d", "cx", "cy", "r", "rx", "ry", "x", "y", "width", "height", "x1", "y1", "x2", "y2", "points"}
UI_ICONS = (
    "phone", "hotline", "sms", "email", "website", "clock", "location", "lock", "people", "cost",
    "document", "language", "accessibility", "check", "warning", "exit", "info", "search", "emergency",
)  # fmt: skip

GOOD = (
    b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="currentColor">'
    b'<circle cx="12" cy="12" r="9"/></svg>'
)


def _svg(inner: str, root: str = 'viewBox="0 0 24 24"') -> bytes:
    return f'<svg xmlns="http://www.w3.org/2000/svg" {root}>{inner}</svg>'.encode()


# ---------------------------------------------------------------- the files


def test_every_category_and_ui_icon_has_a_file() -> None:
    for code in CATEGORIES.codes:
        assert category_icon_name(code) == code
        assert (ICON_DIR / f"{code}.svg").is_file(), code
    for name in UI_ICONS:
        assert (ICON_DIR / f"{name}.svg").is_file(), name
    assert set(ICON_NAMES) == set(CATEGORIES.codes) | set(UI_ICONS)
    assert len(ICON_NAMES) == len(set(ICON_NAMES))
    # no stray file that the code does not know about
    assert {p.stem for p in ICON_DIR.glob("*.svg")} == set(ICON_NAMES)


def test_unknown_category_has_no_icon() -> None:
    with pytest.raises(KeyError):
        category_icon_name("spaceships")


@pytest.mark.parametrize("name", ICON_NAMES)
def test_icon_file_uses_only_the_restricted_subset(name: str) -> None:
    data = (ICON_DIR / f"{name}.svg").read_bytes()
    assert len(data) < 1536, f"{name}.svg is {len(data)} bytes"
    text = data.decode("utf-8")
    assert "<?xml" not in text and "<!--" not in text and "transform" not in text
    root = SafeET.fromstring(data)
    assert root.tag == f"{SVG}svg"
    assert root.get("viewBox") == "0 0 24 24"
    assert set(root.attrib) <= {"viewBox"} | PAINT
    assert len(root) > 0
    for el in root:
        assert el.tag.startswith(SVG) and el.tag[len(SVG) :] in ALLOWED_ELEMENTS, el.tag
        assert set(el.attrib) <= GEOMETRY | PAINT, el.attrib
        assert len(el) == 0 and not (el.text or "").strip()
    for el in root.iter():
        for attr in ("fill", "stroke"):
            assert el.get(attr, "none") in {"none", "currentColor"}, (name, attr, el.get(attr))
    # colour appears only as currentColor: no hex, rgb() or named colours anywhere
    assert not re.search(r"#[0-9a-fA-F]{3}|rgb\(", text)


@pytest.mark.parametrize("name", ICON_NAMES)
def test_module_parses_every_builtin_icon(name: str) -> None:
    icon = load_icon(name)
    assert icon.source == ICON_DIR / f"{name}.svg"
    assert icon.shapes


# ---------------------------------------------------------------- the checker refuses what is unsafe


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
            b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path d="M0 0 L1 1"/>&b;</svg>',
            "DTD-free",
        ),
        (_svg("<script>alert(1)</script>"), "<script> is not allowed"),
        (_svg('<image href="http://example.org/x.png" width="24" height="24"/>'), "<image> is not allowed"),
        (_svg('<circle cx="1" cy="1" r="1" onload="alert(1)"/>'), "'onload' is not allowed"),
        (_svg('<circle cx="1" cy="1" r="1" style="fill:red"/>'), "'style' is not allowed"),
        (_svg('<circle cx="1" cy="1" r="1" transform="scale(2)"/>'), "'transform' is not allowed"),
        (_svg('<circle cx="1" cy="1" r="1" fill="red"/>'), "currentColor or none"),
        (_svg('<circle cx="1" cy="1" r="1" fill="url(#g)"/>'), "currentColor or none"),
        (_svg('<circle cx="1" cy="1" r="javascript:1"/>'), "plain number"),
        (_svg('<path d="M0 0 L1 1&quot; onload=&quot;x"/>'), "plain number or path"),
        (_svg("<text>SOS</text>"), "<text> is not allowed"),
        (_svg('<g><circle cx="1" cy="1" r="1"/></g>'), "<g> is not allowed"),
        (_svg('<circle cx="1" cy="1" r="1"/>', root='viewBox="0 0 48 48"'), "viewBox"),
        (
            b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
            b'viewBox="0 0 24 24"><circle cx="1" cy="1" r="1" xlink:href="#x"/></svg>',
            "not allowed",
        ),
        (b'<html xmlns="http://www.w3.org/1999/xhtml"/>', "not an SVG element"),
        (_svg(""), "draws nothing"),
        (b"<svg", "well-formed"),
        (_svg("<!--" + "x" * 20000 + "-->"), "smaller than"),
    ],
)
def test_checker_refuses_unsafe_or_unsupported_svg(data: bytes, message: str) -> None:
    with pytest.raises(IconError, match=re.escape(message)):
        parse_icon(data, "x", Path("user/icons/x.svg"))


def test_checker_drops_declaration_and_comments() -> None:
    data = b'<?xml version="1.0" encoding="UTF-8"?>\n<!-- made by hand -->\n' + GOOD
    icon = parse_icon(data, "x", Path("x.svg"))
    assert icon.inner_markup() == '<circle cx="12" cy="12" r="9"/>'


# ---------------------------------------------------------------- HTML


def test_icon_svg_without_label_is_hidden_from_screen_readers() -> None:
    markup = icon_svg("phone", size=14)
    root = SafeET.fromstring(markup)
    assert root.get("aria-hidden") == "true" and root.get("focusable") == "false"
    assert root.get("role") is None and root.find(f"{SVG}title") is None
    assert (root.get("width"), root.get("height"), root.get("viewBox")) == ("14", "14", "0 0 24 24")
    assert root.get("class") == "icon"
    assert "<?xml" not in markup and "<!--" not in markup
    assert markup == icon_svg("phone", size=14)  # deterministic


def test_icon_svg_escapes_a_hostile_label_and_class() -> None:
    label = "\"><script>alert(1)</script><b a='x' & "
    markup = icon_svg("shelter", label=label, css_class='icon" onclick="x')
    assert "<script>" not in markup and 'onclick="x"' not in markup
    root = SafeET.fromstring(markup)
    assert root.get("role") == "img"
    assert root.get("aria-label") == label
    assert root.get("class") == 'icon" onclick="x'
    assert root.get("aria-hidden") is None
    title = root.find(f"{SVG}title")
    assert title is not None and title.text == label
    assert next(iter(root)).tag == f"{SVG}title"
    assert {el.tag[len(SVG) :] for el in root} <= ALLOWED_ELEMENTS | {"title"}


def test_icon_svg_keeps_the_shapes_and_only_currentcolor() -> None:
    markup = icon_svg("location", size=48, css_class="")
    root = SafeET.fromstring(markup)
    assert root.get("class") is None
    source = SafeET.fromstring((ICON_DIR / "location.svg").read_bytes())
    assert [el.attrib for el in root] == [el.attrib for el in source]
    assert root.get("stroke") == "currentColor"


# ---------------------------------------------------------------- overrides


def test_user_template_dir_overrides_an_icon(tmp_path: Path) -> None:
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "phone.svg").write_bytes(GOOD)
    assert icon_path("phone", [tmp_path]) == tmp_path / "icons" / "phone.svg"
    assert icon_path("email", [tmp_path]) == ICON_DIR / "email.svg"
    assert '<circle cx="12" cy="12" r="9"/>' in icon_svg("phone", template_dirs=[tmp_path])
    assert "<path" in icon_svg("phone")  # the built-in one is untouched
    assert icon_drawing("phone", 20, template_dirs=[tmp_path]).width == 20
    flow_user = icon_flowable("phone", 20, template_dirs=[tmp_path])
    assert flow_user.form_name != icon_flowable("phone", 20).form_name


def test_bad_user_icon_is_reported_with_its_file(tmp_path: Path) -> None:
    (tmp_path / "icons").mkdir()
    (tmp_path / "icons" / "email.svg").write_bytes(_svg('<circle cx="1" cy="1" r="1" fill="#f00"/>'))
    with pytest.raises(IconError, match=r"email\.svg"):
        icon_svg("email", template_dirs=[tmp_path])


@pytest.mark.parametrize("name", ["../secret", "icons/phone", "Phone", "", "phone.svg", "a" * 80])
def test_icon_names_cannot_leave_the_icons_folder(name: str) -> None:
    with pytest.raises(IconError):
        icon_path(name)


def test_missing_icon_names_the_places_looked_at(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError, match="nosuchicon"):
        icon_svg("nosuchicon", template_dirs=[tmp_path])


# ---------------------------------------------------------------- ReportLab / PDF


def _page_content(pdf: bytes) -> str:
    page = PdfReader(io.BytesIO(pdf)).pages[0]
    return page.get_contents().get_data().decode("latin-1")  # type: ignore[union-attr]


def test_icon_drawing_has_the_size_and_colour_asked_for() -> None:
    drawing = icon_drawing("medical", 30, colors.HexColor("#ff0000"))
    assert (drawing.width, drawing.height) == (30, 30)
    x0, y0, x1, y1 = drawing.getBounds()
    assert 0 <= x0 < x1 <= 30 and 0 <= y0 < y1 <= 30
    assert x1 - x0 > 20  # fills most of the box
    pdf = renderPDF.drawToString(drawing)
    assert "1 0 0 RG" in _page_content(pdf)  # stroke colour red
    black = _page_content(renderPDF.drawToString(icon_drawing("medical", 30)))
    assert "0 0 0 RG" in black


def test_icon_drawing_returns_fresh_drawings_sharing_cached_shapes() -> None:
    a, b = icon_drawing("phone", 14), icon_drawing("phone", 14)
    assert a is not b
    assert a.contents[0] is b.contents[0]
    a.hAlign = "RIGHT"
    assert getattr(b, "hAlign", "LEFT") != "RIGHT"


def test_icon_sheet_is_a_valid_one_page_pdf_with_every_icon() -> None:
    pdf = icon_sheet_pdf()
    assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF")
    reader = PdfReader(io.BytesIO(pdf), strict=True)
    assert len(reader.pages) == 1
    xobjects = reader.pages[0]["/Resources"]["/XObject"]  # type: ignore[index]
    assert len(xobjects) == len(ICON_NAMES)  # one form per icon, reused at both sizes
    text = reader.pages[0].extract_text()
    for name in ICON_NAMES:
        assert name in text.replace("\n", " ")
    assert icon_sheet_pdf() == pdf  # deterministic


def _rasterise_each_icon(scale: float) -> dict[str, object]:
    """One 24 pt page per icon, drawn through the flowable, rendered by PDFium to grayscale images."""
    pdfium = pytest.importorskip("pypdfium2")
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(24, 24), invariant=1)
    for name in ICON_NAMES:
        icon_flowable(name, 24).drawOn(canvas, 0, 0)
        canvas.showPage()
    canvas.save()
    doc = pdfium.PdfDocument(out.getvalue())
    images = {name: doc[i].render(scale=scale).to_pil().convert("L") for i, name in enumerate(ICON_NAMES)}
    doc.close()
    return images


def test_every_icon_is_painted_with_a_sensible_amount_of_ink() -> None:
    for name, image in _rasterise_each_icon(scale=4).items():
        histogram = image.histogram()  # type: ignore[attr-defined]
        ink = sum(histogram[:128]) / sum(histogram)
        assert 0.08 < ink < 0.6, (name, ink)


def test_holes_and_orientation_survive_the_conversion() -> None:
    """Nonzero winding cuts the pin's hole and the keyhole; a flipped y axis would move them."""
    images = _rasterise_each_icon(scale=4)

    def dark(name: str, x: float, y: float) -> bool:  # x, y in view-box units, y down as in the SVG
        return images[name].getpixel((int(x * 4), int(y * 4))) < 128  # type: ignore[attr-defined]

    assert not dark("location", 12, 9.5) and dark("location", 12, 15) and dark("location", 6, 8)
    assert not dark("lock", 12, 15) and dark("lock", 6, 18) and not dark("lock", 12, 8)
    assert dark("check", 9.5, 18) and not dark("check", 9.5, 8)


def test_flowable_in_a_table_and_the_form_is_drawn_once() -> None:
    from reportlab.platypus import SimpleDocTemplate, Table

    rows = [[icon_flowable("phone", 14), icon_flowable("email", 14, "#336699")] for _ in range(20)]
    out = io.BytesIO()
    SimpleDocTemplate(out, invariant=True).build([Table(rows)])
    reader = PdfReader(io.BytesIO(out.getvalue()))
    xobjects = reader.pages[0]["/Resources"]["/XObject"]  # type: ignore[index]
    assert len(xobjects) == 2
    assert _page_content(out.getvalue()).count(" Do") == 40


def test_drawing_a_thousand_icons_is_cheap() -> None:
    icon_flowable("phone", 14).wrap(0, 0)  # warm the caches
    canvas = Canvas(io.BytesIO(), invariant=1)
    start = time.perf_counter()
    for i in range(1000):
        flow = icon_flowable(ICON_NAMES[i % len(ICON_NAMES)], 14)
        flow.drawOn(canvas, 10 + (i % 30) * 18, 10 + (i // 30) * 18 % 700)
    canvas.showPage()
    canvas.save()
    assert time.perf_counter() - start < 1.0  # about 0.05 s on the 2-core build machine


def test_caches_are_bounded_and_keyed_per_colour() -> None:
    red = icon_drawing("lock", 14, "#ff0000").contents[0]
    blue = icon_drawing("lock", 14, "#0000ff").contents[0]
    assert red is not blue
    assert icons._sized_group.cache_info().maxsize is not None
