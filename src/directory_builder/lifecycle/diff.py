"""What changed between two editions of a workbook: entries added, removed and changed, field by field.

Entries are matched by their ID. An entry without an ID of its own (``id_generated``) is matched by
organization, service name and district instead, with a warning that asks for IDs. An entry whose
status became "closed" counts as removed, one that re-opened as added; moving rows around changes
nothing. Both workbooks may have errors: what can be read is compared, and a warning says so.

Three views of one ``DiffResult``: text and JSON for staff (every field, internal ones too), and
Markdown, a changelog that may be printed in the new edition: it names only entries the public edition
shows, and says only "changed" for internal fields and confidential addresses, never their values.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from directory_builder.check.validate import Readable, validate_leniently
from directory_builder.columns import ALL_DISTRICTS, SERVICES_COLUMNS, Column
from directory_builder.i18n import _, gettext_
from directory_builder.lifecycle.changelog import display, format_markdown, one_line
from directory_builder.lifecycle.changelog import md_escape as md_escape  # where callers have always found it
from directory_builder.model import Phone, Service, Text
from directory_builder.publish.selection import PublishedEntry, published_by_row
from directory_builder.publish.view import PhoneView
from directory_builder.vocab import normalise_key

DiffFormat = Literal["text", "json", "markdown"]

#: Compared fields: every column except the ID, which is what entries are matched by.
COMPARED: tuple[Column, ...] = tuple(c for c in SERVICES_COLUMNS if c.key != "id")
_COLUMNS = {c.key: c for c in SERVICES_COLUMNS}


# ------------------------------------------------------------------------------------------- reading


# ------------------------------------------------------------------------------------------- model


@dataclass(frozen=True)
class Entry:
    """Who an entry is, as shown in every diff line."""

    id: str
    id_generated: bool
    row: int
    organization: str
    name: str  # in the workbook's default language
    district: str  # "" for all districts
    status: str
    public: bool  # shown in the public edition (selection.is_published)
    confidential: bool
    #: What the public edition publishes of it (None when it is not in the public edition): the public
    #: changelog names and quotes only this.
    published: PublishedEntry | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "id_generated": self.id_generated, "row": self.row,
                "organization": self.organization, "name": self.name,
                "district": self.district or None, "all_districts": not self.district, "status": self.status}


@dataclass(frozen=True)
class FieldChange:
    key: str  # the column key
    lang: str | None  # for translatable columns
    old: str | None  # canonical values: codes, yes/no, ISO dates, '; '-joined lists
    new: str | None
    private: bool = False  # never shown in the public changelog: internal, or a confidential location

    @property
    def column(self) -> Column:
        return _COLUMNS[self.key]

    @property
    def internal(self) -> bool:
        return self.column.internal

    def label(self) -> str:
        text = gettext_(self.column.label)
        return f"{text} ({self.lang})" if self.lang else text

    def to_dict(self) -> dict[str, Any]:
        return {"field": self.key, "label": self.label(), "language": self.lang, "old": self.old,
                "new": self.new, "internal": self.internal}


@dataclass(frozen=True)
class Added:
    entry: Entry
    reason: Literal["new", "reopened"] = "new"


@dataclass(frozen=True)
class Removed:
    entry: Entry
    reason: Literal["deleted", "closed"] = "deleted"


@dataclass(frozen=True)
class Changed:
    old: Entry
    new: Entry
    fields: tuple[FieldChange, ...]


@dataclass
class DiffResult:
    old: Path
    new: Path
    old_edition: str | None = None
    new_edition: str | None = None
    added: list[Added] = field(default_factory=list)
    removed: list[Removed] = field(default_factory=list)
    changed: list[Changed] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    district_order: list[str] = field(default_factory=list)  # the new edition's districts first

    def district_rank(self, district: str) -> int:
        """The new edition's district order; unknown districts after, "All districts" ("") last."""
        if not district:
            return len(self.district_order) + 1
        return self.district_order.index(district) if district in self.district_order else len(self.district_order)

    def sort_key(self, entry: Entry) -> tuple[int, str, str]:
        return (self.district_rank(entry.district), entry.name.casefold(), entry.id)


# ------------------------------------------------------------------------------------------- comparing


