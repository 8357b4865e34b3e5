"""Finding a confidential place where staff typed it again: in another cell, a map link, coordinates.

A shelter marked "Address is confidential" keeps its Address, Latitude and Longitude out of every output
(``selection.py``). Staff also type the place elsewhere without thinking of it: "Come to Jl. Melati 12"
in How to get help, a Google Maps link as the website, "-6.9147, 107.6098" in the description, or a
public clinic on another row in the same building. This module recognises those forms so that
``validate`` can name the cell, and so that ``selection.py`` can strip them from a confidential entry's
view even when validation was skipped (defence in depth).

It works on plain text only and never raises: every cell is untrusted input. Addresses are compared
after folding (Unicode NFKC, case, accents and marks, punctuation, digits of any script, common
abbreviations such as "Jl." for "Jalan"), as sequences of words, so "JL. MELATI no.12" is found in
"jalan Melati 12". What it cannot recognise (a landmark, "behind the mosque", a photo) is listed in
docs/security.md.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

#: How close (in metres) another published entry's coordinates may come to a confidential place.
NEAR_METRES = 50.0

Key = tuple[str, ...]

# ------------------------------------------------------------------------------------------- folding


@functools.lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    """One character as compared: compatibility form, no accents or marks, lower case, ASCII digits."""
    if ch.isdigit():
        try:
            return str(unicodedata.digit(ch))
        except (TypeError, ValueError):
            pass
    if ch in "đĐ":
        return "d"
    decomposed = unicodedata.normalize("NFKD", ch)
    kept = "".join(c for c in decomposed if not unicodedata.category(c).startswith("M"))
    folded = unicodedata.normalize("NFKC", kept).casefold()
    return "".join(str(unicodedata.digit(c)) if c.isdigit() and not c.isascii() else c for c in folded)


_WORD = re.compile(r"[^\W_]+")

#: Words written in several ways; both sides of a comparison are spelled the same way.
_ABBREVIATIONS: dict[str, str] = {
    "jl": "jalan", "jln": "jalan", "jalan": "jalan", "gg": "gang", "lrg": "lorong", "tmn": "taman",
    "kg": "kampung", "kp": "kampung", "kpg": "kampung", "st": "street", "str": "street", "rd": "road",
    "ave": "avenue", "av": "avenue", "blvd": "boulevard", "ln": "lane", "dr": "drive", "kav": "kavling",
    "blk": "blok", "block": "blok", "duong": "duong", "ซ": "ซอย", "ถ": "ถนน",
}
#: Words that only introduce a number ("No. 12", "Nomor 12", "số 12", "#12"): left out of comparisons.
_NUMBER_WORDS = frozenset({"no", "nomor", "nombor", "nr", "nro", "num", "number", "so", "เลขท", "เลขที"})
#: Words naming an area or a floor, not a street: "Quận 1", "RT 05", "Lantai 3" alone locate nothing.
_AREA_WORDS = frozenset({
    "rt", "rw", "lt", "lantai", "floor", "fl", "level", "unit", "room", "kamar", "quan", "phuong", "huyen",
    "xa", "thon", "ap", "to", "khu", "tinh", "kecamatan", "kelurahan", "desa", "kabupaten", "kab", "kota",
    "kec", "kel", "moo", "mu", "tambon", "amphoe", "khet", "khwaeng", "soi", "ซอย", "ถนน", "หม", "mukim",
    "seksyen", "section", "district", "ward", "zone", "km", "p", "q",
})

#: Kinds of street and building: "Jalan 5" or "Gedung 2" alone is no place.
_STREET_TYPES = frozenset({"jalan", "gang", "street", "road", "avenue", "lorong", "taman", "kampung", "boulevard",
                           "lane", "drive", "kavling", "blok", "duong", "ruko", "gedung", "komplek", "kompleks",
                           "perumahan", "ซอย", "ถนน"})


def fold(text: str) -> str:
    if text.isascii():  # most addresses: nothing to decompose, and the same length
        return text.lower()
    return "".join(map(_fold_char, text))


def _norm_word(word: str) -> str | None:
    word = _ABBREVIATIONS.get(word, word)
    return None if word in _NUMBER_WORDS else word


def words(text: str) -> list[str]:
    """The folded words of ``text``, number words left out: 'Jl. Melati No.12' -> ['jalan', 'melati', '12']."""
    return _folded_words(fold(text))


def _folded_words(folded: str) -> list[str]:
    return [w for w in map(_norm_word, _WORD.findall(folded)) if w]


def _word_spans(text: str) -> list[tuple[str, int, int]]:
    """Like :func:`words`, with each word's span in the original text (for taking it out)."""
    folded: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        f = _fold_char(ch)
        folded.append(f)
        origin.extend([i] * len(f))
    joined = "".join(folded)
    spans = []
    for m in _WORD.finditer(joined):
        w = _norm_word(m.group())
        if w:
            spans.append((w, origin[m.start()], origin[m.end() - 1] + 1))
    return spans


