"""Browser tests: Debian's Chromium, headless, driven by Playwright (no browser download)."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest

from tests.live import serving

CHROMIUM = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def extra_data() -> object:
    """What a test module adds to the demo before the browser starts; override per module."""
    return None


@pytest.fixture(scope="module")
def server(demo_data, extra_data) -> Iterator[str]:
    with serving(LOKET_DEV_PAGES="on", LOKET_RATE_LIMITS="off") as url:
        yield url


@pytest.fixture(scope="module")
def browser(server):
    """Started after the server: Playwright's sync API runs its own event loop in this thread,
    and the async database fixtures behind ``server`` must be set up before it does."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not os.path.exists(CHROMIUM):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}: run `make install` (installs Debian's chromium)"
        )
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport=PHONE, locale="en-GB", base_url=server)
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()
