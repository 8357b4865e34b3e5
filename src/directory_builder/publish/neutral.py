"""``--neutral-title``: no title a stranger could see says what the directory is about.

A booklet left on a table, a browser tab, a phone's history, the title bar of a PDF viewer or a file list
can be seen by the person a victim is hiding from. With the option, every such title is the directory's
"Neutral title" setting (one per language), or, when the workbook has none, the catalog's default
("Useful services", translated). The text inside the pages still explains what it is for: the option hides
the subject at a glance, not from someone who reads the page.

Which words give the subject away is decided here, once, for the five shipped languages, so renderers and
the validator agree: a neutral title that itself says "trafficking" is an error, and a PDF's Author or
Subject that says it (a publisher called "Anti-Trafficking Task Force") is left out of the file's
properties when the option is on.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from directory_builder.i18n import N_, gettext_
from directory_builder.publish.view import DistrictView
from directory_builder.util.names import match_key

#: The neutral title when the workbook gives none: translated in every shipped language.
DEFAULT_NEUTRAL_TITLE = N_("Useful services")

#: Words (compared after match_key) that name trafficking in the shipped languages and in common loans.
TRAFFICKING_WORDS: tuple[str, ...] = (
    "traffick",  # en: trafficking, trafficked, trafficker, anti-trafficking
    "trafiking",  # id, ms: the English loan
    "perdagangan orang",  # id: trafficking in persons
    "perdagangan manusia",  # id, ms: trafficking in human beings
    "pemerdagangan",  # ms
    "tppo",  # id: Tindak Pidana Perdagangan Orang, the crime's common abbreviation
    "buôn bán người",  # vi
    "mua bán người",  # vi
    "ค้ามนุษย์",  # th
)


def mentions_trafficking(text: str | None) -> bool:
    """True when ``text`` names trafficking in any shipped language (case, width and invisible characters
    do not hide it)."""
    if not text:
        return False
    key = match_key(text)
    return any(word in key for word in TRAFFICKING_WORDS)


def neutral_title(settings: Any, lang: str) -> str:
    """The directory's neutral title in ``lang``: the setting, else the catalog's default."""
    text = settings.neutral_title.get(lang, settings.default_language) if settings is not None else None
    if text and not mentions_trafficking(text):
        return str(text)
    return gettext_(DEFAULT_NEUTRAL_TITLE, lang)


def safe_title(title: str | None, lang: str) -> str:
    """``title`` if it does not give the subject away, else the catalog's neutral default."""
    if title and not mentions_trafficking(title):
        return title
    return gettext_(DEFAULT_NEUTRAL_TITLE, lang)


def neutral_view(view: DistrictView) -> DistrictView:
    """The view with a title that does not name trafficking (renderers call it when the option is on)."""
    title = safe_title(view.title, view.lang)
    return view if title == view.title else dataclasses.replace(view, title=title)


def neutral_property(text: str) -> str:
    """A PDF property (Author, Subject) as given, or empty when it names trafficking."""
    return "" if mentions_trafficking(text) else text
