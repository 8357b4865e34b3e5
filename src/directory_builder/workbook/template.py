"""Write the blank workbook that NGO staff fill in: ``directory-builder template OUT.xlsx``.

Everything is derived from columns.py (columns, settings, sheet names) and vocab.py (the drop-down
lists), so the template, the reader and the validator can never disagree about a column. Labels, help,
instructions and drop-down labels are in the template's language; the HXL row (row 2) is the same in
every language, which is what lets a Thai template be read back like an English one.

Choices made for spreadsheet users (documented in docs/):
- Drop-downs show the translated *label* ("Free", "ฟรี"); the reader accepts a label in any shipped
  language or the code, so a drop-down filled in one language still validates in another. Lists refer
  to ranges on the Lists sheet (never inline "a,b,c" lists, which break on commas and on Excel's
  255-character limit) and warn instead of refusing, so a word typed in another language is kept.
- Multichoice columns (categories, who can use it) cannot be a drop-down (a drop-down holds one value):
  their input prompt lists the codes and the Lists sheet shows each code with its label.
- The Lists sheet stays visible, last and protected (no password): people can read what each code
  means, and cannot break the drop-downs by accident.
- Output is deterministic: fixed document dates and zip timestamps, so the same arguments always give
  byte-identical files.
"""

from __future__ import annotations

import datetime as dt
import io
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from directory_builder.columns import (
    ALL_DISTRICTS,
    DIRECTORY_HXL,
    DISTRICTS_COLUMNS,
    HELP_HEADER,
    SERVICES_COLUMNS,
    SETTING_HEADER,
    SETTINGS,
    SHEET_DIRECTORY,
    SHEET_DISTRICTS,
    SHEET_INSTRUCTIONS,
    SHEET_LISTS,
    SHEET_SERVICES,
    VALUE_HEADER,
    Column,
    HeaderCell,
    Setting,
    column_by_key,
    table_headers,
)
from directory_builder.i18n import N_, SHIPPED_LANGUAGES, _, gettext_, language_name
from directory_builder.util.errors import InputError
from directory_builder.util.oserrors import check_output_file, temporary_space_error
from directory_builder.util.storage import write_bytes
from directory_builder.vocab import YES_NO, Vocabulary
from directory_builder.workbook import instructions

# ------------------------------------------------------------------------------------------ constants

DATA_FIRST_ROW = 3
#: Drop-downs and input prompts cover rows 3..DATA_LAST_ROW (a larger directory still reads; it just
#: has no drop-downs below this row).
DATA_LAST_ROW = 2000
#: The District drop-down on Services offers the names on Districts rows 3..DISTRICTS_LAST_ROW.
DISTRICTS_LAST_ROW = 1000
PROMPT_TITLE_MAX = 32  # Excel's limit for an input prompt's title
PROMPT_MAX = 255  # Excel's limit for an input prompt and for an error message
SHEET_NAME_MAX = 31  # Excel's limit for a sheet name
_SHEET_NAME_FORBIDDEN = set('[]:*?/\\')

#: Document dates written into every file this package saves: a fixed value keeps output byte-identical.
FIXED_TIMESTAMP = dt.datetime(2000, 1, 1)
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)
AUTHOR = "directory-builder"

# Header colours. Required and optional headers are light with black text; internal headers are dark
# with white text, so "never published" stands out in colour and in grayscale alike.
FILL_REQUIRED = "F4B084"
FILL_OPTIONAL = "DDEBF7"
FILL_INTERNAL = "44546A"
FILL_HXL = "F2F2F2"
FILL_INPUT = "FFF9E5"
FILL_COMMAND = "EDEDED"
FONT_HXL_COLOUR = "7F7F7F"
FONT_INTERNAL_COLOUR = "FFFFFF"

_THIN = Side(style="thin", color="BFBFBF")
_HEADER_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)

