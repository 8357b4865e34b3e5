"""Translations for every user-facing string.

Catalogs are gettext ``.po`` files managed with Babel (see docs/translating.md). Wheels ship compiled
``.mo`` files; a source checkout compiles the ``.po`` in memory, so editing a translation needs no step.
The active language lives in a context variable so parallel build jobs and the CLI never share state.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import gettext
import io
from collections.abc import Iterable, Iterator
from importlib import resources
from pathlib import Path

#: Languages whose catalogs, template labels and front matter ship with the tool. English is the source.
SHIPPED_LANGUAGES: tuple[str, ...] = ("en", "id", "ms", "vi", "th")
DEFAULT_LANGUAGE = "en"

_current: contextvars.ContextVar[str] = contextvars.ContextVar("directory_builder_lang", default=DEFAULT_LANGUAGE)


#: ``--template-dir`` folders whose ``locales/<lang>/LC_MESSAGES/messages.po`` comes before the tool's own.
_catalog_folders: tuple[str, ...] = ()


def use_catalog_folders(template_dirs: Iterable[object]) -> None:
    """Read catalogs from these template folders first (``translations import --into`` writes them).

    Process-wide, like the catalog cache it clears: a build sets it in the main process and in each worker.
    """
    global _catalog_folders
    folders = tuple(str(folder) for folder in template_dirs)
    if folders != _catalog_folders:
        _catalog_folders = folders
        translations.cache_clear()


@contextlib.contextmanager
def catalog_folders(template_dirs: Iterable[object]) -> Iterator[None]:
    """``use_catalog_folders`` for the length of a build; the folders in use before come back after it."""
    before = _catalog_folders
    use_catalog_folders(template_dirs)
    try:
        yield
    finally:
        use_catalog_folders(before)


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog for ``lang`` (English source strings when there is none)."""
    for folder in _catalog_folders:
        own = Path(folder) / "locales" / lang / "LC_MESSAGES" / "messages.po"
        if own.is_file():
            return _compiled(own.read_bytes())
    base = resources.files("directory_builder") / "locales" / lang / "LC_MESSAGES"
    mo = base / "messages.mo"
    po = base / "messages.po"
    if mo.is_file() and not (po.is_file() and _newer(po, mo)):
        return gettext.GNUTranslations(io.BytesIO(mo.read_bytes()))
    if po.is_file():
        return _compiled(po.read_bytes())
    return gettext.NullTranslations()


def _compiled(po: bytes) -> gettext.GNUTranslations:
    """A .po compiled in memory (fuzzy entries left out, as ``scripts/i18n.py compile`` does)."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    catalog = read_po(io.BytesIO(po))
    buf = io.BytesIO()
    write_mo(buf, catalog, use_fuzzy=False)
    buf.seek(0)
    return gettext.GNUTranslations(buf)


def _newer(a: object, b: object) -> bool:
    """True when catalog ``a`` was edited after ``b`` was compiled (a checkout after an install)."""
    try:
        return bool(a.stat().st_mtime > b.stat().st_mtime)  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return False


def current_language() -> str:
    return _current.get()


def set_language(lang: str) -> None:
    _current.set(lang)


@contextlib.contextmanager
def use_language(lang: str) -> Iterator[None]:
    token = _current.set(lang)
    try:
        yield
    finally:
        _current.reset(token)


def gettext_(message: str, lang: str | None = None) -> str:
    """Translate ``message`` into ``lang`` (default: the active language)."""
    if not message:
        return message
    return translations(lang or _current.get()).gettext(message)


def ngettext_(singular: str, plural: str, n: int, lang: str | None = None) -> str:
    return translations(lang or _current.get()).ngettext(singular, plural, n)


def _(message: str) -> str:
    """Translate now, in the active language. Babel extracts every ``_("...")`` call."""
    return gettext_(message)


def N_(message: str) -> str:
    """Mark a string for extraction without translating it yet (module-level tables)."""
    return message


def all_translations(message: str) -> dict[str, str]:
    """The message in every shipped language: used to recognise labels typed in any of them."""
    return {lang: gettext_(message, lang) for lang in SHIPPED_LANGUAGES}


def format_date(value: object, lang: str | None = None, fmt: str = "long") -> str:
    """A date the local way ("23 November 2026", "23 November 2026" in id, "23 พฤศจิกายน 2569"...)."""
    import datetime as dt

    from babel.dates import format_date as babel_format_date

    if not isinstance(value, dt.date):
        return str(value)
    lang = lang or _current.get()
    if lang == "th" and fmt in _THAI_DAY_MONTH:
        # Thai readers count years in the Buddhist era (2569 = 2026); Babel knows only the Gregorian one.
        day_month = babel_format_date(value, format=_THAI_DAY_MONTH[fmt], locale=babel_locale(lang))
        return f"{day_month} {value.year + 543}"
    pattern = _DATE_PATTERNS.get((lang, fmt), fmt)
    return babel_format_date(value, format=pattern, locale=babel_locale(lang))


#: Day and month of Thai dates, the year added in the Buddhist era ("5 มีนาคม 2569").
_THAI_DAY_MONTH = {"long": "d MMMM", "medium": "d MMM"}
#: Where the locale's own pattern is not how a printed date is written: Vietnamese "5 tháng 3 năm 2026" (the
#: catalog's sentences put "ngày" before it).
_DATE_PATTERNS = {("vi", "long"): "d 'tháng' M 'năm' y"}


def language_name(code: str, lang: str | None = None) -> str:
    """The name of language ``code`` written in ``lang`` ("Bahasa Indonesia", "Tiếng Anh"...)."""
    return _language_name(code, lang or _current.get())


@functools.cache
def _language_name(code: str, lang: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(babel_locale(lang)).languages.get(code)
    except (UnknownLocaleError, ValueError):
        name = None
    return name or code


def country_name(code: str, lang: str | None = None) -> str:
    """The name of country ``code`` written in ``lang`` ("Indonesia", "อินโดนีเซีย"); the code if unknown."""
    return _country_name(code, lang or _current.get())


@functools.cache
def _country_name(code: str, lang: str) -> str:
    from babel import Locale, UnknownLocaleError

    try:
        name = Locale.parse(babel_locale(lang)).territories.get(code.upper())
    except (UnknownLocaleError, ValueError):
        name = None
    return name or code


def babel_locale(lang: str) -> str:
    """The Babel locale for a shipped language: month names, lists and numbers as that country writes them."""
    return {"en": "en_GB", "id": "id_ID", "ms": "ms_MY", "vi": "vi_VN", "th": "th_TH"}.get(lang, lang)
