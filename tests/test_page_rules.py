"""The page checks catch what they are meant to catch (issue 11: the old check let
`<img src="https://cdn.example/x.png">` and `default-src *` through)."""

from pathlib import Path

import pytest

from booking.web.headers import PAGE_POLICY
from tests.page_rules import BOOKING_PAGE_BUDGET, outside_references, policy_problems


@pytest.mark.parametrize(
    "html",
    [
        '<img src="https://cdn.example/x.png">',
        '<img src="//cdn.example/x.png">',
        '<link rel="stylesheet" href="http://cdn.example/a.css">',
        '<form action="https://evil.example/steal">',
        '<div style="background: url(https://cdn.example/x.png)"></div>',
        "<style>@import 'https://cdn.example/a.css';</style>",
        '<img srcset="/a.png 1x, https://cdn.example/b.png 2x">',
        "<script>alert(1)</script>",
        '<a href="javascript:alert(1)">x</a>',
    ],
)
def test_anything_from_elsewhere_is_found(html):
    assert outside_references(html)


@pytest.mark.parametrize(
    "html",
    [
        '<a href="/pl/t/housing">x</a>',
        '<a href="book?start=1">x</a>',
        '<a href="#main">x</a>',
        '<img src="data:image/svg+xml;base64,AAAA" alt="">',
        "<p>Visit https://example.org in your own browser</p>",
    ],
)
def test_same_site_links_and_plain_text_pass(html):
    assert outside_references(html) == []


@pytest.mark.parametrize(
    "header",
    [
        "default-src *",
        "default-src 'none'; script-src 'self'",
        "default-src 'none'; img-src https://cdn.example; frame-ancestors 'none'",
        "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action *",
        "default-src 'none'; base-uri 'none'; form-action 'self'",
    ],
)
def test_a_loose_policy_is_refused(header):
    assert policy_problems(header)


def test_only_the_installation_s_own_address_may_be_written_in_full():
    own = "https://loket.example.nl"
    assert outside_references('<a href="https://loket.example.nl/m/abc">x</a>', own) == []
    for html in (
        '<a href="https://loket.example.nl.evil.example/m/abc">x</a>',
        '<img src="https://cdn.example/x.png">',
    ):
        assert outside_references(html, own), html


def test_loket_s_own_policy_passes():
    assert policy_problems(PAGE_POLICY) == []


def test_readme_names_the_budget_the_page_tests_hold_pages_to():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    assert f"at most {BOOKING_PAGE_BUDGET // 1024} KB a page (gzipped)" in readme
