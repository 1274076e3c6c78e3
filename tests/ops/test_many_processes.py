"""N web processes and M workers on one database (issue 12 item 4): two `loket serve`
processes and two `loket worker` processes at once; a booking race through both web
processes on overlapping times leaves no double hold, and 1,000 due messages are each sent
exactly once, none by both workers."""

from __future__ import annotations

import asyncio
import itertools
from collections import Counter
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta

import httpx

from booking.db.tables import Message
from booking.domain.policy import Policy
from booking.services.point_setup import Catalog
from booking.services.slots import search_slots
from booking.settings import get_settings
from tests import factories
from tests.db.test_races_between_processes import double_holds
from tests.live import serving
from tests.notify.test_workers import (
    LONG_LEASE_SECONDS,
    all_sent,
    fake,  # noqa: F401 (the Twilio fake fixture)
    queue,
    stop,
    until,
    worker,
)

MESSAGES = 1000
#: Each of these many bookers per start, through alternating web processes.
BOOKERS = 8


async def first_free(point: int, topic: int):
    """The first free time in the coming week by the real clock, which the servers keep."""
    now = datetime.now(UTC)
    _, slots = await search_slots(
        Catalog(), Policy.from_settings(get_settings()), point_id=point, topic_id=topic,
        language="pl", first=now.date() + timedelta(days=1), last=now.date() + timedelta(days=8),
        now=now,
    )  # fmt: skip
    return slots[0].start


async def race(urls: list[str], point: int, topic: int, starts: list) -> Counter:
    """Everyone asks for a hold at once; returns the answers' status codes."""
    numbers = itertools.count(1)
    requests = [
        (url, {"point": point, "topic": topic, "language": "pl", "start": start.isoformat(),
               "phone": f"+48605{next(numbers):06d}"})
        for start in starts for url in urls for _ in range(BOOKERS // len(urls))
    ]  # fmt: skip
    async with httpx.AsyncClient(timeout=60) as http:
        answers = await asyncio.gather(
            *(http.post(f"{url}/api/appointments", json=body) for url, body in requests)
        )
    return Counter(a.status_code for a in answers)


async def test_two_web_processes_and_two_workers_share_one_database(db, fake):  # noqa: F811
    region = await factories.region()
    point, topic = await factories.point(region), await factories.topic()  # 30 minutes
    for name in ("Agnieszka", "Bogdan"):
        await factories.staff(point, ["pl"], name=name)
    start = await first_free(point, topic)
    # :00, :15 and :30 of two consultants: :15 overlaps both others.
    starts = [start + timedelta(minutes=15 * n) for n in range(3)]
    fake.delay = 0.01  # slow enough that both workers get a share
    web = {"LOKET_IN_PROCESS_WORKER": "off", "LOKET_RATE_LIMITS": "off"}
    with ExitStack() as servers:
        urls = [servers.enter_context(serving(**web)) for _ in range(2)]
        workers = [
            await worker(fake, LONG_LEASE_SECONDS, sender) for sender in ("LoketA", "LoketB")
        ]
        try:
            bodies = await queue(MESSAGES)
            answers = await race(urls, point, topic, starts)
            held = answers[201]
            await until(lambda: all_sent(MESSAGES + held), seconds=180)
        finally:
            await stop(*workers)

    assert set(answers) == {201, 409}, answers  # winners and "taken", never an error
    assert 2 <= held <= 4  # two consultants: at most two times each
    assert await double_holds() == 0
    assert await Message.count().where(Message.status != Message.SENT) == 0
    sent = Counter((r["To"], r["Body"]) for r in fake.received)
    assert len(sent) == MESSAGES + held  # every message, the holds' codes included
    assert max(sent.values()) == 1  # none sent twice, so none by both workers
    assert {r["Body"] for r in fake.received} >= bodies
    by = Counter(r["From"] for r in fake.received)
    assert by["LoketA"] and by["LoketB"], by  # both workers really sent
