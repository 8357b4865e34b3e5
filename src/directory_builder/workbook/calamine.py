"""A fast path for reading workbooks: python-calamine (Rust) behind openpyxl's read-only API.

openpyxl's read-only mode spends about 0.6 ms per Services row (XML events through defusedxml's
Python-level handlers, one object per cell); python-calamine reads the same 10,000-row sheet about
20 times faster (bench/README.md has the numbers). The reader keeps one code path: this module
offers the few parts of openpyxl's API it uses (``worksheets``, ``title``, ``iter_rows(values_only)``,
``close``), with values shaped like openpyxl's (blank cells None, whole numbers int, dates as datetime).

Safety is unchanged: ``check_archive`` has refused zip bombs, encrypted and legacy files before either
library sees the file, and calamine's XML parser expands no entities and fetches nothing. When
python-calamine is not installed, or cannot read a file, the reader falls back to openpyxl, which
then decides whether the file is readable at all. ``DIRECTORY_BUILDER_READER=openpyxl`` forces openpyxl.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sys
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Set to "openpyxl" to read with openpyxl even when python-calamine is installed (benchmarks, bug hunts).
READER_ENV = "DIRECTORY_BUILDER_READER"
_EXACT_INT = 2**53


class SheetReadError(Exception):
    """A worksheet that could not be parsed; ``title`` names it.

    Raised instead of returning an empty sheet, because an empty Services sheet would be reported as a
    dozen missing columns: the reader then tries openpyxl, and only if that fails too says which sheet
    cannot be read.
    """

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.title = title


class CalamineSheet:
    """One worksheet; its cells are read on first use (finding sheets by name reads no cells).

    Rows are handed out one at a time (``iter_rows`` of python-calamine), never as one Python grid: at
    100,000 rows the grid alone was 300 MB, on top of calamine's own copy of the sheet.
    """

    def __init__(self, book: Any, name: str) -> None:
        self._book = book
        self.title = name
        self.sheet_state = "visible"
        self._sheet: Any = None
        self._grid: list[list[Any]] | None = None  # only for a sheet whose cells do not start at A1

    def _load(self) -> Any:
        if self._sheet is None:
            try:
                self._sheet = self._book.get_sheet_by_name(self.title)
            except Exception as exc:  # never "empty": an unread sheet must not look like a blank one
                raise SheetReadError(self.title) from exc
        return self._sheet

    def _source(self) -> tuple[int, Iterator[list[Any]]]:
        """(number of rows from A1, the rows from row 1), each row starting at column A."""
        sheet = self._load()
        if sheet is False:
            return 0, iter(())
        try:
            if tuple(sheet.start) == (0, 0):
                return int(sheet.end[0]) + 1, iter(sheet.iter_rows())
        except Exception:
            pass
        # Cells start further down or right: the grid padded from A1 (rare, and small in practice).
        if self._grid is None:
            try:
                self._grid = sheet.to_python(skip_empty_area=False)
            except Exception as exc:  # never "empty": an unread sheet must not look like a blank one
                raise SheetReadError(self.title) from exc
        return len(self._grid), iter(self._grid)

    def iter_rows(self, min_row: int = 1, max_row: int | None = None, max_col: int | None = None,
                  values_only: bool = True) -> Iterator[tuple[Any, ...]]:
        """Rows as tuples of values, like ``ReadOnlyWorksheet.iter_rows(values_only=True)``."""
        total, rows = self._source()
        stop = total if max_row is None else min(max_row, total)
        for index, row in enumerate(rows):
            if index >= stop:
                break
            if index < max(min_row, 1) - 1:
                continue
            if max_col is not None:
                row = row[:max_col]
            yield tuple(_value(v) for v in row)

    def release(self) -> None:
        """Let calamine free its copy of the sheet (hundreds of MB for a big sheet)."""
        self._sheet = None
        self._book = None
        self._grid = None


def _value(value: Any) -> Any:
    """openpyxl's shapes: '' (calamine's blank) is None; 12.0 stored by Excel is the int 12; a date is a
    datetime at midnight."""
    if isinstance(value, str):
        return value if value else None
    if isinstance(value, float):
        return int(value) if value.is_integer() and abs(value) < _EXACT_INT else value
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


class CalamineBook:
    def __init__(self, book: Any) -> None:
        self._book = book
        self.worksheets = [CalamineSheet(book, name) for name in _worksheet_names(book)]
        # openpyxl's sheet_state ('visible', 'hidden', 'veryHidden'): a hidden sheet must never be read silently.
        hidden = {m.name: str(m.visible).rsplit(".", 1)[-1] for m in getattr(book, "sheets_metadata", ())}
        for ws in self.worksheets:
            state = hidden.get(ws.title, "Visible")
            ws.sheet_state = "visible" if state == "Visible" else "hidden" if state == "Hidden" else "veryHidden"

    def close(self) -> None:
        for sheet in self.worksheets:
            sheet.release()
        close = getattr(self._book, "close", None)
        if callable(close):
            close()
        self._book = None
        _give_back_memory()


def _give_back_memory() -> None:
    """Return what calamine freed to the system (glibc keeps freed heap memory for later by default).

    calamine's copy of a sheet of 100,000 rows is 400 MB of small allocations; once the rows are read,
    keeping it as free heap would leave it counted against the process while the model is built.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass  # not glibc (musl, ...): nothing to do


