"""The handover API over HTTP, and its invites through a real SMTP server (issue 6)."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
import vobject
from icalendar import Calendar

from booking.db.tables import Allocation, Appointment, Handover, Message
from booking.domain.policy import Policy
from booking.notify.dispatcher import Dispatcher
from booking.notify.mail import SmtpSender
from booking.notify.sms import EmbeddedSender
from booking.services.auth import accounts
from tests import factories
from tests.local_smtp import LocalSmtp
from tests.staff_login import PASSWORD, api_token

#: Tuesday 1 December 2026, 18:00 in Veghel.
TUE_18 = "2026-12-01T18:00:00+01:00"
THU_18 = "2026-12-03T18:00:00+01:00"


@pytest.fixture
async def world(db):
    north, west = await factories.region(), await factories.region("west-brabant")
    veghel = await factories.point(north)
    breda = await factories.point(west, slug="breda")
    topic = await factories.topic("registration")
    agency = await factories.agency(north)
    agnieszka = await factories.staff(
        veghel, ["pl", "nl"], name="Agnieszka", email="agnieszka@bmip.example", region=north
    )
    await factories.staff(
        veghel, ["pl"], "interpreter", name="Piotr", modes=["on_site", "phone"],
        email="piotr@tolk.example", region=north,
    )  # fmt: skip
    mihaela = await factories.staff(breda, ["ro"], name="Mihaela", region=west)
    for email, region, staff in (
        ("agnieszka@example.nl", north, agnieszka),
        ("mihaela@example.nl", west, mihaela),
    ):
        await accounts.create_account(
            email=email, name=email, password=PASSWORD, role="consultant",
            region_id=region, staff_id=staff,
        )  # fmt: skip
    return {"veghel": veghel, "breda": breda, "topic": topic, "agency": agency}


def body(world, **changes) -> dict:
    return {
        "point": world["veghel"],
        "agency": world["agency"],
        "topic": world["topic"],
        "start": TUE_18,
        "duration_minutes": 45,
        "interpreter_language": "pl",
        "interpreter_mode": "on_site",
        "note": "Registreren BRP; werkt in ploegendienst.",
        "phone": "+48601234567",
        "language": "pl",
        **changes,
    }


async def test_a_consultant_finds_a_common_time_and_books_it(client, world):
    auth = await api_token(client, "agnieszka@example.nl")
    query = {
        "point": world["veghel"], "agency": world["agency"], "topic": world["topic"],
        "from": "2026-12-01", "to": "2026-12-03", "duration_minutes": 45,
        "interpreter_language": "pl", "interpreter_mode": "on_site",
    }  # fmt: skip
    found = await client.get("/api/handovers/slots", params=query, headers=auth)
    assert found.status_code == 200, found.text
    times = [t["start"] for t in found.json()["times"]]
    assert times[0] == TUE_18.replace("18:00", "17:00") and TUE_18 in times
    assert times[-1] == "2026-12-03T20:15:00+01:00"  # 45 minutes before the agency closes

    booked = await client.post("/api/handovers", json=body(world), headers=auth)
    assert booked.status_code == 201, booked.text
    out = booked.json()
    assert (out["start"], out["end"], out["timezone"]) == (
        TUE_18, "2026-12-01T18:45:00+01:00", "Europe/Amsterdam",
    )  # fmt: skip
    assert out["interpreter"]["name"] == "Piotr" and out["consultant"]["name"] == "Agnieszka"
    assert {i["email"]: i["answer"] for i in out["invitees"]} == {
        "burgerzaken@gemeente.example": "NEEDS-ACTION",
        "intake@gemeente.example": "NEEDS-ACTION",
        "piotr@tolk.example": "NEEDS-ACTION",
        "agnieszka@bmip.example": "NEEDS-ACTION",
    }
    assert "phone" not in out

    again = await client.get("/api/handovers/slots", params=query, headers=auth)
    assert TUE_18 not in [t["start"] for t in again.json()["times"]]  # Piotr and Agnieszka
    alone = {**query, "consultant_joins": "false"}
    del alone["interpreter_language"], alone["interpreter_mode"]
    free = await client.get("/api/handovers/slots", params=alone, headers=auth)
    assert TUE_18 in [t["start"] for t in free.json()["times"]]  # the agency's second place
    listed = await client.get(
        "/api/handovers", params={"from": "2026-12-01", "to": "2026-12-01"}, headers=auth
    )
    assert [h["id"] for h in listed.json()] == [out["id"]]


async def test_move_cancel_and_outcome_over_http(client, world, clock):
    auth = await api_token(client, "agnieszka@example.nl")
    handover = (await client.post("/api/handovers", json=body(world), headers=auth)).json()
    url = f"/api/handovers/{handover['id']}"

    moved = await client.post(f"{url}/reschedule", json={"start": THU_18}, headers=auth)
    assert moved.status_code == 200, moved.text
    assert moved.json()["start"] == THU_18
    early = await client.post(f"{url}/outcome", json={"outcome": "took_place"}, headers=auth)
    assert early.status_code == 409
    clock.now = datetime(2026, 12, 3, 18, 0, tzinfo=UTC)
    auth = await api_token(client, "agnieszka@example.nl")  # a new day, a new session
    done = await client.post(f"{url}/outcome", json={"outcome": "agency_absent"}, headers=auth)
    assert done.status_code == 200, done.text
    assert (done.json()["outcome"], done.json()["status"]) == ("agency_absent", "done")

    clock.now = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
    auth = await api_token(client, "agnieszka@example.nl")
    other = (
        await client.post("/api/handovers", json=body(world, start=TUE_18), headers=auth)
    ).json()
    cancelled = await client.post(f"/api/handovers/{other['id']}/cancel", headers=auth)
    assert cancelled.json()["status"] == "cancelled"
    assert (
        await Allocation.count().where(
            (Allocation.appointment == other["id"]) & (Allocation.live == True)
        )
        == 0
    )


@pytest.mark.parametrize(
    ("changes", "status", "code"),
    [
        ({"agency": 99999}, 422, "unknown_agency"),
        ({"interpreter_language": "bg"}, 422, "no_interpreter"),
        ({"interpreter_mode": None}, 422, "invalid_input"),
        ({"place": "moon"}, 422, "invalid_input"),
        ({"duration_minutes": 7}, 422, "invalid_input"),
        ({"start": "2026-12-02T18:00:00+01:00"}, 422, "slot_not_offered"),
        ({"start": "2026-12-01T18:00:00"}, 422, "invalid_time"),
        ({"phone": "0612"}, 422, "invalid_phone"),
        ({"note": "x" * 501}, 422, "invalid_input"),
        ({"surprise": 1}, 422, "invalid_input"),
    ],
)
async def test_bad_input_is_a_clear_4xx_in_the_staff_language(client, world, changes, status, code):
    auth = await api_token(client, "agnieszka@example.nl")
    response = await client.post(
        "/api/handovers", json=body(world, **changes), headers={**auth, "Accept-Language": "pl"}
    )
    assert response.status_code == status, response.text
    if code:
        assert response.json()["code"] == code
        assert response.json()["message"] != "Something went wrong. Please try again."
    assert await Appointment.count() == 0 and await Message.count() == 0


async def test_another_region_sees_nothing(client, world):
    ours = await api_token(client, "agnieszka@example.nl")
    handover = (await client.post("/api/handovers", json=body(world), headers=ours)).json()
    theirs = await api_token(client, "mihaela@example.nl")
    for method, url, payload in (
        ("GET", f"/api/handovers/{handover['id']}", None),
        ("POST", f"/api/handovers/{handover['id']}/cancel", None),
        ("POST", "/api/handovers", body(world)),
    ):
        response = await client.request(method, url, json=payload, headers=theirs)
        assert response.status_code in (404, 422), (url, response.text)  # as a missing one
    wrong_agency = body(world, point=world["breda"], language="ro", interpreter_language=None,
                        interpreter_mode=None)  # fmt: skip
    refused = await client.post("/api/handovers", json=wrong_agency, headers=theirs)
    assert refused.status_code == 422 and refused.json()["code"] == "unknown_agency"
    assert (await client.get("/api/handovers/slots")).status_code == 401
    assert await Handover.count() == 1


async def test_the_invites_reach_a_real_smtp_server_and_parse_back(client, world, clock, settings):
    server = LocalSmtp()
    controller = server.start()
    try:
        auth = await api_token(client, "agnieszka@example.nl")
        handover = (await client.post("/api/handovers", json=body(world), headers=auth)).json()
        mail_settings = replace(
            settings, smtp_host="127.0.0.1", smtp_port=server.port, smtp_security="none",
            smtp_timeout_seconds=5,
        )  # fmt: skip
        dispatcher = Dispatcher(
            EmbeddedSender(), clock, Policy.from_settings(settings), mail=SmtpSender(mail_settings)
        )
        while await dispatcher.run_once():
            pass
    finally:
        controller.stop()

    by_recipient = {r.rcpt_tos[0]: r.parsed() for r in server.received}
    assert set(by_recipient) == {i["email"] for i in handover["invitees"]}
    for address, message in by_recipient.items():
        assert "Uitnodiging" in message["Subject"]  # Dutch, for the agency
        itip = message.get_body(("calendar",))
        calendar = Calendar.from_ical(itip.get_content())
        card = vobject.readOne(itip.get_content())
        assert card.method.value == str(calendar["METHOD"]) == "REQUEST"
        assert card.vevent.uid.value == f"handover-{handover['id']}@127.0.0.1"
        assert card.vevent.dtstart.value == datetime(2026, 12, 1, 17, 0, tzinfo=UTC)
        assert card.vevent.dtend.value - card.vevent.dtstart.value == timedelta(minutes=45)
        assert f"mailto:{address}" in [a.value.lower() for a in card.vevent.attendee_list]
        assert "601234567" not in message.as_string().replace(" ", "")
