"""Raw rows -> the Directory model, with every problem collected in one pass.

Per cell (types, lists, formats), per row (a contact route, ages, addresses), across rows and sheets
(unique IDs, known districts with a "did you mean", translations). Nothing here raises on bad input:
a problem is recorded with its cell reference and the row goes on being checked.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import os
import pickle
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from directory_builder.check import confidential, parse
from directory_builder.check.compact import Compactor
from directory_builder.check.parse import Invalid, Issue, as_text
from directory_builder.check.problems import (
    DID_YOU_MEAN,
    Problem,
    get_column_letter,
    make_problem,
    sort_problems,
)
from directory_builder.check.rowcache import RowCache, context_digest, row_key
from directory_builder.check.rowcache import enabled as rowcache_enabled
from directory_builder.columns import (
    ALL_DISTRICTS,
    CONTACT_KEYS,
    DISTRICTS_COLUMNS,
    SERVICES_COLUMNS,
    SETTINGS,
    SHEET_DIRECTORY,
    SHEET_DISTRICTS,
    SHEET_SERVICES,
    Column,
    Setting,
)
from directory_builder.i18n import SHIPPED_LANGUAGES, current_language, gettext_, language_name
from directory_builder.model import Directory, District, Service, Settings, Text
from directory_builder.util import forkwork
from directory_builder.util.gcpause import paused_gc
from directory_builder.util.names import clean_name, match_key, mixed_scripts, skeleton
from directory_builder.util.slug import assign_slugs
from directory_builder.vocab import normalise_key
from directory_builder.workbook import limits
from directory_builder.workbook.reader import ColumnMatch, RawSheet, RawWorkbook, read_workbook

MAX_DESCRIPTION_WORDS = 60
MAX_SENTENCE_WORDS = 20
SHELTER_LIKE = ("shelter", "medical")
NO_SPACE_LANGUAGES = ("th", "lo", "km", "my", "zh", "ja")


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
    checker = _Checker(raw, today or dt.date.today(), cache, consume=consume)
    with paused_gc():
        result = checker.run()
    if cache is not None:
        cache.save()
    return result


class _Checker:
    def __init__(self, raw: RawWorkbook, today: dt.date, cache: RowCache | None = None, *,
                 consume: bool = False) -> None:
        self.raw = raw
        self.consume = consume
        self.today = today
        self.cache = cache
        self.row_digests: dict[int, str] = {}
        self.problems: list[Problem] = list(raw.problems)
        self.invalid_rows: set[int] = set()
        #: District name skeleton -> (name, cell, match key): look-alike names are found across sheets.
        self._district_skeletons: dict[str, tuple[str, str, str]] = {}
        self._compactor = Compactor()
        self._big = raw.services is not None and len(raw.services.rows) > forkwork.MAX_ITEMS

    # ------------------------------------------------------------------------------------- plumbing

    def add(self, code: str, *, sheet: str | None, row: int | None = None, col: int | None = None,
            column: str | None = None, severity: Any = None, **params: Any) -> None:
        self._record(make_problem(code, sheet=sheet, row=row, col=col, column=column, severity=severity, **params))

    def _record(self, problem: Problem) -> None:
        self.problems.append(problem)
        if problem.sheet == self._services_title and problem.row and problem.severity == "error":
            self.invalid_rows.add(problem.row)

    @property
    def _services_title(self) -> str:
        return self.raw.services.title if self.raw.services else gettext_(SHEET_SERVICES)

    def run(self) -> ValidationResult:
        settings = self.check_settings()
        region = settings.country if settings else "ZZ"
        default_lang = settings.default_language if settings else "en"
        languages = settings.languages if settings else [default_lang]
        districts = self.check_districts(region)
        services = self.check_services(region, default_lang, languages, districts, settings)
        directory = None
        if settings is not None:
            directory = Directory(settings=settings, districts=districts, services=services)
        return ValidationResult(directory, sort_problems(self.problems), self.invalid_rows,
                                row_digests=self.row_digests)

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
            self.add("unknown-setting", sheet=sheet, row=row, col=1, setting=name, known=known)

        def first(setting: Setting) -> tuple[int, Any] | None:
            for _lang, row, value, _label in found.get(setting.key, []):
                if value is not None:
                    return row, value
            return None

        values: dict[str, Any] = {}
        ok = True
        for setting in SETTINGS:
            got = first(setting)
            if got is None:
                if setting.required:
                    self.add("missing-setting", sheet=sheet, column=gettext_(setting.label),
                             setting=gettext_(setting.label), help=gettext_(setting.help),
                             **_value_cell(found.get(setting.key, [])))
                    ok = False
                continue
            row, value = got
            try:
                values[setting.key] = self._setting_value(setting, value, values, sheet, row)
            except Invalid as exc:
                self._issue(exc.issue, sheet=sheet, row=row, col=2, column=gettext_(setting.label))
                ok = False
        languages: list[str] = values.get("languages") or ["en"]
        titles: dict[str, str] = {}
        for lang, _row, value, _label in found.get("title", []):
            if value is not None:
                titles.setdefault(lang or languages[0], as_text(value))
        neutral_titles = self._neutral_titles(sheet, found.get("neutral_title", []), languages[0])
        for lang in languages[1:]:
            if lang not in titles and titles:
                self.add("missing-translation", sheet=sheet, column=gettext_("Title"),
                         language=language_name(lang), default=language_name(languages[0]),
                         **_value_cell([row for row in found.get("title", []) if row[0] == lang]))
        if not ok:
            return None
        return Settings(
            title=Text.model_construct(values=titles),
            neutral_title=Text.model_construct(values=neutral_titles),
            country=values["country"],
            languages=languages,
            edition=values["edition"],
            published=values["published"],
            publisher=values["publisher"],
            corrections_contact=values.get("corrections_contact"),
            national_hotlines=values.get("national_hotlines", []),
            review_after_months=values.get("review_after_months", 12),
        )

    def _neutral_titles(self, sheet: str, rows: list[tuple[str | None, int, Any, str]], main: str) -> dict[str, str]:
        """The 'Neutral title' rows by language; one that names trafficking is an error on its cell."""
        from directory_builder.publish.neutral import mentions_trafficking

        texts: dict[str, str] = {}
        for lang, row, value, label in rows:
            if value is None:
                continue
            text = as_text(value)
            if mentions_trafficking(text):
                self.add("title-not-neutral", sheet=sheet, row=row, col=2, column=label, value=text)
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
                    self.add("unsupported-language", sheet=sheet, row=row, col=2, value=code,
                             known=", ".join(SHIPPED_LANGUAGES))
                if code not in codes:
                    codes.append(code)
            if not codes:
                raise Invalid("invalid-language", value=as_text(value))
            return codes
        if setting.type == "date":
            return parse.parse_date(value)
        if setting.type == "int":
            return parse.parse_int(value, 1, 120, setting.key)
        if setting.type == "named_phones":
            region = values.get("country", "ZZ")
            numbers, issues = parse.parse_named_phones(value, region)
            for issue in issues:
                self._issue(issue, sheet=sheet, row=row, col=2, column=gettext_(setting.label))
            return numbers
        if setting.key == "corrections_contact":  # printed in every directory: its numbers are checked too
            contact, issues = parse.parse_contact(value, values.get("country", "ZZ"))
            for issue in issues:
                self._issue(issue, sheet=sheet, row=row, col=2, column=gettext_(setting.label))
            if len(contact) > limits.MAX_CELL_CHARS:
                raise Invalid("text-too-long", length=len(contact), limit=limits.MAX_CELL_CHARS)
            return contact
        text = as_text(value)
        if len(text) > limits.MAX_CELL_CHARS:
            raise Invalid("text-too-long", length=len(text), limit=limits.MAX_CELL_CHARS)
        return text

    def _issue(self, issue: Issue, *, sheet: str, row: int | None, col: int | None, column: str | None) -> None:
        self.add(issue.code, sheet=sheet, row=row, col=col, column=column, severity=issue.severity, **issue.params)

    # ------------------------------------------------------------------------------------- districts

    def check_districts(self, region: str) -> list[District]:
        sheet = self.raw.districts
        if sheet is None:
            return []
        self._check_required_columns(sheet, DISTRICTS_COLUMNS, None)
        by_key = {m.column.key: m for m in sheet.columns}
        districts: list[District] = []
        seen: dict[str, int] = {}
        for row, cells in sheet.rows:
            values: dict[str, Any] = {}
            for key, match in by_key.items():
                value = cells.get(match.index)
                if value is None:
                    if match.column.required:
                        self.add("required", sheet=sheet.title, row=row, col=match.index, column=match.header,
                                 help=gettext_(match.column.help))
                    continue
                if match.column.type == "named_phones":
                    numbers, issues = parse.parse_named_phones(value, region)
                    for issue in issues:
                        self._issue(issue, sheet=sheet.title, row=row, col=match.index, column=match.header)
                    values[key] = numbers
                else:
                    values[key] = self._text(value, sheet.title, row, match)
            name = values.get("district")
            if not name or not values.get("province"):
                continue
            name = clean_name(name)
            norm = match_key(name)
            if norm in seen:
                self.add("duplicate-district", sheet=sheet.title, row=row, col=by_key["district"].index,
                         column=by_key["district"].header, value=name, other_row=seen[norm])
                continue
            if not self._district_looks_unique(sheet, by_key["district"], row, name, norm):
                continue
            seen[norm] = row
            districts.append(District(name=name, province=values["province"], code=values.get("district_code"),
                                      emergency=values.get("emergency", []), row=row))
        if not districts and sheet.rows == [] and by_key:
            self.add("no-rows", sheet=sheet.title, row=3)
        for district, slug, clash in assign_slugs(districts):
            district.slug = slug
            if clash:
                self.add("duplicate-slug", sheet=sheet.title, row=district.row, value=district.name, other=clash)
        return districts

    def _district_looks_unique(self, sheet: RawSheet, match: ColumnMatch, row: int, name: str, norm: str) -> bool:
        """A district name must not mix alphabets in a word, nor look like another district's name.

        Two names that look the same but are written with different letters (a Cyrillic 'А' for a Latin
        'A') would make two directories that readers cannot tell apart, and services meant for one would
        land in the other: an error naming both cells, never a guess.
        """
        skel = skeleton(name)
        other = self._district_skeletons.get(skel)
        if other is not None and other[2] != norm:
            self.add("lookalike-district", sheet=sheet.title, row=row, col=match.index, column=match.header,
                     value=name, other=other[0], other_cell=other[1])
            return False
        scripts = mixed_scripts(name)
        if scripts:
            self.add("mixed-script", sheet=sheet.title, row=row, col=match.index, column=match.header,
                     value=name, scripts=", ".join(s.title() for s in scripts))
            return False
        self._district_skeletons.setdefault(
            skel, (name, f"{sheet.title}!{get_column_letter(match.index)}{row}", norm))
        return True

    def _text(self, value: Any, sheet: str, row: int, match: ColumnMatch) -> str | None:
        text = as_text(value)
        if len(text) > limits.MAX_CELL_CHARS:
            self.add("text-too-long", sheet=sheet, row=row, col=match.index, column=match.header,
                     length=len(text), limit=limits.MAX_CELL_CHARS)
            return None
        return text

    def _check_required_columns(self, sheet: RawSheet, columns: tuple[Column, ...], default_lang: str | None) -> None:
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
            self.add("missing-column", sheet=sheet.title, row=1, column=label, hxl=hxl)

    # ------------------------------------------------------------------------------------- services

    def check_services(self, region: str, default_lang: str, languages: list[str], districts: list[District],
                       settings: Settings | None) -> list[Service]:
        sheet = self.raw.services
        assert sheet is not None
        self._check_required_columns(sheet, SERVICES_COLUMNS, default_lang)
        if not sheet.rows:
            self.add("no-rows", sheet=sheet.title, row=3)
        district_names = {match_key(d.name): d.name for d in districts}
        all_words = {match_key(gettext_(ALL_DISTRICTS, lang)) for lang in SHIPPED_LANGUAGES}
        plain: dict[str, ColumnMatch] = {}
        translations: dict[str, dict[str, ColumnMatch]] = {}
        for m in sheet.columns:
            if m.column.translatable:
                by_lang = translations.setdefault(m.column.key, {})
                if (m.lang or default_lang) in by_lang:
                    # 'Description' (the main language) and 'Description (en)' when en is the main language:
                    # one would silently replace the other.
                    self.add("duplicate-column", sheet=sheet.title, row=1, col=m.index, column=m.header)
                    continue
                by_lang[m.lang or default_lang] = m
            else:
                plain[m.column.key] = m
        review_months = settings.review_after_months if settings else 12
        services: list[Service] = []
        ids: dict[str, int] = {}
        signatures: dict[tuple[str, str, str], int] = {}
        ctx = _RowContext(self, sheet.title, region, default_lang, languages, plain, translations)
        model_context = self._model_context(sheet, region, default_lang, languages, district_names, all_words)
        model_digest = context_digest(model_context)[:32]
        cache = self.cache
        if cache is not None:
            # Problems depend on a little more than the services do: the sheet's name and column labels
            # (problems quote them), the date (stale entries), the review period and the language
            # messages are written in.
            labels = (sheet.title, [m.header for m in sheet.columns])
            cache.bind(context_digest((*model_context, labels, self.today.isoformat(), review_months,
                                       current_language())))
        keys = [row_key(row, cells) for row, cells in sheet.rows]
        entries: dict[int, Any] = {}  # index in sheet.rows -> (Service | None, [Problem, ...])
        parent = os.getpid()

        def release(indices: Sequence[int]) -> None:
            """Let the cells of rows already checked go (only here: a forked child leaves its copy alone)."""
            if self.consume and os.getpid() == parent:
                for i in indices:
                    sheet.rows[i] = (sheet.rows[i][0], {})

        for i, (row, _cells) in enumerate(sheet.rows):
            self.row_digests[row] = model_digest + keys[i].hex()
            entry = cache.get(keys[i]) if cache is not None else None
            if entry is not None:
                entries[i] = self._compact(entry, unpickled=True)
                release((i,))
        todo = [i for i in range(len(sheet.rows)) if i not in entries]

        def check(indices: Sequence[int]) -> dict[int, tuple[Service | None, list[Problem]]]:
            """The rows' own checks (everything but the checks across rows), problems kept per row."""
            checked = {}
            for i in indices:
                row, cells = sheet.rows[i]
                start = len(self.problems)
                service = ctx.service(row, cells, district_names, all_words)
                if service is not None:
                    self._row_rules(ctx, service, cells, review_months)
                checked[i] = self._compact((service, self.problems[start:]))
                del self.problems[start:]
                release((i,))
            return checked

        entries.update(self._share_out(todo, keys, check, release))
        for i, (row, _cells) in enumerate(sheet.rows):
            service, problems = entries.pop(i)
            for problem in problems:
                self._record(problem)
            if service is None:
                continue
            if not service.id_generated:
                id_key = skeleton(service.id)  # 'JKT-001' and 'JKT\u200b-001' or 'JКT-001' are one ID
                if id_key in ids:
                    m = plain["id"]
                    self.add("duplicate-id", sheet=sheet.title, row=row, col=m.index, column=m.header,
                             value=service.id, other_row=ids[id_key])
                else:
                    ids[id_key] = row
            signature = (normalise_key(service.organization),
                         normalise_key(service.service_name.get(default_lang, default_lang) or ""),
                         service.district)
            if signature in signatures:
                self.add("possible-duplicate", sheet=sheet.title, row=row, other_row=signatures[signature])
            else:
                signatures[signature] = row
            services.append(service)
        _dedupe_generated_ids(services, ids)
        self._check_shared_places(sheet.title, services, plain)
        # The row context's parsers are its own bound methods: a reference cycle, which the paused and then
        # frozen collector (gcpause.py) would never free, and with it this checker, the row cache's pickles
        # and the rows read (3 KB a row, kept for the rest of a build).
        ctx._parsers.clear()
        published_districts = {s.district for s in services if s.publish != "no" and s.status != "closed"}
        if self.raw.districts is not None:
            for d in districts:
                if d.name not in published_districts:
                    self.add("empty-district", sheet=self.raw.districts.title, row=d.row, value=d.name)
        return services

    def _compact(self, entry: tuple[Service | None, list[Problem]], *,
                 unpickled: bool = False) -> tuple[Service | None, list[Problem]]:
        """The row's service with one copy of what services repeat (``compact.py``): 40 % of the model."""
        if entry[0] is not None:
            # Sharing the codes of a service read back from a pickle costs 50 us a row: worth it only for the
            # big workbooks where memory, not time, is what runs out.
            self._compactor.service(entry[0], unpickled=unpickled and self._big)
        return entry

    def _share_out(self, todo: list[int], keys: list[bytes], check: Callable[[Sequence[int]], dict[int, Any]],
                   release: Callable[[Sequence[int]], None] = lambda indices: None) -> dict[int, Any]:
        """``check`` over the rows ``todo``: a share here, the others in forked children when it pays
        (``forkwork.py``); every result goes into the row cache as well."""
        cache = self.cache
        results: dict[int, Any] = {}

        def keep(i: int, entry: Any, blob: bytes | None = None) -> None:
            results[i] = entry if blob is None else self._compact(entry, unpickled=True)  # check() did its own
            if cache is not None:
                if blob is None:
                    cache.put(keys[i], *entry)
                else:
                    cache.put_pickled(keys[i], blob)

        def check_to_bytes(indices: Sequence[int]) -> bytes:  # in a child process
            # Row by row, each service pickled and dropped at once: the child never holds its share's model.
            return pickle.dumps([(i, pickle.dumps(check((i,))[i], protocol=pickle.HIGHEST_PROTOCOL))
                                 for i in indices], protocol=pickle.HIGHEST_PROTOCOL)

        mine, *theirs = forkwork.split(todo)
        children = forkwork.Children(check_to_bytes, theirs) if theirs else None
        try:
            for i, entry in check(mine).items():
                keep(i, entry)
            for share, data in zip(theirs, children.results() if children else [], strict=True):
                if data is None:  # the child failed: check its rows here
                    for i, entry in check(share).items():
                        keep(i, entry)
                else:
                    release(share)
                    for i, blob in pickle.loads(data):
                        keep(i, pickle.loads(blob), blob)
        finally:
            if children is not None:
                children.stop()
        return results

    def _model_context(self, sheet: RawSheet, region: str, default_lang: str, languages: list[str],
                       district_names: dict[str, str], all_words: set[str]) -> tuple[Any, ...]:
        """Everything besides its own cells that the service made from one Services row depends on.

        Not the column labels or the sheet's name: they only appear in problems (which the row cache keys
        on them too), so a relabelled template does not rebuild every district.
        """
        return (
            [(m.column.key, m.lang, m.index) for m in sheet.columns],
            region, default_lang, tuple(languages),
            sorted(district_names.items()), sorted(all_words), self.raw.districts is None,
            sorted(self._district_skeletons.items()),
        )

    def _row_rules(self, ctx: _RowContext, s: Service, cells: dict[int, Any], review_months: int) -> None:
        sheet = ctx.sheet
        if not any(getattr(s, key) for key in CONTACT_KEYS) and not ctx.contact_errors:
            first = next((ctx.plain[k] for k in CONTACT_KEYS if k in ctx.plain), None)
            self.add("no-contact", sheet=sheet, row=s.row, col=first.index if first else None,
                     column=first.header if first else None)
        if s.min_age is not None and s.max_age is not None and s.min_age > s.max_age:
            m: ColumnMatch | None = ctx.plain["min_age"]
            assert m is not None
            self.add("age-range", sheet=sheet, row=s.row, col=m.index, column=m.header, min=s.min_age, max=s.max_age)
        shelter_like = next((c for c in s.categories if c in SHELTER_LIKE), None)
        if shelter_like and not s.address and not s.confidential:
            m = ctx.plain.get("address") or ctx.plain.get("confidential")
            from directory_builder.vocab import CATEGORIES

            self.add("missing-address", sheet=sheet, row=s.row, col=m.index if m else None,
                     column=m.header if m else None, category=CATEGORIES.term(shelter_like).label)
        if (s.latitude is None) != (s.longitude is None):
            m = ctx.plain.get("latitude") or ctx.plain.get("longitude")
            self.add("coordinates-incomplete", sheet=sheet, row=s.row, col=m.index if m else None,
                     column=m.header if m else None)
        m = ctx.plain.get("last_verified")
        if m is not None and s.status != "closed":  # a closed entry is never printed: nothing to re-check
            limit = _months_before(self.today, review_months)
            if s.last_verified < limit:
                self.add("stale-entry", sheet=sheet, row=s.row, col=m.index, column=m.header,
                         date=s.last_verified.isoformat(), months=review_months)
            elif s.last_verified > self.today:
                self.add("future-date", sheet=sheet, row=s.row, col=m.index, column=m.header,
                         value=s.last_verified.isoformat())
        for lang, match in ctx.translations.get("description", {}).items():
            text = s.description.values.get(lang) if match.lang or lang == ctx.default_lang else None
            if text and lang not in NO_SPACE_LANGUAGES:
                self._check_plain_language(text, sheet, s.row, match)
        if s.confidential and s.status != "closed" and s.publish != "no":
            self._check_confidential_cells(ctx, s, cells)

    def _check_confidential_cells(self, ctx: _RowContext, s: Service, cells: dict[int, Any]) -> None:
        """A confidential place typed again in a cell that is printed: its address, a map link, coordinates.

        Every printed column in every language is looked at (the focal point too: the practitioner
        edition prints it); Address, Latitude and Longitude themselves are never printed for this entry.
        """
        place = confidential.Place.of(s.address, s.latitude, s.longitude)
        matches = [*ctx.plain.values(), *(m for by_lang in ctx.translations.values() for m in by_lang.values())]
        for m in sorted(matches, key=lambda m: m.index):
            if m.column.visibility == "never" or m.column.key in _PLACE_KEYS or m.column.type not in _FREE_TEXT:
                continue
            value = cells.get(m.index)
            if value is None:
                continue
            kinds = confidential.leaks(as_text(value), place)
            if not kinds:
                continue
            # Another problem of this cell (a geo: link is no web address) would quote the place in the
            # report and in build's log: the cell is named by the problems below instead.
            cell = f"{get_column_letter(m.index)}{s.row}"
            self.problems[:] = [p for p in self.problems if not (p.sheet == ctx.sheet and p.cell == cell
                                                                  and "value" in dict(p.params))]
            for kind in kinds:
                self.add(_LEAK_CODES[kind], sheet=ctx.sheet, row=s.row, col=m.index, column=m.header)

    def _check_shared_places(self, sheet: str, services: list[Service], plain: dict[str, ColumnMatch]) -> None:
        """Another published entry at a confidential place (same address, or within 50 m) shows where it is:
        an error on both rows, each naming the other, so staff can decide which one is wrong."""
        secrets = [s for s in services if s.confidential and (s.address or s.latitude is not None)]
        if not secrets:
            return
        from directory_builder.publish.selection import PUBLISHED_STATUSES

        def located(s: Service) -> confidential.Located:
            return confidential.Located(s.row, s.address, s.latitude, s.longitude, s.district)

        shown = [located(s) for s in services if not s.confidential and s.status in PUBLISHED_STATUSES
                 and s.publish != "no" and (s.address or s.latitude is not None)]
        address_m, lat_m = plain.get("address"), plain.get("latitude")
        for clash in confidential.clashes([located(s) for s in secrets], shown):
            m = address_m if clash.how == "address" else lat_m
            col, header = (m.index, m.header) if m else (None, None)
            mine, theirs = (("confidential-address-shared", "address-is-confidential") if clash.how == "address"
                            else ("confidential-place-near", "near-confidential-place"))
            self.add(mine, sheet=sheet, row=clash.secret, col=col, column=header, other_row=clash.shown,
                     metres=clash.metres)
            self.add(theirs, sheet=sheet, row=clash.shown, col=col, column=header, other_row=clash.secret,
                     metres=clash.metres)

    def _check_plain_language(self, text: str, sheet: str, row: int, match: ColumnMatch) -> None:
        words = len(text.split())
        if words > MAX_DESCRIPTION_WORDS:
            self.add("description-too-long", sheet=sheet, row=row, col=match.index, column=match.header,
                     words=words, limit=MAX_DESCRIPTION_WORDS)
        longest = max((len(s.split()) for s in re.split(r"[.!?。]+(?:\s|$)", text)), default=0)
        if longest > MAX_SENTENCE_WORDS:
            self.add("sentence-too-long", sheet=sheet, row=row, col=match.index, column=match.header,
                     words=longest, limit=MAX_SENTENCE_WORDS)


