"""Checks across rows: one ID per entry, no entry twice, a confidential place not shown by another entry,
no district left empty. They run on every row's result, cached or not, after all rows are checked."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from openpyxl.utils import get_column_letter

from directory_builder.check import confidential
from directory_builder.check.record import Recorder
from directory_builder.check.rows import FREE_TEXT, PLACE_KEYS, ServicesContext
from directory_builder.model import District, Service, Text
from directory_builder.publish.selection import PUBLISHED_STATUSES
from directory_builder.util.names import skeleton
from directory_builder.vocab import normalise_key
from directory_builder.workbook.reader import ColumnMatch, RawSettings, RawSheet


def duplicate_ids(out: Recorder, sheet: str, match: ColumnMatch | None,
                  typed: Iterable[tuple[int, str | None]]) -> dict[str, int]:
    """Each ID typed in the ID column (row, ID as typed) once; a row that could not become a service takes
    part too, so a repeated ID is reported with the row's other problems. Returns ID skeleton -> first row.

    'JKT-001' and 'JKT\u200b-001' or 'JКT-001' are one ID: they are compared by their skeletons.
    """
    ids: dict[str, int] = {}
    for row, value in typed:
        if value is None:
            continue
        key = skeleton(value)
        if key in ids:
            out.add("duplicate-id", sheet=sheet, row=row, col=match.index if match else None,
                    column=match.header if match else None, value=value, other_row=ids[key])
        else:
            ids[key] = row
    return ids


def possible_duplicates(out: Recorder, sheet: str, services: Iterable[Service], default_lang: str) -> None:
    """The same organization, service name and district twice: a warning naming the first row."""
    signatures: dict[tuple[str, str, str], int] = {}
    for service in services:
        signature = (normalise_key(service.organization),
                     normalise_key(service.service_name.get(default_lang, default_lang) or ""), service.district)
        if signature in signatures:
            out.add("possible-duplicate", sheet=sheet, row=service.row, other_row=signatures[signature])
        else:
            signatures[signature] = service.row


def dedupe_generated_ids(services: Iterable[Service], ids: Mapping[str, int]) -> None:
    """A generated ID never equals a typed one nor another generated one: '-2', '-3' appended."""
    taken = set(ids)  # skeletons of the IDs written in the workbook
    for service in services:
        if not service.id_generated:
            continue
        candidate, n = service.id, 2
        while skeleton(candidate) in taken:
            candidate, n = f"{service.id}-{n}", n + 1
        service.id = candidate
        taken.add(skeleton(candidate))


def shared_places(out: Recorder, sheet: str, services: Sequence[Service], plain: Mapping[str, ColumnMatch]) -> None:
    """Another published entry at a confidential place (same address, or within 50 m) shows where it is:
    an error on both rows, each naming the other, so staff can decide which one is wrong."""
    secrets = [s for s in services if s.confidential and (s.address or s.latitude is not None)]
    if not secrets:
        return

    def located(s: Service) -> confidential.Located:
        return confidential.Located(s.row, s.address, s.latitude, s.longitude, s.district)

    shown = [located(s) for s in services if not s.confidential and s.status in PUBLISHED_STATUSES
             and s.publish != "no" and (s.address or s.latitude is not None)]
    address_m, lat_m = plain.get("address"), plain.get("latitude")
    for clash in confidential.clashes([located(s) for s in secrets], shown):
        m = address_m if clash.how == "address" else lat_m
        col, header = (m.index, m.header) if m else (None, None)
        mine, theirs = (("confidential-address-shared", "address-is-confidential") if clash.how == "address"
                        else ("confidential-place-near", "near-confidential-place"))
        out.add(mine, sheet=sheet, row=clash.secret, col=col, column=header, other_row=clash.shown,
                metres=clash.metres)
        out.add(theirs, sheet=sheet, row=clash.shown, col=col, column=header, other_row=clash.secret,
                metres=clash.metres)


def places_elsewhere(out: Recorder, secrets: confidential.Secrets, settings: RawSettings | None,
                     districts: RawSheet | None) -> None:
    """A confidential place typed on the Directory or Districts sheet: a hotline named after the shelter's
    street, a map link to it as the quick-exit page, its coordinates as the neutral title. Those cells are
    printed on every district's pages, so each is an error naming the cell and the Services row."""
    if not secrets:
        return
    cells: list[tuple[str, int, int, str, object]] = []  # sheet, row, column, label, value
    if settings is not None:
        cells += [(settings.title, row, settings.value_col, label, value) for _key, _lang, row, value, label in settings.values]
    if districts is not None:
        printed = [m for m in districts.columns if m.column.visibility != "never"]
        cells += [(districts.title, row, m.index, m.header, values.get(m.index))
                  for row, values in districts.rows for m in printed]
    leaking: set[tuple[str, str]] = set()  # (sheet, cell)
    for sheet, row, col, label, value in cells:
        for other_row, _kind in secrets.found_in(_as_text(value)):
            leaking.add((sheet, f"{get_column_letter(col)}{row}"))
            out.add("confidential-place-elsewhere", sheet=sheet, row=row, col=col, column=label, other_row=other_row)
    if leaking:  # another problem of these cells would quote the place in the report and in build's log
        out.problems[:] = [p for p in out.problems if not ((p.sheet, p.cell) in leaking and "value" in dict(p.params))]


def places_in_other_rows(out: Recorder, secrets: confidential.Secrets, ctx: ServicesContext,
                         services: Sequence[Service]) -> None:
    """A confidential place typed into another entry's printed text ("next to the safe house at Jl. Melati
    12" in a clinic's description): an error on that cell naming the confidential row. (A row's own place
    in its own cells is ``rows.confidential_cells``; the same address on another row, ``shared_places``.)"""
    if not secrets:
        return
    matches = [m for m in (*ctx.plain.values(), *(m for by_lang in ctx.translations.values() for m in by_lang.values()))
               if m.column.visibility != "never" and m.column.key not in PLACE_KEYS and m.column.type in FREE_TEXT]
    for service in services:
        for m in matches:
            value = getattr(service, m.column.key, None)
            text = value.values.get(m.lang or ctx.default_lang) if isinstance(value, Text) else value
            if not isinstance(text, str):
                continue
            for other_row, _kind in secrets.found_in(text):
                if other_row != service.row:
                    out.add("confidential-place-other-row", sheet=ctx.sheet, row=service.row, col=m.index,
                            column=m.header, other_row=other_row)


def _as_text(value: object) -> str:
    return "" if value is None else str(value)


def empty_districts(out: Recorder, sheet: str, districts: Iterable[District], services: Iterable[Service]) -> None:
    """A district no published service names: its directory would list only the all-district services."""
    published = {s.district for s in services if s.publish != "no" and s.status != "closed"}
    for d in districts:
        if d.name not in published:
            out.add("empty-district", sheet=sheet, row=d.row, value=d.name)
