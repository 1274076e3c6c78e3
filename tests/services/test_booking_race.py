"""Fifty people press "book" on one time that k consultants could serve (DOMAIN.md rule 1)."""

import asyncio
from datetime import timedelta

import pytest

from booking.db.tables import Allocation, Appointment, MigrantContact
from booking.db.transactions import lost_races
from booking.domain.errors import SlotTaken
from booking.domain.policy import Policy
from booking.services import appointments, changes, views
from booking.services.appointments import BookingRequest
from booking.services.point_setup import Catalog
from booking.services.slots import search_slots
from booking.settings import get_settings
from tests import factories
from tests.conftest import NOW

ATTEMPTS = 50


@pytest.fixture
async def world(db):
    region = await factories.region()
    point = await factories.point(region)
    topic = await factories.topic()
    return point, topic


async def offered(catalog, point, topic, language="pl"):
    _, slots = await search_slots(
        catalog,
        Policy.from_settings(get_settings()),
        point_id=point,
        topic_id=topic,
        language=language,
        first=NOW.date(),
        last=NOW.date(),
        now=NOW,
    )
    return slots


async def race(point, topic, start, language="pl"):
    catalog, policy = Catalog(), Policy.from_settings(get_settings())

    async def attempt(n):
        request = BookingRequest(point, topic, language, start, f"+4860123{n:04d}")
        return await appointments.book(catalog, policy, request, now=NOW)

    return await asyncio.gather(*(attempt(n) for n in range(ATTEMPTS)), return_exceptions=True)


@pytest.mark.parametrize("k", [1, 3])
async def test_exactly_k_bookings_win_and_the_rest_hear_slot_taken(world, k):
    point, topic = world
    consultants = {await factories.staff(point, ["pl"], name=f"C{n}") for n in range(k)}
    start = (await offered(Catalog(), point, topic))[0].start
    deadlocks = lost_races["deadlock"]

    results = await race(point, topic, start)

    # The racers take turns: none waits on another in a cycle for PostgreSQL to break (which
    # it does one a second, while retried attempts rejoin the crowd). Counted by the bookers
    # themselves, not read from pg_stat_database, whose figures can lag by seconds.
    assert lost_races["deadlock"] == deadlocks

    wins = [r for r in results if not isinstance(r, BaseException)]
    losses = [r for r in results if isinstance(r, BaseException)]
    assert len(wins) == k
    assert all(isinstance(loss, SlotTaken) for loss in losses), losses[:3]
    assert {w.resources[0].id for w in wins} == consultants
    assert start not in {s.start for s in await offered(Catalog(), point, topic)}
    assert await Appointment.count() == k
    assert await MigrantContact.count() == k
    assert await Allocation.count().where(Allocation.live == True) == k


async def test_pairs_of_consultant_and_interpreter_are_never_split(world):
    point, topic = world
    for n in range(3):
        await factories.staff(point, ["nl"], name=f"C{n}")
    for n in range(2):
        await factories.staff(point, ["bg", "nl"], kind="interpreter", name=f"I{n}")
    start = (await offered(Catalog(), point, topic, "bg"))[0].start

    results = await race(point, topic, start, "bg")

    wins = [r for r in results if not isinstance(r, BaseException)]
    assert len(wins) == 2
    assert all(isinstance(r, SlotTaken) for r in results if isinstance(r, BaseException))
    held = [tuple(sorted((r.kind, r.id) for r in w.resources)) for w in wins]
    assert all(len(h) == 2 for h in held)
    people = [p for h in held for p in h]
    assert len(people) == len(set(people)) == 4
    assert await Allocation.count().where(Allocation.live == True) == 4


async def test_a_move_to_a_taken_time_keeps_the_old_appointment(world):
    point, topic = world
    await factories.staff(point, ["pl"])
    catalog, policy = Catalog(), Policy.from_settings(get_settings())
    first, second = (await offered(catalog, point, topic))[:3:2]
    mine = await appointments.book(
        catalog, policy, BookingRequest(point, topic, "pl", first.start, "+48601234567"), now=NOW
    )
    await appointments.book(
        catalog, policy, BookingRequest(point, topic, "pl", second.start, "+48601234568"), now=NOW
    )

    with pytest.raises(SlotTaken):
        await changes.reschedule(catalog, policy, mine.manage_token, second.start, now=NOW)

    kept = await views.get(catalog, mine.manage_token)
    assert (kept.starts_at, kept.status, len(kept.resources)) == (first.start, "held", 1)
    assert await Allocation.count().where(Allocation.live == True) == 2

    later = second.start + timedelta(minutes=30)
    moved = await changes.reschedule(catalog, policy, mine.manage_token, later, now=NOW)
    assert moved.starts_at == later
    assert await Allocation.count().where(Allocation.live == True) == 2
    assert first.start in {s.start for s in await offered(catalog, point, topic)}


async def test_an_expired_hold_frees_its_slot_for_search_and_booking(world):
    point, topic = world
    await factories.staff(point, ["pl"])
    catalog, policy = Catalog(), Policy.from_settings(get_settings())
    start = (await offered(catalog, point, topic))[0].start
    held = await appointments.book(
        catalog, policy, BookingRequest(point, topic, "pl", start, "+48601234567"), now=NOW
    )
    await Allocation.update({Allocation.expires_at: NOW - timedelta(minutes=1)}).where(
        Allocation.appointment == held.id
    )

    assert start in {s.start for s in await offered(catalog, point, topic)}
    second = await appointments.book(
        catalog, policy, BookingRequest(point, topic, "pl", start, "+48601234568"), now=NOW
    )
    assert second.resources == held.resources
    assert await Allocation.count().where(Allocation.live == True) == 1
