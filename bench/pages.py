"""Page benchmark (issue 3): time to first byte and bytes sent for each page of the booking flow.

Run as ``python -m bench.pages``. Loads the demo data, makes the Veghel point busy (several
hundred appointments over four weeks), starts ``loket serve`` in its own process and walks
the Polish flow, with /health in the same run. Target: p50 TTFB of the day and time pages at
most 30 ms. Bytes are what travels (gzip), with the inline CSS.
"""

from __future__ import annotations

import asyncio
import random
import re
import statistics
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx

from bench.common import percentile
from booking.db.migrate import migrate
from booking.db.tables import Allocation, Appointment, Message
from booking.db.transactions import close_pool, open_pool
from booking.domain.errors import LoketError
from booking.domain.policy import Policy
from booking.notify import placeholders
from booking.services import appointments
from booking.services.appointments import BookingRequest
from booking.services.demo import load_demo
from booking.services.point_setup import Catalog, current_revision
from booking.services.slots import search_slots
from booking.settings import get_settings
from tests.live import serving

SAMPLES = 200
BUSY = 600
LANGUAGES = ("pl", "pl", "ro", "nl", "bg", "uk", "en")


async def make_busy(now: datetime) -> tuple[int, int]:
    """Confirmed appointments at Veghel over four weeks, booked through the real service."""
    catalog, policy = Catalog(), Policy.from_settings(get_settings())
    revision = await current_revision()
    veghel = next(p for p in (await catalog.point_infos(revision)).values() if p.slug == "veghel")
    topic = next(t for t in (await catalog.topics(revision)).values() if t.slug == "housing")
    rng, booked = random.Random(5), 0
    for n in range(BUSY * 3):
        day = now.date() + timedelta(days=rng.randrange(1, 28))
        language = rng.choice(LANGUAGES)
        _, offered = await search_slots(
            catalog,
            policy,
            point_id=veghel.id,
            topic_id=topic.id,
            language=language,
            first=day,
            last=day,
            now=now,
        )
        if not offered:
            continue
        request = BookingRequest(
            veghel.id, topic.id, language, rng.choice(offered).start, f"+4860{n:07d}"
        )
        try:
            await appointments.book(catalog, policy, request, now=now)
        except LoketError:
            continue
        booked += 1
        if booked == BUSY:
            break
    await Appointment.update(
        {Appointment.status: Appointment.CONFIRMED, Appointment.held_until: None}
    ).where(Appointment.status == Appointment.HELD)
    await Allocation.update({Allocation.expires_at: None}).where(Allocation.live == True)
    await Message.delete().where(Message.kind == Message.CODE)
    return veghel.id, topic.id


async def ttfb(client: httpx.AsyncClient, url: str) -> tuple[float, int]:
    """Milliseconds until the response headers arrive, and the bytes that came over the wire."""
    started = time.perf_counter()
    async with client.stream("GET", url) as response:
        first = (time.perf_counter() - started) * 1000
        await response.aread()
        if response.status_code != 200:
            raise RuntimeError(f"{url}: {response.status_code}")
        return first, response.num_bytes_downloaded


async def main() -> None:
    settings = get_settings()
    await migrate(settings)
    await open_pool(min_size=1, max_size=4)
    await load_demo()
    now = datetime.now(UTC)
    point, topic = await make_busy(now)
    print(
        f"Loket page benchmark on {'PostgreSQL' if settings.is_postgres else 'SQLite'}: Veghel with {BUSY} appointments"
    )
    try:
        # No in-process worker: the code text stays queued, its code sealed, for walk() to read.
        with serving(LOKET_RATE_LIMITS="off", LOKET_IN_PROCESS_WORKER="off") as url:
            async with httpx.AsyncClient(
                base_url=url, timeout=30, headers={"accept-encoding": "gzip"}
            ) as client:
                await walk(client, point, topic, now)
    finally:
        await close_pool()


async def walk(client: httpx.AsyncClient, point: int, topic: int, now: datetime) -> None:
    tomorrow = now.date() + timedelta(days=1)
    day_page = (await client.get("/pl/t/housing/p/veghel")).text
    day = re.findall(r'href="/pl/t/housing/p/veghel/(\d{4}-\d\d-\d\d)"', day_page)[0]
    slots = (
        await client.get(
            f"/api/slots?point={point}&topic={topic}&language=pl&from={tomorrow}&to={tomorrow + timedelta(days=6)}"
        )
    ).json()["slots"]
    held = (
        await client.post(
            "/api/appointments",
            json={
                "point": point,
                "topic": topic,
                "language": "pl",
                "start": slots[-1]["start"],
                "phone": "+48601999001",
            },
        )
    ).json()
    token = held["manage_token"]
    code_page = f"/pl/m/{token}/code"
    await ttfb(client, code_page)
    message = await (
        Message.select(Message.body, Message.seed).where(Message.appointment == held["id"]).first()
    )
    policy = Policy.from_settings(get_settings())
    text = placeholders.fill(policy, message["body"], link=None, seed=message["seed"]) or ""
    code = re.search(r"\b(\d{6})\b", text).group(1)
    confirmed = f"/api/appointments/{token}/verify"
    pages = {
        "health (/health)": "/health",
        "home (/pl/)": "/pl/",
        "points": "/pl/t/housing",
        "days (4 weeks)": "/pl/t/housing/p/veghel",
        "times (one day)": f"/pl/t/housing/p/veghel/{day}",
        "phone number form": f"/pl/t/housing/p/veghel/book?start={quote(slots[0]['start'])}",
        "code": code_page,
    }
    for url in pages.values():
        for _ in range(10):
            await ttfb(client, url)
    print(f"{'page':<22} {'TTFB p50':>9} {'p99':>8} {'bytes':>7}")
    health = None
    measured = list(pages.items())
    for index, (name, url) in enumerate([*measured, ("manage (confirmed)", f"/pl/m/{token}")]):
        if index == len(measured):
            await client.post(confirmed, json={"code": code})
        samples = [await ttfb(client, url) for _ in range(SAMPLES)]
        times = [t for t, _ in samples]
        p50 = statistics.median(times)
        health = health or p50
        print(
            f"{name:<22} {p50:7.2f} ms {percentile(times, 0.99):6.2f} ms {samples[-1][1]:7d}   {p50 / health:4.1f}x /health"
        )


if __name__ == "__main__":
    asyncio.run(main())