def diff_workbooks(old: Path, new: Path) -> DiffResult:
    """Compare two editions. InputError (exit 2) when either file cannot be read at all."""
    before, after = validate_leniently(Path(old)), validate_leniently(Path(new))
    result = DiffResult(
        Path(old), Path(new),
        before.settings.edition_name if before.settings else None,
        after.settings.edition_name if after.settings else None,
    )
    result.warnings.extend(_error_warnings(before))
    result.warnings.extend(_error_warnings(after))
    result.district_order = [d.name for d in after.districts] + [
        d.name for d in before.districts if d.name not in {x.name for x in after.districts}]
    pairs, only_old, only_new, by_signature = _match(before, after)
    public_before, public_after = (published_by_row(side.services, side.languages, "public")
                                   for side in (before, after))
    if by_signature:
        result.warnings.append(_(
            "Entries without an ID ({count}) were matched by organization, service name and district. Give "
            "every entry an ID ('directory-builder validate {path} --fix-ids copy.xlsx') so that renamed "
            "entries are followed too.").format(count=by_signature, path=new))
    for s in only_new:
        if s.status != "closed":
            result.added.append(Added(_entry(s, after, public_after)))
    for s in only_old:
        if s.status != "closed":
            result.removed.append(Removed(_entry(s, before, public_before)))
    for a, b in pairs:
        ea, eb = _entry(a, before, public_before), _entry(b, after, public_after)
        if a.status == "closed" and b.status == "closed":
            continue
        if b.status == "closed":
            result.removed.append(Removed(ea, "closed"))
        elif a.status == "closed":
            result.added.append(Added(eb, "reopened"))
        else:
            changes = compare_services(a, b, before.languages, after.languages, ea.published, eb.published)
            if changes:
                result.changed.append(Changed(ea, eb, changes))
    result.added.sort(key=lambda x: result.sort_key(x.entry))
    result.removed.sort(key=lambda x: result.sort_key(x.entry))
    result.changed.sort(key=lambda x: result.sort_key(x.new))
    return result


def _error_warnings(loaded: Readable) -> list[str]:
    errors = loaded.result.errors
    if not errors:
        return []
    return [_("{path} has errors ({count}): rows with errors may show as changed or removed. Run "
              "'directory-builder validate {path}' to see them.").format(path=loaded.path, count=len(errors))]


def _signature(s: Service, lang: str) -> tuple[str, str, str]:
    return (normalise_key(s.organization), normalise_key(s.service_name.get(lang, lang) or ""),
            normalise_key(s.district) if not s.all_districts else "*")


def _match(before: Readable, after: Readable) -> tuple[list[tuple[Service, Service]], list[Service], list[Service], int]:
    """Pairs (old, new): by explicit ID first, then by signature where either side has no ID."""
    old_ids = {s.id: s for s in before.services if not s.id_generated}
    pairs: list[tuple[Service, Service]] = []
    paired_old: set[int] = set()
    rest_new: list[Service] = []
    for s in after.services:
        match = old_ids.get(s.id) if not s.id_generated else None
        if match is not None and id(match) not in paired_old:
            pairs.append((match, s))
            paired_old.add(id(match))
        else:
            rest_new.append(s)
    rest_old = [s for s in before.services if id(s) not in paired_old]
    by_sig: dict[tuple[str, str, str], list[Service]] = {}
    for s in rest_old:
        by_sig.setdefault(_signature(s, before.default_lang), []).append(s)
    only_new: list[Service] = []
    matched_by_signature = 0
    for s in rest_new:
        candidates = [c for c in by_sig.get(_signature(s, after.default_lang), [])
                      if (c.id_generated or s.id_generated) and id(c) not in paired_old]
        if candidates:
            pairs.append((candidates[0], s))
            paired_old.add(id(candidates[0]))
            matched_by_signature += 1
        else:
            only_new.append(s)
    only_old = [s for s in rest_old if id(s) not in paired_old]
    return pairs, only_old, only_new, matched_by_signature


def _entry(s: Service, loaded: Readable, public: dict[int, PublishedEntry]) -> Entry:
    published = public.get(s.row)
    return Entry(
        id=s.id, id_generated=s.id_generated, row=s.row, organization=s.organization,
        name=s.service_name.get(loaded.default_lang, loaded.default_lang) or s.organization,
        district="" if s.all_districts else s.district, status=s.status,
        public=published is not None, confidential=s.confidential, published=published,
    )


def canonical(service: Service, key: str, lang: str | None = None) -> str | None:
    """One field of a service as a comparable string (None when blank)."""
    if key == "district":
        return gettext_(ALL_DISTRICTS, "en") if service.all_districts else service.district
    value = getattr(service, key)
    if isinstance(value, Text):
        return value.values.get(lang or "") or None
    return canonical_value(value)


def canonical_value(value: object) -> str | None:
    """A value of the workbook or of a published view as a comparable string: codes and numbers as written
    in the workbook, yes/no, ISO dates, lists '; '-joined, phones in their international form."""
    if value is None or value == [] or value == () or value == "":
        return None
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, list | tuple):
        return "; ".join(p.international if isinstance(p, Phone | PhoneView) else str(p) for p in value)
    return str(value)