def _worksheet_names(book: Any) -> list[str]:
    """The worksheets only, like openpyxl's ``worksheets``: a chart sheet has no cells to read."""
    metadata = getattr(book, "sheets_metadata", None)
    if metadata is None:
        return list(book.sheet_names)
    return [m.name for m in metadata if str(getattr(m, "typ", "")).rsplit(".", 1)[-1] in ("WorkSheet", "")]


def open_calamine(path: Path) -> CalamineBook | None:
    """The workbook through python-calamine, or None to read it with openpyxl instead."""
    if os.environ.get(READER_ENV, "").strip().lower() == "openpyxl":
        return None
    try:
        from python_calamine import CalamineWorkbook
    except ImportError:
        return None
    if not _plain_archive(path):
        return None
    try:
        return CalamineBook(CalamineWorkbook.from_path(str(path)))
    except Exception:
        return None


_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")
#: calamine holds a sheet as a dense grid (first to last row, first to last column): a sheet with one
#: cell in column XFD on row 100,000 would ask for hundreds of GB and abort the process. Sheets larger
#: than this, or with cells whose place cannot be read, go to openpyxl, which streams them.
MAX_GRID_CELLS = 8_000_000
MAX_PART_BYTES = 256 * 1024 * 1024
_CELL = re.compile(rb"<(?:\w+:)?c\b")
_CELL_REF = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,3})([0-9]{1,7})"')


def _plain_archive(path: Path) -> bool:
    """True when calamine may read the file: the same answer openpyxl would give, without its hazards.

    Every part must inflate to its declared size with a good checksum (calamine would read what it can
    of a zip that lies), no XML part may declare a DTD (defusedxml refuses entities; calamine would
    skip them), and every sheet's grid must be small (see MAX_GRID_CELLS). Anything else goes to
    openpyxl, which refuses it or streams it with the usual plain messages. The pass costs about 0.2 s
    for a 10,000-row workbook, against 4 s saved. Parts are scanned in 1 MB pieces, never held whole:
    at 100,000 rows, holding the sheet and a list of its cell addresses took 600 MB.
    """
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                if info.file_size > MAX_PART_BYTES or not _plain_part(zf, info):
                    return False
                if info.filename.lower().endswith((".xml", ".rels")) and not _utf8_xml(_head_of(zf, info)):
                    return False
    except Exception:
        return False
    return True


_XML_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*?\bencoding\s*=\s*["']([^"']*)["']""")


def _utf8_xml(data: bytes) -> bool:
    """True for an XML part in UTF-8 (Excel's only encoding). calamine reads a UTF-16 sheet as empty, with
    no error; openpyxl honours the declared encoding, so such parts go to it."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return False
    body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data
    declared = _XML_DECL_ENCODING.match(body[:200])
    return declared is None or declared.group(1).strip().lower() in (b"utf-8", b"utf8")


def _head_of(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The first bytes of a part: enough for its byte-order mark and XML declaration."""
    with zf.open(info) as fh:
        return fh.read(256)


class _Grid:
    """Cells seen in a sheet so far: how many, how many with an address, the last row and column."""

    def __init__(self) -> None:
        self.cells = 0
        self.refs = 0
        self.rows = 0
        self.width = 0

    def add(self, xml: bytes) -> None:
        self.cells += len(_CELL.findall(xml))
        refs = _CELL_REF.findall(xml)
        if refs:
            self.refs += len(refs)
            self.rows = max(self.rows, max(int(row) for _col, row in refs))
            self.width = max(self.width, max(_column_number(col) for col in {col for col, _row in refs}))

    def small(self) -> bool:
        if self.refs != self.cells:
            return False  # cells without an address: their place depends on the ones before
        return self.rows * self.width <= MAX_GRID_CELLS


def _plain_part(zf: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    """One part: inflates to its declared size, declares no DTD, and (a sheet) has a small grid.

    Each piece is cut before its last '<' and the rest carried to the next: a tag never holds a '<', so
    every tag and every DTD marker is scanned whole, once, and the counts are those of the whole part.
    """
    total = 0
    tail = b""
    grid: _Grid | None = None
    with zf.open(info) as fh:
        while True:
            chunk = fh.read(1 << 20)
            total += len(chunk)
            if total > info.file_size:
                return False
            window = tail + chunk
            cut = window.rfind(b"<") if chunk else len(window)
            if cut <= 0:  # no tag starts after the first byte: a long text, nothing to carry
                cut = len(window)
            piece, tail = window[:cut], window[cut:]
            if any(marker in piece for marker in _DTD_MARKERS):
                return False
            if grid is None and b"<sheetData" in piece:
                grid = _Grid()
            if grid is not None:
                grid.add(piece)
            if not chunk:
                break
    return grid is None or grid.small()


def _column_number(letters: bytes) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ch - 64
    return number
