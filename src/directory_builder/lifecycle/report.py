"""The staff report: coverage of categories by district, gaps in plain words, and a call list of stale entries.

Coverage counts the services the directories publish (status active or temporarily closed, Publish
public or practitioners: ``selection.is_published`` for the practitioner edition), per district,
with the "All districts" services shown separately. A gap is a category that a district's directory
does not list at all: no service of the district and none for all districts.

The call list holds the focal points' names and phone numbers, which are internal: this report is for
staff only and never goes into a public output. Every format says so at the top.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from directory_builder.check.validate import Readable, validate_leniently
from directory_builder.columns import ALL_DISTRICTS
from directory_builder.i18n import N_, _, current_language, format_date, gettext_
from directory_builder.model import Service
from directory_builder.publish.selection import is_published
from directory_builder.publish.view import Edition
from directory_builder.util.dates import months_before
from directory_builder.vocab import CATEGORIES, ORG_TYPES

INTERNAL_NOTICE = N_("For staff only. This report lists focal points and their phone numbers: never publish it, "
                     "print it in a directory or share it outside your team.")
COUNTING_NOTE = N_("Counts include every published service (public and for practitioners only) that is active "
                   "or temporarily closed.")


@dataclass(frozen=True)
class StaleEntry:
    """One line of the call list."""

    id: str
    row: int
    organization: str
    service: str
    district: str  # "" for all districts
    last_verified: dt.date
    focal_point: str | None
    focal_point_phone: str | None  # international form(s), '; '-joined

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "row": self.row, "organization": self.organization, "service": self.service,
                "district": self.district or None, "last_verified": self.last_verified.isoformat(),
                "focal_point": self.focal_point, "focal_point_phone": self.focal_point_phone}


@dataclass(frozen=True)
class Report:
    workbook: str
    title: str | None
    edition: str | None
    today: dt.date
    review_after_months: int
    cutoff: dt.date  # entries verified before this day are stale
    districts: tuple[str, ...]
    coverage: dict[str, dict[str, int]]  # district -> category -> services of that district
    all_districts: dict[str, int]  # category -> services for all districts
    stale: tuple[StaleEntry, ...]
    by_org_type: tuple[tuple[str, int, int], ...]  # (type code, services, organizations)
    by_category: tuple[tuple[str, int], ...]  # (category code, services)
    services: int  # published services counted
    errors: int  # validation errors in the workbook

    @property
    def categories(self) -> tuple[str, ...]:
        return CATEGORIES.codes

    def count(self, district: str, category: str) -> int:
        return self.coverage.get(district, {}).get(category, 0)

    def gaps(self) -> list[tuple[str, list[str]]]:
        """Per district, the categories its directory lists no service for at all."""
        result = []
        for d in self.districts:
            missing = [c for c in self.categories if not self.count(d, c) and not self.all_districts.get(c)]
            if missing:
                result.append((d, missing))
        return result

    def only_everywhere(self) -> list[tuple[str, list[str]]]:
        """Per district, the categories covered only by services for all districts."""
        result = []
        for d in self.districts:
            weak = [c for c in self.categories if not self.count(d, c) and self.all_districts.get(c)]
            if weak:
                result.append((d, weak))
        return result

    def cell_state(self, district: str, category: str) -> str:
        """'gap', 'everywhere' (only all-district services), or 'n1', 'n2', 'n3' (1, 2, 3+ services)."""
        n = self.count(district, category)
        if n:
            return f"n{min(n, 3)}"
        return "everywhere" if self.all_districts.get(category) else "gap"


# ------------------------------------------------------------------------------------------- building


def make_report(workbook: Path, today: dt.date | None = None, *, edition: Edition = "practitioners") -> Report:
    """Read ``workbook`` (errors allowed: what can be read is reported) and build the report."""
    today = today or dt.date.today()
    loaded = validate_leniently(Path(workbook), today=today)
    return build_report(loaded, today, edition=edition)


def build_report(loaded: Readable, today: dt.date, *, edition: Edition = "practitioners") -> Report:
    settings = loaded.settings
    services = [s for s in loaded.services if is_published(s, edition)]
    districts = tuple(d.name for d in loaded.districts)
    coverage: dict[str, dict[str, int]] = {d: {} for d in districts}
    everywhere: Counter[str] = Counter()
    for s in services:
        for code in s.categories:
            if s.all_districts:
                everywhere[code] += 1
            elif s.district in coverage:
                coverage[s.district][code] = coverage[s.district].get(code, 0) + 1
    cutoff = months_before(today, loaded.review_after_months)
    stale = tuple(sorted((_stale(s, loaded.default_lang) for s in services if s.last_verified < cutoff),
                         key=lambda e: (e.last_verified, e.organization.casefold(), e.service.casefold(), e.id)))
    return Report(
        workbook=loaded.path.name,
        title=(settings.title.get(loaded.default_lang, loaded.default_lang) if settings else None),
        edition=settings.edition_name if settings else None,
        today=today,
        review_after_months=loaded.review_after_months,
        cutoff=cutoff,
        districts=districts,
        coverage=coverage,
        all_districts=dict(everywhere),
        stale=stale,
        by_org_type=_by_org_type(services),
        by_category=tuple((c, sum(1 for s in services if c in s.categories)) for c in CATEGORIES.codes),
        services=len(services),
        errors=len(loaded.result.errors),
    )


def _stale(s: Service, lang: str) -> StaleEntry:
    return StaleEntry(
        id=s.id, row=s.row, organization=s.organization,
        service=s.service_name.get(lang, lang) or s.organization,
        district="" if s.all_districts else s.district,
        last_verified=s.last_verified,
        focal_point=s.focal_point,
        focal_point_phone="; ".join(p.international for p in s.focal_point_phone) or None,
    )


def _by_org_type(services: list[Service]) -> tuple[tuple[str, int, int], ...]:
    rows = []
    for code in ORG_TYPES.codes:
        mine = [s for s in services if s.organization_type == code]
        orgs = {" ".join(s.organization.split()).casefold() for s in mine}
        rows.append((code, len(mine), len(orgs)))
    return tuple(rows)


# ------------------------------------------------------------------------------------------- words


def category_phrase(code: str) -> str:
    """'Legal help' -> 'legal help': a category label inside a sentence (acronyms keep their case)."""
    label = CATEGORIES.label(code)
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def _join(items: list[str]) -> str:
    from babel.lists import format_list

    from directory_builder.i18n import babel_locale

    try:
        return format_list(items, locale=babel_locale(current_language()))
    except Exception:  # a locale without list patterns
        return ", ".join(items)


def gap_sentence(district: str, categories: list[str]) -> str:
    """'Kabupaten Cianjur has no shelter and no legal aid.' (translatable, list joined the local way)."""
    items = [_("no {category}").format(category=category_phrase(c)) for c in categories]
    return _("{district} has {missing}.").format(district=district, missing=_join(items))


def everywhere_sentence(district: str, categories: list[str]) -> str:
    names = _join([category_phrase(c) for c in categories])
    return _("In {district}, only services for all districts offer {categories}.").format(
        district=district, categories=names)


def errors_sentence(count: int) -> str:
    return _("The workbook has errors ({count}): rows with errors may be missing from this report.").format(
        count=count)


def district_name(name: str) -> str:
    return name or gettext_(ALL_DISTRICTS)


# ------------------------------------------------------------------------------------------- output


def render_report(report: Report, fmt: str) -> str:
    if fmt == "json":
        return json.dumps(report_dict(report), ensure_ascii=False, indent=2)
    if fmt == "html":
        return render_html(report)
    return render_text(report)


def report_dict(report: Report) -> dict[str, Any]:
    return {
        "notice": _(INTERNAL_NOTICE),
        "internal": True,
        "workbook": report.workbook,
        "title": report.title,
        "edition": report.edition,
        "today": report.today.isoformat(),
        "review_after_months": report.review_after_months,
        "stale_before": report.cutoff.isoformat(),
        "services": report.services,
        "errors": report.errors,
        "coverage": {
            "categories": list(report.categories),
            "districts": {d: {c: report.count(d, c) for c in report.categories} for d in report.districts},
            "all_districts": {c: report.all_districts.get(c, 0) for c in report.categories},
        },
        "gaps": [{"district": d, "categories": cats, "sentence": gap_sentence(d, cats)} for d, cats in report.gaps()],
        "only_all_districts": [{"district": d, "categories": cats} for d, cats in report.only_everywhere()],
        "stale": [e.to_dict() for e in report.stale],
        "by_organization_type": [{"type": code, "services": n, "organizations": orgs}
                                 for code, n, orgs in report.by_org_type],
        "by_category": [{"category": code, "services": n} for code, n in report.by_category],
    }


def _table(header: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(str(h).ljust(w) for h, w in zip(header, widths, strict=True)).rstrip(), line]
    out += ["  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return out


def render_text(report: Report) -> str:
    lines = ["*** " + _(INTERNAL_NOTICE) + " ***", ""]
    lines.append(_("Report on {workbook}, {date}.").format(workbook=report.title or report.workbook,
                                                           date=format_date(report.today)))
    lines.append(_("{count} published services.").format(count=report.services) + " " + _(COUNTING_NOTE))
    if report.errors:
        lines.append(errors_sentence(report.errors))
    lines += ["", _("Coverage: services by category and district"), ""]
    keys = [f"[{i}]" for i in range(1, len(report.districts) + 1)]
    header = [_("Category"), *keys, _("All districts")]
    rows = [[CATEGORIES.label(c), *[str(report.count(d, c)) for d in report.districts],
             str(report.all_districts.get(c, 0))] for c in report.categories]
    lines += _table(header, rows)
    lines += [f"  {k} {d}" for k, d in zip(keys, report.districts, strict=True)]
    lines += ["", _("Gaps")]
    gaps = report.gaps()
    lines += [f"- {gap_sentence(d, cats)}" for d, cats in gaps] or [_("Every district lists every category.")]
    for d, cats in report.only_everywhere():
        lines.append(f"- {everywhere_sentence(d, cats)}")
    lines += ["", _("Call list: entries last verified before {date} ({months} months)").format(
        date=format_date(report.cutoff), months=report.review_after_months), ""]
    if report.stale:
        lines += _table(
            [_("Organization"), _("Service"), _("District"), _("Last verified"), _("Focal point"), _("Phone")],
            [[e.organization, e.service, district_name(e.district), e.last_verified.isoformat(),
              e.focal_point or "-", e.focal_point_phone or "-"] for e in report.stale])
    else:
        lines.append(_("No entry needs checking."))
    lines += ["", _("Services by organization type"), ""]
    lines += _table([_("Organization type"), _("Services"), _("Organizations")],
                    [[ORG_TYPES.label(code), str(n), str(orgs)] for code, n, orgs in report.by_org_type])
    lines += ["", _("Services by category"), ""]
    lines += _table([_("Category"), _("Services")], [[CATEGORIES.label(c), str(n)] for c, n in report.by_category])
    return "\n".join(lines) + "\n"


def render_html(report: Report) -> str:
    """A self-contained page (inline CSS, no scripts, no external requests) with the coverage heat map."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    from directory_builder.util.templates_path import BUILTIN_TEMPLATES

    env = Environment(loader=FileSystemLoader(str(BUILTIN_TEMPLATES / "report")),
                      autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.globals["_"] = gettext_
    template = env.get_template("report.html")
    return template.render(
        r=report,
        lang=current_language(),
        notice=_(INTERNAL_NOTICE),
        counting_note=_(COUNTING_NOTE),
        date=format_date,
        category_label=CATEGORIES.label,
        org_type_label=ORG_TYPES.label,
        district_name=district_name,
        gap_sentence=gap_sentence,
        everywhere_sentence=everywhere_sentence,
        errors_sentence=errors_sentence,
        max_count=max((n for _code, n in report.by_category), default=0),
    )