# Msgids used only by the template.
_YES_NO_TITLE = N_("Yes or no")
_CODE_HEADER = N_("Code")
#: Lists-sheet titles of vocabularies shared by several columns (one column's label would mislead).
_LIST_TITLES = {YES_NO.name: _YES_NO_TITLE}
_EXAMPLE = N_("Example: {example}")
_REQUIRED_NOTE = N_("Required: fill it in for every entry.")
_PRACTITIONERS_NOTE = N_("Never published in the public directory. Shown only in the edition for practitioners.")
_NEVER_NOTE = N_("Never published: not in any directory or export.")
_LANGUAGE_NOTE = N_("Write this text in {language}.")
_CHOOSE_NOTE = N_("Choose from the list. A word in another language is accepted too.")
_CODES_NOTE = N_("One or more of, separated by ';': {labels}")
_CODES_SHORT_NOTE = N_("See the codes on the {lists} sheet.")
_HXL_COMMENT = N_("Do not edit this row: directory-builder uses these codes to find the columns, in every "
                  "language.")
_LIST_ERROR_TITLE = N_("Not in the list")
_LIST_ERROR = N_("This is not in the list. Choose from the arrow, or keep what you typed if it is the same "
                 "word in another language.")
_LISTS_COMMENT = N_("This sheet feeds the drop-down lists. You never need to edit it.")


# ------------------------------------------------------------------------------------------ public helpers


