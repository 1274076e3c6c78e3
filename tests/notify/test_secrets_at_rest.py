"""No live secrets at rest (issue 10 item 4): once a booking's texts are sent, no row of any
table holds its manage link, its token or an SMS code, on either engine; the texts that went
out (to a Twilio-compatible fake, through the real SDK) had them all."""

import re
from dataclasses import replace
from datetime import timedelta

import httpx
import pytest

from booking.app import create_app
from booking.db.piccolo_app import APP_CONFIG
from booking.db.tables import Message
from booking.domain.policy import Policy
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer
from booking.notify.twilio_sms import TwilioSender
from booking.services.auth import accounts
from booking.settings import SettingsError
from booking.worker import sms_sender
from tests import factories
from tests.conftest import NOW
from tests.fake_twilio import ACCOUNT_SID, AUTH_TOKEN, FakeTwilio
from tests.staff_login import PASSWORD, log_in
from tests.web.test_api import VEGHEL_HOURS, booking, slots
from tests.web.test_subject_access import ask

CODE = re.compile(r"\b(\d{6})\b")


@pytest.fixture
async def fake():
    server = FakeTwilio()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture
async def world(db):
    region = await factories.region()
    point = await factories.point(region, hours=VEGHEL_HOURS)
    topic = await factories.topic()
    await factories.staff(point, ["pl", "nl"], hours=VEGHEL_HOURS, name="Agnieszka")
    await accounts.create_account(
        email="monique@example.nl", name="Monique", password=PASSWORD, role="coordinator",
        region_id=region, language="en",
    )  # fmt: skip
    return {"point": point, "topic": topic}


@pytest.fixture
async def dispatch(fake, settings, clock):
    """Runs the real dispatcher once, with the Twilio SDK pointed at the fake."""
    twilio = TwilioSender(
        replace(
            settings,
            twilio_account_sid=ACCOUNT_SID,
            twilio_auth_token=AUTH_TOKEN,
            twilio_from="Loket",
            twilio_api_base_url=fake.url,
        )
    )
    dispatcher = Dispatcher(twilio, clock, Policy.from_settings(settings), mail=EmbeddedMailer())
    yield dispatcher.run_once
    await twilio.close()


async def rows_holding(needles: list[str]) -> list[str]:
    """Every table Piccolo knows, every text value in it: where a needle shows up."""
    found = []
    for table in APP_CONFIG.table_classes:
        for row in await table.select():
            for column, value in row.items():
                if isinstance(value, str):
                    found += [
                        f"{table._meta.tablename}.{column} holds {needle!r}"
                        for needle in needles
                        if needle in value
                    ]
    return found


async def test_after_sending_no_row_holds_a_working_link_or_code(
    client, world, fake, dispatch, clock, settings
):
    start = (await slots(client, world, first="2026-12-03", last="2026-12-03"))[4]["start"]
    held = (await client.post("/api/appointments", json=booking(world, start))).json()
    token, url = held["manage_token"], held["manage_url"]
    await dispatch()
    assert (await client.post(f"/api/appointments/{token}/code")).status_code == 202
    await dispatch()
    codes = [CODE.search(body).group(1) for body in fake.bodies()]
    assert len(codes) == 2 and all("⟨" not in body for body in fake.bodies())

    verified = await client.post(f"/api/appointments/{token}/verify", json={"code": codes[-1]})
    assert verified.json()["status"] == "confirmed", verified.text
    await dispatch()
    later = (await slots(client, world, first="2026-12-04", last="2026-12-04"))[8]["start"]
    moved = await client.post(f"/api/appointments/{token}/reschedule", json={"start": later})
    assert moved.status_code == 200, moved.text
    await dispatch()
    for days, hours in ((2, 2), (3, 0)):  # Thursday 11:00 and Friday 09:00: the reminders
        clock.now = NOW + timedelta(days=days, hours=hours)
        await dispatch()

    sent = fake.bodies()[2:]
    assert len(sent) == 4 and all(body.rstrip().endswith(url) for body in sent), sent
    statuses = {(m["kind"], m["status"]) for m in await Message.select()}
    assert ("reminder", "sent") in statuses and ("change", "sent") in statuses
    assert await rows_holding([token, url, *codes]) == []
    assert await Message.count().where(Message.seed.is_not_null()) == 0

    await log_in(client, "monique@example.nl")
    export = await ask(client, "+48601234567", format="json")
    assert export.status_code == 200 and '"appointments"' in export.text
    assert token not in export.text and not any(code in export.text for code in codes)
    assert settings.public_base_url + "/m/" not in export.text


async def test_a_waiting_code_is_sealed_and_only_the_text_that_goes_out_carries_it(
    client, world, fake, dispatch
):
    start = (await slots(client, world, first="2026-12-03", last="2026-12-03"))[4]["start"]
    held = (await client.post("/api/appointments", json=booking(world, start))).json()
    waiting = await Message.select().where(Message.kind == Message.CODE).first()
    assert "⟨code⟩" in waiting["body"] and waiting["seed"].startswith("s1.")
    code = await factories.sms_code(held["id"])  # unsealed, as the dispatcher will
    assert await rows_holding([code, held["manage_token"]]) == []
    await dispatch()
    [body] = fake.bodies()
    assert CODE.search(body).group(1) == code
    sent = await Message.select().where(Message.id == waiting["id"]).first()
    assert (sent["status"], sent["seed"], sent["body"]) == ("sent", None, waiting["body"])


async def test_the_development_page_shows_the_code_in_development_only(world, settings, clock):
    """/dev/messages is how `make run` reads the code: from the seal while it waits, then
    from the embedded backend's memory; production does not start with it."""
    development = replace(settings, dev_pages=True)
    production = replace(development, public_base_url="https://loket.example.nl",
                         secret_key="production-" + "k" * 32)  # fmt: skip

    async def page(app_settings) -> str:
        app = create_app(app_settings, clock=clock)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://loket.test"
        ) as http:
            return (await http.get("/dev/messages")).text

    app = create_app(development, clock=clock)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://loket.test"
    ) as http:
        start = (await slots(http, world, first="2026-12-03", last="2026-12-03"))[4]["start"]
        held = (await http.post("/api/appointments", json=booking(world, start))).json()
    code = await factories.sms_code(held["id"])
    assert f"{code}" in await page(development)
    sender = sms_sender(development)
    await Dispatcher(
        sender, clock, Policy.from_settings(development), mail=EmbeddedMailer()
    ).run_once()
    assert (await Message.select(Message.seed).first())["seed"] is None
    assert code in await page(development)
    with pytest.raises(SettingsError, match="LOKET_DEV_PAGES must be off"):
        create_app(production, clock=clock)
