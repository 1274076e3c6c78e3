"""A consultant's evening in the week calendar, in real headless Chromium, in Polish and in
Dutch: a walk-in from the free time now, a caller booked into a free time, arrival marked."""

from __future__ import annotations

import os
import re
from datetime import UTC, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import Page, expect

from booking.db.tables import OpeningException, Point, StaffAccount, StaffMember, StaffSchedule
from booking.settings import PROJECT_ROOT
from tests.browser.conftest import PHONE
from tests.browser.test_staff_flow import log_in

ZONE = ZoneInfo("Europe/Amsterdam")
AXE = Path(PROJECT_ROOT) / "tests" / "axe_core" / "node_modules" / "axe-core" / "axe.min.js"
#: What each consultant sees, from the catalogs as a reader would (not from the code).
EVENINGS = {
    "pl": {
        "email": "ioana@loket.example",
        "name": "Ioana Popescu",
        "language": "ro",
        "week": "Kalendarz tygodnia",
        "now": "wolne teraz",
        "free": "wolne",
        "next": "Następny tydzień",
        "this_week": "Ten tydzień",
        "walk_in": "Rozpocznij teraz wizytę bez zapisu",
        "book": "Umów i wyślij potwierdzenie",
        "walk_in_channel": "Bez zapisu",
        "by_phone": "Telefonicznie",
        "arrived": "Jest na miejscu",
        "language_name": "Română",
    },
    "nl": {
        "email": "agnieszka@loket.example",
        "name": "Agnieszka Nowak",
        "language": "pl",
        "week": "Weekkalender",
        "now": "nu vrij",
        "free": "vrij",
        "next": "Volgende week",
        "this_week": "Deze week",
        "walk_in": "Nu een inloopgesprek starten",
        "book": "Boeken en bevestiging sturen",
        "walk_in_channel": "Inloop",
        "by_phone": "Telefonisch",
        "arrived": "Aanwezig",
        "language_name": "Polski",
    },
}


@pytest.fixture(scope="module")
async def extra_data(demo_data):
    """Veghel open all of today, Ioana and Agnieszka working all of it (so that there is a
    free time now whenever the test runs); Ioana's back office in Polish, Agnieszka's Dutch."""
    today = datetime.now(UTC).astimezone(ZONE).date()
    veghel = (await Point.select(Point.id).where(Point.slug == "veghel").first())["id"]
    await OpeningException.insert(
        OpeningException(
            point=veghel, day=today, kind="extra", opens=time(0), closes=time(23, 59, 59)
        )
    )
    for evening in EVENINGS.values():
        staff = (
            await StaffMember.select(StaffMember.id)
            .where(StaffMember.name == evening["name"])
            .first()
        )
        await StaffSchedule.insert(
            StaffSchedule(
                staff=staff["id"], point=veghel, weekday=today.weekday(), starts=time(0),
                ends=time(23, 59, 59), valid_from=today, valid_to=today,
            )
        )  # fmt: skip
    await StaffAccount.update({StaffAccount.language: "pl"}).where(
        StaffAccount.email == EVENINGS["pl"]["email"]
    )
    await StaffAccount.update({StaffAccount.language: "nl"}).where(
        StaffAccount.email == EVENINGS["nl"]["email"]
    )
    return veghel


