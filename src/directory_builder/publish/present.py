"""One presentation step: a service view -> the ordered lines every output shows.

The booklet and the web page iterate these lines instead of naming fields one by one, so they say the
same things in the same order, and a column added to ``columns.py`` appears in all of
them. What a line is (its label, icon, display kind, section and order) comes from the column table;
only how a kind looks (a call button, a QR code) belongs to each renderer. Labels are translated in the
active language; text stays plain (each renderer escapes it at its own edge). The pocket card is not a
list of lines: it shows the emergency numbers and each chosen service's one best number
(``render/pdf_card.py``), with labels from the same column table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from directory_builder.columns import SECTIONS, SERVICES_COLUMNS, Column, DisplayKind, Section
from directory_builder.i18n import format_date, gettext_
from directory_builder.publish.labels import column_label, label
from directory_builder.publish.view import ColumnValue, PhoneView, ServiceView
from directory_builder.vocab import BENEFICIARIES, COST, Vocabulary

#: "screen": bold on the web page only (a cost, the referral rule); "always": bold everywhere.
Stress = Literal["none", "screen", "always"]

#: How a line's parts are joined: "list" ("; "), "detail" (a dash), "paragraphs" (one under the other).
Joiner = Literal["list", "detail", "paragraphs"]

LineKind = DisplayKind | Literal["notice"]


@dataclass(frozen=True)
class Part:
    """One piece of a line's value."""

    text: str
    workbook: bool = True  # typed in the workbook (line breaks kept); False: a translated phrase or label
    stress: Stress = "none"
    role: str | None = None  # a name a renderer may style by (the web page's CSS class)


@dataclass(frozen=True)
class Line:
    """One line of an entry: "Phone: (021) 3190 0110", "What they do: ...", the closed notice..."""

    key: str  # the column whose value it shows
    kind: LineKind
    section: Section
    label: str  # translated
    icon: str | None = None
    parts: tuple[Part, ...] = ()
    joiner: Joiner = "list"
    phones: tuple[PhoneView, ...] = ()
    link: str | None = None  # "email": the address; "link": the URL
    confidential: bool = False  # "place": print the call-first sentence, never an address

    @property
    def plain_parts(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.parts if p.text)


Composer = Callable[[ServiceView, Column], "Line | None"]


def in_display_order(columns: tuple[Column, ...]) -> tuple[Column, ...]:
    """Columns by section (``SECTIONS``), then ``Column.order``, then their place in the table."""
    ranked = sorted(enumerate(columns), key=lambda item: (SECTIONS.index(item[1].section), item[1].order, item[0]))
    return tuple(column for _, column in ranked)


_DISPLAY_ORDER = in_display_order(SERVICES_COLUMNS)


def service_lines(service: ServiceView, columns: tuple[Column, ...] | None = None) -> list[Line]:
    """The lines of one entry, in display order; ``columns``: another table (tests), else the template's."""
    ordered = _DISPLAY_ORDER if columns is None else in_display_order(columns)
    return [line for column in ordered if (line := _line(service, column)) is not None]


def lines_in(lines: list[Line], *sections: Section) -> list[Line]:
    """The lines of some sections, in the order the sections are named (the web page reorders them)."""
    return [line for section in sections for line in lines if line.section == section]


def _line(service: ServiceView, column: Column) -> Line | None:
    composer = _COMPOSERS.get(column.key)
    if composer is not None:
        return composer(service, column)
    if column.kind == "hidden":
        return None
    return _KINDS[column.kind](service, column)


def _make(column: Column, **fields: object) -> Line:
    """A line with the column's own label, icon, kind and section."""
    base: dict[str, object] = {"key": column.key, "kind": column.kind, "section": column.section,
                               "label": gettext_(column.output_label), "icon": column.icon}
    return Line(**{**base, **fields})  # type: ignore[arg-type]


# ------------------------------------------------------------------------------- lines by display kind


def _as_text(value: ColumnValue) -> str:
    if isinstance(value, tuple):
        return ", ".join(str(v) for v in value)
    if isinstance(value, dt.date):
        return format_date(value)
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _text_line(service: ServiceView, column: Column) -> Line | None:
    value = service.value(column.key)
    if value in (None, "", ()):
        return None
    assert value is not None
    workbook = isinstance(value, str)  # a number, a date or language names are not workbook text
    return _make(column, parts=(Part(_as_text(value), workbook=workbook),))


