"""Raw rows -> the Directory model, with every problem collected in one pass: the public API of ``check/``.

Per cell (types, lists, formats) and per row (a contact route, ages, addresses): the pure row checker,
``rows.py``, run over the sheet by ``runner.py`` (row cache, processes). The Directory and Districts sheets:
``sheets.py``. Across rows and sheets (unique IDs, possible duplicates, confidential places, empty
districts): ``crossrow.py``. Nothing here raises on bad input: a problem is recorded with its cell reference
and the row goes on being checked.

Two ways in: ``validate_workbook`` (build, validate, export: a workbook with errors makes nothing) and
``validate_leniently`` (diff, report: everything readable is kept, even from a workbook with errors).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory_builder.check import confidential, crossrow
from directory_builder.check.parse import as_text
from directory_builder.check.problems import Problem, sort_problems
from directory_builder.check.record import Recorder
from directory_builder.check.rowcache import RowCache, context_digest, row_key
from directory_builder.check.rowcache import enabled as rowcache_enabled
from directory_builder.check.rows import ServicesContext, id_cell
from directory_builder.check.runner import RowRunner
from directory_builder.check.sheets import SheetChecks
from directory_builder.columns import (
    ALL_DISTRICTS,
    SERVICES_COLUMNS,
    SHEET_DIRECTORY,
    SHEET_DISTRICTS,
    SHEET_SERVICES,
)
from directory_builder.i18n import SHIPPED_LANGUAGES, current_language, gettext_
from directory_builder.model import Directory, District, Service, Settings
from directory_builder.util.gcpause import paused_gc
from directory_builder.util.names import match_key
from directory_builder.workbook.reader import ColumnMatch, RawWorkbook, read_workbook


@dataclass
class ValidationResult:
    directory: Directory | None
    problems: list[Problem]
    invalid_rows: set[int] = field(default_factory=set)  # Services rows with errors (left out by --skip-invalid)
    source: Path | None = None
    #: Services row -> a digest of everything its service was made from (its cells and their context), so a
    #: rebuild can tell unchanged services without looking inside them.
    row_digests: dict[int, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "warning"]

    @property
    def ok(self) -> bool:
        return not self.errors

    def generated_ids(self) -> dict[int, str]:
        """Services row -> the ID made for it (rows without an ID of their own), for ``--fix-ids``."""
        services = self.directory.services if self.directory else []
        return {s.row: s.id for s in services if s.id_generated}


@dataclass(frozen=True)
class ReadWith:
    """What rows are read with: the Directory sheet's country, languages and review period."""

    region: str = "ZZ"
    languages: tuple[str, ...] = ("en",)
    review_months: int = 12

    @property
    def default_lang(self) -> str:
        return self.languages[0]

    @classmethod
    def of(cls, settings: Settings) -> ReadWith:
        return cls(settings.country, tuple(settings.languages), settings.review_after_months)

    @classmethod
    def understood(cls, raw: RawWorkbook) -> ReadWith:
        """The settings as far as they can be understood when the Directory sheet has errors: rows are still
        read with the right country and languages, so a diff or a report can use them."""
        values: dict[str, Any] = {}
        for key, _lang, _row, value, _label in (raw.settings.values if raw.settings else []):
            if value is not None:
                values.setdefault(key, value)
        import phonenumbers

        region = as_text(values.get("country")).strip().upper()
        languages = [code for code in re.split(r"[,;\s]+", as_text(values.get("languages")).lower())
                     if len(code) == 2 and code.isalpha()] or _header_languages(raw) or ["en"]
        try:
            months = max(1, int(as_text(values.get("review_after_months")) or 12))
        except ValueError:
            months = 12
        return cls(region if region in phonenumbers.SUPPORTED_REGIONS else "ZZ", tuple(languages), months)


def _header_languages(raw: RawWorkbook) -> list[str]:
    """The languages of the Services sheet's translatable columns, in order: with the Languages setting still
    empty (a blank template from ``template --lang id``), rows are read in the language the template was
    written for, not in English, so staff are not asked for '(en)' columns they never had."""
    found: list[str] = []
    for match in raw.services.columns if raw.services else ():
        if match.lang and match.lang not in found:
            found.append(match.lang)
    return found