# ------------------------------------------------------------------------------------------- addresses


_DIGIT = re.compile(r"\d")


def _has_digit(word: str) -> bool:
    return _DIGIT.search(word) is not None


def _is_street_word(word: str) -> bool:
    """A word of three letters or more that names no area: 'melati', 'jalan', 'sukhumvit2'."""
    if word in _AREA_WORDS:
        return False
    if _DIGIT.search(word) is None:
        return len(word) >= 3
    return sum(1 for c in word if c.isalpha()) >= 3


def _telling(word: str) -> bool:
    """A street word that is not a kind of street ('melati', not 'jalan'): a key needs one."""
    return _is_street_word(word) and word not in _STREET_TYPES


_PARTS = re.compile(r"[,;\n|]+|\s-\s")


@functools.lru_cache(maxsize=4096)
def place_keys(address: str | None) -> frozenset[Key]:
    """The word sequences that give a place away: the whole address and each street-and-number part.

    'Ruko Blok C-3, Jl. Melati No. 12, Menteng' -> the whole address, ('ruko', 'blok', 'c', '3') and
    ('jalan', 'melati', '12'). 'No. 5, Jalan Ampang' (the number in a part of its own) gives
    ('5', 'jalan', 'ampang'). A part with a number and no street word ("RT 05", "Quận 1", "Lantai 3") is
    not a key: many places share it.
    """
    if not address:
        return frozenset()
    keys: set[Key] = set()
    folded = fold(address)
    whole = tuple(_folded_words(folded))
    if len(whole) >= 2 and any(_telling(w) for w in whole):
        keys.add(whole)
    parts = [tuple(_folded_words(p)) for p in _PARTS.split(folded)]
    parts = [p for p in parts if p]
    for n, part in enumerate(parts):
        if all(_has_digit(w) for w in part):  # "No. 5, Jalan Ampang" or "Jalan Ampang, No. 5"
            after = parts[n + 1] if n + 1 < len(parts) else ()
            before = parts[n - 1] if n else ()
            if _street_name(after):
                keys.add(part + after)
            if _street_name(before):
                keys.add(before + part)
            continue
        keys.update(_street_numbers(part))
    return frozenset(k for k in keys if len(k) >= 2)


def _street_name(part: Key) -> bool:
    """A part without a number that names a street: 'jalan ampang'."""
    return bool(part) and not any(_has_digit(w) for w in part) and any(_telling(w) for w in part)


