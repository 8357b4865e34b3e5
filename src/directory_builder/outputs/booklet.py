"""The booklet: one PDF per district and language (``render/pdf_booklet.py``)."""

from __future__ import annotations

import dataclasses
import weakref

from directory_builder.i18n import N_
from directory_builder.outputs.base import DistrictOutput
from directory_builder.publish.view import DistrictView, IndexLink
from directory_builder.render.options import RenderOptions


class Booklet(DistrictOutput):
    name = "pdf"
    format = "pdf"
    suffix = ".pdf"
    link = IndexLink(N_("Booklet (PDF)"), "document", "application/pdf", position=10)
    counts_pages = True
    counts_entries = True

    def warm_up(self, options: RenderOptions) -> None:
        from directory_builder.render.pdf import warm_up

        warm_up(options.paper, options.template_dirs)

    def prepare(self, view: DistrictView, options: RenderOptions) -> None:
        from directory_builder.render.pdf_kit import prepare_qr

        for service in view.services:
            if service.website:
                prepare_qr(service.website)

    def check_templates(self, options: RenderOptions, sample: DistrictView | None) -> None:
        from directory_builder.render.pdf_style import load_style

        load_style(options.template_dirs)

    def render_bytes(self, view: DistrictView, options: RenderOptions) -> bytes:
        data = booklet_pdf(view, options)
        if options.print_shop:
            from directory_builder.render.print_shop import for_print_shop

            return for_print_shop(data)
        return data


#: The last booklet drawn in this process: (its view, weakly: a job's view is not kept alive by this; options;
#: bytes).
_last: tuple[weakref.ref[DistrictView], RenderOptions, bytes] | None = None


def booklet_pdf(view: DistrictView, options: RenderOptions) -> bytes:
    """The booklet at its own page size (no print-shop marks), as every output made from it needs it. The
    last one is remembered, so a build making the booklet and the imposed booklet draws it once per job."""
    global _last
    plain = dataclasses.replace(options, print_shop=False, creep_mm=0.0)
    if _last is not None and _last[0]() is view and _last[1] == plain:
        return _last[2]
    from directory_builder.render.pdf_booklet import render_booklet

    data = render_booklet(view, plain)
    _last = (weakref.ref(view), plain, data)
    return data
