"""The waiting list in real headless Chromium on a phone (issue 17): the evenings of a point
are full, a migrant joins the list in Polish with the code texted to them, someone else
cancels, the offer's text arrives through the Twilio-compatible fake, and its link books the
time with one tap; axe-core (WCAG 2.1 A/AA) finds nothing on the join and offer pages."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import httpx
import pytest
from playwright.sync_api import expect

from booking.db.tables import StaffAccount
from booking.settings import PROJECT_ROOT
from tests import factories
from tests.browser.conftest import PHONE
from tests.browser.test_languages_flow import AXE, axe_violations
from tests.browser.test_queue_flow import fake_twilio  # noqa: F401  (the fixture)
from tests.fake_twilio import twilio_env
from tests.live import loket_log, serving
from tests.waitlist.world import EVENINGS, fill

MIGRANT = "+48 601 234 599"
MIGRANT_E164 = "+48601234599"
JOIN = "/pl/t/wieczorem/p/wieczory/wait"
#: No quiet hours: offers are neither made nor texted in them (21:00-08:00 by default), and
#: the test must pass whatever the hour it runs.
AWAKE = {"LOKET_QUIET_HOURS": "00:00-00:00"}


@pytest.fixture(scope="module")
async def extra_data(demo_data) -> dict:
    """A point open on Tuesday evenings only, every evening booked by phone."""
    account = await StaffAccount.select(StaffAccount.region).where(
        StaffAccount.email == "agnieszka@loket.example"
    )
    point = await factories.point(account[0]["region"], slug="wieczory", hours=EVENINGS)
    topic = await factories.topic("wieczorem", minutes=60)
    await factories.staff(point, ["pl"], hours=EVENINGS, name="Ewa")
    booked = await fill(point, topic, datetime.now(UTC))
    # A week or more ahead: inside the four weeks the list looks by default, and far
    # enough ahead to be offered whatever the hour the test runs.
    return {"cancel": booked[2].manage_token}


@pytest.fixture(scope="module")
def server(demo_data, extra_data, fake_twilio) -> Iterator[str]:  # noqa: F811
    env = {**AWAKE, **twilio_env(fake_twilio)}
    with serving(LOKET_DEV_PAGES="on", LOKET_RATE_LIMITS="off", **env) as url:
        yield url


def texts_to(url: str, number: str, count: int) -> list[str]:
    """The bodies of the texts the fake received for ``number``, once there are ``count``."""
    for _ in range(150):
        bodies = [t["Body"] for t in httpx.get(f"{url}/_received").json() if t["To"] == number]
        if len(bodies) >= count:
            return bodies
        time.sleep(0.2)
    raise AssertionError(f"{count} texts to the migrant expected, got {bodies}")


@contextmanager
def worker_round(fake: str) -> Iterator[None]:
    """A `loket worker` beside the server: its offer round runs as it starts, instead of
    the web process's next round up to a minute later (both may run at once)."""
    log = loket_log("worker").open("ab")
    process = subprocess.Popen(
        [sys.executable, "-m", "booking.cli", "worker"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "LOG_LEVEL": "INFO", **AWAKE, **twilio_env(fake)},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield
    finally:
        process.terminate()
        process.wait(timeout=60)
        log.close()


def test_a_freed_evening_reaches_the_waiting_list_and_books_with_one_tap(
    browser,
    server: str,
    extra_data: dict,
    fake_twilio: str,  # noqa: F811
) -> None:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `make axe-core` (npm ci in tests/axe_core)")
    # axe is injected as a script: the strict policy would block it (PITFALLS.md).
    context = browser.new_context(viewport=PHONE, locale="pl-PL", base_url=server, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)

    page.goto(JOIN)
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.locator('input[name="evenings"]')).to_be_checked()
    found = {JOIN: axe_violations(page)}
    page.fill("#phone", MIGRANT)
    page.locator('form button[type="submit"]').click()
    expect(page).to_have_url(re.compile(r"/pl/w/[^/]+$"))
    [code_text] = texts_to(fake_twilio, MIGRANT_E164, 1)
    page.fill("#code", re.search(r"\b(\d{6})\b", code_text).group(1))
    page.locator('form[action$="/code"] button').click()
    expect(page.locator("#code")).to_have_count(0)
    expect(page.locator('form[action$="/leave"] button')).to_be_visible()

    # Someone else cancels an evening from their own manage link, on their own phone.
    other = browser.new_context(viewport=PHONE, locale="pl-PL", base_url=server)
    cancelling = other.new_page()
    cancelling.goto(f"/pl/m/{extra_data['cancel']}/cancel")
    cancelling.locator("form button.danger").click()
    expect(cancelling).to_have_url(re.compile(r"done=cancelled"))
    other.close()

    with worker_round(fake_twilio):
        offer_text = texts_to(fake_twilio, MIGRANT_E164, 2)[1]
    assert offer_text.startswith("Loket: zwolnil sie termin:"), offer_text
    link = re.search(r"/o/[A-Za-z0-9_-]+", offer_text).group(0)

    page.goto(link)
    expect(page).to_have_url(re.compile(r"/pl/o/[^/]+$"))
    offered = page.locator("dl.facts dd").first.inner_text()
    found[page.url] = axe_violations(page)
    page.locator('form[action$="/book"] button').click()  # the one tap
    expect(page).to_have_url(re.compile(r"/pl/m/[^/?]+\?new$"))
    expect(page.locator("main")).to_contain_text(offered)
    # The confirmation follows in Polish, to the same number.
    confirmation = texts_to(fake_twilio, MIGRANT_E164, 3)[2]
    assert confirmation.startswith("Loket:"), confirmation
    context.close()
    assert {url: v for url, v in found.items() if v} == {}
