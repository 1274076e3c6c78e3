"""README's back-office promises that had no test (issue 11): the agenda per consultant,
marking a no-show, call-back requests from the voice line, and ending an API session."""

from datetime import timedelta

import pytest

from booking.db.tables import Appointment, AuditEntry, CallbackRequest
from booking.services import agenda
from booking.services.auth.accounts import create_account
from tests import factories
from tests.page_rules import outside_references, policy_problems
from tests.staff_login import PASSWORD, api_token, csrf, log_in
from tests.web.test_api import VEGHEL_HOURS

CALLER = "+48601234567"


@pytest.fixture
async def desk(db):
    north, west = await factories.region(), await factories.region("west-brabant")
    veghel = await factories.point(north, hours=VEGHEL_HOURS)
    phone_hour = await factories.point(north, slug="telefoon", kind="phone", hours=VEGHEL_HOURS)
    west_phone = await factories.point(west, slug="west-telefoon", kind="phone")
    topic = await factories.topic()
    people = {
        "agnieszka": await factories.staff(veghel, ["pl"], hours=VEGHEL_HOURS, name="Agnieszka"),
        "ioana": await factories.staff(veghel, ["ro"], hours=VEGHEL_HOURS, name="Ioana"),
    }
    for name, staff_id in people.items():
        await create_account(
            email=f"{name}@example.nl", name=name.title(), password=PASSWORD,
            role="consultant", region_id=north, staff_id=staff_id,
        )  # fmt: skip
    await create_account(
        email="mihaela@example.nl", name="Mihaela", password=PASSWORD, role="consultant",
        region_id=west,
    )  # fmt: skip
    return {"veghel": veghel, "phone": phone_hour, "west_phone": west_phone, "topic": topic}


async def book(client, desk, language: str, start: str, first_name: str) -> int:
    headers = await api_token(client, "agnieszka@example.nl")
    response = await client.post(
        "/api/staff/appointments",
        json={
            "point": desk["veghel"], "topic": desk["topic"], "language": language,
            "channel": "phone", "start": start, "phone": CALLER, "first_name": first_name,
        },
        headers=headers,
    )  # fmt: skip
    assert response.status_code == 201, response.text
    return response.json()["id"]


async def test_each_consultant_s_agenda_lists_their_own_appointments_only(client, desk):
    await book(client, desk, "pl", "2026-12-01T18:30:00+01:00", "Jan")  # only Agnieszka: pl
    await book(client, desk, "ro", "2026-12-01T19:00:00+01:00", "Ana")  # only Ioana: ro
    pages = {}
    for name in ("agnieszka", "ioana"):
        client.cookies.clear()
        await log_in(client, f"{name}@example.nl")
        pages[name] = (await client.get("/staff/agenda")).text
    assert "Jan" in pages["agnieszka"] and "Ana" not in pages["agnieszka"]
    assert "Ana" in pages["ioana"] and "Jan" not in pages["ioana"]
    point = (await client.get(f"/staff/points/{desk['veghel']}/agenda")).text
    assert "Jan" in point and "Ana" in point


async def test_a_no_show_is_marked_once_the_time_has_come(client, desk, clock):
    appointment = await book(client, desk, "pl", "2026-12-01T18:30:00+01:00", "Jan")
    headers = await api_token(client, "agnieszka@example.nl")
    url = f"/api/staff/appointments/{appointment}/status"
    early = await client.post(url, json={"status": "no_show"}, headers=headers)
    assert early.status_code == 422, early.text
    clock.now += timedelta(hours=9, minutes=45)  # 18:45 local, a quarter after the start
    headers = await api_token(client, "agnieszka@example.nl")  # the idle session ended
    marked = await client.post(url, json={"status": "no_show"}, headers=headers)
    assert marked.status_code == 200, marked.text
    row = await Appointment.select(Appointment.status).where(Appointment.id == appointment).first()
    assert row["status"] == "no_show"
    assert await AuditEntry.count().where(AuditEntry.action == "changed_status") == 1


async def test_call_back_requests_wait_in_the_back_office_of_their_region(client, desk, clock):
    ours = await agenda.request_callback(desk["phone"], CALLER, "pl", clock())
    await agenda.request_callback(desk["west_phone"], "+40721234567", "ro", clock())
    headers = await api_token(client, "agnieszka@example.nl")
    listed = (await client.get("/api/staff/callbacks", headers=headers)).json()
    assert [(c["id"], c["language"], c["phone"]) for c in listed] == [(ours, "pl", CALLER)]
    assert await AuditEntry.count().where(AuditEntry.action == "viewed_callbacks") == 1

    await log_in(client, "agnieszka@example.nl")
    page = await client.get("/staff/callbacks")
    assert "+48 601 234 567" in page.text or CALLER in page.text
    assert "+40" not in page.text
    done = await client.post(
        f"/staff/callbacks/{ours}/done", data={"_csrf_token": await csrf(client, "/staff/")}
    )
    assert done.status_code == 303
    row = await CallbackRequest.select().where(CallbackRequest.id == ours).first()
    assert row["status"] == "done" and row["done_at"] == clock()
    assert (await client.get("/api/staff/callbacks", headers=headers)).json() == []


async def test_logging_out_of_the_staff_api_ends_that_token_only(client, desk):
    first = await api_token(client, "agnieszka@example.nl")
    second = await api_token(client, "agnieszka@example.nl")
    assert (await client.post("/api/staff/logout", headers=first)).status_code == 200
    assert (await client.get("/api/staff/callbacks", headers=first)).status_code == 401
    assert (await client.get("/api/staff/callbacks", headers=second)).status_code == 200


async def test_staff_pages_load_nothing_from_elsewhere_under_the_same_policy(
    client, desk, settings
):
    await book(client, desk, "pl", "2026-12-01T18:30:00+01:00", "Jan")
    await log_in(client, "agnieszka@example.nl")
    for url in ("/staff/", "/staff/agenda", f"/staff/points/{desk['veghel']}/agenda",
                "/staff/callbacks", "/staff/handovers"):  # fmt: skip
        response = await client.get(url)
        assert response.status_code == 200, url
        assert outside_references(response.text, settings.public_base_url) == [], url
        assert policy_problems(response.headers["content-security-policy"]) == [], url
