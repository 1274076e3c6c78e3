"""What the staff home page counts per point for today: the day's appointments, handovers
ahead still waiting for an invitee's answer, failed texts about appointments from today on,
and open call-back requests. Four grouped queries, whatever the number of points."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from piccolo.query.functions.aggregate import Count

from booking.db.tables import Appointment, CallbackRequest, InviteAttendee, Message
from booking.domain.intervals import Interval
from booking.services.agenda import SHOWN
from booking.services.messages import UNDELIVERED


@dataclass(frozen=True, slots=True)
class Counts:
    appointments: int = 0
    waiting_handovers: int = 0
    failed_messages: int = 0
    callbacks: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.appointments + other.appointments,
            self.waiting_handovers + other.waiting_handovers,
            self.failed_messages + other.failed_messages,
            self.callbacks + other.callbacks,
        )


def _by_point(rows: list[dict], key: str = "point") -> dict[int, int]:
    return {r[key]: r["count"] for r in rows}


async def counts(point_ids: Sequence[int], day: Interval, now: datetime) -> dict[int, Counts]:
    """Per point id (every one asked for) the counts of the local ``day`` and from ``now``."""
    ids = list(point_ids)
    if not ids:
        return {}
    booked = _by_point(
        await Appointment.select(Appointment.point, Count())
        .where(
            Appointment.point.is_in(ids)
            & Appointment.status.is_in(list(SHOWN))
            & (Appointment.starts_at >= day.start)
            & (Appointment.starts_at < day.end)
        )
        .group_by(Appointment.point)
    )
    ahead = InviteAttendee.appointment
    waiting = _by_point(
        await InviteAttendee.select(ahead.point.as_alias("point"), Count(distinct=[ahead.id]))
        .where(
            ahead.point.is_in(ids)
            & (ahead.status == Appointment.CONFIRMED)
            & (ahead.starts_at >= now)
            & (InviteAttendee.active == True)
            & (InviteAttendee.partstat == InviteAttendee.NEEDS_ACTION)
        )
        .group_by(ahead.point)
    )
    about = Message.appointment
    failed = _by_point(
        await Message.select(about.point.as_alias("point"), Count())
        .where(
            about.point.is_in(ids)
            & Message.status.is_in(UNDELIVERED)
            & (about.starts_at >= day.start)
        )
        .group_by(about.point)
    )
    callbacks = _by_point(
        await CallbackRequest.select(CallbackRequest.point, Count())
        .where(CallbackRequest.point.is_in(ids) & (CallbackRequest.status == CallbackRequest.OPEN))
        .group_by(CallbackRequest.point)
    )
    return {
        p: Counts(booked.get(p, 0), waiting.get(p, 0), failed.get(p, 0), callbacks.get(p, 0))
        for p in ids
    }
