"""Cell parsers: one function per column type, each returning a value or a problem code with parameters.

They never raise on odd input (a property test feeds them anything); validate.py attaches the cell reference.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass
from typing import Any

import phonenumbers
from email_validator import EmailNotValidError, validate_email

from directory_builder.check.monthdates import parse_month_name_date
from directory_builder.i18n import N_, SHIPPED_LANGUAGES
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
    named = parse_month_name_date(text)
    if named is not None:
        return named
    raise Invalid("invalid-date", value=text)


def parse_choice(value: CellValue, vocab: Vocabulary, column: str) -> str:
    text = as_text(value)
    code = lookup(vocab, text)
    if code is None:
        raise Invalid("invalid-choice", value=text, choices="; ".join(vocab.codes), vocabulary=vocab.name)
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
                issues.append(Issue("invalid-choice", {"value": piece, "choices": "; ".join(vocab.codes),
                                                       "vocabulary": vocab.name}))
            elif code not in codes:
                codes.append(code)
    return codes, issues


# ---------------------------------------------------------------------------------------------- contact

#: The problems that make a phone cell unusable (``phone-repaired`` is only a warning).
PHONE_ERRORS = frozenset({"invalid-phone", "phone-no-area-code", "phone-too-long"})
_SHORT_CODE = re.compile(r"^\d{3,5}$")
#: No real number with its extension is longer; checked first, so the patterns below never see a huge cell.
_MAX_PHONE_CHARS = 60
#: What may separate two numbers in one cell: ';', ',', '/', a new line, or the word "or" in a shipped
#: language (Thai is written without spaces around it). Nothing else: digits on both sides of anything
#: else stay one number, which is then checked as one (and is an error when it is two numbers run together).
#: (Lookarounds, not '\s+': a cell of 30,000 spaces must not cost quadratic backtracking.)
_PHONE_SEPARATORS = re.compile(r"[;,/\n\r\u2028\u2029]|(?<=\s)(?:or|atau|hoặc)(?=\s)|หรือ", re.IGNORECASE)
#: One number: digits with the usual punctuation, and an optional extension at the end ("ext. 12", "x12").
_PHONE_TEXT = re.compile(r"^(?P<number>[+0-9()\-. ]+?)\s*(?:(?:ext\.?|extn\.?|extension|x|#)\s*(?P<ext>\d{1,6}))?$",
                         re.IGNORECASE)


@functools.cache
def _example_number(region: str) -> str:
    example = phonenumbers.example_number(region)
    if example is None:
        return "+44 20 7946 0000"
    return phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.NATIONAL)


def _phone_issue(code: str, text: str, region: str) -> Invalid:
    return Invalid(code, value=text, country=region, example=_example_number(region))


def split_phone_text(text: str) -> list[str]:
    """The numbers a cell holds, as typed: the cell cut at every separator people use between two numbers."""
    normal = unicodedata.normalize("NFKC", text)
    return [part.strip() for part in _PHONE_SEPARATORS.split(normal) if part.strip()]


def phone_from_text(text: str, region: str) -> Phone:
    """One number parsed for ``region``; the same text is parsed once per process (hotlines repeat).

    ``text`` is one number: a cell holding several is cut with ``split_phone_text`` first.
    """
    return _phone_from_text(unicodedata.normalize("NFKC", text).strip(), region)


@functools.lru_cache(maxsize=65536)
def _phone_from_text(text: str, region: str) -> Phone:
    if len(text) > _MAX_PHONE_CHARS:
        raise _phone_issue("phone-too-long", text, region)
    text = " ".join(text.split())
    match = _PHONE_TEXT.match(text)
    if match is None:
        raise _phone_issue("invalid-phone", text, region)
    digits = re.sub(r"\D", "", match["number"])
    if match["ext"] is None and "+" not in match["number"] and _SHORT_CODE.match(digits):
        if _is_short_code(digits, region):
            return Phone.model_construct(raw=text, dial=digits, region=region, short_code=True)
        raise _phone_issue("invalid-phone", text, region)
    if len(digits) > 17:  # E.164 allows 15 digits; with a national prefix, never more than 17
        raise _phone_issue("phone-too-long", text, region)
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        raise _phone_issue("invalid-phone", text, region) from None
    if not phonenumbers.is_valid_number(number):
        raise _phone_issue(_invalid_code(number, match["number"], region), text, region)
    return Phone.model_construct(  # every field is computed here: pydantic's checks would add nothing
        raw=text,
        dial=f"+{number.country_code}{phonenumbers.national_significant_number(number)}",
        region=region,
        short_code=False,
        extension=number.extension or None,
    )


def _is_short_code(digits: str, region: str) -> bool:
    """3 to 5 digits are a short code (110, 129, 1300), whatever the library's incomplete tables say.

    Except when they start with the country's national prefix (the 0 of '021'): that is the start or end
    of a longer number cut by a separator ('(021) 555-0101/0102'), unless the library knows it as a short
    number there (Australia's 000).
    """
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = metadata.national_prefix if metadata is not None else None
    if not prefix or not digits.startswith(prefix):
        return True
    try:
        return bool(phonenumbers.is_valid_short_number_for_region(phonenumbers.parse(digits, region), region))
    except phonenumbers.NumberParseException:
        return False


def _invalid_code(number: phonenumbers.PhoneNumber, typed: str, region: str) -> str:
    """Which sentence explains why a number the library read is not one: too long, no area code, or neither."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    if metadata is None or number.country_code != metadata.country_code:
        return "invalid-phone"
    length = len(phonenumbers.national_significant_number(number))
    lengths = [n for desc in (metadata.fixed_line, metadata.mobile) if desc is not None
               for n in (desc.possible_length or ())]
    if lengths and length > max(lengths):
        return "phone-too-long"
    typed = typed.strip().lstrip("( ")
    prefix = metadata.national_prefix
    fixed = metadata.fixed_line.possible_length if metadata.fixed_line is not None else ()
    if prefix and fixed and not typed.startswith(("+", prefix)) and 7 <= length < max(fixed):
        return "phone-no-area-code"  # '5550100': a local number, dialled without its area code
    return "invalid-phone"


def _inherit_area_code(text: str, previous: Phone | None, region: str) -> Phone | None:
    """'(022) 5550105 / 5550106': the second number in the same area as the first, as people mean it.

    Only a bare local number (no + and no national prefix) right after a fixed-line number with an area
    code inherits it, and only when the result is a valid number; anything else stays an error.
    """
    if previous is None or previous.short_code:
        return None
    metadata = phonenumbers.PhoneMetadata.metadata_for_region(region)
    prefix = metadata.national_prefix if metadata is not None else None
    match = _PHONE_TEXT.match(" ".join(text.split()))
    if not prefix or match is None or match["number"].strip().startswith(("+", prefix)):
        return None
    try:
        before = phonenumbers.parse(previous.dial, region)
    except phonenumbers.NumberParseException:
        return None
    fixed = (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE)
    area_length = phonenumbers.length_of_geographical_area_code(before)
    if phonenumbers.number_type(before) not in fixed or area_length <= 0:  # a mobile prefix is no area code
        return None
    area = phonenumbers.national_significant_number(before)[:area_length]
    extension = f" ext. {match['ext']}" if match["ext"] else ""
    try:
        phone = phone_from_text(f"{prefix}{area} {match['number'].strip()}{extension}", region)
    except Invalid:
        return None
    return phone


#: The region rows are read with while the Country setting is wrong: its cell has the error, and numbers
#: written without their country code are checked again once it is right (not one error per number).
UNKNOWN_REGION = "ZZ"


def _phones_in_text(text: str, region: str) -> tuple[list[Phone], list[Issue]]:
    """Every number in one cell's text, each on its own; a bare local number may inherit the area code before it."""
    phones: list[Phone] = []
    issues: list[Issue] = []
    previous: Phone | None = None
    for part in split_phone_text(text):
        try:
            phone = phone_from_text(part, region)
        except Invalid as exc:
            inherited = _inherit_area_code(part, previous, region) if exc.issue.code != "phone-too-long" else None
            if inherited is None:
                if region != UNKNOWN_REGION or part.lstrip().startswith("+"):
                    issues.append(exc.issue)
                previous = None
                continue
            phone = inherited
        previous = phone
        if (phone.dial, phone.extension) not in {(p.dial, p.extension) for p in phones}:
            phones.append(phone)
    return phones, issues


@functools.lru_cache(maxsize=65536)
def _repair_excel_number(value: int | float, region: str) -> tuple[Phone, Issue | None]:
    """Excel turned '0812...' into 812...: try the lost '0' (or '+'), and say so."""
    if isinstance(value, float) and not value.is_integer():  # also NaN and infinity
        raise _phone_issue("invalid-phone", as_text(value), region)
    digits = str(int(value))
    if _SHORT_CODE.match(digits):
        return phone_from_text(digits, region), None
    for candidate in ("0" + digits, "+" + digits):
        try:
            phone = phone_from_text(candidate, region)
        except Invalid:
            continue
        return phone, Issue("phone-repaired", {"value": digits, "fixed": candidate})
    raise _phone_issue("phone-too-long" if len(digits) > 17 else "invalid-phone", digits, region)


def parse_phones(value: CellValue, region: str) -> tuple[list[Phone], list[Issue]]:
    if isinstance(value, int | float) and not isinstance(value, bool):
        try:
            phone, issue = _repair_excel_number(value, region)
        except Invalid as exc:
            return [], [exc.issue] if region != UNKNOWN_REGION else []
        return [phone], [issue] if issue else []
    return _phones_in_text(as_text(value), region)


#: "Police: 110, Fire: 113": a name that itself ends in "...: <digits>" is two pairs with a comma between.
_NAME_HOLDS_NUMBER = re.compile(r":\s*[+(]?\d")


def parse_named_phones(value: CellValue, region: str) -> tuple[list[NamedNumber], list[Issue]]:
    """'Name: number; Name: number'. A name may have several numbers ('Police: 110 / 112'): one line each."""
    result: list[NamedNumber] = []
    issues: list[Issue] = []
    for part in split_list(as_text(value)):
        name, sep, numbers = part.rpartition(":")
        if not sep or not name.strip() or not numbers.strip() or _NAME_HOLDS_NUMBER.search(name):
            issues.append(Issue("invalid-named-phone", {"value": part}))
            continue
        phones, found = _phones_in_text(numbers, region)
        issues += found
        result += [NamedNumber(name=name.strip(), phone=phone) for phone in phones]
    return result, issues


def parse_contact(value: CellValue, region: str) -> tuple[str, list[Issue]]:
    """The Corrections contact: an email address (or words) as written; phone numbers checked like any other.

    Numbers are printed in their local form, one after the other, so a number printed there is one the
    cell said and that connects, as on the rest of the page.
    """
    text = as_text(value).strip()
    if isinstance(value, str) and ("@" in text or not any(ch.isdigit() for ch in text)):
        return text, _contact_email_issues(text)
    phones, issues = parse_phones(value, region)
    return (" / ".join(p.local for p in phones) if phones else text), issues


def _contact_email_issues(text: str) -> list[Issue]:
    """Each word with an '@' in the contact must be an email address: it is printed on every page and card
    (seen: 'koreksi@@example' printed everywhere)."""
    issues = []
    for word in text.split():
        candidate = word.strip(".,;:()<>[]\"'").removeprefix("mailto:")
        if "@" in candidate:
            normalized, reason = _check_email(candidate)
            if normalized is None:
                issues.append(Issue("invalid-email", {"value": candidate, "reason": reason}))
    return issues


def parse_email(value: CellValue) -> str:
    text = as_text(value).strip().removeprefix("mailto:")
    normalized, reason = _check_email(text)
    if normalized is None:
        raise Invalid("invalid-email", value=text, reason=reason)
    return normalized


@functools.lru_cache(maxsize=65536)
def _check_email(text: str) -> tuple[str | None, str]:
    """Syntax only, never the network (staff work offline); the same address is checked once.

    The reason is a msgid of ours (translated when shown): email-validator explains in English only."""
    try:
        info = validate_email(text, check_deliverability=False)
    except EmailNotValidError:
        return None, email_reason(text)
    return str(info.normalized), ""


def email_reason(text: str) -> str:
    """Why ``text`` is not an email address, in words staff can act on (an English msgid)."""
    local, _at, domain = text.partition("@")
    if text.count("@") != 1:
        return N_("it must have exactly one @ sign.")
    if any(ch.isspace() for ch in text):
        return N_("it contains a space.")
    if not local:
        return N_("there is nothing before the @ sign.")
    if not domain:
        return N_("there is nothing after the @ sign.")
    if "." not in domain or domain.startswith(".") or domain.endswith("."):
        return N_("the part after the @ sign must be a domain with a dot, such as example.org.")
    if ".." in text or local.startswith(".") or local.endswith("."):
        return N_("it has two dots together, or a dot next to the @ sign.")
    return N_("it has a character an email address cannot have, or a part that is too long.")


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


QUICK_EXIT_NUMERIC = N_("is a numeric address, not the name of a website")
QUICK_EXIT_LOOKALIKE = N_("has letters in its website name that are not plain Latin letters, so it may imitate "
                          "another website")


def check_quick_exit(url: str) -> None:
    """The quick-exit page is where a victim lands when someone walks in: a common, harmless website. A
    numeric address (an office router, a tracker) or a name in look-alike letters ('exаmple.com' with a
    Cyrillic 'а') is refused."""
    host = urllib.parse.urlsplit(url).hostname or ""
    if re.fullmatch(r"[\d.]+|\[.*\]|localhost", host) or host.endswith((".local", ".localhost", ".internal")):
        raise Invalid("quick-exit-unusual", value=url, reason=QUICK_EXIT_NUMERIC)
    if not host.isascii():
        raise Invalid("quick-exit-unusual", value=url, reason=QUICK_EXIT_LOOKALIKE)


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
