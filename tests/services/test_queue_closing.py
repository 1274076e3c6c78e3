"""The walk-in queue's past days close at local midnight, and the numbers left there go.

Amsterdam's midnight is 23:00 UTC in winter and 22:00 UTC in summer: the day before the
October clock change (Saturday 30 October 2027) ends at 22:00 UTC, the one before the March
change (Saturday 27 March 2027) at 23:00 UTC.
"""

from datetime import UTC, datetime, timedelta

import pytest

from booking.db.tables import Message, MigrantContact, QueueEntry
from booking.services import retention
from booking.services.queue import closing, entries, turns
from tests.services import test_queue
from tests.services.test_queue import PL_PHONE, RO_PHONE

world = test_queue.world  # the fixture

NL_PHONE = "+31612345678"


async def join(world, phone, at, language="pl"):
    catalog, policy, point, topic = world
    return await entries.join(
        catalog, policy, point, topic_id=topic, language=language, phone=phone, now=at
    )


async def statuses() -> dict[int, str]:
    rows = await QueueEntry.select(QueueEntry.number, QueueEntry.status, QueueEntry.local_date)
    return {(r["local_date"].isoformat(), r["number"]): r["status"] for r in rows}


async def phones() -> set[str]:
    return {r["phone"] for r in await MigrantContact.select() if r["phone"]}


async def settle_texts() -> None:
    await Message.update({Message.status: Message.SENT}).where(Message.status == Message.PENDING)


@pytest.mark.parametrize(
    ("evening", "midnight"),
    [
        (datetime(2027, 10, 30, 18, 0, tzinfo=UTC), datetime(2027, 10, 30, 22, 0, tzinfo=UTC)),
        (datetime(2027, 3, 27, 18, 0, tzinfo=UTC), datetime(2027, 3, 27, 23, 0, tzinfo=UTC)),
    ],
    ids=["october", "march"],
)
async def test_a_day_closes_at_local_midnight_and_today_stays(world, evening, midnight):
    day = evening.date().isoformat()
    await join(world, PL_PHONE, evening)
    await join(world, None, evening)
    before = midnight - timedelta(minutes=1)
    assert await closing.close_past_days(before) == 0
    assert set((await statuses()).values()) == {QueueEntry.WAITING}
    # Just after local midnight someone joins the new day's queue; yesterday's two close.
    after = midnight + timedelta(minutes=1)
    await join(world, RO_PHONE, after, language="ro")
    assert await closing.close_past_days(after) == 2
    next_day = (evening + timedelta(days=1)).date().isoformat()
    assert await statuses() == {
        (day, 1): QueueEntry.GONE,
        (day, 2): QueueEntry.GONE,
        (next_day, 1): QueueEntry.WAITING,
    }
    assert await closing.close_past_days(after) == 0


async def test_a_called_number_never_served_closes_and_a_served_one_stays(world):
    catalog, policy, point, _ = world
    evening = datetime(2027, 10, 30, 18, 0, tzinfo=UTC)
    await join(world, None, evening)
    served = await join(world, None, evening)
    await turns.call(catalog, policy, point, entry_id=served.id, desk="2", now=evening)
    stuck = await join(world, NL_PHONE, evening)
    # The desk's booking stopped half-way: called, but no appointment.
    await QueueEntry.update({QueueEntry.status: QueueEntry.CALLED}).where(QueueEntry.id == stuck.id)
    assert await closing.close_past_days(evening + timedelta(hours=5)) == 2
    rows = await QueueEntry.select(QueueEntry.id, QueueEntry.status).order_by(QueueEntry.id)
    assert [r["status"] for r in rows] == [QueueEntry.GONE, QueueEntry.CALLED, QueueEntry.GONE]


async def test_closed_numbers_are_forgotten_once_their_text_is_sent(world):
    catalog, policy, point, _ = world
    evening = datetime(2027, 10, 30, 18, 0, tzinfo=UTC)
    await join(world, PL_PHONE, evening)  # first in line: texted "you are next"
    await join(world, RO_PHONE, evening, language="ro")
    served = await join(world, NL_PHONE, evening)
    await turns.call(catalog, policy, point, entry_id=served.id, desk="1", now=evening)
    later = evening + timedelta(hours=5)
    today = await join(world, "+48601999888", later)
    assert await closing.forget_numbers(later) == 0  # nothing closed yet
    await closing.close_past_days(later)
    # The Polish text still waits in the outbox: that number stays for now.
    assert await closing.forget_numbers(later) == 1
    assert PL_PHONE in await phones() and RO_PHONE not in await phones()
    await settle_texts()
    # The retention job forgets the rest; the served number stays with its appointment,
    # today's number with today's queue.
    erased = await retention.run(policy, later)
    assert erased.contacts == 1
    assert await phones() == {NL_PHONE, "+48601999888"}
    gone = await QueueEntry.select(QueueEntry.contact).where(QueueEntry.status == QueueEntry.GONE)
    assert [g["contact"] for g in gone] == [None, None]
    [row] = await QueueEntry.select(QueueEntry.status).where(QueueEntry.id == today.id)
    assert row["status"] == QueueEntry.WAITING
