"""/metrics and /ready in the app: what they count, who may read them (issue 15 item 3)."""

from __future__ import annotations

import re
from dataclasses import replace

import httpx

from booking.app import create_app
from booking.db.tables import Message
from booking.metrics.heartbeat import beat
from tests.conftest import NOW
from tests.ops.metrics_text import samples, total, value
from tests.web.test_api import TUESDAY, booking, slots, veghel  # noqa: F401 (fixture)


async def scrape(client: httpx.AsyncClient) -> dict:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    return samples(response.text)


async def test_metrics_count_requests_searches_holds_and_read_the_backlog(client, veghel):  # noqa: F811
    before = await scrape(client)
    found = await slots(client, veghel)
    held = await client.post("/api/appointments", json=booking(veghel, found[0]["start"]))
    assert held.status_code == 201, held.text
    taken = await client.post("/api/appointments", json=booking(veghel, found[0]["start"]))
    assert taken.status_code == 409
    token = held.json()["manage_token"]
    wrong = await client.post(f"/api/appointments/{token}/verify", json={"code": "000000"})
    assert wrong.status_code == 422
    await client.get(f"/api/appointments/{token}")
    await beat("host-a:1", "worker", NOW)
    after = await scrape(client)

    def grew(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    assert grew("loket_slot_searches_total", outcome="found") == 1
    assert grew("loket_holds_total", outcome="held") == 1
    assert grew("loket_holds_total", outcome="slot_taken") == 1
    assert grew("loket_hold_endings_total", ending="wrong") == 1
    route = {"method": "GET", "route": "/api/appointments/{token}", "status": "200"}
    assert grew("loket_http_request_duration_seconds_count", **route) == 1
    # Labels name route templates, never the token, an id or a number.
    text = (await client.get("/metrics")).text
    assert token not in text and not re.search(r"route=\"[^\"]*\d{3,}", text)
    # The held appointment's code message waits in the outbox (the clock does not move).
    assert value(after, "loket_outbox_messages", channel="sms", status="pending") >= 1
    assert value(after, "loket_outbox_messages", channel="email", status="sending") == 0
    assert value(after, "loket_worker_heartbeat_age_seconds", worker="host-a:1", kind="worker") == 0
    assert value(after, "loket_workers_alive", kind="worker") == 1


async def test_oldest_due_message_age(client, clock, veghel):  # noqa: F811
    from datetime import timedelta

    from booking.notify import outbox

    await outbox.enqueue(
        kind=Message.REMINDER, language="pl", body="x", due_at=NOW - timedelta(minutes=10)
    )
    await outbox.enqueue(
        kind=Message.REMINDER, language="pl", body="later", due_at=NOW + timedelta(hours=3)
    )
    found = await scrape(client)
    assert value(found, "loket_outbox_oldest_due_seconds", channel="sms") == 600
    assert value(found, "loket_outbox_oldest_due_seconds", channel="email") == 0
    assert value(found, "loket_outbox_messages", channel="sms", status="pending") == 2


async def test_metrics_only_for_allowed_networks_or_the_token(db, settings, clock):
    app = create_app(replace(settings, metrics_token="s3cret-scrape-token"), clock=clock)
    outside = httpx.ASGITransport(app=app, client=("203.0.113.9", 40000))
    async with httpx.AsyncClient(transport=outside, base_url="http://loket.test") as http:
        assert (await http.get("/metrics")).status_code == 403
        wrong = {"Authorization": "Bearer not-the-token"}
        assert (await http.get("/metrics", headers=wrong)).status_code == 403
        right = {"Authorization": "Bearer s3cret-scrape-token"}
        answer = await http.get("/metrics", headers=right)
        assert answer.status_code == 200 and "loket_outbox_messages" in answer.text
    lan = replace(settings, metrics_allow=("203.0.113.0/24",))
    inside = httpx.ASGITransport(app=create_app(lan, clock=clock), client=("203.0.113.9", 1))
    async with httpx.AsyncClient(transport=inside, base_url="http://loket.test") as http:
        assert (await http.get("/metrics")).status_code == 200
    assert total(samples(answer.text), "loket_workers_alive") == 0


async def test_ready_when_database_answers_and_is_current(client):
    answer = await client.get("/ready")
    assert answer.status_code == 200 and answer.json() == {"status": "ready"}
