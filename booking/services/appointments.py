"""Making an appointment: held for its SMS code online, or confirmed at once by staff.

A booking re-checks its slot with fresh allocations inside the write transaction and holds
every resource there; the database refuses any double hold that slips through a race, and
``retrying`` runs the attempt again with fresher data (DOMAIN.md rule 1).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime

from booking.db.rows import insert_returning_id
from booking.db.tables import Appointment, MigrantContact
from booking.db.transactions import retrying, write_transaction
from booking.domain.errors import InvalidInput
from booking.domain.phone import mobile_e164
from booking.domain.policy import Policy
from booking.metrics.instruments import HOLDS, counts
from booking.reports.stamps import stamp
from booking.services import limits, notices, verification
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
    #: Required online and by phone; a walk-in may leave it empty (then no text messages).
    phone: str | None
    first_name: str | None = None
    channel: str = Appointment.ONLINE
    #: How the person wants our texts: SMS or WhatsApp (MigrantContact.TEXT_CHANNELS).
    text_channel: str = MigrantContact.SMS


@dataclass(frozen=True, slots=True)
class _Terms:
    """How a new appointment starts its life: held for a code, or confirmed."""

    status: str
    held_until: datetime | None
    code_hash: str | None
    walk_in: bool = False
    #: An existing contact to book for (an offer from the waiting list); else a new one.
    contact_id: int | None = None


@counts(HOLDS, lambda _: "held")
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
    phone = mobile_e164(request.phone or "")
    token, hashed, salt = new_token(policy)
    code, code_hash = verification.new_code(policy, hashed)
    terms = _Terms(Appointment.HELD, now + policy.hold, code_hash)

    async def checks() -> None:
        await limits.check_phone(policy, phone, now)
        await limits.count_hold(policy, client, now)

    async def then(appointment_id: int, contact_id: int, language: str) -> None:
        await verification.queue_code(policy, code, appointment_id, contact_id, language, now)

    return await _create(
        catalog, policy, request, start, phone, terms, (token, hashed, salt), now, checks, then
    )


async def book_confirmed(
    catalog: Catalog, policy: Policy, request: BookingRequest, *, now: datetime
) -> AppointmentView:
    """Staff book for a caller or a walk-in: confirmed at once, no code (issue 5).

    A walk-in starts now with whoever is free; the caller, if there is a number, gets the
    confirmation and the reminders by text.
    """
    walk_in = request.channel == Appointment.WALK_IN
    if walk_in:
        start = now.replace(second=0, microsecond=0)
    else:
        start = bookable_start(request.start, policy, now)
    phone = mobile_e164(request.phone) if (request.phone or not walk_in) else None
    credentials = new_token(policy)
    terms = _Terms(Appointment.CONFIRMED, None, None, walk_in=walk_in)

    async def then(appointment_id: int, contact_id: int, language: str) -> None:
        if phone:
            await notices.confirmed(catalog, policy, appointment_id, now)

    return await _create(
        catalog, policy, request, start, phone, terms, credentials, now, None, then
    )


async def hold_for_offer(
    catalog: Catalog,
    policy: Policy,
    request: BookingRequest,
    contact_id: int,
    until: datetime,
    *,
    now: datetime,
    then: Callable[[int, int, str], Awaitable[None]],
) -> AppointmentView:
    """Holds a slot for a person on the waiting list until ``until``, through the same
    race-free hold as any booking; ``then`` records the offer in the same transaction.

    The phone number was proved when they joined the list, so no code: one tap confirms.
    """
    start = bookable_start(request.start, policy, now)
    terms = _Terms(Appointment.HELD, until, None, contact_id=contact_id)
    return await _create(
        catalog, policy, request, start, None, terms, new_token(policy), now, None, then
    )


async def _create(
    catalog: Catalog,
    policy: Policy,
    request: BookingRequest,
    start: datetime,
    phone: str | None,
    terms: _Terms,
    credentials: tuple[str, str, str],
    now: datetime,
    checks: Callable[[], Awaitable[None]] | None,
    then: Callable[[int, int, str], Awaitable[None]],
) -> AppointmentView:
    first_name = clean_first_name(request.first_name)
    if request.text_channel not in MigrantContact.TEXT_CHANNELS:
        raise InvalidInput("text_channel")
    token, hashed, salt = credentials

    async def attempt() -> AppointmentView:
        plan = await plan_for(
            catalog, policy, request.point_id, request.topic_id, request.language, start, now
        )
        async with write_transaction():
            if checks is not None:
                await checks()
            plan = await refreshed(plan, policy, now)
            staffing = choose_staffing(plan, policy, start, now, walk_in=terms.walk_in)
            [contact_id] = (
                [terms.contact_id]
                if terms.contact_id
                else await insert_returning_id(
                    MigrantContact,
                    [
                        {
                            "phone": phone,
                            "language": plan.language,
                            "first_name": first_name,
                            "text_channel": request.text_channel,
                            "created_at": now,
                        }
                    ],
                )
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
                        "status": terms.status,
                        "starts_at": start,
                        "ends_at": start + plan.topic.duration,
                        "held_until": terms.held_until,
                        "manage_token_hash": hashed,
                        "manage_salt": salt,
                        "code_hash": terms.code_hash,
                        "code_attempts": 0,
                        "sequence": 0,
                        "created_at": now,
                        "updated_at": now,
                        **stamp(start, now, plan.setup.point.tz).columns(),
                    }
                ],
            )
            rows = allocations_for(appointment_id, staffing, start, plan, policy, terms.held_until)
            await hold(rows, plan.stale, now)
            await then(appointment_id, contact_id, plan.language)
        return AppointmentView(
            id=appointment_id,
            status=terms.status,
            channel=request.channel,
            language=plan.language,
            point=plan.setup.point,
            topic=plan.topic,
            starts_at=start,
            ends_at=start + plan.topic.duration,
            resources=held_resources(plan.setup, staffing),
            held_until=terms.held_until,
            manage_token=token,
        )

    return await retrying(attempt)