def _street_numbers(part: Key) -> Iterable[Key]:
    """Street words and their number: 'jalan melati 12' (number after), '12 nguyen hue' or
    '123 4 ซอยสขมวท 11' (house number first, as in Viet Nam and Thailand: the part up to five words)."""
    numbers = [i for i, w in enumerate(part) if _is_house_number(w)]
    if not numbers:
        return
    if numbers[0] == 0:
        words_seen = False
        end = len(part)
        for j, w in enumerate(part):
            if not _is_house_number(w):
                words_seen = True
            elif words_seen:
                end = j + 1
                break
        window = part[: min(end, 5)]
        if any(_telling(w) for w in window):
            yield window
        return
    start = 0
    for i in numbers:
        window = part[max(start, i - 4): i + 1]
        # A letter right after the number ("12 A") belongs to it.
        if i + 1 < len(part) and len(part[i + 1]) == 1 and part[i + 1].isalpha():
            window = (*window, part[i + 1])
        if any(_telling(w) for w in window):
            yield window
        start = i + 1


def _is_house_number(word: str) -> bool:
    """A number in an address ('12', '12a', 'c3'), not a postcode ('10110') nor a name with a digit."""
    if _DIGIT.search(word) is None or (word.isdigit() and len(word) >= 5):
        return False
    return sum(1 for c in word if c.isalpha()) < 3


def _find(haystack: Sequence[str], needle: Key) -> int:
    """Where ``needle`` starts as a run of whole words in ``haystack``; -1 if it is not there."""
    n = len(needle)
    first = needle[0]
    for i in range(len(haystack) - n + 1):
        if haystack[i] == first and tuple(haystack[i: i + n]) == needle:
            return i
    return -1


def _compact(seq: Iterable[str]) -> str:
    return "".join(seq)


_NO_SPACE_SCRIPT = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff]")


def mentions_place(text: str, keys: Iterable[Key]) -> bool:
    """True when ``text`` holds one of the place's keys, as whole words (or, in Thai and other scripts
    written without spaces, as letters)."""
    keys = list(keys)
    if not keys or not text:
        return False
    found = words(text)
    if any(_find(found, k) >= 0 for k in keys):
        return True
    compact = _compact(found)
    return any(_NO_SPACE_SCRIPT.search(_compact(k)) and _compact(k) in compact for k in keys)


# ------------------------------------------------------------------------------------------- map links

_MAP_HOSTS = (
    r"(?:www\.)?google\.[a-z]{2,3}(?:\.[a-z]{2})?/maps|maps\.google\.[a-z]{2,3}(?:\.[a-z]{2})?|goo\.gl/maps"
    r"|maps\.app\.goo\.gl|g\.co/kgs|(?:[\w-]+\.)*openstreetmap\.[a-z]{2,3}|osm\.org|(?:www\.)?bing\.com/maps"
    r"|(?:[\w-]+\.)*maps\.apple(?:\.com)?|(?:[\w-]+\.)*waze\.com|(?:[\w-]+\.)*here\.com|wego\.here|share\.here"
    r"|g\.page|share\.google|(?:[\w-]+\.)*what3words\.com|w3w\.co|maps\.me|ge0\.me|wikimapia\.org|(?:[\w-]+\.)*mapcarta\.com"
    r"|map\.baidu\.com|yandex\.[a-z]{2,3}/maps|(?:[\w-]+\.)*petalmaps\.com|(?:[\w-]+\.)*mapquest\.com"
)
#: A map service's address (with or without https://), a geo: or app map URI, a what3words or plus code.
MAP_LINK = re.compile(
    r"(?<![\w.@-])(?:https?://)?(?:" + _MAP_HOSTS + r")(?![\w-])[^\s<>\"']*"
    r"|\b(?:geo|maps|comgooglemaps|waze|here-route|osmand\.geo):/{0,2}[^\s<>\"']*"
    r"|(?<![\w/])///[^\W\d_]+\.[^\W\d_]+\.[^\W\d_]+"
    r"|(?<![\w+])(?=[0-9A-Za-z]*[C-Xc-x])[23456789CFGHJMPQRVWXcfghjmpqrvwx]{4,8}\+[23456789CFGHJMPQRVWXcfghjmpqrvwx]{2,3}(?![\w+])",
    re.IGNORECASE,
)


def map_links(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in MAP_LINK.finditer(text or "")]


# ------------------------------------------------------------------------------------------- coordinates

