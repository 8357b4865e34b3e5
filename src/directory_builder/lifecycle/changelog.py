"""The public changelog: what changed in the new edition, safe to print in it (``diff --format markdown``).

It names only entries the public edition shows, by the names the public edition prints, and quotes a
value only where the public edition's view shows that very value (``publish/selection.py`` decides: an
internal column, a confidential address, a place typed into a text are never in the view, so they are
only said to have "changed"). This module sees the diff's entries through their published entries and
imports nothing from the model, the workbook or the checker.
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Any

from directory_builder.columns import ALL_DISTRICTS
from directory_builder.i18n import N_, _, gettext_
from directory_builder.vocab import YES_NO

if TYPE_CHECKING:
    from directory_builder.lifecycle.diff import Changed, DiffResult, Entry, FieldChange

_MD_SPECIAL = re.compile(r"([\\`*_\[\]<>|~#&])")
_ONLY_DATE = ("last_verified",)
#: Where an entry is: never said to have changed when the entry is (or was) confidential.
_PLACE_KEYS = frozenset({"address", "confidential", "latitude", "longitude"})

MD_TITLE = N_("What changed in this edition")
MD_SINCE = N_("Changes since {edition}.")
MD_NEW = N_("New services")
MD_GONE = N_("No longer listed")
MD_CHANGED = N_("Changed")
MD_RECHECKED = N_("Entries checked again, with no other change: {count}.")


def one_line(text: str) -> str:
    return " ".join(text.split())


def display(change: FieldChange, value: str | None) -> str:
    """A canonical value as people read it: list labels instead of codes, translated yes/no."""
    if value is None:
        return _("(empty)")
    col = change.column
    if change.key == "district":
        return gettext_(ALL_DISTRICTS) if value == gettext_(ALL_DISTRICTS, "en") else value
    if col.type == "bool":
        return YES_NO.label(value)
    if col.vocabulary is not None and col.type in ("choice", "multichoice"):
        vocab = col.vocabulary
        return "; ".join(vocab.label(code) if code in vocab.codes else code for code in value.split("; "))
    return value


def md_escape(text: str) -> str:
    """Workbook text in Markdown: one line, every character that could become markup escaped."""
    return _MD_SPECIAL.sub(r"\\\1", one_line(text))


def public_view(result: DiffResult) -> tuple[list[Entry], list[Entry], list[Changed], int]:
    """What the public changelog may name: added, removed, changed entries of the public edition."""
    added = [a.entry for a in result.added if a.entry.public]
    removed = [r.entry for r in result.removed if r.entry.public]
    changed: list[Changed] = []
    rechecked = 0
    for c in result.changed:
        if c.new.public and not c.old.public:
            added.append(c.new)
        elif c.old.public and not c.new.public:
            removed.append(c.old)
        elif c.old.public and c.new.public:
            fields = tuple(f for f in c.fields if _may_mention(f, c))
            if not fields:
                continue  # only what the public edition never shows changed
            if all(f.key in _ONLY_DATE for f in fields):
                rechecked += 1
            else:
                changed.append(dataclasses.replace(c, fields=fields))
    return added, removed, changed, rechecked


def _may_mention(change: FieldChange, entry: Changed) -> bool:
    """Whether the public changelog may even say that this field changed. An internal column is none of the
    public's business, and a confidential place that "changed" (or became confidential) tells a reader
    that the old edition printed where it is."""
    if change.column.visibility != "public":
        return False
    return not (change.key in _PLACE_KEYS and (entry.old.confidential or entry.new.confidential))


def format_markdown(result: DiffResult) -> str:
    """The printed changelog, grouped by district; only the public edition's entries, no private values."""
    added, removed, changed, rechecked = public_view(result)
    lines = [f"# {_(MD_TITLE)}", ""]
    if result.old_edition:
        lines += [md_escape(_(MD_SINCE).format(edition=result.old_edition)), ""]
    lines += [md_escape(_("{added} new, {removed} no longer listed, {changed} changed.").format(
        added=len(added), removed=len(removed), changed=len(changed))), ""]
    groups: dict[str, tuple[list[Entry], list[Entry], list[Changed]]] = {}
    for e in added:
        groups.setdefault(_district(e), ([], [], []))[0].append(e)
    for e in removed:
        groups.setdefault(_district(e), ([], [], []))[1].append(e)
    for c in changed:
        groups.setdefault(_district(c.new), ([], [], []))[2].append(c)
    for district in sorted(groups, key=lambda d: (result.district_rank(d), d)):
        new_entries, gone, changes = groups[district]
        lines += [f"## {md_escape(district or gettext_(ALL_DISTRICTS))}", ""]
        if new_entries:
            lines += [f"### {_(MD_NEW)}", ""]
            lines += [f"- {_md_entry(e)}" for e in sorted(new_entries, key=result.sort_key)] + [""]
        if gone:
            lines += [f"### {_(MD_GONE)}", ""]
            lines += [f"- {_md_entry(e)}" for e in sorted(gone, key=result.sort_key)] + [""]
        if changes:
            lines += [f"### {_(MD_CHANGED)}", ""]
            for c in sorted(changes, key=lambda c: result.sort_key(c.new)):
                lines.append(f"- {_md_entry(c.new)}")
                lines += [f"  - {_md_field(f)}" for f in c.fields]
            lines.append("")
    if rechecked:
        lines += [md_escape(_(MD_RECHECKED).format(count=rechecked)), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def _published(e: Entry) -> Any:
    assert e.published is not None, "only entries of the public edition reach the changelog"
    return e.published


def _district(e: Entry) -> str:
    return _published(e).district or ""


def _md_entry(e: Entry) -> str:
    view = _published(e).view  # the names the public edition prints (a place typed into them is taken out)
    return f"**{md_escape(view.name)}** ({md_escape(view.organization)})"


def _md_field(f: FieldChange) -> str:
    label = md_escape(f.label())
    if f.private:
        changed = _("changed")  # not inside the f-string: the catalog extractor does not look there
        return f"{label}: {changed}"
    return f"{label}: {md_escape(display(f, f.old))} → {md_escape(display(f, f.new))}"
