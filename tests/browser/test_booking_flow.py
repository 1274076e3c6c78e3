"""A migrant's booking in real headless Chromium: picker to confirmation, code, cancel, move."""

from __future__ import annotations

import os
import re
from pathlib import Path
from urllib.parse import unquote

import httpx
from playwright.sync_api import Page, expect

MANAGE = re.compile(r"/pl/m/([^/?]+)(\?.*)?$")


def read_code(page: Page, last_digits: str) -> str:
    """The code as the migrant reads it: from the development SMS page, for their number."""
    inbox = page.context.new_page()
    inbox.goto("/dev/messages")
    row = inbox.locator("tr", has_text=f"*** {last_digits}").first
    code = re.search(r"\b(\d{6})\b", row.locator("td[data-message]").inner_text()).group(1)
    inbox.close()
    return code


def open_times(page: Page) -> None:
    page.goto("/pl/t/housing/p/veghel")
    page.locator("ul.choices a.choice").first.click()
    expect(page.locator("ul.times a").first).to_be_visible()


def hold_first_time(page: Page, phone: str) -> None:
    open_times(page)
    page.locator("ul.times a").first.click()
    page.fill("#phone", phone)
    page.locator("form button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/pl/m/[^/]+/code$"))


def book(page: Page, phone: str) -> str:
    """Books the first free time and returns the manage page's URL."""
    hold_first_time(page, phone)
    page.fill("#code", read_code(page, phone[-3:]))
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(MANAGE)
    return page.url.split("?")[0]


def test_full_booking_in_polish_from_the_language_picker(page: Page, tmp_path: Path):
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/en/$"))
    page.locator("nav.langs summary").click()
    page.get_by_role("link", name="Polski").click()
    expect(page).to_have_url(re.compile(r"/pl/$"))
    expect(page.locator("html")).to_have_attribute("lang", "pl")

    page.locator("a.choice", has_text="Mieszkanie").click()
    page.locator("a.choice", has_text="Punkt informacyjny Veghel").click()
    page.locator("ul.choices a.choice").first.click()
    first_time = page.locator("ul.times a").first
    assert re.search(r"\d{4}, \d\d:\d\d$", first_time.get_attribute("aria-label"))
    page.screenshot(
        path=os.environ.get("LOKET_SCREENSHOT") or tmp_path / "times.png", full_page=True
    )
    first_time.click()

    page.fill("#phone", "+48 601 234 501")
    page.fill("#first_name", "Jan")
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Wpisz kod")
    expect(page.locator("main")).to_contain_text("+48 *** *** 501")

    page.fill("#code", read_code(page, "501"))
    page.locator("form button[type=submit]").first.click()
    expect(page).to_have_url(MANAGE)
    expect(page.locator("h1")).to_have_text("Twoja wizyta jest umówiona")
    expect(page.locator("main")).to_contain_text("Kennedylaan 21")
    calendar_link = page.get_by_role("link", name="Dodaj do kalendarza")
    assert calendar_link.get_attribute("href").endswith("/appointment.ics")


def test_a_wrong_code_is_announced_and_the_right_one_still_works(page: Page):
    hold_first_time(page, "+48 601 234 502")
    right = read_code(page, "502")
    page.fill("#code", "000000" if right != "000000" else "111111")
    page.locator("form button[type=submit]").first.click()
    expect(page.get_by_role("alert")).to_have_text(
        "Ten kod jest nieprawidłowy. Sprawdź SMS i spróbuj ponownie: zostały Ci 4 próby."
    )
    expect(page.locator("#code")).to_have_attribute("aria-invalid", "true")
    page.fill("#code", right)
    page.locator("form button[type=submit]").first.click()
    expect(page.locator("h1")).to_have_text("Twoja wizyta jest umówiona")


def test_cancel_through_the_manage_link_with_a_confirm_step(page: Page):
    manage = book(page, "+48 601 234 503")
    page.goto(manage)
    page.get_by_role("link", name="Odwołaj wizytę").click()
    expect(page.locator("h1")).to_have_text("Czy chcesz odwołać tę wizytę?")
    page.get_by_role("button", name="Tak, odwołaj wizytę").click()
    expect(page.locator("h1")).to_have_text("Ta wizyta została odwołana")


