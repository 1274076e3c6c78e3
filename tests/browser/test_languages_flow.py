"""Sixteen languages in real Chromium: Lithuanian and Arabic (right to left) bookings, no
page wider than a 360 px phone in any language, and axe-core (WCAG 2.1 A/AA) in Arabic and
Polish. Words are not asserted for the new languages (their catalogs are merged
separately): structure, direction and layout are."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from booking.db.tables import Point
from booking.i18n import UI_LANGUAGES
from tests import factories
from tests.browser.test_booking_flow import read_code

AXE = (
    Path(__file__).resolve().parent.parent / "axe_core" / "node_modules" / "axe-core" / "axe.min.js"
)
NARROW = {"width": 360, "height": 780}
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


@pytest.fixture(scope="module")
async def extra_data(demo_data):
    """A consultant at Veghel who speaks every language, so each one has free times."""
    veghel = (await Point.select(Point.id).where(Point.slug == "veghel").first())["id"]
    await factories.staff(veghel, UI_LANGUAGES, name="Amira Haddad")


def phone_for(n: int) -> str:
    return f"+48 601 300 {n:03d}"


def hold(page: Page, lang: str, phone: str) -> list[str]:
    """From the language's home page to the code page; the URLs it passed through."""
    seen = [f"/{lang}/"]
    page.goto(seen[0])
    page.locator("a.choice[href$='/t/housing']").click()
    seen.append(page.url)
    page.locator("a.choice[href$='/p/veghel']").click()
    seen.append(page.url)
    page.locator("ul.choices a.choice").first.click()
    seen.append(page.url)
    page.locator("ul.times a").first.click()
    seen.append(page.url)
    page.fill("#phone", phone)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"/{lang}/m/[^/]+/code$"))
    seen.append(page.url)
    return seen


def confirm(page: Page, lang: str, phone: str) -> str:
    """Types the code from the development SMS page; returns the manage page's URL."""
    page.fill("#code", read_code(page, phone[-3:]))
    page.locator("main form button[type=submit]").first.click()
    expect(page).to_have_url(re.compile(rf"/{lang}/m/[^/?]+\?new"))
    return page.url


def book_move_and_cancel(page: Page, lang: str, phone: str) -> None:
    hold(page, lang, phone)
    manage = confirm(page, lang, phone).split("?")[0]
    expect(page.locator("html")).to_have_attribute("lang", lang)
    before = page.locator("dl.facts dd").first.inner_text()

    page.locator(f"a[href$='/{lang}/m/{manage.rsplit('/', 1)[1]}/move']").click()
    page.locator("ul.choices a.choice").nth(1).click()
    page.locator("ul.times a").nth(1).click()
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("status")).to_be_visible()
    assert page.locator("dl.facts dd").first.inner_text() != before

    page.goto(manage)
    page.locator("a[href$='/cancel']").click()
    page.locator("main form button[type=submit]").first.click()
    expect(page.locator("a.button[href$='/t/housing']")).to_be_visible()
    expect(page.locator("a[href$='/move']")).to_have_count(0)


def test_book_move_and_cancel_in_lithuanian(page: Page):
    book_move_and_cancel(page, "lt", phone_for(1))
    expect(page.locator("html")).to_have_attribute("dir", "ltr")


def test_book_move_and_cancel_in_arabic_right_to_left(page: Page, tmp_path: Path):
    page.goto("/ar/t/housing/p/veghel")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    page.locator("ul.choices a.choice").first.click()
    # The layout mirrors: the heading starts at the right, the picker sits on the right.
    width = page.viewport_size["width"]
    heading = page.locator("h1").evaluate(
        "h => { const r = document.createRange(); r.selectNodeContents(h);"
        " const b = r.getBoundingClientRect(); return [b.left, b.right]; }"
    )
    assert heading[1] > width - 40 and heading[0] > 20, heading
    summary = page.locator("nav.langs summary").bounding_box()
    assert summary["x"] + summary["width"] > width - 40 and summary["x"] > width / 2, summary
    first_time = page.locator("ul.times a").first
    assert first_time.bounding_box()["x"] > page.locator("ul.times a").nth(1).bounding_box()["x"]
    page.screenshot(
        path=os.environ.get("LOKET_SCREENSHOT_AR") or tmp_path / "times-ar.png", full_page=True
    )
    book_move_and_cancel(page, "ar", phone_for(2))
    expect(page.locator("html")).to_have_attribute("dir", "rtl")


def wider_than(page: Page, width: int) -> int:
    return page.evaluate("() => document.documentElement.scrollWidth") - width


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_no_page_of_the_booking_flow_is_wider_than_a_phone(browser, server, lang):
    context = browser.new_context(viewport=NARROW, base_url=server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    phone = phone_for(10 + UI_LANGUAGES.index(lang))
    urls = hold(page, lang, phone)
    manage = confirm(page, lang, phone)
    page.locator("nav.langs summary").click()  # the open picker must fit too
    too_wide = {manage: wider_than(page, NARROW["width"])}
    for url in urls:
        page.goto(url)
        page.locator("nav.langs summary").click()
        too_wide[url] = wider_than(page, NARROW["width"])
    context.close()
    assert {url: extra for url, extra in too_wide.items() if extra > 0} == {}


def test_the_manage_page_does_not_scroll_sideways_on_a_390_px_phone(page: Page):
    hold(page, "pl", phone_for(40))
    confirm(page, "pl", phone_for(40))
    link = page.locator("p.link a")
    assert len(link.inner_text()) > 40
    assert wider_than(page, page.viewport_size["width"]) <= 0
    assert link.bounding_box()["width"] <= page.viewport_size["width"]


def axe_violations(page: Page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_21_AA
    )
    assert len(result["passes"]) > 10, "axe-core ran no rules"
    return [f"{v['id']}: {[n['target'] for n in v['nodes']]}" for v in result["violations"]]


@pytest.mark.parametrize("lang", ["ar", "pl"])
def test_axe_finds_no_wcag_21_aa_violation_on_the_booking_pages(browser, server, lang):
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make axe-core` (npm ci in tests/axe_core)")
    # axe is injected as a script: the strict policy would block it (PITFALLS.md).
    context = browser.new_context(viewport=NARROW, base_url=server, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    phone = phone_for(50 + ["ar", "pl"].index(lang))
    urls = hold(page, lang, phone)
    found = {urls[-1]: axe_violations(page)}
    manage = confirm(page, lang, phone)
    found[manage] = axe_violations(page)
    for url in urls[:-1]:
        page.goto(url)
        found[url] = axe_violations(page)
    context.close()
    assert {url: v for url, v in found.items() if v} == {}
