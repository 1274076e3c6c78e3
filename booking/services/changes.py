"""Changing an appointment: cancel, move, or mark what happened (arrived, no-show, done)."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta

from booking.db.tables import Allocation, Appointment, Message
from booking.db.transactions import retrying, write_transaction
from booking.domain.errors import AppointmentClosed, HoldEnded, InvalidInput, MovedByConsultant
from booking.domain.policy import Policy
from booking.notify import outbox
from booking.reports.stamps import stamp
from booking.services import notices
from booking.services.handovers import notices as handover_notices
from booking.services.holding import (
    allocations_for,
    bookable_start,
    choose_staffing,
    hold,
    plan_for,
    refreshed,
)
from booking.services.point_setup import (
    Catalog,
)
from booking.services.views import (
    AppointmentView,
    Which,
    locked_appointment,
    view,
)


def changeable(row: Mapping, now: datetime) -> None:
    if row["status"] == Appointment.HELD and row["held_until"] <= now:
        raise HoldEnded("status")
    if row["status"] not in (Appointment.HELD, Appointment.CONFIRMED) or row["starts_at"] <= now:
        raise AppointmentClosed("status")


async def cancel(
    catalog: Catalog, policy: Policy, which: Which, *, now: datetime
) -> AppointmentView:
    """Cancels and frees every resource, and tells the migrant; cancelling twice is harmless."""
    async with write_transaction():
        row = await cancel_locked(catalog, policy, await locked_appointment(which), now)
    return await view(catalog, row)


async def cancel_locked(catalog: Catalog, policy: Policy, row: Mapping, now: datetime) -> Mapping:
    """``cancel`` inside the caller's transaction, on a row from ``locked_appointment``: for
    erasure on request, which cancels several appointments in one transaction."""
    if row["status"] == Appointment.CANCELLED:
        return row
    changeable(row, now)
    await Appointment.update(
        {
            Appointment.status: Appointment.CANCELLED,
            Appointment.sequence: Appointment.sequence + 1,
            Appointment.updated_at: now,
        }
    ).where(Appointment.id == row["id"])
    await Allocation.update({Allocation.live: False}).where(Allocation.appointment == row["id"])
    if row["status"] == Appointment.CONFIRMED:
        await notices.cancelled(catalog, policy, row["id"], now)
        if row["channel"] == Appointment.HANDOVER:
            await handover_notices.send_cancellations(catalog, policy, row["id"], now)
    else:
        await outbox.cancel_pending(row["id"], [Message.CODE])
    return {**row, "status": Appointment.CANCELLED}


async def reschedule(
    catalog: Catalog, policy: Policy, which: Which, new_start: datetime, *, now: datetime
) -> AppointmentView:
    """Moves to another free slot; the old one is released only if the new one is held."""
    start = bookable_start(new_start, policy, now)

    async def attempt() -> AppointmentView:
        async with write_transaction():
            row = await locked_appointment(which)
            changeable(row, now)
            if row["channel"] == Appointment.HANDOVER:
                raise MovedByConsultant("start")
            plan = await plan_for(
                catalog, policy, row["point"], row["topic"], row["language"], start, now
            )
            await Allocation.update({Allocation.live: False}).where(
                (Allocation.appointment == row["id"]) & (Allocation.live == True)
            )
            plan = await refreshed(plan, policy, now)
            staffing = choose_staffing(plan, policy, start, now)
            expires = row["held_until"] if row["status"] == Appointment.HELD else None
            await hold(
                allocations_for(row["id"], staffing, start, plan, policy, expires), plan.stale, now
            )
            await Appointment.update(
                {
                    Appointment.starts_at: start,
                    Appointment.ends_at: start + plan.topic.duration,
                    Appointment.sequence: Appointment.sequence + 1,
                    Appointment.updated_at: now,
                    **stamp(start, row["created_at"], plan.setup.point.tz).columns(),
                }
            ).where(Appointment.id == row["id"])
            if row["status"] == Appointment.CONFIRMED:
                await notices.moved(catalog, policy, row["id"], now)
            moved = {**row, "starts_at": start, "ends_at": start + plan.topic.duration}
        return await view(catalog, moved)

    return await retrying(attempt)


#: What staff may mark, from which status; a no-show can still arrive late.
TRANSITIONS = {
    Appointment.ARRIVED: (Appointment.CONFIRMED, Appointment.NO_SHOW),
    Appointment.NO_SHOW: (Appointment.CONFIRMED,),
    Appointment.DONE: (Appointment.ARRIVED,),
}
#: Someone may arrive a little early; nobody is a no-show before the appointment began.
EARLY_ARRIVAL = timedelta(hours=1)


async def set_status(appointment_id: int, status: str, *, now: datetime) -> str:
    """Marks what happened: arrived, no-show or done. Returns the status it had before."""
    if status not in TRANSITIONS:
        raise InvalidInput("status")
    async with write_transaction():
        row = await locked_appointment(appointment_id)
        if row["status"] not in TRANSITIONS[status]:
            raise AppointmentClosed("status")
        too_soon = {
            Appointment.ARRIVED: row["starts_at"] - EARLY_ARRIVAL,
            Appointment.NO_SHOW: row["starts_at"],
            Appointment.DONE: row["starts_at"],
        }[status]
        if now < too_soon:
            raise InvalidInput("status")
        await Appointment.update({Appointment.status: status, Appointment.updated_at: now}).where(
            Appointment.id == appointment_id
        )
    return row["status"]