def vocabulary_label(vocabulary: Vocabulary | None, code: str) -> str:
    """A code's label in the active language; an unknown code is shown as it is rather than failing."""
    if vocabulary is None or code not in vocabulary.codes:
        return code
    return vocabulary.label(code)


def _labels_line(service: ServiceView, column: Column) -> Line | None:
    value = service.value(column.key)
    codes = value if isinstance(value, tuple) else (value,) if isinstance(value, str) and value else ()
    if not codes:
        return None
    text = ", ".join(vocabulary_label(column.vocabulary, str(code)) for code in codes)
    return _make(column, parts=(Part(text, workbook=False),))


def _phones_line(service: ServiceView, column: Column) -> Line | None:
    phones = tuple(p for p in service.value(column.key) or () if isinstance(p, PhoneView))  # type: ignore[union-attr]
    return _make(column, phones=phones) if phones else None


def _link_line(service: ServiceView, column: Column) -> Line | None:
    value = service.value(column.key)
    return _make(column, link=value) if isinstance(value, str) and value else None


def _badge_line(service: ServiceView, column: Column) -> Line | None:
    return _make(column) if service.value(column.key) is True else None


def _person_line(service: ServiceView, column: Column) -> Line | None:
    name = service.value(column.key)
    phones = service.value(column.with_column) if column.with_column else None
    numbers = tuple(p for p in phones or () if isinstance(p, PhoneView))  # type: ignore[union-attr]
    if not name and not numbers:
        return None
    parts = (Part(str(name)),) if name else ()
    return _make(column, parts=parts, phones=numbers)


def _place_line(service: ServiceView, column: Column) -> Line | None:
    """The address; for a confidential place only the fact that it is one (the view holds no address)."""
    if service.confidential:
        return _make(column, icon="lock", confidential=True)
    address = service.value(column.key)
    if not address and service.latitude is None:
        return None  # a map link needs coordinates: the web page shows one without an address
    return _make(column, parts=(Part(str(address)),) if address else ())


_KINDS: dict[DisplayKind, Composer] = {
    "paragraph": _text_line,
    "line": _text_line,
    "labels": _labels_line,
    "phones": _phones_line,
    "messages": _phones_line,
    "email": _link_line,
    "link": _link_line,
    "badge": _badge_line,
    "person": _person_line,
    "place": _place_line,
}


# --------------------------------------------------------- lines that show more than one column's value


def ages(service: ServiceView) -> str:
    """"12 to 18 years", "18 years and older"... or "" when the entry names no age."""
    low, high = service.min_age, service.max_age
    if low is not None and high is not None:
        return label("ages_range", min=low, max=high)
    if low is not None:
        return label("ages_min", min=low)
    if high is not None:
        return label("ages_max", max=high)
    return ""


def _status_line(service: ServiceView, column: Column) -> Line | None:
    if service.status != "temporarily_closed":
        return None
    return _make(column, kind="notice", label=label("temporarily_closed"), icon="warning")


def _who_line(service: ServiceView, column: Column) -> Line | None:
    who = ", ".join(vocabulary_label(BENEFICIARIES, code) for code in service.beneficiaries)
    parts = tuple(Part(text, workbook=False) for text in (who, ages(service)) if text)
    return _make(column, parts=parts) if parts else None


def _cost_line(service: ServiceView, column: Column) -> Line | None:
    cost = Part(vocabulary_label(COST, service.cost), workbook=False, stress="screen")
    details = (Part(service.cost_details),) if service.cost_details else ()
    return _make(column, parts=(cost, *details), joiner="detail")


def _how_line(service: ServiceView, column: Column) -> Line | None:
    parts: list[Part] = [Part(service.how_to_get_help)] if service.how_to_get_help else []
    if service.referral_needed is not None:
        rule = label("referral_needed") if service.referral_needed else label("no_referral_needed")
        parts.append(Part(rule, workbook=False, stress="screen", role="referral"))
    return _make(column, parts=tuple(parts), joiner="paragraphs") if parts else None


def _hours_line(service: ServiceView, column: Column) -> Line | None:
    always = (Part(column_label("open_24h"), workbook=False, stress="always"),) if service.open_24h else ()
    hours = (Part(service.hours),) if service.hours else ()
    return _make(column, parts=(*always, *hours)) if always or hours else None


_COMPOSERS: dict[str, Composer] = {
    "status": _status_line,
    "beneficiaries": _who_line,
    "cost": _cost_line,
    "how_to_get_help": _how_line,
    "hours": _hours_line,
}