def test_move_to_another_free_time(page: Page):
    manage = book(page, "+48 601 234 504")
    before = page.locator("dl.facts dd").first.inner_text()
    page.goto(manage)
    page.get_by_role("link", name="Wybierz inny termin").click()
    page.locator("ul.choices a.choice").nth(1).click()
    page.locator("ul.times a").nth(2).click()
    page.get_by_role("button", name="Tak, przenieś wizytę").click()
    expect(page.get_by_role("status")).to_have_text("Twoja wizyta ma nowy termin.")
    assert page.locator("dl.facts dd").first.inner_text() != before


def test_a_time_taken_meanwhile_is_explained_and_another_can_be_chosen(page: Page, server: str):
    open_times(page)
    link = page.locator("ul.times a").first
    start = unquote(link.get_attribute("href").split("start=")[1])
    point_and_topic = (
        httpx.get(f"{server}/api/points").json(),
        httpx.get(f"{server}/api/topics").json(),
    )
    veghel = next(p["id"] for p in point_and_topic[0] if p["slug"] == "veghel")
    housing = next(t["id"] for t in point_and_topic[1] if t["slug"] == "housing")
    for n in range(10):  # others take the time until nobody is left to serve it
        someone_else = {
            "point": veghel,
            "topic": housing,
            "language": "pl",
            "start": start,
            "phone": f"+40 721 234 5{n:02d}",
        }
        if httpx.post(f"{server}/api/appointments", json=someone_else).status_code == 409:
            break
    else:
        raise AssertionError("the time never filled up")

    link.click()
    page.fill("#phone", "+48 601 234 509")
    page.locator("form button[type=submit]").click()
    expect(page.get_by_role("alert")).to_have_text(
        "Ktoś właśnie zarezerwował ten termin. Wybierz inny termin."
    )
    assert start not in [
        unquote(h) for h in page.locator("ul.times a").evaluate_all("els => els.map(e => e.href)")
    ]
    page.locator("ul.times a").first.click()
    page.fill("#phone", "+48 601 234 509")
    page.locator("form button[type=submit]").click()
    expect(page.locator("h1")).to_have_text("Wpisz kod")


def tab_to(page: Page, selector: str, limit: int = 120) -> None:
    """Presses Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "s => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"could not reach {selector} with the keyboard")


def follow(page: Page) -> None:
    """Presses Enter on the focused link or button and waits for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_the_whole_flow_works_with_the_keyboard_only(page: Page):
    page.goto("/pl/")
    for target in (
        'a.choice[href$="/t/housing"]',
        'a.choice[href$="/p/veghel"]',
        "ul.choices a.choice",
        "ul.times a",
    ):
        tab_to(page, target)
        follow(page)
    tab_to(page, "#phone")
    page.keyboard.type("+48 601 234 510")
    tab_to(page, "form button[type=submit]")
    follow(page)
    expect(page.locator("h1")).to_have_text("Wpisz kod")
    tab_to(page, "#code")
    page.keyboard.type(read_code(page, "510"))
    follow(page)
    expect(page.locator("h1")).to_have_text("Twoja wizyta jest umówiona")


def test_erase_my_data_from_the_manage_page(page: Page):
    manage = book(page, "+48 601 234 511")
    page.goto(manage)
    page.get_by_role("link", name="Usuń moje dane").click()
    expect(page.locator("h1")).to_have_text("Czy chcesz, żebyśmy usunęli Twoje dane?")
    expect(page.get_by_role("main")).to_contain_text(
        "Najpierw odwołamy Twoje nadchodzące wizyty. Dostaniesz o tym ostatni SMS."
    )
    page.get_by_role("button", name="Tak, usuń moje dane").click()
    expect(page).to_have_url(re.compile(r"/pl/erased$"))
    gone = page.goto(manage)
    assert gone is not None and gone.status == 404
    expect(page.get_by_role("main")).to_contain_text("Ten link jest już nieważny.")
    expect(page.get_by_role("link", name="Odwołaj wizytę")).to_have_count(0)
