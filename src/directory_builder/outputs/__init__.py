"""The output registry: every kind of file the tool makes, each one module, each registered by one line.

``build`` makes the district and directory outputs its ``--format`` values ask for, writes them through
``util/storage.py``, lists them in manifest.json (kind = the output's name) and links them from index.html
(``Output.link``); ``export`` writes one export output. The command line's format choices come from here
too. Adding an output: a module with an ``Output`` subclass, and one line in ``REGISTRY`` below.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from directory_builder.outputs.accessible import AccessibleBooklet
from directory_builder.outputs.base import (
    DistrictOutput,
    ExportOutput,
    ExportView,
    IndexView,
    LanguageOutput,
    Output,
    Scope,
)
from directory_builder.outputs.booklet import Booklet
from directory_builder.outputs.booklet_imposed import ImposedBooklet
from directory_builder.outputs.card import PocketCard
from directory_builder.outputs.card_image import CardBack, CardFront
from directory_builder.outputs.cards_sheet import CardsSheet, LanguageCardsSheet
from directory_builder.outputs.contacts import Contacts
from directory_builder.outputs.hsds import Hsds
from directory_builder.outputs.hxl import Hxl
from directory_builder.outputs.index import Index
from directory_builder.outputs.jsonfile import Json
from directory_builder.outputs.message import Message
from directory_builder.outputs.webpage import WebPage
from directory_builder.publish.view import IndexLink

__all__ = ["REGISTRY", "DistrictOutput", "ExportOutput", "ExportView", "IndexLink", "IndexView", "LanguageOutput", "Output", "Scope",
           "build_formats", "default_build_formats", "export_formats", "export_output", "outputs", "register", "suffix_pattern", "unregister"]

REGISTRY: dict[str, Output] = {
    output.name: output for output in (
        Booklet(),
        PocketCard(),
        WebPage(),
        ImposedBooklet(), CardsSheet(), LanguageCardsSheet(),  # for printers: opt-in (issue 16)
        AccessibleBooklet(),  # for screen readers: opt-in
        CardFront(), CardBack(), Message(), Contacts(),  # for phones: opt-in
        Index(),
        Hsds(),
        Hxl(),
        Json(),
    )
}


def register(output: Output) -> Output:
    """Add ``output`` (a plug-in, or a test's fake); its name must be new."""
    if output.name in REGISTRY:
        raise ValueError(f"an output named {output.name!r} is already registered")
    REGISTRY[output.name] = output
    return output


def unregister(name: str) -> None:
    REGISTRY.pop(name, None)


def outputs(*scopes: Scope) -> Iterator[Output]:
    """The registered outputs of these scopes, in registry order."""
    return (o for o in REGISTRY.values() if o.scope in scopes)


def suffix_pattern(scope: Scope) -> str:
    """A regular expression matching the ``suffix`` of every registered output of ``scope``: the file
    names the tool may remove (stale files, ``.part`` files of a stopped build) are made from these."""
    return "(" + "|".join(re.escape(o.suffix) for o in outputs(scope)) + ")"


def build_formats() -> tuple[str, ...]:
    """The ``build --format`` values, in registry order."""
    return tuple(dict.fromkeys(o.format for o in outputs("district", "directory")))


def default_build_formats() -> tuple[str, ...]:
    """What ``build`` makes without ``--format``: every build format but the opt-in ones."""
    return tuple(dict.fromkeys(o.format for o in outputs("district", "directory") if not o.opt_in))


def export_formats() -> tuple[str, ...]:
    """The ``export --format`` values, in registry order."""
    return tuple(o.format for o in outputs("export"))


def export_output(format: str) -> ExportOutput | None:
    for output in outputs("export"):
        if output.format == format and isinstance(output, ExportOutput):
            return output
    return None
