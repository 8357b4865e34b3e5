"""Plain JSON of the published entries (``export/jsonexport.py``)."""

from __future__ import annotations

from directory_builder.outputs.base import ExportOutput, ExportView


class Json(ExportOutput):
    name = format = "json"
    example = "services.json"

    def file_bytes(self, view: ExportView) -> bytes:
        from directory_builder.export.jsonexport import json_bytes

        return json_bytes(view)
