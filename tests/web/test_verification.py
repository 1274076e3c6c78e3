"""The SMS code: a hold becomes an appointment only with the right code, in time (issue 3)."""

import asyncio
from collections import Counter
from datetime import timedelta

import pytest

from booking.db.tables import Allocation, Appointment, Message
from booking.domain.policy import Policy
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import EmbeddedMailer
from booking.notify.sms import EmbeddedSender
from booking.services.verification import expire_holds
from tests import factories
from tests.web.test_api import VEGHEL_HOURS, booking, slots


@pytest.fixture
async def veghel(db):
    region = await factories.region()
    point = await factories.point(region, hours=VEGHEL_HOURS)
    topic = await factories.topic()
    await factories.staff(point, ["pl", "nl"], hours=VEGHEL_HOURS, name="Agnieszka")
    return {"point": point, "topic": topic}


async def hold(client, world, start=None, **extra):
    start = start or (await slots(client, world))[0]["start"]
    response = await client.post("/api/appointments", json=booking(world, start, **extra))
    assert response.status_code == 201, response.text
    return response.json()


async def test_the_right_code_confirms_and_twice_is_harmless(client, veghel):
    held = await hold(client, veghel)
    code = await factories.sms_code(held["id"])
    for _ in range(2):
        response = await client.post(
            f"/api/appointments/{held['manage_token']}/verify", json={"code": code}
        )
        assert (response.status_code, response.json()["status"], response.json()["held_until"]) == (
            200,
            "confirmed",
            None,
        )
    assert (
        await Allocation.count().where((Allocation.live == True) & Allocation.expires_at.is_null())
        == 1
    )
    assert (await Appointment.select(Appointment.code_hash).first())["code_hash"] is None


async def test_the_code_text_is_in_the_migrants_language(client, veghel):
    held = await hold(client, veghel)
    message = await Message.select().where(Message.appointment == held["id"]).first()
    assert (message["kind"], message["language"], message["status"]) == ("code", "pl", "pending")
    assert "Twoj kod" in message["body"] and "10" in message["body"]  # GSM-7: no diacritics
    assert "+48" not in message["body"]


async def test_wrong_codes_count_down_then_end_the_hold(client, veghel):
    held = await hold(client, veghel)
    url = f"/api/appointments/{held['manage_token']}/verify"
    right = await factories.sms_code(held["id"])
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        response = await client.post(url, json={"code": wrong}, headers={"accept-language": "pl"})
        assert (response.status_code, response.json()["code"]) == (422, "wrong_code")
        assert response.json()["message"].startswith("Ten kod")
        tries = "została Ci 1 próba" if left == 1 else f"zostały Ci {left} próby"  # plural forms
        assert response.json()["message"].endswith(f": {tries}.")
        assert (await Appointment.select(Appointment.code_attempts).first())[
            "code_attempts"
        ] == 5 - left
    ended = await client.post(url, json={"code": wrong}, headers={"accept-language": "pl"})
    assert (ended.status_code, ended.json()["code"]) == (409, "code_tries_used_up")
    assert ended.json()["message"].startswith("Kod był błędny 5 razy.")  # plural form
    late = await client.post(url, json={"code": right})
    assert late.json()["code"] == "hold_ended"
    assert held["start"] in [s["start"] for s in await slots(client, veghel)]
    assert (await Message.select(Message.status).first())["status"] == "cancelled"


async def test_twenty_wrong_codes_at_once_with_resends_get_five_tries_in_all(client, veghel):
    """A new code never gives the hold new tries (issue 10 item 5): 20 wrong codes sent at
    once, with a resend after every fourth, get 4 "wrong" answers, then the fifth ends it."""
    held = await hold(client, veghel)
    url = f"/api/appointments/{held['manage_token']}"
    right = await factories.sms_code(held["id"])
    wrong = "000000" if right != "000000" else "111111"
    calls = []
    for _ in range(5):
        calls += [client.post(f"{url}/verify", json={"code": wrong}) for _ in range(4)]
        calls.append(client.post(f"{url}/code"))
    answers = await asyncio.gather(*calls)
    verified = Counter(a.json()["code"] for a in answers if a.request.url.path.endswith("verify"))
    assert verified == {"wrong_code": 4, "code_tries_used_up": 1, "hold_ended": 15}, verified
    row = await Appointment.select(Appointment.code_attempts, Appointment.status).first()
    assert (row["code_attempts"], row["status"]) == (5, "cancelled")
    assert (await client.post(f"{url}/verify", json={"code": right})).json()["code"] == (
        "hold_ended"
    )
    assert await Message.count().where(Message.seed.is_not_null()) == 0  # codes withdrawn


