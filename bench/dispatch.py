"""Dispatch benchmark (issue 4): 10,000 reminders fall due at once; one `loket worker` sends
them to the Twilio fake (its own process). Prints messages per second, the time to drain the
outbox, and how many were lost or sent twice. Target: drained within 60 s, 0 lost, 0 twice.

The crash run (issue 15, ``--crash``): 400 reminders, lease 5 s; the worker is killed with
SIGKILL five times mid-batch and started again, then a last one drains the outbox. Prints
how many were lost and how many each crash sent twice. Target: 0 lost, at most 1 per crash.

Run as ``python -m bench.dispatch`` or ``python -m bench.dispatch --crash``.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import sys
import tempfile
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

CRASH = "--crash" in sys.argv[1:]
REMINDERS = int(os.environ.get("BENCH_REMINDERS", "400" if CRASH else "10000"))
CHUNK = 500
CRASHES = 5
CRASH_LEASE_SECONDS = 5


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


async def received(client: httpx.AsyncClient, url: str) -> list[dict]:
    return (await client.get(f"{url}/_received", timeout=60)).json()


async def drain(url: str, env: dict[str, str]) -> float:
    """Runs one worker until the outbox is settled; returns the seconds it took."""
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
    finally:
        worker.terminate()
        await worker.wait()
    return time.perf_counter() - began


async def crashes(url: str, env: dict[str, str]) -> list[int]:
    """Kills a sending worker CRASHES times, each once it has sent another share of the
    reminders; returns how many the provider had received at each kill."""
    env = {**env, "LOKET_OUTBOX_LEASE_SECONDS": str(CRASH_LEASE_SECONDS)}
    share = REMINDERS // (CRASHES + 1)
    marks: list[int] = []
    async with httpx.AsyncClient() as client:
        for crash in range(1, CRASHES + 1):
            worker = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "booking.cli", "worker", cwd=PROJECT_ROOT, env=env
            )
            while True:  # a fast poll, so the kill lands while a batch is being sent
                if len(await received(client, url)) >= crash * share:
                    break
                await asyncio.sleep(0.005)
            worker.kill()  # SIGKILL, mid-batch: no clean-up of any kind
            await worker.wait()
            marks.append(len(await received(client, url)))
    return marks


def twice_per_crash(log: list[dict], marks: list[int]) -> list[int]:
    """A message first sent between kill k-1 and kill k, and sent again, was handed over by
    worker k and not recorded before it died: a duplicate of crash k."""
    first: dict[str, int] = {}
    for position, entry in enumerate(log):
        first.setdefault(entry["Body"], position)
    bodies = Counter(entry["Body"] for entry in log)
    bounds = [0, *marks]
    return [
        sum(1 for body, n in bodies.items() if n > 1 and start <= first[body] < end)
        for start, end in itertools.pairwise(bounds)
    ]


async def main() -> None:
    if CRASH and "DATABASE_URL" not in os.environ:  # a fresh SQLite file, not the demo's
        folder = tempfile.mkdtemp(prefix="loket-crash-")
        os.environ["DATABASE_URL"] = f"sqlite:///{folder}/dispatch.sqlite"
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
    marks = await crashes(url, env) if CRASH else []
    drained = await drain(url, env)
    async with httpx.AsyncClient() as client:
        log = await received(client, url)
    fake.terminate()
    await fake.wait()
    bodies = Counter(r["Body"] for r in log)
    print(f"statuses: {dict(await statuses())}")
    lost = REMINDERS - len(bodies)
    if CRASH:
        per_crash = twice_per_crash(log, marks)
        print(
            f"crash run: {CRASHES} kills (SIGKILL) mid-batch, lease {CRASH_LEASE_SECONDS} s, then"
            f" drained in {drained:.1f} s"
        )
        print(f"lost: {lost}   sent twice: {sum(per_crash)}   per crash: {per_crash}")
    else:
        print(
            f"drained in {drained:.1f} s: {REMINDERS / drained:.0f} messages/s (one worker, including start-up)"
        )
        print(f"lost: {lost}   sent twice: {sum(1 for n in bodies.values() if n > 1)}")
    await close_pool()


if __name__ == "__main__":
    asyncio.run(main())
