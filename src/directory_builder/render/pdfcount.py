"""How many pages a PDF we wrote has, without importing ReportLab or a PDF parser.

The build records page counts in manifest.json for every file it writes; importing the renderer for that
in the main process would cost a third of a second on a rebuild that draws nothing itself.
"""

from __future__ import annotations

import re
import zlib

_PAGES_RE = re.compile(rb"/Type\s*/Pages\b(?:(?!>>).)*?/Count\s+(\d+)", re.S)
_COUNT_RE = re.compile(rb"/Count\s+(\d+)(?:(?!>>).)*?/Type\s*/Pages\b", re.S)
#: A compressed object stream (WeasyPrint keeps its page tree in one): its dictionary, then its bytes.
_OBJSTM_RE = re.compile(rb"<<(?:(?!>>).)*?/Type\s*/ObjStm\b.*?>>\s*stream\r?\n", re.S)


def pdf_page_count(data: bytes) -> int:
    """The number of pages of a PDF this package wrote, read from its page tree (no parsing library).

    ReportLab writes one uncompressed ``/Type /Pages`` dictionary holding ``/Count``; WeasyPrint puts it in
    a Flate-compressed object stream. The largest count found is the root's. Raises ValueError for bytes
    that are not such a PDF.
    """
    if not data.startswith(b"%PDF-"):
        raise ValueError("not a PDF file")
    counts = _counts(data)
    if not counts:
        for match in _OBJSTM_RE.finditer(data):
            counts += _counts(_inflated(data, match.end()))
    if not counts:
        raise ValueError("no page tree found in the PDF")
    return max(counts)


def _counts(data: bytes) -> list[int]:
    return [int(m.group(1)) for m in (*_PAGES_RE.finditer(data), *_COUNT_RE.finditer(data))]


def _inflated(data: bytes, start: int) -> bytes:
    """The Flate-compressed stream starting at ``start`` (its end is where the compressed data ends)."""
    try:
        return zlib.decompressobj().decompress(data[start:])
    except zlib.error:
        return b""
