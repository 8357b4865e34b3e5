"""Where the web pages' quick-exit button goes: an ordinary page, in the reader's language.

Someone who must hide what they were reading presses the button; the page that replaces this one must
look like anything else they might read. A weather search in English on a Thai phone would stand out, so
the default search words come from the catalog, and staff can set the page per language in the workbook
("Quick exit page (th)" on the Directory sheet).
"""

from __future__ import annotations

import urllib.parse

from directory_builder.i18n import N_, gettext_

SEARCH_URL = "https://www.google.com/search"
# TRANSLATORS: the words the quick-exit button searches for: something harmless and common (the weather),
# as a person would type it in a search box in your language. Not printed on the page.
SEARCH_WORDS = N_("weather")


def quick_exit_url(own: str | None, lang: str) -> str:
    """The workbook's page for ``lang`` when it set one, else a search for the weather in ``lang``."""
    if own:
        return own
    return f"{SEARCH_URL}?{urllib.parse.urlencode({'q': gettext_(SEARCH_WORDS, lang)})}"
