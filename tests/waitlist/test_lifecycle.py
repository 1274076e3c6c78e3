"""Ended waiting-list entries lose their number; live ones, and today's walk-ins, keep it.

README, "Waiting list": a number proves the person and carries offers while they wait. Once
they left, booked or their weeks ran out, the retention job's next run erases it, unless
something else still needs it (the booked appointment, a text not yet sent).
"""

from datetime import timedelta

from booking.db.tables import Message, MigrantContact, QueueEntry, WaitingEntry
from booking.domain.waitlist import from_presets
from booking.services import changes, erasure, retention
from booking.services.point_setup import Catalog, current_revision
from booking.services.queue import entries
from booking.services.waitlist import forgetting, joining, offers
from tests.conftest import NOW
from tests.waitlist.world import evening_point, fill, offers_sent, on_the_list, policy

BOOKS, LEAVES, EXPIRES, WAITS = "+48601000001", "+40721000002", "+380501000003", "+48601000004"


async def phones() -> set[str]:
    return {r["phone"] for r in await MigrantContact.select() if r["phone"]}


async def settle_texts() -> None:
    await Message.update({Message.status: Message.SENT}).where(Message.status == Message.PENDING)


async def contact_of(phone: str) -> int:
    [row] = await MigrantContact.select(MigrantContact.id).where(MigrantContact.phone == phone)
    return row["id"]


async def test_ended_entries_lose_their_number_and_live_ones_keep_it(db):
    point, topic = await evening_point()
    booked = await fill(point, topic, NOW)
    await on_the_list(point, topic, BOOKS, "pl", NOW)
    leaving = await on_the_list(point, topic, LEAVES, "ro", NOW + timedelta(minutes=1))
    short = joining.JoinRequest(
        phone=EXPIRES, language="uk", topic_id=topic, windows=from_presets(["evenings"]),
        weeks=1, point_id=point,
    )  # fmt: skip
    await joining.join(Catalog(), policy(), short, now=NOW + timedelta(minutes=2))
    await on_the_list(point, topic, WAITS, "pl", NOW + timedelta(minutes=3))
    now = NOW + timedelta(minutes=5)
    await changes.cancel(Catalog(), policy(), booked[0].manage_token, now=now)
    assert await offers.offer_round(Catalog(), policy(), now=now) == 1
    [offer] = await offers_sent()
    await offers.book(Catalog(), policy(), offer["token"], now=now)
    await joining.leave(leaving, now=now)
    # A text still in the outbox keeps its number.
    assert await forgetting.forget_ended(now) == 0

    await settle_texts()
    week = now + timedelta(weeks=1, minutes=1)
    await offers.offer_round(Catalog(), policy(), now=week)  # the unproved entry expires
    rows = await WaitingEntry.select(WaitingEntry.status).order_by(WaitingEntry.id)
    assert [r["status"] for r in rows] == ["booked", "left", "expired", "waiting"]
    erased = await retention.run(policy(), week)
    assert erased.contacts == 2
    remaining = await phones()
    assert BOOKS in remaining and WAITS in remaining
    assert LEAVES not in remaining and EXPIRES not in remaining
    assert await forgetting.forget_ended(week) == 0


async def test_erasure_keeps_numbers_that_still_wait(db):
    point, topic = await evening_point()
    token = await on_the_list(point, topic, WAITS, "pl", NOW)
    catalog = Catalog()
    info = (await catalog.point_infos(await current_revision()))[point]
    walk_in = await entries.join(
        catalog, policy(), info, topic_id=topic, language="pl", phone=BOOKS, now=NOW
    )
    await settle_texts()
    waiting, queued = await contact_of(WAITS), await contact_of(BOOKS)
    assert await erasure.erase_contacts([waiting, queued], NOW, newer_than=None) == []
    # Once the entry left and the walk-in's day closed, nothing waits for either number.
    await joining.leave(token, now=NOW)
    await QueueEntry.update({QueueEntry.status: QueueEntry.GONE}).where(QueueEntry.id == walk_in.id)
    assert await erasure.erase_contacts([waiting, queued], NOW, newer_than=None) == sorted(
        [waiting, queued]
    )
    assert await phones() == set()
