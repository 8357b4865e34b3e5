"""Fuzz: odd cell values never make an exception escape, from the cell parsers up to reader + validator.

The parsers' contract (parse.py): return a value, or raise ``parse.Invalid`` carrying a problem code. The
whole pipeline's contract: a workbook that can be opened gives a ValidationResult, whatever its cells hold.
"""

from __future__ import annotations

import datetime as dt
import math
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from directory_builder.check import parse
from directory_builder.check.problems import PROBLEM_TYPES
from directory_builder.check.validate import validate_workbook
from directory_builder.columns import SERVICES_COLUMNS
from directory_builder.publish.selection import select
from directory_builder.vocab import (
    BENEFICIARIES,
    CATEGORIES,
    COST,
    YES_NO,
    lookup,
    normalise_key,
    parse_yes_no,
)
from directory_builder.workbook.reader import clean_value
from workbook_factory import make_workbook, service

# ------------------------------------------------------------------------------------------ odd values

NON_LATIN = st.text(alphabet=st.characters(whitelist_categories=("Lo", "Lm", "Mn", "Nd", "Zs")), max_size=40)
DATE_STRINGS = st.dates().flatmap(lambda d: st.sampled_from([
    d.isoformat(), d.strftime("%d/%m/%Y"), d.strftime("%m/%d/%Y"), d.strftime("%d.%m.%Y"), d.strftime("%Y/%m/%d"),
    d.strftime("%d %B %Y"), d.strftime("%d/%m/%y"), f"{d.isoformat()}T00:00:00",
]))
NUMBER_STRINGS = st.one_of(
    st.integers(-(10**25), 10**25).map(str),
    st.floats(allow_nan=True, allow_infinity=True).map(repr),
    st.from_regex(r"\A[+-]?\d{0,4}[.,]\d{0,20}\Z"),
)
PHONE_LIKE = st.from_regex(r"\A[+0-9 ()./-]{0,30}(ext\.? ?\d{0,8})?\Z")
URL_LIKE = st.one_of(
    st.from_regex(r"\A(https?|javascript|data|ftp|file|mailto)?:?/{0,3}[\w.@:\[\]%#?-]{0,40}\Z"),
    st.sampled_from(["http://[x", "http://a\uff03b.com", "https://user@host", "www.example.org",
                     "javascript:alert(1)", "JaVaScRiPt:alert(1)", " https://ok.org ", "https://ex\u2100ample.org"]),
)
HUGE_TEXT = st.builds(lambda ch, n: ch * n, st.sampled_from(["a", " ", "1", "ก", "\u202e", ";", "1 "]),
                      st.integers(1_000, 40_000))

ODD_VALUES = st.one_of(
    st.none(),
    st.text(max_size=60),
    st.text(alphabet=" \t\n\r\u00a0\u2003\ufeff", max_size=10),
    NON_LATIN,
    HUGE_TEXT,
    st.integers(),
    st.integers(-(10**400), 10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([1e308, -1e308, math.inf, -math.inf, math.nan, 0.0, -0.0, 5e-324, 8.1234567890123e11]),
    st.booleans(),
    st.datetimes(),
    st.dates(),
    st.times(),
    st.timedeltas(),
    DATE_STRINGS,
    NUMBER_STRINGS,
    PHONE_LIKE,
    URL_LIKE,
)

REGIONS = st.sampled_from(["ID", "MY", "VN", "TH", "US", "ZZ"])

PARSERS: dict[str, Callable[[Any, str], Any]] = {
    "as_text": lambda v, r: parse.as_text(v),
    "split_list": lambda v, r: parse.split_list(parse.as_text(v)),
    "parse_bool": lambda v, r: parse.parse_bool(v),
    "parse_int": lambda v, r: parse.parse_int(v, 0, 120, "Minimum age"),
    "parse_float": lambda v, r: parse.parse_float(v, -90.0, 90.0),
    "parse_date": lambda v, r: parse.parse_date(v),
    "parse_choice": lambda v, r: parse.parse_choice(v, COST, "Cost"),
    "parse_multichoice": lambda v, r: parse.parse_multichoice(v, CATEGORIES, "Categories"),
    "parse_multichoice_beneficiaries": lambda v, r: parse.parse_multichoice(v, BENEFICIARIES, "Who"),
    "parse_phones": lambda v, r: parse.parse_phones(v, r),
    "parse_named_phones": lambda v, r: parse.parse_named_phones(v, r),
    "phone_from_text": lambda v, r: parse.phone_from_text(parse.as_text(v), r),
    "parse_email": lambda v, r: parse.parse_email(v),
    "parse_url": lambda v, r: parse.parse_url(v),
    "parse_languages": lambda v, r: parse.parse_languages(v),
    "is_language_code": lambda v, r: parse.is_language_code(parse.as_text(v)),
    "clean_value": lambda v, r: clean_value(v),
    "normalise_key": lambda v, r: normalise_key(parse.as_text(v)),
    "lookup": lambda v, r: lookup(YES_NO, parse.as_text(v)),
    "parse_yes_no": lambda v, r: parse_yes_no(parse.as_text(v)),
}


@pytest.mark.parametrize("name", list(PARSERS))
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=ODD_VALUES, region=REGIONS)
def test_parsers_never_raise_anything_but_invalid(name: str, value: Any, region: str) -> None:
    start = time.monotonic()
    try:
        result = PARSERS[name](value, region)
    except parse.Invalid as exc:
        assert exc.issue.code in PROBLEM_TYPES, exc.issue.code
        assert all(isinstance(k, str) for k in exc.issue.params)
    else:
        if isinstance(result, tuple) and len(result) == 2 and isinstance(result[1], list):
            assert all(issue.code in PROBLEM_TYPES for issue in result[1])
    assert time.monotonic() - start < 1.0, f"{name} took {time.monotonic() - start:.2f} s on {value!r:.80}"


