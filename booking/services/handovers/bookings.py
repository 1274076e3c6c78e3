"""Warm handovers: a consultant books the migrant's appointment at a partner agency with an
interpreter there, holding the agency's place, the interpreter and the consultant together.

All of it is one transaction under the database's no-overlap guarantee: the handover is
booked, moved or cancelled whole or not at all, and a lost race is retried with fresh
allocations (``retrying``), so racers for an agency's last place get exactly its capacity.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from booking.db.rows import insert_returning_id
from booking.db.tables import (
    Allocation,
    Appointment,
    Handover,
    InviteAttendee,
    MigrantContact,
    StaffMember,
)
from booking.db.transactions import retrying, write_transaction
from booking.domain.availability import StaffCalendar, blocked_interval
from booking.domain.errors import AppointmentClosed, InvalidInput, NoEmail, NotStartedYet
from booking.domain.intervals import Interval
from booking.domain.languages import service_language
from booking.domain.phone import mobile_e164
from booking.domain.policy import Policy
from booking.reports.stamps import stamp
from booking.services.handovers import notices as handover_notices
from booking.services.handovers.plans import (
    HandoverRequest,
    Plan,
    choose,
    plan,
    stored_request,
)
from booking.services.handovers.setup import StaffInfo, agency_resource, busy_of, staff_info
from booking.services.holding import bookable_start, hold
from booking.services.point_setup import Catalog, PointInfo
from booking.services.point_values import staff_resource
from booking.services.views import locked_appointment, new_token


def _allocations(
    appointment_id: int,
    found: Plan,
    chosen: Sequence[tuple[str, StaffCalendar]],
    start: datetime,
    policy: Policy,
) -> list[dict]:
    rows = []
    for role, member in chosen:
        if role == Allocation.AGENCY:
            held = Interval(start, start + found.request.duration)
            resource, staff, agency = (
                agency_resource(found.agency.id, member.staff_id),
                None,
                found.agency.id,
            )
        else:
            held = blocked_interval(start, found.request.duration, policy.rules.buffer)
            resource, staff, agency = staff_resource(member.staff_id), member.staff_id, None
        rows.append(
            {
                "appointment": appointment_id,
                "resource": resource,
                "role": role,
                "staff": staff,
                "agency": agency,
                "starts_at": held.start,
                "ends_at": held.end,
                "live": True,
                "expires_at": None,
            }
        )
    return sorted(rows, key=lambda r: r["resource"])


async def _held(found: Plan, policy: Policy, start: datetime, now: datetime, prefer=None):
    """Reads the allocations in the write transaction and picks who takes ``start``."""
    day = start.astimezone(found.point.tz).date()
    reach = found.request.duration + policy.rules.buffer
    busy, stale = await busy_of(found.calendars, day, day, found.point.tz, reach, now)
    return choose(found, policy, busy, start, now, prefer), stale


async def _migrant(request: HandoverRequest, point: PointInfo, now: datetime) -> tuple[int, str]:
    """The migrant's contact and language: from their appointment, or a new contact."""
    if request.origin_id is not None:
        origin = (
            await Appointment.select(
                Appointment.contact,
                Appointment.language,
                Appointment.point.region.as_alias("region"),
            )
            .where(Appointment.id == request.origin_id)
            .first()
        )
        if origin is None or origin["region"] != point.region_id or origin["contact"] is None:
            raise InvalidInput("appointment")
        return origin["contact"], origin["language"]
    language = service_language(request.language or "")
    [contact_id] = await insert_returning_id(
        MigrantContact,
        [
            {
                "phone": mobile_e164(request.phone or ""),
                "language": language,
                "first_name": None,
                "created_at": now,
            }
        ],
    )
    return contact_id, language


def _attendees(appointment_id: int, found: Plan, interpreter: StaffInfo | None) -> list[dict]:
    """Who gets the invites: the agency's addresses, the interpreter and the consultant."""
    rows = [
        {
            "appointment": appointment_id,
            "role": InviteAttendee.AGENCY,
            "name": found.agency.name,
            "email": email,
            "staff": None,
            "agency": found.agency.id,
        }
        for email in found.agency.emails
    ]
    for role, person in (
        (InviteAttendee.INTERPRETER, interpreter),
        (InviteAttendee.CONSULTANT, found.consultant),
    ):
        if person is not None and person.email:
            rows.append(
                {
                    "appointment": appointment_id,
                    "role": role,
                    "name": person.name,
                    "email": person.email,
                    "staff": person.id,
                    "agency": None,
                }
            )
    for row in rows:
        row.update(partstat=InviteAttendee.NEEDS_ACTION, active=True, invited_sequence=0)
    return rows


