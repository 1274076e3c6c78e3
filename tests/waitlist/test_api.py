"""The waiting list in the JSON API: join, confirm, an offer booked from its token, leave;
bad input is a clear 4xx in the caller's language, never a 500 or half an entry."""

from datetime import timedelta

from booking.db.tables import MigrantContact, WaitingEntry
from booking.services import changes
from booking.services.point_setup import Catalog
from booking.services.waitlist import offers
from tests import factories
from tests.conftest import NOW
from tests.waitlist.world import evening_point, fill, offers_sent, policy


async def test_join_verify_get_an_offer_and_book_it(client, db):
    point, topic = await evening_point()
    booked = await fill(point, topic, NOW)
    body = {
        "topic": topic,
        "point": point,
        "language": "ro",
        "phone": "+40 721 000 002",
        "windows": "tu 17:00-21:00; sa",
        "weeks": 2,
    }
    joined = await client.post("/api/waitlist", json=body)
    assert joined.status_code == 201, joined.text
    token = joined.json()["token"]
    assert (
        joined.json()["status"] == "verifying" and joined.json()["windows"] == "tu 17:00-21:00; sa"
    )
    wrong = await client.post(f"/api/waitlist/{token}/verify", json={"code": "000000"})
    assert wrong.status_code == 422 and wrong.json()["code"] == "wrong_code"
    code = await factories.sms_code()
    verified = await client.post(f"/api/waitlist/{token}/verify", json={"code": code})
    assert verified.json()["status"] == "waiting"
    assert verified.json().get("token") is None  # shown once, when joining

    now = NOW + timedelta(minutes=1)
    await changes.cancel(Catalog(), policy(), booked[3].manage_token, now=now)
    assert await offers.offer_round(Catalog(), policy(), now=now) == 1
    [sent] = await offers_sent()
    shown = await client.get(f"/api/offers/{sent['token']}")
    assert shown.json()["status"] == "live"
    assert shown.json()["appointment"]["status"] == "held"
    done = await client.post(f"/api/offers/{sent['token']}/book")
    assert done.status_code == 200 and done.json()["status"] == "booked"
    assert done.json()["appointment"]["status"] == "confirmed"
    again = await client.post(f"/api/offers/{sent['token']}/book")
    assert again.status_code == 200
    late = await client.post(f"/api/offers/{sent['token']}/pass")
    assert late.json()["status"] == "booked"
    assert (await client.get(f"/api/waitlist/{token}")).json()["status"] == "booked"


async def test_bad_input_is_a_clear_4xx_and_writes_nothing(client, db):
    point, topic = await evening_point()
    good = {"topic": topic, "point": point, "language": "pl", "phone": "+48601000001"}
    cases = [
        ({**good, "windows": "evenings"}, "windows"),
        ({**good, "windows": "mo 25:00-26:00"}, "windows"),
        ({**good, "windows": "sa", "region": 1}, "point"),
        ({**good, "windows": "sa", "point": 999}, "point"),
        ({**good, "windows": "sa", "phone": "12"}, "phone"),
    ]
    for body, field in cases:
        response = await client.post("/api/waitlist", json=body, headers={"accept-language": "pl"})
        assert response.status_code == 422, (body, response.text)
        assert response.json()["field"] == field, response.json()
    too_long = await client.post("/api/waitlist", json={**good, "windows": "sa", "weeks": 5})
    assert too_long.status_code in (400, 422)
    assert await WaitingEntry.count() == 0 and await MigrantContact.count() == 0
    unknown = await client.get("/api/offers/" + "x" * 16)
    assert unknown.status_code == 404
    left = await client.delete("/api/waitlist/" + "y" * 16)
    assert left.status_code == 404
