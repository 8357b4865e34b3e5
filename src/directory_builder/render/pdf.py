"""The PDF renderer's public API: the booklet, the pocket card, and a cheap page count.

Both renderers are pure: ``(DistrictView, RenderOptions) -> bytes``, byte-identical for the same input
(ReportLab's invariant mode: no creation date, fixed document ID; the only date printed is
``view.published``). The work is split over:

* ``render/pdf_booklet.py``   the booklet's story and page templates
* ``render/pdf_card.py``      the two-sided pocket card
* ``render/pdf_flowables.py`` the script-aware paragraph and the late page-number machinery
* ``render/pdf_kit.py``       cached paragraph styles, icons and QR codes
* ``render/pdf_style.py``     the NGO-editable ``templates/pdf/style.yaml``
* ``render/fonts.py``         static Noto Sans (+ Thai) faces built from the variable fonts
"""

from __future__ import annotations

from pathlib import Path

from directory_builder.publish.view import DistrictView
from directory_builder.render.options import RenderOptions
from directory_builder.render.pdf_booklet import render_booklet
from directory_builder.render.pdf_card import render_pocket_card
from directory_builder.render.pdfcount import pdf_page_count

__all__ = ["DistrictView", "RenderOptions", "pdf_page_count", "render_booklet", "render_pocket_card", "warm_up"]

def warm_up(paper: str = "a5", template_dirs: tuple[Path, ...] = ()) -> None:
    """Build/load the fonts (stored in the cache for the next run) and the styles once per process, before
    the first job: rendering then only reads the cache."""
    from directory_builder.render.fonts import store_faces
    from directory_builder.render.pdf_kit import get_kit

    store_faces()
    get_kit(paper, template_dirs)
