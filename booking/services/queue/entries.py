"""Joining today's walk-in queue and what the queue looks like now.

A number is unique per point and local day (the database refuses a second one); on
PostgreSQL joiners of one point take turns so numbers are handed out without retries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from booking.db.rows import insert_returning_id
from booking.db.tables import MigrantContact, QueueEntry
from booking.db.transactions import take_turns, write_transaction
from booking.domain.opening_hours import local_day_bounds
from booking.domain.phone import mobile_e164
from booking.domain.policy import Policy
from booking.domain.queue import Desk, estimate_wait
from booking.services.point_setup import (
    Catalog,
    PointInfo,
    PointSetup,
    TopicInfo,
    current_revision,
)
from booking.services.queue import turns
from booking.services.slots import fresh_busy, load_context


@dataclass(frozen=True, slots=True)
class Waiting:
    """A number of today's queue; no phone number, only whether one was left."""

    id: int
    number: int
    topic_id: int
    language: str
    created_at: datetime
    has_phone: bool
    status: str = QueueEntry.WAITING
    called_at: datetime | None = None
    desk: str = ""
    appointment_id: int | None = None


@dataclass(frozen=True, slots=True)
class Joined:
    id: int
    number: int
    language: str
    #: None when nobody on duty today can serve the person's language and topic.
    wait: timedelta | None


def today(point: PointInfo, now: datetime) -> date:
    return now.astimezone(point.tz).date()


async def waiting(point: PointInfo, now: datetime) -> list[Waiting]:
    """Today's queue at ``point`` in order of arrival."""
    return await day_entries(point, now, [QueueEntry.WAITING])


async def day_entries(
    point: PointInfo, now: datetime, statuses: Sequence[str] = QueueEntry.STATUSES
) -> list[Waiting]:
    """Today's numbers at ``point`` in ``statuses``, in order of arrival."""
    rows = await (
        QueueEntry.select(
            QueueEntry.id,
            QueueEntry.number,
            QueueEntry.topic,
            QueueEntry.language,
            QueueEntry.created_at,
            QueueEntry.contact,
            QueueEntry.status,
            QueueEntry.called_at,
            QueueEntry.desk,
            QueueEntry.appointment,
        )
        .where(
            (QueueEntry.point == point.id)
            & (QueueEntry.local_date == today(point, now))
            & QueueEntry.status.is_in(list(statuses))
        )
        .order_by(QueueEntry.number)
    )
    return [
        Waiting(
            r["id"], r["number"], r["topic"], r["language"], r["created_at"],
            r["contact"] is not None, r["status"], r["called_at"], r["desk"], r["appointment"],
        )
        for r in rows
    ]  # fmt: skip


async def join(
    catalog: Catalog,
    policy: Policy,
    point: PointInfo,
    *,
    topic_id: int,
    language: str,
    phone: str | None,
    now: datetime,
) -> Joined:
    """Adds a walk-in to today's queue and estimates their wait; texts them if they are next.

    Raises:
        UnknownTopic, UnsupportedLanguage, UnknownPoint, InvalidPhone.
    """
    context = await load_context(
        catalog,
        policy,
        point_id=point.id,
        topic_id=topic_id,
        language=language,
        first=now.date() - timedelta(days=1),
        last=now.date() + timedelta(days=1),
        now=now,
    )
    language = context[2]
    e164 = mobile_e164(phone) if phone else None
    day = today(point, now)
    async with write_transaction():
        await take_turns([(f"queue:{point.id}", local_day_bounds(day, day, point.tz).start)])
        contact_id = None
        if e164:
            [contact_id] = await insert_returning_id(
                MigrantContact,
                [{"phone": e164, "language": language, "first_name": None, "created_at": now}],
            )
        last = (
            await QueueEntry.select(QueueEntry.number)
            .where((QueueEntry.point == point.id) & (QueueEntry.local_date == day))
            .order_by(QueueEntry.number, ascending=False)
            .limit(1)
        )
        number = (last[0]["number"] if last else 0) + 1
        [entry_id] = await insert_returning_id(
            QueueEntry,
            [
                {
                    "point": point.id,
                    "local_date": day,
                    "number": number,
                    "topic": topic_id,
                    "language": language,
                    "contact": contact_id,
                    "status": QueueEntry.WAITING,
                    "created_at": now,
                    "notified_at": None,
                    "called_at": None,
                    "desk": "",
                    "appointment": None,
                }
            ],
        )
        await turns.text_whoever_is_next(point, now)
    queue = await waiting(point, now)
    ahead = [w for w in queue if w.number < number]
    wait = await estimate(catalog, policy, context, ahead, now)
    return Joined(entry_id, number, language, wait)


async def estimate(
    catalog: Catalog,
    policy: Policy,
    context: tuple[PointSetup, TopicInfo, str],
    ahead: Sequence[Waiting],
    now: datetime,
) -> timedelta | None:
    """The wait for someone behind ``ahead``: the consultants on duty for ``language`` (or
    any, with an interpreter), their appointments today, and the topics ahead that the same
    consultants would serve."""
    setup, topic, language = context
    day = today(setup.point, now)
    busy, _ = await fresh_busy(setup, topic, language, day, day, policy, now)
    consultants, _ = setup.calendars(day, day, busy, language)
    desks = [Desk(c.working, c.busy) for c in consultants]
    mine = {c.staff_id for c in consultants}
    topics = await catalog.topics(await current_revision())
    shared = {
        lang: bool(mine & {p.id for p in setup.people_for(lang)})
        for lang in {w.language for w in ahead}
    }
    durations = [
        topics[w.topic_id].duration for w in ahead if shared[w.language] and w.topic_id in topics
    ]
    return estimate_wait(now, desks, durations, topic.duration, policy.rules.buffer)