def _interpreter_of(chosen: Sequence[tuple[str, StaffCalendar]]) -> int | None:
    return next((m.staff_id for role, m in chosen if role == Allocation.INTERPRETER), None)


def uninvited(found: Plan, interpreter: StaffInfo | None) -> list[str]:
    """Who would be booked without getting an invite: no e-mail address is known."""
    missing = [] if found.agency.emails else [found.agency.name]
    for person in (interpreter, found.consultant):
        if person is not None and not person.email:
            missing.append(person.name)
    return missing


async def book(
    catalog: Catalog,
    policy: Policy,
    request: HandoverRequest,
    start: datetime,
    *,
    now: datetime,
    require_emails: bool = False,
) -> int:
    """Books the handover and queues the invites and the migrant's text; returns its id.

    ``require_emails`` (the API) refuses a booking in which someone would get no invite;
    the staff screen books and shows a warning instead.

    Raises:
        SlotTaken (someone else took a resource), SlotNotOffered, NoEmail, InvalidInput and
        its kinds.
    """
    start = bookable_start(start, policy, now)
    _, hashed, salt = new_token(policy)

    async def attempt() -> int:
        day = start.date()
        found = await plan(catalog, request, day - timedelta(days=1), day + timedelta(days=1))
        async with write_transaction():
            chosen, stale = await _held(found, policy, start, now)
            interpreter_id = _interpreter_of(chosen)
            interpreter = (await staff_info([interpreter_id])).get(interpreter_id or 0)
            missing = uninvited(found, interpreter)
            if require_emails and missing:
                raise NoEmail("email", names=", ".join(missing))
            contact_id, language = await _migrant(found.request, found.point, now)
            [appointment_id] = await insert_returning_id(
                Appointment,
                [
                    {
                        "point": found.point.id,
                        "topic": found.topic.id,
                        "contact": contact_id,
                        "language": language,
                        "channel": Appointment.HANDOVER,
                        "status": Appointment.CONFIRMED,
                        "starts_at": start,
                        "ends_at": start + found.request.duration,
                        "held_until": None,
                        "manage_token_hash": hashed,
                        "manage_salt": salt,
                        "code_hash": None,
                        "code_attempts": 0,
                        "sequence": 0,
                        "created_at": now,
                        "updated_at": now,
                        **stamp(start, now, found.point.tz).columns(),
                    }
                ],
            )
            await insert_returning_id(
                Handover,
                [
                    {
                        "appointment": appointment_id,
                        "agency": found.agency.id,
                        "origin": found.request.origin_id,
                        "place": found.request.place,
                        "interpreter_language": found.request.interpreter_language,
                        "interpreter_mode": found.request.interpreter_mode,
                        "consultant_joins": found.request.consultant_joins,
                        "note": found.request.note,
                        "room": _room(found.request, salt),
                    }
                ],
            )
            await hold(_allocations(appointment_id, found, chosen, start, policy), stale, now)
            await insert_returning_id(
                InviteAttendee, _attendees(appointment_id, found, interpreter)
            )
            await handover_notices.booked(catalog, policy, appointment_id, now)
        return appointment_id

    return await retrying(attempt)


def _room(request: HandoverRequest, salt: str) -> str:
    """A video room name nobody can guess, when anyone takes part by video."""
    video = request.place == Handover.BY_VIDEO or request.interpreter_mode == StaffMember.BY_VIDEO
    return f"loket-{salt[:20]}" if video else ""


