"""Plain JSON of the published entries (``export/jsonexport.py``)."""

from __future__ import annotations

from collections.abc import Mapping

from directory_builder.outputs.base import ExportOutput, ExportView
from directory_builder.render.options import RenderOptions


class Json(ExportOutput):
    name = "json"
    format = "json"
    example = "services.json"

    def render(self, view: ExportView, options: RenderOptions | None = None) -> Mapping[str, bytes]:
        from directory_builder.export.jsonexport import json_bytes

        return {self.example: json_bytes(view.directory, view.entries, view.edition)}
