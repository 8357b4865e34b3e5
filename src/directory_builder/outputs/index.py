"""index.html: every district, grouped by province, with a link to each linked output per language."""

from __future__ import annotations

from collections.abc import Mapping

from directory_builder.outputs.base import IndexView, Output
from directory_builder.render.options import RenderOptions


class Index(Output):
    name = "index"
    format = "html"
    scope = "directory"
    suffix = "index.html"

    def render(self, view: IndexView, options: RenderOptions) -> Mapping[str, bytes]:
        from directory_builder.render.html import render_index

        return {self.suffix: render_index(view.entries, options, title=view.title, lang=view.lang,
                                          languages=view.languages, quick_exit=view.quick_exit)}
