"""Read a workbook into raw rows whose every cell knows its reference (``Services!F12``).

The reader only finds sheets and columns and normalises cell values (NFC, whitespace); it judges nothing.
Validation turns raw rows into the model and collects problems. The archive is checked before openpyxl
opens it (zip bombs, encrypted and legacy files), and ``defusedxml`` refuses XML entity attacks.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory_builder.check.problems import Problem, make_problem
from directory_builder.columns import (
    DIRECTORY_HXL,
    DISTRICTS_COLUMNS,
    SERVICES_COLUMNS,
    SETTING_HEADER,
    SHEET_DIRECTORY,
    SHEET_DISTRICTS,
    SHEET_SERVICES,
    Column,
    HxlTag,
    hxl_index,
)
from directory_builder.i18n import SHIPPED_LANGUAGES, _, gettext_
from directory_builder.util.errors import InputError
from directory_builder.vocab import normalise_key
from directory_builder.workbook import limits
from directory_builder.workbook.calamine import SheetReadError, open_calamine

CellValue = str | int | float | bool | dt.datetime | dt.date | dt.time | None


@dataclass(frozen=True)
class RawCell:
    value: CellValue
    row: int
    col: int  # 1-based


@dataclass(frozen=True)
class ColumnMatch:
    column: Column
    lang: str | None  # for translatable columns; None means "the default language"
    index: int  # 1-based column index
    header: str  # the row-1 label as written


@dataclass
class RawSheet:
    title: str  # the sheet's name as written in the workbook
    columns: list[ColumnMatch] = field(default_factory=list)
    rows: list[tuple[int, dict[int, CellValue]]] = field(default_factory=list)  # (row number, {col index: value})
    has_hxl_row: bool = True


@dataclass
class RawSettings:
    title: str
    # setting row label as written -> (row number, value); label already split into (key, lang)
    values: list[tuple[str, str | None, int, CellValue, str]] = field(default_factory=list)  # key, lang, row, value, label
    unknown: list[tuple[int, str]] = field(default_factory=list)
    name_col: int = 1  # where the 'Setting' and 'Value' columns are (1-based): A and B unless moved
    value_col: int = 2


@dataclass
class RawWorkbook:
    path: Path
    settings: RawSettings | None
    districts: RawSheet | None
    services: RawSheet | None
    problems: list[Problem] = field(default_factory=list)


# --------------------------------------------------------------------------------------------- archive


def check_archive(path: Path) -> None:
    """Refuse what openpyxl should never be given, with one plain sentence saying what to do."""
    if not path.exists():
        raise InputError(_("The file '{path}' does not exist. Check the name and the folder.").format(path=path))
    if path.is_dir():
        raise InputError(_("'{path}' is a folder, not a workbook. Give the path of an .xlsx file.").format(path=path))
    size = path.stat().st_size
    if size == 0:
        raise InputError(_("The file '{path}' is empty. Open the original in Excel and save it again as .xlsx.").format(path=path))
    if size > limits.MAX_FILE_BYTES:
        raise InputError(
            _("The file '{path}' is too large ({size} MB; the limit is {limit} MB). Remove pictures or split it.").format(
                path=path, size=size // (1024 * 1024), limit=limits.MAX_FILE_BYTES // (1024 * 1024)
            )
        )
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # OLE2 container: an old .xls, or an .xlsx protected with a password (Excel encrypts into OLE2).
        if _ole_is_encrypted(path):
            raise InputError(
                _("The workbook '{path}' is protected with a password. Open it in Excel, remove the password "
                  "(File > Info > Protect Workbook), and save it again.").format(path=path)
            )
        raise InputError(
            _("'{path}' is an old Excel file (.xls). Open it in Excel or LibreOffice and save it as .xlsx "
              "(Excel Workbook).").format(path=path)
        )
    if not head.startswith(b"PK"):
        raise InputError(
            _("'{path}' is not an Excel workbook (.xlsx). If it is a CSV or another format, open it in Excel or "
              "LibreOffice and save it as .xlsx.").format(path=path)
        )
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            _check_members(path, infos)
            names = {i.filename for i in infos}
    except zipfile.BadZipFile as exc:
        raise InputError(
            _("The file '{path}' is damaged (it may be incomplete). Open the original in Excel and save it again, "
              "or send it again.").format(path=path)
        ) from exc
    if "xl/workbook.xml" not in names:
        raise InputError(
            _("'{path}' is a zip file but not an Excel workbook. Save the workbook as .xlsx and try again.").format(path=path)
        )
    _check_elements(path)


def _check_members(path: Path, infos: list[zipfile.ZipInfo]) -> None:
    if len(infos) > limits.MAX_MEMBERS:
        raise InputError(_("The file '{path}' has too many parts to be a workbook.").format(path=path))
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 10 * 1024 * 1024 and ratio > limits.MAX_MEMBER_RATIO:
            raise InputError(
                _("The file '{path}' expands to far more data than a real workbook (it may be a 'zip bomb'). "
                  "It was not opened.").format(path=path)
            )
    if total > limits.MAX_UNCOMPRESSED_BYTES:
        raise InputError(
            _("The file '{path}' expands to more than {limit} MB, too much for a directory workbook. "
              "It was not opened.").format(path=path, limit=limits.MAX_UNCOMPRESSED_BYTES // (1024 * 1024))
        )


#: How a shared string (<si>) and a cell (<c>) start, with or without a namespace prefix ("x:c"). The
#: short forms also match a few other things (<cols>, <col>, <cfRule>, "x:c" in a namespace name): an
#: over-count of a handful, which only makes the limit a little stricter, for a third of the passes over
#: the bytes (this scan is a tenth of the time of reading a national workbook).
_SHARED_STRING_TAGS = (b"<si", b":si")
_CELL_TAGS = (b"<c", b":c")


def _check_elements(path: Path) -> None:
    """Count shared strings and cells in the XML (streamed, never held whole) before openpyxl parses it.

    The byte limits alone let through a file of a few tens of MB whose 400 MB of tiny shared strings take
    openpyxl minutes and gigabytes to load: what costs is the number of elements, so that is what is limited.
    Counting stops as soon as a limit is passed, so a bomb is refused after its first few megabytes.
    """
    budget = [limits.MAX_SHARED_STRINGS, limits.MAX_CELLS]
    try:
        with zipfile.ZipFile(path) as zf:
            for info in zf.infolist():
                name = info.filename.lower()
                # Every XML part, wherever it sits: [Content_Types].xml may point openpyxl at any path.
                if name.endswith(".xml") and not _within_budget(zf, info, budget):
                    raise InputError(
                        _("The file '{path}' holds far more cells than a directory workbook (more than {cells} "
                          "cells or {strings} different texts). It was not opened.").format(
                            path=path, cells=f"{limits.MAX_CELLS:,}", strings=f"{limits.MAX_SHARED_STRINGS:,}")
                    )
    except (zipfile.BadZipFile, EOFError, zlib.error, NotImplementedError) as exc:
        raise InputError(
            _("The file '{path}' is damaged (it may be incomplete). Open the original in Excel and save it again, "
              "or send it again.").format(path=path)
        ) from exc


def _within_budget(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bool:
    """Take one member's shared strings and cells off ``budget`` [strings, cells]; False once it is spent.

    Read in 1 MB chunks; the last bytes of a chunk are carried over so a tag cut in two is still seen (a tag
    lying wholly in the carried bytes may be counted twice: a harmless over-count).
    """
    tail = b""
    with zf.open(info) as fh:
        while chunk := fh.read(1024 * 1024):
            window = tail + chunk
            budget[0] -= sum(window.count(tag) for tag in _SHARED_STRING_TAGS)
            budget[1] -= sum(window.count(tag) for tag in _CELL_TAGS)
            if budget[0] < 0 or budget[1] < 0:
                return False
            tail = window[-3:]
    return True


def _ole_is_encrypted(path: Path) -> bool:
    """Encrypted OOXML lives in an OLE2 file with an 'EncryptionInfo' stream (names are UTF-16 in the directory).

    The directory may sit anywhere in the file (after a large encrypted package, too): scan it all, in
    chunks that overlap by a name's length. The file is at most MAX_FILE_BYTES, checked before.
    """
    names = ("EncryptionInfo".encode("utf-16-le"), "EncryptedPackage".encode("utf-16-le"))
    overlap = max(len(n) for n in names)
    tail = b""
    with path.open("rb") as fh:
        while chunk := fh.read(1024 * 1024):
            window = tail + chunk
            if any(n in window for n in names):
                return True
            tail = window[-overlap:]
    return False


# --------------------------------------------------------------------------------------------- values


#: Unicode category Cc except tab and newline (which the whitespace tidying below handles), and the bidi
#: embedding, override and isolate controls: an unclosed RIGHT-TO-LEFT OVERRIDE in a name would reverse the
#: text after it on the page, a phone number included. (LRM and RLM, harmless marks, are kept.)
_CONTROL_CHARS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def clean_value(value: Any) -> CellValue:
    """Normalise what openpyxl gives: NFC text with tidy whitespace; None for blank."""
    if value is None:
        return None
    if isinstance(value, str):
        if value.isprintable() and "  " not in value and value[:1] != " " and value[-1:] != " " \
                and unicodedata.is_normalized("NFC", value):
            return value or None  # nothing to tidy: the common case, 4x cheaper than the full path
        # Per-cell cost matters at 10,000 rows: skip NFC when already normalised and drop control
        # characters with one regex instead of a Python loop over every character (3x faster, same result).
        text = value if unicodedata.is_normalized("NFC", value) else unicodedata.normalize("NFC", value)
        if "\r" in text:
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        text = _CONTROL_CHARS.sub("", text.replace("\u00a0", " ").replace("\ufeff", ""))
        text = "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()
        return text or None
    if isinstance(value, bool | int | float | dt.datetime | dt.date | dt.time):
        return value
    return str(value)


def _text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --------------------------------------------------------------------------------------------- sheets


def _sheet_names(msgid: str) -> set[str]:
    return {normalise_key(gettext_(msgid, lang)) for lang in SHIPPED_LANGUAGES}


def _find_sheet(wb: Any, msgid: str, hxl_probe: tuple[str, ...], path: Path) -> Any | None:
    """The one sheet that is ``msgid`` (by its name in any shipped language, or by its codes in row 2).

    Two candidates are an error naming both: reading one of them silently could publish last year's
    copy, or a hidden sheet nobody sees when checking the workbook. Hidden sheets count like the others.
    """
    wanted = _sheet_names(msgid)
    found = [ws for ws in wb.worksheets if normalise_key(ws.title) in wanted]
    # A translated template may name the sheet in a language we do not ship: look for its machine keys.
    for ws in wb.worksheets:
        if ws in found:
            continue
        rows = _first_rows(ws, 2)
        row2 = [normalise_key(_text(clean_value(v))) for v in rows[1]] if len(rows) > 1 else []
        if all(any(cell.startswith(p) for cell in row2) for p in hxl_probe):
            found.append(ws)
    if len(found) > 1:
        raise InputError(
            _("The workbook '{path}' has two sheets that could be the '{sheet}' sheet: {first} and {second}. "
              "Delete the one that is not used, or rename it and remove its codes in row 2, so the right one is "
              "read.").format(path=path, sheet=gettext_(msgid), first=_sheet_label(found[0]),
                              second=_sheet_label(found[1]))
        )
    return found[0] if found else None


def _sheet_label(ws: Any) -> str:
    """'Services', or 'Services (hidden)': where a hidden sheet is involved, say so."""
    name = "'" + str(ws.title) + "'"
    if getattr(ws, "sheet_state", "visible") != "visible":
        return _("{sheet} (hidden)").format(sheet=name)
    return name


def _first_rows(ws: Any, n: int) -> list[tuple[Any, ...]]:
    try:
        return [tuple(r) for r in ws.iter_rows(min_row=1, max_row=n, max_col=limits.MAX_COLUMNS, values_only=True)]
    except SheetReadError:
        raise
    except Exception as exc:  # openpyxl: the sheet's XML cannot be parsed; say which sheet
        raise SheetReadError(ws.title) from exc


def _label_index(columns: tuple[Column, ...]) -> dict[str, Column]:
    index: dict[str, Column] = {}
    for col in columns:
        for lang in SHIPPED_LANGUAGES:
            index.setdefault(normalise_key(gettext_(col.label, lang)), col)
    return index


def _split_lang_suffix(label: str) -> tuple[str, str | None]:
    """'Service name (id) *' -> ('Service name', 'id'); also '[id]'."""
    text = label.strip().rstrip("*").strip()
    for open_, close in (("(", ")"), ("[", "]")):
        if text.endswith(close) and open_ in text:
            start = text.rfind(open_)
            code = text[start + 1 : -1].strip().lower()
            if 2 <= len(code) <= 3 and code.isalpha():
                return text[:start].strip(), code
    return text, None


#: Texts up to this long are kept once however many cells hold them (longer ones are rarely repeated).
_SHARED_TEXT_CHARS = 48


def read_table(ws: Any, columns: tuple[Column, ...], problems: list[Problem]) -> RawSheet:
    """Match the header rows to ``columns`` (HXL row first, labels second) and collect the data rows."""
    sheet = RawSheet(title=ws.title)
    # max_col: a sheet may claim every column Excel allows (A1:XFD1048576); never pad rows past our limit.
    rows_iter = ws.iter_rows(values_only=True, max_col=limits.MAX_COLUMNS)
    header = [clean_value(v) for v in next(rows_iter, ())]
    second = [clean_value(v) for v in next(rows_iter, ())]
    width = max(len(header), len(second))
    if width > limits.MAX_COLUMNS:
        width = limits.MAX_COLUMNS
    header += [None] * (width - len(header))
    second += [None] * (width - len(second))

    by_hxl = hxl_index(columns)
    by_label = _label_index(columns)
    hxl_tags = [HxlTag.parse(_text(v)) if isinstance(v, str) else None for v in second]
    sheet.has_hxl_row = any(t is not None for t in hxl_tags)
    seen: dict[tuple[str, str | None], ColumnMatch] = {}
    data_start = 3 if sheet.has_hxl_row else 2
    if not sheet.has_hxl_row:
        problems.append(make_problem("no-hxl-row", sheet=ws.title, row=2))

    for idx in range(width):
        label = _text(header[idx])
        col: Column | None = None
        lang: str | None = None
        tag = hxl_tags[idx]
        if tag is not None:
            col = by_hxl.get(tag.key)
            lang = tag.lang
            if col is not None and label and _privacy_conflict(ws.title, idx + 1, label, _text(second[idx]), col,
                                                              by_label, problems):
                continue
        elif label:
            base, lang = _split_lang_suffix(label)
            col = by_label.get(normalise_key(base))
        if col is None:
            if label or tag is not None:
                shown = label or _text(second[idx])
                problems.append(make_problem("extra-column", sheet=ws.title, row=1, col=idx + 1, header=shown))
            continue
        if not col.translatable:
            lang = None
        key = (col.key, lang)
        if key in seen:
            problems.append(make_problem("duplicate-column", sheet=ws.title, row=1, col=idx + 1, column=label or col.label))
            continue
        match = ColumnMatch(col, lang, idx + 1, label.rstrip("*").strip() or gettext_(col.label))
        seen[key] = match
        sheet.columns.append(match)

    wanted = {m.index for m in sheet.columns}
    if not sheet.has_hxl_row:
        # Row 2 was data after all.
        rows_source: Any = _chain_row(second, rows_iter)
    else:
        rows_source = rows_iter
    row_number = data_start - 1
    # Short texts repeat down a sheet (drop-down labels, district names, yes/no, opening hours): each is
    # kept once. At 100,000 rows that is a million objects fewer, about 100 MB (docs/benchmark.md).
    shared: dict[str, str] = {}
    for values in rows_source:
        row_number += 1
        if row_number - data_start >= limits.MAX_ROWS:
            problems.append(make_problem("too-many-rows", sheet=ws.title, row=row_number, limit=limits.MAX_ROWS))
            break
        cells: dict[int, CellValue] = {}
        for idx in wanted:
            if idx - 1 < len(values):
                value = clean_value(values[idx - 1])
                if value is not None:
                    if type(value) is str and len(value) <= _SHARED_TEXT_CHARS:
                        value = shared.setdefault(value, value)
                    cells[idx] = value
        if cells:
            sheet.rows.append((row_number, cells))
    return sheet


def _privacy_conflict(sheet: str, col_index: int, label: str, hxl: str, by_hxl: Column,
                      by_label: dict[str, Column], problems: list[Problem]) -> bool:
    """True (and an error naming the header cell) when row 1 names an internal column and row 2 a public one,
    or the reverse.

    The code in row 2 decides which column this is, so a label "Focal point phone (internal)" over the code
    ``#contact+phone`` would publish the focal points' numbers while the sheet tells staff they stay inside.
    Neither meaning is guessed: the column is not read, and the error stops the build.
    """
    label_col = by_label.get(normalise_key(_split_lang_suffix(label)[0]))
    if label_col is None or label_col.visibility == by_hxl.visibility:
        return False
    problems.append(make_problem("column-privacy-conflict", sheet=sheet, row=1, col=col_index, header=label,
                                 hxl=hxl, label_column=gettext_(label_col.label), hxl_column=gettext_(by_hxl.label)))
    return True


def _chain_row(first: list[CellValue], rest: Any) -> Any:
    yield tuple(first)
    yield from rest


def read_settings(ws: Any, problems: list[Problem]) -> RawSettings:
    """The Directory sheet: 'Setting | Value' rows; settings matched by their label in any language or key."""
    from directory_builder.columns import SETTINGS

    raw = RawSettings(title=ws.title)
    by_label: dict[str, str] = {}
    for setting in SETTINGS:
        by_label[normalise_key(setting.key)] = setting.key
        for lang in SHIPPED_LANGUAGES:
            by_label.setdefault(normalise_key(gettext_(setting.label, lang)), setting.key)
    header_words = {normalise_key(gettext_(SETTING_HEADER, lang)) for lang in SHIPPED_LANGUAGES}
    name_col, value_col = _settings_columns(ws, header_words)
    raw.name_col, raw.value_col = name_col + 1, value_col + 1
    for row_number, values in enumerate(ws.iter_rows(max_col=max(name_col, value_col) + 1, values_only=True),
                                        start=1):
        if row_number > 1000:
            break
        name = _text(clean_value(values[name_col] if len(values) > name_col else None))
        value = clean_value(values[value_col]) if len(values) > value_col else None
        if not name or name.startswith("#") or normalise_key(name) in header_words:
            continue
        if name.strip().lower() in DIRECTORY_HXL:
            continue
        base, setting_lang = _split_lang_suffix(name)
        setting_key = by_label.get(normalise_key(base))
        if setting_key is None:
            raw.unknown.append((row_number, name))
            continue
        raw.values.append((setting_key, setting_lang, row_number, value, name))
    return raw


def _settings_columns(ws: Any, header_words: set[str]) -> tuple[int, int]:
    """Where the Directory sheet's 'Setting' and 'Value' columns are (0-based): found by the row-2 tags
    ``#meta+setting``/``#meta+value``, else by the row-1 'Setting' label (the value beside it); A and B when
    neither is there. Column order is free on every sheet (spec: a column inserted before them moves them)."""
    rows = list(ws.iter_rows(min_row=1, max_row=2, max_col=30, values_only=True))
    if len(rows) > 1:
        tags = [str(v).strip().lower() if v is not None else "" for v in rows[1]]
        if DIRECTORY_HXL[0] in tags and DIRECTORY_HXL[1] in tags:
            return tags.index(DIRECTORY_HXL[0]), tags.index(DIRECTORY_HXL[1])
    if rows:
        labels = [normalise_key(str(v)) if v is not None else "" for v in rows[0]]
        for index, label in enumerate(labels):
            if label in header_words:
                return index, index + 1
    return 0, 1


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """The exception and everything it was raised from (openpyxl wraps the XML parser's errors)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _unreadable(path: Path, exc: BaseException) -> InputError:
    """One plain sentence for a workbook openpyxl could not read, naming hostile XML for what it is."""
    from defusedxml import DefusedXmlException

    causes = list(_causes(exc))
    if any(isinstance(c, DefusedXmlException) for c in causes):
        return InputError(
            _("The workbook '{path}' contains XML that Excel never writes (entity definitions); it may be a "
              "malicious file and was not opened. Ask the sender for a copy saved from Excel as .xlsx.").format(path=path)
        )
    if any(isinstance(c, zipfile.BadZipFile | EOFError | zlib.error) for c in causes):
        return InputError(
            _("The file '{path}' is damaged (it may be incomplete). Open the original in Excel and save it again, "
              "or send it again.").format(path=path)
        )
    return InputError(
        _("The workbook '{path}' could not be read ({reason}). Open it in Excel or LibreOffice and save it "
          "again as .xlsx.").format(path=path, reason=type(exc).__name__)
    )


def _sheet_unreadable(path: Path, exc: SheetReadError) -> InputError:
    """One plain sentence naming the sheet neither reader could parse (hostile XML keeps its own sentence)."""
    from defusedxml import DefusedXmlException

    causes = list(_causes(exc))
    if any(isinstance(c, DefusedXmlException | zipfile.BadZipFile | EOFError | zlib.error) for c in causes[1:]):
        return _unreadable(path, causes[1])
    return InputError(
        _("The sheet '{sheet}' of the workbook '{path}' could not be read: it holds characters or values that "
          "Excel never writes (the file may be damaged or made by another program). Open the workbook in Excel "
          "or LibreOffice, save it again as .xlsx, and run the command again.").format(sheet=exc.title, path=path)
    )


def _open_openpyxl(path: Path) -> Any:
    import defusedxml  # noqa: F401  (openpyxl uses defusedxml automatically when it is installed)
    from openpyxl import load_workbook  # imported only when needed: 0.2 s

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(path, read_only=True, data_only=True)
    except InputError:
        raise
    except Exception as exc:  # openpyxl raises many types for broken files
        raise _unreadable(path, exc) from exc


def read_workbook(path: str | Path) -> RawWorkbook:
    """Open safely, find the three sheets the tool reads, and return raw rows with their problems.

    python-calamine reads first (20x faster, bench/README.md); a sheet it cannot parse is read again,
    with the whole workbook, by openpyxl. Only when openpyxl cannot read that sheet either does the
    command stop, naming the sheet: a sheet is never taken to be empty because it could not be read.
    """
    path = Path(path)
    check_archive(path)
    try:
        fast: Any = open_calamine(path)
    except Exception as exc:
        raise _unreadable(path, exc) from exc
    if fast is not None:
        try:
            return _read_sheets(path, fast)
        except SheetReadError:
            pass  # openpyxl decides below, on the whole workbook
    try:
        return _read_sheets(path, _open_openpyxl(path))
    except SheetReadError as exc:
        raise _sheet_unreadable(path, exc) from exc


def _read_sheet(ws: Any, read: Any, *args: Any) -> Any:
    """``read(ws, *args)``; any failure inside becomes a SheetReadError naming ``ws``."""
    try:
        return read(ws, *args)
    except (InputError, SheetReadError):
        raise
    except Exception as exc:
        raise SheetReadError(ws.title) from exc


def _read_sheets(path: Path, wb: Any) -> RawWorkbook:
    problems: list[Problem] = []
    try:
        ws_dir = _find_sheet(wb, SHEET_DIRECTORY, ("#meta+setting",), path)
        ws_dist = _find_sheet(wb, SHEET_DISTRICTS, ("#adm1",), path)
        ws_serv = _find_sheet(wb, SHEET_SERVICES, ("#org", "#service"), path)
        if ws_serv is None:
            raise InputError(
                _("The workbook '{path}' has no 'Services' sheet. Use the template made by "
                  "'directory-builder template', or rename the sheet that lists the services to 'Services'.").format(path=path)
            )
        settings = _read_sheet(ws_dir, read_settings, problems) if ws_dir is not None else None
        districts = _read_sheet(ws_dist, read_table, DISTRICTS_COLUMNS, problems) if ws_dist is not None else None
        services = _read_sheet(ws_serv, read_table, SERVICES_COLUMNS, problems)
        for ws in (ws_dir, ws_dist, ws_serv):
            if ws is not None and getattr(ws, "sheet_state", "visible") != "visible":
                problems.append(make_problem("hidden-sheet", sheet=ws.title))
        if ws_dir is None:
            problems.append(make_problem("missing-sheet", sheet=gettext_(SHEET_DIRECTORY)))
        if ws_dist is None:
            problems.append(make_problem("missing-sheet", sheet=gettext_(SHEET_DISTRICTS)))
    finally:
        wb.close()
    return RawWorkbook(path, settings, districts, services, problems)


def read_settings_sheet(path: str | Path) -> RawSettings | None:
    """Only the Directory sheet's settings (None without one): enough to learn the workbook's languages
    before the whole workbook is read. The archive must have passed ``check_archive``."""
    path = Path(path)
    wb: Any = open_calamine(path) or _open_openpyxl(path)
    try:
        ws = _find_sheet(wb, SHEET_DIRECTORY, ("#meta+setting",), path)
        return read_settings(ws, []) if ws is not None else None
    finally:
        wb.close()
