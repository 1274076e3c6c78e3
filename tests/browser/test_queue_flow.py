"""The walk-in queue in real headless Chromium (issue 17): two people take a number at the
kiosk in Polish and in Dutch, the desk calls them from the agenda, the waiting-room screen
shows the numbers, and the "you are next" texts reach a Twilio-compatible fake."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
from playwright.sync_api import Page, expect

from booking.db.tables import StaffAccount
from booking.services.queue import kiosk
from booking.settings import PROJECT_ROOT
from tests import factories
from tests.browser.test_staff_flow import log_in
from tests.fake_twilio import twilio_env
from tests.live import serving

#: Open and staffed around the clock, so the test runs at any hour (a walk-in needs a
#: consultant on duty now); in the demo consultant's region.
ALL_DAY = ((range(7), "00:00", "23:59"),)
PL_PHONE, NL_PHONE = "+48601234561", "+31612345672"
TABLET = {"width": 1024, "height": 768}


@pytest.fixture(scope="module")
async def extra_data(demo_data) -> dict:
    account = await StaffAccount.select(StaffAccount.region).where(
        StaffAccount.email == "agnieszka@loket.example"
    )
    point = await factories.point(
        account[0]["region"], slug="nachtloket", hours=ALL_DAY, closed_on_holidays=False
    )
    for name in ("Nina", "Piet"):
        await factories.staff(point, ["pl", "nl"], hours=ALL_DAY, name=name)
    token = await kiosk.create(point, None, datetime.now(UTC))
    return {"point": point, "kiosk": f"/kiosk/{token}"}


@pytest.fixture(scope="module")
def fake_twilio() -> Iterator[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.fake_twilio"],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        yield json.loads(process.stdout.readline())["url"]
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.fixture(scope="module")
def server(demo_data, extra_data, fake_twilio) -> Iterator[str]:
    with serving(LOKET_DEV_PAGES="on", LOKET_RATE_LIMITS="off", **twilio_env(fake_twilio)) as url:
        yield url


def take_a_number(
    page: Page, kiosk_url: str, language: str, phone: str, screenshot: Path | None = None
) -> str:
    page.goto(kiosk_url)
    page.locator(f'a[hreflang="{language}"]').click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    page.fill("#phone", phone)
    if screenshot:
        page.set_viewport_size(TABLET)
        page.wait_for_timeout(500)  # the relayout at tablet width, before the picture
        page.screenshot(path=screenshot, full_page=True)
    page.locator('button[type="submit"]').click()
    expect(page.locator("#number")).to_be_visible()
    return page.locator("#number").inner_text()


def received(url: str, count: int) -> list[dict]:
    for _ in range(150):
        texts = httpx.get(f"{url}/_received").json()
        if len(texts) >= count:
            return texts
        time.sleep(0.2)
    raise AssertionError(f"{count} texts expected, got {httpx.get(f'{url}/_received').json()}")


def test_two_walk_ins_from_the_kiosk_are_called_and_shown(
    page: Page, extra_data: dict, fake_twilio: str, tmp_path: Path
) -> None:
    kiosk_url = extra_data["kiosk"]
    shot = Path(os.environ.get("LOKET_SCREENSHOT_KIOSK") or tmp_path / "kiosk.png")
    assert take_a_number(page, kiosk_url, "pl", PL_PHONE, shot) == "1"
    assert shot.stat().st_size > 0
    expect(page.locator("#estimate")).to_have_text("Zaraz Twoja kolej.")
    # Two consultants on duty: number 2 is served at once too, says the estimate in Dutch.
    assert take_a_number(page, kiosk_url, "nl", NL_PHONE) == "2"
    expect(page.locator("#estimate")).to_have_text("U bent zo aan de beurt.")
    # Number 1 was next at once and heard so in Polish.
    [first] = received(fake_twilio, 1)
    assert (first["To"], "1" in first["Body"]) == (PL_PHONE, True)

    # The desk is another device: without the kiosk's language cookie.
    page.context.clear_cookies()
    log_in(page)
    agenda = f"/staff/points/{extra_data['point']}/agenda"
    page.goto(agenda)
    expect(page.locator("#queue-1")).to_be_visible()
    expect(page.locator("#queue-2")).to_be_visible()
    page.fill("#call-desk", "Balie 2")
    page.locator("#call-next").click()
    expect(page.locator("#queue-1")).to_have_count(0)
    # Number 2 is next now: a Dutch text.
    texts = received(fake_twilio, 2)
    assert (texts[1]["To"], "2" in texts[1]["Body"]) == (NL_PHONE, True)
    page.goto(f"/screen/{extra_data['point']}")
    expect(page.locator("#now")).to_have_text("1")
    expect(page.locator("body")).to_contain_text("Balie 2")

    page.goto(agenda)
    page.locator("#queue-2 button").click()
    page.goto(f"/screen/{extra_data['point']}")
    expect(page.locator("#now")).to_have_text("2")
    expect(page.locator("#earlier")).to_contain_text("1")
    screen = page.content()
    for private in (PL_PHONE, NL_PHONE, "601", "Nina", "Piet"):
        assert private not in screen
    assert re.search(r'http-equiv="refresh"', screen)
