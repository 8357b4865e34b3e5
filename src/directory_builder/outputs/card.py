"""The pocket card: a two-sided PDF per district and language, made with the booklet unless --no-card."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from directory_builder.i18n import N_
from directory_builder.outputs.booklet import Booklet
from directory_builder.publish.view import DistrictView, IndexLink
from directory_builder.render.options import RenderOptions


class PocketCard(Booklet):
    """Shares the booklet's warm-up, QR preparation and style check (the same fonts and style file)."""

    name = "card"
    suffix = ".card.pdf"
    link = IndexLink(N_("Pocket card (PDF)"), "document", "application/pdf", position=20)
    counts_entries = False  # (its pages are counted, like the booklet's)

    def wanted(self, formats: Sequence[str], options: Any = None) -> bool:
        return super().wanted(formats, options) and getattr(options, "pocket_card", True)

    def render_bytes(self, view: DistrictView, options: RenderOptions) -> bytes:
        from directory_builder.render.pdf_card import render_pocket_card

        data = render_pocket_card(view, options)
        if options.print_shop:
            from directory_builder.render.print_shop import for_print_shop

            return for_print_shop(data)
        return data
