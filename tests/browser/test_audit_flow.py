"""A coordinator reads the audit log in real headless Chromium: their region's entries
only, filtered by staff member and day, and downloaded as CSV with the same filter."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from booking.services.demo_data import DEMO_PASSWORD
from tests.browser.test_staff_flow import log_in

AGNIESZKA = "Agnieszka Nowak (agnieszka@loket.example)"


def test_a_coordinator_filters_the_log_and_downloads_it(page: Page):
    # Mihaela (West-Brabant) and Agnieszka (Noordoost-Brabant) each open an agenda.
    page.goto("/staff/")
    page.fill("#email", "mihaela@loket.example")
    page.fill("#password", DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.locator("#today tbody a").first.click()
    expect(page).to_have_url(re.compile(r"/staff/points/\d+/agenda"))
    page.context.clear_cookies()
    log_in(page)
    page.get_by_role("link", name="BMIP Veghel (PIM Werkt)").click()
    page.context.clear_cookies()

    log_in(page, "coordinator@loket.example")
    page.get_by_role("link", name="Auditlog").click()
    expect(page.locator("h1")).to_have_text("Auditlog")
    entries = page.locator("#audit-entries tbody")
    expect(entries).to_contain_text("Agnieszka Nowak")
    expect(entries).not_to_contain_text("Mihaela Stan")

    page.select_option("#staff", label=AGNIESZKA)
    today = datetime.now(ZoneInfo("Europe/Amsterdam")).date().isoformat()
    page.fill("#from", today)
    page.fill("#to", today)
    page.get_by_role("button", name="Tonen").click()
    expect(page.locator("#staff")).to_have_value(re.compile(r"\d+"))
    rows = page.locator("#audit-entries tbody tr")
    expect(rows.first).to_contain_text("Agenda bekeken")
    for row in rows.all():
        expect(row).to_contain_text("Agnieszka Nowak")

    with page.expect_download() as download:
        page.get_by_role("button", name="Downloaden als CSV").click()
    with open(download.value.path(), encoding="utf-8-sig") as f:
        table = list(csv.reader(io.StringIO(f.read())))
    header, lines = table[0], table[1:]
    assert "Account" in header and len(lines) >= 1
    assert {line[2] for line in lines} == {"Agnieszka Nowak"}
    assert "viewed_agenda" in {line[5] for line in lines}
    assert all(line[0].startswith(today) for line in lines)


def test_a_consultant_has_no_audit_log(page: Page):
    log_in(page)
    expect(page.get_by_role("link", name="Auditlog")).to_have_count(0)
    refused = page.goto("/staff/audit")
    assert refused is not None and refused.status == 403
