"""Booking, reading, cancelling and moving an appointment, each in one transaction.

A booking re-checks its slot with fresh allocations inside the write transaction and holds
every resource there; the database refuses any double hold that slips through a race, and
``retrying`` runs the attempt again with fresher data (DOMAIN.md rule 1).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from booking.db.rows import insert_returning_id
from booking.db.tables import Allocation, Appointment, Message, MigrantContact
from booking.db.transactions import retrying, write_transaction
from booking.domain.availability import MAX_HOLD, Staffing, blocked_interval, staffings
from booking.domain.errors import (
    AppointmentClosed,
    HoldEnded,
    InvalidInput,
    InvalidTime,
    SlotNotOffered,
    SlotTaken,
)
from booking.domain.phone import mobile_e164
from booking.notify import outbox
from booking.services import limits, notices, verification
from booking.services.point_setup import (
    Catalog,
    PointSetup,
)
from booking.services.policy import Policy
from booking.services.slots import DayPlan, fresh_busy, load_context
from booking.services.views import (
    AppointmentView,
    HeldResource,
    Which,
    locked_appointment,
    new_token,
    view,
)

FIRST_NAME_MAX = 50


@dataclass(frozen=True, slots=True)
class BookingRequest:
    point_id: int
    topic_id: int
    language: str
    start: datetime
    phone: str
    first_name: str | None = None
    channel: str = Appointment.ONLINE


def bookable_start(instant: datetime, policy: Policy, now: datetime) -> datetime:
    """The start in UTC, if it could be a slot at all.

    Refuses naive datetimes (they would be read as UTC and stored off by the offset), and
    instants far outside the bookable range before any date arithmetic on them can overflow.
    """
    if instant.tzinfo is None or instant.utcoffset() is None:
        raise InvalidTime("start")
    margin = timedelta(days=2)
    earliest, latest = now - margin, now + timedelta(days=policy.horizon_days) + margin
    try:
        start = instant.astimezone(UTC)
    except OverflowError:
        raise SlotNotOffered("start") from None
    if not earliest <= start <= latest:
        raise SlotNotOffered("start")
    return start


def clean_first_name(raw: str | None) -> str | None:
    name = " ".join((raw or "").split())
    if len(name) > FIRST_NAME_MAX:
        raise InvalidInput("first_name")
    return name or None


def choose_staffing(plan: DayPlan, policy: Policy, start: datetime, now: datetime) -> Staffing:
    """The best way to staff ``start`` with the allocations in ``plan``, or why there is none.

    Equivalent to finding ``start`` among the plan's slots (the availability property tests
    check that), without computing the whole day.
    """
    if not policy.rules.admits(start, now, plan.setup.point.tz):
        raise SlotNotOffered("start")

    def options(busy: Mapping[str, Sequence]) -> list[Staffing]:
        consultants, interpreters = plan.setup.calendars(plan.first, plan.last, busy, plan.language)
        return staffings(
            start,
            language=plan.language,
            duration=plan.topic.duration,
            consultants=consultants,
            interpreters=interpreters,
            buffer=policy.rules.buffer,
        )

    if found := options(plan.busy):
        return found[0]
    if options({}):
        raise SlotTaken("start")
    raise SlotNotOffered("start")


def allocations_for(
    appointment_id: int,
    staffing: Staffing,
    start: datetime,
    plan: DayPlan,
    policy: Policy,
    expires_at: datetime | None = None,
) -> list[dict]:
    """One row per held resource, sorted by resource so concurrent bookers lock in one order."""
    held = blocked_interval(start, plan.topic.duration, policy.rules.buffer)
    people = [(Allocation.CONSULTANT, staffing.consultant_id)]
    if staffing.interpreter_id is not None:
        people.append((Allocation.INTERPRETER, staffing.interpreter_id))
    rows = [
        {
            "appointment": appointment_id,
            "resource": plan.setup.person(staff_id).resource,
            "role": role,
            "staff": staff_id,
            "agency": None,
            "starts_at": held.start,
            "ends_at": held.end,
            "live": True,
            "expires_at": expires_at,
        }
        for role, staff_id in people
    ]
    return sorted(rows, key=lambda row: row["resource"])


def held_resources(setup: PointSetup, staffing: Staffing) -> tuple[HeldResource, ...]:
    held = [HeldResource(Allocation.CONSULTANT, staffing.consultant_id, "")]
    if staffing.interpreter_id is not None:
        held.append(HeldResource(Allocation.INTERPRETER, staffing.interpreter_id, ""))
    return tuple(
        HeldResource(h.kind, h.id, person.name if (person := setup.person(h.id)) else "")
        for h in held
    )


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
        plan = await _plan_for(
            catalog, policy, request.point_id, request.topic_id, request.language, start, now
        )
        async with write_transaction():
            await limits.check_phone(policy, phone, now)
            await limits.count_hold(policy, client, now)
            plan = await _refreshed(plan, policy, now)
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
            await _hold(rows, plan, now)
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


async def _plan_for(
    catalog: Catalog,
    policy: Policy,
    point_id: int,
    topic_id: int,
    language: str,
    start: datetime,
    now: datetime,
) -> DayPlan:
    """The plan of the local day ``start`` falls on, without allocations yet."""
    setup, topic, language = await load_context(
        catalog,
        policy,
        point_id=point_id,
        topic_id=topic_id,
        language=language,
        first=start.date() - timedelta(days=1),
        last=start.date() + timedelta(days=1),
        now=now,
    )
    day = start.astimezone(setup.point.tz).date()
    return DayPlan(setup, topic, language, day, day, {})


async def _refreshed(plan: DayPlan, policy: Policy, now: datetime) -> DayPlan:
    """The same plan with allocations read inside the write transaction."""
    busy, stale = await fresh_busy(
        plan.setup, plan.topic, plan.language, plan.first, plan.last, policy, now
    )
    return DayPlan(plan.setup, plan.topic, plan.language, plan.first, plan.last, busy, stale)


async def _hold(rows: list[dict], plan: DayPlan, now: datetime) -> None:
    """Inserts the allocations, first releasing expired holds in their way, if any.

    Searches already ignore a hold past its ``expires_at``, but the database still counts
    it as live until it is released; the plan's read said which resources have one.
    """
    if plan.stale.isdisjoint(r["resource"] for r in rows):
        await insert_returning_id(Allocation, rows)
        return
    first, last = min(r["starts_at"] for r in rows), max(r["ends_at"] for r in rows)
    await Allocation.update({Allocation.live: False}).where(
        Allocation.resource.is_in([r["resource"] for r in rows])
        & (Allocation.live == True)
        & (Allocation.expires_at <= now)
        & (Allocation.starts_at >= first - MAX_HOLD)
        & (Allocation.starts_at < last)
        & (Allocation.ends_at > first)
    )
    await insert_returning_id(Allocation, rows)


def _changeable(row: Mapping, now: datetime) -> None:
    if row["status"] == Appointment.HELD and row["held_until"] <= now:
        raise HoldEnded("status")
    if row["status"] not in (Appointment.HELD, Appointment.CONFIRMED) or row["starts_at"] <= now:
        raise AppointmentClosed("status")


async def cancel(
    catalog: Catalog, policy: Policy, which: Which, *, now: datetime
) -> AppointmentView:
    """Cancels and frees every resource, and tells the migrant; cancelling twice is harmless."""
    async with write_transaction():
        row = await locked_appointment(which)
        if row["status"] != Appointment.CANCELLED:
            _changeable(row, now)
            await Appointment.update(
                {
                    Appointment.status: Appointment.CANCELLED,
                    Appointment.sequence: Appointment.sequence + 1,
                    Appointment.updated_at: now,
                }
            ).where(Appointment.id == row["id"])
            await Allocation.update({Allocation.live: False}).where(
                Allocation.appointment == row["id"]
            )
            if row["status"] == Appointment.CONFIRMED:
                await notices.cancelled(catalog, policy, row["id"], now)
            else:
                await outbox.cancel_pending(row["id"], [Message.CODE])
            row = {**row, "status": Appointment.CANCELLED}
    return await view(catalog, row)


async def reschedule(
    catalog: Catalog, policy: Policy, which: Which, new_start: datetime, *, now: datetime
) -> AppointmentView:
    """Moves to another free slot; the old one is released only if the new one is held."""
    start = bookable_start(new_start, policy, now)

    async def attempt() -> AppointmentView:
        async with write_transaction():
            row = await locked_appointment(which)
            _changeable(row, now)
            plan = await _plan_for(
                catalog, policy, row["point"], row["topic"], row["language"], start, now
            )
            await Allocation.update({Allocation.live: False}).where(
                (Allocation.appointment == row["id"]) & (Allocation.live == True)
            )
            plan = await _refreshed(plan, policy, now)
            staffing = choose_staffing(plan, policy, start, now)
            expires = row["held_until"] if row["status"] == Appointment.HELD else None
            await _hold(
                allocations_for(row["id"], staffing, start, plan, policy, expires), plan, now
            )
            await Appointment.update(
                {
                    Appointment.starts_at: start,
                    Appointment.ends_at: start + plan.topic.duration,
                    Appointment.sequence: Appointment.sequence + 1,
                    Appointment.updated_at: now,
                }
            ).where(Appointment.id == row["id"])
            if row["status"] == Appointment.CONFIRMED:
                await notices.moved(catalog, policy, row["id"], now)
            moved = {**row, "starts_at": start, "ends_at": start + plan.topic.duration}
        return await view(catalog, moved)

    return await retrying(attempt)
