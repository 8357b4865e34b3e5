"""Dates typed with month names in the workbook's languages (issue 14): read back exactly, or an error."""

from __future__ import annotations

import datetime as dt

import pytest
from babel.dates import format_date
from hypothesis import given, settings
from hypothesis import strategies as st

from directory_builder.check.monthdates import BUDDHIST_OFFSET, DATE_LANGUAGES
from directory_builder.check.parse import Invalid, parse_date

MARCH_5 = dt.date(2026, 3, 5)


@pytest.mark.parametrize("text", [
    "5 Maret 2026",  # id
    "5 Mac 2026",  # ms
    "5 tháng 3 năm 2026",  # vi, as people write it
    "ngày 5 tháng 3 năm 2026",
    "5 tháng 3, 2026",  # vi, as Babel prints it
    "5 thg 3, 2026",
    "5 มีนาคม 2569",  # th, Buddhist year
    "5 มี.ค. 2569",
    "5มีนาคม2569",  # Thai is written without spaces
    "วันพฤหัสบดีที่ 5 มีนาคม พ.ศ. 2569",
    "5 มีนาคม ค.ศ. 2026",  # th with the Christian era named
    "5 Mar 2026",  # abbreviations
    "5 mac 2026",
    "March 5, 2026",  # en
    "Thursday, March 5, 2026",
    "5th March 2026",
])
def test_a_date_with_a_month_name_is_read(text: str) -> None:
    assert parse_date(text) == MARCH_5


@pytest.mark.parametrize("text", [
    "March 2026",  # no day
    "5 Maret",  # no year
    "5 March April 2026",  # two months
    "31 Februari 2026",  # no such day
    "5 Mar 26",  # a two-digit year could be any century
    "Marching 5 2026",  # not a month name
    "5 tháng 13 năm 2026",
    "5 Mar 2026 12",
])
def test_an_ambiguous_or_impossible_date_stays_an_error(text: str) -> None:
    with pytest.raises(Invalid) as caught:
        parse_date(text)
    assert caught.value.issue.code == "invalid-date"
    assert caught.value.issue.params["value"] == text


@settings(max_examples=300, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)),
       lang=st.sampled_from(DATE_LANGUAGES), form=st.sampled_from(("long", "medium", "full")))
def test_any_date_printed_in_a_template_language_reads_back_as_itself(day: dt.date, lang: str, form: str) -> None:
    assert parse_date(format_date(day, form, locale=lang)) == day


@settings(max_examples=100, deadline=None)
@given(day=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 12, 31)))
def test_a_thai_date_with_the_buddhist_year_reads_back(day: dt.date) -> None:
    long = format_date(day, "d MMMM", locale="th")
    assert parse_date(f"{long} {day.year + BUDDHIST_OFFSET}") == day
    assert parse_date(f"{long} พ.ศ. {day.year + BUDDHIST_OFFSET}") == day
