"""The waiting list's pages: join from a point's days in the person's language, enter the
code, book an offered time with one tap from the text's link, let one pass, leave."""

from datetime import timedelta

import pytest

from booking.db.tables import Appointment, WaitingEntry, WaitlistOffer
from booking.services import changes
from booking.services.point_setup import Catalog
from booking.services.waitlist import offers
from tests import factories
from tests.conftest import NOW
from tests.page_rules import BOOKING_PAGE_BUDGET, outside_references
from tests.waitlist.world import evening_point, fill, offers_sent, policy
from tests.web.test_pages import form_post, gzipped


@pytest.fixture
async def full(db):
    point, topic = await evening_point()
    return point, await fill(point, topic, NOW)


async def join_via_pages(client, lang="pl", phone="+48 601 234 567", **choices):
    days = await client.get(f"/{lang}/t/housing/p/veghel")
    assert f'href="/{lang}/t/housing/p/veghel/wait"' in days.text
    form = f"/{lang}/t/housing/p/veghel/wait"
    response = await form_post(client, form, form, phone=phone, weeks="4", **choices)
    assert response.status_code == 303, response.text[:800]
    entry = response.headers["location"]
    code = await factories.sms_code()
    response = await form_post(client, entry, f"{entry}/code", code=code)
    assert response.status_code == 303
    return entry


async def test_join_enter_the_code_and_book_an_offered_time(client, full, settings):
    _, booked = full
    entry = await join_via_pages(client, evenings="1")
    waiting = await client.get(entry)
    assert "Jesteś na liście oczekujących" in waiting.text, waiting.text[-1500:]
    assert await WaitingEntry.select(WaitingEntry.windows, WaitingEntry.status) == [
        {"windows": "mo-fr 18:00-24:00", "status": "waiting"}
    ]

    now = NOW + timedelta(minutes=1)
    await changes.cancel(Catalog(), policy(), booked[1].manage_token, now=now)
    assert await offers.offer_round(Catalog(), policy(), now=now) == 1
    [sent] = await offers_sent()
    link = sent["text"].split(" ")[-1].replace(settings.public_base_url, "")
    opened = await client.get(link)
    assert opened.status_code == 302 and opened.headers["location"] == f"/pl/o/{sent['token']}"
    size, html, _ = await gzipped(client, opened.headers["location"])
    assert size < BOOKING_PAGE_BUDGET and outside_references(html, settings.public_base_url) == []
    assert "Zarezerwuj ten termin" in html

    page = opened.headers["location"]
    done = await form_post(client, page, f"{page}/book")
    assert done.status_code == 303 and done.headers["location"] == f"/pl/m/{sent['token']}?new"
    row = (
        await Appointment.select(Appointment.status, Appointment.starts_at)
        .where(
            Appointment.manage_token_hash.is_not_null()
            & (Appointment.starts_at == booked[1].starts_at)
        )
        .order_by(Appointment.id, ascending=False)
        .first()
    )
    assert row["status"] == Appointment.CONFIRMED
    assert (await client.get(entry)).status_code == 200


async def test_bad_input_is_explained_on_the_form(client, full):
    form = "/pl/t/housing/p/veghel/wait"
    no_window = await form_post(client, form, form, phone="+48 601 234 567")
    assert no_window.status_code == 422
    assert "Wybierz co najmniej jedną porę" in no_window.text
    bad_phone = await form_post(client, form, form, phone="12", evenings="1")
    assert bad_phone.status_code == 422 and 'aria-invalid="true"' in bad_phone.text
    assert await WaitingEntry.count() == 0


async def test_let_pass_then_leave_from_the_link(client, full, settings):
    _, booked = full
    entry = await join_via_pages(client, lang="ro", phone="+40 721 000 002", evenings="1")
    now = NOW + timedelta(minutes=1)
    await changes.cancel(Catalog(), policy(), booked[1].manage_token, now=now)
    await offers.offer_round(Catalog(), policy(), now=now)
    [sent] = await offers_sent()
    page = f"/ro/o/{sent['token']}"
    passed = await form_post(client, page, f"{page}/pass")
    assert passed.status_code == 303
    assert await WaitlistOffer.select(WaitlistOffer.status) == [{"status": "passed"}]
    # Let pass: the same time is not offered to them again.
    assert await offers.offer_round(Catalog(), policy(), now=now) == 0
    left = await form_post(client, page, f"{page}/leave")
    assert left.status_code == 303
    assert await WaitingEntry.select(WaitingEntry.status) == [{"status": "left"}]
    assert "Booked" not in (await client.get(entry)).text
    # Too late to book now: a clear 409 on the page, nothing booked.
    late = await form_post(client, page, f"{page}/book")
    assert late.status_code == 409
    assert (
        await Appointment.count().where(
            (Appointment.status == Appointment.CONFIRMED)
            & (Appointment.starts_at == booked[1].starts_at)
        )
        == 0
    )
