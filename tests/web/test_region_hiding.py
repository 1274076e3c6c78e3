"""Another region's records answer exactly as ids that do not exist (issue 10): the same
status and the same body, so a consultant or coordinator logged in elsewhere cannot count
the appointments, handovers, feeds, calendars, call-backs or queue numbers of other
regions, and nothing of theirs changes."""

import re

import pytest

from booking.db.tables import (
    Appointment,
    BusySource,
    CalendarFeed,
    CallbackRequest,
    QueueEntry,
    Region,
)
from booking.services.auth.accounts import create_account
from tests import factories
from tests.staff_login import PASSWORD, api_token, csrf, log_in
from tests.web import test_handover_api
from tests.web.test_handover_api import THU_18, body

world = test_handover_api.world  # the fixture

MISSING = 999_999
TOKEN = re.compile(r'name="_csrf_token" value="[^"]+"')


@pytest.fixture
async def north(client, world):
    """A north appointment, handover, agency feed, agency calendar and call-back request."""
    regions = {r["code"]: r["id"] for r in await Region.select(Region.id, Region.code)}
    phone_point = await factories.point(regions["noordoost-brabant"], slug="telefoon", kind="phone")
    for email, code in (
        ("coord-north@example.nl", "noordoost-brabant"),
        ("coord-west@example.nl", "west-brabant"),
    ):
        await create_account(
            email=email, name=email, password=PASSWORD, role="coordinator",
            region_id=regions[code],
        )  # fmt: skip
    agnieszka = await api_token(client, "agnieszka@example.nl")
    coordinator = await api_token(client, "coord-north@example.nl")
    appointment = await client.post(
        "/api/staff/appointments",
        json={"point": world["veghel"], "topic": world["topic"], "language": "pl",
              "channel": "phone", "start": THU_18, "phone": "+48601234567"},
        headers=agnieszka,
    )  # fmt: skip
    handover = await client.post("/api/handovers", json=body(world), headers=agnieszka)
    feed = await client.post("/api/feeds/", json={"agency": world["agency"]}, headers=coordinator)
    source = await client.post(
        "/api/busy-sources/",
        json={"kind": "ics", "url": "https://agenda.example/busy.ics", "agency": world["agency"]},
        headers=coordinator,
    )
    entry = await client.post(
        "/api/staff/queue/",
        json={"point": world["veghel"], "topic": world["topic"], "language": "pl"},
        headers=agnieszka,
    )
    for response in (appointment, handover, feed, source, entry):
        assert response.status_code == 201, response.text
    [callback] = await CallbackRequest.insert(CallbackRequest(point=phone_point, language="pl"))
    return {
        **world, "appointment": appointment.json()["id"], "handover": handover.json()["id"],
        "feed": feed.json()["id"], "source": source.json()["id"], "callback": callback["id"],
        "entry": entry.json()["id"],
    }  # fmt: skip


def api_requests(n: dict) -> list[tuple[str, str, str, dict | None, str]]:
    """(who, method, url with {id}, JSON body, the id that belongs to the north)."""
    consultant, coordinator = "mihaela@example.nl", "coord-west@example.nl"
    return [
        (consultant, "GET", "/api/handovers/{id}", None, "handover"),
        (consultant, "POST", "/api/handovers/{id}/cancel", {}, "handover"),
        (consultant, "POST", "/api/handovers/{id}/reschedule", {"start": THU_18}, "handover"),
        (consultant, "POST", "/api/handovers/{id}/outcome", {"outcome": "moved"}, "handover"),
        (consultant, "POST", "/api/staff/appointments/{id}/status", {"status": "arrived"},
         "appointment"),
        (consultant, "GET", "/api/staff/agenda?point={id}&day=2026-12-03", None, "veghel"),
        (consultant, "POST", "/api/handovers",
         body(n, point=n["breda"], appointment="{id}"), "appointment"),
        (coordinator, "POST", "/api/feeds/{id}/revoke", {}, "feed"),
        (coordinator, "GET", "/api/feeds/?agency={id}", None, "agency"),
        (coordinator, "POST", "/api/feeds/", {"agency": "{id}"}, "agency"),
        (coordinator, "POST", "/api/busy-sources/{id}/remove", {}, "source"),
        (coordinator, "GET", "/api/busy-sources/?agency={id}", None, "agency"),
        (consultant, "GET", "/api/staff/queue/?point={id}", None, "veghel"),
        (consultant, "POST", "/api/staff/queue/",
         {"point": "{id}", "topic": n["topic"], "language": "pl"}, "veghel"),
        (consultant, "POST", "/api/staff/queue/next", {"point": "{id}"}, "veghel"),
        (consultant, "POST", "/api/staff/queue/{id}/call", {}, "entry"),
        (consultant, "POST", "/api/staff/queue/{id}/served", {}, "entry"),
        (consultant, "POST", "/api/staff/queue/{id}/gone", {}, "entry"),
    ]  # fmt: skip


