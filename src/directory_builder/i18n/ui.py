"""Which language the staff read messages in, without having to ask for it.

In order: ``--ui-lang``; the ``DIRECTORY_BUILDER_LANG`` environment variable; the workbook itself (the
language its template was made in, else the first of its Languages); the system locale (``LC_ALL``,
``LC_MESSAGES``, ``LANG``, as POSIX orders them, with GNU ``LANGUAGE`` first); else English. A rung that
names a language without a catalog is skipped, so a typo never leaves staff with no messages at all.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping

from directory_builder.i18n import DEFAULT_LANGUAGE, SHIPPED_LANGUAGES

ENV_VARIABLE = "DIRECTORY_BUILDER_LANG"


def shipped_language(code: str | None) -> str | None:
    """``"id"``, ``"id_ID.UTF-8"``, ``"TH"`` -> the shipped code; None for anything else ("C", "fr")."""
    base = (code or "").strip().lower().replace("_", "-").split(".")[0].split("@")[0].split("-")[0]
    return base if base in SHIPPED_LANGUAGES else None


def locale_language(environ: Mapping[str, str] | None = None) -> str | None:
    """The shipped language of the system locale, or None (unset, "C", "POSIX" or not shipped)."""
    env = os.environ if environ is None else environ
    chosen = next((env[name] for name in ("LC_ALL", "LC_MESSAGES", "LANG") if env.get(name)), "")
    if chosen.upper().split(".")[0] in ("", "C", "POSIX"):
        return None  # GNU gettext ignores LANGUAGE under the C locale too
    for entry in (env.get("LANGUAGE") or "").split(":"):
        if found := shipped_language(entry):
            return found
    return shipped_language(chosen)


def ui_language(explicit: str | None, workbook: Callable[[], str | None] | None = None,
                environ: Mapping[str, str] | None = None) -> str:
    """The language of messages; ``workbook`` is asked only when no earlier rung decides."""
    env = os.environ if environ is None else environ
    for found in (shipped_language(explicit), shipped_language(env.get(ENV_VARIABLE))):
        if found:
            return found
    if workbook is not None and (found := shipped_language(workbook())):
        return found
    return locale_language(env) or DEFAULT_LANGUAGE
