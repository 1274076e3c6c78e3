"""WhatsApp beside SMS, end to end: the API books, the real dispatcher sends through the
real Twilio SDK to the Twilio-compatible fake, the fake calls the signed webhooks back (status
callbacks, a person's replies), and the codes and reminders come by the channel chosen."""

import json
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from booking.app import create_app
from booking.db.tables import Appointment, Message, MigrantContact, SmsOptOut
from booking.domain.policy import Policy
from booking.notify import placeholders, texts
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer
from booking.settings.sections import WHATSAPP_TEMPLATES
from booking.worker import sms_sender, whatsapp_sender
from tests import factories
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.web.test_api import VEGHEL_HOURS, booking, slots
from tests.web.test_webhooks import twiml_text

#: What the person answers to stop our messages: the Bulgarian word, understood like STOP
#: (booking/domain/keywords.py).
STOP = "СТОП"
PUBLIC = "https://loket.example.nl"
SENDER = "whatsapp:+31850000001"
PHONE = "+48601234567"
#: One approved template per text in Polish, except the cancellation: it has none.
SIDS = {name: f"HX{i:032x}" for i, name in enumerate(WHATSAPP_TEMPLATES, 1)}
TEMPLATES = {name: {"pl": sid} for name, sid in SIDS.items() if name != "cancellation"}
THURSDAY = "2026-12-03"


@pytest.fixture
async def fake():
    server = FakeTwilio()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def world(db):
    """A point with a Polish-speaking consultant on Thursday morning."""
    point = await factories.point(await factories.region(), hours=VEGHEL_HOURS)
    topic = await factories.topic()
    await factories.staff(point, ["pl"], hours=VEGHEL_HOURS, name="Agnieszka")
    return {"point": point, "topic": topic}


@pytest.fixture
def configured(settings, fake):
    return replace(
        settings,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from="Loket",
        twilio_api_base_url=fake.url,
        public_base_url=PUBLIC,
        secret_key="whatsapp-tests-" + "k" * 32,  # https is production: no development key
        twilio_whatsapp_from=SENDER,
        twilio_whatsapp_templates=TEMPLATES,
    )


@pytest.fixture
async def app(db, configured, clock, fake):
    """Loket's API and webhooks; the fake posts its callbacks here as Twilio would."""
    transport = httpx.ASGITransport(app=create_app(configured, clock=clock))
    async with httpx.AsyncClient(transport=transport, base_url="http://internal:8000") as http:

        async def post_back(url: str, form: dict[str, str], signature: str):
            assert url.startswith(PUBLIC + "/webhooks/twilio/")
            answer = await http.post(
                url.removeprefix(PUBLIC), data=form, headers={"X-Twilio-Signature": signature}
            )
            assert answer.status_code in (200, 204), answer.text
            return answer

        fake.post_back, fake.clock = post_back, clock
        yield http


@pytest.fixture
async def dispatcher(configured, clock):
    """The worker's own senders: Twilio for SMS and Twilio's WhatsApp sender."""
    sms, whatsapp = sms_sender(configured), whatsapp_sender(configured)
    yield Dispatcher(
        sms, clock, Policy.from_settings(configured), mail=EmbeddedMailer(), whatsapp=whatsapp
    )
    await sms.close()
    await whatsapp.close()


async def book(app, world, pick: int = 4, phone: str = PHONE) -> dict:
    start = (await slots(app, world, first=THURSDAY, last=THURSDAY))[pick]["start"]
    created = await app.post(
        "/api/appointments", json=booking(world, start, phone=phone, text_channel="whatsapp")
    )
    assert created.status_code == 201, created.text
    return created.json()


async def texts_of(appointment_id: int, kind: str) -> list[dict]:
    return (
        await Message.select()
        .where((Message.appointment == appointment_id) & (Message.kind == kind))
        .order_by(Message.id)
    )


def variables(request: dict) -> dict[str, str]:
    return json.loads(request["ContentVariables"])


async def incoming(fake, body: str):
    return await fake.incoming(
        PUBLIC + "/webhooks/twilio/whatsapp/inbound", "whatsapp:" + PHONE, body, to=SENDER
    )


