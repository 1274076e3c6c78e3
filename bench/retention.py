"""Retention benchmark (issue 12 item 3): the first retention run over a year of old data,
while a served Loket answers /health, slot searches and holds.

Seeds BENCH_OLD_APPOINTMENTS (100,000) old appointments over a year with contacts, links and
sent texts beside the demo, starts `loket serve` (one worker, its own process), samples the
three requests one after another, then starts a `loket worker`, whose first housekeeping
round is the retention run, and samples again until nothing is left to erase. Prints the
retention throughput in appointments per second and each request's p50 and p95 before and
during the run. Target: no request's p50 during the run more than 3x its p50 before.

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
    finally:
        await close_pool()
    print(f"retention: {OLD} appointments in {elapsed:.1f} s = {OLD / elapsed:.0f} appointments/s")
    print(
        f"  {'request':<24} {'p50 before':>11} {'p50 during':>11} {'p95 before':>11} {'p95 during':>11}"
    )
    calm, busy = summary(before), summary(during)
    for kind in KINDS:
        ratio = busy[kind][0] / calm[kind][0]
        print(
            f"  {kind:<24} {calm[kind][0]:8.2f} ms {busy[kind][0]:8.2f} ms"
            f" {calm[kind][1]:8.2f} ms {busy[kind][1]:8.2f} ms   p50 x{ratio:.2f}"
        )
    print(f"  ({len(before)} rounds before, {len(during)} during)")


async def during_retention(sampler: Sampler) -> tuple[list[dict[str, float]], float]:
    """Samples while a `loket worker` runs retention; returns the samples and its duration."""
    worker = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "booking.cli", "worker", cwd=PROJECT_ROOT,
        env={**os.environ, "LOG_LEVEL": "WARNING"},
    )  # fmt: skip
    began = time.perf_counter()
    samples: list[dict[str, float]] = []
    try:
        while True:
            samples.append(await sampler.round())
            if len(samples) % 5 == 0 and await left() == 0:
                break
            if time.perf_counter() - began > 1200:
                raise RuntimeError("retention did not finish in 20 minutes")
        return samples, time.perf_counter() - began
    finally:
        worker.terminate()
        await worker.wait()


if __name__ == "__main__":
    asyncio.run(main())
