"""The real Twilio SDK against a Twilio-compatible fake on loopback, and the dispatcher's answers."""

from dataclasses import replace
from datetime import timedelta

import pytest

from booking.db.tables import Message, MigrantContact, SmsOptOut
from booking.domain.policy import Policy
from booking.notify import outbox
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer
from booking.notify.sms import SendError
from booking.notify.twilio_sms import TwilioSender
from tests.conftest import NOW
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio


@pytest.fixture
async def fake():
    server = FakeTwilio()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
def twilio_settings(settings, fake):
    return replace(
        settings,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from="Loket",
        twilio_api_base_url=fake.url,
        public_base_url="https://loket.example.nl",
    )


@pytest.fixture
async def sender(twilio_settings):
    twilio = TwilioSender(twilio_settings)
    yield twilio
    await twilio.close()


async def test_the_sdk_sends_with_sender_id_and_status_callback(sender, fake):
    sid = await sender.send("+48601234567", "Loket: test", kind="confirmation")
    assert sid.startswith("SM")
    [request] = fake.received
    assert request["To"] == "+48601234567" and request["Body"] == "Loket: test"
    assert request["From"] == "Loket"
    assert request["StatusCallback"] == "https://loket.example.nl/webhooks/twilio/status"


@pytest.mark.parametrize(
    ("status", "code", "permanent", "opted_out"),
    [
        (400, 21211, True, False),  # invalid number
        (400, 21610, True, True),  # unsubscribed recipient
        (429, 20429, False, False),  # too many requests
        (500, 20500, False, False),
        (503, 20503, False, False),
    ],
)
async def test_errors_are_told_apart_and_never_quote_the_number(
    sender, fake, status, code, permanent, opted_out
):
    fake.script.append((status, code))
    with pytest.raises(SendError) as caught:
        await sender.send("+48601234567", "Loket: test", kind="reminder")
    assert (caught.value.permanent, caught.value.opted_out) == (permanent, opted_out)
    assert "+48" not in str(caught.value) and str(code) in str(caught.value)


async def test_an_unreachable_provider_is_a_temporary_failure(twilio_settings):
    closed = TwilioSender(replace(twilio_settings, twilio_api_base_url="http://127.0.0.1:9"))
    try:
        with pytest.raises(SendError) as caught:
            await closed.send("+48601234567", "x", kind="code")
        assert not caught.value.permanent
    finally:
        await closed.close()


async def queued(phone: str, body: str, kind: str = Message.CONFIRMATION) -> int:
    contact = (await MigrantContact.insert(MigrantContact(phone=phone, language="pl")))[0]["id"]
    return await outbox.enqueue(kind=kind, language="pl", body=body, contact_id=contact, due_at=NOW)


async def message(message_id: int) -> dict:
    return await Message.select().where(Message.id == message_id).first()


async def test_dispatch_records_sent_failed_and_retries_with_backoff(
    db, sender, fake, clock, twilio_settings
):
    policy = Policy.from_settings(twilio_settings)
    ok = await queued("+48601234501", "one")
    invalid = await queued("+48601234502", "two")
    busy = await queued("+48601234503", "three")
    gone = await queued("+48601234504", "four")
    fake.failing = {
        "+48601234502": (400, 21211),
        "+48601234503": (429, 20429),
        "+48601234504": (400, 21610),
    }

    assert await Dispatcher(sender, clock, policy, mail=EmbeddedMailer()).run_once() == 4

    sent = await message(ok)
    assert (sent["status"], sent["provider_id"][:2], sent["attempts"]) == ("sent", "SM", 1)
    assert (await message(invalid))["status"] == "failed"
    retry = await message(busy)
    assert retry["status"] == "pending" and retry["last_error"] == "twilio 429 code 20429"
    assert timedelta(seconds=20) < retry["due_at"] - NOW < timedelta(seconds=40)
    assert (await message(gone))["status"] == "failed"
    assert await SmsOptOut.count() == 1  # Twilio said unsubscribed: remembered as STOP

    for attempt in range(2, outbox.MAX_ATTEMPTS + 1):
        clock.now += timedelta(hours=2)
        await Dispatcher(sender, clock, policy, mail=EmbeddedMailer()).run_once()
        assert (await message(busy))["attempts"] == attempt
    assert (await message(busy))["status"] == "failed"
    assert [r["Body"] for r in fake.received] == ["one"]
