"""The imposed booklet (``--format booklet-imposed``): the booklet two pages to a sheet, in saddle-stitch
order, to print on both sides of A4 (A3, Tabloid) on an office printer, fold and staple (``render/impose.py``).

Drawn from the booklet's own bytes (``booklet_pdf``): a build that makes both draws the booklet once. It is
always at the booklet's own size: ``--print-shop`` does not apply (a print shop imposes the pages itself).
"""

from __future__ import annotations

from directory_builder.i18n import N_
from directory_builder.outputs.booklet import Booklet, booklet_pdf
from directory_builder.publish.view import DistrictView, IndexLink
from directory_builder.render.options import RenderOptions


class ImposedBooklet(Booklet):
    """Shares the booklet's warm-up, QR preparation and style check."""

    name = "booklet-imposed"
    format = "booklet-imposed"
    suffix = ".imposed.pdf"
    link = IndexLink(N_("Booklet to print and fold (PDF)"), "document", "application/pdf", position=30)
    counts_entries = False
    opt_in = True

    def render_bytes(self, view: DistrictView, options: RenderOptions) -> bytes:
        from directory_builder.render.impose import impose_booklet

        return impose_booklet(booklet_pdf(view, options), options.paper, options.creep_mm)
