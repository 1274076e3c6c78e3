"""A coordinator reads the reports in real headless Chromium: charts drawn without
JavaScript, and every table downloads as CSV."""

from __future__ import annotations

import csv
import io

from playwright.sync_api import Page, expect

from tests.browser.test_staff_flow import log_in


def test_a_coordinator_reads_the_reports_and_downloads_a_table(page: Page):
    log_in(page, "coordinator@loket.example")
    page.get_by_role("link", name="Rapportages").click()
    expect(page.locator("h1")).to_have_text("Rapportages")
    expect(page.locator("main svg").first).to_be_visible()
    link = page.get_by_role("link", name="Deze tabel downloaden (CSV)").first
    with page.expect_download() as download:
        link.click()
    path = download.value.path()
    with open(path, encoding="utf-8-sig") as f:
        rows = list(csv.reader(io.StringIO(f.read())))
    assert len(rows) >= 2 and all(len(r) == len(rows[0]) for r in rows)


def test_a_consultant_has_no_reports(page: Page):
    log_in(page)
    expect(page.get_by_role("link", name="Rapportages")).to_have_count(0)
    refused = page.goto("/staff/reports")
    assert refused is not None and refused.status == 403
