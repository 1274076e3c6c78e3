"""How a number ends: the called walk-in was served, or the person went away.

Served closes the walk-in appointment as done. Gone before the call only takes the number
out of the line (and texts the new first one); gone after the call marks the started
walk-in a no-show, as the desk would on the agenda. Each end is a conditional update, so
a number ends once, whichever desk or system asks first.
"""

from __future__ import annotations

from datetime import datetime

from booking.db.tables import Appointment, QueueEntry
from booking.db.transactions import write_transaction
from booking.domain.errors import EntryClosed, NotFound
from booking.services.point_setup import PointInfo
from booking.services.queue.turns import text_whoever_is_next

#: For each end: the entry's states it may come from, and the walk-in appointment's.
ENDS = {
    QueueEntry.SERVED: (
        (QueueEntry.CALLED,),
        Appointment.DONE,
        [Appointment.CONFIRMED, Appointment.ARRIVED],
    ),
    QueueEntry.GONE: (
        (QueueEntry.WAITING, QueueEntry.CALLED),
        Appointment.NO_SHOW,
        [Appointment.CONFIRMED],
    ),
}


async def point_of_entry(entry_id: int) -> int:
    """The point whose queue holds ``entry_id``; NotFound("entry") when there is none."""
    row = await QueueEntry.select(QueueEntry.point).where(QueueEntry.id == entry_id).first()
    if row is None:
        raise NotFound("entry")
    return row["point"]


async def end(point: PointInfo, entry_id: int, outcome: str, now: datetime) -> int | None:
    """Ends ``entry_id`` at ``point`` as ``QueueEntry.SERVED`` (it must have been called) or
    ``QueueEntry.GONE``.

    Returns:
        The walk-in appointment the call had started, if any.

    Raises:
        EntryClosed: the number is not in a state that can end this way.
    """
    before, appointment_status, appointment_before = ENDS[outcome]
    async with write_transaction():
        ended = (
            await QueueEntry.update({QueueEntry.status: outcome})
            .where(
                (QueueEntry.id == entry_id)
                & (QueueEntry.point == point.id)
                & QueueEntry.status.is_in(list(before))
            )
            .returning(QueueEntry.appointment)
        )
        if not ended:
            raise EntryClosed("entry")
        appointment_id = ended[0]["appointment"]
        if appointment_id is not None:
            await Appointment.update(
                {Appointment.status: appointment_status, Appointment.updated_at: now}
            ).where(
                (Appointment.id == appointment_id) & Appointment.status.is_in(appointment_before)
            )
        await text_whoever_is_next(point, now)
    return appointment_id
