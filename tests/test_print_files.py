"""The print files (issue 16): the imposed booklet, the cards sheet and ``--print-shop``, read back from
their bytes: page order per half sheet, sheet counts, blank pages only where intended, boxes, marks,
duplex alignment, determinism, manifest and index."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Sequence
from pathlib import Path

import pdfplumber
import pytest
from bs4 import BeautifulSoup
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from directory_builder.build.runner import BuildOptions, build_directory
from directory_builder.outputs.booklet import booklet_pdf
from directory_builder.render.cards_sheet import COLUMNS, PER_SHEET, ROWS, cards_sheets, grid
from directory_builder.render.impose import SHEETS, back_section_start, impose_booklet, padded, saddle_order
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf_sheets import MM, page_sizes
from directory_builder.render.print_shop import SLUG, for_print_shop
from factories import sample_view

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "jakarta-westjava.xlsx"
TODAY = dt.date(2026, 4, 1)
DISTRICT = "kabupaten-sukabumi"  # a 30-page booklet: padded with two blank pages


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("print") / "out"
    options = BuildOptions(out=out, formats=("pdf", "html", "booklet-imposed", "cards-sheet"), languages=("en",),
                           districts=("Kabupaten Sukabumi",), jobs=1)
    result = build_directory(EXAMPLE, options, today=TODAY)
    assert result.built and not result.failures, result.failures
    return out


def _texts(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [_norm(page.extract_text()) for page in doc.pages]


def _norm(text: str | None) -> str:
    return " ".join((text or "").split())


def _halves(pdf: bytes) -> list[tuple[str, str]]:
    """The text of the left and right half of every sheet side."""
    sides = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            mid = float(page.width) / 2
            left = page.crop((0, 0, mid, page.height), strict=False).extract_text()
            right = page.crop((mid, 0, page.width, page.height), strict=False).extract_text()
            sides.append((_norm(left), _norm(right)))
    return sides


# ------------------------------------------------------------------------------------------- the order


def test_saddle_stitch_order() -> None:
    assert saddle_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert saddle_order(4) == [(4, 1), (2, 3)]
    with pytest.raises(ValueError):
        saddle_order(6)


def test_blank_pages_go_before_the_back_section() -> None:
    assert padded(30, 29) == [*range(29), None, None, 29]
    assert padded(8, 7) == list(range(8))
    assert padded(5, 4) == [0, 1, 2, 3, None, None, None, 4]


def test_the_imposed_booklet_is_the_booklet_in_saddle_stitch_order(built: Path) -> None:
    booklet = (built / "en" / f"{DISTRICT}.pdf").read_bytes()
    imposed = (built / "en" / f"{DISTRICT}.imposed.pdf").read_bytes()
    pages = _texts(booklet)
    assert len(pages) == 30
    back = back_section_start(booklet)
    assert back == 29 and "Emergency numbers" in pages[back]
    reading = [pages[n] if n is not None else "" for n in padded(len(pages), back)]
    assert len(reading) == 32
    sides = _halves(imposed)
    assert len(sides) == 2 * 32 // 4  # 8 sheets, both sides
    expected = [(reading[left - 1], reading[right - 1]) for left, right in saddle_order(32)]
    assert sides == expected
    # Sheet 1: the back cover and the cover outside, the contents page inside, facing a blank page.
    assert sides[0][0] == pages[29] and sides[0][1] == pages[0]
    assert sides[1] == (pages[1], "")
    blanks = [n for n, text in enumerate(reading) if not text]
    assert blanks == [29, 30]  # only the intended ones, between the last section and the back cover
    reader = PdfReader(io.BytesIO(imposed))
    width, height = SHEETS["a5"]
    for page in reader.pages:
        assert float(page.mediabox.width) == pytest.approx(width) and float(page.mediabox.height) == pytest.approx(height)
    assert reader.metadata is not None and reader.metadata.title == PdfReader(io.BytesIO(booklet)).metadata.title


def test_a4_and_letter_booklets_go_on_a3_and_tabloid() -> None:
    view = sample_view()
    for paper, (width, height) in (("a4", (420 * MM, 297 * MM)), ("letter", (17 * 72, 11 * 72))):
        booklet = booklet_pdf(view, RenderOptions(paper=paper))  # type: ignore[arg-type]
        reader = PdfReader(io.BytesIO(impose_booklet(booklet, paper)))
        pages = len(PdfReader(io.BytesIO(booklet)).pages)
        assert len(reader.pages) == 2 * -(-pages // 4)
        box = reader.pages[0].mediabox
        assert (float(box.width), float(box.height)) == pytest.approx((width, height))


def _first_x(pdf: bytes, sheet_side: int, half: int) -> float:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[sheet_side]
        mid = float(page.width) / 2
        chars = [c for c in page.chars if (c["x0"] < mid) == (half == 0)]
        return min(c["x0"] for c in chars)


def test_creep_moves_inner_pages_towards_the_fold() -> None:
    booklet = booklet_pdf(sample_view(), RenderOptions())
    plain, crept = impose_booklet(booklet, "a5"), impose_booklet(booklet, "a5", creep_mm=2.0)
    sides = len(PdfReader(io.BytesIO(plain)).pages)
    assert sides >= 4, "needs two sheets at least"
    for half, direction in ((0, 1), (1, -1)):
        assert _first_x(crept, 0, half) == pytest.approx(_first_x(plain, 0, half))  # outermost: unmoved
        moved = _first_x(crept, sides - 2, half) - _first_x(plain, sides - 2, half)  # innermost sheet
        assert moved == pytest.approx(direction * 2 * MM, abs=0.01)


# ------------------------------------------------------------------------------------------- cards sheet


def _fake_card(n: int) -> bytes:
    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(74 * MM, 105 * MM), invariant=1)
    for side in ("FRONT", "BACK"):
        canvas.setFont("Helvetica", 12)
        canvas.drawString(10, 150, f"{side}{n}")
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


def _words(pdf: bytes, page: int) -> dict[str, tuple[float, float]]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return {w["text"]: (w["x0"], w["top"]) for w in doc.pages[page].extract_words()}


def test_card_backs_are_behind_their_fronts_for_a_short_edge_flip() -> None:
    sheet = cards_sheets([_fake_card(n) for n in range(PER_SHEET)])
    reader = PdfReader(io.BytesIO(sheet))
    assert len(reader.pages) == 2
    width = float(reader.pages[0].mediabox.width)
    assert width == pytest.approx(297 * MM)
    first_sum = 0.0
    fronts, backs = _words(sheet, 0), _words(sheet, 1)
    front_columns = sorted({round(x) for x, _y in fronts.values()})
    back_columns = sorted({round(x) for x, _y in backs.values()})
    assert len(front_columns) == len(back_columns) == COLUMNS
    assert len({round(y) for _x, y in fronts.values()}) == ROWS
    for n in range(PER_SHEET):
        fx, fy = fronts[f"FRONT{n}"]
        bx, by = backs[f"BACK{n}"]
        # Turned over like a book page (short-edge flip of a landscape sheet): same row, mirrored column.
        assert by == pytest.approx(fy)
        assert back_columns.index(round(bx)) == COLUMNS - 1 - front_columns.index(round(fx))
        # ... and exactly behind it: the card's left edge on the back is the sheet's width minus its right edge.
        assert bx + fx == pytest.approx(bx + fx if n == 0 else first_sum)
        first_sum = bx + fx


def test_nine_cards_take_two_sheets() -> None:
    assert len(PdfReader(io.BytesIO(cards_sheets([_fake_card(n) for n in range(9)]))).pages) == 4


def test_the_cards_sheet_holds_eight_cards_and_cut_marks_outside_them(built: Path) -> None:
    sheet = (built / "en" / f"{DISTRICT}.cards-sheet.pdf").read_bytes()
    card = _texts((built / "en" / f"{DISTRICT}.card.pdf").read_bytes())
    with pdfplumber.open(io.BytesIO(sheet)) as doc:
        assert len(doc.pages) == 2
        front, back = doc.pages
        assert _norm(front.extract_text()).count("Kabupaten Sukabumi, Jawa") == PER_SHEET
        assert _norm(back.extract_text()).count("Where to get help") == PER_SHEET
        chars = front.chars
        extent = (min(c["x0"] for c in chars), min(c["top"] for c in chars),
                max(c["x1"] for c in chars), max(c["bottom"] for c in chars))
        for page in doc.pages:  # the cut marks: outside the area the cards print on, one per cut and side
            marks = [line for line in page.lines if line["x1"] <= extent[0] or line["x0"] >= extent[2]
                     or line["bottom"] <= extent[1] or line["top"] >= extent[3]]
            assert len(marks) == 2 * (COLUMNS + 1) + 2 * (ROWS + 1)
            assert all(line["linewidth"] < 0.5 for line in marks)
        layout = grid(*page_sizes((built / "en" / f"{DISTRICT}.card.pdf").read_bytes())[0])
        for n, side in enumerate(doc.pages):  # each cell holds the district's own card, front then back
            for slot in range(PER_SHEET):
                x, y = layout.cell(slot, back=n == 1)
                box = (x, float(side.height) - y - layout.h, x + layout.w, float(side.height) - y)
                assert _norm(side.crop(box).extract_text()) == card[n]


# ------------------------------------------------------------------------------------------- print shop


def test_print_shop_pages_have_bleed_crop_marks_and_boxes() -> None:
    view = sample_view()
    plain = booklet_pdf(view, RenderOptions())
    shop = for_print_shop(plain)
    reader = PdfReader(io.BytesIO(shop))
    assert len(reader.pages) == len(PdfReader(io.BytesIO(plain)).pages)
    width, height = 148 * MM, 210 * MM
    assert _texts(shop) == _texts(plain)  # the same pages, not redrawn
    with pdfplumber.open(io.BytesIO(shop)) as doc:
        for page, plumbed in zip(reader.pages, doc.pages, strict=True):
            media, trim, bleed = (tuple(map(float, box)) for box in (page.mediabox, page.trimbox, page.bleedbox))
            assert trim == pytest.approx((SLUG, SLUG, SLUG + width, SLUG + height), abs=0.01)
            three = 3 * MM  # the bleed print shops ask for: TrimBox inside BleedBox by 3 mm on every side
            assert bleed == pytest.approx((trim[0] - three, trim[1] - three, trim[2] + three, trim[3] + three))
            assert media[0] <= bleed[0] and media[2] >= bleed[2] and media[3] >= bleed[3]
            # Crop marks: lines drawn entirely outside the bleed, on the trim lines extended.
            page_h = float(plumbed.height)
            tol = 0.01
            marks = [line for line in plumbed.lines
                     if line["x1"] <= bleed[0] + tol or line["x0"] >= bleed[2] - tol
                     or page_h - line["top"] <= bleed[1] + tol or page_h - line["bottom"] >= bleed[3] - tol]
            assert len(marks) == 8, marks
            # No text in the bleed: every character is inside the trim.
            for char in plumbed.chars:
                assert trim[0] <= char["x0"] and char["x1"] <= trim[2], char["text"]
                assert trim[1] <= page_h - char["bottom"] and page_h - char["top"] <= trim[3], char["text"]


def test_print_shop_applies_to_booklet_and_card_only(tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BuildOptions(out=out, formats=("pdf", "booklet-imposed", "cards-sheet"), languages=("en",),
                           districts=("Jakarta Pusat",), jobs=1, print_shop=True, creep_mm=0.5)
    result = build_directory(EXAMPLE, options, today=TODAY)
    assert result.built and not result.failures
    def trim_of(name: str) -> Sequence[float]:
        page = PdfReader(out / "en" / name).pages[0]
        return [float(v) for v in page.trimbox]
    assert trim_of("jakarta-pusat.pdf")[0] == pytest.approx(SLUG)
    assert trim_of("jakarta-pusat.card.pdf")[0] == pytest.approx(SLUG)
    assert trim_of("jakarta-pusat.imposed.pdf")[0] == 0  # office sheets: no print-shop margins
    assert trim_of("jakarta-pusat.cards-sheet.pdf")[0] == 0


# ------------------------------------------------------------------------------------------- build


def test_deterministic() -> None:
    view = sample_view()
    booklet = booklet_pdf(view, RenderOptions())
    assert impose_booklet(booklet, "a5", 1.0) == impose_booklet(booklet, "a5", 1.0)
    assert for_print_shop(booklet) == for_print_shop(booklet)
    cards = [_fake_card(1), _fake_card(2)]
    assert cards_sheets(cards) == cards_sheets(cards)
    assert b"/ID" not in impose_booklet(booklet, "a5")


def test_manifest_and_index_list_the_print_files(built: Path) -> None:
    manifest = json.loads((built / "manifest.json").read_text(encoding="utf-8"))
    kinds = {f["path"]: f["kind"] for f in manifest["files"]}
    assert kinds[f"en/{DISTRICT}.imposed.pdf"] == "booklet-imposed"
    assert kinds[f"en/{DISTRICT}.cards-sheet.pdf"] == "cards-sheet"
    pages = {f["path"]: f.get("pages") for f in manifest["files"]}
    assert pages[f"en/{DISTRICT}.imposed.pdf"] == 16
    soup = BeautifulSoup((built / "index.html").read_text(encoding="utf-8"), "html.parser")
    hrefs = {a["href"] for a in soup.find_all("a", href=True)}
    assert {f"en/{DISTRICT}.imposed.pdf", f"en/{DISTRICT}.cards-sheet.pdf"} <= hrefs


def test_a_build_without_format_makes_no_print_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = build_directory(EXAMPLE, BuildOptions(out=out, languages=("en",), districts=("Jakarta Pusat",), jobs=1),
                             today=TODAY)
    assert result.built
    assert sorted(p.name for p in (out / "en").iterdir()) == ["jakarta-pusat.card.pdf", "jakarta-pusat.html",
                                                             "jakarta-pusat.pdf"]


def test_print_options_change_the_input_hash(tmp_path: Path) -> None:
    out = tmp_path / "out"
    base = BuildOptions(out=out, formats=("pdf",), languages=("en",), districts=("Jakarta Pusat",), jobs=1)
    assert build_directory(EXAMPLE, base, today=TODAY).rebuilt
    again = build_directory(EXAMPLE, base, today=TODAY)
    assert again.reused and not again.rebuilt
    shop = build_directory(EXAMPLE, BuildOptions(**{**base.__dict__, "print_shop": True}), today=TODAY)
    assert shop.rebuilt, "a print-shop build must redraw the booklet"


def test_a_language_file_holds_every_districts_cards_sheet_in_order(tmp_path: Path) -> None:
    out = tmp_path / "out"
    options = BuildOptions(out=out, formats=("cards-sheet",), languages=("en",),
                           districts=("Jakarta Utara", "Jakarta Pusat"), jobs=1)
    assert build_directory(EXAMPLE, options, today=TODAY).built
    sheets = sorted((out / "en").glob("*.cards-sheet.pdf"))
    assert [p.name for p in sheets] == ["jakarta-pusat.cards-sheet.pdf", "jakarta-utara.cards-sheet.pdf"]
    joined = (out / "cards-sheet-en.pdf").read_bytes()
    assert _texts(joined) == [text for sheet in sheets for text in _texts(sheet.read_bytes())]
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    entry = next(f for f in manifest["files"] if f["path"] == "cards-sheet-en.pdf")
    assert entry["kind"] == "cards-sheet-language" and entry["lang"] == "en" and entry["pages"] == 4
    # A rebuild reuses every district and makes the same file; a build of one district keeps the others in it.
    again = build_directory(EXAMPLE, options, today=TODAY)
    assert not again.rebuilt and (out / "cards-sheet-en.pdf").read_bytes() == joined
    one = build_directory(EXAMPLE, BuildOptions(**{**options.__dict__, "districts": ("Jakarta Pusat",),
                                                   "incremental": False}), today=TODAY)
    assert one.rebuilt == [("jakarta-pusat", "en")]
    assert (out / "cards-sheet-en.pdf").read_bytes() == joined
    assert sum(f["path"] == "cards-sheet-en.pdf" for f in one.files) == 1


def test_a_job_making_the_booklet_and_the_imposed_booklet_draws_the_booklet_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import directory_builder.render.pdf_booklet as pdf_booklet
    from directory_builder.outputs import REGISTRY

    calls: list[str] = []
    real = pdf_booklet.render_booklet

    def counted(view: object, options: RenderOptions) -> bytes:
        calls.append(view.district)  # type: ignore[attr-defined]
        return real(view, options)  # type: ignore[arg-type]

    monkeypatch.setattr(pdf_booklet, "render_booklet", counted)
    view, options = sample_view(), RenderOptions(print_shop=True)
    booklet = REGISTRY["pdf"].render(view, options)
    imposed = REGISTRY["booklet-imposed"].render(view, options)
    assert len(calls) == 1
    (shop,) = booklet.values()
    (sheets,) = imposed.values()
    assert PdfReader(io.BytesIO(shop)).pages[0].trimbox.left == pytest.approx(SLUG)
    assert len(PdfReader(io.BytesIO(sheets)).pages) == 2 * -(-len(PdfReader(io.BytesIO(shop)).pages) // 4)


@pytest.mark.parametrize(("value", "said"), [("5", "Give a number of at most 3."), ("thick", "Give a number, for example 0.5.")])
def test_a_creep_the_tool_cannot_use_is_refused_in_a_sentence(tmp_path: Path, value: str, said: str) -> None:
    from typer.testing import CliRunner

    from directory_builder.cli import app

    run = CliRunner().invoke(app, ["build", str(EXAMPLE), "--out", str(tmp_path / "out"), "--format",
                                   "booklet-imposed", "--creep", value])
    assert run.exit_code == 2
    assert f"Invalid value for '--creep': {said}" in run.output
    assert "Traceback" not in run.output and not (tmp_path / "out").exists()
