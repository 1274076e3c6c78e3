"""Twilio's webhooks: signatures, delivery statuses, STOP/START/HELP and 1/2 replies."""

from dataclasses import replace

import httpx
import pytest
from twilio.request_validator import RequestValidator

from booking.app import create_app
from booking.db.tables import Appointment, Message, SmsOptOut
from tests import factories
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.notify.test_notices import confirmed_appointment
from tests.web.test_api import VEGHEL_HOURS

PUBLIC = "https://loket.example.nl"


@pytest.fixture
async def twilio_client(db, settings, clock):
    configured = replace(
        settings,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        public_base_url=PUBLIC,
        secret_key="webhook-tests-" + "k" * 32,  # https is production: no development key
    )
    transport = httpx.ASGITransport(app=create_app(configured, clock=clock))
    async with httpx.AsyncClient(transport=transport, base_url="http://internal:8000") as http:
        yield http


@pytest.fixture
async def veghel(db):
    region = await factories.region()
    point = await factories.point(region, hours=VEGHEL_HOURS)
    topic = await factories.topic()
    await factories.staff(point, ["pl", "nl"], hours=VEGHEL_HOURS, name="Agnieszka")
    return {"point": point, "topic": topic}


async def from_twilio(client, path: str, form: dict[str, str], *, forged: bool = False):
    """Posts as Twilio does: the signature covers the public URL, not the internal one."""
    signature = RequestValidator("wrong-token" if forged else AUTH_TOKEN).compute_signature(
        PUBLIC + path, form
    )
    return await client.post(path, data=form, headers={"X-Twilio-Signature": signature})


def twiml_text(response) -> str:
    return (
        response.text.split("<Message>")[1].split("</Message>")[0]
        if "<Message>" in response.text
        else ""
    )


async def test_forged_or_unsigned_calls_are_refused(twilio_client, client):
    form = {"MessageSid": "SM1", "MessageStatus": "delivered"}
    assert (
        await from_twilio(twilio_client, "/webhooks/twilio/status", form, forged=True)
    ).status_code == 403
    assert (
        await twilio_client.post(
            "/webhooks/twilio/inbound", data={"From": "+48601234567", "Body": "STOP"}
        )
    ).status_code == 403
    # Without a Twilio token nothing can be checked, so nothing is accepted.
    assert (await from_twilio(client, "/webhooks/twilio/status", form)).status_code == 403
    assert await SmsOptOut.count() == 0


async def test_delivery_statuses_move_forward_only(twilio_client, veghel, client):
    held = await confirmed_appointment(client, veghel, "2026-12-03", pick=4)
    confirmation = (
        await Message.select()
        .where((Message.appointment == held["id"]) & (Message.kind == "confirmation"))
        .first()
    )
    await Message.update({Message.status: Message.SENT, Message.provider_id: "SM42"}).where(
        Message.id == confirmation["id"]
    )
    for status in ("delivered", "sent"):  # callbacks may come out of order
        response = await from_twilio(
            twilio_client,
            "/webhooks/twilio/status",
            {"MessageSid": "SM42", "MessageStatus": status},
        )
        assert response.status_code == 204
    assert (await Message.select(Message.status).where(Message.id == confirmation["id"]).first())[
        "status"
    ] == "delivered"


async def test_stop_start_and_help_in_the_numbers_language(twilio_client, veghel, client):
    await confirmed_appointment(client, veghel, "2026-12-03", pick=4)
    stop = await from_twilio(
        twilio_client, "/webhooks/twilio/inbound", {"From": "+48601234567", "Body": "Stop"}
    )
    assert stop.headers["content-type"].startswith("application/xml")
    assert twiml_text(stop).startswith("Loket: nie bedziesz juz dostawac od nas SMS-ow")
    assert await SmsOptOut.count() == 1
    start = await from_twilio(
        twilio_client, "/webhooks/twilio/inbound", {"From": "+48601234567", "Body": "START"}
    )
    assert "znow" in twiml_text(start) and await SmsOptOut.count() == 0
    help_ = await from_twilio(
        twilio_client, "/webhooks/twilio/inbound", {"From": "+40721234567", "Body": "hello?"}
    )
    assert "STOP" in twiml_text(help_) and twiml_text(help_).startswith(
        "Loket: texts about"
    )  # unknown number: English


async def test_one_confirms_and_two_cancels_the_reminded_appointment(twilio_client, veghel, client):
    held = await confirmed_appointment(client, veghel, "2026-12-03", pick=4)
    nothing = await from_twilio(
        twilio_client, "/webhooks/twilio/inbound", {"From": "+48601234567", "Body": "1"}
    )
    assert twiml_text(nothing).startswith(
        "Loket: nie znalezlismy wizyty"
    )  # no reminder went out yet
    await Message.update({Message.status: Message.SENT}).where(
        (Message.appointment == held["id"]) & (Message.kind == Message.REMINDER)
    )
    yes = await from_twilio(
        twilio_client, "/webhooks/twilio/inbound", {"From": "+48601234567", "Body": " 1 "}
    )
    assert twiml_text(yes) == "Loket: dziekujemy, do zobaczenia czw. 3 gru, 10:00."
    assert (await Appointment.select(Appointment.reply_confirmed_at).first())[
        "reply_confirmed_at"
    ] is not None
    no = await from_twilio(
        twilio_client, "/webhooks/twilio/inbound", {"From": "+48601234567", "Body": "2"}
    )
    assert twiml_text(no) == ""  # the cancellation text answers, through the outbox
    assert (await Appointment.select(Appointment.status).first())["status"] == "cancelled"
    assert (
        await Message.count().where(
            (Message.kind == "cancellation") & (Message.status == "pending")
        )
        == 1
    )
    assert held["start"] in [
        s["start"]
        for s in (
            await client.get(
                "/api/slots",
                params={
                    "point": veghel["point"],
                    "topic": veghel["topic"],
                    "language": "pl",
                    "from": "2026-12-03",
                    "to": "2026-12-03",
                },
            )
        ).json()["slots"]
    ]
