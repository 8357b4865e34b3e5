"""The text of the template's Instructions sheet, as translatable blocks.

Staff who fill in the workbook are not programmers and may never read the docs: this sheet is where
they learn how to fill each sheet, how to verify an entry with the provider, and the safety rules. The
text lives here (not in template.py) so translators and reviewers find it in one place. Every block is an
English msgid marked with ``N_``; ``{placeholders}`` are replaced by the translated sheet names, column
labels and setting names, all derived from columns.py so a renamed column is renamed here too.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

from directory_builder.columns import (
    ALL_DISTRICTS,
    DISTRICTS_COLUMNS,
    HELP_HEADER,
    SERVICES_COLUMNS,
    SETTINGS,
    SHEET_DIRECTORY,
    SHEET_DISTRICTS,
    SHEET_INSTRUCTIONS,
    SHEET_LISTS,
    SHEET_SERVICES,
    VALUE_HEADER,
)
from directory_builder.i18n import N_, gettext_

BlockKind = Literal["title", "heading", "text", "step", "bullet", "command", "legend"]
LegendRole = Literal["required", "optional", "internal", "hxl"]


@dataclass(frozen=True)
class Block:
    """One paragraph of the Instructions sheet.

    ``text`` is an English msgid, except for ``command`` blocks, whose text is a command line (commands are
    typed as they are in every language). ``role`` names the header style a ``legend`` block shows.
    """

    kind: BlockKind
    text: str
    role: LegendRole | None = None


INSTRUCTIONS: tuple[Block, ...] = (
    Block("title", N_("How to fill in this workbook")),
    Block("text", N_("This workbook is the one place where you keep the directory of services for trafficking "
                     "victims. directory-builder reads it and makes a printed booklet and a web page for each "
                     "district and language. Fill it in, check it, then build the directory.")),

    Block("heading", N_("The sheets")),
    Block("bullet", N_("{directory}: the settings of the whole directory (title, country, languages, edition, "
                       "publisher). Write one value per row in the '{value}' column. Read the '{help}' column "
                       "for examples.")),
    Block("bullet", N_("{districts}: one row per district that gets its own directory.")),
    Block("bullet", N_("{services}: one row per service of an organization at one place. An organization with a "
                       "shelter and a hotline has two rows.")),
    Block("bullet", N_("{lists}: the lists behind the drop-down menus. You never need to edit it.")),

    Block("heading", N_("How to fill in the rows")),
    Block("bullet", N_("Start on row 3. Row 1 holds the column names. Row 2 holds codes that directory-builder "
                       "uses to find the columns: do not edit or delete row 2.")),
    Block("bullet", N_("Columns marked with * are required. An entry with an empty required cell is not "
                       "printed.")),
    Block("bullet", N_("Point at a column name, or click a cell, to read what to write in it.")),
    Block("bullet", N_("Cells with a drop-down list: click the cell and choose from the arrow. A word typed in "
                       "another language is accepted too.")),
    Block("bullet", N_("'{categories}' and '{beneficiaries}': type one or more codes from the {lists} sheet, "
                       "separated by ';', for example 'shelter; legal'. The first category is the main "
                       "one.")),
    Block("bullet", N_("A column name that ends with a language code, like '{service_name} (en)', holds the "
                       "text in that language. Always fill in the column marked *: it is the main language. "
                       "The other languages are used in the directories printed in those languages.")),
    Block("bullet", N_("Phone numbers: write them with the area code, as people dial them. Separate several "
                       "numbers with ';'. Short hotline numbers like 129 are fine.")),
    Block("bullet", N_("Dates: write 2026-03-31 (year-month-day) or 31/03/2026 (day/month/year).")),
    Block("bullet", N_("A service that helps people from every district: write '{all_districts}' in the "
                       "'{district}' column. It then appears in every directory.")),
    Block("text", N_("The colours of the column names:")),
    Block("legend", N_("Required: fill it in for every entry."), "required"),
    Block("legend", N_("Optional: fill it in when you know it."), "optional"),
    Block("legend", N_("Internal: for your team. Never printed in the public directory."), "internal"),
    Block("legend", N_("Column codes: do not change them."), "hxl"),

    Block("heading", N_("How to verify an entry")),
    Block("text", N_("Wrong numbers and closed shelters put people in danger: check every entry with the provider "
                     "regularly. When you check the workbook, entries verified longer ago than "
                     "'{setting_review_after_months}' on the {directory} sheet are flagged.")),
    Block("step", N_("Call the service on the number in the workbook. Say who you are and that you are "
                     "updating the directory.")),
    Block("step", N_("Check each field with them: the service name, what they do, who can use it, the cost, the "
                     "phone numbers, the opening hours and the address.")),
    Block("step", N_("Ask if the address may be printed. If the place must stay secret, set '{confidential}' "
                     "to yes.")),
    Block("step", N_("Correct what has changed. If the service has closed, set '{status}' to closed; do not "
                     "delete the row, so its ID stays known.")),
    Block("step", N_("Write the date of the call in '{last_verified}' and your name in '{verified_by}'.")),

    Block("heading", N_("Keep people safe")),
    Block("bullet", N_("Confidential addresses: when '{confidential}' is yes, the address and the map position "
                       "are never printed anywhere. The directory says to call first instead.")),
    Block("bullet", N_("Columns marked (internal) are never printed in the public directory. Focal points "
                       "appear only in the edition for practitioners; '{verified_by}' and '{notes}' are never "
                       "printed at all.")),
    Block("bullet", N_("Never write anything about victims or survivors in this workbook: no names, no case "
                       "details, no phone numbers of the people you help. It lists services, not people.")),
    Block("bullet", N_("Set '{publish}' to 'Do not publish' for an entry that must not be printed, and to "
                       "'Practitioners only' for one that only staff may see.")),
    Block("bullet", N_("Share this workbook only with the staff who keep it up to date: it holds internal "
                       "contacts and confidential addresses.")),

    Block("heading", N_("Check and build the directory")),
    Block("text", N_("Save the workbook as an Excel workbook (.xlsx). Then check it in a terminal:")),
    Block("command", "directory-builder validate {file}"),
    Block("text", N_("It lists every problem with its cell, for example {services}!F12, and what to do. To get a "
                     "copy of the workbook with the problem cells coloured and explained:")),
    Block("command", "directory-builder validate {file} --annotate problems.xlsx"),
    Block("text", N_("When there are no errors, make the booklets and web pages:")),
    Block("command", "directory-builder build {file} --out directory"),
    Block("text", N_("The files appear in the folder 'directory': a PDF and a web page for each district and "
                     "language. Print the PDFs, and share the web pages.")),
)


def placeholders(lang: str, file_name: str = "directory.xlsx",
                 sheet_names: Mapping[str, str] | None = None) -> dict[str, str]:
    """The values of the ``{placeholders}``, in ``lang``: sheet names, column labels, setting names.

    Derived from columns.py: ``{<service column key>}``, ``{setting_<setting key>}``, the sheet names
    ``{directory}``..., ``{all_districts}`` and ``{file}`` (quoted when it has spaces).
    """
    values: dict[str, str] = {}
    for col in (*DISTRICTS_COLUMNS, *SERVICES_COLUMNS):
        values[col.key] = gettext_(col.label, lang)
    for setting in SETTINGS:
        values[f"setting_{setting.key}"] = gettext_(setting.label, lang)
    sheets = {
        "instructions": SHEET_INSTRUCTIONS,
        "directory": SHEET_DIRECTORY,
        "districts": SHEET_DISTRICTS,
        "services": SHEET_SERVICES,
        "lists": SHEET_LISTS,
    }
    for key, msgid in sheets.items():
        values[key] = (sheet_names or {}).get(msgid) or gettext_(msgid, lang)
    values["all_districts"] = gettext_(ALL_DISTRICTS, lang)
    values["value"] = gettext_(VALUE_HEADER, lang)
    values["help"] = gettext_(HELP_HEADER, lang)
    values["file"] = f'"{file_name}"' if any(ch.isspace() for ch in file_name) else file_name
    return values


def render(block: Block, values: Mapping[str, str], lang: str) -> str:
    """The block's text in ``lang`` with its placeholders filled.

    A translation that broke a placeholder falls back to the English text rather than failing the template.
    """
    if block.kind == "command":
        return block.text.format_map(dict(values))
    try:
        return gettext_(block.text, lang).format_map(dict(values))
    except (KeyError, IndexError, ValueError):
        return block.text.format_map(dict(values))