def compare_services(old: Service, new: Service, old_langs: Sequence[str] = (), new_langs: Sequence[str] = (),
                     old_public: PublishedEntry | None = None,
                     new_public: PublishedEntry | None = None) -> tuple[FieldChange, ...]:
    """Every field whose value differs, translatable ones per language, in the template's column order.

    A change is ``private`` unless the public edition shows both its values (``old_public``, ``new_public``:
    what ``publish/selection.py`` publishes of each side): the public changelog then says only "changed".
    """
    changes: list[FieldChange] = []
    for col in COMPARED:
        langs: Iterable[str | None] = [None]
        if col.translatable:
            seen = [*new_langs, *old_langs, *getattr(new, col.key).values, *getattr(old, col.key).values]
            langs = list(dict.fromkeys(seen))
        for lang in langs:
            a, b = canonical(old, col.key, lang), canonical(new, col.key, lang)
            if a != b:
                private = not (_published_shows(old_public, col.key, lang, a)
                               and _published_shows(new_public, col.key, lang, b))
                changes.append(FieldChange(col.key, lang, _as_typed(old, col.key, a), _as_typed(new, col.key, b),
                                           private))
    return tuple(changes)


def _as_typed(service: Service, key: str, value: str | None) -> str | None:
    """Phone numbers are compared by the number they dial but shown as the staff typed them."""
    phones = getattr(service, key, None) if value is not None else None
    if isinstance(phones, list) and phones and all(isinstance(p, Phone) for p in phones):
        return "; ".join(p.raw for p in phones)
    return value


def _published_shows(entry: PublishedEntry | None, key: str, lang: str | None, value: str | None) -> bool:
    """The published entry shows exactly ``value`` in this column (a blank shows nothing to hide).

    The view decides: an internal column, a confidential address or a text with the place typed into it is
    absent or different there, so its value is never quoted in print.
    """
    if value is None:
        return True
    if entry is None:
        return False
    if key == "district":  # where an entry is listed is what the public edition is organised by
        return True
    column = _COLUMNS.get(key)
    if column is None or column.visibility == "never":  # a column no edition publishes
        return False
    return canonical_value(entry.value(key, lang)) == value


# ------------------------------------------------------------------------------------------- output


def format_diff(result: DiffResult, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(diff_dict(result), ensure_ascii=False, indent=2)
    if fmt == "markdown":
        return format_markdown(result)
    return format_text(result)


def diff_dict(result: DiffResult) -> dict[str, Any]:
    return {
        "old": {"path": str(result.old), "edition": result.old_edition},
        "new": {"path": str(result.new), "edition": result.new_edition},
        "summary": {"added": len(result.added), "removed": len(result.removed), "changed": len(result.changed)},
        "added": [{**a.entry.to_dict(), "reason": a.reason} for a in result.added],
        "removed": [{**r.entry.to_dict(), "reason": r.reason} for r in result.removed],
        "changed": [{**c.new.to_dict(), "old_id": c.old.id, "fields": [f.to_dict() for f in c.fields]}
                    for c in result.changed],
        "warnings": list(result.warnings),
    }


def _where(entry: Entry) -> str:
    return entry.district or gettext_(ALL_DISTRICTS)


def _title(entry: Entry) -> str:
    """How staff find the entry: its ID when they gave one, else its row (a generated ID is in no cell)."""
    label = _("row {row}").format(row=entry.row) if entry.id_generated else entry.id
    return f"[{label}] {entry.name} ({entry.organization}, {_where(entry)})"


def format_text(result: DiffResult) -> str:
    lines = [_("Changes from {old} to {new}: {added} added, {removed} removed, {changed} changed.").format(
        old=_edition_name(result.old, result.old_edition), new=_edition_name(result.new, result.new_edition),
        added=len(result.added), removed=len(result.removed), changed=len(result.changed))]
    if result.added:
        lines += ["", _("Added")]
        lines += [f"  + {_title(a.entry)}" + (f"  {_('(open again)')}" if a.reason == "reopened" else "")
                  for a in result.added]
    if result.removed:
        lines += ["", _("Removed")]
        lines += [f"  - {_title(r.entry)}  " + (_("(closed)") if r.reason == "closed" else _("(deleted)"))
                  for r in result.removed]
    if result.changed:
        lines += ["", _("Changed")]
        for c in result.changed:
            lines.append(f"  * {_title(c.new)}")
            for f in c.fields:
                lines.append(f"      {f.label()}: {one_line(display(f, f.old))} -> {one_line(display(f, f.new))}")
    return "\n".join(lines)


def _edition_name(path: Path, edition: str | None) -> str:
    return f"{path.name} ({edition})" if edition else path.name


