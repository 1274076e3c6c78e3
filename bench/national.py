"""National benchmark (issue 12 item 5): every scale figure in one run on PostgreSQL.

Run as ``scripts/with-postgres python -m bench.national``; ``BENCH_SIZE`` picks the data:
S (default, 1 region, 200 points, 2,000 staff, 50,000 appointments: minutes) or M (35
regions, 1,000 points, 10,000 staff, 1 million appointments). Seeds by COPY
(bench.national_seed), starts ``loket serve`` and prints, each with /health in the same
run: slot search one day and 4 weeks at c=1 and c=8 at a warm and at a cold point (a
point no request has touched yet) and the statements of one search, holds/s at c=8 on
distinct slots and the double holds afterwards, a point's agenda, the region and national
reports for 13 months (and /health while national reports run), each web process's RSS,
requests/s (from wrk, the compiled load generator) and holds/s at 1, 2 and 4 web workers, then
the retention throughput over the seeded year. Not a test: numbers on a shared machine vary.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import httpx

from bench import wrk
from bench.common import line, timed
from bench.national_seed import SIZES, Seeded, seeded_postgres
from bench.reports import measure as measure_reports
from bench.run import count_queries, double_holds
from booking.db.transactions import close_pool
from booking.domain.policy import Policy
from booking.services import retention
from booking.settings import get_settings
from tests.live import serving
from tests.staff_login import log_in

SIZE = SIZES[os.environ.get("BENCH_SIZE", "S").upper()]
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "200"))
HOLDS = int(os.environ.get("BENCH_HOLDS", "400"))
WRK_SECONDS = int(os.environ.get("BENCH_WRK_SECONDS", "10"))
QUIET = {"LOKET_RATE_LIMITS": "off", "LOKET_IN_PROCESS_WORKER": "off", "LOG_LEVEL": "WARNING"}


def slots(point: int, topic: int, first: date, days: int) -> str:
    last = first + timedelta(days=days - 1)
    return f"/api/slots?point={point}&topic={topic}&language=pl&from={first}&to={last}"


async def searches(client: httpx.AsyncClient, seeded: Seeded, today: date) -> None:
    """Warm: one point asked again and again. Cold: each request at a point not yet asked."""
    topic, warm = seeded.topics[0], seeded.points[0]
    cold = iter(seeded.points[1:])
    share = (len(seeded.points) - 1) // 4
    days = [today + timedelta(days=1 + n % 27) for n in range(REQUESTS)]
    await timed(client, [slots(warm, topic, d, 1) for d in days[:20]] + ["/health"] * 50, 4)
    for concurrency in (1, 8):
        health = await timed(client, ["/health"] * REQUESTS, concurrency)
        base = statistics.median(health)
        print(f"concurrency {concurrency}:")
        print(line("GET /health", health))
        for label, length in (("1 day", 1), ("4 weeks", 28)):
            hot = [slots(warm, topic, d, length) for d in days]
            print(line(f"slots {label}, warm point", await timed(client, hot, concurrency), base))
            fresh = [slots(next(cold), topic, today + timedelta(days=1), length)]
            fresh += [slots(next(cold), topic, today + timedelta(days=1), length)]
            fresh += [slots(next(cold), topic, d, length) for d in days[: share - 2]]
            print(line(f"slots {label}, cold point", await timed(client, fresh, concurrency), base))
    print("SQL statements per search (cold cache / warm / cold point in a warm catalog):")
    now = datetime.now(UTC)
    for label, length in (("1 day", 1), ("4 weeks", 28)):
        first = today + timedelta(days=1)
        counts = await count_queries(warm, topic, first, first + timedelta(days=length - 1), now)
        print(f"  {label:<8} {' / '.join(map(str, counts))}")


async def holds(client: httpx.AsyncClient, points: list[int], topic: int, today: date) -> str:
    """HOLDS holds at c=8 (wrk) on distinct (point, start) slots of ``points``' next 4 weeks."""
    bodies = []
    for point in points:
        free = (await client.get(slots(point, topic, today + timedelta(days=1), 28))).json()
        bodies += [
            {"point": point, "topic": topic, "language": "pl", "start": s["start"]}
            for s in free["slots"]
        ]
    random.Random(3).shuffle(bodies)
    bodies = [
        {**b, "phone": f"+4860{b['point'] % 1000:03d}{k:04d}"} for k, b in enumerate(bodies[:HOLDS])
    ]
    url = str(client.base_url).rstrip("/")
    loop = asyncio.get_running_loop()
    rate, statuses = await loop.run_in_executor(
        None, wrk.post_each, url, "/api/appointments", bodies
    )
    return f"{rate:6.1f} holds/s on {len(bodies)} distinct slots {statuses}"


