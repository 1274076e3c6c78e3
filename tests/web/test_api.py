"""The JSON API as a client sees it: shapes, local times with offsets, and every 4xx."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from booking.db.tables import (
    Allocation,
    Appointment,
    MigrantContact,
    MobileVisit,
    OpeningException,
    StaffAbsence,
    StaffMember,
    StaffPoint,
    StaffSchedule,
)
from tests import factories
from tests.factories import hhmm

WEEKDAYS = range(5)
VEGHEL_HOURS = ((WEEKDAYS, "09:00", "17:00"), ((1, 3), "17:00", "21:00"), ((5,), "10:00", "14:00"))
TUESDAY = "2026-12-01"  # NOW is 09:00 local on this day


@pytest.fixture
async def veghel(db):
    region = await factories.region()
    point = await factories.point(region, hours=VEGHEL_HOURS)
    housing = await factories.topic()
    polish = await factories.staff(point, ["pl", "nl"], hours=VEGHEL_HOURS, name="Agnieszka")
    await factories.staff(point, ["ro"], hours=((WEEKDAYS, "09:00", "17:00"),), name="Ioana")
    await factories.staff(point, ["bg", "nl"], kind="interpreter", name="Dimitar", modes=["phone"])
    return {"point": point, "topic": housing, "polish": polish}


async def slots(client, world, language="pl", first=TUESDAY, last=TUESDAY, **headers):
    response = await client.get(
        "/api/slots",
        params={
            "point": world["point"],
            "topic": world["topic"],
            "language": language,
            "from": first,
            "to": last,
        },
        headers=headers,
    )
    assert response.status_code == 200, response.text
    return response.json()["slots"]


def booking(world, start, **extra):
    return {
        "point": world["point"],
        "topic": world["topic"],
        "language": "pl",
        "start": start,
        "phone": "+48 601 234 567",
        **extra,
    }


async def test_health_and_openapi(client):
    assert (await client.get("/health")).json() == {"status": "ok"}
    schema = (await client.get("/schema/openapi.json")).json()
    for path in (
        "/api/points",
        "/api/topics",
        "/api/slots",
        "/api/appointments",
        "/api/appointments/{token}/reschedule",
    ):
        assert path in schema["paths"]


async def test_points_show_local_hours_and_what_deviates_ahead(client, veghel):
    await factories.exception(veghel["point"], date(2026, 12, 8), OpeningException.CLOSED)
    await factories.exception(
        veghel["point"], date(2026, 12, 12), OpeningException.CHANGED, "11:00", "13:00"
    )
    [point] = (await client.get("/api/points")).json()
    assert {
        "weekday": 1,
        "opens": "17:00",
        "closes": "21:00",
        "valid_from": None,
        "valid_to": None,
    } in point["opening_hours"]
    ahead = {(e["date"], e["kind"]) for e in point["exceptions"]}
    assert {
        ("2026-12-08", "closed"),
        ("2026-12-12", "changed"),
        ("2026-12-25", "holiday"),
        ("2027-01-01", "holiday"),
    } <= ahead
    assert point["description"] == "Information point"
    assert (await client.get("/api/points?lang=nl")).json()[0]["description"] == "Informatiepunt"


async def test_topics_in_the_requested_language_with_fallback(client, veghel):
    assert (await client.get("/api/topics?lang=pl")).json()[0]["name"] == "Mieszkanie"
    assert (await client.get("/api/topics", headers={"accept-language": "nl-NL,nl;q=0.9"})).json()[
        0
    ]["name"] == "Wonen"
    assert (await client.get("/api/topics?lang=ro")).json()[0]["name"] == "Housing"


async def test_slots_respect_hours_notice_and_language(client, veghel):
    polish = await slots(client, veghel)
    assert polish[0]["start"] == "2026-12-01T11:00:00+01:00"  # two hours' notice from 09:00
    assert polish[-1] == {
        "start": "2026-12-01T20:30:00+01:00",
        "end": "2026-12-01T21:00:00+01:00",
        "interpreter": False,
    }
    assert not any(s["interpreter"] for s in polish)

    bulgarian = await slots(client, veghel, "bg")
    assert (
        all(s["interpreter"] for s in bulgarian)
        and bulgarian[-1]["start"] == "2026-12-01T20:30:00+01:00"
    )
    assert await slots(client, veghel, "uk") == []


async def test_saturdays_holidays_and_exceptions(client, veghel):
    saturday = await slots(client, veghel, first="2026-12-05", last="2026-12-05")
    assert (saturday[0]["start"], saturday[-1]["start"]) == (
        "2026-12-05T10:00:00+01:00",
        "2026-12-05T13:30:00+01:00",
    )
    assert await slots(client, veghel, first="2026-12-25", last="2026-12-25") == []
    await factories.exception(veghel["point"], date(2026, 12, 8), OpeningException.CLOSED)
    assert await slots(client, veghel, first="2026-12-08", last="2026-12-08") == []


async def test_absence_removes_only_the_absent_persons_time(client, veghel):
    leave_start = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)  # 13:00-15:00 local
    await StaffAbsence.insert(
        StaffAbsence(
            staff=veghel["polish"], starts_at=leave_start, ends_at=leave_start + timedelta(hours=2)
        )
    )
    polish = [s["start"][11:16] for s in await slots(client, veghel)]
    assert "12:30" in polish and "15:00" in polish
    assert not {"12:45", "13:00", "14:30"} & set(polish)
    bulgarian = [s["start"][11:16] for s in await slots(client, veghel, "bg")]
    assert "13:00" in bulgarian  # Ioana still works, with the interpreter


async def test_remote_interpreter_scheduled_for_any_point(client, veghel):
    remote = (
        await StaffMember.insert(
            StaffMember(
                name="Iryna",
                kind="interpreter",
                languages=["uk", "nl"],
                interpreter_modes=["video"],
            )
        )
    )[0]["id"]
    await StaffPoint.insert(StaffPoint(staff=remote, point=veghel["point"]))
    await StaffSchedule.insert(
        StaffSchedule(staff=remote, point=None, weekday=1, starts=hhmm("18:00"), ends=hhmm("20:00"))
    )
    ukrainian = await slots(client, veghel, "uk")
    assert [s["start"][11:16] for s in ukrainian][:2] == ["18:00", "18:15"]
    assert ukrainian[-1]["start"][11:16] == "19:30" and all(s["interpreter"] for s in ukrainian)


async def test_mobile_visits_open_a_point_on_their_dates_only(client, veghel):
    region = await factories.region("bus-region")
    bus = await factories.point(region, slug="bus", hours=(), kind="mobile")
    await factories.staff(bus, ["pl"], name="Tomasz")
    await MobileVisit.insert(
        MobileVisit(
            point=bus,
            day=date(2026, 12, 3),
            opens=hhmm("15:00"),
            closes=hhmm("17:00"),
            place="Boekel",
        )
    )
    world = {"point": bus, "topic": veghel["topic"]}
    found = await slots(client, world, first="2026-12-02", last="2026-12-04")
    assert [s["start"][11:16] for s in found] == [
        "15:00",
        "15:15",
        "15:30",
        "15:45",
        "16:00",
        "16:15",
        "16:30",
    ]
    assert {s["start"][:10] for s in found} == {"2026-12-03"}


@pytest.mark.parametrize(
    ("now", "before", "after"),
    [
        (datetime(2027, 3, 25, 8, 0, tzinfo=UTC), "2027-03-25", "2027-03-30"),
        (datetime(2026, 10, 22, 7, 0, tzinfo=UTC), "2026-10-22", "2026-10-27"),
    ],
    ids=["last-sunday-of-march", "last-sunday-of-october"],
)
async def test_evening_slots_keep_local_time_across_dst(client, veghel, clock, now, before, after):
    clock.now = now
    evenings = {}
    for day in (before, after):
        found = [
            s for s in await slots(client, veghel, first=day, last=day) if s["start"][11:13] >= "17"
        ]
        evenings[day] = found
    assert [s["start"][11:16] for s in evenings[before]] == [
        s["start"][11:16] for s in evenings[after]
    ]
    assert evenings[before][0]["start"][11:16] == "17:00"
    assert {s["start"][-6:] for s in evenings[before]} != {s["start"][-6:] for s in evenings[after]}


async def test_booking_holds_the_slot_and_returns_the_manage_link(client, veghel, settings):
    start = (await slots(client, veghel))[0]["start"]
    response = await client.post("/api/appointments", json=booking(veghel, start, first_name="Jan"))
    assert response.status_code == 201, response.text
    body = response.json()
    assert (body["status"], body["channel"], body["start"], body["end"], body["held_until"]) == (
        "held",
        "online",
        start,
        "2026-12-01T11:30:00+01:00",
        "2026-12-01T09:10:00+01:00",
    )
    assert body["resources"] == [
        {"kind": "consultant", "id": veghel["polish"], "name": "Agnieszka"}
    ]
    assert body["manage_url"] == f"{settings.public_base_url}/m/{body['manage_token']}"
    contact = await MigrantContact.select().first()
    assert (contact["phone"], contact["first_name"], contact["language"]) == (
        "+48601234567",
        "Jan",
        "pl",
    )
    stored = await Appointment.select(Appointment.manage_token_hash).first()
    assert body["manage_token"] not in stored["manage_token_hash"]

    read = (await client.get(f"/api/appointments/{body['manage_token']}")).json()
    assert (read["id"], read["start"], read["manage_token"]) == (body["id"], start, None)
    assert start not in [s["start"] for s in await slots(client, veghel)]


async def test_booking_with_an_interpreter_holds_both(client, veghel):
    start = (await slots(client, veghel, "bg"))[0]["start"]
    body = (
        await client.post("/api/appointments", json=booking(veghel, start, language="bg"))
    ).json()
    assert sorted(r["kind"] for r in body["resources"]) == ["consultant", "interpreter"]
    assert await Allocation.count().where(Allocation.live == True) == 2


async def test_taken_slot_is_409_in_the_callers_language(client, veghel):
    start = "2026-12-01T13:00:00+01:00"
    await factories.staff(veghel["point"], ["pl"], hours=(), name="nobody")
    assert (await client.post("/api/appointments", json=booking(veghel, start))).status_code == 201
    response = await client.post(
        "/api/appointments",
        json=booking(veghel, start, phone="+40 721 234 567"),
        headers={"accept-language": "pl"},
    )
    assert response.status_code == 409
    assert response.json() == {
        "code": "slot_taken",
        "message": "Ktoś właśnie zarezerwował ten termin. Wybierz inny termin.",
        "field": "start",
    }


@pytest.mark.parametrize(
    ("change", "code", "field"),
    [
        ({"point": 999}, "unknown_point", "point"),
        ({"topic": 999}, "unknown_topic", "topic"),
        ({"language": "xx"}, "unsupported_language", "language"),
        ({"phone": "0201234567"}, "invalid_phone", "phone"),  # a landline cannot receive the SMS
        ({"phone": "+48 12"}, "invalid_phone", "phone"),
        ({"start": "2026-12-01T13:00:00"}, "invalid_time", "start"),
        ({"start": "2026-12-01T13:05:00+01:00"}, "slot_not_offered", "start"),
        ({"start": "2026-12-01T09:30:00+01:00"}, "slot_not_offered", "start"),  # inside the notice
        ({"start": "2027-03-02T13:00:00+01:00"}, "slot_not_offered", "start"),  # beyond the horizon
        ({"start": "2026-12-01T13:00:00+01:00", "language": "uk"}, "slot_not_offered", "start"),
        ({"start": "yesterday"}, "invalid_input", "start"),
        ({"start": "9999-12-31T23:59:00+00:00"}, "date_out_of_range", "start"),  # found by fuzzing
        ({"start": "0001-01-01T00:00:00+00:00"}, "date_out_of_range", "start"),
        ({"point": 2**40}, "invalid_input", "point"),
        ({"first_name": "x" * 51}, "invalid_input", "first_name"),
        ({"phone": "1" * 40}, "invalid_input", "phone"),
        ({"channel": "walk_in"}, "invalid_input", "channel"),
        ({"bsn": "123456782"}, "invalid_input", "bsn"),  # minimal data: no extra fields
    ],
)
async def test_bad_input_is_422_and_writes_nothing(client, veghel, change, code, field):
    response = await client.post(
        "/api/appointments",
        json={**booking(veghel, "2026-12-01T13:00:00+01:00"), **change},
        headers={"accept-language": "ro"},
    )
    assert response.status_code == 422, response.text
    assert (response.json()["code"], response.json()["field"]) == (code, field)
    assert response.json()["message"]
    assert await Appointment.count() == 0 and await MigrantContact.count() == 0


async def test_malformed_requests_never_fail_with_500(client, veghel):
    for body in ("{", "[]", "null", '{"point": null}'):
        response = await client.post(
            "/api/appointments", content=body, headers={"content-type": "application/json"}
        )
        assert response.status_code in (400, 422), (body, response.text)
    for query in (
        "point=x&topic=1&language=pl&from=2026-12-01&to=2026-12-01",
        "point=1",
        "point=1&topic=1&language=pl&from=2026-13-01&to=2026-12-01",
    ):
        assert (await client.get(f"/api/slots?{query}")).status_code == 422
    far = await client.get(
        "/api/slots",
        params={
            "point": veghel["point"],
            "topic": veghel["topic"],
            "language": "pl",
            "from": "2030-01-01",
            "to": "2030-01-02",
        },
    )
    assert (far.status_code, far.json()["code"]) == (422, "invalid_date_range")
    assert (await client.get("/api/appointments/short")).status_code == 422
    assert (await client.delete("/api/points")).status_code == 405


async def test_cancel_and_reschedule_through_the_link(client, veghel):
    offered = await slots(client, veghel)
    created = (
        await client.post("/api/appointments", json=booking(veghel, offered[0]["start"]))
    ).json()
    token = created["manage_token"]

    moved = await client.post(
        f"/api/appointments/{token}/reschedule", json={"start": offered[8]["start"]}
    )
    assert (moved.status_code, moved.json()["start"]) == (200, offered[8]["start"])
    assert offered[0]["start"] in [s["start"] for s in await slots(client, veghel)]

    bad = await client.post(
        f"/api/appointments/{token}/reschedule", json={"start": "2026-12-01T13:07:00+01:00"}
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "slot_not_offered")

    cancelled = await client.post(f"/api/appointments/{token}/cancel")
    assert (cancelled.status_code, cancelled.json()["status"], cancelled.json()["resources"]) == (
        200,
        "cancelled",
        [],
    )
    assert (await client.post(f"/api/appointments/{token}/cancel")).status_code == 200
    again = await client.post(
        f"/api/appointments/{token}/reschedule", json={"start": offered[3]["start"]}
    )
    assert (again.status_code, again.json()["code"]) == (409, "appointment_closed")
    assert await Allocation.count().where(Allocation.live == True) == 0


async def test_unknown_token_is_a_friendly_404(client, veghel):
    response = await client.get("/api/appointments/" + "x" * 43, headers={"accept-language": "uk"})
    assert response.status_code == 404
    assert response.json()["message"] == "Це посилання більше не дійсне. Запис міг бути видалений."


async def test_past_appointments_cannot_be_changed(client, veghel, clock):
    start = (await slots(client, veghel))[0]["start"]
    held = (await client.post("/api/appointments", json=booking(veghel, start))).json()
    token = held["manage_token"]
    code = await factories.sms_code(held["id"])
    confirmed = await client.post(f"/api/appointments/{token}/verify", json={"code": code})
    assert confirmed.json()["status"] == "confirmed"
    clock.now = datetime.combine(date(2026, 12, 1), time(11, 0), tzinfo=UTC)
    response = await client.post(f"/api/appointments/{token}/cancel")
    assert (response.status_code, response.json()["code"]) == (409, "appointment_closed")
