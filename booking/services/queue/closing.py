"""Closing the walk-in queue's past days, and forgetting the numbers left there.

A number nobody called stays "waiting" when the point closes, and so does one that was called
but never served (the desk's booking stopped half-way). Once local midnight has passed at
the point, such an entry is gone: it will never be served. The phone number it left served
only the "you are next" text, so it is erased as soon as nothing else waits for it
(``erase_contacts`` decides, e.g. a text still in the outbox keeps it for a later run). A
served entry's number belongs to its appointment, which the retention job erases.
"""

from __future__ import annotations

from datetime import datetime

from booking.db.tables import QueueEntry
from booking.db.transactions import write_transaction
from booking.domain.opening_hours import zone
from booking.services.erasure import erase_contacts

#: Entries forgotten in one transaction.
BATCH = 500


def _open():
    """Not served (yet): waiting, or called without an appointment (a waiting entry never
    has one). Written as the partial index queue_entry_open says it."""
    return QueueEntry.appointment.is_null() & QueueEntry.status.is_in(
        [QueueEntry.WAITING, QueueEntry.CALLED]
    )


async def close_past_days(now: datetime) -> int:
    """Marks every open entry of a day that has ended in its point's zone gone; returns how
    many. Today's entries (the point's local date of ``now``) stay as they are."""
    points = await (
        QueueEntry.select(QueueEntry.point, QueueEntry.point.timezone.as_alias("tz"))
        .where(_open())
        .distinct()
    )
    closed = 0
    for row in points:
        today = now.astimezone(zone(row["tz"])).date()
        async with write_transaction():
            gone = (
                await QueueEntry.update({QueueEntry.status: QueueEntry.GONE})
                .where(
                    _open() & (QueueEntry.point == row["point"]) & (QueueEntry.local_date < today)
                )
                .returning(QueueEntry.id)
            )
        closed += len(gone)
    return closed


async def forget_numbers(now: datetime, *, batch: int = BATCH) -> int:
    """Erases the phone numbers of gone entries that nothing else waits for; returns how many
    numbers went. An entry lets go of its contact once the number is gone, so a later run
    meets only the numbers that had to wait."""
    forgotten, after = 0, 0
    while True:
        async with write_transaction():
            rows = await (
                QueueEntry.select(QueueEntry.id, QueueEntry.contact)
                .where(
                    (QueueEntry.status == QueueEntry.GONE)
                    & QueueEntry.contact.is_not_null()
                    & (QueueEntry.id > after)
                )
                .order_by(QueueEntry.id)
                .limit(batch)
            )
            if not rows:
                return forgotten
            freed = await erase_contacts([r["contact"] for r in rows], now, newer_than=None)
            if freed:
                await QueueEntry.update({QueueEntry.contact: None}).where(
                    (QueueEntry.status == QueueEntry.GONE) & QueueEntry.contact.is_in(freed)
                )
            forgotten += len(freed)
        after = rows[-1]["id"]
