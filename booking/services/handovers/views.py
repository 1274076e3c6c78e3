"""Handovers as staff see them: who is held, how the invitees answered, what happened."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from booking.db.tables import Allocation, Appointment, Handover, InviteAttendee
from booking.domain.errors import AppointmentNotFound


@dataclass(frozen=True, slots=True)
class InviteeView:
    id: int
    role: str
    name: str
    email: str
    partstat: str
    active: bool


@dataclass(frozen=True, slots=True)
class HandoverView:
    id: int
    point_id: int
    topic_id: int
    status: str
    language: str
    starts_at: datetime
    ends_at: datetime
    sequence: int
    agency_id: int
    agency_name: str
    place: str
    interpreter_language: str | None
    interpreter_mode: str | None
    interpreter_id: int | None
    interpreter_name: str | None
    consultant_id: int | None
    consultant_name: str | None
    consultant_joins: bool
    note: str
    room: str
    origin_id: int | None
    declined_at: datetime | None
    outcome: str | None
    invitees: tuple[InviteeView, ...]

    @property
    def uninvited(self) -> list[str]:
        """Who is booked but gets no invites, for want of an e-mail address."""
        invited = {i.role for i in self.invitees if i.active}
        held = (
            (InviteAttendee.AGENCY, self.agency_name),
            (InviteAttendee.INTERPRETER, self.interpreter_name if self.interpreter_id else None),
            (InviteAttendee.CONSULTANT, self.consultant_name if self.consultant_id else None),
        )
        return [name for role, name in held if name and role not in invited]

    @property
    def declined(self) -> bool:
        """Someone invited said no to the current time: the consultant should act."""
        return self.declined_at is not None


COLUMNS = (
    Handover.appointment.as_alias("id"),
    Handover.appointment.point.as_alias("point_id"),
    Handover.appointment.topic.as_alias("topic_id"),
    Handover.appointment.status.as_alias("status"),
    Handover.appointment.language.as_alias("language"),
    Handover.appointment.starts_at.as_alias("starts_at"),
    Handover.appointment.ends_at.as_alias("ends_at"),
    Handover.appointment.sequence.as_alias("sequence"),
    Handover.agency.as_alias("agency_id"),
    Handover.agency.name.as_alias("agency_name"),
    Handover.place,
    Handover.interpreter_language,
    Handover.interpreter_mode,
    Handover.consultant_joins,
    Handover.note,
    Handover.room,
    Handover.origin.as_alias("origin_id"),
    Handover.declined_at,
    Handover.outcome,
)


async def _views(rows: Sequence[dict]) -> list[HandoverView]:
    ids = [r["id"] for r in rows]
    if not ids:
        return []
    held = await Allocation.select(
        Allocation.appointment, Allocation.role, Allocation.staff, Allocation.staff.name
    ).where(Allocation.appointment.is_in(ids) & (Allocation.live == True))
    invited = await (
        InviteAttendee.select()
        .where(InviteAttendee.appointment.is_in(ids))
        .order_by(InviteAttendee.id)
    )
    views = []
    for row in rows:
        people = {
            h["role"]: (h["staff"], h["staff.name"]) for h in held if h["appointment"] == row["id"]
        }
        invitees = [i for i in invited if i["appointment"] == row["id"]]
        consultant = people.get(Allocation.CONSULTANT) or next(
            (
                (i["staff"], i["name"])
                for i in invitees
                if i["role"] == InviteAttendee.CONSULTANT and i["active"]
            ),
            (None, None),
        )
        interpreter = people.get(Allocation.INTERPRETER, (None, None))
        views.append(
            HandoverView(
                **row,
                interpreter_id=interpreter[0],
                interpreter_name=interpreter[1],
                consultant_id=consultant[0],
                consultant_name=consultant[1],
                invitees=tuple(
                    InviteeView(
                        i["id"], i["role"], i["name"], i["email"], i["partstat"], i["active"]
                    )
                    for i in invitees
                ),
            )
        )
    return views


async def handover(appointment_id: int) -> HandoverView:
    rows = await Handover.select(*COLUMNS).where(Handover.appointment == appointment_id)
    found = await _views(rows)
    if not found:
        raise AppointmentNotFound("handover")
    return found[0]


async def handovers(
    point_ids: Sequence[int],
    *,
    starting: datetime,
    before: datetime,
    declined_only: bool = False,
    limit: int = 200,
) -> list[HandoverView]:
    """Handovers of these points starting in [starting, before), earliest first."""
    if not point_ids:
        return []
    query = Handover.select(*COLUMNS).where(
        Handover.appointment.point.is_in(list(point_ids))
        & (Handover.appointment.starts_at >= starting)
        & (Handover.appointment.starts_at < before)
    )
    if declined_only:
        query = query.where(
            Handover.declined_at.is_not_null()
            & (Handover.appointment.status == Appointment.CONFIRMED)
        )
    rows = await query.order_by(Handover.appointment.starts_at).limit(limit)
    return await _views(rows)
