"""The accessible booklet (--format booklet-accessible): a tagged PDF/UA-1 file, checked from its bytes.

pikepdf reads the structure tree, the content streams and the fonts; pdfplumber gives the text of each
marked-content item (MCID), so headings are compared with the web page they are printed from.
"""

from __future__ import annotations

import dataclasses
import io
import itertools
import json
import re
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pdfplumber
import pikepdf
import pytest
from bs4 import BeautifulSoup
from typer.testing import CliRunner

from directory_builder.i18n import language_name
from directory_builder.publish.view import DistrictView
from directory_builder.render.fonts import store_faces
from directory_builder.render.html import render_district_page
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf_accessible import render_accessible_booklet
from directory_builder.util.text import ZWSP
from factories import sample_view

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "jakarta-westjava.xlsx"
TEXT_OPERATORS = {"Tj", "TJ", "'", '"'}
#: What the print style sheet leaves out of the web page (screen-only parts).
SCREEN_ONLY = ".bar, .kinds, .search, .showall, #safety, .vh"


def _views() -> dict[str, DistrictView]:
    return {
        "en": sample_view("en", languages=("en", "id", "th")),
        "th": sample_view("th", languages=("th", "en", "id")),
        "vi": sample_view("vi", languages=("vi", "en")),
    }


@pytest.fixture(scope="module")
def booklets() -> dict[str, bytes]:
    store_faces()  # as the output's warm-up does before a build
    return {lang: render_accessible_booklet(view, RenderOptions()) for lang, view in _views().items()}


# ------------------------------------------------------------------------------------------ reading helpers


def _elements(pdf: pikepdf.Pdf) -> Iterator[pikepdf.Dictionary]:
    """Every structure element, in document (reading) order."""
    def walk(node: Any) -> Iterator[pikepdf.Dictionary]:
        if isinstance(node, pikepdf.Array):
            for kid in node:
                yield from walk(kid)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            yield node
            if "/K" in node:
                yield from walk(node.K)
    yield from walk(pdf.Root.StructTreeRoot.K)


def _mcids(element: pikepdf.Dictionary, page_of: dict[tuple[int, int], int]) -> Iterator[tuple[int, int]]:
    """(page index, MCID) of the content an element holds, its kids' included, in order."""
    def walk(node: Any, page: int | None) -> Iterator[tuple[int, int]]:
        if isinstance(node, int):
            assert page is not None
            yield page, node
        elif isinstance(node, pikepdf.Array):
            for kid in node:
                yield from walk(kid, page)
        elif isinstance(node, pikepdf.Dictionary):
            here = page_of[node.Pg.objgen] if "/Pg" in node else page
            if node.get("/Type") == "/MCR":
                yield here, int(node.MCID)  # type: ignore[misc]
            elif "/S" in node and "/K" in node:
                yield from walk(node.K, here)
    yield from walk(element, None)


def _texts(data: bytes) -> dict[tuple[int, int], str]:
    """The text of each marked-content item: (page index, MCID) -> characters."""
    found: dict[tuple[int, int], str] = {}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for index, page in enumerate(pdf.pages):
            for char in page.chars:
                if char.get("mcid") is not None:
                    key = (index, int(char["mcid"]))
                    found[key] = found.get(key, "") + char["text"]
    return found


def _norm(text: str) -> str:
    """Base letters only: what any extractor keeps of shaped Thai and Vietnamese, in order."""
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not c.isspace() and c != ZWSP and unicodedata.category(c) != "Mn")


def _headings(data: bytes) -> list[tuple[int, str]]:
    pdf = pikepdf.open(io.BytesIO(data))
    page_of = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    texts = _texts(data)
    out = []
    for element in _elements(pdf):
        tag = str(element.S)
        if re.fullmatch(r"/H[1-6]", tag):
            out.append((int(tag[2]), "".join(texts.get(key, "") for key in _mcids(element, page_of))))
    return out


