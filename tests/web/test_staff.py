"""The back office: logins, who may see what, the day's agenda and booking for callers."""

import re
import sqlite3
from datetime import timedelta

import asyncpg
import pytest

from booking.db.tables import Appointment, AuditEntry, Message, StaffAccount
from booking.services.auth import lockout
from booking.services.auth.accounts import create_account
from booking.web.staff.auth import SESSION_COOKIE
from tests import factories
from tests.staff_login import PASSWORD, api_token, csrf, log_in
from tests.web.test_api import VEGHEL_HOURS


@pytest.fixture
async def world(db):
    north, west = (
        await factories.region("noordoost-brabant"),
        await factories.region("west-brabant"),
    )
    veghel = await factories.point(north, hours=VEGHEL_HOURS)
    breda = await factories.point(west, slug="breda", hours=VEGHEL_HOURS)
    topic = await factories.topic()
    agnieszka = await factories.staff(
        veghel, ["pl", "nl", "en"], hours=VEGHEL_HOURS, name="Agnieszka"
    )
    await factories.staff(breda, ["ro", "nl"], hours=VEGHEL_HOURS, name="Mihaela")
    accounts = {
        "consultant": await create_account(
            email="agnieszka@example.nl",
            name="Agnieszka",
            password=PASSWORD,
            role="consultant",
            region_id=north,
            staff_id=agnieszka,
        ),
        "coordinator": await create_account(
            email="coordinator@example.nl",
            name="Monique",
            password=PASSWORD,
            role="coordinator",
            region_id=north,
        ),
        "west": await create_account(
            email="mihaela@example.nl",
            name="Mihaela",
            password=PASSWORD,
            role="consultant",
            region_id=west,
        ),
    }
    return {"veghel": veghel, "breda": breda, "topic": topic, "accounts": accounts}


async def test_login_sets_a_session_cookie_and_logout_ends_it(client, world):
    response = await log_in(client, "Agnieszka@Example.nl")
    assert (response.status_code, response.headers["location"]) == (303, "/staff/")
    cookie = response.headers["set-cookie"]
    assert f"{SESSION_COOKIE}=" in cookie and "HttpOnly" in cookie and "Path=/staff" in cookie
    assert (await client.get("/staff/")).status_code == 200
    await client.post("/staff/logout", data={"_csrf_token": await csrf(client, "/staff/")})
    assert (await client.get("/staff/")).status_code in (302, 303)


async def test_wrong_passwords_lock_the_account_for_a_while(client, world, clock):
    for _ in range(lockout.MAX_FAILURES):
        assert (await log_in(client, "agnieszka@example.nl", "wrong password!")).status_code == 401
    locked = await log_in(client, "agnieszka@example.nl")
    assert locked.status_code == 401 and 'role="alert"' in locked.text
    unknown = await log_in(client, "nobody@example.nl")
    assert unknown.text.count('role="alert"') == 1 and "locked" in unknown.text  # the same answer
    clock.now += lockout.LOCK_FOR + timedelta(seconds=1)
    assert (await log_in(client, "agnieszka@example.nl")).status_code == 303


async def test_an_address_with_control_characters_is_an_ordinary_failed_login(client, world):
    page = await log_in(client, "agnieszka@example.nl\x00")
    assert page.status_code == 401 and 'role="alert"' in page.text
    api = await client.post(
        "/api/staff/login",
        json={"email": "agnieszka\x00@example.nl", "password": "whatever password"},
    )
    assert (api.status_code, api.json()["code"]) == (401, "login_failed"), api.text


