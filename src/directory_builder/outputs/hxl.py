"""An HXL-tagged CSV of the published entries (``export/hxl.py``)."""

from __future__ import annotations

from directory_builder.outputs.base import ExportOutput, ExportView


class Hxl(ExportOutput):
    name = format = "hxl"
    example = "services.csv"

    def file_bytes(self, view: ExportView) -> bytes:
        from directory_builder.export.hxl import hxl_csv

        return hxl_csv(view)
