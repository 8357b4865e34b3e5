"""Build examples/jakarta-westjava.xlsx from examples/source/directory.yaml.

    python examples/make_example.py            # write the example workbook
    python examples/make_example.py --check    # exit 1 if the committed workbook is out of date

The example is made by filling the real blank template (``build_template_workbook``), never a copy of
its layout: columns are found by their HXL tag in row 2 and settings by their label in column A, so the
example follows the template whenever a column or setting is added, renamed or moved.

Everything in the example is fictional. The output is deterministic (no clock, no randomness): the
template writer fixes the document dates and the zip timestamps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from directory_builder.columns import (
    DISTRICTS_COLUMNS,
    SERVICES_COLUMNS,
    SETTINGS,
    SHEET_DIRECTORY,
    SHEET_DISTRICTS,
    SHEET_SERVICES,
    Column,
    Setting,
)
from directory_builder.i18n import gettext_
from directory_builder.vocab import normalise_key
from directory_builder.workbook.template import build_template_workbook, save_workbook_atomically, sheet_names

HERE = Path(__file__).resolve().parent
SOURCE = HERE / "source" / "directory.yaml"
OUTPUT = HERE / "jakarta-westjava.xlsx"
FIRST_DATA_ROW = 3  # row 1: labels, row 2: HXL tags
DATE_FORMAT = "yyyy-mm-dd"

CellValue = str | int | float | dt.date | None


class ExampleError(Exception):
    """The source data does not fit the template: a typo in a key, or a column the template lost."""


# ---------------------------------------------------------------------------------------------- source


def load_source(path: Path = SOURCE) -> dict[str, Any]:
    """The YAML source; its top level must hold settings, districts and services."""
    with open(path, encoding="utf-8") as fh:
        data = yaml.safe_load(fh)
    if not isinstance(data, dict):
        raise ExampleError(f"{path}: expected a mapping at the top level")
    for key in ("settings", "districts", "services"):
        if key not in data:
            raise ExampleError(f"{path}: '{key}' is missing")
    return data


def languages_of(settings: Mapping[str, Any]) -> tuple[str, ...]:
    """'id, en' -> ('id', 'en'): the translatable columns the template must offer."""
    return tuple(code for code in re.split(r"[,;\s]+", str(settings["languages"]).strip().lower()) if code)


# ---------------------------------------------------------------------------------------------- cells


def cell_value(kind: str, value: Any) -> CellValue:
    """A YAML value as a person types it into a cell of this type.

    YAML reads a bare ``yes``/``no`` as a boolean and ``129`` as a number; staff type the words and type
    phone numbers as text (the template formats phone columns as Text), so those go back to text.
    Dates stay real dates; a date written in quotes ('20/02/2026') stays text, as typed.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if kind in ("int", "float"):
        if not isinstance(value, int | float):
            raise ExampleError(f"expected a number, got {value!r}")
        return value
    if kind == "date" and isinstance(value, dt.date):
        return value
    return str(value)


def write_cell(ws: Worksheet, row: int, col: int, kind: str, value: Any) -> None:
    """Write one value with the column's number format, as if typed into the template's formatted column.

    openpyxl does not give new cells their column's style, so the Text format (keeps a leading 0) and
    the date format are copied onto the cell.
    """
    typed = cell_value(kind, value)
    if typed is None:
        return
    cell = ws.cell(row, col, typed)
    dim = ws.column_dimensions[get_column_letter(col)]
    if isinstance(typed, dt.date):
        cell.number_format = DATE_FORMAT
    elif dim.number_format and dim.number_format != "General":
        cell.number_format = dim.number_format
    cell.alignment = Alignment(vertical="top", wrap_text=kind in ("text", "longtext", "multichoice",
                                                                  "phones", "named_phones"))


# ---------------------------------------------------------------------------------------------- tables


def hxl_columns(ws: Worksheet) -> dict[str, int]:
    """Row 2 of a table sheet: normalised HXL tag -> column number."""
    found: dict[str, int] = {}
    for col in range(1, ws.max_column + 1):
        tag = ws.cell(2, col).value
        if isinstance(tag, str) and tag.strip():
            found[_hxl_key(tag)] = col
    return found


def _hxl_key(tag: str) -> str:
    return "".join(tag.split()).lower()


def fill_table(ws: Worksheet, columns: Sequence[Column], records: Sequence[Mapping[str, Any]],
               languages: Sequence[str]) -> None:
    """One record per row from row 3; a translatable value is a mapping of language -> text."""
    by_key = {c.key: c for c in columns}
    positions = hxl_columns(ws)
    for offset, record in enumerate(records):
        row = FIRST_DATA_ROW + offset
        for key, value in record.items():
            column = by_key.get(key)
            if column is None:
                raise ExampleError(f"{ws.title} row {row}: '{key}' is not a column key in columns.py")
            for lang, text in _per_language(column, value, languages, row):
                tag = _hxl_key(column.hxl_for(lang))
                if tag not in positions:
                    raise ExampleError(f"{ws.title}: the template has no column {column.hxl_for(lang)}")
                write_cell(ws, row, positions[tag], column.type, text)


