"""Problems are data: a code, a severity, where (sheet, row, column, cell) and what to do.

Like frictionless-py's errors, each code has one message template and one hint template (English msgids,
translated when shown). Validation collects every problem in one pass; the text report, the JSON report
and the annotated workbook are views of the same list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, Literal

from directory_builder.i18n import N_, country_name, gettext_

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ProblemType:
    code: str
    severity: Severity
    message: str  # msgid with {placeholders}
    hint: str  # msgid with {placeholders}


_TYPES: tuple[ProblemType, ...] = (
    # Workbook structure
    ProblemType("missing-sheet", "error", N_("The workbook has no '{sheet}' sheet."),
                N_("Start from the template made by 'directory-builder template', or add a sheet named '{sheet}'.")),
    ProblemType("missing-column", "error", N_("The required column '{column}' is missing."),
                N_("Add a column with '{column}' in row 1 and '{hxl}' in row 2, as in the template.")),
    ProblemType("duplicate-column", "error", N_("The column '{column}' appears twice."),
                N_("Keep one of the two columns and delete the other.")),
    ProblemType("column-privacy-conflict", "error",
                N_("The label '{header}' and the code '{hxl}' below it name different columns, one internal and "
                   "one public ('{label_column}' and '{hxl_column}')."),
                N_("Make row 1 and row 2 say the same column, as in the template. Until then the column is not "
                   "read, so nothing in it can be published by mistake.")),
    ProblemType("extra-column", "warning", N_("The column '{header}' is not part of the template and is ignored."),
                N_("Remove it, or check the spelling of its label and of its code in row 2.")),
    ProblemType("hidden-sheet", "warning", N_("The '{sheet}' sheet is hidden; it is read and published as it is."),
                N_("Unhide it (right-click a sheet tab, then Unhide) and check what it says, so what you see is "
                   "what is published.")),
    ProblemType("no-hxl-row", "warning", N_("Row 2 of this sheet does not hold the column codes (like '#org+name')."),
                N_("Columns were matched by their labels in row 1. Copy row 2 from the template to be safe.")),
    ProblemType("no-rows", "error", N_("The '{sheet}' sheet has no entries."),
                N_("Fill in at least one row, starting on row 3.")),
    ProblemType("too-many-rows", "error", N_("The '{sheet}' sheet has more than {limit} rows."),
                N_("Split the directory into several workbooks.")),
    # Settings
    ProblemType("missing-setting", "error", N_("The setting '{setting}' is missing or empty."),
                N_("Fill in '{setting}' on the Directory sheet. {help}")),
    ProblemType("duplicate-setting", "error",
                N_("'{column}' is given twice: this row is not used, the value in {other} is."),
                N_("Keep one row for each setting: delete this row, or the other one if this value is the right one.")),
    ProblemType("quick-exit-unusual", "error", N_("The quick-exit page '{value}' {reason}."),
                N_("Use the address of a common, harmless website (weather, news, a search engine) as your browser "
                   "shows it, for example https://www.bbc.com/weather.")),
    ProblemType("unknown-setting", "warning", N_("'{setting}' is not a setting directory-builder knows; it is ignored."),
                N_("Check the spelling. Known settings: {known}.")),
    ProblemType("title-not-neutral", "error", N_("The neutral title '{value}' says what the directory is about."),
                N_("Write a title that does not mention trafficking, for example 'Useful services'; it is shown "
                   "with 'build --neutral-title' to people who must not be seen reading about it.")),
    ProblemType("invalid-country", "error", N_("'{value}' is not a two-letter country code."),
                N_("Use the ISO code, for example ID (Indonesia), MY (Malaysia), VN (Viet Nam), TH (Thailand).")),
    ProblemType("invalid-language", "error", N_("'{value}' is not a language code."),
                N_("Use two-letter codes separated by commas, for example 'id, en'.")),
    ProblemType("unsupported-language", "warning", N_("directory-builder has no translation for '{value}' yet."),
                N_("Fixed labels will be printed in English. Languages with translations: {known}.")),
    # Cells
    ProblemType("required", "error", N_("'{column}' is required but the cell is empty."),
                N_("{help}")),
    ProblemType("invalid-choice", "error", N_("'{value}' is not in the list for '{column}'."),
                N_("Choose one of: {choices}.")),
    ProblemType("invalid-yes-no", "error", N_("'{value}' is not yes or no."),
                N_("Write yes or no.")),
    ProblemType("invalid-integer", "error", N_("'{value}' is not a whole number."),
                N_("Write a number without decimals, for example 18.")),
    ProblemType("invalid-number", "error", N_("'{value}' is not a number."),
                N_("Write a number with a dot for decimals, for example -6.1754.")),
    ProblemType("out-of-range", "error", N_("{value} is outside the allowed range for '{column}'."),
                N_("Use a value from {min} to {max}.")),
    ProblemType("invalid-date", "error", N_("'{value}' is not a date directory-builder can read."),
                N_("Write the date as 2026-03-31 (year-month-day), 31/03/2026 (day/month/year) or 31 March 2026 "
                   "(day, month name, year).")),
    ProblemType("future-date", "warning", N_("The date {value} is in the future."),
                N_("Check the year: this is the date the entry was last checked.")),
    ProblemType("invalid-phone", "error", N_("'{value}' is not a valid phone number in {country}."),
                N_("Write the number with its area code, for example {example}, or in international form with +. "
                   "Put ';' between two numbers.")),
    ProblemType("phone-no-area-code", "error", N_("'{value}' has no area code, so it cannot be called from a mobile phone or from another town."),
                N_("Write it with its area code, as dialled in {country}: for example {example}. After a number with an area code, in the "
                   "same cell, a number from the same area may leave it out: '(022) 5550105 / 5550106'.")),
    ProblemType("phone-too-long", "error", N_("'{value}' has too many digits for a phone number in {country}."),
                N_("If the cell holds two numbers, put ';' between them, for example '{example}; 112'. "
                   "Otherwise check the number for a typing mistake.")),
    ProblemType("phone-repaired", "warning", N_("Excel stored '{value}' as a number and removed the first 0; it was read as {fixed}."),
                N_("Format the column as Text and type the number again, so it prints correctly.")),
    ProblemType("invalid-named-phone", "error", N_("'{value}' should be written as 'Name: number'."),
                N_("For example 'Police: 110; Ambulance: 118'.")),
    ProblemType("invalid-email", "error", N_("'{value}' is not an email address: {reason}"),
                N_("Write it like name@example.org.")),
    ProblemType("invalid-url", "error", N_("'{value}' is not a web address we can publish."),
                N_("Write an address starting with https:// or www. Other kinds of links are not allowed.")),
    ProblemType("unknown-language-name", "warning", N_("'{value}' is not a language name or code we know."),
                N_("Use codes like id, en, ms, vi, th, or the language's name. It will be printed as written.")),
    ProblemType("text-too-long", "error", N_("The text in '{column}' is too long ({length} characters)."),
                N_("Keep it under {limit} characters.")),
    ProblemType("formula", "warning", N_("The cell holds a formula; its last saved value was used."),
                N_("Type the value instead of a formula.")),
    # Rows
    ProblemType("no-contact", "error", N_("This service has no way to contact it."),
                N_("Fill in at least one of: Phone, Hotline 24 hours, WhatsApp / SMS, Email, Website.")),
    ProblemType("row-not-accepted", "error",
                N_("This row could not be made into a service: the values in {columns} do not fit together."),
                N_("The row is left out. Check these cells against the help in row 1; if they look right, send "
                   "this message to the people who maintain directory-builder.")),
    ProblemType("row-check-failed", "error",
                N_("This row could not be checked: directory-builder met an unexpected problem ({reason})."),
                N_("The row is left out; the other rows were checked. Run the same command with --debug and send "
                   "the output to the people who maintain directory-builder.")),
    ProblemType("age-range", "error", N_("The minimum age ({min}) is higher than the maximum age ({max})."),
                N_("Swap the two numbers, or correct one of them.")),
    ProblemType("missing-address", "warning", N_("This {category} service has no address and is not marked confidential."),
                N_("Add the address, or set 'Address is confidential' to yes if the place must stay secret.")),
    ProblemType("coordinates-incomplete", "warning", N_("Only one of latitude and longitude is filled in."),
                N_("Fill in both, or neither.")),
    ProblemType("description-too-long", "warning", N_("The description has {words} words; victims read short text more easily."),
                N_("Keep it under {limit} words: two or three short sentences.")),
    ProblemType("sentence-too-long", "warning", N_("A sentence in the description has {words} words."),
                N_("Split it so each sentence has at most {limit} words.")),
    ProblemType("missing-translation", "warning", N_("'{column}' has no {language} text; the {default} text will be used."),
                N_("Add the {language} translation in this cell.")),
    ProblemType("translated-number-unknown", "warning",
                N_("The {language} list has '{value}', a number that is not in the {default} list; it is not printed."),
                N_("Give the same numbers in every language; only the names change from one language to another.")),
    ProblemType("stale-entry", "warning", N_("This entry was last checked on {date}, more than {months} months ago."),
                N_("Call the provider to check the details, then update 'Last verified'.")),
    # Across rows and sheets
    ProblemType("duplicate-id", "error", N_("The ID '{value}' is also used on row {other_row}."),
                N_("Each entry needs its own ID. Change one of them, or clear it to have a new one made.")),
    ProblemType("unknown-district", "error", N_("'{value}' is not a district on the Districts sheet."),
                N_("{suggestion}Use a district name exactly as on the Districts sheet, or 'All districts'.")),
    ProblemType("duplicate-district", "error", N_("The district '{value}' is listed twice (also on row {other_row})."),
                N_("Each district appears once on the Districts sheet.")),
    ProblemType("lookalike-district", "error",
                N_("'{value}' looks like the district '{other}' ({other_cell}) but is written with different letters."),
                N_("One of them has letters from another alphabet (for example a Cyrillic 'а' for a Latin 'a'). "
                   "Type both names again with the same keyboard, or make them clearly different.")),
    ProblemType("mixed-script", "error",
                N_("'{value}' mixes letters from different alphabets ({scripts}) in one word."),
                N_("Type the name again with one keyboard: a letter from another alphabet can look the same but "
                   "makes a different name.")),
    ProblemType("duplicate-slug", "warning", N_("The districts '{value}' and '{other}' would get the same file name."),
                N_("They were told apart by a number. Rename one to make the file names clearer.")),
    ProblemType("empty-district", "warning", N_("The district '{value}' has no published service of its own."),
                N_("Its directory will only list the services for all districts.")),
    # A confidential place written where it is printed (confidential.py)
    ProblemType("confidential-address-repeated", "error",
                N_("The address of this entry is confidential, but it is also written in '{column}', which is printed."),
                N_("Remove the street and number from this cell. Write for example 'Call first: we tell you where "
                   "to come.'")),
    ProblemType("confidential-map-link", "error",
                N_("The address of this entry is confidential, but '{column}' holds a map link, which shows where "
                   "the place is."),
                N_("Remove the map link from this cell. A website must be the organization's own page, not a map.")),
    ProblemType("confidential-coordinates", "error",
                N_("The address of this entry is confidential, but '{column}' holds map coordinates, which show "
                   "where the place is."),
                N_("Remove the coordinates from this cell. Keep them only in Latitude and Longitude, which are "
                   "never printed for a confidential address.")),
    ProblemType("confidential-address-shared", "error",
                N_("Row {other_row} is published with the same address as this confidential place, so the place "
                   "can be found."),
                N_("Check both rows. If row {other_row} is at this place too, set its 'Address is confidential' to "
                   "yes or clear its address; otherwise correct the address that is wrong.")),
    ProblemType("address-is-confidential", "error",
                N_("Row {other_row} has the same address and marks it confidential; printing it here shows where "
                   "that place is."),
                N_("Check both rows. If this service is at that place, set 'Address is confidential' to yes here "
                   "too or clear the address; otherwise correct the address that is wrong.")),
    ProblemType("confidential-place-near", "error",
                N_("Row {other_row} is published with map coordinates {metres} m from this confidential place, so "
                   "the place can be found."),
                N_("Check both rows. If row {other_row} is at this place too, set its 'Address is confidential' to "
                   "yes or clear its Latitude and Longitude; otherwise correct the coordinates that are wrong.")),
    ProblemType("near-confidential-place", "error",
                N_("The map coordinates of this entry are {metres} m from row {other_row}, whose address is "
                   "confidential; printing them shows where that place is."),
                N_("Check both rows. If this service is at that place, set 'Address is confidential' to yes here "
                   "too or clear Latitude and Longitude; otherwise correct the coordinates that are wrong.")),
    ProblemType("confidential-place-elsewhere", "error",
                N_("'{column}' gives away the confidential place of the Services row {other_row} (its address or "
                   "its map coordinates), and it is printed on the pages of every district."),
                N_("Remove the address, the map link or the coordinates from this cell. A confidential place must "
                   "not be found from anything printed.")),
    ProblemType("confidential-place-other-row", "error",
                N_("'{column}' gives away the confidential place of row {other_row} (its address or its map "
                   "coordinates), and it is printed."),
                N_("Remove the address, the map link or the coordinates from this cell. Write for example 'Call "
                   "first: we tell you where to come.'")),
    ProblemType("possible-duplicate", "warning", N_("This entry looks like a copy of row {other_row} (same organization, service and district)."),
                N_("Delete one of the two rows, or make their names different.")),
)

PROBLEM_TYPES: dict[str, ProblemType] = {t.code: t for t in _TYPES}
DID_YOU_MEAN = N_("Did you mean '{suggestion}'? ")


@dataclass(frozen=True)
class Problem:
    code: str
    severity: Severity
    sheet: str | None
    row: int | None
    column: str | None  # the column's label as written in the workbook (or the setting name)
    cell: str | None  # "F12"
    params: tuple[tuple[str, str], ...] = ()

    @property
    def where(self) -> str:
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        if self.sheet and self.row:
            return f"{self.sheet}!{self.row}:{self.row}"
        return self.sheet or ""

    def message(self, lang: str | None = None) -> str:
        return _render(PROBLEM_TYPES[self.code].message, dict(self.params), lang)

    def hint(self, lang: str | None = None) -> str:
        return _render(PROBLEM_TYPES[self.code].hint, dict(self.params), lang)

    def to_dict(self, lang: str | None = None) -> dict[str, Any]:
        return {
            "code": self.code,
            "severity": self.severity,
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "cell": self.cell,
            "message": self.message(lang),
            "hint": self.hint(lang),
        }


def _render(msgid: str, params: dict[str, str], lang: str | None) -> str:
    template = gettext_(msgid, lang)
    translated = {k: _param(k, v, lang) for k, v in params.items()}
    if "vocabulary" in params and "choices" in params:
        translated["choices"] = _choice_labels(params["vocabulary"], params["choices"], lang)
    try:
        return template.format(**translated)
    except (KeyError, IndexError, ValueError):
        return gettext_(msgid, "en").format(**translated)


#: Parameters holding English msgids (column labels, setting names) that are translated when shown.
_TRANSLATED_PARAMS = frozenset({"category", "reason"})
#: Parameters holding a country code ("ID"), shown as the country's name in the reader's language.
_COUNTRY_PARAMS = frozenset({"country"})


def _choice_labels(vocabulary: str, codes: str, lang: str | None) -> str:
    """The list's labels in the reader's language ("Tempat tinggal aman; Kesehatan"), not its codes: staff
    type labels, and a label in any shipped language is accepted."""
    from directory_builder.vocab import VOCABULARIES

    vocab = VOCABULARIES.get(vocabulary)
    if vocab is None:
        return codes
    return "; ".join(vocab.label(code, lang) if code in vocab.codes else code for code in codes.split("; "))


def _param(key: str, value: str, lang: str | None) -> str:
    if key in _TRANSLATED_PARAMS:
        return gettext_(value, lang)
    if key in _COUNTRY_PARAMS:
        return country_name(value, lang)
    return value


def make_problem(
    code: str,
    *,
    sheet: str | None = None,
    row: int | None = None,
    col: int | None = None,
    column: str | None = None,
    severity: Severity | None = None,
    **params: object,
) -> Problem:
    """Build a Problem; ``col`` is the 1-based column index used to compute the cell reference."""
    ptype = PROBLEM_TYPES[code]
    cell = f"{get_column_letter(col)}{row}" if (col and row) else None
    if column is not None:
        params.setdefault("column", column)
    if sheet is not None:
        params.setdefault("sheet", sheet)
    clean = tuple(sorted((k, _bound(str(v))) for k, v in params.items()))
    return Problem(code, severity or ptype.severity, sheet, row, column, cell, clean)


def get_column_letter(index: int) -> str:
    """1 -> 'A', 28 -> 'AB' (openpyxl's, without importing openpyxl for a report)."""
    letters = ""
    while index > 0:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _bound(text: str, limit: int = 200) -> str:
    """Echo at most ``limit`` characters of a cell back: reports stay readable and logs stay small."""
    if not text.isprintable():
        text = "".join(ch if ch.isprintable() else " " for ch in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    order = {"Directory": 0, "Districts": 1, "Services": 2}

    def key(p: Problem) -> tuple[int, str, int, int, str]:
        col_letters = "".join(c for c in (p.cell or "") if c.isalpha())
        return (order.get(p.sheet or "", 3), p.sheet or "", p.row or 0, len(col_letters), col_letters + p.code)

    return sorted(problems, key=key)


def report_dict(problems: Iterable[Problem], summary: dict[str, Any], lang: str | None = None) -> dict[str, Any]:
    """The JSON report: ``{"errors": [...], "warnings": [...], "summary": {...}}`` (spec/cli.md)."""
    items = list(problems)
    return {
        "errors": [p.to_dict(lang) for p in items if p.severity == "error"],
        "warnings": [p.to_dict(lang) for p in items if p.severity == "warning"],
        "summary": summary,
    }


def report_text(problems: Iterable[Problem], lang: str | None = None) -> list[str]:
    """One line per problem: ``Services!F12  error  <message>  (<hint>)``."""
    from directory_builder.i18n import gettext_ as g

    severity_words = {"error": g(N_("error"), lang), "warning": g(N_("warning"), lang)}
    lines = []
    for p in problems:
        where = p.where or "-"
        lines.append(f"{where}  {severity_words[p.severity]}  {p.message(lang)}  ({p.hint(lang)})")
    return lines


#: A run of identical warnings longer than this is one line: the cells are listed, not the sentence again.
GROUP_AT = 2
#: Cells named on a grouped line before "and N more" (the JSON report and the annotated copy have them all).
MAX_CELLS_SHOWN = 12


def grouped_report_text(problems: Iterable[Problem], lang: str | None = None,
                        district_of: Callable[[Problem], str] | None = None) -> list[str]:
    """The text report for people: errors first, one line each; then warnings, where the same warning
    (same sentence, same column, same district) repeated on several cells is one line with the count and
    the cells. A view of the same list as ``report_dict`` and the annotated copy: nothing is dropped.
    ``district_of`` names the district of a problem's row ("" when it has none)."""
    items = list(problems)
    errors = [p for p in items if p.severity == "error"]
    warnings = [p for p in items if p.severity == "warning"]
    lines = report_text(errors, lang)
    district = district_of or (lambda _p: "")
    for group in _warning_groups(warnings, lang, district):
        lines += report_text(group, lang) if len(group) < GROUP_AT else [_group_line(group, lang, district)]
    return lines


def _warning_groups(warnings: list[Problem], lang: str | None,
                    district_of: Callable[[Problem], str]) -> list[list[Problem]]:
    """Warnings gathered by what a person would call "the same warning", in the order first seen."""
    groups: dict[tuple[str, str | None, str | None, str, str], list[Problem]] = {}
    for p in warnings:
        key = (p.code, p.sheet, p.column, district_of(p), p.message(lang))
        groups.setdefault(key, []).append(p)
    return list(groups.values())


def _group_line(group: list[Problem], lang: str | None, district_of: Callable[[Problem], str]) -> str:
    first = group[0]
    district = district_of(first)
    cells = [p.cell or (f"{p.row}:{p.row}" if p.row else "") for p in group]
    shown = ", ".join(c for c in cells[:MAX_CELLS_SHOWN] if c)
    if len(cells) > MAX_CELLS_SHOWN:
        shown = gettext_(N_("{cells} and {count} more"), lang).format(cells=shown, count=len(cells) - MAX_CELLS_SHOWN)
    where = f"{first.sheet}!{shown}" if first.sheet else shown
    if district:
        count = gettext_(N_("{count} cells ({district}):"), lang).format(count=len(group), district=district)
    else:
        count = gettext_(N_("{count} cells:"), lang).format(count=len(group))
    severity = gettext_(N_("warning"), lang)
    return f"{where}  {severity}  {count} {first.message(lang)}  ({first.hint(lang)})"
