"""The pure row checker: one Services row's cells -> a Service (or None) and every problem of the row.

No I/O, no cache, no processes: the same cells and context always give the same result, which is what lets
the runner (``runner.py``) remember rows between runs and check them in child processes.

Every rule runs on every row, whatever else is wrong with it: a row with a bad phone number still has its
ages compared and its confidential place looked for in its other cells, so staff see every problem of a row
at once instead of one more after each correction. Rules read the values that could be parsed; a value that
could not be parsed is already a problem of its own cell, and the rules that need it stay silent.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from directory_builder.check import confidential, parse
from directory_builder.check.parse import Invalid, Issue, as_text
from directory_builder.check.problems import DID_YOU_MEAN, Problem, get_column_letter
from directory_builder.check.record import Recorder
from directory_builder.columns import CONTACT_KEYS
from directory_builder.i18n import N_, gettext_, language_name
from directory_builder.model import Service, Text
from directory_builder.util.dates import months_before
from directory_builder.util.names import match_key, skeleton
from directory_builder.vocab import CATEGORIES, normalise_key
from directory_builder.workbook import limits
from directory_builder.workbook.reader import ColumnMatch

MAX_DESCRIPTION_WORDS = 60
MAX_SENTENCE_WORDS = 20
SHELTER_LIKE = ("shelter", "medical")
NO_SPACE_LANGUAGES = ("th", "lo", "km", "my", "zh", "ja")

#: Columns whose value is the place itself: never printed for a confidential entry, so not searched.
PLACE_KEYS = frozenset({"address", "confidential", "latitude", "longitude"})
#: Column types where staff can type a place.
FREE_TEXT = frozenset({"text", "longtext", "url", "email"})
LEAK_CODES = {"map": "confidential-map-link", "coordinates": "confidential-coordinates",
              "address": "confidential-address-repeated"}
SEVERAL_COLUMNS = N_("several columns")
#: What a row needs to become a service.
CORE = ("organization", "organization_type", "service_name", "categories", "description", "cost",
        "confidential", "status", "publish", "last_verified")


@dataclass(frozen=True)
class ServicesContext:
    """Everything a Services row is checked with besides its own cells (the same for every row)."""

    sheet: str
    region: str
    default_lang: str
    languages: tuple[str, ...]
    plain: Mapping[str, ColumnMatch]  # column key -> where it is
    translations: Mapping[str, Mapping[str, ColumnMatch]]  # column key -> language -> where it is
    district_names: Mapping[str, str]  # match key -> the district's name
    all_words: frozenset[str]  # "All districts" in every language, as match keys
    #: District name skeleton -> (name, cell, match key): a look-alike name is named with its cell.
    district_skeletons: Mapping[str, tuple[str, str, str]]
    has_districts_sheet: bool
    today: dt.date
    review_months: int

    def match(self, key: str) -> ColumnMatch | None:
        return self.plain.get(key)


@dataclass
class RowOutcome:
    service: Service | None  # None: the row cannot become a service (its problems say why)
    problems: list[Problem]


def check_row(ctx: ServicesContext, row: int, cells: Mapping[int, Any]) -> RowOutcome:
    """Check one Services row: every cell, then every rule of the row, then the service if it can be made."""
    checker = _Row(ctx, row, cells)
    values, complete = checker.values()
    checker.rules(values)
    service = checker.service(values) if complete else None
    return RowOutcome(service, checker.out.problems)


def id_cell(ctx: ServicesContext, cells: Mapping[int, Any]) -> str | None:
    """The ID as typed in the row (None when blank or unusable): rows that cannot become a service still
    take part in the duplicate-ID check by it."""
    m = ctx.match("id")
    value = cells.get(m.index) if m is not None else None
    if value is None:
        return None
    text = as_text(value)
    return text if text and len(text) <= limits.MAX_CELL_CHARS else None


def generated_id(values: Mapping[str, Any], default_lang: str) -> str:
    """Stable across runs: the same organization, service and district always get the same ID."""
    name = values["service_name"].get(default_lang, default_lang) or ""
    basis = "|".join((normalise_key(values.get("organization", "")), normalise_key(name),
                      normalise_key(values.get("district", "") or "*")))
    return "gen-" + hashlib.sha256(basis.encode("utf-8")).hexdigest()[:10]


Parser = Callable[["_Row", Any, ColumnMatch], Any]


class _Row:
    """One row being checked: its problems, and whether a contact cell already has an error."""

    def __init__(self, ctx: ServicesContext, row: int, cells: Mapping[int, Any]) -> None:
        self.ctx = ctx
        self.row = row
        self.cells = cells
        self.out = Recorder()
        self.contact_errors = False

    def add(self, code: str, m: ColumnMatch | None, *, column: str | None = None, **params: Any) -> None:
        self.out.add(code, sheet=self.ctx.sheet, row=self.row, col=m.index if m else None,
                     column=column or (m.header if m else None), **params)

    def report(self, issue: Issue, m: ColumnMatch) -> None:
        self.out.issue(issue, sheet=self.ctx.sheet, row=self.row, col=m.index, column=m.header)

    # ------------------------------------------------------------------------------------ cells

    def values(self) -> tuple[dict[str, Any], bool]:
        """Every cell parsed; ``complete`` is False when the row cannot become a service."""
        values: dict[str, Any] = {}
        missing_required = False
        for key, m in self.ctx.plain.items():
            value = self.cells.get(m.index)
            if value is None:
                if m.column.required:
                    self.add("required", m, help=gettext_(m.column.help))
                    missing_required = True
                continue
            try:
                parsed = PARSERS[m.column.type](self, value, m)
            except Invalid as exc:
                self.report(exc.issue, m)
                if key in CONTACT_KEYS:
                    self.contact_errors = True
                continue
            if parsed in (None, "", []):
                missing_required = missing_required or m.column.required
                continue
            values[key] = parsed
        for key, by_lang in self.ctx.translations.items():
            values[key], missing = self.translated(by_lang)
            missing_required = missing_required or (missing and next(iter(by_lang.values())).column.required)
        if not self.district(values):
            missing_required = True
        return values, not missing_required and has_core(values)

    def district(self, values: dict[str, Any]) -> bool:
        """A name from the Districts sheet, or "All districts"; False when the name is not known."""
        district = values.get("district")
        if district is None:
            return True
        ctx, m = self.ctx, self.ctx.plain["district"]
        norm = match_key(district)
        if norm in ctx.all_words:
            values["district"], values["all_districts"] = "", True
        elif norm in ctx.district_names:
            values["district"] = ctx.district_names[norm]
        elif (lookalike := ctx.district_skeletons.get(skeleton(district))) is not None:
            self.add("lookalike-district", m, value=district, other=lookalike[0], other_cell=lookalike[1])
            return False
        elif ctx.district_names or ctx.has_districts_sheet:
            close = difflib.get_close_matches(norm, list(ctx.district_names), n=1, cutoff=0.6)
            suggestion = gettext_(DID_YOU_MEAN).format(suggestion=ctx.district_names[close[0]]) if close else ""
            self.add("unknown-district", m, value=district, suggestion=suggestion)
            return False
        return True

    def translated(self, by_lang: Mapping[str, ColumnMatch]) -> tuple[Text, bool]:
        texts: dict[str, str] = {}
        for lang, match in by_lang.items():
            value = self.cells.get(match.index)
            if value is None:
                continue
            text = as_text(value)
            if len(text) > limits.MAX_CELL_CHARS:
                self.report(Issue("text-too-long", {"length": len(text), "limit": limits.MAX_CELL_CHARS}), match)
                continue
            texts[lang] = text
        ctx = self.ctx
        column = next(iter(by_lang.values())).column
        default_match = by_lang.get(ctx.default_lang)
        missing_default = ctx.default_lang not in texts
        if missing_default and column.required:
            self.add("required", default_match or next(iter(by_lang.values())), help=gettext_(column.help))
        elif texts:
            for lang in ctx.languages:
                m = by_lang.get(lang) or default_match
                if lang in texts or m is None:
                    continue
                self.add("missing-translation", m, column=gettext_(column.label), language=language_name(lang),
                         default=language_name(ctx.default_lang))
        # Every value is a str from as_text(): pydantic's check would add nothing but time.
        return Text.model_construct(values=texts), missing_default and column.required

    # ------------------------------------------------------------------------------------ rules

    def rules(self, v: Mapping[str, Any]) -> None:
        """The rules of one row, on whatever could be parsed (a missing value keeps a rule silent)."""
        ctx = self.ctx
        if not any(v.get(key) for key in CONTACT_KEYS) and not self.contact_errors:
            self.add("no-contact", next((ctx.plain[k] for k in CONTACT_KEYS if k in ctx.plain), None))
        if v.get("min_age") is not None and v.get("max_age") is not None and v["min_age"] > v["max_age"]:
            self.add("age-range", ctx.match("min_age"), min=v["min_age"], max=v["max_age"])
        shelter_like = next((c for c in v.get("categories", ()) if c in SHELTER_LIKE), None)
        if shelter_like and not v.get("address") and v.get("confidential") is False:
            self.add("missing-address", ctx.match("address") or ctx.match("confidential"),
                     category=CATEGORIES.term(shelter_like).label)
        if (v.get("latitude") is None) != (v.get("longitude") is None):
            self.add("coordinates-incomplete", ctx.match("latitude") or ctx.match("longitude"))
        self.verified(v)
        description = v.get("description")
        for lang, match in ctx.translations.get("description", {}).items():
            text = description.values.get(lang) if description and (match.lang or lang == ctx.default_lang) else None
            if text and lang not in NO_SPACE_LANGUAGES:
                self.plain_language(text, match)
        if v.get("confidential") and v.get("status") != "closed" and v.get("publish") != "no":
            self.confidential_cells(v)

    def verified(self, v: Mapping[str, Any]) -> None:
        """An entry not checked for longer than the review period, or "checked" in the future."""
        m, day = self.ctx.match("last_verified"), v.get("last_verified")
        if m is None or day is None or v.get("status") == "closed":  # a closed entry is never printed
            return
        if day < months_before(self.ctx.today, self.ctx.review_months):
            self.add("stale-entry", m, date=day.isoformat(), months=self.ctx.review_months)
        elif day > self.ctx.today:
            self.add("future-date", m, value=day.isoformat())

    def plain_language(self, text: str, match: ColumnMatch) -> None:
        words = len(text.split())
        if words > MAX_DESCRIPTION_WORDS:
            self.add("description-too-long", match, words=words, limit=MAX_DESCRIPTION_WORDS)
        longest = max((len(s.split()) for s in re.split(r"[.!?。]+(?:\s|$)", text)), default=0)
        if longest > MAX_SENTENCE_WORDS:
            self.add("sentence-too-long", match, words=longest, limit=MAX_SENTENCE_WORDS)

    def confidential_cells(self, v: Mapping[str, Any]) -> None:
        """A confidential place typed again in a cell that is printed: its address, a map link, coordinates.

        Every printed column in every language is looked at (the focal point too: the practitioner
        edition prints it); Address, Latitude and Longitude themselves are never printed for this entry.
        """
        ctx = self.ctx
        place = confidential.Place.of(v.get("address"), v.get("latitude"), v.get("longitude"))
        matches = [*ctx.plain.values(), *(m for by_lang in ctx.translations.values() for m in by_lang.values())]
        for m in sorted(matches, key=lambda m: m.index):
            if m.column.visibility == "never" or m.column.key in PLACE_KEYS or m.column.type not in FREE_TEXT:
                continue
            value = self.cells.get(m.index)
            kinds = confidential.leaks(as_text(value), place) if value is not None else []
            if not kinds:
                continue
            # Another problem of this cell (a geo: link is no web address) would quote the place in the
            # report and in build's log: the cell is named by the problems below instead.
            cell = f"{get_column_letter(m.index)}{self.row}"
            self.out.problems[:] = [p for p in self.out.problems if not (p.cell == cell and "value" in dict(p.params))]
            for kind in kinds:
                self.add(LEAK_CODES[kind], m)

    # ------------------------------------------------------------------------------------ service

    def service(self, values: dict[str, Any]) -> Service | None:
        """The service, or None with a problem naming the columns the model refused (a combination the
        checks above did not foresee: never dropped without a word)."""
        generated = "id" not in values
        if generated:
            values["id"] = generated_id(values, self.ctx.default_lang)
        phones_internal = values.pop("focal_point_phone", [])
        try:
            return Service(row=self.row, id_generated=generated, focal_point_phone=phones_internal, **values)
        except ValidationError as exc:
            keys = list(dict.fromkeys(str(e["loc"][0]) for e in exc.errors() if e.get("loc")))
            places = [self.ctx.plain.get(k) for k in keys]
            first = next((m for m in places if m is not None), None)
            columns = ", ".join(m.header if m else k for m, k in zip(places, keys, strict=True))
            self.add("row-not-accepted", first, columns=columns or gettext_(SEVERAL_COLUMNS))
            return None

    # ------------------------------------------------------------------------------------ parsers

    def text(self, value: Any, m: ColumnMatch) -> str:
        text = as_text(value)
        if len(text) > limits.MAX_CELL_CHARS:
            raise Invalid("text-too-long", length=len(text), limit=limits.MAX_CELL_CHARS)
        return text

    def number(self, value: Any, m: ColumnMatch) -> float:
        bound = 90.0 if m.column.key == "latitude" else 180.0
        return parse.parse_float(value, -bound, bound)

    def multichoice(self, value: Any, m: ColumnMatch) -> list[str]:
        assert m.column.vocabulary is not None
        codes, issues = parse.parse_multichoice(value, m.column.vocabulary, m.header)
        for issue in issues:
            self.report(issue, m)
        return codes

    def phones(self, value: Any, m: ColumnMatch) -> list[Any]:
        phones, issues = parse.parse_phones(value, self.ctx.region)
        if not phones and not issues and m.column.key in CONTACT_KEYS:
            self.contact_errors = True  # a number not checked while the Country setting is wrong
        for issue in issues:
            self.report(issue, m)
            if issue.code in parse.PHONE_ERRORS and m.column.key in CONTACT_KEYS:
                self.contact_errors = True
        return phones

    def languages(self, value: Any, m: ColumnMatch) -> list[str]:
        codes, issues = parse.parse_languages(value)
        for issue in issues:
            self.report(issue, m)
        return codes


#: Column type -> how a cell of that type is read (``Invalid`` for a value that cannot be used).
PARSERS: dict[str, Parser] = {
    "text": _Row.text,
    "longtext": _Row.text,
    "int": lambda r, v, m: parse.parse_int(v, 0, 120, m.header),
    "float": _Row.number,
    "bool": lambda r, v, m: parse.parse_bool(v),
    "date": lambda r, v, m: parse.parse_date(v),
    "choice": lambda r, v, m: parse.parse_choice(v, m.column.vocabulary, m.header),  # type: ignore[arg-type]
    "multichoice": _Row.multichoice,
    "phones": _Row.phones,
    "email": lambda r, v, m: parse.parse_email(v),
    "url": lambda r, v, m: parse.parse_url(v),
    "languages": _Row.languages,
    "district": _Row.text,
}


def has_core(values: Mapping[str, Any]) -> bool:
    return all(values.get(k) not in (None, "", []) for k in CORE if k != "confidential") and \
        "confidential" in values and ("district" in values)
