"""Retention benchmark (issue 12 item 3): the first retention run over a year of old data,
while a served Loket answers /health, slot searches and holds.

Seeds BENCH_OLD_APPOINTMENTS (100,000) old appointments over a year with contacts, links and
sent texts beside the demo, starts `loket serve` (one worker, its own process), samples the
three requests one after another, then has another process run the worker's retention
job (``retention.run`` with the worker's settings; the process is started and ready
first, so Python's start-up is not measured), samples again until it is done, and once more after (the machine's own noise). Prints the retention throughput in
appointments per second and each request's p50 and p95 before, during and after. Target: no request's p50 during the run more than 3x its p50 before.

Run as ``python -m bench.retention``.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta

import httpx

from bench.common import percentile
from booking.db.migrate import migrate
from booking.db.tables import Appointment, Point, Topic
from booking.db.transactions import close_pool, open_pool
from booking.domain.policy import Policy
from booking.services import retention
from booking.services.demo import load_demo
from booking.settings import PROJECT_ROOT, get_settings
from tests.live import serving
from tests.old_data import old_place, seed_old_year

OLD = int(os.environ.get("BENCH_OLD_APPOINTMENTS", "100000"))
BEFORE_ROUNDS = 60
KINDS = ("/health", "slot search (one day)", "hold (POST)")


class Sampler:
    """Rounds of /health, a one-day slot search and a hold at the first free time."""

    def __init__(self, client: httpx.AsyncClient, point: int, topic: int, now: datetime) -> None:
        self.client, self.point, self.topic, self.now = client, point, topic, now
        self.rounds = 0

    async def round(self) -> dict[str, float]:
        self.rounds += 1
        day = self.now.date() + timedelta(days=1 + self.rounds % 25)
        took: dict[str, float] = {}
        started = time.perf_counter()
        assert (await self.client.get("/health")).status_code == 200
        took[KINDS[0]] = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        answer = await self.client.get(
            f"/api/slots?point={self.point}&topic={self.topic}&language=pl&from={day}&to={day}"
        )
        took[KINDS[1]] = (time.perf_counter() - started) * 1000
        slots = answer.json()["slots"]
        if slots:
            body = {
                "point": self.point,
                "topic": self.topic,
                "language": "pl",
                "start": slots[0]["start"],
                "phone": f"+48603{self.rounds:06d}",
            }
            started = time.perf_counter()
            held = await self.client.post("/api/appointments", json=body)
            took[KINDS[2]] = (time.perf_counter() - started) * 1000
            if held.status_code not in (201, 409):
                raise RuntimeError(f"hold: {held.status_code} {held.text[:200]}")
            if held.status_code == 201:  # free the time again, so the days never fill up
                token = held.json()["manage_token"]
                await self.client.post(f"/api/appointments/{token}/cancel")
        return took


def summary(samples: list[dict[str, float]]) -> dict[str, tuple[float, float]]:
    found = {}
    for kind in KINDS:
        values = [s[kind] for s in samples if kind in s]
        found[kind] = (statistics.median(values), percentile(values, 0.95))
    return found


async def left() -> int:
    return await Appointment.count().where(
        Appointment.erased_at.is_null()
        & (Appointment.ends_at < datetime.now(UTC) - timedelta(days=90))
    )


async def main() -> None:
    settings = get_settings()
    await migrate(settings)
    await open_pool(min_size=1, max_size=4)
    await load_demo()
    now = datetime.now(UTC)
    point = (await Point.select(Point.id).where(Point.slug == "veghel").first())["id"]
    topic = (await Topic.select(Topic.id).where(Topic.slug == "housing").first())["id"]
    started = time.perf_counter()
    place = await old_place()
    await seed_old_year(*place, OLD, now - timedelta(days=100))
    engine_name = "PostgreSQL" if settings.is_postgres else "SQLite"
    print(
        f"Loket retention benchmark on {engine_name}: {OLD} old appointments over a year"
        f" seeded in {time.perf_counter() - started:.0f} s; batch {settings.retention_batch},"
        f" pause {settings.retention_pause_ms} ms"
    )
    quiet = {"LOKET_IN_PROCESS_WORKER": "off", "LOKET_RATE_LIMITS": "off", "LOG_LEVEL": "WARNING"}
    try:
        with serving(**quiet) as url:
            async with httpx.AsyncClient(base_url=url, timeout=60) as client:
                sampler = Sampler(client, point, topic, now)
                for _ in range(10):
                    await sampler.round()
                before = [await sampler.round() for _ in range(BEFORE_ROUNDS)]
                during, elapsed = await during_retention(sampler)
                after = [await sampler.round() for _ in range(BEFORE_ROUNDS)]
    finally:
        await close_pool()
    print(f"retention: {OLD} appointments in {elapsed:.1f} s = {OLD / elapsed:.0f} appointments/s")
    print(f"  {'p50 / p95 (ms)':<24} {'before':>15} {'during':>15} {'after':>15}")
    calm, busy, later = summary(before), summary(during), summary(after)
    for kind in KINDS:
        cells = "".join(f" {a:7.2f} / {b:5.1f}" for a, b in (calm[kind], busy[kind], later[kind]))
        print(f"  {kind:<24}{cells}   during/before p50 x{busy[kind][0] / calm[kind][0]:.2f}")
    print(f"  ({len(before)} rounds before, {len(during)} during, {len(after)} after)")


async def during_retention(sampler: Sampler) -> tuple[list[dict[str, float]], float]:
    """Samples while another process runs the worker's retention job; returns the samples
    and how long the job took (the process is started and ready first, so its start-up
    is neither in the samples nor in the time)."""
    eraser = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bench.retention", "--erase", cwd=PROJECT_ROOT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
        stdin=asyncio.subprocess.PIPE, stdout=asyncio.subprocess.PIPE,
    )  # fmt: skip
    assert await eraser.stdout.readline() == b"ready\n"
    eraser.stdin.write(b"go\n")
    await eraser.stdin.drain()
    began = time.perf_counter()
    samples: list[dict[str, float]] = []
    finished = asyncio.ensure_future(eraser.stdout.readline())
    while not finished.done() or not samples:
        samples.append(await sampler.round())
        if time.perf_counter() - began > 1200:
            raise RuntimeError("retention did not finish in 20 minutes")
    seconds = float(finished.result())
    await eraser.wait()
    assert await left() == 0
    return samples, seconds


async def erase() -> None:
    """The worker's retention job with the worker's settings, when told to go."""
    settings = get_settings()
    await open_pool(min_size=1, max_size=4)
    print("ready", flush=True)
    await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
    began = time.perf_counter()
    await retention.run(
        Policy.from_settings(settings), datetime.now(UTC),
        batch=settings.retention_batch, pause=settings.retention_pause_ms / 1000,
    )  # fmt: skip
    print(time.perf_counter() - began, flush=True)
    await close_pool()


if __name__ == "__main__":
    asyncio.run(erase() if "--erase" in sys.argv else main())
