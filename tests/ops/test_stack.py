"""scripts/stack, the production shape on this machine: PostgreSQL, two web processes
behind nginx, one worker. Book, confirm with the texted code and get the reminder through
it; readiness follows PostgreSQL down and up again (issue 15 items 2 and 3).

The stack brings its own PostgreSQL, so this runs once, in the SQLite run of the suite.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import shutil
import signal
from collections.abc import AsyncIterator

import asyncpg
import httpx
import pytest

from booking.db.backups.postgres import tool as postgres_tool
from booking.settings import PROJECT_ROOT, Settings
from tests.fake_twilio import FakeTwilio, twilio_env
from tests.log_scan import log_dir
from tests.notify.test_workers import until
from tests.ops import flows
from tests.ops.metrics_text import samples, total, value

pytestmark = pytest.mark.skipif(
    not shutil.which("nginx"), reason="nginx is missing: `make install` installs it"
)


@pytest.fixture(scope="module")
async def fake() -> AsyncIterator[FakeTwilio]:
    server = FakeTwilio()
    await server.start()
    yield server
    await server.stop()


@pytest.fixture(scope="module")
async def stack(settings: Settings, fake: FakeTwilio) -> AsyncIterator[dict]:
    if settings.is_postgres:
        pytest.skip("the stack brings its own PostgreSQL; it runs in the SQLite run")
    env = {
        **os.environ,
        **twilio_env(fake.url),
        "STACK_PORT": "0",
        "LOKET_STACK_LOG_DIR": str(log_dir()),
        # The reminder must not wait for the morning, whenever the suite runs.
        "LOKET_QUIET_HOURS": "00:00-00:00",
        "LOKET_RATE_LIMITS": "off",
    }
    env.pop("DATABASE_URL")
    process = await asyncio.create_subprocess_exec(
        str(PROJECT_ROOT / "scripts" / "stack"), "--demo", cwd=PROJECT_ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    try:
        line = await asyncio.wait_for(process.stdout.readline(), 240)
        assert line.startswith(b"stack: ready "), f"the stack did not start: {line!r}"
        yield json.loads(line.removeprefix(b"stack: ready "))
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(process.wait(), 120) == 0


async def pg_ctl(stack: dict, *args: str) -> None:
    """Stops or starts the stack's PostgreSQL (as its owner, when we are root)."""
    binary = postgres_tool("pg_ctl")
    owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    process = await asyncio.create_subprocess_exec(
        *owner, binary, "-D", stack["pg_data"], "-w", *args,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
    )  # fmt: skip
    assert await process.wait() == 0


async def test_book_confirm_and_remind_through_the_stack(stack: dict, fake: FakeTwilio) -> None:
    n = 7
    number = flows.phone(n).replace(" ", "")
    async with httpx.AsyncClient(base_url=stack["url"], timeout=30) as http:
        point, topic = await flows.veghel(http)
        start = flows.spaced(await flows.free_starts(http, point, topic))[0]
        held = await flows.hold(http, point, topic, start, n)

        async def texted() -> list[str]:
            return [m["Body"] for m in fake.received if m["To"] == number]

        await until(lambda: _some(texted, 1))
        code = re.search(r"\b(\d{6})\b", (await texted())[0]).group(1)
        token = held["manage_token"]
        confirmed = await http.post(f"/api/appointments/{token}/verify", json={"code": code})
        assert confirmed.status_code == 200 and confirmed.json()["status"] == "confirmed"
        await until(lambda: _some(texted, 2))  # the confirmation

        # Time passes: the reminder planned for this appointment falls due now.
        db = await asyncpg.connect(stack["database_url"])
        try:
            moved = await db.execute(
                "UPDATE message SET due_at = now() WHERE kind = 'reminder' AND status = 'pending'"
                " AND appointment = $1",
                confirmed.json()["id"],
            )
            assert moved != "UPDATE 0", "no reminder was planned"
            await until(lambda: _some(texted, 3))
            kinds = await db.fetch(
                "SELECT kind, status FROM message WHERE appointment = $1 ORDER BY id",
                confirmed.json()["id"],
            )
        finally:
            await db.close()
        sent = [r["kind"] for r in kinds if r["status"] == "sent"]
        assert sent[:3] == ["code", "confirmation", "reminder"]
        assert held["manage_url"].startswith(stack["url"])  # PUBLIC_BASE_URL: the proxy

        # Both web processes answered through the proxy, and the worker sent the texts.
        for web in stack["web"]:
            found = samples((await http.get(f"{web}/metrics")).text)
            assert total(found, "loket_http_request_duration_seconds_count") > 0
            assert value(found, "loket_workers_alive", kind="worker") == 1
        worker = samples((await http.get(f"{stack['worker_metrics']}/metrics")).text)
        assert value(worker, "loket_messages_sent_total", channel="sms") >= 3
        assert (await http.get("/metrics")).status_code == 404  # not through the proxy


async def test_ready_follows_postgresql_down_and_up(stack: dict) -> None:
    async with httpx.AsyncClient(base_url=stack["url"], timeout=30) as http:
        assert (await http.get("/ready")).status_code == 200
        await pg_ctl(stack, "-m", "fast", "stop")
        try:
            for web in stack["web"]:
                down = await http.get(f"{web}/ready")
                assert down.status_code == 503, down.text
                assert "not answering" in down.json()["database"]
                assert (await http.get(f"{web}/health")).status_code == 200
            assert (await http.get("/ready")).status_code == 503
        finally:
            await pg_ctl(stack, "-l", f"{stack['pg_data']}/../server.log", "start")

        async def ready_again() -> bool:
            return (await http.get("/ready")).status_code == 200

        await until(ready_again)
        for web in stack["web"]:
            assert (await http.get(f"{web}/ready")).status_code == 200


async def _some(texts, count: int) -> bool:
    return len(await texts()) >= count
