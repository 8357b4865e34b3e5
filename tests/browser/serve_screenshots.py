"""Make the staff-page screenshots in docs/images/ (a maintainer's tool, not a test): a new user's walk in
Indonesian, from the start screen to the finished build.

    python tests/browser/serve_screenshots.py   # writes docs/images/serve-*.png

Starts the server in a thread, uploads a workbook with an error and the bundled example, previews one
district, builds its web pages, and saves each screen at 800 px as a small palette PNG.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT)]

from tests.browser.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.browser.screenshots import IMAGES, MAX_BYTES, _small_png  # noqa: E402
from tests.browser.serve_server import running_server  # noqa: E402
from tests.workbook_factory import make_workbook, service  # noqa: E402

EXAMPLE = ROOT / "examples" / "jakarta-westjava.xlsx"
WIDTH = 800


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp, running_server(Path(tmp), language="id") as server, \
            sync_playwright() as pw:
        broken = make_workbook(Path(tmp) / "direktori.xlsx", [service(phone="bukan nomor", district="Bogor")])
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": WIDTH, "height": 900})
        shots: dict[str, bytes] = {}
        page.goto(server.guard.opening_address)
        shots["serve-start.png"] = page.screenshot()
        for workbook in (broken, EXAMPLE):
            page.goto(server.base + "/")
            page.set_input_files("#workbook", str(workbook))
            page.click("form[action='/upload'] button")
            page.wait_for_url("**/u/*")
            if workbook == broken:
                shots["serve-problems.png"] = page.screenshot()
        page.select_option("#pv-district", "Kota Bandung")
        page.click("form[action$='/preview'] button")
        page.wait_for_selector(".pages img", timeout=120_000)
        page.wait_for_timeout(500)
        shots["serve-preview.png"] = page.screenshot(full_page=True)
        page.click("main a[href^='/u/']")
        page.uncheck("#f-pdf")
        page.check("#ed-practitioners")
        page.click("form[action$='/build'] button")
        page.wait_for_selector("a[href$='/all.zip']", timeout=300_000)
        shots["serve-build.png"] = page.screenshot()
        browser.close()
    for name, png in shots.items():
        data = _small_png(png)
        if len(data) > MAX_BYTES:
            print(f"{name}: {len(data)} bytes is too big for the docs", file=sys.stderr)
            return 1
        (IMAGES / name).write_bytes(data)
        print(f"{IMAGES / name}: {len(data)} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