def _per_language(column: Column, value: Any, languages: Sequence[str], row: int) -> list[tuple[str | None, Any]]:
    if not column.translatable:
        if isinstance(value, dict):
            raise ExampleError(f"row {row}: '{column.key}' is not translatable; give one value")
        return [(None, value)]
    if not isinstance(value, dict):
        raise ExampleError(f"row {row}: '{column.key}' is translatable; give one text per language")
    unknown = set(value) - set(languages)
    if unknown:
        raise ExampleError(f"row {row}: '{column.key}' has texts in {sorted(unknown)}, not in the languages")
    return [(lang, value[lang]) for lang in languages if lang in value]


# ---------------------------------------------------------------------------------------------- settings


_LANG_SUFFIX = re.compile(r"^(?P<base>.*?)\s*\((?P<lang>[a-z]{2,3})\)$", re.IGNORECASE)


def setting_rows(ws: Worksheet, lang: str) -> dict[tuple[str, str | None], int]:
    """Column A of the Directory sheet: (setting key, language or None) -> row, from the labels."""
    by_label = {normalise_key(gettext_(s.label, lang)): s.key for s in SETTINGS}
    rows: dict[tuple[str, str | None], int] = {}
    for row in range(FIRST_DATA_ROW, ws.max_row + 1):
        label = ws.cell(row, 1).value
        if not isinstance(label, str):
            continue
        text = label.strip().rstrip("*").strip()
        match = _LANG_SUFFIX.match(text)
        base, code = (match["base"], match["lang"].lower()) if match else (text, None)
        key = by_label.get(normalise_key(base))
        if key is not None:
            rows[(key, code)] = row
    return rows


def fill_settings(ws: Worksheet, settings: Mapping[str, Any], lang: str, languages: Sequence[str]) -> None:
    """Write each setting into column B of its row; translatable settings once per language."""
    known: dict[str, Setting] = {s.key: s for s in SETTINGS}
    rows = setting_rows(ws, lang)
    for key, value in settings.items():
        setting = known.get(key)
        if setting is None:
            raise ExampleError(f"'{key}' is not a setting in columns.SETTINGS")
        targets: list[tuple[tuple[str, str | None], Any]]
        if setting.translatable:
            if not isinstance(value, dict):
                raise ExampleError(f"setting '{key}' is translatable; give one text per language")
            targets = [((key, code), value[code]) for code in languages if code in value]
        else:
            targets = [((key, None), value)]
        for where, text in targets:
            if where not in rows:
                raise ExampleError(f"the template's {ws.title} sheet has no row for {where}")
            write_cell(ws, rows[where], 2, setting.type, text)


# ---------------------------------------------------------------------------------------------- workbook


def build_example_workbook(source: Path = SOURCE) -> Workbook:
    """The blank template, filled with the fictional Jakarta and West Java directory."""
    data = load_source(source)
    languages = languages_of(data["settings"])
    lang = str(data.get("template_language", "en"))
    wb = build_template_workbook(lang, languages=languages)
    names = sheet_names(lang)
    fill_settings(wb[names[SHEET_DIRECTORY]], data["settings"], lang, languages)
    fill_table(wb[names[SHEET_DISTRICTS]], DISTRICTS_COLUMNS, data["districts"], languages)
    fill_table(wb[names[SHEET_SERVICES]], SERVICES_COLUMNS, data["services"], languages)
    return wb


def sheet_values(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every sheet's cell values, for comparing two workbooks by content rather than by bytes."""
    wb = load_workbook(path, read_only=True)
    try:
        return {ws.title: [tuple(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    finally:
        wb.close()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Build the fictional example workbook.")
    parser.add_argument("--source", type=Path, default=SOURCE, help="the YAML source (default: %(default)s)")
    parser.add_argument("--out", type=Path, default=OUTPUT, help="the .xlsx to write (default: %(default)s)")
    parser.add_argument("--check", action="store_true",
                        help="do not write; exit 1 if --out differs from what the source makes")
    args = parser.parse_args(argv)
    try:
        wb = build_example_workbook(args.source)
    except ExampleError as exc:
        print(f"make_example: {exc}", file=sys.stderr)
        return 2
    if args.check:
        import tempfile

        with tempfile.TemporaryDirectory() as tmp:
            fresh = save_workbook_atomically(wb, Path(tmp) / "fresh.xlsx")
            if not args.out.exists() or sheet_values(fresh) != sheet_values(args.out):
                print(f"{args.out} is out of date: run python examples/make_example.py", file=sys.stderr)
                return 1
        print(f"{args.out} is up to date")
        return 0
    save_workbook_atomically(wb, args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