_NUM = r"[-+\u2212]?\d{1,3}[.,]\d{3,}"
_NS = r"(?:[NS]|LS|LU)"
_EW = r"(?:[EW]|BT|BB)"
#: A latitude-longitude pair of decimals however staff write it: "-6.9147, 107.6098", "6.9147 S 107.6098 E",
#: "LS 6,9147 BT 107,6098", "lat: -6.9147 lon: 107.6098", "@-6.9147,107.6098,17z".
COORDINATE_PAIR = re.compile(
    r"(?<![\w.,])(?:(?:lat(?:itude)?|lintang|vĩ độ)\s*[:=]?\s*)?(?:" + _NS + r"\s*)?"
    r"(?P<lat>[-+\u2212]?\d{1,2}[.,]\d{3,})(?!\d)\s*°?\s*(?:" + _NS + r"(?![a-z]))?"
    r"(?:\s*[,;/&|]\s*|\s+)(?:(?:lon(?:g(?:itude)?)?|lng|bujur|kinh độ)\s*[:=]?\s*)?(?:" + _EW + r"\s*)?"
    r"(?P<lon>[-+\u2212]?\d{1,3}[.,]\d{3,})(?!\d)(?:\s*°)?(?:\s*" + _EW + r"(?![a-z]))?",
    re.IGNORECASE,
)
#: Degrees and minutes (and seconds), as GPS devices and map apps show them: 6°54'53.0"S, S 6° 54.882'
#: (a pair of them, one north or south and one east or west, is a place).
_DM = (r"(?P<deg>\d{1,3})\s*[°º]\s*(?P<min>\d{1,2}(?:[.,]\d+)?)\s*['′’]"
       r"(?:\s*(?P<sec>\d{1,2}(?:[.,]\d+)?)\s*(?:[\"″”]|''|′′)?)?")
DMS = re.compile(r"\b(?P<hemi>[NSEW])\s*" + _DM + r"|" + _DM.replace("?P<", "?P<b_") + r"\s*(?P<b_hemi>[NSEW])\b",
                 re.IGNORECASE)
_NUMBER = re.compile(r"(?<![\w.,])" + _NUM + r"(?!\d)")


def _float(text: str) -> float | None:
    try:
        return float(text.replace("\u2212", "-").replace(",", "."))
    except ValueError:
        return None


def _is_thousands(value: str) -> bool:
    """'10.000' or '2,500': a price written with a thousands separator, not a coordinate."""
    return bool(re.fullmatch(r"[-+\u2212]?\d{1,3}[.,]\d00", value))


def coordinates(text: str, latitude: float | None = None, longitude: float | None = None) -> list[tuple[int, int]]:
    """Spans of ``text`` that give coordinates: any lat,lon pair, a pair in degrees-minutes-seconds, and
    (when the place's own coordinates are known) its latitude and longitude written anywhere, to three
    decimals or more, whatever their sign and separator."""
    if not text:
        return []
    spans: list[tuple[int, int]] = []
    for m in COORDINATE_PAIR.finditer(text):
        lat, lon = _float(m.group("lat")), _float(m.group("lon"))
        if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
            continue
        if _is_thousands(m.group("lat")) and _is_thousands(m.group("lon")):
            continue
        spans.append(m.span())
    dms = [(m.span(), (m.group("hemi") or m.group("b_hemi")).upper()) for m in DMS.finditer(text)]
    if any(h in "NS" for _, h in dms) and any(h in "EW" for _, h in dms):
        spans.extend(span for span, _ in dms)
    if latitude is not None and longitude is not None:
        own_lat, own_lon = [], []
        for m in _NUMBER.finditer(text):
            value = _float(m.group())
            if value is None:
                continue
            if abs(abs(value) - abs(latitude)) < 0.0015:
                own_lat.append(m.span())
            if abs(abs(value) - abs(longitude)) < 0.0015:
                own_lon.append(m.span())
        if own_lat and own_lon:
            spans.extend(own_lat + own_lon)
    return spans


