"""The waiting list on WhatsApp: joined through the API with ``text_channel``, the code and
the offer go by WhatsApp as approved templates in the person's language, through the real
dispatcher and Twilio SDK to the Twilio-compatible fake."""

import json
from dataclasses import replace

import pytest

from booking.db.tables import Message, MigrantContact
from booking.domain.policy import Policy
from booking.notify import texts
from booking.notify.whatsapp import templates
from booking.services import changes
from booking.services.point_setup import Catalog
from booking.services.waitlist import offers
from booking.settings.sections import WHATSAPP_TEMPLATES
from tests.conftest import NOW
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN
from tests.notify import test_whatsapp as whatsapp_world
from tests.notify.test_whatsapp import PUBLIC, SENDER, variables
from tests.waitlist.world import evening_point, fill

fake = whatsapp_world.fake  # the fixtures
app = whatsapp_world.app
dispatcher = whatsapp_world.dispatcher

PHONE = "+380501234567"
#: Every text has an approved template in Polish and in Ukrainian, each its own SID.
SIDS = {
    (name, language): f"HX{i:030x}{n:02x}"
    for i, name in enumerate(WHATSAPP_TEMPLATES, 1)
    for n, language in enumerate(("pl", "uk"))
}


@pytest.fixture
def configured(settings, fake):
    templates_by_name: dict[str, dict[str, str]] = {}
    for (name, language), sid in SIDS.items():
        templates_by_name.setdefault(name, {})[language] = sid
    return replace(
        settings,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        twilio_from="Loket",
        twilio_api_base_url=fake.url,
        public_base_url=PUBLIC,
        secret_key="whatsapp-tests-" + "k" * 32,
        twilio_whatsapp_from=SENDER,
        twilio_whatsapp_templates=templates_by_name,
    )


async def send_all(dispatcher) -> None:
    while await dispatcher.run_once():
        pass


async def test_an_offer_to_a_whatsapp_entry_goes_as_its_template_in_ukrainian(
    app, fake, dispatcher, configured
):
    point, topic = await evening_point()
    booked = await fill(point, topic, NOW)
    join = {"topic": topic, "language": "uk", "phone": PHONE, "point": point,
            "windows": "mo-fr 18:00-24:00"}  # fmt: skip
    refused = await app.post("/api/waitlist", json=join | {"text_channel": "fax"})
    assert refused.status_code == 422
    joined = await app.post("/api/waitlist", json=join | {"text_channel": "whatsapp"})
    assert joined.status_code == 201, joined.text
    [contact] = await MigrantContact.select(MigrantContact.text_channel).where(
        MigrantContact.phone == PHONE
    )
    assert contact["text_channel"] == "whatsapp"

    await send_all(dispatcher)
    [code_request] = fake.whatsapp()
    assert code_request["To"] == "whatsapp:" + PHONE
    assert code_request["ContentSid"] == SIDS[("code", "uk")] and "Body" not in code_request
    token = joined.json()["token"]
    verified = await app.post(
        f"/api/waitlist/{token}/verify", json={"code": variables(code_request)["1"]}
    )
    assert verified.json()["status"] == "waiting"

    policy = Policy.from_settings(configured)
    await changes.cancel(Catalog(), policy, booked[0].manage_token, now=NOW)
    assert await offers.offer_round(Catalog(), policy, now=NOW) == 1
    await send_all(dispatcher)
    [offer] = [r for r in fake.whatsapp() if r is not code_request]
    assert offer["To"] == "whatsapp:" + PHONE and offer["From"] == SENDER
    assert offer["ContentSid"] == SIDS[("offer", "uk")] and "Body" not in offer
    at, minutes, link = variables(offer).values()
    assert any("\u0400" <= c <= "\u04ff" for c in at), at  # the day in Ukrainian
    assert "18:00" in at and "Kennedylaan 21" in at
    assert minutes == str(int(policy.offer.total_seconds() // 60))
    assert link.startswith(PUBLIC + "/o/")
    assert (await app.get(f"/api/offers/{link.rsplit('/', 1)[1]}")).json()["status"] == "live"
    [row] = await Message.select().where(Message.kind == Message.OFFER)
    assert (row["channel"], row["template"], row["language"]) == ("whatsapp", "offer", "uk")
    assert PHONE not in {r["To"].removeprefix("whatsapp:") for r in fake.sms()}


def test_the_you_are_next_text_has_a_template_with_the_number():
    name, numbered = templates.stored(texts.QUEUE_NEXT, "pl", number=7)
    assert (name, json.loads(numbered)) == ("queue_next", {"1": "7"})
    assert templates.VARIABLES["offer"] == ("at", "minutes", "link")
    assert set(templates.VARIABLES) == set(WHATSAPP_TEMPLATES)
