"""Cancellations, several workers' offer rounds, taps on offer links and online bookers, all
at once (issue 17, item 2): never two live offers for one time, never two for one person,
never a double hold; with the bookings' re-check on, and off so the database alone refuses."""

import asyncio
import dataclasses
from datetime import timedelta
from itertools import pairwise

import pytest

from booking.db.tables import Allocation, Appointment, WaitingEntry, WaitlistOffer
from booking.domain.errors import LoketError
from booking.services import appointments, changes
from booking.services.appointments import BookingRequest
from booking.services.point_setup import Catalog
from booking.services.waitlist import offers
from tests.conftest import NOW
from tests.waitlist.world import evening_point, fill, offers_sent, on_the_list, policy

PEOPLE = 6
WORKERS = 4
WAVES = 3


async def check_invariants() -> None:
    live = await WaitlistOffer.select(
        WaitlistOffer.entry, WaitlistOffer.point, WaitlistOffer.starts_at
    ).where(WaitlistOffer.status == WaitlistOffer.LIVE)
    slots = [(o["point"], o["starts_at"]) for o in live]
    assert len(slots) == len(set(slots)), "one time offered to two people"
    entries = [o["entry"] for o in live]
    assert len(entries) == len(set(entries)), "two times offered to one person"
    held = await Allocation.select(
        Allocation.resource, Allocation.starts_at, Allocation.ends_at
    ).where(Allocation.live == True)
    by_resource: dict[str, list] = {}
    for a in held:
        by_resource.setdefault(a["resource"], []).append((a["starts_at"], a["ends_at"]))
    for intervals in by_resource.values():
        intervals.sort()
        for (_, end), (start, _) in pairwise(intervals):
            assert end <= start, "a double hold"
    booked = await WaitlistOffer.select(
        WaitlistOffer.entry, WaitlistOffer.appointment.status.as_alias("status")
    ).where(WaitlistOffer.status == WaitlistOffer.BOOKED)
    assert all(b["status"] == Appointment.CONFIRMED for b in booked)
    assert len({b["entry"] for b in booked}) == len(booked), "one person booked twice"
    done = await WaitingEntry.count().where(WaitingEntry.status == WaitingEntry.BOOKED)
    assert done == len(booked)


@pytest.mark.parametrize("recheck", [True, False])
async def test_offers_stay_fair_under_concurrency(db, recheck):
    point, topic = await evening_point()
    booked = await fill(point, topic, NOW)
    for n in range(PEOPLE):
        await on_the_list(point, topic, f"+4860199{n:04d}", "pl", NOW + timedelta(seconds=n))
    p = dataclasses.replace(policy(), recheck=recheck)
    now = NOW + timedelta(minutes=5)

    async def tap(token: str):
        return await offers.book(Catalog(), p, token, now=now)

    async def online(start, n: int):
        request = BookingRequest(point, topic, "pl", start, f"+4860177{n:04d}")
        return await appointments.book(Catalog(), p, request, now=now)

    tapped: set[str] = set()
    for wave in range(WAVES):
        freed = booked[wave * 3 : wave * 3 + 3]
        untapped = [s["token"] for s in await offers_sent() if s["token"] not in tapped]
        tapped.update(untapped)
        results = await asyncio.gather(
            *(changes.cancel(Catalog(), p, a.manage_token, now=now) for a in freed),
            *(offers.offer_round(Catalog(), p, now=now) for _ in range(WORKERS)),
            *(tap(t) for t in untapped for _ in range(2)),
            online(freed[0].starts_at, wave),
            return_exceptions=True,
        )
        unexpected = [
            r for r in results if isinstance(r, BaseException) and not isinstance(r, LoketError)
        ]
        assert not unexpected, unexpected
        await check_invariants()
        assert await offers.offer_round(Catalog(), p, now=now) >= 0
        await check_invariants()
        now += timedelta(minutes=1)

    # Every offer still open is booked in the end, twice at once: one booking each.
    last = [s["token"] for s in await offers_sent() if s["token"] not in tapped]
    await asyncio.gather(*(tap(t) for t in last for _ in range(2)), return_exceptions=True)
    await check_invariants()
    # The freed times not taken online went down the line and were booked from the link.
    assert await WaitlistOffer.count().where(WaitlistOffer.status == WaitlistOffer.BOOKED) >= WAVES
