"""The Directory and Districts sheets: the settings every row is read with, and the districts rows refer to.

Like the rows, these sheets are checked whole: every problem is recorded with its cell and checking goes on.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from directory_builder.check import parse
from directory_builder.check.parse import Invalid, as_text
from directory_builder.check.problems import get_column_letter
from directory_builder.check.record import Recorder
from directory_builder.check.translated_settings import (
    SettingRow,
    main_row_first,
    name_numbers,
    untranslated_languages,
)
from directory_builder.columns import DISTRICTS_COLUMNS, SETTINGS, Column, Setting
from directory_builder.i18n import SHIPPED_LANGUAGES, gettext_, language_name
from directory_builder.model import District, NamedNumber, Settings, Text
from directory_builder.util.names import clean_name, match_key, mixed_scripts, skeleton
from directory_builder.util.slug import assign_slugs
from directory_builder.workbook import limits
from directory_builder.workbook.reader import ColumnMatch, RawSheet, RawWorkbook


class SheetChecks:
    """The checks of the Directory and Districts sheets, and the required columns of every table sheet."""

    def __init__(self, raw: RawWorkbook, out: Recorder) -> None:
        self.raw = raw
        self.out = out
        #: The Directory sheet's value column (1-based): B unless a column was inserted before it.
        self.value_col = raw.settings.value_col if raw.settings else 2
        #: District name skeleton -> (name, cell, match key): look-alike names are found across sheets.
        self.district_skeletons: dict[str, tuple[str, str, str]] = {}

    # ------------------------------------------------------------------------------------- settings

    def check_settings(self) -> Settings | None:
        raw = self.raw.settings
        if raw is None:
            return None  # the reader already reported the missing sheet
        sheet = raw.title
        found: dict[str, list[tuple[str | None, int, Any, str]]] = {}
        for key, lang, row, value, label in raw.values:
            found.setdefault(key, []).append((lang, row, value, label))
        known = ", ".join(gettext_(s.label) for s in SETTINGS)
        for row, name in raw.unknown:
            self.out.add("unknown-setting", sheet=sheet, row=row, col=raw.name_col, setting=name, known=known)

        def first(setting: Setting) -> tuple[int, Any] | None:
            main = (values.get("languages") or [None])[0]
            for _lang, row, value, _label in main_row_first(found.get(setting.key, []), main):
                if value is not None:
                    return row, value
            return None

        values: dict[str, Any] = {}
        ok = True
        for setting in SETTINGS:
            got = first(setting)
            if got is None:
                if setting.required:
                    self.out.add("missing-setting", sheet=sheet, column=gettext_(setting.label),
                                 setting=gettext_(setting.label), help=gettext_(setting.help),
                                 **_value_cell(found.get(setting.key, []), self.value_col))
                    ok = False
                continue
            row, value = got
            try:
                values[setting.key] = self._setting_value(setting, value, values, sheet, row)
            except Invalid as exc:
                self.out.issue(exc.issue, sheet=sheet, row=row, col=self.value_col, column=gettext_(setting.label))
                ok = False
        languages: list[str] = values.get("languages") or ["en"]
        self._duplicate_settings(sheet, found, languages[0])
        texts = {key: self._setting_texts(sheet, found.get(key, []), key, languages)
                 for key in ("title", "edition", "publisher", "quick_exit", "contact_name")}
        neutral_titles = self._neutral_titles(sheet, found.get("neutral_title", []), languages[0])
        hotlines = self._named_numbers_by_language(sheet, found.get("national_hotlines", []),
                                                   values.get("national_hotlines", []), languages,
                                                   values.get("country", "ZZ"))
        if not ok:
            return None
        return Settings(
            title=Text.model_construct(values=texts["title"]),
            neutral_title=Text.model_construct(values=neutral_titles),
            country=values["country"],
            languages=languages,
            edition=Text.model_construct(values=texts["edition"]),
            published=values["published"],
            publisher=Text.model_construct(values=texts["publisher"]),
            corrections_contact=values.get("corrections_contact"),
            national_hotlines=hotlines,
            review_after_months=values.get("review_after_months", 12),
            quick_exit=Text.model_construct(values=texts["quick_exit"]),
            contact_name=Text.model_construct(values=texts["contact_name"]),
            contact_full_names=values.get("contact_full_names", False),
        )

    def _duplicate_settings(self, sheet: str, found: dict[str, list[SettingRow]], main: str) -> None:
        """A setting filled in twice for one language ('Title (en)' at the top, a corrected 'Title (en)' added
        at the bottom): only one is used, so the other is an error naming both cells."""
        for rows in found.values():
            used: dict[str, int] = {}
            for lang, row, value, label in main_row_first(rows, main):
                if value is None:
                    continue
                if (lang or main) in used:
                    self.out.add("duplicate-setting", sheet=sheet, row=row, col=self.value_col, column=label,
                                 other=f"{sheet}!{get_column_letter(self.value_col)}{used[lang or main]}")
                else:
                    used[lang or main] = row

    def _setting_texts(self, sheet: str, rows: list[SettingRow], key: str, languages: list[str]) -> dict[str, str]:
        """A translatable setting's text per language; a missing language warned about on its cell."""
        setting = next(s for s in SETTINGS if s.key == key)
        texts: dict[str, str] = {}
        for lang, row, value, _label in main_row_first(rows, languages[0]):
            if value is None or (lang or languages[0]) in texts:
                continue
            try:
                texts[lang or languages[0]] = self._setting_value(setting, value, {}, sheet, row)
            except Invalid as exc:
                if (lang or languages[0]) != languages[0]:  # the main row's problem is already reported
                    self.out.issue(exc.issue, sheet=sheet, row=row, col=self.value_col, column=gettext_(setting.label))
        if setting.required and texts and languages[0] not in texts:
            # Only 'Title (en)' on an Indonesian directory: its pages would print the English title.
            name = f"{gettext_(setting.label)} ({languages[0]})"
            self.out.add("missing-setting", sheet=sheet, column=name, setting=name, help=gettext_(setting.help))
        if setting.required and texts:
            self._warn_untranslated(sheet, rows, setting, [lang for lang in languages[1:] if lang not in texts],
                                    languages[0])
        return texts

    def _warn_untranslated(self, sheet: str, rows: list[SettingRow], setting: Setting, missing: list[str],
                           main: str) -> None:
        """``missing-translation`` on the language's own row when the template wrote it, else on the main row."""
        for lang in missing:
            cell = next((r for r in rows if r[0] == lang), None) or next(iter(main_row_first(rows, main)), None)
            self.out.add("missing-translation", sheet=sheet, row=cell[1] if cell else None, col=self.value_col if cell else None,
                     column=gettext_(setting.label), language=language_name(lang), default=language_name(main))

    def _named_numbers_by_language(self, sheet: str, rows: list[SettingRow], main: list[NamedNumber],
                                   languages: list[str], region: str) -> list[NamedNumber]:
        """The national hotlines with their names from the 'National hotlines (xx)' rows."""
        setting = next(s for s in SETTINGS if s.key == "national_hotlines")
        by_lang: dict[str, list[NamedNumber]] = {}
        for lang, row, value, _label in rows:
            if lang is None or lang == languages[0] or value is None or lang in by_lang:
                continue
            by_lang[lang] = self._setting_value(setting, value, {"country": region}, sheet, row)
        named, strays = name_numbers(main, by_lang)
        for lang, number in strays:
            row = next(r[1] for r in rows if r[0] == lang)
            self.out.add("translated-number-unknown", sheet=sheet, row=row, col=self.value_col, column=gettext_(setting.label),
                     value=number.phone.raw, language=language_name(lang), default=language_name(languages[0]))
        if main:
            self._warn_untranslated(sheet, rows, setting, untranslated_languages(named, languages), languages[0])
        return named

    def _neutral_titles(self, sheet: str, rows: list[tuple[str | None, int, Any, str]], main: str) -> dict[str, str]:
        """The 'Neutral title' rows by language; one that names trafficking is an error on its cell."""
        from directory_builder.publish.neutral import mentions_trafficking

        texts: dict[str, str] = {}
        for lang, row, value, label in rows:
            if value is None:
                continue
            text = as_text(value)
            if mentions_trafficking(text):
                self.out.add("title-not-neutral", sheet=sheet, row=row, col=self.value_col, column=label, value=text)
                continue
            texts.setdefault(lang or main, text)
        return texts

    def _setting_value(self, setting: Setting, value: Any, values: dict[str, Any], sheet: str, row: int) -> Any:
        if setting.key == "country":
            text = as_text(value).strip().upper()
            import phonenumbers

            if text not in phonenumbers.SUPPORTED_REGIONS:
                raise Invalid("invalid-country", value=as_text(value))
            return text
        if setting.key == "languages":
            codes: list[str] = []
            for part in re.split(r"[,;\s]+", as_text(value)):
                if not part:
                    continue
                code = part.strip().lower()
                if not parse.is_language_code(code):
                    raise Invalid("invalid-language", value=part)
                if code not in SHIPPED_LANGUAGES:
                    self.out.add("unsupported-language", sheet=sheet, row=row, col=self.value_col, value=code,
                             known=", ".join(SHIPPED_LANGUAGES))
                if code not in codes:
                    codes.append(code)
            if not codes:
                raise Invalid("invalid-language", value=as_text(value))
            return codes
        if setting.type == "date":
            return parse.parse_date(value)
        if setting.key == "quick_exit":
            url = parse.parse_url(value)
            parse.check_quick_exit(url)
            return url
        if setting.type == "url":
            return parse.parse_url(value)
        if setting.type == "int":
            return parse.parse_int(value, 1, 120, setting.key)
        if setting.type == "bool":
            return parse.parse_bool(value)
        if setting.type == "named_phones":
            region = values.get("country", "ZZ")
            numbers, issues = parse.parse_named_phones(value, region)
            for issue in issues:
                self.out.issue(issue, sheet=sheet, row=row, col=self.value_col, column=gettext_(setting.label))
            return numbers
        if setting.key == "corrections_contact":  # printed in every directory: its numbers are checked too
            contact, issues = parse.parse_contact(value, values.get("country", "ZZ"))
            for issue in issues:
                self.out.issue(issue, sheet=sheet, row=row, col=self.value_col, column=gettext_(setting.label))
            if len(contact) > limits.MAX_CELL_CHARS:
                raise Invalid("text-too-long", length=len(contact), limit=limits.MAX_CELL_CHARS)
            return contact
        text = as_text(value)
        if len(text) > limits.MAX_CELL_CHARS:
            raise Invalid("text-too-long", length=len(text), limit=limits.MAX_CELL_CHARS)
        return text

    # ------------------------------------------------------------------------------------- districts

    def check_districts(self, region: str, languages: Sequence[str] = ("en",)) -> list[District]:
        sheet = self.raw.districts
        if sheet is None:
            return []
        self.check_required_columns(sheet, DISTRICTS_COLUMNS, None)
        by_key = {m.column.key: m for m in sheet.columns if m.lang in (None, languages[0])}
        translated = [m for m in sheet.columns if m.lang not in (None, languages[0])]
        districts: list[District] = []
        seen: dict[str, int] = {}
        for row, cells in sheet.rows:
            values: dict[str, Any] = {}
            for key, match in by_key.items():
                value = cells.get(match.index)
                if value is None:
                    if match.column.required:
                        self.out.add("required", sheet=sheet.title, row=row, col=match.index, column=match.header,
                                 help=gettext_(match.column.help))
                    continue
                if match.column.type == "named_phones":
                    numbers, issues = parse.parse_named_phones(value, region)
                    for issue in issues:
                        self.out.issue(issue, sheet=sheet.title, row=row, col=match.index, column=match.header)
                    values[key] = numbers
                    if issues:
                        values["emergency_unread"] = True
                else:
                    values[key] = self._text(value, sheet.title, row, match)
            name = values.get("district")
            if not name or not values.get("province"):
                continue
            name = clean_name(name)
            norm = match_key(name)
            if norm in seen:
                self.out.add("duplicate-district", sheet=sheet.title, row=row, col=by_key["district"].index,
                         column=by_key["district"].header, value=name, other_row=seen[norm])
                continue
            if not self._district_looks_unique(sheet, by_key["district"], row, name, norm):
                continue
            seen[norm] = row
            emergency = self._district_numbers_by_language(sheet.title, row, cells, values.get("emergency", []),
                                                           by_key.get("emergency"), translated, languages, region,
                                                           main_unread=bool(values.get("emergency_unread")))
            districts.append(District(name=name, province=values["province"], code=values.get("district_code"),
                                      emergency=emergency, row=row))
        if not districts and sheet.rows == [] and by_key:
            self.out.add("no-rows", sheet=sheet.title, row=3)
        for district, slug, clash in assign_slugs(districts):
            district.slug = slug
            if clash:
                self.out.add("duplicate-slug", sheet=sheet.title, row=district.row, value=district.name, other=clash)
        return districts

    def _district_numbers_by_language(self, sheet: str, row: int, cells: dict[int, Any], main: list[NamedNumber],
                                      main_match: ColumnMatch | None, translated: list[ColumnMatch],
                                      languages: Sequence[str], region: str, main_unread: bool = False,
                                      ) -> list[NamedNumber]:
        """A district's emergency numbers with their names from the other languages' columns."""
        by_lang: dict[str, list[NamedNumber]] = {}
        for match in translated:
            value = cells.get(match.index)
            if value is None or match.lang is None:
                continue
            numbers, issues = parse.parse_named_phones(value, region)
            for issue in issues:
                self.out.issue(issue, sheet=sheet, row=row, col=match.index, column=match.header)
            by_lang[match.lang] = numbers
        named, strays = name_numbers(main, by_lang)
        cell_of = {m.lang: m for m in translated}
        # With the main list not read in full (its cell has an error), a number missing from it is no news.
        for lang, number in strays if not main_unread else ():
            m = cell_of[lang]
            self.out.add("translated-number-unknown", sheet=sheet, row=row, col=m.index, column=m.header,
                     value=number.phone.raw, language=language_name(lang), default=language_name(languages[0]))
        for lang in untranslated_languages(named, languages) if main else ():
            at = cell_of.get(lang) or main_match
            self.out.add("missing-translation", sheet=sheet, row=row, col=at.index if at else None,
                     column=gettext_(DISTRICTS_COLUMNS[-1].label), language=language_name(lang),
                     default=language_name(languages[0]))
        return named

    def _district_looks_unique(self, sheet: RawSheet, match: ColumnMatch, row: int, name: str, norm: str) -> bool:
        """A district name must not mix alphabets in a word, nor look like another district's name.

        Two names that look the same but are written with different letters (a Cyrillic 'А' for a Latin
        'A') would make two directories that readers cannot tell apart, and services meant for one would
        land in the other: an error naming both cells, never a guess.
        """
        skel = skeleton(name)
        other = self.district_skeletons.get(skel)
        if other is not None and other[2] != norm:
            self.out.add("lookalike-district", sheet=sheet.title, row=row, col=match.index, column=match.header,
                     value=name, other=other[0], other_cell=other[1])
            return False
        scripts = mixed_scripts(name)
        if scripts:
            self.out.add("mixed-script", sheet=sheet.title, row=row, col=match.index, column=match.header,
                     value=name, scripts=", ".join(s.title() for s in scripts))
            return False
        self.district_skeletons.setdefault(
            skel, (name, f"{sheet.title}!{get_column_letter(match.index)}{row}", norm))
        return True

    def _text(self, value: Any, sheet: str, row: int, match: ColumnMatch) -> str | None:
        text = as_text(value)
        if len(text) > limits.MAX_CELL_CHARS:
            self.out.add("text-too-long", sheet=sheet, row=row, col=match.index, column=match.header,
                     length=len(text), limit=limits.MAX_CELL_CHARS)
            return None
        return text

    def check_required_columns(self, sheet: RawSheet, columns: tuple[Column, ...], default_lang: str | None) -> None:
        present = {(m.column.key, m.lang) for m in sheet.columns}
        present_keys = {m.column.key for m in sheet.columns}
        for col in columns:
            if not col.required:
                continue
            if col.translatable:
                if (col.key, default_lang) in present or (col.key, None) in present:
                    continue
                label = f"{gettext_(col.label)} ({default_lang})"
                hxl = col.hxl_for(default_lang)
            else:
                if col.key in present_keys:
                    continue
                label, hxl = gettext_(col.label), col.hxl
            self.out.add("missing-column", sheet=sheet.title, row=1, column=label, hxl=hxl)


def _value_cell(rows: list[tuple[str | None, int, Any, str]], col: int) -> dict[str, int]:
    """The value cell (column B unless moved) of a setting's first row, when the Directory sheet has one: a
    problem about it then names its cell (``Direktori!B7``), not only the sheet."""
    return {"row": rows[0][1], "col": col} if rows else {}
