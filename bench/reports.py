"""Report benchmark (issue 12): the national scale on PostgreSQL, over HTTP.

Run as ``scripts/with-postgres python -m bench.reports``. Seeds 35 regions, 1,000 points and
``BENCH_APPOINTMENTS`` appointments (default 200,000, so it runs in a few minutes; the
issue's size is 1,000,000) spread over the 13 months before today, with COPY, then starts
``loket serve`` (one worker) and prints p50/p95 of a coordinator's region report and an
admin's national report for 13 months, of the regions side by side, and /health p50 in the
same run and while national reports run back to back. Targets: national < 1 s at 1M,
region < 300 ms, /health within 5x while a report runs.
Not a test: numbers on a shared machine vary.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

import httpx

from bench.common import percentile, timed
from booking.db.migrate import migrate
from booking.db.tables import Agency, Point, Region, Topic
from booking.db.transactions import close_pool, engine, open_pool
from booking.domain.opening_hours import zone
from booking.reports.stamps import stamp
from booking.services.auth.accounts import create_account
from booking.settings import get_settings
from tests.live import serving
from tests.staff_login import PASSWORD, log_in

APPOINTMENTS = int(os.environ.get("BENCH_APPOINTMENTS", "200000"))
REGIONS, POINTS, TOPICS = 35, 1000, 14
SAMPLES = int(os.environ.get("BENCH_REPORT_SAMPLES", "10"))
TZ = zone("Europe/Amsterdam")
LANGUAGES = ["pl"] * 5 + ["ro"] * 3 + ["bg", "uk", "uk", "lt", "hu", "nl", "en"]
CHANNELS = ["online"] * 6 + ["phone"] * 2 + ["walk_in", "handover"]
PAST = ["done"] * 14 + ["no_show"] * 2 + ["arrived", "cancelled", "cancelled"]
COLUMNS = (
    "point", "topic", "language", "channel", "status", "starts_at", "ends_at", "sequence",
    "code_attempts", "created_at", "updated_at", "local_date", "local_weekday", "local_hour",
    "lead_days", "lead_minutes",
)  # fmt: skip
HANDOVER_COLUMNS = (
    "appointment", "agency", "place", "interpreter_language", "interpreter_mode",
    "consultant_joins", "note", "room", "outcome",
)  # fmt: skip


async def seed(today: date, rng: random.Random) -> dict[str, int]:
    """The national master data, then the appointments by COPY, a handover row for each
    handover and an interpreter for one appointment in nine (own resources: no overlap)."""
    regions = [
        (await Region.insert(Region(code=f"r{n:02d}", name=f"Region {n:02d}")))[0]["id"]
        for n in range(REGIONS)
    ]
    points = [
        r["id"]
        for r in await Point.insert(
            *(
                Point(
                    region=regions[n % REGIONS],
                    slug=f"p{n:04d}",
                    name=f"Point {n:04d}",
                    kind="physical",
                )
                for n in range(POINTS)
            )
        )
    ]
    topics = [
        r["id"]
        for r in await Topic.insert(
            *(Topic(slug=f"t{n:02d}", name={"en": f"Topic {n}"}) for n in range(TOPICS))
        )
    ]
    agencies = [
        r["id"]
        for r in await Agency.insert(
            *(
                Agency(slug=f"a{n:02d}", name=f"Agency {n}", region=regions[n])
                for n in range(REGIONS)
            )
        )
    ]
    region_of = {p: regions[n % REGIONS] for n, p in enumerate(points)}
    agency_of = dict(zip(regions, agencies, strict=True))
    first, now = year_before(today), datetime.now(UTC)
    records = []
    for _ in range(APPOINTMENTS):
        day = first + timedelta(days=rng.randrange((today - first).days + 1))
        local = datetime.combine(day, clock(rng.randrange(9, 21), rng.choice((0, 15, 30, 45))))
        start = local.replace(tzinfo=TZ).astimezone(UTC)
        made = start - timedelta(minutes=rng.randrange(30, 56 * 24 * 60))
        status = rng.choice(PAST) if day < today else rng.choice(("confirmed", "cancelled"))
        s = stamp(start, made, TZ)
        records.append(
            (
                rng.choice(points),
                rng.choice(topics),
                rng.choice(LANGUAGES),
                rng.choice(CHANNELS),
                status,
                start,
                start + timedelta(minutes=30),
                0,
                0,
                made,
                now,
                s.local_date,
                s.local_weekday,
                s.local_hour,
                s.lead_days,
                s.lead_minutes,
            )
        )
    async with engine().pool.acquire() as connection:
        await connection.copy_records_to_table("appointment", records=records, columns=COLUMNS)
        handovers = await connection.fetch(
            "SELECT id, point, status FROM appointment WHERE channel = 'handover'"
        )
        outcomes = ["took_place"] * 6 + ["migrant_absent", "agency_absent", None]
        await connection.copy_records_to_table(
            "handover",
            records=[
                (
                    h["id"],
                    agency_of[region_of[h["point"]]],
                    "agency",
                    "uk",
                    "on_site",
                    True,
                    "",
                    "",
                    rng.choice(outcomes) if h["status"] != "confirmed" else None,
                )
                for h in handovers
            ],
            columns=HANDOVER_COLUMNS,
        )
        await connection.execute(
            "INSERT INTO allocation (appointment, resource, role, starts_at, ends_at, live)"
            " SELECT id, 'bench:' || id, 'interpreter', starts_at, ends_at, status <> 'cancelled'"
            " FROM appointment WHERE id % 9 = 0"
        )
        # As autovacuum would after the inserts: index-only scans need the visibility map.
        await connection.execute("VACUUM ANALYZE")
    await create_account(
        email="admin@bench.example", name="Admin", password=PASSWORD, role="admin", language="en"
    )
    await create_account(
        email="coordinator@bench.example",
        name="Coordinator",
        password=PASSWORD,
        role="coordinator",
        region_id=regions[0],
        language="en",
    )
    return {"handovers": len(handovers)}


def year_before(today: date) -> date:
    """The first day of the same month a year ago: 13 calendar months up to today."""
    return date(today.year - 1, today.month, 1)


def summary(name: str, samples: list[float]) -> str:
    return (
        f"  {name:<40} p50 {statistics.median(samples):8.1f} ms"
        f"   p95 {percentile(samples, 0.95):8.1f} ms"
    )


async def measure(url: str, today: date) -> None:
    period = f"from={year_before(today)}&to={today}"
    limits = httpx.Limits(max_connections=8)
    async with (
        httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as admin,
        httpx.AsyncClient(base_url=url, timeout=120, limits=limits) as coordinator,
        httpx.AsyncClient(base_url=url, timeout=30) as probe,
    ):
        await log_in(admin, "admin@bench.example")
        await log_in(coordinator, "coordinator@bench.example")
        pages = {
            "region report, 13 months (coordinator)": (coordinator, f"/staff/reports?{period}"),
            "national report, 13 months (admin)": (admin, f"/staff/reports?{period}"),
            "regions side by side, 13 months": (admin, f"/staff/reports/regions?{period}"),
            "national CSV (languages), 13 months": (
                admin,
                f"/staff/reports/languages.csv?{period}",
            ),
        }
        for client, page in pages.values():
            await timed(client, [page], 1)  # warm-up
        health = await timed(probe, ["/health"] * 200, 1)
        base = statistics.median(health)
        print(summary("GET /health", health))
        for name, (client, page) in pages.items():
            print(summary(name, await timed(client, [page] * SAMPLES, 1)))

        running = True

        async def reports_meanwhile() -> int:
            done = 0
            while running:
                await timed(admin, [f"/staff/reports?{period}"], 1)
                done += 1
            return done

        background = asyncio.create_task(reports_meanwhile())
        await asyncio.sleep(0.2)
        started = time.perf_counter()
        during: list[float] = []
        while time.perf_counter() - started < 10:
            during += await timed(probe, ["/health"], 1)
            await asyncio.sleep(0.01)
        running = False
        reports_run = await background
        p50 = statistics.median(during)
        print(
            summary(f"GET /health during {reports_run} national reports", during)
            + f"   {p50 / base:4.1f}x /health"
        )


async def main() -> None:
    settings = get_settings()
    if not settings.is_postgres:
        sys.exit("bench.reports runs on PostgreSQL: scripts/with-postgres python -m bench.reports")
    await migrate(settings)
    await open_pool(min_size=1, max_size=4)
    today = datetime.now(TZ).date()
    started = time.perf_counter()
    try:
        seeded = await seed(today, random.Random(12))
        print(
            f"Loket report benchmark on PostgreSQL: {REGIONS} regions, {POINTS} points,"
            f" {APPOINTMENTS} appointments ({seeded['handovers']} handovers) seeded in"
            f" {time.perf_counter() - started:.0f} s; loket serve, 1 worker"
        )
        with serving(LOKET_RATE_LIMITS="off", LOKET_IN_PROCESS_WORKER="off") as url:
            await measure(url, today)
    finally:
        await close_pool()


if __name__ == "__main__":
    asyncio.run(main())