class _RowContext:
    """Parses one Services row; keeps the column matches so problems point at the right cell."""

    def __init__(self, checker: _Checker, sheet: str, region: str, default_lang: str, languages: list[str],
                 plain: dict[str, ColumnMatch], translations: dict[str, dict[str, ColumnMatch]]) -> None:
        self.checker = checker
        self.sheet = sheet
        self.region = region
        self.default_lang = default_lang
        self.languages = languages
        self.plain = plain
        self.translations = translations
        self.contact_errors = False
        self._parsers: dict[str, Callable[[Any, ColumnMatch, int], Any]] = {
            "text": self._p_text,
            "longtext": self._p_text,
            "int": lambda v, m, r: parse.parse_int(v, 0, 120, m.header),
            "float": self._p_float,
            "bool": lambda v, m, r: parse.parse_bool(v),
            "date": lambda v, m, r: parse.parse_date(v),
            "choice": lambda v, m, r: parse.parse_choice(v, m.column.vocabulary, m.header),  # type: ignore[arg-type]
            "multichoice": self._p_multi,
            "phones": self._p_phones,
            "email": lambda v, m, r: parse.parse_email(v),
            "url": lambda v, m, r: parse.parse_url(v),
            "languages": self._p_languages,
            "district": self._p_text,
        }

    def _report(self, issue: Issue, row: int, m: ColumnMatch) -> None:
        self.checker._issue(issue, sheet=self.sheet, row=row, col=m.index, column=m.header)

    def _p_text(self, value: Any, m: ColumnMatch, row: int) -> str:
        text = as_text(value)
        if len(text) > limits.MAX_CELL_CHARS:
            raise Invalid("text-too-long", length=len(text), limit=limits.MAX_CELL_CHARS)
        return text

    def _p_float(self, value: Any, m: ColumnMatch, row: int) -> float:
        bound = 90.0 if m.column.key == "latitude" else 180.0
        return parse.parse_float(value, -bound, bound)

    def _p_multi(self, value: Any, m: ColumnMatch, row: int) -> list[str]:
        assert m.column.vocabulary is not None
        codes, issues = parse.parse_multichoice(value, m.column.vocabulary, m.header)
        for issue in issues:
            self._report(issue, row, m)
        return codes

    def _p_phones(self, value: Any, m: ColumnMatch, row: int) -> list[Any]:
        phones, issues = parse.parse_phones(value, self.region)
        for issue in issues:
            self._report(issue, row, m)
            if issue.code in parse.PHONE_ERRORS and m.column.key in CONTACT_KEYS:
                self.contact_errors = True
        return phones

    def _p_languages(self, value: Any, m: ColumnMatch, row: int) -> list[str]:
        codes, issues = parse.parse_languages(value)
        for issue in issues:
            self._report(issue, row, m)
        return codes

    def service(self, row: int, cells: dict[int, Any], district_names: dict[str, str],
                all_words: set[str]) -> Service | None:
        self.contact_errors = False
        values: dict[str, Any] = {}
        missing_required = False
        for key, m in self.plain.items():
            value = cells.get(m.index)
            if value is None:
                if m.column.required:
                    self.checker.add("required", sheet=self.sheet, row=row, col=m.index, column=m.header,
                                     help=gettext_(m.column.help))
                    missing_required = True
                continue
            try:
                parsed = self._parsers[m.column.type](value, m, row)
            except Invalid as exc:
                self._report(exc.issue, row, m)
                if key in CONTACT_KEYS:
                    self.contact_errors = True
                continue
            if parsed in (None, "", []):
                if m.column.required:
                    missing_required = True
                continue
            values[key] = parsed
        for key, by_lang in self.translations.items():
            values[key], missing = self._translated(row, cells, by_lang)
            if missing and by_lang[next(iter(by_lang))].column.required:
                missing_required = True
        # District: a name from the Districts sheet, or "All districts".
        district = values.get("district")
        if district is not None:
            norm = match_key(district)
            if norm in all_words:
                values["district"], values["all_districts"] = "", True
            elif norm in district_names:
                values["district"] = district_names[norm]
            elif (lookalike := self.checker._district_skeletons.get(skeleton(district))) is not None:
                m = self.plain["district"]
                self.checker.add("lookalike-district", sheet=self.sheet, row=row, col=m.index, column=m.header,
                                 value=district, other=lookalike[0], other_cell=lookalike[1])
                missing_required = True
            elif district_names or self.checker.raw.districts is not None:
                m = self.plain["district"]
                close = difflib.get_close_matches(norm, list(district_names), n=1, cutoff=0.6)
                suggestion = gettext_(DID_YOU_MEAN).format(suggestion=district_names[close[0]]) if close else ""
                self.checker.add("unknown-district", sheet=self.sheet, row=row, col=m.index, column=m.header,
                                 value=district, suggestion=suggestion)
                missing_required = True
        if missing_required or not _has_core(values):
            return None
        generated = "id" not in values
        if generated:
            values["id"] = _generated_id(values, self.default_lang)
        phones_internal = values.pop("focal_point_phone", [])
        try:
            return Service(row=row, id_generated=generated, focal_point_phone=phones_internal, **values)
        except Exception:  # a combination the checks above did not foresee: never let it escape
            return None

    def _translated(self, row: int, cells: dict[int, Any], by_lang: dict[str, ColumnMatch]) -> tuple[Text, bool]:
        texts: dict[str, str] = {}
        for lang, match in by_lang.items():
            value = cells.get(match.index)
            if value is None:
                continue
            text = as_text(value)
            if len(text) > limits.MAX_CELL_CHARS:
                self._report(Issue("text-too-long", {"length": len(text), "limit": limits.MAX_CELL_CHARS}), row, match)
                continue
            texts[lang] = text
        column = next(iter(by_lang.values())).column
        default_match = by_lang.get(self.default_lang)
        missing_default = self.default_lang not in texts
        if missing_default and column.required:
            first = default_match or next(iter(by_lang.values()))
            self.checker.add("required", sheet=self.sheet, row=row, col=first.index,
                             column=first.header, help=gettext_(column.help))
        elif texts:
            for lang in self.languages:
                if lang in texts:
                    continue
                m = by_lang.get(lang) or default_match
                if m is None:
                    continue
                self.checker.add("missing-translation", sheet=self.sheet, row=row, col=m.index,
                                 column=gettext_(column.label), language=language_name(lang),
                                 default=language_name(self.default_lang))
        # Every value is a str from as_text(): pydantic's check would add nothing but time.
        return Text.model_construct(values=texts), missing_default and column.required


