"""Cell parsers: one function per column type, each returning a value or a problem code with parameters.

They never raise on odd input (a property test feeds them anything); validate.py attaches the cell reference.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import urllib.parse
from dataclasses import dataclass
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from directory_builder.i18n import SHIPPED_LANGUAGES
from directory_builder.model import NamedNumber, Phone
from directory_builder.vocab import Vocabulary, lookup, normalise_key, parse_yes_no

CellValue = Any


@dataclass(frozen=True)
class Issue:
    """A problem found in one cell, before it knows where it is."""

    code: str
    params: dict[str, Any]
    severity: str | None = None


class Invalid(Exception):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.issue = Issue(code, params)


def as_text(value: CellValue) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def split_list(text: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;\n]", text) if part.strip()]


# ---------------------------------------------------------------------------------------------- scalars


def parse_bool(value: CellValue) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    result = parse_yes_no(as_text(value))
    if result is None:
        raise Invalid("invalid-yes-no", value=as_text(value))
    return result


def parse_int(value: CellValue, lo: int, hi: int, column: str) -> int:
    if isinstance(value, bool):
        raise Invalid("invalid-integer", value=as_text(value))
    if isinstance(value, int):
        number = value
    elif isinstance(value, float) and value.is_integer():
        number = int(value)
    else:
        text = as_text(value).strip()
        if not re.fullmatch(r"[+-]?\d{1,9}", text):
            raise Invalid("invalid-integer", value=text)
        number = int(text)
    if not lo <= number <= hi:
        raise Invalid("out-of-range", value=number, min=lo, max=hi)
    return number


def parse_float(value: CellValue, lo: float, hi: float) -> float:
    if isinstance(value, bool):
        raise Invalid("invalid-number", value=as_text(value))
    if isinstance(value, int | float):
        try:
            number = float(value)
        except OverflowError:  # an integer with hundreds of digits (a crafted cell)
            raise Invalid("out-of-range", value=as_text(value), min=lo, max=hi) from None
    else:
        text = as_text(value).strip()
        if "," in text and "." not in text:
            text = text.replace(",", ".")
        if not re.fullmatch(r"[+-]?\d{1,3}(\.\d{1,15})?", text):
            raise Invalid("invalid-number", value=as_text(value))
        number = float(text)
    if number != number or not lo <= number <= hi:  # NaN or out of range
        raise Invalid("out-of-range", value=as_text(value), min=lo, max=hi)
    return number


_DATE_FORMS = (
    (re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$"), "ymd"),
    (re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"), "ymd"),
    (re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$"), "dmy"),
)


def parse_date(value: CellValue) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = as_text(value).strip()
    for pattern, order in _DATE_FORMS:
        match = pattern.match(text)
        if match:
            a, b, c = (int(g) for g in match.groups())
            year, month, day = (a, b, c) if order == "ymd" else (c, b, a)
            try:
                result = dt.date(year, month, day)
            except ValueError:
                break
            if 1900 <= result.year <= 2200:
                return result
            break
    raise Invalid("invalid-date", value=text)


def parse_choice(value: CellValue, vocab: Vocabulary, column: str) -> str:
    text = as_text(value)
    code = lookup(vocab, text)
    if code is None:
        raise Invalid("invalid-choice", value=text, choices=", ".join(vocab.codes))
    return code


def parse_multichoice(value: CellValue, vocab: Vocabulary, column: str) -> tuple[list[str], list[Issue]]:
    codes: list[str] = []
    issues: list[Issue] = []
    for part in split_list(as_text(value)):
        # A label may itself hold a comma ("Food, clothes and money"); otherwise commas separate too.
        pieces = [part] if lookup(vocab, part) else [p.strip() for p in part.split(",") if p.strip()]
        for piece in pieces:
            code = lookup(vocab, piece)
            if code is None:
                issues.append(Issue("invalid-choice", {"value": piece, "choices": ", ".join(vocab.codes)}))
            elif code not in codes:
                codes.append(code)
    return codes, issues


# ---------------------------------------------------------------------------------------------- contact

_SHORT_CODE = re.compile(r"^\d{3,5}$")
#: No real number with its extension is longer; checked first, so the pattern below never sees a huge cell.
_MAX_PHONE_CHARS = 60
_PHONE_CHARS = re.compile(r"^[+0-9()./\- ]+(?:\s*(?:ext\.?|x)\s*\d{1,6})?$", re.IGNORECASE)


@functools.cache
def _example_number(region: str) -> str:
    example = phonenumbers.example_number(region)
    if example is None:
        return "+44 20 7946 0000"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_from_text(text: str, region: str) -> Phone:
    """A number parsed for ``region``; the same text is parsed once per process (hotlines repeat)."""
    return _phone_from_text(text.strip(), region)


@functools.lru_cache(maxsize=65536)
def _phone_from_text(text: str, region: str) -> Phone:
    if len(text) > _MAX_PHONE_CHARS:
        raise Invalid("invalid-phone", value=text, country=region, example=_example_number(region))
    compact = re.sub(r"[\s\-.()/]", "", text)
    if _SHORT_CODE.match(compact):
        return Phone.model_construct(raw=text, dial=compact, region=region, short_code=True)
    if not _PHONE_CHARS.match(text) or len(compact) > 20:
        raise Invalid("invalid-phone", value=text, country=region, example=_example_number(region))
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise Invalid("invalid-phone", value=text, country=region, example=_example_number(region)) from exc
    if not phonenumbers.is_possible_number(number):
        raise Invalid("invalid-phone", value=text, country=region, example=_example_number(region))
    return Phone.model_construct(  # every field is computed here: pydantic's checks would add nothing
        raw=text,
        dial=f"+{number.country_code}{phonenumbers.national_significant_number(number)}",
        region=region,
        short_code=False,
    )


@functools.lru_cache(maxsize=65536)
def phone_formats(text: str, region: str) -> tuple[str, str]:
    """(international, national) forms of a number that ``phone_from_text`` accepted."""
    number = phonenumbers.parse(text, region)
    fmt = phonenumbers.PhoneNumberFormat
    return (phonenumbers.format_number(number, fmt.INTERNATIONAL),
            phonenumbers.format_number(number, fmt.NATIONAL))


def _repair_excel_number(value: int | float, region: str) -> tuple[Phone, Issue | None]:
    """Excel turned '0812...' into 812...: try the lost '0' (or '+'), and say so."""
    if isinstance(value, float) and not value.is_integer():  # also NaN and infinity
        raise Invalid("invalid-phone", value=as_text(value), country=region, example=_example_number(region))
    digits = str(int(value))
    if _SHORT_CODE.match(digits):
        return phone_from_text(digits, region), None
    for candidate in ("0" + digits, "+" + digits):
        try:
            phone = phone_from_text(candidate, region)
            number = phonenumbers.parse(candidate, region)
        except (Invalid, phonenumbers.NumberParseException):
            continue
        if phonenumbers.is_valid_number(number):
            return phone, Issue("phone-repaired", {"value": digits, "fixed": candidate})
    raise Invalid("invalid-phone", value=digits, country=region, example=_example_number(region))


def parse_phones(value: CellValue, region: str) -> tuple[list[Phone], list[Issue]]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            phone, issue = _repair_excel_number(value, region)
        except Invalid as exc:
            return [], [exc.issue]
        return [phone], [issue] if issue else []
    phones: list[Phone] = []
    issues: list[Issue] = []
    for part in split_list(as_text(value)):
        try:
            phone = phone_from_text(part, region)
        except Invalid as exc:
            issues.append(exc.issue)
            continue
        if phone.dial not in {p.dial for p in phones}:
            phones.append(phone)
    return phones, issues


def parse_named_phones(value: CellValue, region: str) -> tuple[list[NamedNumber], list[Issue]]:
    result: list[NamedNumber] = []
    issues: list[Issue] = []
    for part in split_list(as_text(value)):
        name, sep, number = part.rpartition(":")
        if not sep or not name.strip() or not number.strip():
            issues.append(Issue("invalid-named-phone", {"value": part}))
            continue
        try:
            result.append(NamedNumber(name=name.strip(), phone=phone_from_text(number, region)))
        except Invalid as exc:
            issues.append(exc.issue)
    return result, issues


def parse_email(value: CellValue) -> str:
    text = as_text(value).strip().removeprefix("mailto:")
    normalized, reason = _check_email(text)
    if normalized is None:
        raise Invalid("invalid-email", value=text, reason=reason)
    return normalized


@functools.lru_cache(maxsize=65536)
def _check_email(text: str) -> tuple[str | None, str]:
    """Syntax only, never the network (staff work offline); the same address is checked once."""
    try:
        info = validate_email(text, check_deliverability=False)
    except EmailNotValidError as exc:
        return None, str(exc)
    return str(info.normalized), ""


_DOMAIN = re.compile(r"^[\w-]+(\.[\w-]+)+(:\d{1,5})?$", re.UNICODE)


def parse_url(value: CellValue) -> str:
    """Only http(s) links are published; 'www.x.org' becomes 'https://www.x.org'."""
    text = as_text(value).strip()
    if any(ch.isspace() for ch in text) or len(text) > 2000:
        raise Invalid("invalid-url", value=text)
    lowered = text.lower()
    if not lowered.startswith(("http://", "https://")):
        if "://" in lowered or ":" in lowered.split("/", 1)[0].split(".", 1)[0]:
            raise Invalid("invalid-url", value=text)  # javascript:, data:, ftp://, file://...
        text = "https://" + text
    try:
        parts = urllib.parse.urlsplit(text)
    except ValueError:  # "http://[x" (a broken IPv6 host), look-alike characters in the host name
        raise Invalid("invalid-url", value=as_text(value)) from None
    host = parts.netloc.rsplit("@", 1)[-1]
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc or not _DOMAIN.match(host):
        raise Invalid("invalid-url", value=as_text(value))
    return urllib.parse.urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path, parts.query, parts.fragment))


# ---------------------------------------------------------------------------------------------- languages


@functools.cache
def _language_names() -> dict[str, str]:
    from babel import Locale

    names: dict[str, str] = {}
    for ui in ("en", *SHIPPED_LANGUAGES):
        locale = Locale.parse(ui)
        for code, name in locale.languages.items():
            if len(code) in (2, 3) and code.isalpha():
                names.setdefault(normalise_key(name), code)
                names.setdefault(code.lower(), code)
    names.setdefault("bahasa", "id")
    names.setdefault("bahasa indonesia", "id")
    names.setdefault("bahasa melayu", "ms")
    return names


def parse_languages(value: CellValue) -> tuple[list[str], list[Issue]]:
    codes: list[str] = []
    issues: list[Issue] = []
    names = _language_names()
    for part in split_list(as_text(value).replace(",", ";")):
        code = names.get(normalise_key(part))
        if code is None:
            issues.append(Issue("unknown-language-name", {"value": part}))
            code = part
        if code not in codes:
            codes.append(code)
    return codes, issues


def is_language_code(text: str) -> bool:
    return len(text) == 2 and text.isalpha() and text.lower() in _language_names()
