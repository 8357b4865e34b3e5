"""How many pages a PDF we wrote has, without importing ReportLab or a PDF parser.

The build records page counts in manifest.json for every file it writes; importing the renderer for that
in the main process would cost a third of a second on a rebuild that draws nothing itself.
"""

from __future__ import annotations

import re

_PAGES_RE = re.compile(rb"/Type\s*/Pages\b(?:(?!>>).)*?/Count\s+(\d+)", re.S)
_COUNT_RE = re.compile(rb"/Count\s+(\d+)(?:(?!>>).)*?/Type\s*/Pages\b", re.S)


def pdf_page_count(data: bytes) -> int:
    """The number of pages of a PDF this package wrote, read from its page tree (no parsing library).

    ReportLab writes one uncompressed ``/Type /Pages`` dictionary holding ``/Count``; the largest count
    found is the root's. Raises ValueError for bytes that are not such a PDF.
    """
    if not data.startswith(b"%PDF-"):
        raise ValueError("not a PDF file")
    counts = [int(m.group(1)) for m in _PAGES_RE.finditer(data)]
    counts += [int(m.group(1)) for m in _COUNT_RE.finditer(data)]
    if not counts:
        raise ValueError("no page tree found in the PDF")
    return max(counts)
