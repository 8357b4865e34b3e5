"""Browser tests: the HTML pages in headless Chromium (Playwright, axe-core)."""
