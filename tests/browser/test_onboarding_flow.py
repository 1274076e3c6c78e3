"""A coordinator imports the sample region in real headless Chromium (Dutch, the account's
language): upload, a preview that names each row's problem, the fixed file imported, the
region downloaded again; axe-core (WCAG 2.1 A/AA) finds no violation on these pages."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from booking.settings import PROJECT_ROOT
from tests.browser.test_staff_flow import log_in

SAMPLE = Path(PROJECT_ROOT) / "docs" / "onboarding"
AXE = Path(PROJECT_ROOT) / "tests" / "axe_core" / "node_modules" / "axe-core" / "axe.min.js"


def axe_violations(page: Page) -> list[str]:
    if not AXE.exists():
        pytest.skip("axe-core not installed: tests/axe_core/node_modules (npm axe-core) is absent")
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        """() => axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
           .then(r => r.violations.map(v => v.id + ': ' + v.nodes.length))"""
    )


def test_a_coordinator_imports_the_sample_region(browser, server, tmp_path):
    # axe-core is added as a script tag, which the pages' policy rightly refuses.
    context = browser.new_context(locale="en-GB", base_url=server, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    log_in(page, "coordinator@loket.example")
    page.goto("/staff/admin/onboarding/")
    expect(page.locator("h1")).to_have_text("Regio importeren")

    broken = tmp_path / "hours.csv"
    broken.write_text((SAMPLE / "hours.csv").read_text().replace("mon,13:00", "mon,11:00"))
    files = [str(SAMPLE / f"{s}.csv") for s in ("points", "staff", "schedules", "agencies")]
    page.set_input_files("#sheets", [*files, str(broken)])
    page.get_by_role("button", name="Bestand controleren").click()
    problems = page.locator("#problems")
    expect(problems).to_contain_text("niets is opgeslagen")
    expect(problems.locator("tbody tr")).to_have_count(1)
    expect(problems.locator("tbody tr")).to_contain_text("hours3")
    assert axe_violations(page) == []

    page.set_input_files("#sheets", str(SAMPLE / "sample-region.xlsx"))
    page.get_by_role("button", name="Bestand controleren").click()
    expect(page.locator("#preview")).to_contain_text("3 punten")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Nu importeren").click()
    expect(page.locator(".notice")).to_contain_text("Geïmporteerd")

    with page.expect_download() as download:
        page.get_by_role("link", name="XLSX").click()
    assert download.value.suggested_filename == "loket-region.xlsx"
    context.close()
