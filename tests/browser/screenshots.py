"""Make the web-page screenshots in docs/images/ from the bundled example (a maintainer's tool, not a test).

    python tests/browser/screenshots.py            # writes docs/images/html-phone.png and html-desktop.png

Builds the example's web pages into a temporary folder, opens one district page in Debian's headless
Chromium at phone (360 px) and desktop (1280 px) width, and saves palette PNGs small enough for the docs.
"""

from __future__ import annotations

import io
import sys
import tempfile
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from directory_builder.build.runner import BuildOptions, build_directory  # noqa: E402

EXAMPLE = ROOT / "examples" / "jakarta-westjava.xlsx"
IMAGES = ROOT / "docs" / "images"
PAGE = "en/kabupaten-cianjur.html"
SHOTS: dict[str, tuple[int, int, Literal["light", "dark"]]] = {  # file: (width, height, colour scheme)
    "html-phone.png": (360, 1000, "light"),
    "html-desktop.png": (1280, 900, "light"),
}
MAX_BYTES = 200_000


def _small_png(png: bytes) -> bytes:
    """The screenshot as a 64-colour palette PNG: text and flat colours survive, the file stays small."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    out = io.BytesIO()
    image.quantize(colors=64, method=Image.Quantize.MEDIANCUT).save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> int:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        result = build_directory(EXAMPLE, BuildOptions(out=out, formats=("html",), jobs=1, incremental=False))
        if not result.built or result.failures:
            print("the example did not build", result.failures, file=sys.stderr)
            return 1
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
            for name, (width, height, scheme) in SHOTS.items():
                page = browser.new_page(viewport={"width": width, "height": height}, color_scheme=scheme)
                page.goto((out / PAGE).as_uri())
                data = _small_png(page.screenshot())
                if len(data) > MAX_BYTES:
                    print(f"{name}: {len(data)} bytes is too big for the docs", file=sys.stderr)
                    return 1
                (IMAGES / name).write_bytes(data)
                print(f"{IMAGES / name}: {len(data)} bytes")
                page.close()
            browser.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