# ------------------------------------------------------------------------------------------- one entry


@dataclass(frozen=True)
class Place:
    """What gives one confidential place away."""

    keys: frozenset[Key]
    latitude: float | None = None
    longitude: float | None = None

    @classmethod
    def of(cls, address: str | None, latitude: float | None, longitude: float | None) -> Place:
        return cls(place_keys(address), latitude, longitude)


#: What a cell can give away, in the order problems are reported: its map link, coordinates, address.
LEAK_KINDS = ("map", "coordinates", "address")


def leaks(text: str, place: Place) -> list[str]:
    """What ``text`` gives away of ``place``: "map", "coordinates" and/or "address"."""
    found = []
    if map_links(text):
        found.append("map")
    if coordinates(text, place.latitude, place.longitude):
        found.append("coordinates")
    if mentions_place(text, place.keys):
        found.append("address")
    return found


REDACTED = "…"


def redact(text: str, place: Place) -> str:
    """``text`` without map links, coordinates or the place's address (each replaced by '…')."""
    if not text:
        return text
    spans = map_links(text) + coordinates(text, place.latitude, place.longitude)
    if place.keys:
        found = _word_spans(text)
        seq = [w for w, _, _ in found]
        for key in place.keys:
            start = _find(seq, key)
            while start >= 0:
                spans.append((found[start][1], found[start + len(key) - 1][2]))
                nxt = _find(seq[start + 1:], key)
                start = -1 if nxt < 0 else start + 1 + nxt
        compact_keys = [k for k in place.keys if _NO_SPACE_SCRIPT.search(_compact(k))]
        if compact_keys and not spans and mentions_place(text, compact_keys):
            return REDACTED  # a place written without spaces: the whole text goes
    if not spans:
        return text
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    out, pos = [], 0
    for start, end in merged:
        out.append(text[pos:start])
        out.append(REDACTED)
        pos = end
    out.append(text[pos:])
    return "".join(out)


# ------------------------------------------------------------------------------------------- across rows


def distance_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6_371_000.0 * math.asin(min(1.0, math.sqrt(a)))


@dataclass(frozen=True)
class Located:
    """One entry's place, for comparing entries: its row, address and coordinates."""

    row: int
    address: str | None
    latitude: float | None
    longitude: float | None
    district: str = ""  # "" for an entry shown in every district


@dataclass(frozen=True)
class Clash:
    """A published entry that shows where a confidential one is."""

    secret: int  # the confidential entry's row
    shown: int  # the other entry's row
    how: str  # "address" or "coordinates"
    metres: int = 0


_BAND = 0.001  # degrees of latitude (111 m): entries within 50 m are in the same or the next band
class _Filter:
    """A cheap first look: could an address share one of ``keys``? It must hold a telling word of the key and,
    when the key has a house number, that number too. Only then is the address cut into keys."""

    def __init__(self, keys: Iterable[Key]) -> None:
        self.by_number: dict[str, list[frozenset[str]]] = {}
        self.no_number: list[frozenset[str]] = []
        for key in keys:
            tell = frozenset(w for w in key if _telling(w))
            numbers = [w for w in key if _is_house_number(w)]
            if numbers:
                self.by_number.setdefault(numbers[-1], []).append(tell)
            else:
                self.no_number.append(tell)

    def __bool__(self) -> bool:
        return bool(self.by_number or self.no_number)

    def may_share(self, address: str) -> bool:
        found = set(_folded_words(fold(address)))
        for word in found:
            for tell in self.by_number.get(word, ()):
                if not tell.isdisjoint(found):
                    return True
        return any(not tell.isdisjoint(found) for tell in self.no_number)


def _whole(address: str | None) -> Key:
    return tuple(_folded_words(fold(address))) if address else ()


def _same_place(secret: Located, other: Located, key: Key) -> bool:
    """A street and number is one place within a district ('Jl. Merdeka No. 1' is in many towns); the
    whole address, town included, is one place anywhere."""
    if not secret.district or not other.district or secret.district == other.district:
        return True
    return key == _whole(secret.address) and key == _whole(other.address)