def _page_headings(view: DistrictView) -> list[tuple[int, str]]:
    """The headings a reader sees on the web page the booklet is printed from, in order."""
    soup = BeautifulSoup(render_district_page(view, RenderOptions()), "html.parser")
    for hidden in soup.select(SCREEN_ONLY):
        hidden.decompose()
    return [(int(h.name[1]), h.get_text()) for h in soup.find_all(re.compile(r"^h[1-6]$"))]


def _all_text(data: bytes) -> str:
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        return "\n".join(page.extract_text() or "" for page in pdf.pages)


# ------------------------------------------------------------------------------------------ PDF/UA basics


@pytest.mark.parametrize("lang", ["en", "th", "vi"])
def test_the_catalog_says_tagged_titled_and_in_which_language(booklets: dict[str, bytes], lang: str) -> None:
    view = _views()[lang]
    pdf = pikepdf.open(io.BytesIO(booklets[lang]))
    root = pdf.Root
    assert "/StructTreeRoot" in root
    assert bool(root.MarkInfo.Marked) is True
    assert str(root.Lang) == lang
    assert bool(root.ViewerPreferences.DisplayDocTitle) is True
    title = f"{view.title} – {view.district}"
    assert str(pdf.docinfo.Title) == title
    with pdf.open_metadata() as xmp:
        assert xmp.get("dc:title") == title
        assert xmp.get("pdfuaid:part") == "1"


@pytest.mark.parametrize("lang", ["en", "th", "vi"])
def test_headings_are_those_of_the_page_in_order_without_skipped_levels(booklets: dict[str, bytes], lang: str) -> None:
    found = _headings(booklets[lang])
    assert [level for level, _text in found][:1] == [1]
    assert sum(1 for level, _text in found if level == 1) == 1
    for (before, _a), (after, _b) in itertools.pairwise(found):
        assert after <= before + 1, f"H{before} followed by H{after}: {found}"
    expected = _page_headings(_views()[lang])
    assert [(level, _norm(text)) for level, text in found] == [(level, _norm(text)) for level, text in expected]
    assert len(found) >= 10


def test_lists_and_links_are_structure(booklets: dict[str, bytes]) -> None:
    pdf = pikepdf.open(io.BytesIO(booklets["en"]))
    tags = [str(e.S) for e in _elements(pdf)]
    assert tags.count("/L") >= 5 and tags.count("/LI") >= 10
    links = [e for e in _elements(pdf) if e.S == "/Link"]
    annotated = {objr.Obj.objgen for e in links for objr in e.K if isinstance(objr, pikepdf.Dictionary)
                 and objr.get("/Type") == "/OBJR"}
    annots = [a for page in pdf.pages for a in page.get("/Annots", []) if a.Subtype == "/Link"]
    assert len(annots) >= 10
    for annot in annots:
        assert annot.objgen in annotated, "a link annotation outside the structure tree"
        assert str(annot.Contents), "a link without a description"
        assert "/StructParent" in annot
    uris = {str(a.A.URI) for a in annots if "/A" in a}
    assert "tel:129" in uris
    described = {str(a.Contents) for a in annots if "/A" in a and str(a.A.URI) == "tel:129"}
    assert described == {"Call Anti-trafficking hotline (SAPA): Anti-trafficking hotline (SAPA) 129",
                         "Call Anti-trafficking hotline: 129"}  # the link's words, not its address