async def test_every_staff_route_refuses_anonymous_access(client, world, settings):
    from booking.app import create_app

    routes = [
        (method, re.sub(r"\{[^}]+:int\}", "1", route.path))
        for route in create_app(settings).routes
        if route.path.startswith(("/staff", "/api/staff"))
        and not route.path.endswith("/login")
        # Single sign-on's two legs are open by design (tests/web/test_sso.py).
        and not route.path.startswith("/staff/sso/")
        for method in route.methods
        if method in ("GET", "POST")
    ]
    assert len(routes) >= 15
    token = await csrf(client)
    for method, path in routes:
        if method == "GET":
            response = await client.get(path)
        else:
            response = await client.post(
                path, data={"_csrf_token": token}, json=None if not path.startswith("/api") else {}
            )
        if path.startswith("/api"):
            assert response.status_code == 401, (method, path, response.status_code)
        else:
            assert response.status_code in (302, 303), (method, path, response.status_code)
            assert response.headers["location"].startswith("/staff/login")


async def test_a_consultant_cannot_see_another_regions_data(client, world):
    await log_in(client, "agnieszka@example.nl")
    assert (await client.get(f"/staff/points/{world['veghel']}/agenda")).status_code == 200
    # Another region's point answers as an unknown one (tests/web/test_region_hiding.py).
    assert (await client.get(f"/staff/points/{world['breda']}/agenda")).status_code == 404
    assert (await client.get(f"/staff/points/{world['breda']}/book")).status_code == 404
    headers = await api_token(client, "agnieszka@example.nl")
    own = await client.get(
        "/api/staff/agenda", params={"point": world["veghel"], "day": "2026-12-01"}, headers=headers
    )
    other = await client.get(
        "/api/staff/agenda", params={"point": world["breda"], "day": "2026-12-01"}, headers=headers
    )
    assert (own.status_code, other.status_code) == (200, 422)
    booking = {
        "point": world["breda"],
        "topic": world["topic"],
        "language": "ro",
        "channel": "walk_in",
    }
    assert (
        await client.post("/api/staff/appointments", json=booking, headers=headers)
    ).status_code == 422  # as an unknown point
    west = await api_token(client, "mihaela@example.nl")
    mine = await client.post("/api/staff/appointments", json=booking, headers=west)
    assert mine.status_code == 201
    detail = await client.get(f"/staff/appointments/{mine.json()['id']}")
    status = await client.post(
        "/api/staff/appointments/{}/status".format(mine.json()["id"]),
        json={"status": "done"},
        headers=headers,
    )
    assert (detail.status_code, status.status_code) == (404, 404)


async def test_book_for_a_caller_is_confirmed_and_texted_without_a_code(client, world):
    headers = await api_token(client, "agnieszka@example.nl")
    booking = {
        "point": world["veghel"],
        "topic": world["topic"],
        "language": "pl",
        "channel": "phone",
        "start": "2026-12-01T18:30:00+01:00",
        "phone": "+48 601 234 567",
        "first_name": "Jan",
    }
    response = await client.post("/api/staff/appointments", json=booking, headers=headers)
    assert response.status_code == 201, response.text
    assert (response.json()["status"], response.json()["channel"]) == ("confirmed", "phone")
    kinds = sorted(m["kind"] for m in await Message.select(Message.kind))
    assert kinds == ["confirmation", "reminder"]  # 18:30 today: the 2-hour reminder only; no code
    audit = await AuditEntry.select().first()
    assert (audit["action"], audit["subject"]) == (
        "booked_for_caller",
        f"appointment:{response.json()['id']}",
    )


async def test_the_agenda_runs_the_evening(client, world, clock):
    await log_in(client, "agnieszka@example.nl")
    walk_in = await client.post(
        f"/staff/points/{world['veghel']}/walk-in",
        data={
            "_csrf_token": await csrf(client, "/staff/"),
            "topic": str(world["topic"]),
            "language": "pl",
            "first_name": "Ola",
        },
    )
    assert walk_in.status_code == 303
    appointment = await Appointment.select().first()
    assert (appointment["channel"], appointment["status"], appointment["starts_at"]) == (
        "walk_in",
        "confirmed",
        clock.now,
    )
    agenda = await client.get(f"/staff/points/{world['veghel']}/agenda")
    assert "Ola" in agenda.text and "Agnieszka" in agenda.text
    assert await AuditEntry.count().where(AuditEntry.action == "viewed_agenda") == 1
    for status in ("arrived", "done"):
        response = await client.post(
            f"/staff/appointments/{appointment['id']}/status",
            data={
                "_csrf_token": await csrf(client, "/staff/"),
                "status": status,
                "back": f"/staff/points/{world['veghel']}/agenda",
            },
        )
        assert response.status_code == 303
    assert (await Appointment.select(Appointment.status).first())["status"] == "done"
    printable = await client.get(f"/staff/points/{world['veghel']}/agenda?print=1")
    assert "@media print" in printable.text and "/walk-in" not in printable.text