def sheet_names(lang: str) -> dict[str, str]:
    """The five sheet names in ``lang`` (keyed by their English msgid), valid and unique for Excel."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for msgid in (SHEET_INSTRUCTIONS, SHEET_DIRECTORY, SHEET_DISTRICTS, SHEET_SERVICES, SHEET_LISTS):
        name = safe_sheet_name(gettext_(msgid, lang)) or msgid
        if name.casefold() in taken:
            name = msgid
        taken.add(name.casefold())
        names[msgid] = name
    return names


def safe_sheet_name(name: str) -> str:
    """A name Excel accepts: no []:*?/\\, no leading or trailing apostrophe, at most 31 characters."""
    cleaned = "".join(" " if ch in _SHEET_NAME_FORBIDDEN or unicodedata.category(ch) == "Cc" else ch
                      for ch in name)
    cleaned = " ".join(cleaned.split()).strip("'")
    return cleaned[:SHEET_NAME_MAX].strip()


def quote_sheet(name: str) -> str:
    """A sheet name as it must appear in a formula or link: always quoted, inner quotes doubled."""
    return "'" + name.replace("'", "''") + "'"


def excel_text(text: str, limit: int) -> str:
    """Cut ``text`` to ``limit`` UTF-16 units (how Excel counts), ending with '…' when cut.

    Never splits a surrogate pair and never leaves a combining mark (Thai vowels and tones) without its
    base letter.
    """
    if _utf16_len(text) <= limit:
        return text
    out: list[str] = []
    used = 1  # room for the ellipsis
    for ch in text:
        size = _utf16_len(ch)
        if used + size > limit:
            break
        out.append(ch)
        used += size
    if len(out) < len(text) and _is_mark(text[len(out)]):
        # The cut falls inside a cluster: drop the whole cluster (its base letter and the marks kept so far).
        while out and _is_mark(out[-1]):
            out.pop()
        if out:
            out.pop()
    return "".join(out).rstrip() + "…"


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Mc", "Me")


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


#: Scripts whose stacked vowels and tone marks need taller lines than Latin text.
_TALL_SCRIPTS = ("th", "vi", "lo", "km", "my")


def row_height(texts: Sequence[tuple[str, float]], lang: str, font_size: float = 11) -> float:
    """A row height in points that shows every wrapped ``(text, column width)`` of the row in full.

    LibreOffice does not grow rows to fit wrapped text when it opens an .xlsx, and Excel does not either
    once a height is stored, so the height is estimated (generously: white space beats a cut sentence).
    """
    line = font_size * (1.75 if lang in _TALL_SCRIPTS else 1.4)
    lines = 1
    for text, width in texts:
        per_line = max(1, int(width * 1.15 * 11 / font_size))
        count = sum(max(1, -(-_utf16_len(part) // per_line)) for part in text.split("\n"))
        lines = max(lines, count)
    return round(lines * line + 4, 1)


# ------------------------------------------------------------------------------------------ styles


def _header_style(role: str) -> tuple[PatternFill, Font]:
    fills = {"required": FILL_REQUIRED, "optional": FILL_OPTIONAL, "internal": FILL_INTERNAL, "hxl": FILL_HXL}
    fill = PatternFill("solid", start_color=fills[role], end_color=fills[role])
    if role == "internal":
        return fill, Font(bold=True, color=FONT_INTERNAL_COLOUR)
    if role == "hxl":
        return fill, Font(italic=True, size=8, color=FONT_HXL_COLOUR)
    return fill, Font(bold=True)


def _role(header: HeaderCell) -> str:
    if header.column.internal:
        return "internal"
    return "required" if header.marked_required else "optional"


def _comment(text: str, width: int = 280) -> Comment:
    """A header note sized to its text (openpyxl's default box cuts long help off)."""
    lines = sum(1 + _utf16_len(part) // 42 for part in text.split("\n"))
    comment = Comment(text, AUTHOR, width=width, height=min(400, 18 + 15 * lines))
    return comment


def _page_setup(ws: Worksheet, *, landscape: bool, fit_width: bool, title_rows: str | None = None) -> None:
    """Printing is rare but should give readable pages: fit to the page width, repeat the header rows."""
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if fit_width:
        ws.page_setup.fitToWidth = 1
        ws.page_setup.fitToHeight = 0
        ws.sheet_properties.pageSetUpPr.fitToPage = True
    if title_rows:
        ws.print_title_rows = title_rows


# ------------------------------------------------------------------------------------------ lists sheet


@dataclass(frozen=True)
class ListRange:
    """Where a drop-down's values live on the Lists sheet."""

    sheet: str
    column: int
    first_row: int
    last_row: int

    @property
    def formula(self) -> str:
        letter = get_column_letter(self.column)
        return f"{quote_sheet(self.sheet)}!${letter}${self.first_row}:${letter}${self.last_row}"


def _vocabularies() -> list[tuple[Vocabulary, str]]:
    """Every vocabulary a column uses, once, in column order, with the msgid of its Lists header."""
    users: dict[str, list[Column]] = {}
    vocabs: dict[str, Vocabulary] = {}
    for col in (*DISTRICTS_COLUMNS, *SERVICES_COLUMNS):
        if col.vocabulary is not None:
            users.setdefault(col.vocabulary.name, []).append(col)
            vocabs.setdefault(col.vocabulary.name, col.vocabulary)
    return [(vocab, users[name][0].label if len(users[name]) == 1 else _LIST_TITLES.get(name, users[name][0].label))
            for name, vocab in vocabs.items()]


def _write_lists(ws: Worksheet, lang: str, names: dict[str, str]) -> tuple[dict[str, ListRange], ListRange]:
    """One label column and one code column per vocabulary, then the District helper column.

    The helper column starts with "All districts" and mirrors the District column of the Districts sheet
    with formulas, so the Services drop-down offers both in one contiguous range (a list validation can
    only point at one range).
    """
    ranges: dict[str, ListRange] = {}
    header_fill, header_font = _header_style("optional")
    col = 1
    for vocab, title in _vocabularies():
        ws.cell(1, col, gettext_(title, lang))
        ws.cell(1, col + 1, gettext_(_CODE_HEADER, lang))
        for offset, term in enumerate(vocab.terms):
            ws.cell(2 + offset, col, gettext_(term.label, lang))
            ws.cell(2 + offset, col + 1, term.code)
        ranges[vocab.name] = ListRange(ws.title, col, 2, 1 + len(vocab.terms))
        ws.column_dimensions[get_column_letter(col)].width = max(
            14, min(40, 2 + max(_utf16_len(gettext_(t.label, lang)) for t in vocab.terms)))
        ws.column_dimensions[get_column_letter(col + 1)].width = max(
            8, min(26, 2 + max(len(t.code) for t in vocab.terms)))
        ws.column_dimensions[get_column_letter(col + 2)].width = 3
        col += 3
    # District helper: "All districts", then Districts!A3..A<DISTRICTS_LAST_ROW>.
    district_index = [c.key for c in DISTRICTS_COLUMNS].index("district") + 1
    district_letter = get_column_letter(district_index)
    districts = quote_sheet(names[SHEET_DISTRICTS])
    ws.cell(1, col, gettext_(column_by_key(DISTRICTS_COLUMNS, "district").label, lang))
    ws.cell(2, col, gettext_(ALL_DISTRICTS, lang))
    for row in range(DATA_FIRST_ROW, DISTRICTS_LAST_ROW + 1):
        ref = f"{districts}!${district_letter}{row}"
        ws.cell(row, col, f'=IF({ref}="","",{ref})')
    ws.column_dimensions[get_column_letter(col)].width = 28
    district_range = ListRange(ws.title, col, 2, DISTRICTS_LAST_ROW)
    for cell in ws[1]:
        if cell.value is not None:
            cell.fill, cell.font, cell.border = header_fill, header_font, _HEADER_BORDER
    ws["A1"].comment = _comment(gettext_(_LISTS_COMMENT, lang))
    ws.freeze_panes = "A2"
    ws.sheet_properties.tabColor = "A6A6A6"
    ws.protection.sheet = True  # no password: it only prevents accidents
    longest = max(len(vocab.terms) for vocab, _title in _vocabularies())
    ws.print_area = f"A1:{get_column_letter(col)}{1 + longest}"
    _page_setup(ws, landscape=True, fit_width=True)
    return ranges, district_range


# ------------------------------------------------------------------------------------------ table sheets


def _help_text(header: HeaderCell, lang: str, names: dict[str, str]) -> str:
    """The header note: what to write, plus required / language / never-published remarks."""
    col = header.column
    parts = [gettext_(col.help, lang)]
    if header.lang is not None:
        parts.append(gettext_(_LANGUAGE_NOTE, lang).format(language=language_name(header.lang, lang)))
    if header.marked_required:
        parts.append(gettext_(_REQUIRED_NOTE, lang))
    if col.visibility == "practitioners":
        parts.append(gettext_(_PRACTITIONERS_NOTE, lang))
    elif col.visibility == "never":
        parts.append(gettext_(_NEVER_NOTE, lang))
    if col.type == "multichoice" and col.vocabulary is not None:
        parts.append(_choices_note(col.vocabulary, lang))
    return "\n".join(parts)


def _choices_note(vocabulary: Vocabulary, lang: str) -> str:
    """The list's labels in the template's language: what staff type (codes are accepted too)."""
    return gettext_(_CODES_NOTE, lang).format(labels=_choice_labels(vocabulary, lang))


def _choice_labels(vocabulary: Vocabulary, lang: str) -> str:
    return "; ".join(vocabulary.label(code, lang) for code in vocabulary.codes)


def _prompt(header: HeaderCell, lang: str, names: dict[str, str]) -> str:
    """The input prompt shown when a data cell is selected: at most 255 characters.

    For multichoice columns the list matters most; when help and list do not fit together, the list wins
    (its labels alone if need be) and the full help stays in the header note.
    """
    col = header.column
    text = gettext_(col.help, lang)
    if header.lang is not None:
        text += " " + gettext_(_LANGUAGE_NOTE, lang).format(language=language_name(header.lang, lang))
    if col.type == "multichoice" and col.vocabulary is not None:
        codes = _choices_note(col.vocabulary, lang)
        if _utf16_len(text) + 1 + _utf16_len(codes) <= PROMPT_MAX:
            return text + "\n" + codes
        if _utf16_len(codes) <= PROMPT_MAX:
            return codes
        labels = _choice_labels(col.vocabulary, lang)
        if _utf16_len(labels) <= PROMPT_MAX:
            return labels
        return excel_text(gettext_(_CODES_SHORT_NOTE, lang).format(lists=names[SHEET_LISTS]), PROMPT_MAX)
    return excel_text(text, PROMPT_MAX)


def _validation(header: HeaderCell, lang: str, names: dict[str, str], lists: dict[str, ListRange],
                district_range: ListRange | None) -> DataValidation:
    """A drop-down for choice, yes/no and district columns; an input prompt only for the others."""
    col = header.column
    source: ListRange | None = None
    if col.type in ("choice", "bool") and col.vocabulary is not None:
        source = lists[col.vocabulary.name]
    elif col.type == "district" and district_range is not None:
        source = district_range
    title = excel_text(header.label.rstrip(" *"), PROMPT_TITLE_MAX)
    if source is None:
        dv = DataValidation(allow_blank=True)
    else:
        dv = DataValidation(type="list", formula1=source.formula, allow_blank=True, showErrorMessage=True,
                            errorStyle="warning",
                            errorTitle=excel_text(gettext_(_LIST_ERROR_TITLE, lang), PROMPT_TITLE_MAX),
                            error=excel_text(gettext_(_LIST_ERROR, lang), PROMPT_MAX))
    dv.showInputMessage = True
    dv.promptTitle = title
    dv.prompt = _prompt(header, lang, names)
    return dv


def _column_style(ws: Worksheet, index: int, col: Column) -> None:
    """Width, alignment and number format of the whole column, inherited by the cells people type in.

    Phone numbers and IDs are Text so Excel keeps a leading 0; dates show as year-month-day. Free text is
    left General: Excel shows '####' for Text-formatted cells longer than 255 characters.
    """
    dim = ws.column_dimensions[get_column_letter(index)]
    dim.width = col.width
    dim.alignment = Alignment(vertical="top", wrap_text=col.type in ("longtext", "text", "multichoice",
                                                                      "named_phones", "phones"))
    if col.type in ("phones", "named_phones") or col.key == "id":
        dim.number_format = "@"
    elif col.type == "date":
        dim.number_format = "yyyy-mm-dd"


def _write_table(ws: Worksheet, columns: Sequence[Column], lang: str, languages: Sequence[str],
                 names: dict[str, str], lists: dict[str, ListRange], district_range: ListRange | None) -> None:
    """Row 1 labels, row 2 HXL tags, column styles, header notes and the data-range validations."""
    headers = table_headers(columns, languages, lang)
    hxl_fill, hxl_font = _header_style("hxl")
    for index, header in enumerate(headers, start=1):
        fill, font = _header_style(_role(header))
        top = ws.cell(1, index, header.label)
        top.fill, top.font, top.border = fill, font, _HEADER_BORDER
        top.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        top.comment = _comment(_help_text(header, lang, names))
        tag = ws.cell(2, index, header.hxl)
        tag.fill, tag.font, tag.border = hxl_fill, hxl_font, _HEADER_BORDER
        tag.alignment = Alignment(vertical="center")
        _column_style(ws, index, header.column)
        letter = get_column_letter(index)
        dv = _validation(header, lang, names, lists, district_range)
        dv.add(f"{letter}{DATA_FIRST_ROW}:{letter}{DATA_LAST_ROW}")
        ws.add_data_validation(dv)
    ws["A2"].comment = _comment(gettext_(_HXL_COMMENT, lang))
    ws.row_dimensions[1].height = max(30.0, row_height([(h.label, h.column.width - 2) for h in headers], lang))
    ws.row_dimensions[2].height = 14
    ws.freeze_panes = f"A{DATA_FIRST_ROW}"
    _page_setup(ws, landscape=True, fit_width=len(headers) <= 8, title_rows="1:2")


# ------------------------------------------------------------------------------------------ directory sheet


_DIRECTORY_WIDTHS = (30, 44, 70)


def _write_directory(ws: Worksheet, lang: str, languages: Sequence[str]) -> None:
    """Setting | Value | Help, one row per setting (translatable ones once per language)."""
    fill, font = _header_style("optional")
    hxl_fill, hxl_font = _header_style("hxl")
    headers = (SETTING_HEADER, VALUE_HEADER, HELP_HEADER)
    for index, msgid in enumerate(headers, start=1):
        cell = ws.cell(1, index, gettext_(msgid, lang))
        cell.fill, cell.font, cell.border = fill, font, _HEADER_BORDER
        cell.alignment = Alignment(vertical="center")
        tag = ws.cell(2, index, DIRECTORY_HXL[index - 1] if index <= len(DIRECTORY_HXL) else None)
        tag.fill, tag.font, tag.border = hxl_fill, hxl_font, _HEADER_BORDER
    ws["A2"].comment = _comment(gettext_(_HXL_COMMENT, lang))
    input_fill = PatternFill("solid", start_color=FILL_INPUT, end_color=FILL_INPUT)
    row = DATA_FIRST_ROW
    for setting in SETTINGS:
        variants = list(enumerate(languages)) if setting.translatable else [(0, None)]
        for i, code in variants:
            label = gettext_(setting.label, lang) + (f" ({code})" if code else "")
            required = setting.required and i == 0
            shown = label + (" *" if required else "")
            name = ws.cell(row, 1, shown)
            name.font = Font(bold=required)
            name.alignment = Alignment(vertical="top", wrap_text=True)
            value = ws.cell(row, 2, _default_value(setting.key, setting.default, languages))
            value.fill, value.border = input_fill, _HEADER_BORDER
            value.alignment = Alignment(vertical="top", wrap_text=True, horizontal="left")
            if setting.type == "date":
                value.number_format = "yyyy-mm-dd"
            elif setting.type in ("text", "named_phones"):
                value.number_format = "@"
            help_text = gettext_(setting.help, lang)
            if code is not None:
                help_text += " " + gettext_(_LANGUAGE_NOTE, lang).format(language=language_name(code, lang))
            if setting.example:
                help_text += "\n" + gettext_(_EXAMPLE, lang).format(example=example_value(setting, lang))
            note = ws.cell(row, 3, help_text)
            note.alignment = Alignment(vertical="top", wrap_text=True)
            note.font = Font(color="595959")
            ws.row_dimensions[row].height = row_height(
                [(shown, _DIRECTORY_WIDTHS[0]), (help_text, _DIRECTORY_WIDTHS[2])], lang)
            dv = DataValidation(allow_blank=True, showInputMessage=True,
                                promptTitle=excel_text(label, PROMPT_TITLE_MAX),
                                prompt=excel_text(help_text, PROMPT_MAX))
            dv.add(f"B{row}")
            ws.add_data_validation(dv)
            row += 1
    for letter, width in zip("ABC", _DIRECTORY_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width
    ws.row_dimensions[2].height = 14
    ws.freeze_panes = f"A{DATA_FIRST_ROW}"
    _page_setup(ws, landscape=True, fit_width=True)


#: Settings whose example is in words (an N_() message in columns.py), shown in the template's language so
#: that an Indonesian template suggests an Indonesian title. The other examples are codes, dates, numbers
#: or addresses, the same in every language: "ID" must stay "ID", not become the column label "รหัส ID".
EXAMPLES_IN_WORDS = frozenset({"title", "edition", "publisher", "national_hotlines", "neutral_title", "contact_name"})


def example_value(setting: Setting, lang: str) -> str:
    """The example shown in a setting's help on the Directory sheet, in the template's language."""
    return gettext_(setting.example, lang) if setting.key in EXAMPLES_IN_WORDS else setting.example


def _default_value(key: str, default: str, languages: Sequence[str]) -> str | int | None:
    if key == "languages":
        return ", ".join(languages)
    if default.isdigit():
        return int(default)
    return default or None


# ------------------------------------------------------------------------------------------ instructions


_INSTRUCTIONS_WIDTH = 100


def _write_instructions(ws: Worksheet, lang: str, names: dict[str, str], file_name: str) -> None:
    """A readable page: a narrow column for numbers and bullets, a wide wrapped column for the text."""
    values = instructions.placeholders(lang, file_name, names)
    ws.column_dimensions["A"].width = 4
    ws.column_dimensions["B"].width = _INSTRUCTIONS_WIDTH
    ws.sheet_view.showGridLines = False
    row = 1
    step = 0
    for block in instructions.INSTRUCTIONS:
        text = instructions.render(block, values, lang)
        if block.kind == "heading":
            row += 1
            step = 0
        cell = ws.cell(row, 2, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        marker = ws.cell(row, 1)
        marker.alignment = Alignment(horizontal="right", vertical="top")
        size = {"title": 18, "heading": 13, "command": 10}.get(block.kind, 11)
        ws.row_dimensions[row].height = row_height([(text, _INSTRUCTIONS_WIDTH)], lang, size) + (
            4 if block.kind in ("title", "heading", "command", "legend") else 0)
        if block.kind == "title":
            cell.font = Font(bold=True, size=18, color="1F3864")
        elif block.kind == "heading":
            cell.font = Font(bold=True, size=13, color="1F3864")
            cell.border = Border(bottom=Side(style="thin", color="1F3864"))
        elif block.kind == "step":
            step += 1
            marker.value = f"{step}."
            marker.font = Font(bold=True)
        elif block.kind == "bullet":
            marker.value = "•"
        elif block.kind == "command":
            cell.font = Font(name="Courier New", size=10)
            cell.fill = PatternFill("solid", start_color=FILL_COMMAND, end_color=FILL_COMMAND)
            cell.alignment = Alignment(wrap_text=True, vertical="center", indent=1)
        elif block.kind == "legend" and block.role is not None:
            fill, font = _header_style(block.role)
            cell.fill, cell.font, cell.border = fill, Font(color=font.color, italic=font.italic), _HEADER_BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", indent=1)
        row += 1
    _page_setup(ws, landscape=False, fit_width=True)
    ws.print_options.horizontalCentered = True


# ------------------------------------------------------------------------------------------ workbook


def normalise_languages(lang: str, languages: Sequence[str] | None) -> tuple[str, ...]:
    """Lower-case, de-duplicated codes in the given order; the template's own language when none."""
    result: list[str] = []
    for code in languages or (lang,):
        code = code.strip().lower()
        if code and code not in result:
            result.append(code)
    return tuple(result) or (lang,)


def build_template_workbook(lang: str = "en", languages: Sequence[str] | None = None, *,
                            file_name: str = "directory.xlsx") -> Workbook:
    """The blank template in ``lang`` with translatable columns for each of ``languages`` (default: ``lang``).

    ``file_name`` only appears in the example commands on the Instructions sheet.
    """
    langs = normalise_languages(lang, languages)
    names = sheet_names(lang)
    wb = Workbook()
    ws_instructions = wb.active
    assert ws_instructions is not None
    ws_instructions.title = names[SHEET_INSTRUCTIONS]
    ws_directory = wb.create_sheet(names[SHEET_DIRECTORY])
    ws_districts = wb.create_sheet(names[SHEET_DISTRICTS])
    ws_services = wb.create_sheet(names[SHEET_SERVICES])
    ws_lists = wb.create_sheet(names[SHEET_LISTS])

    lists, district_range = _write_lists(ws_lists, lang, names)
    _write_instructions(ws_instructions, lang, names, file_name)
    _write_directory(ws_directory, lang, langs)
    _write_table(ws_districts, DISTRICTS_COLUMNS, lang, langs, names, lists, None)
    _write_table(ws_services, SERVICES_COLUMNS, lang, langs, names, lists, district_range)

    wb.properties.creator = AUTHOR
    wb.properties.title = gettext_(N_("Directory of services: workbook"), lang)
    wb.properties.language = lang
    wb.properties.created = FIXED_TIMESTAMP
    wb.properties.modified = FIXED_TIMESTAMP
    wb.active = 0
    return wb


def write_template(path: Path, lang: str = "en", languages: Sequence[str] | None = None, *,
                   force: bool = False) -> Path:
    """Write the template to ``path`` atomically; refuse to replace an existing file unless ``force``."""
    path = Path(path)
    if lang not in SHIPPED_LANGUAGES:
        raise InputError(_("There is no template in '{lang}'. Choose one of: {known}.").format(
            lang=lang, known=", ".join(SHIPPED_LANGUAGES)))
    for code in normalise_languages(lang, languages):
        if not (2 <= len(code) <= 3 and code.isascii() and code.isalpha()):
            raise InputError(_("'{code}' is not a language code. Use two-letter codes separated by commas, "
                               "for example 'id,en'.").format(code=code))
    if path.suffix.lower() != ".xlsx":
        raise InputError(_("'{path}' does not end with .xlsx. Give a name like 'directory.xlsx'.").format(path=path))
    if path.is_dir():
        raise InputError(_("'{path}' is a folder. Give the name of the .xlsx file to write.").format(path=path))
    if path.exists() and not force:
        raise InputError(_("The file '{path}' already exists. Choose another name, or add --force to replace "
                           "it.").format(path=path))
    wb = build_template_workbook(lang, languages, file_name=path.name)
    save_workbook_atomically(wb, path)
    return path


# ------------------------------------------------------------------------------------------ saving


def workbook_bytes(wb: Workbook) -> bytes:
    """The .xlsx bytes of ``wb``, reproducibly: no save-time clock in the properties or the zip entries.

    openpyxl's ``save()`` stamps the current time into docProps/core.xml and every zip entry; this writes
    with the workbook's own ``created``/``modified`` and a fixed entry date instead.
    """
    raw = io.BytesIO()
    archive = zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
    ExcelWriter(wb, archive).save()  # closes the archive
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=_ZIP_DATE)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = 0o600 << 16
            dst.writestr(fixed, src.read(info.filename))
    return out.getvalue()


def save_workbook_atomically(wb: Workbook, path: Path, *, private: bool = False) -> Path:
    """Write to a temporary file in the same folder, then rename: a half-written file never replaces a
    good one, and a failed write leaves nothing behind. ``private``: a copy of a filled workbook holds
    confidential addresses and internal columns, so it is readable by its owner only (0600; folders made
    for it 0700); the blank template gets the umask."""
    path = Path(path)
    check_output_file(path)  # a folder, a device such as /dev/full, a file on the way: one sentence
    try:
        data = workbook_bytes(wb)
    except Exception as exc:  # openpyxl's temporary files: a full temporary folder is not a bug
        plain = temporary_space_error(path, exc)
        if plain is None:
            raise
        raise plain from exc
    write_bytes(path, data, private=private)  # a full disk or a read-only folder: one sentence naming it
    return path


__all__ = [
    "DATA_FIRST_ROW",
    "DATA_LAST_ROW",
    "HeaderCell",
    "ListRange",
    "build_template_workbook",
    "excel_text",
    "quote_sheet",
    "save_workbook_atomically",
    "sheet_names",
    "table_headers",
    "workbook_bytes",
    "write_template",
]


def keep_document_dates(wb: Workbook, source: Path) -> None:
    """A copy of the user's workbook keeps their document dates; where there are none, a fixed one rather
    than the clock (openpyxl stamps 'now'), so the same inputs give the same bytes."""
    try:
        with zipfile.ZipFile(source) as zf:
            core = zf.read("docProps/core.xml").decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile):
        core = ""
    if "created>" not in core:
        wb.properties.created = FIXED_TIMESTAMP
    if "modified>" not in core:
        wb.properties.modified = FIXED_TIMESTAMP
