"""The web page: one self-contained HTML file per district and language (``render/html.py``)."""

from __future__ import annotations

from directory_builder.i18n import N_
from directory_builder.outputs.base import DistrictOutput
from directory_builder.publish.view import DistrictView, IndexLink
from directory_builder.render.options import RenderOptions


class WebPage(DistrictOutput):
    name = "html"
    format = "html"
    suffix = ".html"
    link = IndexLink(N_("Web page"), "website", primary=True, position=0)
    counts_entries = True

    def check_templates(self, options: RenderOptions, sample: DistrictView | None) -> None:
        from directory_builder.render.html import check_pages, check_templates

        check_templates(options.template_dirs)
        if sample is not None:
            check_pages(sample, options)

    def prepare(self, view: DistrictView, options: RenderOptions) -> None:
        """The static faces the page's letters need (Thai), in the font cache before the page is drawn."""
        from directory_builder.render.webfonts import page_letters_hint, store_sources_for

        store_sources_for(page_letters_hint(view))

    def render_bytes(self, view: DistrictView, options: RenderOptions) -> bytes:
        from directory_builder.render.html import render_district_page

        return render_district_page(view, options)
