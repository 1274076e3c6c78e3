"""Loket benchmark: slot search and booking over HTTP, with /health measured in the same run.

Run as ``python -m bench.run``, on the engine DATABASE_URL names (SQLite when unset). Seeds the scaled
data, starts ``loket serve`` in its own process on a free port, then prints:
latency p50/p99 of /health and of slot searches (1 day, 4 weeks) at concurrency 1 and 8,
the SQL queries one search makes, bookings per second at concurrency 8 and 16 on distinct
slots, and the number of double holds afterwards (must be 0).
Not a test: numbers on a shared machine vary; the ratio to /health is what to compare.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta

import httpx

from bench.common import line, timed
from bench.seed import seed
from booking.db import rows
from booking.db.migrate import migrate
from booking.db.tables import Allocation
from booking.db.transactions import close_pool, engine, open_pool
from booking.domain.policy import Policy
from booking.services.point_setup import Catalog, current_revision
from booking.services.slots import search_slots
from booking.settings import get_settings
from tests.live import serving

REQUESTS = int(os.environ.get("BENCH_REQUESTS", "400"))
BOOKINGS = int(os.environ.get("BENCH_BOOKINGS", "400"))
WORKERS = int(os.environ.get("BENCH_WEB_CONCURRENCY", "1"))


async def count_queries(
    point: int, topic: int, first: date, last: date, now: datetime
) -> tuple[int, int, int]:
    """SQL statements of one search, cold (empty cache), warm and at a point not yet cached,
    counted in-process at both ways Loket reaches the database: Piccolo queries and the raw
    tuple fetch."""
    engine_class = type(engine())
    original, original_fetch = engine_class.run_querystring, rows.fetch_tuples
    counter = {"n": 0}

    async def counting(self, querystring, in_pool: bool = False):
        counter["n"] += 1
        return await original(self, querystring, in_pool=in_pool)

    async def counting_fetch(sql, *args):
        counter["n"] += 1
        return await original_fetch(sql, *args)

    engine_class.run_querystring, rows.fetch_tuples = counting, counting_fetch
    try:
        policy, counts = Policy.from_settings(get_settings()), []
        # Cold: nothing cached. Cold point: topics and points known, not this point's setup.
        fresh, cold_point = Catalog(), Catalog()
        revision = await current_revision()
        await cold_point.topics(revision)
        await cold_point.point_infos(revision)
        for catalog in (fresh, fresh, cold_point):
            counter["n"] = 0
            await search_slots(
                catalog,
                policy,
                point_id=point,
                topic_id=topic,
                language="pl",
                first=first,
                last=last,
                now=now,
            )
            counts.append(counter["n"])
        return counts[0], counts[1], counts[2]
    finally:
        engine_class.run_querystring, rows.fetch_tuples = original, original_fetch


async def book_all(
    client: httpx.AsyncClient, bodies: list[dict], concurrency: int
) -> tuple[float, dict[int, int]]:
    queue = list(reversed(bodies))
    statuses: dict[int, int] = {}

    async def worker() -> None:
        while queue:
            response = await client.post("/api/appointments", json=queue.pop())
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return len(bodies) / (time.perf_counter() - started), statuses


async def double_holds() -> int:
    rows = await Allocation.raw(
        "SELECT COUNT(*) AS n FROM allocation a JOIN allocation b ON a.resource = b.resource"
        " AND a.id < b.id AND a.live AND b.live"
        " AND a.starts_at < b.ends_at AND b.starts_at < a.ends_at"
    )
    return rows[0]["n"]


async def main() -> None:
    settings = get_settings()
    engine_name = "PostgreSQL" if settings.is_postgres else "SQLite"
    await migrate(settings)
    await open_pool(min_size=1, max_size=4)
    today = datetime.now(UTC).date() + timedelta(days=1)
    seeded_at = time.perf_counter()
    ids = await seed(today, random.Random(7))
    print(
        f"Loket benchmark on {engine_name}: {ids['appointments']} appointments seeded in {time.perf_counter() - seeded_at:.1f} s"
    )

    # Messages are queued, not sent, during the run: in production a `loket worker` sends them.
    env = {
        "WEB_CONCURRENCY": str(WORKERS),
        "LOKET_RATE_LIMITS": "off",
        "LOKET_IN_PROCESS_WORKER": "off",
    }
    try:
        with serving(**env) as url:
            async with httpx.AsyncClient(
                base_url=url, timeout=30, limits=httpx.Limits(max_connections=32)
            ) as client:
                await measure(client, ids, today)
    finally:
        await close_pool()


async def measure(client: httpx.AsyncClient, ids: dict[str, int], today: date) -> None:
    slots = f"/api/slots?point={ids['point']}&topic={ids['topic']}&language=pl"
    one_day = [f"{slots}&from={d}&to={d}" for d in (today + timedelta(days=n) for n in range(28))]
    four_weeks = [f"{slots}&from={today}&to={today + timedelta(days=27)}"]
    await timed(client, one_day * 3 + four_weeks * 10 + ["/health"] * 50, 4)  # warm-up

    print(
        f"server: loket serve, {WORKERS} worker process(es); client: httpx, keep-alive, same machine"
    )
    for concurrency in (1, 8):
        health = await timed(client, ["/health"] * REQUESTS, concurrency)
        base = statistics.median(health)
        print(f"concurrency {concurrency}:")
        print(line("GET /health", health))
        day = await timed(client, (one_day * REQUESTS)[:REQUESTS], concurrency)
        print(line("slots, 1 day, pl", day, base))
        weeks = await timed(client, four_weeks * (REQUESTS // 4), concurrency)
        print(line("slots, 4 weeks, pl", weeks, base))

    now = datetime.now(UTC)
    print("SQL queries per search (cold cache / warm / cold point in a warm catalog):")
    for label, last in (("1 day", today), ("4 weeks", today + timedelta(days=27))):
        cold, warm, point = await count_queries(ids["point"], ids["topic"], today, last, now)
        print(f"  {label:<8} {cold} / {warm} / {point}")

    free = (await client.get(f"{slots}&from={today}&to={today + timedelta(days=55)}")).json()
    starts = [s["start"] for s in free["slots"]]
    random.Random(3).shuffle(starts)
    body = {"point": ids["point"], "topic": ids["topic"], "language": "pl"}
    print(
        f"bookings (holds awaiting their SMS code) on distinct free slots ({len(starts)} offered):"
    )
    for n, concurrency in enumerate((8, 16)):
        batch = starts[n * BOOKINGS : (n + 1) * BOOKINGS]
        bodies = [
            {**body, "start": s, "phone": f"+4860{k:07d}"}
            for k, s in enumerate(batch, start=n * BOOKINGS)
        ]
        rate, statuses = await book_all(client, bodies, concurrency)
        print(f"  concurrency {concurrency:>2}: {rate:7.1f} bookings/s   statuses {statuses}")
    print(f"double holds afterwards: {await double_holds()}")


if __name__ == "__main__":
    asyncio.run(main())
