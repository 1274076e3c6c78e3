"""Choosing SMS or WhatsApp: on the phone-number step of the booking pages, in the API, and
by staff for a caller; the choice is the contact's, and their texts are queued on it."""

import re

from booking.db.tables import Appointment, Message, MigrantContact
from booking.i18n import gettext
from tests.ops.metrics_text import samples, value
from tests.staff_login import api_token, csrf, log_in
from tests.web.test_pages import (
    form_post,
    start_of,
    times_on,
    veghel,  # noqa: F401 (fixture)
)
from tests.web.test_staff import world  # noqa: F401 (fixture)

CHECKED = re.compile(r'<input type="radio" name="text_channel" value="(\w+)" checked>')


async def slot_page(client) -> str:
    day = await client.get("/pl/t/housing/p/veghel/2026-12-01")
    return times_on(day.text)[0]


async def channels() -> list[tuple[str, str]]:
    rows = await Message.select(Message.kind, Message.channel).order_by(Message.id)
    return [(r["kind"], r["channel"]) for r in rows]


async def test_the_phone_step_offers_whatsapp_and_the_code_goes_by_it(client, veghel):  # noqa: F811
    slot = await slot_page(client)
    page = await client.get(slot)
    assert CHECKED.findall(page.text) == ["sms"]  # SMS unless the person chooses
    assert 'value="whatsapp"' in page.text

    held = await form_post(
        client,
        slot,
        "/pl/t/housing/p/veghel/book",
        start=start_of(slot),
        phone="+48 601 234 567",
        text_channel="whatsapp",
    )
    assert held.status_code == 303, held.text[:300]
    assert await MigrantContact.select(MigrantContact.text_channel) == [
        {"text_channel": "whatsapp"}
    ]
    assert await channels() == [("code", "whatsapp")]
    gauges = samples((await client.get("/metrics")).text)
    assert value(gauges, "loket_outbox_messages", channel="whatsapp", status="pending") == 1
    assert value(gauges, "loket_outbox_messages", channel="sms", status="pending") == 0


async def test_a_wrong_number_keeps_the_choice_and_an_unknown_channel_is_refused(
    client,
    veghel,  # noqa: F811
):
    slot = await slot_page(client)
    wrong = await form_post(
        client,
        slot,
        "/pl/t/housing/p/veghel/book",
        start=start_of(slot),
        phone="12",
        text_channel="whatsapp",
    )
    assert wrong.status_code == 422 and CHECKED.findall(wrong.text) == ["whatsapp"]

    unknown = await form_post(
        client,
        slot,
        "/pl/t/housing/p/veghel/book",
        start=start_of(slot),
        phone="+48 601 234 567",
        text_channel="fax",
    )
    assert unknown.status_code == 422
    assert gettext("Please check what you entered.", "pl") in unknown.text
    assert await Appointment.count() == 0 and await MigrantContact.count() == 0


async def test_staff_choose_whatsapp_for_a_caller_on_the_form_and_in_the_api(
    client,
    world,  # noqa: F811
):
    await log_in(client, "agnieszka@example.nl")
    url = f"/staff/points/{world['veghel']}/book"
    form = await client.get(f"{url}?day=2026-12-01")
    assert '<select id="text_channel" name="text_channel">' in form.text
    booked = await client.post(
        url,
        data={
            "_csrf_token": await csrf(client, "/staff/"),
            "topic": world["topic"],
            "language": "pl",
            "start": "2026-12-01T18:30:00+01:00",
            "phone": "+48 601 234 567",
            "text_channel": "whatsapp",
        },
    )
    assert booked.status_code == 303, booked.text[:300]
    assert await channels() == [("confirmation", "whatsapp"), ("reminder", "whatsapp")]

    headers = await api_token(client, "agnieszka@example.nl")
    by_api = await client.post(
        "/api/staff/appointments",
        headers=headers,
        json={
            "point": world["veghel"],
            "topic": world["topic"],
            "language": "pl",
            "channel": "phone",
            "start": "2026-12-01T19:00:00+01:00",
            "phone": "+48 601 234 568",
            "text_channel": "whatsapp",
        },
    )
    assert by_api.status_code == 201, by_api.text
    refused = await client.post(
        "/api/staff/appointments",
        headers=headers,
        json={
            "point": world["veghel"],
            "topic": world["topic"],
            "language": "pl",
            "channel": "phone",
            "start": "2026-12-01T19:30:00+01:00",
            "phone": "+48 601 234 569",
            "text_channel": "pigeon",
        },
    )
    assert refused.status_code in (400, 422)
    assert sorted(r["text_channel"] for r in await MigrantContact.select()) == [
        "whatsapp",
        "whatsapp",
    ]
