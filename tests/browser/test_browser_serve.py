"""The staff web page (``directory-builder serve``) in real Chromium: from the opening address to the zip.

A real server on a free port in a thread; a small workbook and one format keep it fast. axe-core runs on
every screen, and every screen is checked at 360 px for horizontal scrolling.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.browser.serve_server import Running, running_server
from tests.browser.test_browser_html import AXE_TAGS
from tests.workbook_factory import make_workbook, service

pytestmark = pytest.mark.browser
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "jakarta-westjava.xlsx"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    with running_server(tmp_path_factory.mktemp("serve")) as running:
        yield running


@pytest.fixture(scope="module")
def workbooks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("books")
    return {
        "good": make_workbook(folder / "small.xlsx", [
            service(service_name="Rumah Aman", confidential="yes", address="Jl. Rahasia 9"),
            service(service_name="Bantuan Hukum", categories="legal", district="Kabupaten Cianjur")]),
        "broken": make_workbook(folder / "broken.xlsx", [service(phone="not a phone")]),
    }


@pytest.fixture
def page(chromium: Any, server: Running) -> Iterator[Any]:
    context = chromium.new_context(viewport={"width": 360, "height": 800}, bypass_csp=True, accept_downloads=True)
    page = context.new_page()
    page.goto(server.guard.opening_address)
    yield page
    context.close()


def check_screen(page: Any, axe_script: Path) -> None:
    """No axe-core violation, and nothing wider than the 360 px screen."""
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.add_script_tag(path=str(axe_script))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, "
                           "resultTypes: ['violations']})", AXE_TAGS)
    violations = [f"{v['id']}: {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]]
    assert violations == [], violations


def upload(page: Any, path: Path) -> None:
    page.goto("/".join(page.url.split("/", 3)[:3]) + "/")
    page.set_input_files("#workbook", str(path))
    page.click("form[action='/upload'] button")
    page.wait_for_url("**/u/*")


def test_the_key_leaves_the_address_and_the_start_screen_is_usable(page: Any, server: Running,
                                                                    axe_script: Path) -> None:
    assert page.url == server.base + "/"
    assert page.locator("a[href='/template/th.xlsx']").count() == 1
    check_screen(page, axe_script)


def test_a_workbook_with_errors_shows_its_problems(page: Any, workbooks: dict[str, Path], axe_script: Path) -> None:
    upload(page, workbooks["broken"])
    assert page.locator("[role=alert]").first.inner_text().startswith("1 errors")
    rows = page.locator("table.problems tbody tr")
    assert "Services!H3" in rows.first.inner_text() and "not a valid phone number" in rows.first.inner_text()
    assert page.locator("form[action$='/build']").count() == 0
    with page.expect_download() as download:
        page.click("a[href$='/checked.xlsx']")
    assert Path(download.value.path()).read_bytes()[:2] == b"PK"
    check_screen(page, axe_script)


def test_the_example_is_checked(page: Any, axe_script: Path) -> None:
    upload(page, EXAMPLE)
    assert page.locator("[role=status]").first.inner_text().startswith("No errors.")
    assert "Kota Bandung" in page.locator("#pv-district").inner_text()
    check_screen(page, axe_script)


def test_preview_build_and_download_the_zip(page: Any, workbooks: dict[str, Path], axe_script: Path) -> None:
    upload(page, workbooks["good"])
    page.select_option("#pv-district", "Jakarta Pusat")
    page.click("form[action$='/preview'] button")
    page.wait_for_selector(".pages img", timeout=60_000)
    assert page.locator("iframe.page").get_attribute("sandbox") == ""
    assert page.evaluate("[...document.images].every(i => i.complete && i.naturalWidth > 100)")
    check_screen(page, axe_script)
    page.click("main a[href^='/u/']")
    page.uncheck("#f-pdf")
    page.click("form[action$='/build'] button")
    page.wait_for_selector("a[href$='/all.zip']", timeout=60_000)
    check_screen(page, axe_script)
    with page.expect_download() as download:
        page.click("a[href$='/all.zip']")
    archive = zipfile.ZipFile(io.BytesIO(Path(download.value.path()).read_bytes()))
    names = archive.namelist()
    assert download.value.suggested_filename == "directory-public.zip"
    assert {"index.html", "en/jakarta-pusat.html", "en/kabupaten-cianjur.html"} <= set(names)
    assert all(b"Jl. Rahasia 9" not in archive.read(name) for name in names)


def test_without_the_key_or_from_another_site_it_is_refused(chromium: Any, page: Any, server: Running) -> None:
    stranger = chromium.new_context()
    try:
        answer = stranger.new_page().goto(server.base + "/")
        assert answer is not None and answer.status == 403
    finally:
        stranger.close()
    posted = page.request.post(server.base + "/stop", headers={"Origin": "http://evil.example"})
    assert posted.status == 403
    assert page.goto(server.base + "/").status == 200  # still running
