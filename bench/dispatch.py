"""Dispatch benchmark (issue 4): 10,000 reminders fall due at once; one `loket worker` sends
them to the Twilio fake (its own process). Prints messages per second, the time to drain the
outbox, and how many were lost or sent twice. Target: drained within 60 s, 0 lost, 0 twice.

Run as ``python -m bench.dispatch``.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
import time
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx

from booking.db.migrate import migrate
from booking.db.rows import insert_returning_id
from booking.db.tables import Appointment, Message, MigrantContact, Point, Region, Topic
from booking.db.transactions import close_pool, open_pool, write_transaction
from booking.domain.opening_hours import zone
from booking.reports.stamps import stamp
from booking.settings import PROJECT_ROOT, get_settings
from tests.fake_twilio import twilio_env

REMINDERS = int(os.environ.get("BENCH_REMINDERS", "10000"))
CHUNK = 500


async def seed(now: datetime) -> None:
    """Confirmed appointments tomorrow, each with a reminder due now."""
    async with write_transaction():
        region = (await Region.insert(Region(code="dispatch", name="Dispatch")))[0]["id"]
        point = (
            await Point.insert(
                Point(region=region, slug="dispatch", name="Dispatch", kind="physical")
            )
        )[0]["id"]
        topic = (await Topic.insert(Topic(slug="dispatch", name={"en": "Dispatch"})))[0]["id"]
    start = now + timedelta(days=1)
    for first in range(0, REMINDERS, CHUNK):
        numbers = range(first, min(first + CHUNK, REMINDERS))
        async with write_transaction():
            contacts = await insert_returning_id(
                MigrantContact,
                [
                    {
                        "phone": f"+48600{n:06d}",
                        "language": "pl",
                        "first_name": None,
                        "created_at": now,
                    }
                    for n in numbers
                ],
            )
            appointments = await insert_returning_id(
                Appointment,
                [
                    {
                        "point": point, "topic": topic, "contact": c, "language": "pl", "channel": "online",
                        "status": "confirmed", "starts_at": start, "ends_at": start + timedelta(minutes=30),
                        "sequence": 0, "code_attempts": 0, "created_at": now, "updated_at": now,
                        **stamp(start, now, zone("Europe/Amsterdam")).columns(),
                    }
                    for c in contacts
                ],
            )  # fmt: skip
            await insert_returning_id(
                Message,
                [
                    {
                        "channel": "sms", "kind": "reminder", "language": "pl", "body": f"reminder {n}",
                        "appointment": a, "appointment_sequence": 0, "contact": c, "status": "pending",
                        "due_at": now, "attempts": 0, "created_at": now,
                    }
                    for n, a, c in zip(numbers, appointments, contacts, strict=True)
                ],
            )  # fmt: skip


async def statuses() -> Counter:
    rows = await Message.select(Message.status).where(Message.kind == Message.REMINDER)
    return Counter(r["status"] for r in rows)


async def main() -> None:
    settings = get_settings()
    await migrate(settings)
    await open_pool(min_size=1, max_size=4)
    now = datetime.now(UTC)
    started = time.perf_counter()
    await seed(now)
    engine_name = "PostgreSQL" if settings.is_postgres else "SQLite"
    print(
        f"Loket dispatch benchmark on {engine_name}: {REMINDERS} reminders queued in {time.perf_counter() - started:.1f} s"
    )

    fake = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "tests.fake_twilio", cwd=PROJECT_ROOT, stdout=asyncio.subprocess.PIPE
    )
    url = json.loads(await fake.stdout.readline())["url"]
    # Quiet hours far from now: the benchmark measures sending, not the quiet-hours rule.
    quiet = f"{(now + timedelta(hours=12)):%H}:00-{(now + timedelta(hours=13)):%H}:00"
    env = {**os.environ, **twilio_env(url), "LOG_LEVEL": "WARNING", "LOKET_QUIET_HOURS": quiet}
    began = time.perf_counter()
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "booking.cli", "worker", cwd=PROJECT_ROOT, env=env
    )
    try:
        while True:
            counts = await statuses()
            if counts["pending"] + counts["sending"] == 0:
                break
            if time.perf_counter() - began > 600:
                print("gave up after 600 s")
                break
            await asyncio.sleep(0.25)
        drained = time.perf_counter() - began
    finally:
        worker.terminate()
        await worker.wait()
    async with httpx.AsyncClient() as client:
        received = (await client.get(f"{url}/_received", timeout=60)).json()
    fake.terminate()
    await fake.wait()
    bodies = Counter(r["Body"] for r in received)
    print(
        f"drained in {drained:.1f} s: {REMINDERS / drained:.0f} messages/s (one worker, including start-up)"
    )
    print(f"statuses: {dict(counts)}")
    print(
        f"lost: {REMINDERS - len(bodies)}   sent twice: {sum(1 for n in bodies.values() if n > 1)}"
    )
    await close_pool()


if __name__ == "__main__":
    asyncio.run(main())
