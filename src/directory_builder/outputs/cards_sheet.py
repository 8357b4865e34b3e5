"""The cards sheet (``--format cards-sheet``): a district's pocket card eight times on an A4 sheet, fronts
on one page and backs on the next, with cut marks (``render/cards_sheet.py``); and ``cards-sheet-<lang>.pdf``,
the sheets of every district of a language one after the other, to print them all at once.

The per-language file is a directory output (``LanguageOutput``), not a second file of the district output:
a district job sees one district only, and the joined file must change when any district of the language
does. ``build`` makes it from the district sheets it has just written or kept, so it is never drawn twice.

Always at the card's own size and without print-shop marks: it is the file for an office printer.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from directory_builder.i18n import N_
from directory_builder.outputs.base import LanguageOutput
from directory_builder.outputs.booklet import Booklet
from directory_builder.publish.view import DistrictView, IndexLink
from directory_builder.render.options import RenderOptions


class CardsSheet(Booklet):
    """Shares the booklet's warm-up and style check (the card's fonts and style)."""

    name = "cards-sheet"
    format = "cards-sheet"
    suffix = ".cards-sheet.pdf"
    link = IndexLink(N_("Pocket cards to print and cut, 8 per sheet (PDF)"), "document", "application/pdf",
                     position=40)
    counts_entries = False
    opt_in = True

    def prepare(self, view: DistrictView, options: RenderOptions) -> None:
        """The card draws no QR code: nothing to prepare."""

    def render_bytes(self, view: DistrictView, options: RenderOptions) -> bytes:
        from directory_builder.render.cards_sheet import PER_SHEET, cards_sheets
        from directory_builder.render.pdf_card import render_pocket_card

        card = render_pocket_card(view, dataclasses.replace(options, print_shop=False))
        return cards_sheets([card] * PER_SHEET)


class LanguageCardsSheet(LanguageOutput):
    name = "cards-sheet-language"
    format = "cards-sheet"
    suffix = "cards-sheet-{lang}.pdf"
    joins = "cards-sheet"
    counts_pages = True
    opt_in = True

    def join(self, files: Sequence[bytes]) -> bytes:
        from directory_builder.render.pdf_sheets import concatenate

        return concatenate(files)
