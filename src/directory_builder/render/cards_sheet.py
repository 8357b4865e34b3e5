"""Pocket cards eight to an A4 sheet: fronts on one page, backs on the next, with cut marks.

The sheet is A4 landscape with the cards in 4 columns and 2 rows, edge to edge (one cut between two cards).
Eight A7 cards fill an A4 sheet to the millimetre and printers leave a margin, so the cards are scaled down
just enough to leave ``MARGIN`` around them (an A7 card becomes about 69 x 98 mm). The backs are placed for
duplex printing flipped on the short edge: the sheet turns like a book page, so the card in the first column
of the front has its back in the last column of the back page, on the same row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from directory_builder.render.pdf_sheets import MM, Box, Placed, Sheet, compose, page_sizes

SHEET = (297 * MM, 210 * MM)  # A4 landscape
COLUMNS, ROWS = 4, 2
PER_SHEET = COLUMNS * ROWS
#: Paper left around the cards: office printers cannot print the outer 4 to 5 mm, and the marks go there.
MARGIN = 7 * MM
#: Cut marks: from this far outside the cards, this long.
MARK_OFFSET = 1.5 * MM
MARK_LENGTH = 4 * MM


@dataclass(frozen=True)
class Grid:
    """Where the cards go on the sheet: scaled by ``scale`` to ``w`` x ``h``, the grid's lower-left at (x0, y0)."""

    scale: float
    w: float
    h: float
    x0: float
    y0: float

    def cell(self, slot: int, back: bool = False) -> tuple[float, float]:
        """The lower-left corner of card ``slot`` (0 at the top left, row by row) on the front or the back."""
        row, column = divmod(slot, COLUMNS)
        if back:
            column = COLUMNS - 1 - column  # the back of a card is behind its front
        return self.x0 + column * self.w, self.y0 + (ROWS - 1 - row) * self.h


def grid(card_w: float, card_h: float) -> Grid:
    sheet_w, sheet_h = SHEET
    scale = min(1.0, (sheet_w - 2 * MARGIN) / (COLUMNS * card_w), (sheet_h - 2 * MARGIN) / (ROWS * card_h))
    w, h = card_w * scale, card_h * scale
    return Grid(scale, w, h, (sheet_w - COLUMNS * w) / 2, (sheet_h - ROWS * h) / 2)


def cards_sheets(cards: Sequence[bytes]) -> bytes:
    """Two pages (fronts, backs) for every ``PER_SHEET`` cards (each a two-page PDF: front, back)."""
    if not cards:
        raise ValueError("no cards to place")
    layout = grid(*page_sizes(cards[0])[0])
    marks = cut_marks((layout.x0, layout.y0, layout.x0 + COLUMNS * layout.w, layout.y0 + ROWS * layout.h),
                      layout.w, layout.h)
    sheets = []
    for first in range(0, len(cards), PER_SHEET):
        chunk = range(first, min(first + PER_SHEET, len(cards)))
        for side in (0, 1):
            placed = tuple(Placed(source, side, *layout.cell(slot, back=side == 1), layout.scale)
                           for slot, source in enumerate(chunk))
            sheets.append(Sheet(*SHEET, pages=placed, lines=marks))
    return compose(cards, sheets)


def cut_marks(grid: Box, w: float, h: float) -> tuple[Box, ...]:
    """Short lines outside ``grid`` at every cut, along each column and row line: they never touch a card."""
    x0, y0, x1, y1 = grid
    lines: list[Box] = []
    for column in range(COLUMNS + 1):
        x = x0 + column * w
        lines.append((x, y0 - MARK_OFFSET, x, y0 - MARK_OFFSET - MARK_LENGTH))
        lines.append((x, y1 + MARK_OFFSET, x, y1 + MARK_OFFSET + MARK_LENGTH))
    for row in range(ROWS + 1):
        y = y0 + row * h
        lines.append((x0 - MARK_OFFSET, y, x0 - MARK_OFFSET - MARK_LENGTH, y))
        lines.append((x1 + MARK_OFFSET, y, x1 + MARK_OFFSET + MARK_LENGTH, y))
    return tuple(lines)
