"""Finished PDF pages set on other sheets: the imposed booklet, the cards sheet and the print-shop pages.

A sheet is a list of placements (a page of one of the source PDFs, moved, and scaled only where a sheet
must shrink it: the cards) plus hairlines (crop and cut marks) and, for a print shop, its TrimBox and
BleedBox. The source pages keep their content streams, fonts and images, so what is printed is exactly
what the booklet or the card shows.

pypdf does the reading and writing: pure Python (it installs wherever the tool does, with no compiler),
already the PDF reader of the tests, and its page merging is enough here. ReportLab cannot read a PDF, and
pikepdf would add a compiled library for no gain. The hairlines are drawn by ReportLab (its invariant mode:
same bytes every time) and merged like any page. pypdf writes no /ID unless asked, so the same input gives
the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

#: Points in a millimetre.
MM = 72 / 25.4

#: (x0, y0, x1, y1) in points, from the sheet's lower-left corner.
Box = tuple[float, float, float, float]

#: Marks are thin black lines: every printer can draw them, and they vanish when the sheet is cut.
MARK_WIDTH = 0.25


@dataclass(frozen=True)
class Placed:
    """Page ``page`` (0-based) of source ``source``, its lower-left corner put at (x, y), scaled by ``scale``."""

    source: int
    page: int
    x: float
    y: float
    scale: float = 1.0


@dataclass(frozen=True)
class Sheet:
    width: float
    height: float
    pages: tuple[Placed, ...] = ()
    lines: tuple[Box, ...] = ()  # hairlines from (x0, y0) to (x1, y1)
    trim: Box | None = None  # where the print shop cuts
    bleed: Box | None = None  # how far backgrounds may run past the cut


def page_sizes(pdf: bytes) -> list[tuple[float, float]]:
    """(width, height) of every page of ``pdf``, in points."""
    from pypdf import PdfReader

    return [(float(p.mediabox.width), float(p.mediabox.height)) for p in PdfReader(io.BytesIO(pdf)).pages]


def compose(sources: Sequence[bytes], sheets: Sequence[Sheet], *, info_from: int = 0) -> bytes:
    """One PDF with a page per sheet. Its document properties (title, author, language) are those of
    ``sources[info_from]``, so a neutral title stays neutral."""
    from pypdf import PdfReader, PdfWriter, Transformation
    from pypdf.generic import RectangleObject

    readers = [PdfReader(io.BytesIO(data)) for data in sources]
    writer = PdfWriter()
    for sheet in sheets:
        page = writer.add_blank_page(sheet.width, sheet.height)
        for placed in sheet.pages:
            move = Transformation().scale(placed.scale).translate(placed.x, placed.y)
            page.merge_transformed_page(readers[placed.source].pages[placed.page], move, expand=False)
        if sheet.lines:
            marks = PdfReader(io.BytesIO(_hairlines(sheet.width, sheet.height, sheet.lines)))
            page.merge_page(marks.pages[0], expand=False)
        if sheet.bleed is not None:
            page.bleedbox = RectangleObject(sheet.bleed)
        if sheet.trim is not None:
            page.trimbox = RectangleObject(sheet.trim)
        page.compress_content_streams()
    return _written(writer, readers[info_from] if readers else None)


def concatenate(pdfs: Sequence[bytes]) -> bytes:
    """The pages of ``pdfs`` one after the other, in one file (document properties of the first)."""
    from pypdf import PdfReader, PdfWriter

    readers = [PdfReader(io.BytesIO(data)) for data in pdfs]
    writer = PdfWriter()
    for reader in readers:
        writer.append(reader, import_outline=False)
    return _written(writer, readers[0] if readers else None)


def _written(writer: Any, source: Any) -> bytes:
    """The bytes of ``writer``, with the title, author and language of ``source`` (a PdfReader)."""
    from pypdf.generic import NameObject

    writer.compress_identical_objects()
    if source is not None and source.metadata:
        writer.add_metadata({k: str(v) for k, v in source.metadata.items() if k in _KEPT_PROPERTIES})
        lang = source.root_object.get("/Lang")
        if lang is not None:
            writer.root_object[NameObject("/Lang")] = lang.clone(writer)
    buf = io.BytesIO()
    writer.write(buf)
    return buf.getvalue()


#: Document properties carried over from the source (no dates: the file's bytes stay the same).
_KEPT_PROPERTIES = ("/Title", "/Author", "/Subject", "/Creator")


def _hairlines(width: float, height: float, lines: Sequence[Box]) -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buf = io.BytesIO()
    canvas = Canvas(buf, pagesize=(width, height), invariant=1, pageCompression=1)
    canvas.setLineWidth(MARK_WIDTH)
    canvas.setStrokeGray(0)
    for x0, y0, x1, y1 in lines:  # one stroked path each: every PDF reader sees each mark as a line
        canvas.line(x0, y0, x1, y1)
    canvas.showPage()
    canvas.save()
    return buf.getvalue()


def corner_marks(trim: Box, *, offset: float, length: float) -> tuple[Box, ...]:
    """Crop marks at the four corners of ``trim``: two short lines each, on the trim lines extended,
    starting ``offset`` away from the trim so that no mark shows on the cut page."""
    x0, y0, x1, y1 = trim
    marks: list[Box] = []
    for x, dx in ((x0, -1), (x1, 1)):
        for y, dy in ((y0, -1), (y1, 1)):
            marks.append((x + dx * offset, y, x + dx * (offset + length), y))  # horizontal, on the trim line y
            marks.append((x, y + dy * offset, x, y + dy * (offset + length)))  # vertical, on the trim line x
    return tuple(marks)
