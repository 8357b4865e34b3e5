"""The printed forms of a checked phone number.

Here, not in ``check/parse.py``, so that the model (which formats a number when it is first shown) and the
parser (which checks it) both use it without importing each other.
"""

from __future__ import annotations

import phonenumbers


def phone_formats(text: str, region: str) -> tuple[str, str]:
    """(international, national) forms of a number that ``parse.phone_from_text`` accepted."""
    number = phonenumbers.parse(text, region)
    fmt = phonenumbers.PhoneNumberFormat
    return (phonenumbers.format_number(number, fmt.INTERNATIONAL),
            phonenumbers.format_number(number, fmt.NATIONAL))


def dial_digits(dial: str) -> str:
    """What a tel: link or a saved contact may hold of a dial string: its digits, with one leading '+'."""
    raw = dial.strip()
    digits = "".join(c for c in raw if c.isascii() and c.isdigit())
    if not digits:
        return ""
    return ("+" if raw.startswith("+") else "") + digits
