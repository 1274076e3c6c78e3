"""Login benchmark (issue 10): does a burst of staff logins freeze everything else?

Run as ``python -m bench.logins``. Loads the demo data, starts ``loket serve`` in its own
process and measures /health alone, then /health again while 30 logins (argon2id, 64 MiB
each, wrong passwords at a demo account) run at once, in the same run; printed side by side
with the logins' own latency. Before the password pool (LOKET_PASSWORD_THREADS), /health
waited for up to 10 s behind such a burst; now the logins queue for the pool while /health
stays near its own time. The per-address limit is off (it would refuse most of the burst).
"""

from __future__ import annotations

import asyncio
import time

import httpx

from bench.common import percentile
from booking.db.migrate import migrate
from booking.db.transactions import close_pool, open_pool
from booking.services.demo import load_demo
from booking.settings import get_settings
from tests.live import serving

HEALTH_SAMPLES = 200
LOGINS = 30
ROUNDS = 3
EMAIL = "agnieszka@loket.example"


async def health_latencies(client: httpx.AsyncClient, stop: asyncio.Event | None) -> list[float]:
    """/health one after another: HEALTH_SAMPLES of them, or until ``stop`` is set."""
    samples: list[float] = []
    while (stop is None and len(samples) < HEALTH_SAMPLES) or (
        stop is not None and not stop.is_set()
    ):
        started = time.perf_counter()
        response = await client.get("/health")
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"/health: {response.status_code}")
    return samples


async def burst(client: httpx.AsyncClient) -> list[float]:
    """LOGINS logins at once; each one's latency in ms."""

    async def one(n: int) -> float:
        started = time.perf_counter()
        response = await client.post(
            "/api/staff/login", json={"email": EMAIL, "password": f"not the password {n}"}
        )
        if response.status_code not in (422, 429):
            raise RuntimeError(f"login: {response.status_code} {response.text[:200]}")
        return (time.perf_counter() - started) * 1000

    return list(await asyncio.gather(*(one(n) for n in range(LOGINS))))


async def under_burst(client: httpx.AsyncClient) -> tuple[list[float], list[float]]:
    stop = asyncio.Event()
    health = asyncio.create_task(health_latencies(client, stop))
    logins: list[float] = []
    for _ in range(ROUNDS):
        logins += await burst(client)
    stop.set()
    return await health, logins


def line(name: str, samples: list[float]) -> str:
    return (
        f"  {name:<34} p50 {percentile(samples, 0.5):8.2f} ms   p95 {percentile(samples, 0.95):8.2f} ms"
        f"   ({len(samples)} requests)"
    )


async def main() -> None:
    settings = get_settings()
    await migrate(settings)
    await open_pool(min_size=1, max_size=4)
    await load_demo()
    await close_pool()
    engine = "PostgreSQL" if settings.is_postgres else "SQLite"
    print(
        f"Loket login benchmark on {engine}: /health alone and during {ROUNDS} bursts of"
        f" {LOGINS} logins at once (LOKET_PASSWORD_THREADS={settings.password_threads})"
    )
    with serving(LOKET_RATE_LIMITS="off") as url:
        async with httpx.AsyncClient(base_url=url, timeout=120) as client:
            await health_latencies(client, None)  # warm up
            alone = await health_latencies(client, None)
            during, logins = await under_burst(client)
    print(line("/health alone", alone))
    print(line(f"/health during {LOGINS} logins", during))
    print(line("the logins themselves", logins))


if __name__ == "__main__":
    asyncio.run(main())
