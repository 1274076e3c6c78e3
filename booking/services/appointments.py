"""Making an appointment: held for its SMS code online, or confirmed at once by staff.

A booking re-checks its slot with fresh allocations inside the write transaction and holds
every resource there; the database refuses any double hold that slips through a race, and
``retrying`` runs the attempt again with fresher data (DOMAIN.md rule 1).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from booking.db.rows import insert_returning_id
from booking.db.tables import Appointment, MigrantContact
from booking.db.transactions import retrying, write_transaction
from booking.domain.phone import mobile_e164
from booking.services import limits, verification
from booking.services.holding import (
    allocations_for,
    bookable_start,
    choose_staffing,
    clean_first_name,
    held_resources,
    hold,
    plan_for,
    refreshed,
)
from booking.services.point_setup import (
    Catalog,
)
from booking.services.policy import Policy
from booking.services.views import (
    AppointmentView,
    new_token,
)


@dataclass(frozen=True, slots=True)
class BookingRequest:
    point_id: int
    topic_id: int
    language: str
    start: datetime
    phone: str
    first_name: str | None = None
    channel: str = Appointment.ONLINE


async def book(
    catalog: Catalog,
    policy: Policy,
    request: BookingRequest,
    *,
    now: datetime,
    client: str | None = None,
) -> AppointmentView:
    """Holds a free slot and texts a code; the appointment is confirmed by entering it.

    Args:
        client: the caller's network address, for the per-address limit.

    Raises:
        SlotTaken, SlotNotOffered, InvalidInput and its kinds, LimitReached and its kinds.
    """
    start = bookable_start(request.start, policy, now)
    phone = mobile_e164(request.phone)
    first_name = clean_first_name(request.first_name)
    token, hashed, salt = new_token(policy)
    code, code_hash = verification.new_code(policy, hashed)
    held_until = now + policy.hold

    async def attempt() -> AppointmentView:
        plan = await plan_for(
            catalog, policy, request.point_id, request.topic_id, request.language, start, now
        )
        async with write_transaction():
            await limits.check_phone(policy, phone, now)
            await limits.count_hold(policy, client, now)
            plan = await refreshed(plan, policy, now)
            staffing = choose_staffing(plan, policy, start, now)
            [contact_id] = await insert_returning_id(
                MigrantContact,
                [
                    {
                        "phone": phone,
                        "language": plan.language,
                        "first_name": first_name,
                        "created_at": now,
                    }
                ],
            )
            [appointment_id] = await insert_returning_id(
                Appointment,
                [
                    {
                        "point": plan.setup.point.id,
                        "topic": plan.topic.id,
                        "contact": contact_id,
                        "language": plan.language,
                        "channel": request.channel,
                        "status": Appointment.HELD,
                        "starts_at": start,
                        "ends_at": start + plan.topic.duration,
                        "held_until": held_until,
                        "manage_token_hash": hashed,
                        "manage_salt": salt,
                        "code_hash": code_hash,
                        "code_attempts": 0,
                        "sequence": 0,
                        "created_at": now,
                        "updated_at": now,
                    }
                ],
            )
            rows = allocations_for(appointment_id, staffing, start, plan, policy, held_until)
            await hold(rows, plan, now)
            await verification.queue_code(
                policy, code, appointment_id, contact_id, plan.language, now
            )
        return AppointmentView(
            id=appointment_id,
            status=Appointment.HELD,
            channel=request.channel,
            language=plan.language,
            point=plan.setup.point,
            topic=plan.topic,
            starts_at=start,
            ends_at=start + plan.topic.duration,
            resources=held_resources(plan.setup, staffing),
            held_until=held_until,
            manage_token=token,
        )

    return await retrying(attempt)