@pytest.mark.parametrize("lang", ["pl", "nl"])
def test_a_consultant_s_evening_in_the_week_calendar(page: Page, extra_data: int, lang: str):
    words = EVENINGS[lang]
    log_in(page, words["email"])
    expect(page.get_by_role("link", name=words["week"]).first).to_be_visible()
    page.get_by_role("link", name="BMIP Veghel (PIM Werkt)").click()
    page.get_by_role("link", name=words["week"]).last.click()
    expect(page).to_have_url(re.compile(rf"/staff/points/{extra_data}/week\?week=\d{{4}}-W\d\d"))

    # A walk-in in the consultant's own free time now.
    # Free times are links named by time, "free" and the lane (the name hidden, read out).
    page.get_by_role("link", name=re.compile(rf" {words['now']}\s*, {words['name']}$")).click()
    page.locator("#walk-topic").select_option(index=1)
    page.locator("#walk-language").select_option(words["language"])
    page.fill("#walk-name", "Ewa" if lang == "pl" else "Daan")
    page.get_by_role("button", name=words["walk_in"]).click()
    expect(page).to_have_url(re.compile(r"/week\?week=.+#appointment-\d+$"))
    walk_in = page.url.rsplit("#", 1)[1]
    block = page.locator(f"#{walk_in}")
    expect(block).to_contain_text(words["walk_in_channel"])
    expect(block).to_contain_text(words["language_name"])

    # A caller booked into a free time next week; nothing chosen on the form but the time.
    page.get_by_role("link", name=words["next"]).click()
    free = rf"^\d\d:\d\d {words['free']}\s*, {words['name']}$"
    page.get_by_role("link", name=re.compile(free)).first.click()
    expect(page.locator("#topic")).to_have_value("")
    expect(page.locator("#language")).to_have_value("")
    page.locator("#topic").select_option(index=1)
    page.locator("#language").select_option(words["language"])
    page.fill("#phone", "+48 601 234 577" if lang == "pl" else "+48 601 234 578")
    page.get_by_role("button", name=words["book"]).click()
    expect(page).to_have_url(re.compile(r"/week\?week=.+#appointment-\d+$"))
    booked = page.locator(f"#{page.url.rsplit('#', 1)[1]}")
    expect(booked).to_contain_text(words["by_phone"])
    expect(booked).to_contain_text(words["language_name"])

    # Back to this week: the walk-in's block leads to its page, where arrival is marked.
    page.get_by_role("link", name=words["this_week"]).click()
    page.locator(f"#{walk_in}").click()
    page.get_by_role("button", name=words["arrived"]).click()
    expect(page.locator(".status")).to_have_text(words["arrived"])


def test_the_week_calendar_on_a_phone_puts_each_consultant_in_rows(page: Page, extra_data: int):
    log_in(page)
    page.goto(f"/staff/points/{extra_data}/week")
    heads = page.locator(".week-grid .head:not(.corner)")
    first, second = heads.nth(0).bounding_box(), heads.nth(1).bounding_box()
    assert first and second and second["y"] > first["y"] + first["height"]
    assert first["width"] > PHONE["width"] * 0.7  # a lane is a row across the screen


def test_the_week_calendar_at_desk_width(browser, server, extra_data: int):
    """1280 px wide, lanes side by side; writes README's screenshot when asked to."""
    context = browser.new_context(
        viewport={"width": 1280, "height": 900}, locale="en-GB", base_url=server
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page)
    page.goto(f"/staff/points/{extra_data}/week")
    heads = page.locator(".week-grid").first.locator(".head:not(.corner)")
    first, second = heads.nth(0).bounding_box(), heads.nth(1).bounding_box()
    assert first and second and abs(first["y"] - second["y"]) < 1 and second["x"] > first["x"]
    if target := os.environ.get("LOKET_WEEK_SCREENSHOT"):
        # Next week, where the evenings above booked their callers: an ordinary day.
        page.get_by_role("link", name=EVENINGS["nl"]["next"]).click()
        page.locator(".block").first.evaluate("e => e.closest('section').scrollIntoView()")
        page.screenshot(path=target)
    context.close()


@pytest.mark.skipif(
    not AXE.exists(),
    reason="axe-core not installed: tests/axe_core/node_modules (npm axe-core) is absent",
)
@pytest.mark.parametrize("path", ["/staff/points/{point}/week", "/staff/points/{point}/week/free"])
def test_axe_core_finds_no_wcag_violation_on_the_week_pages(browser, server, extra_data, path):
    context = browser.new_context(viewport=PHONE, locale="en-GB", base_url=server, bypass_csp=True)
    page = context.new_page()
    log_in(page)
    page.goto(f"/staff/points/{extra_data}/week")
    url = path.format(point=extra_data)
    if url.endswith("/free"):
        page.locator("a.free").first.click()
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
           .then(r => r.violations.map(v => v.id + ': ' + v.nodes.length))"""
    )
    context.close()
    assert violations == []