async def test_book_confirm_and_be_reminded_by_whatsapp_until_stop(
    app, world, fake, dispatcher, clock
):
    held = await book(app, world)
    assert (await MigrantContact.select(MigrantContact.text_channel).first()) == {
        "text_channel": "whatsapp"
    }

    await dispatcher.run_once()
    [code_request] = fake.received
    assert (code_request["To"], code_request["From"]) == ("whatsapp:" + PHONE, SENDER)
    assert code_request["ContentSid"] == SIDS["code"] and "Body" not in code_request
    assert code_request["StatusCallback"] == PUBLIC + "/webhooks/twilio/whatsapp/status"
    code = variables(code_request)["1"]
    assert code.isdigit() and len(code) == 6 and variables(code_request)["2"] == "10"
    # Sent but not yet delivered, WhatsApp keeps the sealed code (an SMS could still need it).
    [sent] = await texts_of(held["id"], Message.CODE)
    assert (sent["channel"], sent["status"], bool(sent["seed"])) == ("whatsapp", "sent", True)

    await fake.settled()  # sent, delivered, read
    [delivered] = await texts_of(held["id"], Message.CODE)
    assert (delivered["status"], delivered["seed"]) == ("delivered", None)

    confirmed = await app.post(
        f"/api/appointments/{held['manage_token']}/verify", json={"code": code}
    )
    assert (confirmed.status_code, confirmed.json()["status"]) == (200, "confirmed")

    await dispatcher.run_once()
    confirmation = fake.received[-1]
    assert confirmation["To"] == "whatsapp:" + PHONE
    assert confirmation["ContentSid"] == SIDS["confirmation"]
    at, link = variables(confirmation).values()
    assert link == held["manage_url"] and "10:00" in at and at.count(",") >= 2

    clock.now += timedelta(hours=25)  # Wednesday 10:00: the 24-hour reminder
    await dispatcher.run_once()
    reminder = fake.received[-1]
    assert (reminder["To"], reminder["ContentSid"]) == ("whatsapp:" + PHONE, SIDS["reminder"])
    assert variables(reminder)["2"] == held["manage_url"]
    await fake.settled()

    answer = await incoming(fake, STOP)
    assert twiml_text(answer) == texts.render(texts.REPLY_STOPPED, "pl")
    assert await SmsOptOut.count() == 1

    sent_before = len(fake.received)
    clock.now += timedelta(hours=22)  # Thursday 08:00: the 2-hour reminder
    await dispatcher.run_once()
    assert len(fake.received) == sent_before
    reminders = await texts_of(held["id"], Message.REMINDER)
    assert [r["status"] for r in reminders] == ["delivered", "skipped"]
    assert reminders[-1]["last_error"] == "the number opted out (STOP)"
    assert fake.sms() == []  # everything went by WhatsApp


async def test_in_the_window_free_form_and_a_text_without_template_goes_by_sms(
    app, world, fake, dispatcher, clock
):
    held = await book(app, world)
    await dispatcher.run_once()
    code = variables(fake.received[0])["1"]

    # The person writes first: the help text answers, and 24 hours of free-form begin.
    answer = await incoming(fake, "dzień dobry")
    assert twiml_text(answer) == texts.render(texts.REPLY_HELP, "pl")
    await app.post(f"/api/appointments/{held['manage_token']}/verify", json={"code": code})
    await dispatcher.run_once()
    confirmation = fake.received[-1]
    assert confirmation["To"] == "whatsapp:" + PHONE and "ContentSid" not in confirmation
    assert held["manage_url"] in confirmation["Body"]

    clock.now += timedelta(hours=26)  # the window has closed; cancellation has no template
    cancelled = await app.post(f"/api/appointments/{held['manage_token']}/cancel")
    assert cancelled.status_code == 200
    await dispatcher.run_once()
    [by_sms] = fake.sms()
    assert (by_sms["To"], by_sms["From"]) == (PHONE, "Loket")
    assert by_sms["StatusCallback"] == PUBLIC + "/webhooks/twilio/status"
    [cancellation] = await texts_of(held["id"], Message.CANCELLATION)
    assert (cancellation["channel"], cancellation["status"]) == ("sms", "sent")
    assert by_sms["Body"] == cancellation["body"].replace(placeholders.LINK, held["manage_url"])
    await fake.settled()
    [settled] = await texts_of(held["id"], Message.CANCELLATION)
    assert settled["status"] == "delivered"


