"""Read simple opening-hours text into weekly schedules: "Mon-Fri 08:00-16:00", "Senin-Jumat 08.00-16.00".

Staff type opening hours as free text in any of the directory's languages. The common shapes (a day or
a day range or list, then a time range; several such parts separated by ';' or ',') become structured
rows for HSDS schedules. Anything else is left as text: a guess would be worse than the staff's words.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

#: RFC 5545 day codes, Monday first (index 0).
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")

_DAY_NAMES: dict[str, int] = {}


def _names(index: int, *names: str) -> None:
    for name in names:
        _DAY_NAMES[name.casefold()] = index


# English, Bahasa Indonesia, Malay, Vietnamese and Thai, full and short forms.
_names(0, "monday", "mon", "senin", "sen", "isnin", "thứ hai", "thứ 2", "t2", "จันทร์", "วันจันทร์", "จ.")
_names(1, "tuesday", "tue", "tues", "selasa", "sel", "thứ ba", "thứ 3", "t3", "อังคาร", "วันอังคาร", "อ.")
_names(2, "wednesday", "wed", "rabu", "rab", "thứ tư", "thứ 4", "t4", "พุธ", "วันพุธ", "พ.")
_names(3, "thursday", "thu", "thur", "thurs", "kamis", "kam", "khamis", "thứ năm", "thứ 5", "t5",
       "พฤหัสบดี", "วันพฤหัสบดี", "พฤหัส", "พฤ.")
_names(4, "friday", "fri", "jumat", "jum'at", "jumaat", "jum", "thứ sáu", "thứ 6", "t6", "ศุกร์", "วันศุกร์",
       "ศ.")
_names(5, "saturday", "sat", "sabtu", "sab", "thứ bảy", "thứ 7", "t7", "เสาร์", "วันเสาร์", "ส.")
_names(6, "sunday", "sun", "minggu", "min", "ahad", "chủ nhật", "cn", "อาทิตย์", "วันอาทิตย์", "อา.")

_EVERY_DAY = ("daily", "every day", "everyday", "setiap hari", "tiap hari", "hari-hari", "hằng ngày",
              "hàng ngày", "mỗi ngày", "ทุกวัน")
_WEEKDAYS = ("weekdays", "hari kerja", "ngày thường", "วันธรรมดา")

_DAY = "|".join(re.escape(n) for n in sorted(_DAY_NAMES, key=len, reverse=True))
_RANGE_WORD = r"(?:-|–|—|to|s/d|s\.d\.|sampai|hingga|until|till|đến|tới|ถึง)"
_LIST_WORD = r"(?:,|&|/|and|dan|và|และ)"
_ALL = "|".join(re.escape(n) for n in (*_EVERY_DAY, *_WEEKDAYS))
_DAYS_EXPR = rf"(?:{_ALL}|(?:{_DAY})(?:\s*{_RANGE_WORD}\s*(?:{_DAY}))?(?:\s*{_LIST_WORD}\s*(?:{_DAY})(?:\s*{_RANGE_WORD}\s*(?:{_DAY}))?)*)"
_TIME = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?(?:\s*(?:น\.|h|uhr|giờ))?"
_SEGMENT = re.compile(
    rf"(?P<days>{_DAYS_EXPR})\.?\s*:?\s*(?:,\s*)?(?:pukul|jam|pkl\.?|from|từ|เวลา)?\s*"
    rf"(?P<open>{_TIME})\s*{_RANGE_WORD}\s*(?P<close>{_TIME})",
    re.IGNORECASE,
)
_LEFTOVER = re.compile(rf"^(?:[\s,;/.|]|and|dan|và|และ|{_RANGE_WORD})*$", re.IGNORECASE)


_24_HOURS = re.compile(r"(?<!\d)24\s*(?:hours?|hrs?|h|jam|giờ|ชั่วโมง|ชม\.?)|24/7|24\s*x\s*7", re.IGNORECASE)


def is_24_hours(text: str) -> bool:
    """'Setiap hari 24 jam', 'Open 24 hours', '24/7': open day and night."""
    return bool(_24_HOURS.search(text))


@dataclass(frozen=True)
class WeeklyHours:
    """Open on ``days`` (indexes into DAY_CODES) from ``opens`` to ``closes`` ("HH:MM:SS")."""

    days: tuple[int, ...]
    opens: str
    closes: str

    @property
    def byday(self) -> str:
        return ",".join(DAY_CODES[d] for d in self.days)


def parse_hours(text: str | None) -> list[WeeklyHours] | None:
    """The weekly hours in ``text``, or None when the text is not (entirely) a simple pattern."""
    if not text or not text.strip():
        return None
    source = text.strip()
    result: list[WeeklyHours] = []
    last = 0
    for match in _SEGMENT.finditer(source):
        if not _LEFTOVER.match(source[last:match.start()]):
            return None
        days = _days(match.group("days"))
        opens, closes = _time(match.group("open")), _time(match.group("close"), closing=True)
        if days is None or opens is None or closes is None:
            return None
        result.append(WeeklyHours(days, opens, closes))
        last = match.end()
    if not result or not _LEFTOVER.match(source[last:]):
        return None
    return result


def _days(expr: str) -> tuple[int, ...] | None:
    key = " ".join(expr.casefold().split())
    if key in _EVERY_DAY:
        return tuple(range(7))
    if key in _WEEKDAYS:
        return tuple(range(5))
    days: list[int] = []
    expr = re.sub(r"s/d|s\.d\.", "-", expr, flags=re.IGNORECASE)  # Indonesian "sampai dengan"
    for part in re.split(rf"\s*{_LIST_WORD}\s*", expr, flags=re.IGNORECASE):
        if not part.strip():
            continue
        ends = [p for p in re.split(rf"\s*{_RANGE_WORD}\s*", part.strip(), flags=re.IGNORECASE) if p.strip()]
        idx = [_DAY_NAMES.get(" ".join(e.casefold().split())) for e in ends]
        if not idx or any(i is None for i in idx) or len(idx) > 2:
            return None
        first, last = idx[0], idx[-1]
        assert first is not None and last is not None
        span = range(first, last + 1) if last >= first else [*range(first, 7), *range(0, last + 1)]
        days.extend(d for d in span if d not in days)
    return tuple(sorted(days)) if days else None


def _time(text: str, *, closing: bool = False) -> str | None:
    match = re.match(r"(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?", text.strip(), re.IGNORECASE)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2) or 0)
    suffix = (match.group(3) or "").replace(".", "").lower()
    if match.group(2) is None and not suffix:
        return None  # "8-16" is too ambiguous (could be a date or a count)
    if suffix:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if suffix == "pm" else 0)
    if hour == 24 and minute == 0 and closing:
        return "23:59:00"
    if hour > 23 or minute > 59:
        return None
    return f"{hour:02d}:{minute:02d}:00"