@given(value=st.floats(allow_nan=True, allow_infinity=True) | st.integers(-(10**400), 10**400))
@settings(max_examples=200, deadline=None)
def test_coordinates_are_finite_and_in_range(value: float | int) -> None:
    try:
        number = parse.parse_float(value, -90.0, 90.0)
    except parse.Invalid:
        return
    assert math.isfinite(number) and -90.0 <= number <= 90.0


@given(value=URL_LIKE | st.text(max_size=80))
@settings(max_examples=300, deadline=None)
def test_only_http_links_get_through(value: str) -> None:
    try:
        url = parse.parse_url(value)
    except parse.Invalid:
        return
    assert url.startswith(("http://", "https://")), url
    assert not any(ch.isspace() for ch in url)


@pytest.mark.parametrize("text", ["1" + " " * 30_000 + "x", "(" * 30_000, "0812 " * 8_000, "+" + "1-" * 15_000])
def test_huge_phone_cell_is_quick(text: str) -> None:
    start = time.monotonic()
    phones, issues = parse.parse_phones(text, "ID")
    assert time.monotonic() - start < 0.5
    assert not phones and issues


# ------------------------------------------------------------------------------------------ whole workbooks

#: Columns worth fuzzing (every type); written in place of a valid service's value.
FUZZ_COLUMNS = [c.key for c in SERVICES_COLUMNS]
SETTING_NAMES = ["Country", "Languages", "Published", "Review after (months)", "National hotlines", "Title"]


def _writable(value: Any) -> bool:
    """openpyxl refuses control characters in strings (Excel cannot store them); other tools escape them."""
    if isinstance(value, str):
        from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

        return not ILLEGAL_CHARACTERS_RE.search(value) and len(value) <= 32_767
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value) < 10**300
    if isinstance(value, dt.datetime | dt.date):
        return value.year >= 1900  # Excel's epoch; openpyxl writes earlier dates as negative serials
    return not isinstance(value, dt.timedelta) or abs(value.days) < 10_000


CELL = ODD_VALUES.filter(_writable)


@given(
    cells=st.dictionaries(st.sampled_from(FUZZ_COLUMNS), CELL, min_size=1, max_size=6),
    setting=st.tuples(st.sampled_from(SETTING_NAMES), CELL) | st.none(),
    district=CELL,
)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_reader_and_validator_never_raise(cells: dict[str, Any], setting: tuple[str, Any] | None,
                                          district: Any) -> None:
    rows = [service(**{"id": "S-1", **cells}), service(id="S-2", district="All districts")]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.xlsx"
        make_workbook(path, services=rows, districts=["Jakarta Pusat", (district, "Jawa Barat")],
                      settings=dict([setting]) if setting else None)
        result = validate_workbook(path, today=dt.date(2026, 4, 1))
    for problem in result.problems:
        assert problem.code in PROBLEM_TYPES
        problem.message()
        problem.hint()
        assert len(problem.message()) < 2_000, "a problem echoes a whole huge cell"
    if result.directory is not None:
        select(result.directory, edition="public")
        select(result.directory, edition="practitioners")
        for d in result.directory.districts:
            assert d.slug and d.slug.isascii()