@dataclass
class Readable:
    """Everything that could be read from one workbook, even one with errors (``validate_leniently``).

    Rows that cannot become a service are left out, each with a problem in ``result`` saying why.
    """

    path: Path
    result: ValidationResult
    settings: Settings | None  # None when the Directory sheet has errors
    districts: list[District]
    services: list[Service]
    read_with: ReadWith

    @property
    def default_lang(self) -> str:
        return self.read_with.default_lang

    @property
    def languages(self) -> list[str]:
        return list(self.read_with.languages)

    @property
    def review_after_months(self) -> int:
        return self.read_with.review_months


def validate_workbook(path: str | Path, *, today: dt.date | None = None, cache: bool = False,
                      reuse: bool = True) -> ValidationResult:
    """Read and validate ``path``. InputError (exit 2) only for files that cannot be read at all.

    ``cache``: remember checked rows in the user's cache folder and reuse the unchanged ones next time
    (``rowcache.py``); the command line turns it on, library callers choose. ``reuse=False`` checks every
    row again and refreshes the cache (``build --full``).
    """
    with paused_gc():
        raw = read_workbook(path)
        row_cache = RowCache(Path(path), reuse=reuse) if cache and rowcache_enabled() else None
        # Nobody else holds these rows: each row's cells are let go once its service is made, so the rows
        # and the model are never both whole in memory (250 MB of cells at 100,000 rows).
        result = validate_raw(raw, today=today, cache=row_cache, consume=True)
    result.source = Path(path)
    return result


def validate_raw(raw: RawWorkbook, *, today: dt.date | None = None, cache: RowCache | None = None,
                 consume: bool = False) -> ValidationResult:
    """Check rows already read. ``consume``: empty each Services row's cells once it is checked (the caller
    will not look at them again), which keeps the peak memory of a big workbook down."""
    with paused_gc():
        result, _settings, _districts, _services = _Workbook(raw, today or dt.date.today(), cache,
                                                             consume=consume).run()
    if cache is not None:
        cache.save()
    return result


def validate_leniently(path: str | Path, *, today: dt.date | None = None) -> Readable:
    """Read ``path`` and keep everything readable, errors or not (for ``diff``, ``report``).

    When the Directory sheet has errors no Directory is made; the rows are then read with the settings as far
    as they can be understood (``ReadWith.understood``). InputError (exit 2) only for unreadable files.
    """
    path = Path(path)
    with paused_gc():
        raw = read_workbook(path)
        checks = _Workbook(raw, today or dt.date.today(), None, consume=True)
        result, settings, districts, services = checks.run()
    result.source = path
    return Readable(path, result, settings, districts, services, checks.read_with)