@pytest.mark.parametrize("lang", ["en", "th"])
def test_every_text_is_marked_content_in_the_structure_tree(booklets: dict[str, bytes], lang: str) -> None:
    """No text outside marked content; every marked item (not an artifact) belongs to a structure element."""
    pdf = pikepdf.open(io.BytesIO(booklets[lang]))
    parents = pdf.Root.StructTreeRoot.ParentTree.Nums
    parent_tree = {int(parents[i]): parents[i + 1] for i in range(0, len(parents), 2)}
    artifacts = 0
    for page in pdf.pages:
        stack: list[str] = []
        used: set[int] = set()
        for operands, operator in pikepdf.parse_content_stream(page):
            op = str(operator)
            if op in ("BDC", "BMC"):
                tag = str(operands[0])
                if op == "BDC" and isinstance(operands[1], pikepdf.Dictionary) and "/MCID" in operands[1]:
                    used.add(int(operands[1].MCID))
                    tag += "#mcid"
                stack.append(tag)
            elif op == "EMC":
                stack.pop()
            elif op in TEXT_OPERATORS:
                assert stack and (stack[-1].endswith("#mcid") or "/Artifact" in stack), f"unmarked text: {operands}"
            elif op in ("Do", "sh"):
                assert "/Artifact" in stack or (stack and stack[-1].startswith("/Figure")), "an unmarked picture"
                artifacts += "/Artifact" in stack
        assert not stack
        mapped = parent_tree[int(page.obj.StructParents)]
        assert len(mapped) == len(used) and sorted(used) == list(range(len(used)))
        assert all(isinstance(ref, pikepdf.Dictionary) and "/S" in ref for ref in mapped)
    assert artifacts > 10, "the icons are drawn as artifacts"


def test_icons_are_artifacts_and_any_figure_has_alternative_text(booklets: dict[str, bytes]) -> None:
    """Decorative icons (the word beside each says the same) are backgrounds, so artifacts, not Figures."""
    for data in booklets.values():
        pdf = pikepdf.open(io.BytesIO(data))
        for element in _elements(pdf):
            if element.S == "/Figure":
                assert str(element.get("/Alt", "")).strip(), "a Figure without alternative text"
        pictures = [name for page in pdf.pages for name in page.Resources.get("/XObject", {})]
        patterns = [name for page in pdf.pages for name in page.Resources.get("/Pattern", {})]
        assert pictures or patterns, "no icons drawn at all"


def test_foreign_language_names_carry_their_language(booklets: dict[str, bytes]) -> None:
    data = booklets["th"]
    pdf = pikepdf.open(io.BytesIO(data))
    page_of = {page.obj.objgen: i for i, page in enumerate(pdf.pages)}
    texts = _texts(data)
    tagged = {str(e.Lang): "".join(texts.get(k, "") for k in _mcids(e, page_of))
              for e in _elements(pdf) if "/Lang" in e}
    assert tagged == {code: language_name(code, code) for code in ("en", "id")}


@pytest.mark.parametrize("lang", ["en", "th", "vi"])
def test_fonts_are_the_booklet_faces_embedded_with_unicode_maps(booklets: dict[str, bytes], lang: str) -> None:
    pdf = pikepdf.open(io.BytesIO(booklets[lang]))
    fonts = {f.objgen: f for page in pdf.pages for f in page.Resources.Font.values()}
    assert fonts
    for font in fonts.values():
        assert "/ToUnicode" in font
        assert re.fullmatch(r"/[A-Z]{6}\+DBSans(-Bold|-Italic)?", str(font.BaseFont)), font.BaseFont
        descriptor = font.DescendantFonts[0].FontDescriptor
        assert "/FontFile2" in descriptor or "/FontFile3" in descriptor


def test_ligatures_extract_as_their_letters(booklets: dict[str, bytes]) -> None:
    text = _all_text(booklets["en"])
    assert "Trafficking" in text and "\ufb01" not in text and "\ufb03" not in text


def test_thai_text_extracts_with_its_marks(booklets: dict[str, bytes]) -> None:
    text = _all_text(booklets["th"])
    for sample in ("สมุดรายชื่อบริการสำหรับผู้เสียหายจากการค้ามนุษย์", "จังหวัดเชียงใหม่"):
        assert _norm(sample) in _norm(text)
        marks = {c for c in unicodedata.normalize("NFKD", sample) if unicodedata.category(c) == "Mn"}
        assert marks <= set(unicodedata.normalize("NFKD", text)), "Thai marks lost in extraction"


def test_vietnamese_letters_drawn_as_letter_and_mark_extract_whole(booklets: dict[str, bytes]) -> None:
    """The font draws "ụ" as "u" + dot below: a plain "u" elsewhere must still extract ("cung", not "cng")."""
    text = unicodedata.normalize("NFC", _all_text(booklets["vi"]))
    words = re.findall(r"\w+", text)
    for word in ("dịch", "vụ", "cung", "Gọi", "họ"):
        assert _norm(word) in {_norm(w) for w in words} or _norm(word) in _norm(text)
    assert "cung" in words, "a base letter lost its text"
    assert "\u0323" in unicodedata.normalize("NFD", text), "dot below lost"