async def test_a_number_without_whatsapp_gets_its_code_by_sms_once(app, world, fake, dispatcher):
    fake.not_on_whatsapp = {PHONE}
    held = await book(app, world)
    await dispatcher.run_once()
    [tried] = fake.whatsapp()
    await fake.settled()  # failed, 63003: not a WhatsApp number
    [fell_back] = await texts_of(held["id"], Message.CODE)
    assert (fell_back["channel"], fell_back["status"]) == ("sms", "pending")
    assert fell_back["last_error"] == "whatsapp code 63003: sent by SMS"

    await dispatcher.run_once()
    [by_sms] = fake.sms()
    assert by_sms["To"] == PHONE and variables(tried)["1"] in by_sms["Body"]
    await fake.settled()
    [done] = await texts_of(held["id"], Message.CODE)
    assert (done["channel"], done["status"], done["seed"]) == ("sms", "delivered", None)
    assert len(fake.received) == 2  # once by WhatsApp, once by SMS, no more

    confirmed = await app.post(
        f"/api/appointments/{held['manage_token']}/verify", json={"code": variables(tried)["1"]}
    )
    assert confirmed.json()["status"] == Appointment.CONFIRMED


async def test_a_refused_whatsapp_send_goes_by_sms_at_once_and_a_busy_one_is_retried(
    app, world, fake, dispatcher, clock
):
    held = await book(app, world)
    fake.script.append((400, 63024))  # invalid WhatsApp recipient
    await dispatcher.run_once()
    [by_sms] = fake.received
    assert by_sms["To"] == PHONE and "ContentSid" not in by_sms
    [code] = await texts_of(held["id"], Message.CODE)
    assert (code["channel"], code["status"]) == ("sms", "sent")

    other = await book(app, world, pick=6, phone="+48601234599")
    fake.script.append((429, 20429))  # too many requests: temporary
    await dispatcher.run_once()
    [waiting] = await texts_of(other["id"], Message.CODE)
    assert (waiting["channel"], waiting["status"]) == ("whatsapp", "pending")
    assert waiting["last_error"] == "twilio 429 code 20429"
    clock.now += timedelta(minutes=2)
    await dispatcher.run_once()
    assert fake.received[-1]["To"] == "whatsapp:+48601234599"
    [sent] = await texts_of(other["id"], Message.CODE)
    assert (sent["channel"], sent["status"], sent["attempts"]) == ("whatsapp", "sent", 2)


async def test_a_code_whatsapp_never_reported_on_is_forgotten_once_used(
    app, world, fake, dispatcher
):
    held = await book(app, world)
    await dispatcher.run_once()
    code = variables(fake.received[0])["1"]
    [waiting] = await texts_of(held["id"], Message.CODE)
    assert waiting["status"] == "sent" and waiting["seed"]
    await app.post(f"/api/appointments/{held['manage_token']}/verify", json={"code": code})
    [forgotten] = await texts_of(held["id"], Message.CODE)
    assert (forgotten["status"], forgotten["seed"]) == ("sent", None)


async def test_a_forged_whatsapp_callback_is_refused(app):
    form = {"MessageSid": "SM1", "MessageStatus": "failed", "ErrorCode": "63003"}
    answer = await app.post(
        "/webhooks/twilio/whatsapp/status", data=form, headers={"X-Twilio-Signature": "forged"}
    )
    assert answer.status_code == 403
    answer = await app.post(
        "/webhooks/twilio/whatsapp/inbound",
        data={"From": "whatsapp:" + PHONE, "Body": STOP},
        headers={"X-Twilio-Signature": "forged"},
    )
    assert answer.status_code == 403 and await SmsOptOut.count() == 0
