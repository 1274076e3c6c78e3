"""The back office in real headless Chromium: log in, run the agenda, book for a caller."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pyotp
import pytest
from playwright.sync_api import Page, expect

from booking.db.tables import Allocation, Appointment, MigrantContact, Point, StaffMember, Topic
from booking.services.demo_data import DEMO_PASSWORD
from tests.staff_login import FACTORS, Factor, code_for

ZONE = ZoneInfo("Europe/Amsterdam")


@pytest.fixture(scope="module")
async def extra_data(demo_data):
    """Zofia's appointment at Veghel began half an hour ago (at most at local midnight, so that
    it is on today's agenda at any hour), with Agnieszka."""
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    midnight = datetime.combine(now.astimezone(ZONE).date(), time(0), ZONE).astimezone(UTC)
    point = (await Point.select(Point.id).where(Point.slug == "veghel").first())["id"]
    topic = (await Topic.select(Topic.id).where(Topic.slug == "housing").first())["id"]
    agnieszka = (
        await StaffMember.select(StaffMember.id)
        .where(StaffMember.name == "Agnieszka Nowak")
        .first()
    )["id"]
    contact = (
        await MigrantContact.insert(
            MigrantContact(phone="+48601234599", language="pl", first_name="Zofia")
        )
    )[0]["id"]
    start = max(now - timedelta(minutes=30), midnight)
    appointment = (
        await Appointment.insert(
            Appointment(
                point=point,
                topic=topic,
                contact=contact,
                language="pl",
                channel="online",
                status="confirmed",
                starts_at=start,
                ends_at=start + timedelta(minutes=30),
                created_at=now,
                updated_at=now,
            )
        )
    )[0]["id"]
    await Allocation.insert(
        Allocation(
            appointment=appointment,
            resource=f"staff:{agnieszka}",
            role="consultant",
            staff=agnieszka,
            starts_at=start,
            ends_at=start + timedelta(minutes=30),
        )
    )
    return appointment


def log_in(page: Page, email: str = "agnieszka@loket.example") -> None:
    """The password, then the second factor where the account has or needs one (as a person
    would: the key typed in from the page, a code from the app, tests/staff_login.py)."""
    page.goto("/staff/")
    expect(page).to_have_url(re.compile(r"/staff/login\?next="))
    page.fill("#email", email)
    page.fill("#password", DEMO_PASSWORD)
    # The login page follows the browser (en-GB); after it, the account's language (nl).
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(lambda url: "/staff/login?" not in url)
    if "/staff/login/factor" in page.url:
        enrol(page, email)
        page.get_by_role("link", name="I have kept them, continue").click()
    elif "/staff/login/code" in page.url:
        page.fill("#code", code_for(email, datetime.now(UTC)))
        page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="BMIP Veghel (PIM Werkt)")).to_be_visible()


def enrol(page: Page, email: str) -> list[str]:
    """Sets up the authenticator on the enrolment page; the recovery codes it then shows."""
    expect(page.locator("figure svg")).to_be_visible()
    secret = page.locator("#secret").inner_text()
    FACTORS[email] = Factor(secret)
    now = datetime.now(UTC)
    FACTORS[email].used_steps.add(int(now.timestamp()) // 30)
    page.fill("#code", pyotp.TOTP(secret).at(now))
    page.get_by_role("button", name="Set up").click()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    FACTORS[email].recovery = list(codes)
    return codes


def next_weekday() -> str:
    day = datetime.now(ZONE).date() + timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def test_login_is_required_and_a_wrong_password_is_refused(page: Page):
    page.goto("/staff/points/1/agenda")
    expect(page).to_have_url(re.compile(r"/staff/login"))
    page.fill("#email", "agnieszka@loket.example")
    page.fill("#password", "not the password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("alert")).to_be_visible()
    log_in(page)


def test_the_agenda_marks_arrival_and_done(page: Page, extra_data: int):
    log_in(page)
    page.get_by_role("link", name="BMIP Veghel (PIM Werkt)").click()
    row = page.locator(f"#appointment-{extra_data}")
    expect(row).to_contain_text("Zofia")
    expect(row).to_contain_text("Agnieszka Nowak")
    row.get_by_role("button", name="Aanwezig").click()
    expect(page.locator(f"#appointment-{extra_data} .status")).to_have_text("Aanwezig")
    page.locator(f"#appointment-{extra_data}").get_by_role("button", name="Afgerond").click()
    expect(page.locator(f"#appointment-{extra_data} .status")).to_have_text("Afgerond")


def test_book_for_a_caller_in_romanian(page: Page):
    log_in(page)
    page.get_by_role("link", name="BMIP Veghel (PIM Werkt)").click()
    page.get_by_role("link", name="Afspraak maken voor een beller").click()
    page.select_option("#language", "ro")
    page.fill("#day", next_weekday())
    page.get_by_role("button", name="Vrije tijden tonen").click()
    first = page.locator('input[name="start"]').first
    expect(first).not_to_be_checked()  # the consultant chooses the caller's time (issue 16)
    first.check()
    page.fill("#phone", "+40 721 234 501")
    page.fill("#first_name", "Ion")
    page.get_by_role("button", name="Boeken en bevestiging sturen").click()
    expect(page).to_have_url(re.compile(r"/staff/points/\d+/agenda\?day="))
    row = page.locator("tbody tr", has_text="Ion")
    expect(row).to_contain_text("Roemeens")  # the language by name (issue 16)
    expect(row.locator(".status")).to_have_text("Geboekt")