class _Workbook:
    """One validation of one workbook: the sheets, then every Services row, then the rules across rows."""

    def __init__(self, raw: RawWorkbook, today: dt.date, cache: RowCache | None, *, consume: bool) -> None:
        self.raw = raw
        self.today = today
        self.cache = cache
        self.consume = consume
        self.out = Recorder(list(raw.problems))
        self.sheets = SheetChecks(raw, self.out)
        self.read_with = ReadWith()
        self.row_digests: dict[int, str] = {}

    def run(self) -> tuple[ValidationResult, Settings | None, list[District], list[Service]]:
        settings = self.sheets.check_settings()
        # With Directory-sheet errors the rows are still read with the settings that can be understood (the
        # country for phone numbers, the languages of the columns), so their problems are the real ones.
        self.read_with = ReadWith.of(settings) if settings is not None else ReadWith.understood(self.raw)
        districts = self.sheets.check_districts(self.read_with.region, self.read_with.languages)
        services = self.check_services(districts, settings)
        directory = Directory(settings=settings, districts=districts, services=services) if settings else None
        invalid = self.invalid_rows(self.out.problems[len(self.raw.problems):])
        result = ValidationResult(directory, sort_problems(self.out.problems), invalid, row_digests=self.row_digests)
        return result, settings, districts, services

    def invalid_rows(self, problems: list[Problem]) -> set[int]:
        """The Services rows with an error of the checks (left out by ``build --skip-invalid``)."""
        sheet = self.raw.services.title if self.raw.services else gettext_(SHEET_SERVICES)
        return {p.row for p in problems if p.sheet == sheet and p.row and p.severity == "error"}

    def context(self, districts: list[District]) -> ServicesContext:
        sheet = self.raw.services
        assert sheet is not None
        default_lang = self.read_with.default_lang
        plain: dict[str, ColumnMatch] = {}
        translations: dict[str, dict[str, ColumnMatch]] = {}
        for m in sheet.columns:
            if not m.column.translatable:
                plain[m.column.key] = m
                continue
            by_lang = translations.setdefault(m.column.key, {})
            if (m.lang or default_lang) in by_lang:
                # 'Description' (the main language) and 'Description (en)' when en is the main language:
                # one would silently replace the other.
                self.out.add("duplicate-column", sheet=sheet.title, row=1, col=m.index, column=m.header)
                continue
            by_lang[m.lang or default_lang] = m
        return ServicesContext(
            sheet=sheet.title, region=self.read_with.region, default_lang=default_lang,
            languages=self.read_with.languages, plain=plain, translations=translations,
            district_names={match_key(d.name): d.name for d in districts},
            all_words=frozenset(match_key(gettext_(ALL_DISTRICTS, lang)) for lang in SHIPPED_LANGUAGES),
            district_skeletons=dict(self.sheets.district_skeletons), has_districts_sheet=self.raw.districts is not None,
            today=self.today, review_months=self.read_with.review_months)

    def model_context(self, ctx: ServicesContext) -> tuple[Any, ...]:
        """Everything besides its own cells that the service made from one Services row depends on.

        Not the column labels or the sheet's name: they only appear in problems (which the row cache keys
        on them too), so a relabelled template does not rebuild every district.
        """
        sheet = self.raw.services
        assert sheet is not None
        return (
            [(m.column.key, m.lang, m.index) for m in sheet.columns],
            ctx.region, ctx.default_lang, ctx.languages,
            sorted(ctx.district_names.items()), sorted(ctx.all_words), not ctx.has_districts_sheet,
            sorted(ctx.district_skeletons.items()),
        )

    def check_services(self, districts: list[District], settings: Settings | None) -> list[Service]:
        sheet = self.raw.services
        assert sheet is not None
        self.sheets.check_required_columns(sheet, SERVICES_COLUMNS, self.read_with.default_lang)
        if not sheet.rows:
            self.out.add("no-rows", sheet=sheet.title, row=3)
        ctx = self.context(districts)
        model_context = self.model_context(ctx)
        if self.cache is not None:
            # Problems depend on a little more than the services do: the sheet's name and column labels
            # (problems quote them), the date (stale entries), the review period and the language
            # messages are written in.
            labels = (sheet.title, [m.header for m in sheet.columns])
            self.cache.bind(context_digest((*model_context, labels, self.today.isoformat(), ctx.review_months,
                                            current_language())))
        model_digest = context_digest(model_context)[:32]
        keys = [row_key(row, cells) for row, cells in sheet.rows]
        typed_ids = [(row, id_cell(ctx, cells)) for row, cells in sheet.rows]  # before the runner lets cells go
        for (row, _cells), key in zip(sheet.rows, keys, strict=True):
            self.row_digests[row] = model_digest + key.hex()
        outcomes = RowRunner(sheet, ctx, self.cache, consume=self.consume).run(keys)
        services: list[Service] = []
        for outcome in outcomes:
            self.out.problems.extend(outcome.problems)
            if outcome.service is not None:
                services.append(outcome.service)
        self.cross_row_rules(ctx, typed_ids, services, districts)
        return services

    def cross_row_rules(self, ctx: ServicesContext, typed_ids: list[tuple[int, str | None]],
                        services: list[Service], districts: list[District]) -> None:
        ids = crossrow.duplicate_ids(self.out, ctx.sheet, ctx.match("id"), typed_ids)
        crossrow.possible_duplicates(self.out, ctx.sheet, services, ctx.default_lang)
        crossrow.dedupe_generated_ids(services, ids)
        crossrow.shared_places(self.out, ctx.sheet, services, ctx.plain)
        secrets = confidential.Secrets.of(services)
        crossrow.places_elsewhere(self.out, secrets, self.raw.settings, self.raw.districts)
        crossrow.places_in_other_rows(self.out, secrets, ctx, services)
        if self.raw.districts is not None:
            crossrow.empty_districts(self.out, self.raw.districts.title, districts, services)


__all__ = [
    "SHEET_DIRECTORY",
    "SHEET_DISTRICTS",
    "ReadWith",
    "Readable",
    "ValidationResult",
    "validate_leniently",
    "validate_raw",
    "validate_workbook",
]
