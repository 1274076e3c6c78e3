"""What both benchmarks share: latency sampling and the printed line format."""

from __future__ import annotations

import asyncio
import statistics
import time

import httpx


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def timed(client: httpx.AsyncClient, urls: list[str], concurrency: int) -> list[float]:
    """Latency in ms of each GET, ``concurrency`` requests in flight."""
    queue = list(reversed(urls))
    samples: list[float] = []

    async def worker() -> None:
        while queue:
            url = queue.pop()
            started = time.perf_counter()
            response = await client.get(url)
            samples.append((time.perf_counter() - started) * 1000)
            if response.status_code != 200:
                raise RuntimeError(f"{url}: {response.status_code} {response.text[:200]}")

    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return samples


def line(name: str, samples: list[float], health: float | None = None) -> str:
    p50 = statistics.median(samples)
    ratio = f"  {p50 / health:5.1f}x /health" if health else ""
    return f"  {name:<32} p50 {p50:7.2f} ms   p99 {percentile(samples, 0.99):7.2f} ms{ratio}"
