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
import statistics
import time
from datetime import date

import httpx

from bench.common import percentile, timed
from bench.national_seed import Size, seeded_postgres, year_before
from booking.db.transactions import close_pool
from tests.live import serving
from tests.staff_login import log_in

APPOINTMENTS = int(os.environ.get("BENCH_APPOINTMENTS", "200000"))
SIZE = Size("reports", regions=35, points=1_000, staff=0, appointments=APPOINTMENTS)
SAMPLES = int(os.environ.get("BENCH_REPORT_SAMPLES", "10"))


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
    try:
        today, seeded, seconds = await seeded_postgres("reports", SIZE)
        print(
            f"Loket report benchmark on PostgreSQL: {SIZE.regions} regions, {SIZE.points} points,"
            f" {APPOINTMENTS} appointments ({seeded.handovers} handovers) seeded in"
            f" {seconds:.0f} s; loket serve, 1 worker"
        )
        with serving(LOKET_RATE_LIMITS="off", LOKET_IN_PROCESS_WORKER="off") as url:
            await measure(url, today)
    finally:
        await close_pool()


if __name__ == "__main__":
    asyncio.run(main())