def test_same_view_same_bytes(booklets: dict[str, bytes]) -> None:
    view = _views()["en"]
    assert render_accessible_booklet(view, RenderOptions()) == booklets["en"]
    pdf = pikepdf.open(io.BytesIO(booklets["en"]))
    assert str(pdf.docinfo.CreationDate).startswith("D:" + view.published.strftime("%Y%m%d"))


@pytest.mark.parametrize(("paper", "size"), [("a4", (595.3, 841.9)), ("letter", (612.0, 792.0))])
def test_paper_sizes(paper: str, size: tuple[float, float]) -> None:
    view = dataclasses.replace(_views()["en"], sections=(), all_district_sections=())
    data = render_accessible_booklet(view, RenderOptions(paper=paper))  # type: ignore[arg-type]
    pdf = pikepdf.open(io.BytesIO(data))
    box = [float(v) for v in pdf.pages[0].MediaBox]
    assert box[2] - box[0] == pytest.approx(size[0], abs=1) and box[3] - box[1] == pytest.approx(size[1], abs=1)


def test_nothing_is_fetched_from_outside() -> None:
    from directory_builder.render.pdf_accessible import _local_only

    fetcher = _local_only()
    for url in ("https://example.org/font.woff2", "file:///etc/passwd", "ftp://example.org/x"):
        with pytest.raises(ValueError, match="loads nothing"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"
    assert fetcher.fetch("directory-builder-font:Regular").read()[:4] in (b"\x00\x01\x00\x00", b"OTTO", b"true")


def test_a_print_style_that_would_load_something_is_refused(tmp_path: Path) -> None:
    from directory_builder.render.pdf_accessible import check_style

    (tmp_path / "pdf").mkdir()
    css = tmp_path / "pdf" / "accessible.css"
    css.write_text("body { background: url(https://tracker.example/x.png) }", encoding="utf-8")
    with pytest.raises(ValueError, match=r"accessible\.css.*tracker\.example"):
        check_style((tmp_path,))


# ------------------------------------------------------------------------------------------ build and CLI


def test_build_lists_it_in_the_manifest_and_the_index(tmp_path: Path) -> None:
    from directory_builder.build.runner import BuildOptions, build_directory

    out = tmp_path / "out"
    result = build_directory(EXAMPLE, BuildOptions(out=out, formats=("booklet-accessible", "html"), jobs=1,
                                                   districts=("Jakarta Pusat",), languages=("en",)))
    assert result.built and not result.failures
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    (entry,) = [f for f in manifest["files"] if f["kind"] == "booklet-accessible"]
    assert entry["path"] == "en/jakarta-pusat-accessible.pdf"
    data = (out / entry["path"]).read_bytes()
    assert entry["pages"] == len(pikepdf.open(io.BytesIO(data)).pages) > 3
    assert entry["entries"] > 0
    assert 'href="en/jakarta-pusat-accessible.pdf"' in (out / "index.html").read_text(encoding="utf-8")


def test_the_default_build_does_not_make_it() -> None:
    from directory_builder.build.runner import BuildOptions

    assert "booklet-accessible" not in BuildOptions(out=Path("x")).formats


def test_without_weasyprint_the_build_stops_at_once_saying_how_to_install(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from directory_builder.cli import app

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # import weasyprint now raises ImportError
    out = tmp_path / "out"
    run = CliRunner().invoke(app, ["build", str(EXAMPLE), "--out", str(out), "--format", "booklet-accessible,html"])
    assert run.exit_code == 2, run.output
    assert "pip install 'directory-builder[accessible]'" in run.output
    assert "libpango-1.0-0" in run.output
    assert "Traceback" not in run.output
    assert not out.exists() or not any(out.rglob("*.html")), "nothing is built"
