"""Metrics, readiness and logs of real processes: two web workers and a `loket worker`
(issue 15 items 3 and 6)."""

from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
from datetime import UTC, datetime

import httpx
import pytest

from booking.db.tables import Message, MigrantContact
from booking.notify import outbox
from booking.settings import PROJECT_ROOT, Settings
from tests.fake_twilio import FakeTwilio, twilio_env
from tests.fresh_database import fresh_database
from tests.live import serving
from tests.log_scan import log_dir
from tests.notify.test_workers import stop, until
from tests.ops.metrics_text import samples, value


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_two_web_workers_report_the_same_totals(db) -> None:
    """Each scrape, whichever worker answers it, counts the requests both workers served."""
    with serving(WEB_CONCURRENCY="2", LOKET_IN_PROCESS_WORKER="off") as url:
        for _ in range(12):
            async with httpx.AsyncClient() as fresh:  # a new connection each time
                assert (await fresh.get(f"{url}/api/topics")).status_code == 200
        counts = set()
        for _ in range(8):
            async with httpx.AsyncClient() as fresh:
                found = samples((await fresh.get(f"{url}/metrics")).text)
            route = {"method": "GET", "route": "/api/topics", "status": "200"}
            counts.add(value(found, "loket_http_request_duration_seconds_count", **route))
    assert counts == {12}


@pytest.fixture
async def fake():
    server = FakeTwilio()
    await server.start()
    yield server
    await server.stop()


async def test_the_worker_serves_its_own_sends_failures_and_heartbeat(db, fake) -> None:
    good = await MigrantContact.insert(MigrantContact(phone="+48601234567", language="pl"))
    bad = await MigrantContact.insert(MigrantContact(phone="+48601234568", language="pl"))
    fake.failing["+48601234568"] = (400, 21211)  # invalid number: permanent
    now = datetime.now(UTC)
    for n in range(3):
        await outbox.enqueue(
            kind=Message.CONFIRMATION, language="pl", body=f"ok {n}", contact_id=good[0]["id"],
            due_at=now,
        )  # fmt: skip
    await outbox.enqueue(
        kind=Message.CONFIRMATION, language="pl", body="no", contact_id=bad[0]["id"], due_at=now
    )
    port = free_port()
    env = {**os.environ, **twilio_env(fake.url), "LOKET_METRICS_PORT": str(port)}
    with (log_dir() / "worker-metrics.log").open("ab") as log:
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "booking.cli", "worker", cwd=PROJECT_ROOT, env=env,
            stdout=log, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:

        async def settled() -> bool:
            return await Message.count().where(Message.status.is_in(["sent", "failed"])) == 4

        await until(settled)

        async def reported() -> dict | None:
            try:
                async with httpx.AsyncClient() as http:
                    answer = await http.get(f"http://127.0.0.1:{port}/metrics")
            except httpx.TransportError:
                return None
            found = samples(answer.text)
            return found if value(found, "loket_workers_alive", kind="worker") == 1 else None

        await until(reported)
        found = await reported()
    finally:
        await stop(process)
    assert value(found, "loket_messages_sent_total", channel="sms") == 3
    assert value(found, "loket_send_failures_total", channel="sms", reason="permanent") == 1
    assert value(found, "loket_outbox_messages", channel="sms", status="pending") == 0


async def test_ready_only_once_the_database_is_migrated(settings: Settings) -> None:
    async with fresh_database(settings) as url:
        with serving(DATABASE_URL=url, LOKET_IN_PROCESS_WORKER="off") as served:
            async with httpx.AsyncClient(base_url=served) as http:
                assert (await http.get("/health")).status_code == 200
                early = await http.get("/ready")
                assert early.status_code == 503
                assert "migrations not applied" in early.json()["database"]
                migrate = await asyncio.create_subprocess_exec(
                    sys.executable, "-m", "booking.cli", "migrate", cwd=PROJECT_ROOT,
                    env={**os.environ, "DATABASE_URL": url}, stdout=subprocess.DEVNULL,
                )  # fmt: skip
                assert await migrate.wait() == 0
                assert (await http.get("/ready")).json() == {"status": "ready"}


async def test_json_logs_are_one_object_per_line(db) -> None:
    name = "json-format.log"
    with serving(log_name=name, LOG_FORMAT="json", LOKET_IN_PROCESS_WORKER="off") as url:
        async with httpx.AsyncClient(base_url=url) as http:
            await http.get("/api/appointments/" + "x" * 40)  # a 404, logged by nobody
    lines = [line for line in (log_dir() / name).read_text().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]
    assert {"time", "level", "logger", "message"} <= set(records[0])
    assert any(r["logger"].startswith("uvicorn") for r in records)
    assert any(r["logger"].startswith("booking") for r in records)
