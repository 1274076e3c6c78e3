"""The coordinator's back office at 1280 px in real headless Chromium (issue 16): the menu
stays on one line in every language it speaks (the account's name, language and log-out
have their own line above it), switched from the header without JavaScript."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from booking.i18n import STAFF_LANGUAGES
from tests.browser.test_staff_flow import log_in

DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture
def wide(browser, server) -> Iterator[Page]:
    context = browser.new_context(
        viewport=DESKTOP, locale="en-GB", base_url=server, java_script_enabled=False
    )
    tab = context.new_page()
    tab.set_default_timeout(15_000)
    yield tab
    context.close()


def lines(page: Page, items: str) -> int:
    """How many lines these items take: their vertical centres, grouped."""
    boxes = [item.bounding_box() for item in page.locator(items).all()]
    centres = sorted(b["y"] + b["height"] / 2 for b in boxes if b)
    return 1 + sum(1 for a, b in itertools.pairwise(centres) if b - a > 12)


def test_the_coordinators_menu_fits_one_line_in_every_language(wide: Page):
    log_in(wide, "coordinator@loket.example")
    expect(wide.locator("html")).to_have_attribute("lang", "nl")
    for language in (*[c for c in STAFF_LANGUAGES if c != "nl"], "nl"):
        wide.select_option("#staff-language", language)
        wide.locator("form.lang button").click()
        expect(wide.locator("html")).to_have_attribute("lang", language)
        height = wide.locator("header.bar nav").bounding_box()["height"]
        assert lines(wide, "header.bar nav > a") == 1 and height < 50, (language, height)
        assert lines(wide, "header.bar .account > *") == 1, language
    expect(wide.locator("#today tfoot")).to_be_visible()
