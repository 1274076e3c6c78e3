"""Which future appointments a change to master data leaves stranded.

Changes to hours never silently break existing appointments: after a coordinator changes a
point's hours, exceptions or visits, or someone's schedule or absences, the screens list
the booked appointments that no longer fit, so staff can move them. The check reads each
point's setup afresh (not the per-process Catalog), so it sees the change just committed.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from booking.db.tables import Allocation, Appointment, Point, StaffPoint
from booking.domain.intervals import Interval, subtract
from booking.domain.opening_hours import zone
from booking.services.point_setup import PointSetup, load_point_setup

#: Appointments that still count on their point and people.
STILL_BOOKED = (Appointment.HELD, Appointment.CONFIRMED)
#: Roles whose working time an appointment depends on (agencies have their own hours).
STAFF_ROLES = (Allocation.CONSULTANT, Allocation.INTERPRETER)


@dataclass(frozen=True, slots=True)
class AffectedAppointment:
    id: int
    point_id: int
    point_name: str
    timezone: str
    starts_at: datetime
    ends_at: datetime
    status: str
    #: The point is not open for the whole appointment (closed, shorter hours, inactive).
    outside_hours: bool
    #: Names of the consultant or interpreter it holds who no longer work all of it.
    staff_missing: tuple[str, ...]

    @property
    def tz(self) -> ZoneInfo:
        return zone(self.timezone)


async def affected_appointments(
    point_ids: Iterable[int], now: datetime
) -> list[AffectedAppointment]:
    """Future held or confirmed appointments at ``point_ids`` that no longer fit, soonest first.

    An appointment fits when the point is open for all of it and every consultant or
    interpreter it holds is scheduled there for all of it, absences removed. A hold whose
    time to confirm has passed is no appointment and is left out.
    """
    ids = sorted(set(point_ids))
    if not ids:
        return []
    booked = await (
        Appointment.select(
            Appointment.id,
            Appointment.point,
            Appointment.starts_at,
            Appointment.ends_at,
            Appointment.status,
        )
        .where(
            Appointment.point.is_in(ids)
            & Appointment.status.is_in(list(STILL_BOOKED))
            & (Appointment.starts_at > now)
            & (
                (Appointment.status == Appointment.CONFIRMED)
                | Appointment.held_until.is_null()
                | (Appointment.held_until > now)
            )
        )
        .order_by(Appointment.starts_at)
    )
    if not booked:
        return []
    held = await Allocation.select(
        Allocation.appointment, Allocation.staff, Allocation.staff.name.as_alias("name")
    ).where(
        Allocation.appointment.is_in([b["id"] for b in booked])
        & (Allocation.live == True)
        & Allocation.role.is_in(list(STAFF_ROLES))
        & Allocation.staff.is_not_null()
    )
    staff_of: dict[int, list[tuple[int, str]]] = {}
    for h in held:
        staff_of.setdefault(h["appointment"], []).append((h["staff"], h["name"]))
    points = {
        p["id"]: p
        for p in await Point.select(Point.id, Point.name, Point.timezone).where(
            Point.id.is_in(sorted({b["point"] for b in booked}))
        )
    }
    setups: dict[int, PointSetup | None] = {}
    for point_id in points:
        mine = [b for b in booked if b["point"] == point_id]
        # UTC dates with a day's margin each side cover every local date of the point.
        first = min(b["starts_at"] for b in mine).date() - timedelta(days=1)
        last = max(b["ends_at"] for b in mine).date() + timedelta(days=1)
        setups[point_id] = await load_point_setup(point_id, first, last)
    affected = []
    for b in booked:
        point = points[b["point"]]
        outside, missing = _misfit(
            setups[b["point"]],
            Interval(b["starts_at"], b["ends_at"]),
            staff_of.get(b["id"], []),
        )
        if outside or missing:
            affected.append(
                AffectedAppointment(
                    id=b["id"],
                    point_id=point["id"],
                    point_name=point["name"],
                    timezone=point["timezone"],
                    starts_at=b["starts_at"],
                    ends_at=b["ends_at"],
                    status=b["status"],
                    outside_hours=outside,
                    staff_missing=missing,
                )
            )
    return affected


def _misfit(
    setup: PointSetup | None, held: Interval, staff: list[tuple[int, str]]
) -> tuple[bool, tuple[str, ...]]:
    """Whether ``held`` lies outside the point's hours, and who of ``staff`` is not working."""
    if setup is None:
        return True, ()
    tz = setup.point.tz
    first, last = held.start.astimezone(tz).date(), held.end.astimezone(tz).date()
    point_open = setup.hours.intervals(tz, first, last)
    missing = []
    for staff_id, name in staff:
        person = setup.person(staff_id)
        working = (
            subtract(person.schedule.intervals(tz, first, last), setup.absences.get(staff_id, ()))
            if person
            else []
        )
        if not _within(held, working):
            missing.append(name)
    return not _within(held, point_open), tuple(missing)


def _within(held: Interval, intervals: Iterable[Interval]) -> bool:
    return any(i.contains(held) for i in intervals)


async def points_of_staff(staff_id: int, now: datetime) -> set[int]:
    """Where a change to ``staff_id``'s schedule, absences or points can strand appointments:
    the points they serve and those where they hold future appointments."""
    served = await StaffPoint.select(StaffPoint.point).where(StaffPoint.staff == staff_id)
    holding = await Allocation.select(Allocation.appointment.point.as_alias("point")).where(
        (Allocation.staff == staff_id) & (Allocation.live == True) & (Allocation.ends_at > now)
    )
    return {r["point"] for r in served} | {r["point"] for r in holding}
