"""A consultant books a warm handover in real headless Chromium, on the demo data: the form
finds the times agency, interpreter and consultant share, and the booked handover's page lists
who was invited."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from tests.browser.test_staff_flow import log_in

BRP = "Gemeente Meierijstad - Burgerzaken (BRP/RNI)"


def test_a_consultant_books_a_handover_with_an_interpreter(page: Page):
    log_in(page)
    page.goto("/staff/handovers/new")
    page.select_option("#h-point", label="BMIP Veghel (PIM Werkt)")
    page.select_option("#h-topic", label="Inschrijven bij de gemeente (BRP/RNI, BSN)")
    page.select_option("#h-agency", label=BRP)
    page.select_option("#h-place", value="agency")
    page.select_option("#h-duration", value="45")
    page.select_option("#h-interpreter_language", value="pl")
    page.select_option("#h-interpreter_mode", value="on_site")
    page.check("#h-consultant_joins")
    page.fill("#h-phone", "+48 601 234 567")
    page.select_option("#h-language", value="pl")
    page.fill("#h-note", "Needs a BSN; brings the passport and the rental contract.")
    today = datetime.now(UTC).date()
    page.fill("#h-from", (today + timedelta(days=1)).isoformat())
    page.fill("#h-to", (today + timedelta(days=14)).isoformat())
    page.get_by_role("button", name="Tijden zoeken").click()

    first = page.locator(".times button").first
    expect(first).to_be_visible()
    # Every time button names the full day and time, not only "10:30".
    label = first.get_attribute("aria-label") or ""
    assert re.search(r"\d{4}.*\d{2}:\d{2}", label), label
    first.click()

    expect(page).to_have_url(re.compile(r"/staff/handovers/\d+\?notice=booked"))
    expect(page.locator("table").first).to_contain_text(BRP)
    expect(page.locator("table").first).to_contain_text("Piotr Mazur")
    # Languages by name, as staff read them, not as codes.
    expect(page.locator("table").first).to_contain_text("Polski")
    invitees = page.locator("#invitees")
    expect(invitees).to_contain_text("burgerzaken@meierijstad.example")
    expect(invitees).to_contain_text("Nog geen antwoord")

    page.goto("/staff/handovers")
    expect(page.get_by_role("main")).to_contain_text(BRP)


def test_a_topic_the_agency_does_not_take_is_refused_in_place(page: Page):
    log_in(page)
    page.goto("/staff/handovers/new")
    page.select_option("#h-point", label="BMIP Veghel (PIM Werkt)")
    page.select_option("#h-topic", label="Inschrijven bij de gemeente (BRP/RNI, BSN)")
    page.select_option("#h-agency", label="FNV")
    page.fill("#h-phone", "+48 601 234 567")
    today = datetime.now(UTC).date()
    page.fill("#h-from", (today + timedelta(days=1)).isoformat())
    page.fill("#h-to", (today + timedelta(days=7)).isoformat())
    page.get_by_role("button", name="Tijden zoeken").click()
    expect(page.get_by_role("alert")).to_be_visible()
    expect(page.locator(".times button")).to_have_count(0)