def clashes(secrets: Sequence[Located], shown: Sequence[Located]) -> list[Clash]:
    """Each pair (confidential entry, other entry) at the same address or within ``NEAR_METRES``.

    Indexed by address key and by band of latitude, so a national directory is compared in one pass; an
    address is cut into keys only when it holds a word of a confidential one.
    """
    secret_keys = {secret.row: place_keys(secret.address) for secret in secrets}
    telling = _Filter(k for keys in secret_keys.values() for k in keys)
    by_key: dict[Key, list[Located]] = {}
    by_band: dict[int, list[Located]] = {}
    for entry in shown:
        if entry.address and telling and telling.may_share(entry.address):
            for key in place_keys(entry.address):
                by_key.setdefault(key, []).append(entry)
        if entry.latitude is not None and entry.longitude is not None:
            by_band.setdefault(math.floor(entry.latitude / _BAND), []).append(entry)
    found: dict[tuple[int, int], Clash] = {}
    for secret in secrets:
        for key in secret_keys[secret.row]:
            for other in by_key.get(key, ()):
                if other.row != secret.row and _same_place(secret, other, key):
                    found.setdefault((secret.row, other.row), Clash(secret.row, other.row, "address"))
        if secret.latitude is None or secret.longitude is None:
            continue
        band = math.floor(secret.latitude / _BAND)
        for b in (band - 1, band, band + 1):
            for other in by_band.get(b, ()):
                if other.row == secret.row or (secret.row, other.row) in found:
                    continue
                assert other.latitude is not None and other.longitude is not None
                metres = distance_m(secret.latitude, secret.longitude, other.latitude, other.longitude)
                if metres <= NEAR_METRES:
                    found[(secret.row, other.row)] = Clash(secret.row, other.row, "coordinates", round(metres))
    return sorted(found.values(), key=lambda c: (c.secret, c.shown))


# ------------------------------------------------------------------------------------------- every page


_URL_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}|\+")


def _variants(text: str) -> list[str]:
    """The text, and the text a link carries once its %XX and '+' escapes are read ('Jl.+Melati+No.+12')."""
    if not _URL_ESCAPE.search(text):
        return [text]
    from urllib.parse import unquote_plus

    return [text, unquote_plus(text)]


def _dms_degrees(match: re.Match[str]) -> tuple[str, float] | None:
    prefix = "" if match.group("hemi") else "b_"
    hemi = (match.group(prefix + "hemi") or "").upper()
    deg, minutes, sec = (_float(match.group(prefix + g) or "0") for g in ("deg", "min", "sec"))
    if deg is None or minutes is None or sec is None:
        return None
    value = deg + minutes / 60 + sec / 3600
    return hemi, -value if hemi in "SW" else value


def _close_to(numbers: Sequence[float], degrees: float) -> bool:
    return any(abs(abs(n) - abs(degrees)) < 0.0015 for n in numbers)


