"""``validate --fix-ids``: a copy of the workbook with the generated IDs written into the empty ID cells.

An ID keeps an entry recognisable from one edition to the next (``diff``, HSDS ids). Validation already
makes a deterministic ID for every row without one (``Service.id`` where ``id_generated``); this module
writes exactly those IDs into a copy, so the next edition starts from explicit IDs. The user's file is
never changed; the copy is written atomically and reproducibly (same input, same bytes). A workbook without an ID column gets one, at the end of
the Services table, with its label in row 1 and ``#meta+id`` in row 2 (when the sheet has that row).
"""

from __future__ import annotations

import copy
import os
import warnings
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from directory_builder.columns import SERVICES_COLUMNS, column_by_key
from directory_builder.i18n import _, gettext_
from directory_builder.util.errors import InputError
from directory_builder.workbook.reader import read_workbook
from directory_builder.workbook.template import keep_document_dates, save_workbook_atomically


def write_fixed_ids(workbook: Path, generated: Mapping[int, str], out: Path) -> Path:
    """Write a copy of ``workbook`` to ``out`` with the IDs validation made (``generated``: Services row ->
    ID, ``ValidationResult.generated_ids()``) filled in; return ``out``."""
    workbook, out = Path(workbook), Path(out)
    if _same_file(workbook, out):
        raise InputError(_("The copy '{path}' would replace the workbook itself. Choose another file name: the "
                           "workbook is never changed.").format(path=out))
    if out.suffix.lower() != ".xlsx":
        raise InputError(_("'{path}' does not end with .xlsx. Give a name like 'with-ids.xlsx'.").format(path=out))
    raw = read_workbook(workbook)
    sheet = raw.services
    assert sheet is not None  # read_workbook refuses a workbook without a Services sheet

    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = load_workbook(workbook, rich_text=True)  # formulas, styles and drop-downs kept as they are
    except Exception as exc:  # the reader opened it; a failure here is still a broken file, not a bug
        raise InputError(_("The workbook '{path}' could not be read ({reason}). Open it in Excel or LibreOffice "
                           "and save it again as .xlsx.").format(path=workbook, reason=type(exc).__name__)) from exc
    ws = wb[sheet.title]
    id_match = next((m for m in sheet.columns if m.column.key == "id"), None)
    col = id_match.index if id_match is not None else _add_id_column(ws, sheet.has_hxl_row)
    for row, value in sorted(generated.items()):
        cell = ws.cell(row=row, column=col)
        if cell.value in (None, "") or (isinstance(cell.value, str) and not cell.value.strip()):
            cell.value = value
    keep_document_dates(wb, workbook)
    save_workbook_atomically(wb, out, private=True)  # holds what the workbook holds
    return out


def _same_file(a: Path, b: Path) -> bool:
    if a.resolve() == b.resolve():
        return True
    try:
        return b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def _add_id_column(ws: Any, has_hxl_row: bool) -> int:
    """A new ID column after the last used one, styled like the header cells beside it."""
    col = ws.max_column + 1
    column = column_by_key(SERVICES_COLUMNS, "id")
    header_rows = [(1, gettext_(column.label))] + ([(2, column.hxl)] if has_hxl_row else [])
    for row, text in header_rows:
        cell = ws.cell(row=row, column=col, value=text)
        model = ws.cell(row=row, column=col - 1) if col > 1 else None
        if model is not None and model.has_style:
            cell._style = copy.copy(model._style)
    from openpyxl.utils import get_column_letter

    ws.column_dimensions[get_column_letter(col)].width = column.width
    return col
