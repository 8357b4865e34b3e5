"""The staff page's templates (``templates/serve/``), rendered in the staff's language."""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape

from directory_builder.i18n import SHIPPED_LANGUAGES, gettext_, language_name, ngettext_
from directory_builder.util.templates_path import BUILTIN_TEMPLATES

SERVE_TEMPLATES = BUILTIN_TEMPLATES / "serve"


@cache
def environment() -> Environment:
    """Autoescaped: file names, sheet names and messages quote workbook text, which is untrusted."""
    env = Environment(loader=FileSystemLoader(str(SERVE_TEMPLATES)), autoescape=select_autoescape(default=True),
                      trim_blocks=True, lstrip_blocks=True)
    env.add_extension("jinja2.ext.i18n")
    return env


def render(name: str, lang: str, **context: Any) -> str:
    env = environment()
    return env.get_template(name).render(
        lang=lang,
        _=lambda message: gettext_(message, lang),
        gettext=lambda message: gettext_(message, lang),
        ngettext=lambda one, many, n: ngettext_(one, many, n, lang),
        ui_languages=[(code, language_name(code, code)) for code in SHIPPED_LANGUAGES],
        language_name=lambda code: language_name(code, lang),
        **context,
    )


def static_file(name: str) -> bytes:
    """``serve.css`` or ``serve.js``, served from the page's own address (the CSP allows nothing else)."""
    return (SERVE_TEMPLATES / name).read_bytes()