def with_id(value, record_id: int):
    if isinstance(value, dict):
        return {k: with_id(v, record_id) for k, v in value.items()}
    if value == "{id}":
        return record_id
    return value.replace("{id}", str(record_id)) if isinstance(value, str) else value


async def test_another_regions_ids_answer_like_missing_ones_on_the_api(client, north):
    for who, method, url, sent, owned in api_requests(north):
        auth = await api_token(client, who)
        answers = []
        for record_id in (north[owned], MISSING):
            response = await client.request(
                method, with_id(url, record_id), json=with_id(sent, record_id), headers=auth
            )
            answers.append((response.status_code, response.json()))
        assert answers[0] == answers[1], (method, url, answers)
        assert answers[0][0] in (404, 422), (method, url, answers)
    await unchanged(north)


PAGES = [
    ("GET", "/staff/appointments/{id}", "appointment"),
    ("POST", "/staff/appointments/{id}/status", "appointment"),
    ("GET", "/staff/appointments/{id}/move", "appointment"),
    ("POST", "/staff/appointments/{id}/move", "appointment"),
    ("POST", "/staff/appointments/{id}/cancel", "appointment"),
    ("GET", "/staff/handovers/{id}", "handover"),
    ("POST", "/staff/handovers/{id}/cancel", "handover"),
    ("POST", "/staff/callbacks/{id}/done", "callback"),
    ("GET", "/staff/points/{id}/agenda", "veghel"),
    ("POST", "/staff/points/{id}/walk-in", "veghel"),
    ("POST", "/staff/points/{id}/queue", "veghel"),
    ("POST", "/staff/points/{id}/queue/call", "veghel"),
    ("GET", "/staff/handovers/new?appointment={id}", "appointment"),
]


async def test_another_regions_ids_answer_like_missing_ones_on_the_pages(client, north):
    await log_in(client, "mihaela@example.nl")
    token = await csrf(client, "/staff/")
    for method, url, owned in PAGES:
        answers = []
        for record_id in (north[owned], MISSING):
            form = {"_csrf_token": token, "status": "arrived", "start": THU_18}
            response = await client.request(
                method, with_id(url, record_id), data=form if method == "POST" else None
            )
            # The language links and the language form repeat the address; everything else
            # must be the same.
            address = with_id(url, record_id)
            text = TOKEN.sub("", response.text).replace(address, "")
            text = text.replace(f"appointment={record_id}", "")
            answers.append((response.status_code, text))
        assert answers[0] == answers[1], (method, url, answers[0][0], answers[1][0])
        assert answers[0][0] in (404, 422), (method, url, answers[0][0])
    await unchanged(north)


async def unchanged(north: dict) -> None:
    statuses = {
        row["id"]: row["status"]
        for row in await Appointment.select(Appointment.id, Appointment.status)
    }
    assert statuses[north["appointment"]] == statuses[north["handover"]] == "confirmed"
    assert (await CalendarFeed.select().first())["revoked_at"] is None
    assert await BusySource.count() == 1
    assert (await CallbackRequest.select().first())["status"] == "open"
    assert [e["status"] for e in await QueueEntry.select(QueueEntry.status)] == ["waiting"]
