"""Single sign-on in real headless Chromium: from Loket's login page through the real
identity provider's login and consent pages (tests/local_oidc.py) into the back office,
with the role the person's groups map to."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Page, expect

from tests.live import serving
from tests.local_oidc import PASSWORD, oidc_provider
from tests.local_smtp import free_port
from tests.log_scan import log_dir

#: The back office's links as a Dutch reader sees them, written out: the code's own gettext
#: would agree with a missing translation, and a count of 0 would then prove nothing.
MASTER_DATA, HANDOVERS = "Locaties en medewerkers", "Warme overdrachten"


@pytest.fixture(scope="module")
def server(demo_data, extra_data) -> Iterator[str]:
    """Loket on a port chosen first, so the provider knows its redirect URI, and the
    provider in Loket's settings."""
    port = free_port()
    log = log_dir() / f"oidc-provider-browser-{os.getpid()}.log"
    with (
        oidc_provider([f"http://127.0.0.1:{port}/staff/sso/callback"], log) as provider,
        serving(port=port, LOKET_RATE_LIMITS="off", **provider.env()) as url,
    ):
        yield url


def through_the_provider(page: Page, username: str) -> None:
    """From Loket's login page through the provider's login and consent pages and back."""
    page.goto("/staff/login")
    page.get_by_role("link", name="Sign in with Provincie Test-ID").click()
    expect(page.get_by_role("heading", name="Sign in at the test provider")).to_be_visible()
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name="Allow").click()


def test_a_coordinator_signs_in_through_the_provider_into_the_back_office(page: Page):
    """Monique's provider account has the demo coordinator's verified address: her password
    login is linked, and her groups make her coordinator of Noordoost-Brabant."""
    through_the_provider(page, "monique")
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_text("Monique (coordinator)")).to_be_visible()
    admin = page.get_by_role("link", name=MASTER_DATA)
    expect(admin).to_be_visible()
    admin.click()
    expect(page).to_have_url(re.compile(r"/staff/admin/"))
    expect(page.get_by_role("heading").first).to_be_visible()


def test_a_new_consultant_gets_a_login_at_the_first_sign_in(page: Page):
    through_the_provider(page, "ewa")
    expect(page).to_have_url(re.compile(r"/staff/$"))
    expect(page.get_by_text("Ewa Kowalska")).to_be_visible()
    expect(page.get_by_role("link", name=HANDOVERS)).to_be_visible()
    expect(page.get_by_role("link", name=MASTER_DATA)).to_have_count(0)


def test_a_person_without_a_mapped_group_is_told_why(page: Page):
    through_the_provider(page, "nobody")
    expect(page.get_by_role("alert")).to_contain_text(
        "Your account at Provincie Test-ID does not give access to Loket"
    )
    expect(page).to_have_url(re.compile(r"/staff/sso/callback\?"))
