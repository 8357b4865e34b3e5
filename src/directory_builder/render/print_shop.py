"""``--print-shop``: each page on a bigger page with 3 mm bleed, crop marks and its TrimBox and BleedBox.

A print shop prints on bigger paper and cuts it to size. The page is placed at full size, never scaled, in
the middle of a page that leaves room for 3 mm of bleed and for the crop marks beyond it; the TrimBox says
where the cut goes, the BleedBox how far colour may run past it, the MediaBox is the whole page. The booklet
and the card keep their text inside their margins (well inside the trim), and nothing they draw is meant to
touch the paper's edge (office printers cannot print there), so the bleed holds no text.
"""

from __future__ import annotations

from directory_builder.render.pdf_sheets import MM, Placed, Sheet, compose, corner_marks, page_sizes

#: How far colour may run past the cut (what print shops ask for).
BLEED = 3 * MM
#: Crop marks start this far from the trim (outside the bleed) ...
MARK_OFFSET = 3 * MM
#: ... and are this long.
MARK_LENGTH = 5 * MM
#: Room around the trim for bleed and marks, and a little paper beyond them.
SLUG = MARK_OFFSET + MARK_LENGTH + 2 * MM


def for_print_shop(pdf: bytes) -> bytes:
    """``pdf`` with every page on a page ``SLUG`` bigger on each side, with crop marks and boxes."""
    sheets = []
    for n, (width, height) in enumerate(page_sizes(pdf)):
        trim = (SLUG, SLUG, SLUG + width, SLUG + height)
        sheets.append(Sheet(
            width + 2 * SLUG, height + 2 * SLUG,
            pages=(Placed(0, n, SLUG, SLUG),),
            lines=corner_marks(trim, offset=MARK_OFFSET, length=MARK_LENGTH),
            trim=trim,
            bleed=(SLUG - BLEED, SLUG - BLEED, SLUG + width + BLEED, SLUG + height + BLEED),
        ))
    return compose([pdf], sheets)