async def test_an_expired_hold_frees_its_slot_and_the_sweeper_ends_it(client, veghel, clock):
    held = await hold(client, veghel, (await slots(client, veghel))[8]["start"])
    code = await factories.sms_code(held["id"])
    clock.now += timedelta(minutes=10, seconds=1)
    assert held["start"] in [s["start"] for s in await slots(client, veghel)]
    assert await expire_holds(clock.now) == 1
    assert (await Appointment.select(Appointment.status).first())["status"] == "cancelled"
    response = await client.post(
        f"/api/appointments/{held['manage_token']}/verify", json={"code": code}
    )
    assert response.json()["code"] == "hold_ended"


async def test_a_new_code_replaces_the_old_one_within_the_hourly_limit(client, veghel):
    held = await hold(client, veghel)
    first = await factories.sms_code(held["id"])
    url = f"/api/appointments/{held['manage_token']}"
    for _ in range(4):
        assert (await client.post(f"{url}/code")).status_code == 202
    statuses = [m["status"] for m in await Message.select(Message.status).order_by(Message.id)]
    assert statuses == ["cancelled"] * 4 + ["pending"]
    latest = await factories.sms_code(held["id"])
    too_many = await client.post(f"{url}/code")
    assert (too_many.status_code, too_many.json()["code"]) == (429, "too_many_codes")
    if first != latest:
        assert (await client.post(f"{url}/verify", json={"code": first})).json()[
            "code"
        ] == "wrong_code"
    assert (await client.post(f"{url}/verify", json={"code": latest})).json()[
        "status"
    ] == "confirmed"


async def test_one_number_holds_at_most_three_live_appointments(client, veghel):
    offered = await slots(client, veghel)
    for slot in offered[0:12:4]:
        await hold(client, veghel, slot["start"])
    response = await client.post("/api/appointments", json=booking(veghel, offered[20]["start"]))
    assert (response.status_code, response.json()["code"]) == (429, "too_many_appointments")
    assert "3" in response.json()["message"]
    other = await client.post(
        "/api/appointments", json=booking(veghel, offered[20]["start"], phone="+40721234567")
    )
    assert other.status_code == 201


async def test_one_address_holds_at_most_ten_per_hour(client, veghel):
    offered = await slots(client, veghel)
    for n in range(10):
        await hold(client, veghel, offered[n * 2]["start"], phone=f"+4860123450{n}")
    response = await client.post(
        "/api/appointments", json=booking(veghel, offered[30]["start"], phone="+48601234599")
    )
    assert (response.status_code, response.json()["code"]) == (429, "too_many_holds")
    assert await Appointment.count() == 10


async def test_the_dispatcher_sends_codes_and_skips_those_no_longer_needed(
    client, veghel, clock, settings
):
    kept = await hold(client, veghel)
    dropped = await hold(
        client, veghel, (await slots(client, veghel))[5]["start"], phone="+40721234567"
    )
    await Message.update({Message.status: Message.PENDING}).where(
        Message.appointment == dropped["id"]
    )
    await Appointment.update({Appointment.status: Appointment.CANCELLED}).where(
        Appointment.id == dropped["id"]
    )

    dispatcher = Dispatcher(
        EmbeddedSender(), clock, Policy.from_settings(settings), mail=EmbeddedMailer()
    )
    assert await dispatcher.run_once() == 2
    sent = {m["appointment"]: m for m in await Message.select()}
    assert sent[kept["id"]]["status"] == "sent" and sent[kept["id"]]["provider_id"].startswith(
        "embedded-"
    )
    assert sent[dropped["id"]]["status"] == "skipped"
    assert await dispatcher.run_once() == 0