#: Columns whose value is the place itself: never printed for a confidential entry, so not searched.
_PLACE_KEYS = frozenset({"address", "confidential", "latitude", "longitude"})
#: Column types where staff can type a place.
_FREE_TEXT = frozenset({"text", "longtext", "url", "email"})
_LEAK_CODES = {"map": "confidential-map-link", "coordinates": "confidential-coordinates",
               "address": "confidential-address-repeated"}

_CORE = ("organization", "organization_type", "service_name", "categories", "description", "cost",
         "confidential", "status", "publish", "last_verified")


def _has_core(values: dict[str, Any]) -> bool:
    return all(values.get(k) not in (None, "", []) for k in _CORE if k != "confidential") and \
        "confidential" in values and ("district" in values)


def _generated_id(values: dict[str, Any], default_lang: str) -> str:
    """Stable across runs: the same organization, service and district always get the same ID."""
    name = values["service_name"].get(default_lang, default_lang) or ""
    basis = "|".join((normalise_key(values.get("organization", "")), normalise_key(name),
                      normalise_key(values.get("district", "") or "*")))
    return "gen-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:10]


def _dedupe_generated_ids(services: list[Service], ids: dict[str, int]) -> None:
    taken = set(ids)  # skeletons of the IDs written in the workbook
    for service in services:
        if not service.id_generated:
            continue
        candidate, n = service.id, 2
        while skeleton(candidate) in taken:
            candidate, n = f"{service.id}-{n}", n + 1
        service.id = candidate
        taken.add(skeleton(candidate))


def _months_before(day: dt.date, months: int) -> dt.date:
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    import calendar

    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _value_cell(rows: list[tuple[str | None, int, Any, str]]) -> dict[str, int]:
    """The value cell (column B) of a setting's first row, when the Directory sheet has one: a problem
    about it then names its cell (``Direktori!B7``), not only the sheet."""
    return {"row": rows[0][1], "col": 2} if rows else {}


__all__ = ["SHEET_DIRECTORY", "SHEET_DISTRICTS", "ValidationResult", "validate_raw", "validate_workbook"]