async def test_failed_messages_are_visible_to_staff_without_text_or_number(client, world):
    headers = await api_token(client, "agnieszka@example.nl")
    booking = {
        "point": world["veghel"],
        "topic": world["topic"],
        "language": "pl",
        "channel": "phone",
        "start": "2026-12-01T18:30:00+01:00",
        "phone": "+48601234567",
    }
    await client.post("/api/staff/appointments", json=booking, headers=headers)
    await Message.update(
        {Message.status: Message.FAILED, Message.last_error: "twilio 400 code 21211"}
    ).where(Message.kind == "confirmation")
    failed = (await client.get("/api/staff/messages", headers=headers)).json()
    assert [(m["kind"], m["last_error"]) for m in failed] == [
        ("confirmation", "twilio 400 code 21211")
    ]
    assert "+48" not in str(failed) and "body" not in failed[0]
    west = await api_token(client, "mihaela@example.nl")
    assert (await client.get("/api/staff/messages", headers=west)).json() == []


async def test_the_audit_log_cannot_be_changed(client, world, clock):
    await AuditEntry.insert(
        AuditEntry(
            account=world["accounts"]["consultant"],
            action="viewed_agenda",
            subject="x",
            at=clock.now,
        )
    )
    with pytest.raises(Exception, match="audit_log_is_append_only"):
        await AuditEntry.update({AuditEntry.subject: "y"}).where(AuditEntry.subject == "x")
    with pytest.raises(Exception, match="audit_log_is_append_only"):
        await AuditEntry.delete().where(AuditEntry.subject == "x")
    with pytest.raises((sqlite3.IntegrityError, asyncpg.ForeignKeyViolationError)):
        await StaffAccount.delete().where(StaffAccount.id == world["accounts"]["consultant"])


async def test_staff_move_and_cancel_tell_the_migrant(client, world):
    headers = await api_token(client, "agnieszka@example.nl")
    booking = {
        "point": world["veghel"],
        "topic": world["topic"],
        "language": "pl",
        "channel": "phone",
        "start": "2026-12-02T10:00:00+01:00",
        "phone": "+48601234567",
    }
    appointment = (
        await client.post("/api/staff/appointments", json=booking, headers=headers)
    ).json()["id"]
    await log_in(client, "coordinator@example.nl")
    times = await client.get(f"/staff/appointments/{appointment}/move?day=2026-12-03")
    start = re.findall(r'name="start" value="([^"]+)"', times.text)[2]
    moved = await client.post(
        f"/staff/appointments/{appointment}/move",
        data={"_csrf_token": await csrf(client, "/staff/"), "start": start},
    )
    assert moved.status_code == 303
    row = await Appointment.select().first()
    assert (row["starts_at"].isoformat(), row["sequence"]) == ("2026-12-03T08:30:00+00:00", 1)
    change = await Message.select().where(Message.kind == "change").first()
    assert "przeniesiona na czw. 3 gru, 09:30" in change["body"]
    cancelled = await client.post(
        f"/staff/appointments/{appointment}/cancel",
        data={"_csrf_token": await csrf(client, "/staff/")},
    )
    assert cancelled.status_code == 303
    assert (await Appointment.select(Appointment.status).first())["status"] == "cancelled"
    assert await Message.count().where(Message.kind == "cancellation") == 1
    actions = [
        r["action"] for r in await AuditEntry.select(AuditEntry.action).order_by(AuditEntry.id)
    ]
    assert actions[-2:] == ["changed_time", "cancelled"]
