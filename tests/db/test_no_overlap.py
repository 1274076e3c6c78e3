"""The database itself refuses double holds, whatever code writes the rows."""

from datetime import UTC, datetime, timedelta

import pytest

from booking.db.tables import Allocation, Appointment
from booking.db.transactions import is_overlap
from tests import factories

T = datetime(2026, 12, 1, 17, 0, tzinfo=UTC)


async def appointment() -> int:
    region = await factories.region()
    point = await factories.point(region)
    topic = await factories.topic()
    row = Appointment(
        point=point,
        topic=topic,
        language="pl",
        channel="online",
        status="confirmed",
        starts_at=T,
        ends_at=T + timedelta(minutes=30),
    )
    return (await Appointment.insert(row))[0]["id"]


def hold(appointment_id: int, resource: str, start: datetime, minutes: int, live: bool = True):
    return Allocation.insert(
        Allocation(
            appointment=appointment_id,
            resource=resource,
            role="consultant",
            starts_at=start,
            ends_at=start + timedelta(minutes=minutes),
            live=live,
        )
    )


async def live_count() -> int:
    return await Allocation.count().where(Allocation.live == True)


async def test_overlapping_live_holds_of_one_resource_are_refused(db):
    a = await appointment()
    await hold(a, "staff:1", T, 30)
    for start, minutes in (
        (T, 30),
        (T + timedelta(minutes=29), 10),
        (T - timedelta(minutes=10), 11),
    ):
        with pytest.raises(Exception) as caught:
            await hold(a, "staff:1", start, minutes)
        assert is_overlap(caught.value)
    assert await live_count() == 1


async def test_touching_other_resources_and_released_holds_are_allowed(db):
    a = await appointment()
    await hold(a, "staff:1", T, 30)
    await hold(a, "staff:1", T + timedelta(minutes=30), 30)
    await hold(a, "staff:1", T - timedelta(minutes=30), 30)
    await hold(a, "staff:2", T, 30)
    await hold(a, "staff:1", T, 30, live=False)
    assert await live_count() == 4


async def test_reviving_a_released_hold_over_a_live_one_is_refused(db):
    a = await appointment()
    await hold(a, "staff:1", T, 30, live=False)
    await hold(a, "staff:1", T, 30)
    with pytest.raises(Exception) as caught:
        await Allocation.update({Allocation.live: True}).where(Allocation.live == False)
    assert is_overlap(caught.value)


async def test_empty_or_reversed_intervals_are_refused(db):
    a = await appointment()
    with pytest.raises(Exception, match="allocation_interval_valid"):
        await hold(a, "staff:1", T, 0)
