"""The accessible booklet: a tagged PDF/UA-1 file per district and language, made from the web page
(``render/pdf_accessible.py``). Opt-in: WeasyPrint is an optional extra, and it is slower than ReportLab."""

from __future__ import annotations

from directory_builder.i18n import N_
from directory_builder.outputs.base import DistrictOutput
from directory_builder.publish.view import DistrictView, IndexLink
from directory_builder.render.options import RenderOptions


class AccessibleBooklet(DistrictOutput):
    name = "booklet-accessible"
    format = "booklet-accessible"
    suffix = "-accessible.pdf"
    link = IndexLink(N_("Booklet for screen readers (PDF)"), "document", "application/pdf", position=15)
    counts_pages = True
    counts_entries = True
    opt_in = True

    def unavailable(self) -> str | None:
        from directory_builder.render.pdf_accessible import engine_available, missing_engine_message

        return None if engine_available() else missing_engine_message()

    def warm_up(self, options: RenderOptions) -> None:
        from directory_builder.render.fonts import store_faces

        store_faces()

    def check_templates(self, options: RenderOptions, sample: DistrictView | None) -> None:
        from directory_builder.render.html import check_pages, check_templates
        from directory_builder.render.pdf_accessible import check_style

        check_templates(options.template_dirs)  # the booklet is the web page, printed
        check_style(options.template_dirs)
        if sample is not None:
            check_pages(sample, options)

    def render_bytes(self, view: DistrictView, options: RenderOptions) -> bytes:
        from directory_builder.render.pdf_accessible import render_accessible_booklet

        return render_accessible_booklet(view, options)
