"""The imposed booklet: the booklet two pages to a sheet, in saddle-stitch order, for duplex printing.

A5 pages go two to an A4 sheet (landscape), A4 pages to A3, Letter pages to Tabloid (11 x 17 in). Printed
on both sides, flipped on the short edge, the sheets are stacked in order, folded in the middle and
stapled on the fold: the pages then read 1, 2, 3 ... For an 8-page booklet sheet 1 carries 8 | 1 on the
front and 2 | 7 on the back, sheet 2 carries 6 | 3 and 4 | 5.

A booklet's page count is padded to a multiple of four with blank pages. They go just before the
emergency numbers at the end (the last entry of the booklet's outline), so the back cover stays last and
no blank falls inside a section. The booklet's own page numbers stay as drawn: only the back pages
move, behind the blank ones.
"""

from __future__ import annotations

import io

from directory_builder.render.pdf_sheets import MM, Placed, Sheet, compose, page_sizes

#: The sheet a booklet page size is printed on (landscape, two pages side by side).
SHEETS: dict[str, tuple[float, float]] = {
    "a5": (297 * MM, 210 * MM),  # A4
    "a4": (420 * MM, 297 * MM),  # A3
    "letter": (17 * 72, 11 * 72),  # Tabloid
}

#: The thickest creep compensation accepted, in mm: more means the booklet is too thick to fold.
MAX_CREEP_MM = 3.0


def saddle_order(pages: int) -> list[tuple[int, int]]:
    """(left, right) booklet pages (1-based; ``pages`` a multiple of 4) of each sheet side, front then back
    of sheet 1, then sheet 2 ..."""
    if pages % 4:
        raise ValueError(f"a saddle-stitched booklet has a multiple of 4 pages, not {pages}")
    sides = []
    for sheet in range(pages // 4):
        sides.append((pages - 2 * sheet, 1 + 2 * sheet))
        sides.append((2 + 2 * sheet, pages - 1 - 2 * sheet))
    return sides


def padded(pages: int, back_start: int) -> list[int | None]:
    """The booklet's pages (0-based) in reading order with ``None`` for each blank page, so that the count
    is a multiple of 4: the blanks go before ``back_start``, the first page of the back section."""
    blanks = -pages % 4
    back_start = max(1, min(back_start, pages))
    return [*range(back_start), *([None] * blanks), *range(back_start, pages)]


def back_section_start(pdf: bytes) -> int:
    """The page (0-based) where the booklet's last section (the emergency numbers) starts, from its outline;
    the last page when it has none."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    top = [entry for entry in reader.outline if not isinstance(entry, list)]
    if not top:
        return len(reader.pages) - 1
    page = reader.get_destination_page_number(top[-1])
    return page if page is not None else len(reader.pages) - 1


def impose_booklet(pdf: bytes, paper: str, creep_mm: float = 0.0) -> bytes:
    """The booklet ``pdf`` (pages of ``paper`` size) imposed for saddle stitching.

    ``creep_mm``: how far the pages of the innermost sheet move towards the fold, the others in proportion
    (none on the outermost sheet). In a thick booklet the inner sheets stick out past the outer ones once
    folded, so their pages end up further from the fold; this moves them back."""
    width, height = page_sizes(pdf)[0]
    sheet_w, sheet_h = SHEETS[paper]
    order = padded(len(page_sizes(pdf)), back_section_start(pdf))
    sides = saddle_order(len(order))
    sheets_count = len(sides) // 2
    fold = sheet_w / 2
    y = (sheet_h - height) / 2
    sheets = []
    for n, (left, right) in enumerate(sides):
        sheet_index = n // 2  # 0: the outermost sheet
        shift = creep_mm * MM * sheet_index / (sheets_count - 1) if sheets_count > 1 else 0.0
        placed = []
        for number, x in ((left, fold - width + shift), (right, fold - shift)):
            page = order[number - 1]
            if page is not None:
                placed.append(Placed(0, page, x, y))
        sheets.append(Sheet(sheet_w, sheet_h, pages=tuple(placed)))
    return compose([pdf], sheets)

