"""The booklet: one PDF per district and language (``render/pdf_booklet.py``)."""

from __future__ import annotations

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
        from directory_builder.render.pdf_booklet import render_booklet

        return render_booklet(view, options)
