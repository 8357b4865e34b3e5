"""An HXL-tagged CSV of the published entries (``export/hxl.py``)."""

from __future__ import annotations

from collections.abc import Mapping

from directory_builder.outputs.base import ExportOutput, ExportView
from directory_builder.render.options import RenderOptions


class Hxl(ExportOutput):
    name = "hxl"
    format = "hxl"
    example = "services.csv"

    def render(self, view: ExportView, options: RenderOptions | None = None) -> Mapping[str, bytes]:
        from directory_builder.export.hxl import hxl_csv

        return {self.example: hxl_csv(view.directory, view.entries, view.edition)}
