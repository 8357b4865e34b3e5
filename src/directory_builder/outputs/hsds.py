"""Open Referral HSDS 3.0: a folder of CSV files with its datapackage.json (``export/hsds.py``)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from directory_builder.outputs.base import ExportOutput, ExportView
from directory_builder.render.options import RenderOptions


class Hsds(ExportOutput):
    name = "hsds"
    format = "hsds"
    folder = True

    def check_destination(self, out: Path) -> None:
        from directory_builder.export.hsds import check_folder

        check_folder(out)

    def render(self, view: ExportView, options: RenderOptions | None = None) -> Mapping[str, bytes]:
        from directory_builder.export.hsds import hsds_files

        return hsds_files(view)
