"""The review workbook: one row per fixed text, made for a translator who does not know gettext.

The Translations sheet's layout is a contract with ``importer.py`` (cell references in its problems):
A key, B where it appears, C English, D translation, E status, F placeholders. Only D and E can be typed
in (the sheet is protected without a password: it prevents accidents, not people). The language is kept
in the document properties, so a renamed file still imports into the right catalog.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from directory_builder.i18n import N_, gettext_, language_name
from directory_builder.translations.entries import Entry, all_entries
from directory_builder.workbook.template import FIXED_TIMESTAMP, excel_text, row_height, workbook_bytes

SHEET = "Translations"
HEADERS = ("key", "where it appears", "English", "translation", "status", "placeholders")
DRAFT, REVIEWED = "draft", "reviewed"
STATUSES = (DRAFT, REVIEWED)
#: Column widths (characters): the texts wide enough to read a paragraph without scrolling.
WIDTHS = (24, 34, 60, 60, 12, 18)
#: Excel's limit for one cell.
CELL_LIMIT = 32767

INSTRUCTIONS: tuple[str, ...] = (
    N_("Translations to review: {language}"),
    N_("Each row of the Translations sheet is one fixed text of the directory: a label, a message or a "
       "paragraph of the first pages."),
    N_("Write the translation in column D. Keep every word in braces exactly as in the English text: it "
       "is replaced by a name, a number or a date."),
    N_("When you have checked a translation, choose reviewed in column E. Rows left as draft stay marked "
       "as drafts."),
    N_("Do not change columns A, B, C or F and do not add rows. Give the file back to the person who sent "
       "it: they run directory-builder translations import."),
)


def review_workbook_bytes(lang: str, template_dirs: Sequence[Path] = ()) -> bytes:
    """The .xlsx for reviewing ``lang``: the same catalogs give the same bytes."""
    return workbook_bytes(review_workbook(lang, all_entries(lang, template_dirs)))


def review_workbook(lang: str, entries: Sequence[Entry]) -> Workbook:
    wb = Workbook()
    instructions = wb.active
    assert instructions is not None
    instructions.title = "Instructions"
    _write_instructions(instructions, lang)
    _write_translations(wb.create_sheet(SHEET), entries, lang)
    wb.properties.language = lang
    wb.properties.title = f"directory-builder translations: {lang}"
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    return wb


def _write_instructions(ws: Worksheet, lang: str) -> None:
    """In the staff's language, then in the language under review (once when they are the same)."""
    ws.column_dimensions["A"].width = 110
    _fit_width(ws)
    staff = [gettext_(text).format(language=language_name(lang)) if "{language}" in text else gettext_(text)
             for text in INSTRUCTIONS]
    target = [gettext_(text, lang).format(language=language_name(lang, lang)) if "{language}" in text
              else gettext_(text, lang) for text in INSTRUCTIONS]
    lines = staff if staff == target else [*staff, "", *target]
    for row, text in enumerate(lines, start=1):
        cell = ws.cell(row=row, column=1, value=text)
        ws.row_dimensions[row].height = row_height([(text, 110)], lang, 14 if text in (staff[0], target[0]) else 11)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if text in (staff[0], target[0]):
            cell.font = Font(bold=True, size=14)


def _fit_width(ws: Worksheet) -> None:
    """Printed for a reviewer with a pen: landscape, every column on the page."""
    ws.page_setup.orientation = "landscape"
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _write_translations(ws: Worksheet, entries: Sequence[Entry], lang: str) -> None:
    header_fill = PatternFill("solid", fgColor="DDE6F0")
    for col, (title, width) in enumerate(zip(HEADERS, WIDTHS, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font = Font(bold=True)
        cell.fill = header_fill
        ws.column_dimensions[cell.column_letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")
    editable = Protection(locked=False)
    for row, entry in enumerate(entries, start=2):
        values = (entry.key, entry.where, entry.source, entry.translation,
                  REVIEWED if entry.reviewed else DRAFT, " ".join(entry.placeholders))
        for col, value in enumerate(values, start=1):
            cell = ws.cell(row=row, column=col, value=excel_text(value, CELL_LIMIT) if value else None)
            if cell.data_type == "f":
                cell.data_type = "s"  # text that starts with '=' stays text, never a formula
            cell.alignment = wrap
            if col in (4, 5):
                cell.protection = editable
        # LibreOffice does not grow rows to fit wrapped text: give each the height its longest text needs.
        ws.row_dimensions[row].height = row_height(
            [(entry.where, WIDTHS[1]), (entry.source, WIDTHS[2]), (entry.translation, WIDTHS[3])], lang)
    last = len(entries) + 1
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=False,
                            showErrorMessage=True, errorTitle="status", error=" / ".join(STATUSES))
    status.add(f"E2:E{max(last, 2)}")
    ws.add_data_validation(status)
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    _fit_width(ws)
    ws.auto_filter.ref = f"A1:F{max(last, 1)}"
    ws.protection.sheet = True  # no password: it only prevents accidents
    ws.protection.autoFilter = False
    ws.protection.sort = False
