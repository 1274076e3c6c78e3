"""Calling a walk-in from the queue, and the text that tells the next one to come in.

Calling marks the number called and starts a walk-in appointment (channel walk_in) that
keeps the minutes waited, for the reports. The number is claimed first with a conditional
update, so two desks never call one person; if no consultant can take them after all, the
number goes back to waiting and nothing else is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from booking.db.tables import Appointment, Message, QueueEntry
from booking.db.transactions import write_transaction
from booking.domain.errors import AlreadyCalled, LoketError, QueueEmpty
from booking.domain.policy import Policy
from booking.notify import outbox
from booking.notify.texts import QUEUE_NEXT, render
from booking.notify.whatsapp import templates
from booking.services.appointments import BookingRequest, book_confirmed
from booking.services.point_setup import Catalog, PointInfo

DESK_MAX = 40


@dataclass(frozen=True, slots=True)
class Called:
    number: int
    appointment_id: int
    waited_minutes: int


async def text_whoever_is_next(point: PointInfo, now: datetime) -> None:
    """Inside a write transaction: the first in today's queue hears it is their turn next,
    once, if they left a number."""
    first = await (
        QueueEntry.select(
            QueueEntry.id,
            QueueEntry.number,
            QueueEntry.language,
            QueueEntry.contact,
            QueueEntry.notified_at,
        )
        .where(
            (QueueEntry.point == point.id)
            & (QueueEntry.local_date == now.astimezone(point.tz).date())
            & (QueueEntry.status == QueueEntry.WAITING)
        )
        .order_by(QueueEntry.number)
        .limit(1)
    )
    if not first or first[0]["contact"] is None or first[0]["notified_at"] is not None:
        return
    entry = first[0]
    name, variables = templates.stored(QUEUE_NEXT, entry["language"], number=entry["number"])
    await outbox.enqueue(
        kind=Message.QUEUE_NEXT,
        language=entry["language"],
        body=render(QUEUE_NEXT, entry["language"], number=entry["number"]),
        template=name,
        variables=variables,
        contact_id=entry["contact"],
        due_at=now,
    )
    await QueueEntry.update({QueueEntry.notified_at: now}).where(QueueEntry.id == entry["id"])


async def _claim(point: PointInfo, entry_id: int | None, desk: str, now: datetime) -> dict:
    where = (QueueEntry.point == point.id) & (QueueEntry.status == QueueEntry.WAITING)
    async with write_transaction():
        if entry_id is None:
            first = await (
                QueueEntry.select(QueueEntry.id)
                .where(where & (QueueEntry.local_date == now.astimezone(point.tz).date()))
                .order_by(QueueEntry.number)
                .limit(1)
            )
            if not first:
                raise QueueEmpty()
            entry_id = first[0]["id"]
        claimed = (
            await QueueEntry.update(
                {
                    QueueEntry.status: QueueEntry.CALLED,
                    QueueEntry.called_at: now,
                    QueueEntry.desk: desk,
                }
            )
            .where(where & (QueueEntry.id == entry_id))
            .returning(
                QueueEntry.id,
                QueueEntry.number,
                QueueEntry.topic,
                QueueEntry.language,
                QueueEntry.created_at,
                QueueEntry.contact,
            )
        )
    if not claimed:
        raise AlreadyCalled("entry")
    return claimed[0]


async def call(
    catalog: Catalog,
    policy: Policy,
    point: PointInfo,
    *,
    entry_id: int | None,
    desk: str,
    now: datetime,
) -> Called:
    """Calls ``entry_id`` (or the first in line) to ``desk`` and starts their appointment.

    Raises:
        QueueEmpty, AlreadyCalled, and whatever a walk-in booking raises (e.g. SlotTaken
        when no consultant for the language is free now).
    """
    entry = await _claim(point, entry_id, " ".join(desk.split())[:DESK_MAX], now)
    try:
        booked = await book_confirmed(
            catalog,
            policy,
            BookingRequest(
                point_id=point.id,
                topic_id=entry["topic"],
                language=entry["language"],
                start=now,
                phone=None,
                channel=Appointment.WALK_IN,
            ),
            now=now,
        )
    except LoketError:
        await QueueEntry.update(
            {QueueEntry.status: QueueEntry.WAITING, QueueEntry.called_at: None, QueueEntry.desk: ""}
        ).where(QueueEntry.id == entry["id"])
        raise
    waited = max(0, int((now - entry["created_at"]).total_seconds() // 60))
    async with write_transaction():
        # The number the person left now belongs to their appointment: retention, erasure
        # and subject access find it there.
        served = {Appointment.waited_minutes: waited}
        if entry["contact"] is not None:
            served[Appointment.contact] = entry["contact"]
        await Appointment.update(served).where(Appointment.id == booked.id)
        await QueueEntry.update({QueueEntry.appointment: booked.id}).where(
            QueueEntry.id == entry["id"]
        )
        await text_whoever_is_next(point, now)
    return Called(entry["number"], booked.id, waited)


@dataclass(frozen=True, slots=True)
class Shown:
    """One called number on the waiting-room screen: no personal data."""

    number: int
    desk: str


async def board(point: PointInfo, now: datetime, limit: int = 6) -> tuple[list[Shown], int]:
    """The numbers called today (served or gone since, too), newest first, and how many
    still wait."""
    day = now.astimezone(point.tz).date()
    today = (QueueEntry.point == point.id) & (QueueEntry.local_date == day)
    called = await (
        QueueEntry.select(QueueEntry.number, QueueEntry.desk)
        .where(today & QueueEntry.called_at.is_not_null())
        .order_by(QueueEntry.called_at, ascending=False)
        .order_by(QueueEntry.number, ascending=False)
        .limit(limit)
    )
    waiting = await QueueEntry.count().where(today & (QueueEntry.status == QueueEntry.WAITING))
    return [Shown(r["number"], r["desk"]) for r in called], waiting
