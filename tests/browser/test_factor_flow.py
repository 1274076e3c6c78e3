"""The second factor in real headless Chromium: an admin enrols with the QR code on the first
login, logs in again with a code from the app, and once with a recovery code."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pyotp
from playwright.sync_api import Page, expect

from booking.services.demo_data import DEMO_PASSWORD
from tests.browser.test_staff_flow import enrol
from tests.staff_login import FACTORS

ADMIN = "admin@loket.example"
#: After logging out, the login page keeps the account's language (Dutch) in its cookie.
LOG_IN = re.compile("^(Log in|Inloggen)$")


def password(page: Page, email: str = ADMIN) -> None:
    page.goto("/staff/login")
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name=LOG_IN).click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name=re.compile("Log out|Uitloggen")).click()
    expect(page).to_have_url(re.compile(r"/staff/login$"))


def test_an_admin_enrols_with_the_qr_code_then_logs_in_with_a_code(page: Page):
    password(page)
    expect(page).to_have_url(re.compile(r"/staff/login/factor"))
    expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    # Half logged in: the back office itself still sends the browser to the login.
    page.goto("/staff/reports")
    expect(page).to_have_url(re.compile(r"/staff/login\?next="))
    page.goto("/staff/login/factor")
    codes = enrol(page, ADMIN)
    assert len(set(codes)) == 10
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    page.get_by_role("link", name="I have kept them, continue").click()
    expect(page.get_by_role("link", name="BMIP Veghel (PIM Werkt)")).to_be_visible()
    log_out(page)

    password(page)
    expect(page).to_have_url(re.compile(r"/staff/login/code"))
    # The next 30-second step: the one used to enrol counts once only.
    later = datetime.now(UTC) + timedelta(seconds=30)
    page.fill("#code", pyotp.TOTP(FACTORS[ADMIN].secret).at(later))
    page.get_by_role("button", name=LOG_IN).click()
    expect(page.get_by_role("link", name="BMIP Veghel (PIM Werkt)")).to_be_visible()
    log_out(page)


def test_a_recovery_code_logs_in_once(page: Page):
    if ADMIN not in FACTORS:  # run on its own
        password(page)
        enrol(page, ADMIN)
        page.get_by_role("link", name="I have kept them, continue").click()
        log_out(page)
    code = FACTORS[ADMIN].recovery.pop()
    password(page)
    page.fill("#code", code)
    page.get_by_role("button", name=LOG_IN).click()
    expect(page.get_by_role("link", name="BMIP Veghel (PIM Werkt)")).to_be_visible()
    log_out(page)

    password(page)
    page.fill("#code", code)
    page.get_by_role("button", name=LOG_IN).click()
    expect(page.get_by_role("alert")).to_contain_text(re.compile("used already|al gebruikt"))
    expect(page).to_have_url(re.compile(r"/staff/login/code"))