async def agenda(url: str, seeded: Seeded, today: date) -> None:
    async with httpx.AsyncClient(base_url=url, timeout=60) as coordinator:
        await log_in(coordinator, "coordinator@bench.example")
        point = seeded.points[0]
        pages = [
            f"/staff/points/{point}/agenda?day={today - timedelta(days=1 + n % 60)}"
            for n in range(50)
        ]
        await timed(coordinator, pages[:5], 1)
        print(line("agenda of a point, a past day", await timed(coordinator, pages, 1)))


def port_of(url: str) -> int:
    return int(url.rsplit(":", 1)[1])


def processes(port: int) -> list[Path]:
    """The /proc folders of each process serving ``port``: the server and its web workers,
    which inherit the environment ``serving`` gives it (their command lines differ)."""
    found = []
    for folder in Path("/proc").glob("[0-9]*"):
        try:
            environ = (folder / "environ").read_bytes().split(b"\0")
        except OSError:
            continue
        if f"PORT={port}".encode() in environ and b"HOST=127.0.0.1" in environ:
            found.append(folder)
    return found


def rss(port: int) -> list[int]:
    """VmRSS in MB of each process serving ``port``."""
    found = []
    for folder in processes(port):
        try:
            for row in (folder / "status").read_text().splitlines():
                if row.startswith("VmRSS:"):
                    found.append(int(row.split()[1]) // 1024)
        except OSError:
            continue
    return sorted(found)


def cpu_seconds(port: int) -> float:
    """User and system CPU seconds spent so far by the processes serving ``port``."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for folder in processes(port):
        try:
            fields = (folder / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def throughput(url: str, path: str, seconds: int = WRK_SECONDS) -> wrk.Load:
    """Requests/s at c=8 from wrk, with the server's CPU seconds meanwhile."""
    server = cpu_seconds(port_of(url))
    done, wall, client = wrk.rate(url, path, seconds)
    return wrk.Load(done, wall, cpu_seconds(port_of(url)) - server, client)


async def workers(seeded: Seeded, today: date) -> None:
    print(
        "web workers: /health p50 at c=1, requests/s at c=8 (wrk: 2 threads, 8 connections), holds:"
    )
    search = slots(seeded.points[0], seeded.topics[0], today + timedelta(days=1), 1)
    for count in (1, 2, 4):
        with serving(WEB_CONCURRENCY=str(count), **QUIET) as url:
            async with httpx.AsyncClient(base_url=url, timeout=60) as client:
                await timed(client, ["/health"] * 50 + [search] * 20, 4)
                health = statistics.median(await timed(client, ["/health"] * REQUESTS, 1))
                points = seeded.points[-8 * (count + 1) : -8 * count]
                held = await holds(client, points, seeded.topics[0], today)
            loop = asyncio.get_running_loop()
            plain = await loop.run_in_executor(None, throughput, url, "/health")
            heavy = await loop.run_in_executor(None, throughput, url, search)
            sizes = rss(port_of(url))
        print(
            f"  {count} worker(s): /health p50 {health:6.2f} ms   /health {plain.rate:7.0f} req/s"
            f"   slots 1 day {heavy.rate:6.0f} req/s   RSS MB {sizes}\n    {held}"
            f"\n    /health {plain.cpu()}\n    slots {heavy.cpu()}"
        )
    print(f"double holds afterwards: {await double_holds()}")


async def erase_year() -> None:
    """The worker's retention job over the seeded year, in-process, timed."""
    settings = get_settings()
    started = time.perf_counter()
    erased = await retention.run(
        Policy.from_settings(settings), datetime.now(UTC),
        batch=settings.retention_batch, pause=settings.retention_pause_ms / 1000,
    )  # fmt: skip
    took = time.perf_counter() - started
    print(
        f"retention: {erased.appointments} appointments in {took:.1f} s ="
        f" {erased.appointments / took:.0f} appointments/s (batch {settings.retention_batch})"
    )


async def main() -> None:
    try:
        today, seeded, seconds = await seeded_postgres("national", SIZE)
        print(
            f"Loket national benchmark, size {SIZE.name}, PostgreSQL: {SIZE.regions} regions,"
            f" {SIZE.points} points, {SIZE.staff} staff, {SIZE.appointments} appointments"
            f" ({seeded.handovers} handovers) seeded in {seconds:.0f} s"
        )
        with serving(**QUIET) as url:
            async with httpx.AsyncClient(
                base_url=url, timeout=60, limits=httpx.Limits(max_connections=16)
            ) as client:
                print("server: loket serve, 1 web worker; client: httpx, keep-alive")
                await searches(client, seeded, today)
                done = await holds(client, seeded.points[-8:], seeded.topics[0], today)
                print(f"holds at c=8: {done}")
                print(f"double holds afterwards: {await double_holds()}")
            await agenda(url, seeded, today)
            await measure_reports(url, today)
            print(f"RSS MB of each web process after the reports: {rss(port_of(url))}")
        await workers(seeded, today)
        await erase_year()
    finally:
        await close_pool()


if __name__ == "__main__":
    asyncio.run(main())
