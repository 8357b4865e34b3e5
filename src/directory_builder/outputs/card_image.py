"""The pocket card as pictures for phones: ``<lang>/<slug>.card-front.png`` and ``.card-back.png``.

Two outputs (front and back) asked for by one ``--format card-image``: each file is its own output, so
the manifest, the index and stale-file removal know both names. The card PDF is drawn and rendered once
per job: the back reuses the front's pictures (``_pictures`` remembers the last card).
"""

from __future__ import annotations

import functools
from typing import ClassVar

from directory_builder.i18n import N_
from directory_builder.outputs.booklet import Booklet
from directory_builder.publish.view import DistrictView, IndexLink
from directory_builder.render.options import RenderOptions


class CardFront(Booklet):
    """Shares the booklet's warm-up (fonts, styles), QR preparation and style check, as the card does."""

    name = "card-front"
    format = "card-image"
    suffix = ".card-front.png"
    link = IndexLink(N_("Card picture for phones, front (PNG)"), "phone", "image/png", position=60)
    counts_pages = False
    counts_entries = False
    opt_in = True
    side: ClassVar[int] = 0

    def render_bytes(self, view: DistrictView, options: RenderOptions) -> bytes:
        return _pictures(view, options)[self.side]


class CardBack(CardFront):
    name = "card-back"
    suffix = ".card-back.png"
    link = IndexLink(N_("Card picture for phones, back (PNG)"), "phone", "image/png", position=61)
    side = 1


@functools.lru_cache(maxsize=1)
def _pictures(view: DistrictView, options: RenderOptions) -> tuple[bytes, ...]:
    from directory_builder.render.card_image import card_pictures
    from directory_builder.render.pdf_card import render_pocket_card

    return card_pictures(render_pocket_card(view, options))