class Secrets:
    """Every confidential place of a workbook, looked for in the texts printed on every page of every
    district (the Directory sheet's settings, the Districts sheet): a shelter's street typed into a hotline's
    name, a map link to it as the quick-exit page, its coordinates as the neutral title.

    One index of the places' keys by first word and one of their coordinates by band of latitude, so a
    national workbook with a thousand confidential places is looked at once per text, not once per place.
    """

    def __init__(self, secrets: Iterable[tuple[int, Place]]) -> None:
        self.places = dict(secrets)
        self._by_first: dict[str, list[tuple[Key, int]]] = {}
        self._compact: list[tuple[str, int]] = []
        self._by_band: dict[int, list[tuple[int, float, float]]] = {}
        self._redacted: dict[str, str] = {}
        for row, place in self.places.items():
            for key in place.keys:
                self._by_first.setdefault(key[0], []).append((key, row))
                if _NO_SPACE_SCRIPT.search(_compact(key)):
                    self._compact.append((_compact(key), row))
            if place.latitude is not None and place.longitude is not None:
                band = math.floor(place.latitude / _BAND)
                self._by_band.setdefault(band, []).append((row, place.latitude, place.longitude))
        #: Every key holds a number (a street and its number; coordinates are numbers): a text without a
        #: digit gives nothing away, and most texts are passed over without being cut into words.
        self._needs_digit = all(any(_has_digit(w) for w in key)
                                for keys in self._by_first.values() for key, _row in keys)

    @classmethod
    def of(cls, entries: Iterable[Any]) -> Secrets:
        """The confidential places of these entries (``Service``-like), published or not: a closed shelter
        may open again."""
        return cls((e.row, Place.of(e.address, e.latitude, e.longitude)) for e in entries
                   if e.confidential and (e.address or e.latitude is not None))

    def __bool__(self) -> bool:
        return bool(self.places)

    def found_in(self, text: str | None) -> list[tuple[int, str]]:
        """(row of the confidential entry, "address" or "coordinates") for each place ``text`` gives away."""
        if not text or not self.places or (self._needs_digit and not _DIGIT.search(text)):
            return []
        found: dict[int, str] = {}
        for variant in _variants(text):
            for row in self._addresses_in(variant):
                found.setdefault(row, "address")
            for row in self._coordinates_in(variant):
                found.setdefault(row, "coordinates")
        return sorted(found.items())

    def _addresses_in(self, text: str) -> set[int]:
        seq = words(text)
        rows = set()
        for i, word in enumerate(seq):
            for key, row in self._by_first.get(word, ()):
                if tuple(seq[i: i + len(key)]) == key:
                    rows.add(row)
        if self._compact:
            compact = _compact(seq)
            rows.update(row for key, row in self._compact if key in compact)
        return rows

    def _coordinates_in(self, text: str) -> set[int]:
        if not self._by_band:
            return set()
        points: list[tuple[float, float]] = []
        for m in COORDINATE_PAIR.finditer(text):
            lat, lon = _float(m.group("lat")), _float(m.group("lon"))
            if lat is not None and lon is not None:
                points += [(lat, lon), (-lat, lon), (lat, -lon), (-lat, -lon)]  # signs are often left out
        dms = [d for d in (_dms_degrees(m) for m in DMS.finditer(text)) if d is not None]
        lats = [v for h, v in dms if h in "NS"]
        lons = [v for h, v in dms if h in "EW"]
        points += [(lat, lon) for lat in lats for lon in lons]
        rows = {row for lat, lon in points for row in self._near(lat, lon)}
        numbers = [v for v in (_float(m.group()) for m in _NUMBER.finditer(text)) if v is not None]
        if len(numbers) >= 2:  # its own latitude and longitude written anywhere in the text, signs left out
            for row, place in self.places.items():
                if place.latitude is None or place.longitude is None:
                    continue
                if _close_to(numbers, place.latitude) and _close_to(numbers, place.longitude):
                    rows.add(row)
        return rows

    def _near(self, lat: float, lon: float) -> Iterable[int]:
        if abs(lat) > 90 or abs(lon) > 180:
            return
        band = math.floor(lat / _BAND)
        for b in (band - 1, band, band + 1):
            for row, plat, plon in self._by_band.get(b, ()):
                if distance_m(lat, lon, plat, plon) <= NEAR_METRES:
                    yield row

    def redact(self, text: str) -> str:
        """``text`` without the confidential places it gives away ('…' in their stead); a place found only
        once a link's escapes are read takes the whole text with it. Remembered: every district's pages
        print the same settings."""
        done = self._redacted.get(text)
        if done is None:
            done = self._redacted[text] = self._redact(text)
        return done

    def _redact(self, text: str) -> str:
        hits = self.found_in(text)
        if not hits:
            return text
        for row, _kind in hits:
            text = redact(text, self.places[row])
        return REDACTED if self.found_in(text) else text
