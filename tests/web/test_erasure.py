"""Erasing my data from the manage page (issue 7): cancel what is ahead with the usual notices,
then erase everything about the number, the number itself once those notices are sent."""

from dataclasses import replace
from datetime import timedelta

import pytest

from booking.db.tables import Appointment, CallbackRequest, Handover, Message, MigrantContact
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer
from booking.notify.twilio_sms import TwilioSender
from booking.services import agenda, appointments, erasure
from booking.services.appointments import BookingRequest
from booking.services.point_setup import Catalog
from booking.services.verification import verify
from tests import factories
from tests.conftest import NOW
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.services.test_retention import local
from tests.staff_login import CSRF
from tests.web.test_invite_pages import NOTE, POLICY, book, handover_world, mails
from tests.web.test_manage_handover import link

MARTA = "+48601234567"
OTHER = "+40722000111"


@pytest.fixture
async def fake():
    server = FakeTwilio()
    await server.start()
    yield server
    await server.stop()


async def dispatch(fake: FakeTwilio, settings, at) -> None:
    """Sends the outbox through the real Twilio SDK to the fake, as the worker would."""
    twilio = TwilioSender(
        replace(
            settings,
            twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN,
            twilio_from="Loket",
            twilio_api_base_url=fake.url,
        )
    )
    try:
        sender = Dispatcher(twilio, lambda: at, POLICY, mail=EmbeddedMailer())
        while await sender.run_once():
            pass
    finally:
        await twilio.close()


async def online(world, phone: str, start, first_name: str | None = None):
    catalog = Catalog()
    request = BookingRequest(world["veghel"], world["topic"], "pl", start, phone, first_name)
    booked = await appointments.book(catalog, POLICY, request, now=NOW)
    await verify(catalog, POLICY, booked.manage_token, await factories.sms_code(booked.id), now=NOW)
    return booked


async def contacts_of(phone: str) -> list[dict]:
    return await MigrantContact.select().where(MigrantContact.phone == phone)


async def test_erasing_cancels_with_notices_then_erases_everything_about_the_number(
    client, fake, settings
):
    world = await handover_world()
    mine = await online(world, MARTA, local(2, 10), first_name="Marta")
    handover = await book(world, phone=MARTA, language="pl", interpreter_language=None,
                          interpreter_mode=None)  # fmt: skip
    callback = await agenda.request_callback(world["veghel"], MARTA, "pl", NOW)
    theirs = await online(world, OTHER, local(2, 11), first_name="Ion")
    await dispatch(fake, settings, NOW)
    invited = {to for to, _, _ in await mails(handover)}
    fake.received.clear()
    token = mine.manage_token
    stored = await Handover.select(Handover.note).where(Handover.appointment == handover)
    assert stored[0]["note"] == NOTE  # so that an empty note afterwards means it was erased

    page = await client.get(f"/en/m/{token}")
    assert f'href="/en/m/{token}/erase"' in page.text
    confirm = await client.get(f"/en/m/{token}/erase")
    assert confirm.status_code == 200
    assert "Do you want us to erase your data?" in confirm.text
    assert "Your appointments ahead are cancelled first" in confirm.text
    assert (await client.post(f"/en/m/{token}/erase")).status_code == 403  # no CSRF token
    done = await client.post(
        f"/en/m/{token}/erase", data={"_csrf_token": CSRF.search(confirm.text).group(1)}
    )
    assert (done.status_code, done.headers["location"]) == (303, "/en/erased")
    erased_page = await client.get("/en/erased")
    assert "Your data has been erased" in erased_page.text

    # Cancelled with the usual notices, which still wait for the number.
    statuses = await Appointment.select(Appointment.id, Appointment.status).where(
        Appointment.id.is_in([mine.id, handover])
    )
    assert {r["status"] for r in statuses} == {Appointment.CANCELLED}
    waiting = await Message.select().where(
        (Message.appointment == handover) & (Message.status == Message.PENDING)
    )
    cancels = [m for m in waiting if m["channel"] == Message.EMAIL]
    assert {m["email"] for m in cancels} == invited
    assert all("METHOD:CANCEL" in m["body"] for m in cancels)
    assert [m["kind"] for m in waiting if m["channel"] == Message.SMS] == [Message.CANCELLATION]
    # The number stays only where a text still waits for it: the two appointments' contacts,
    # not the call-back's; no first name stays anywhere.
    kept = await contacts_of(MARTA)
    assert len(kept) == 2 and all(c["first_name"] is None for c in kept)
    marked = MigrantContact.erase_requested_at.is_not_null()
    assert len(await MigrantContact.select().where(marked)) == 3
    assert (await CallbackRequest.select().where(CallbackRequest.id == callback))[0][
        "status"
    ] == CallbackRequest.CANCELLED
    notes = await Handover.select(Handover.note).where(Handover.appointment == handover)
    assert notes[0]["note"] == ""
    for url in (f"/en/m/{token}", f"/m/{token}", f"/en/m/{await link(handover)}"):
        gone = await client.get(url)
        assert gone.status_code == 404 and "This link is not valid any more" in gone.text
        assert "Marta" not in gone.text and "601" not in gone.text

    await dispatch(fake, settings, NOW + timedelta(seconds=5))
    sent = [r for r in fake.received if r["To"] == MARTA]
    assert len(sent) == 2 and all("odwolana" in r["Body"] for r in sent)  # Polish

    assert await erasure.finish_requests(NOW + timedelta(minutes=1)) == 2
    assert await contacts_of(MARTA) == []
    about_marta = await Message.select().where(Message.appointment.is_in([mine.id, handover]))
    assert about_marta and all(m["body"] == "" and m["contact"] is None for m in about_marta)
    assert await erasure.finish_requests(NOW + timedelta(minutes=2)) == 0

    # Someone else's data is untouched, and their link still works.
    [ion] = await contacts_of(OTHER)
    assert ion["first_name"] == "Ion" and ion["erase_requested_at"] is None
    their_texts = await Message.select().where(Message.appointment == theirs.id)
    assert their_texts and all(m["body"] and m["contact"] == ion["id"] for m in their_texts)
    assert (await client.get(f"/en/m/{theirs.manage_token}")).status_code == 200


async def test_the_confirm_step_changes_nothing_and_speaks_the_language(client):
    world = await handover_world()
    mine = await online(world, MARTA, local(2, 10))
    before = await Appointment.select().where(Appointment.id == mine.id)

    confirm = await client.get(f"/pl/m/{mine.manage_token}/erase")

    assert confirm.status_code == 200 and '<html lang="pl"' in confirm.text
    assert await Appointment.select().where(Appointment.id == mine.id) == before
    assert (await client.get("/pl/m/not-a-token/erase")).status_code == 404
    assert '<html lang="pl"' in (await client.get("/pl/erased")).text
