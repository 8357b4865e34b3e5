"""report: coverage by district with gaps in plain words, the stale call list, counts; text, JSON, HTML."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup

from directory_builder.i18n import use_language
from directory_builder.lifecycle.report import Report, gap_sentence, make_report, render_report
from directory_builder.vocab import CATEGORIES
from workbook_factory import make_workbook, service

TODAY = dt.date(2026, 3, 1)
ALL_BUT_SHELTER_AND_LEGAL = "; ".join(c for c in CATEGORIES.codes if c not in ("shelter", "legal"))


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Report:
    path = make_workbook(tmp_path_factory.mktemp("report") / "w.xlsx", services=[
        service(id="J1", service_name="Jakarta everything", categories="; ".join(CATEGORIES.codes)),
        service(id="J2", service_name="Second shelter", categories="shelter", organization="Org B",
                organization_type="government", last_verified=dt.date(2024, 6, 1), focal_point="Ibu Sari",
                focal_point_phone="0812 3456 7890"),
        service(id="C1", service_name="Cianjur <b>clinic</b>", district="Kabupaten Cianjur",
                categories=ALL_BUT_SHELTER_AND_LEGAL, last_verified=dt.date(2025, 2, 27)),
        service(id="C2", service_name="Closed shelter", district="Kabupaten Cianjur", categories="shelter",
                status="closed", last_verified=dt.date(2020, 1, 1)),
        service(id="C3", service_name="Unpublished legal", district="Kabupaten Cianjur", categories="legal",
                publish="no"),
        service(id="C4", service_name="Practitioner hotline", district="Kabupaten Cianjur", categories="hotline",
                publish="practitioners", last_verified=dt.date(2025, 3, 1)),
        service(id="ALL", service_name="National hotline", district="All districts", categories="hotline",
                organization="Org B", organization_type="government"),
    ])
    return make_report(path, today=TODAY)


def test_coverage_counts_published_services_by_district(report: Report) -> None:
    assert report.districts == ("Jakarta Pusat", "Kabupaten Cianjur")
    assert report.count("Jakarta Pusat", "shelter") == 2
    assert report.count("Kabupaten Cianjur", "shelter") == 0  # the closed one does not count
    assert report.count("Kabupaten Cianjur", "legal") == 0  # nor the unpublished one
    assert report.count("Kabupaten Cianjur", "hotline") == 2  # practitioner-only entries do count
    assert report.all_districts == {"hotline": 1}
    assert report.services == 5


def test_gaps_are_named_plainly(report: Report) -> None:
    assert report.gaps() == [("Kabupaten Cianjur", ["shelter", "legal"])]
    assert gap_sentence("Kabupaten Cianjur", ["shelter", "legal"]) == \
        "Kabupaten Cianjur has no safe place to stay and no legal help."
    with use_language("id"):
        translated = gap_sentence("Kabupaten Cianjur", ["shelter", "legal"])
    assert "Kabupaten Cianjur" in translated and translated != ""


def test_stale_call_list(report: Report) -> None:
    # Review period 12 months before 2026-03-01: verified before 2025-03-01 is stale; oldest first.
    assert report.cutoff == dt.date(2025, 3, 1)
    assert [e.id for e in report.stale] == ["J2", "C1"]
    first = report.stale[0]
    assert (first.organization, first.service, first.district, first.focal_point, first.focal_point_phone) == \
        ("Org B", "Second shelter", "Jakarta Pusat", "Ibu Sari", "+62 812-3456-7890")


def test_counts_by_organization_type_and_category(report: Report) -> None:
    types = {code: (n, orgs) for code, n, orgs in report.by_org_type}
    assert types["government"] == (2, 1) and types["ngo"] == (3, 1)
    categories = dict(report.by_category)
    assert categories["shelter"] == 2 and categories["hotline"] == 4


def test_text_report(report: Report) -> None:
    text = render_report(report, "text")
    assert text.splitlines()[0].startswith("*** For staff only")
    assert "Kabupaten Cianjur has no safe place to stay and no legal help." in text
    assert re.search(r"Org B\s+Second shelter\s+Jakarta Pusat\s+2024-06-01\s+Ibu Sari\s+\+62 812-3456-7890", text)


def test_json_report(report: Report) -> None:
    data = json.loads(render_report(report, "json"))
    assert data["internal"] is True and "staff only" in data["notice"]
    assert data["coverage"]["districts"]["Kabupaten Cianjur"]["hotline"] == 2
    assert data["coverage"]["all_districts"]["hotline"] == 1
    assert data["gaps"] == [{"district": "Kabupaten Cianjur", "categories": ["shelter", "legal"],
                             "sentence": "Kabupaten Cianjur has no safe place to stay and no legal help."}]
    assert [e["id"] for e in data["stale"]] == ["J2", "C1"]


def test_html_report_is_self_contained_accessible_and_escaped(report: Report) -> None:
    html = render_report(report, "html")
    soup: Any = BeautifulSoup(html, "html.parser")
    csp = soup.find("meta", attrs={"http-equiv": "Content-Security-Policy"})
    assert csp is not None and "default-src 'none'" in csp["content"]
    assert not soup.find_all("script") and not soup.find_all("link")
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", html)
    assert "staff only" in soup.find("header").get_text().lower()
    assert "<b>clinic</b>" not in html and "&lt;b&gt;clinic&lt;/b&gt;" in html
    heat = soup.find("table", class_="heat")
    columns = [th.get_text(strip=True) for th in heat.find("thead").find_all("th")]
    assert columns == ["Category", "Jakarta Pusat", "Kabupaten Cianjur", "All districts"]
    rows = {tr.find("th").get_text(strip=True): tr.find_all("td") for tr in heat.find("tbody").find_all("tr")}
    assert len(rows) == 16
    shelter = rows["Safe place to stay"]
    # The number is always in the cell (colour is never the only carrier); a gap is also said in words.
    assert shelter[0].get_text(strip=True) == "2" and "n2" in shelter[0]["class"]
    assert shelter[1].get_text(" ", strip=True).startswith("0") and "gap" in shelter[1]["class"]
    assert "(gap)" in shelter[1].get_text()
    assert all(td.get_text(strip=True)[:1].isdigit() for tds in rows.values() for td in tds)
    calls = soup.find("table", class_="calls")
    assert [td.get_text(strip=True) for td in calls.find("tbody").find("tr").find_all("td")][:6] == \
        ["Org B", "Second shelter", "Jakarta Pusat", "2024-06-01", "Ibu Sari", "+62 812-3456-7890"]


def test_report_is_deterministic(report: Report) -> None:
    for fmt in ("text", "json", "html"):
        assert render_report(report, fmt) == render_report(report, fmt)


def test_report_reads_a_workbook_with_errors(tmp_path: Path) -> None:
    path = make_workbook(tmp_path / "bad.xlsx", services=[service(id="A"), service(id="B", cost="??")])
    rep = make_report(path, today=TODAY)
    assert rep.errors == 1 and rep.services == 1
    assert "The workbook has errors (1)" in render_report(rep, "text")
    assert "The workbook has errors (1)" in render_report(rep, "html")


def test_cli_report(tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from directory_builder.cli import app

    path = make_workbook(tmp_path / "w.xlsx", services=[service()])
    run = CliRunner().invoke(app, ["report", str(path), "--format", "html", "--out", str(tmp_path / "r.html")])
    assert run.exit_code == 0, run.output
    assert "Content-Security-Policy" in (tmp_path / "r.html").read_text(encoding="utf-8")