async def reschedule(
    catalog: Catalog, policy: Policy, appointment_id: int, new_start: datetime, *, now: datetime
) -> None:
    """Moves every resource to ``new_start`` or none. The interpreter stays if free; one
    swapped out gets a cancellation, the new one an invite, everyone else an update."""
    start = bookable_start(new_start, policy, now)

    async def attempt() -> None:
        async with write_transaction():
            row = await locked_appointment(appointment_id)
            if row["channel"] != Appointment.HANDOVER:
                raise InvalidInput("appointment")
            if row["status"] != Appointment.CONFIRMED or row["starts_at"] <= now:
                raise AppointmentClosed("status")
            request, interpreter_before = await stored_request(row)
            day = start.date()
            found = await plan(catalog, request, day - timedelta(days=1), day + timedelta(days=1))
            await Allocation.update({Allocation.live: False}).where(
                (Allocation.appointment == appointment_id) & (Allocation.live == True)
            )
            chosen, stale = await _held(found, policy, start, now, prefer=interpreter_before)
            await hold(_allocations(appointment_id, found, chosen, start, policy), stale, now)
            await Appointment.update(
                {
                    Appointment.starts_at: start,
                    Appointment.ends_at: start + request.duration,
                    Appointment.sequence: Appointment.sequence + 1,
                    Appointment.updated_at: now,
                    **stamp(start, row["created_at"], found.point.tz).columns(),
                }
            ).where(Appointment.id == appointment_id)
            await Handover.update({Handover.declined_at: None}).where(
                Handover.appointment == appointment_id
            )
            removed = await _swap_interpreter(
                appointment_id, interpreter_before, chosen, row["sequence"] + 1
            )
            await InviteAttendee.update(
                {InviteAttendee.partstat: InviteAttendee.NEEDS_ACTION}
            ).where(
                (InviteAttendee.appointment == appointment_id) & (InviteAttendee.active == True)
            )
            await handover_notices.moved(catalog, policy, appointment_id, now, removed=removed)

    await retrying(attempt)


async def _swap_interpreter(
    appointment_id: int,
    before: int | None,
    chosen: Sequence[tuple[str, StaffCalendar]],
    sequence: int,
) -> list[int]:
    """Retires the invite of an interpreter who was swapped out and invites the new one
    (their first invite is at ``sequence``); returns the retired attendees, who get a
    cancellation."""
    after = _interpreter_of(chosen)
    if after == before:
        return []
    old = await InviteAttendee.select(InviteAttendee.id).where(
        (InviteAttendee.appointment == appointment_id)
        & (InviteAttendee.role == InviteAttendee.INTERPRETER)
        & (InviteAttendee.active == True)
    )
    removed = [r["id"] for r in old]
    if removed:
        await InviteAttendee.update({InviteAttendee.active: False}).where(
            InviteAttendee.id.is_in(removed)
        )
    person = (await staff_info([after])).get(after or 0)
    if person is not None and person.email:
        await insert_returning_id(
            InviteAttendee,
            [
                {
                    "appointment": appointment_id,
                    "role": InviteAttendee.INTERPRETER,
                    "name": person.name,
                    "email": person.email,
                    "staff": person.id,
                    "agency": None,
                    "partstat": InviteAttendee.NEEDS_ACTION,
                    "active": True,
                    "invited_sequence": sequence,
                }
            ],
        )
    return removed


#: What an outcome says about the appointment itself.
OUTCOME_STATUS = {
    Handover.TOOK_PLACE: Appointment.DONE,
    Handover.MIGRANT_ABSENT: Appointment.NO_SHOW,
    Handover.AGENCY_ABSENT: Appointment.DONE,
    Handover.MOVED: Appointment.DONE,
}
RECORDABLE = (Appointment.CONFIRMED, Appointment.ARRIVED, Appointment.NO_SHOW, Appointment.DONE)


async def record_outcome(appointment_id: int, outcome: str, *, now: datetime) -> None:
    """What happened, once it began: it took place, the migrant or the agency was absent, or
    it was moved outside Loket. A later answer corrects an earlier one."""
    if outcome not in OUTCOME_STATUS:
        raise InvalidInput("outcome")
    async with write_transaction():
        row = await locked_appointment(appointment_id)
        if row["channel"] != Appointment.HANDOVER:
            raise InvalidInput("appointment")
        if row["status"] not in RECORDABLE:
            raise AppointmentClosed("status")
        if now < row["starts_at"]:
            raise NotStartedYet("outcome")
        await Handover.update({Handover.outcome: outcome, Handover.outcome_at: now}).where(
            Handover.appointment == appointment_id
        )
        await Appointment.update(
            {Appointment.status: OUTCOME_STATUS[outcome], Appointment.updated_at: now}
        ).where(Appointment.id == appointment_id)
