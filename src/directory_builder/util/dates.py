"""Calendar arithmetic shared by the checker (stale entries) and the staff report (its call list)."""

from __future__ import annotations

import calendar
import datetime as dt


def months_before(day: dt.date, months: int) -> dt.date:
    """``day`` moved back by whole months, clamped to the end of a shorter month (31 May - 3 = 28/29 Feb),
    so "verified more than N months ago" means the same in the check and in the report."""
    year, month = divmod(day.year * 12 + day.month - 1 - months, 12)
    month += 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))
