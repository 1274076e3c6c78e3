"""The day as staff see it: appointments per point or per consultant, and call-back requests."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from booking.db.tables import Allocation, Appointment, CallbackRequest, Handover, MigrantContact
from booking.db.transactions import write_transaction
from booking.domain.opening_hours import local_day_bounds, zone
from booking.domain.phone import masked

#: Statuses an agenda shows; cancelled ones and ended holds are not work any more.
SHOWN = (
    Appointment.HELD,
    Appointment.CONFIRMED,
    Appointment.ARRIVED,
    Appointment.NO_SHOW,
    Appointment.DONE,
)


@dataclass(frozen=True, slots=True)
class AgendaItem:
    id: int
    point_id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    channel: str
    language: str
    topic_id: int
    consultant: str
    interpreter: str | None
    first_name: str | None
    phone_hint: str | None
    #: The migrant answered "1" to a reminder.
    will_come: bool
    #: For a warm handover: the agency and where it meets (Handover.PLACES).
    agency: str | None = None
    handover_place: str | None = None


async def day(
    *, day: date, timezone: str, point_ids: Sequence[int], staff_id: int | None = None
) -> list[AgendaItem]:
    """One local day of ``point_ids``, or only what ``staff_id`` serves there; two queries,
    three with handovers."""
    span = local_day_bounds(day, day, zone(timezone))
    query = Appointment.select(
        Appointment.all_columns(),
        Appointment.contact.first_name.as_alias("first_name"),
        Appointment.contact.phone.as_alias("phone"),
    ).where(
        Appointment.point.is_in(list(point_ids))
        & (Appointment.starts_at >= span.start)
        & (Appointment.starts_at < span.end)
        & Appointment.status.is_in(list(SHOWN))
    )
    if staff_id is not None:
        query = query.where(
            Appointment.id.is_in(
                Allocation.select(Allocation.appointment).where(
                    (Allocation.staff == staff_id) & (Allocation.live == True)
                )
            )
        )
    rows = await query.order_by(Appointment.starts_at)
    if not rows:
        return []
    held = await Allocation.select(
        Allocation.appointment, Allocation.role, Allocation.staff.name.as_alias("name")
    ).where(Allocation.appointment.is_in([r["id"] for r in rows]) & (Allocation.live == True))
    people: dict[tuple[int, str], str] = {(h["appointment"], h["role"]): h["name"] for h in held}
    handovers = [r["id"] for r in rows if r["channel"] == Appointment.HANDOVER]
    meets = {
        h["appointment"]: (h["agency"], h["place"])
        for h in (
            await Handover.select(
                Handover.appointment, Handover.place, Handover.agency.name.as_alias("agency")
            ).where(Handover.appointment.is_in(handovers))
            if handovers
            else []
        )
    }
    return [
        AgendaItem(
            id=r["id"],
            point_id=r["point"],
            starts_at=r["starts_at"],
            ends_at=r["ends_at"],
            status=r["status"],
            channel=r["channel"],
            language=r["language"],
            topic_id=r["topic"],
            consultant=people.get((r["id"], Allocation.CONSULTANT), ""),
            interpreter=people.get((r["id"], Allocation.INTERPRETER)),
            first_name=r["first_name"],
            phone_hint=masked(r["phone"]) if r["phone"] else None,
            will_come=r["reply_confirmed_at"] is not None,
            agency=meets.get(r["id"], (None, None))[0],
            handover_place=meets.get(r["id"], (None, None))[1],
        )
        for r in rows
    ]


@dataclass(frozen=True, slots=True)
class Callback:
    id: int
    point_id: int
    created_at: datetime
    language: str
    phone: str | None


async def request_callback(point_id: int, phone: str, language: str, now: datetime) -> int:
    """The voice line's "call me back": a request on the telephone point's agenda."""
    async with write_transaction():
        contact = await MigrantContact.insert(
            MigrantContact(phone=phone, language=language, created_at=now)
        )
        created = await CallbackRequest.insert(
            CallbackRequest(
                point=point_id, contact=contact[0]["id"], language=language, created_at=now
            )
        )
    return created[0]["id"]


async def open_callbacks(point_ids: Sequence[int]) -> list[Callback]:
    if not point_ids:
        return []
    rows = await (
        CallbackRequest.select(
            CallbackRequest.all_columns(), CallbackRequest.contact.phone.as_alias("phone")
        )
        .where(
            CallbackRequest.point.is_in(list(point_ids))
            & (CallbackRequest.status == CallbackRequest.OPEN)
        )
        .order_by(CallbackRequest.created_at)
    )
    return [Callback(r["id"], r["point"], r["created_at"], r["language"], r["phone"]) for r in rows]


async def close_callback(callback_id: int, account_id: int, now: datetime) -> int | None:
    """Marks a call-back done; returns its point, or None if it was not open."""
    done = (
        await CallbackRequest.update(
            {
                CallbackRequest.status: CallbackRequest.DONE,
                CallbackRequest.done_at: now,
                CallbackRequest.done_by: account_id,
            }
        )
        .where(
            (CallbackRequest.id == callback_id) & (CallbackRequest.status == CallbackRequest.OPEN)
        )
        .returning(CallbackRequest.point)
    )
    return done[0]["point"] if done else None
