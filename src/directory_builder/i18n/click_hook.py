"""The words typer and its click print themselves ("Usage:", "No such option", "Show this message and
exit."), in the staff's language.

typer ships its own copy of click whose help and error texts are English f-strings, with no gettext
hook; only ``typer.core`` calls ``gettext`` (through a module-level ``_`` bound at import, which reads the
process-wide domain and knows nothing of our catalogs). So:

* :func:`install` rebinds ``typer.core._`` to our catalogs ("Options", "Arguments", "Commands"...);
* :func:`translate_click_text` recognises each English usage-error sentence by its pattern and writes it
  again from a msgid of ours, with the same values (a sentence it does not know stays as typer wrote it);
* :func:`show_usage_error` prints a usage error like typer does, with every word translated
  (:func:`translated_usage_errors` attaches it to the errors raised inside it);
* :func:`write_usage` writes the usage line with "Usage:" translated.

:func:`ui_lang_in` finds ``--ui-lang`` anywhere on the command line before typer parses it.
"""

from __future__ import annotations

import contextlib
import functools
import importlib
import re
from collections.abc import Iterator
from typing import IO, Any

from directory_builder.i18n import N_, gettext_

USAGE_PREFIX = N_("Usage:")
HELP_OPTION_HELP = N_("Show this message and exit.")
_TRY_HELP = N_("Try '{command} {option}' for help.")
_ERROR = N_("Error: {message}")

#: msgids typer.core asks gettext for, listed so extraction puts them in the catalogs.
TYPER_CORE_MESSAGES: tuple[str, ...] = (
    N_("Options"), N_("Arguments"), N_("Commands"), N_("default: {default}"), N_("required"),
    N_("env var: {var}"), N_("(dynamic)"), N_("Missing command."), N_("No such command {name!r}."),
    N_("Aborted!"),
)

#: English sentences of typer's click (anchored patterns) -> our msgid with the same named values.
#: ``message`` values are themselves translated again (an "Invalid value" wraps the reason).
_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple((re.compile(pattern, re.DOTALL), msgid) for pattern, msgid in (
    (r"(?P<message>.+?) Did you mean (?P<suggestion>'[^']*')\?", N_("{message} Did you mean {suggestion}?")),
    (r"No such option: (?P<name>\S+) \(Possible options: (?P<options>.+)\)",
     N_("No such option: {name}. Options of this command: {options}")),
    (r"No such option: (?P<name>.+)", N_("No such option: {name}")),
    (r"No such command (?P<name>'.*')\.", N_("No such command {name}.")),
    (r"Missing argument (?P<name>.+)\.", N_("Missing argument {name}.")),
    (r"Missing option (?P<name>.+)\.", N_("Missing option {name}.")),
    (r"Missing command\.", N_("Missing command.")),
    (r"Invalid value for (?P<hint>'[^']*'(?: / '[^']*')*): (?P<message>.*)", N_("Invalid value for {hint}: {message}")),
    (r"Invalid value: (?P<message>.*)", N_("Invalid value: {message}")),
    (r"Value error, (?P<message>.*)", "{message}"),
    (r"(?P<value>'.*') is not one of (?P<choices>.+)\.", N_("{value} is not one of {choices}.")),
    (r"(?P<value>'.*') is not (?P<choices>'.*')\.", N_("{value} is not one of {choices}.")),
    (r"Value (?P<value>.+) is not a valid (?P<kind>\w+)\.", N_("{value} is not a valid value here.")),
    (r"Input should be greater than or equal to (?P<min>\S+)", N_("Give a number of at least {min}.")),
    (r"Input should be a valid integer.*", N_("Give a whole number, for example 2.")),
    (r"Input should be less than or equal to (?P<max>\S+)", N_("Give a number of at most {max}.")),
    (r"Input should be a valid number.*", N_("Give a number, for example 0.5.")),
    (r"Got unexpected extra arguments? \((?P<args>.*)\)", N_("Got unexpected extra arguments ({args})")),
    (r"Option (?P<name>'[^']*') requires an argument\.", N_("Option {name} requires a value.")),
    (r"Option (?P<name>'[^']*') requires (?P<count>\d+) arguments\.", N_("Option {name} requires {count} values.")),
    (r"Option (?P<name>'[^']*') does not take a value\.", N_("Option {name} does not take a value.")),
))


def translate_click_text(text: str) -> str:
    """``text`` from typer's click, in the active language when its pattern is known."""
    for pattern, msgid in _PATTERNS:
        match = pattern.fullmatch(text.strip())
        if match:
            values = {key: translate_click_text(value) if key == "message" else value
                      for key, value in match.groupdict().items()}
            return gettext_(msgid).format(**values)
    return text


def show_usage_error(error: Any, file: IO[Any] | None = None) -> None:
    """Print a typer ``UsageError`` as typer does (usage, hint, error), every word translated."""
    from typer._click.utils import echo

    ctx = error.ctx
    if ctx is not None:
        hint = ""
        if ctx.command.get_help_option(ctx) is not None:
            hint = gettext_(_TRY_HELP).format(command=ctx.command_path, option=ctx.help_option_names[0]) + "\n"
        echo(f"{ctx.get_usage()}\n{hint}", file=file, err=file is None, color=ctx.color)
    message = translate_click_text(error.format_message())
    echo(gettext_(_ERROR).format(message=message), file=file, err=file is None)


#: The usage line's placeholders typer writes in English.
_USAGE_PIECES = frozenset({N_("[OPTIONS]"), N_("COMMAND [ARGS]...")})


def write_usage(command: Any, ctx: Any, formatter: Any) -> None:
    """typer's usage line with "Usage:" and its placeholders in the staff's language."""
    pieces = [gettext_(piece) if piece in _USAGE_PIECES else piece for piece in command.collect_usage_pieces(ctx)]
    formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=gettext_(USAGE_PREFIX) + " ")


@contextlib.contextmanager
def translated_usage_errors() -> Iterator[None]:
    """A usage error (unknown option, missing argument...) is shown with every word translated."""
    from typer._click.exceptions import UsageError

    try:
        yield
    except UsageError as error:
        error.show = functools.partial(show_usage_error, error)  # type: ignore[method-assign]
        raise


def ui_lang_in(args: list[str]) -> str | None:
    """The value of the last ``--ui-lang`` anywhere on the command line (before a ``--``), so the
    language is known before click parses (and perhaps rejects) the rest."""
    found: str | None = None
    for index, arg in enumerate(args):
        if arg == "--":
            break
        if arg == "--ui-lang" and index + 1 < len(args):
            found = args[index + 1]
        elif arg.startswith("--ui-lang="):
            found = arg.split("=", 1)[1]
    return found


def _click_gettext(message: str) -> str:
    return gettext_(message)


@functools.cache
def install() -> None:
    """Route typer.core's own gettext calls through our catalogs (once per process)."""
    module = importlib.import_module("typer.core")
    if hasattr(module, "_"):
        module._ = _click_gettext  # type: ignore[attr-defined]
