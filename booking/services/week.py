"""A point's week as the week calendar shows it, in two statements (three when cold).

Beside the catalog revision, the point's hours, its people's schedules and absences come
from the catalog (one statement when not cached, booking/services/point_master.py) and the
week's appointments with the staff they hold from one join. The layout itself is pure
(booking/domain/week_layout.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from booking.db.tables import Allocation, StaffMember
from booking.domain.errors import UnknownPoint
from booking.domain.opening_hours import local_day_bounds
from booking.domain.policy import Policy
from booking.domain.week_layout import (
    Booked,
    DayGrid,
    DayPlan,
    Lane,
    lay_out_day,
    week_days,
    window,
)
from booking.services.agenda import SHOWN
from booking.services.point_setup import Catalog, PointInfo, PointSetup, current_revision


@dataclass(frozen=True, slots=True)
class WeekItem:
    """What a block says about an appointment: no name or number, only the work."""

    id: int
    starts_at: datetime
    ends_at: datetime
    status: str
    channel: str
    language: str
    topic_id: int


@dataclass(frozen=True, slots=True)
class Week:
    point: PointInfo
    monday: date
    lanes: tuple[Lane, ...]
    days: tuple[DayGrid, ...]
    items: dict[int, WeekItem]
    #: The length of a free cell: the slot grid, at least half an hour where it divides it.
    cell: timedelta


def free_cell(grid: timedelta) -> timedelta:
    """Free times are offered per half hour when the grid divides it, else per grid step."""
    half = timedelta(minutes=30)
    return half if grid < half and half % grid == timedelta(0) else grid


async def load_week(
    catalog: Catalog, policy: Policy, point_id: int, monday: date, now: datetime
) -> Week:
    """The week from ``monday`` at the point, laid out; UnknownPoint if it is not active."""
    days = week_days(monday)
    setup = await catalog.point(
        point_id,
        await current_revision(),
        days[0],
        days[-1],
        policy.today(now),
        policy.horizon_days,
    )
    if setup is None:
        raise UnknownPoint("point")
    tz = setup.point.tz
    span = local_day_bounds(days[0], days[-1], tz)
    rows = await Allocation.select(
        Allocation.staff,
        Allocation.role,
        Allocation.staff.name.as_alias("staff_name"),
        *(
            getattr(Allocation.appointment, c).as_alias(c)
            for c in ("id", "starts_at", "ends_at", "status", "channel", "language", "topic")
        ),
    ).where(
        (Allocation.appointment.point == point_id)
        & (Allocation.appointment.starts_at < span.end)
        & (Allocation.appointment.ends_at > span.start)
        & Allocation.appointment.status.is_in(list(SHOWN))
        & (Allocation.live == True)
        & Allocation.staff.is_not_null()
    )
    items = {
        r["id"]: WeekItem(
            r["id"],
            r["starts_at"],
            r["ends_at"],
            r["status"],
            r["channel"],
            r["language"],
            r["topic"],
        )
        for r in rows
    }
    held: dict[int, set[int]] = {}
    for r in rows:
        held.setdefault(r["id"], set()).add(r["staff"])
    booked = [
        Booked(i.id, frozenset(held[i.id]), i.starts_at, i.ends_at)
        for i in sorted(items.values(), key=lambda i: (i.starts_at, i.id))
    ]
    lanes = _lanes(setup, rows)
    plans = [_day_plan(setup, day) for day in days]
    wall = window(plans, booked, tz)
    cell = free_cell(policy.rules.grid)
    return Week(
        point=setup.point,
        monday=monday,
        lanes=lanes,
        days=tuple(
            lay_out_day(
                plan,
                lanes,
                booked,
                tz=tz,
                wall=wall,
                cell=cell,
                now=now,
                bookable=policy.rules.bookable_starts(now),
                buffer=policy.rules.buffer,
            )
            for plan in plans
        ),
        items=items,
        cell=cell,
    )


def _day_plan(setup: PointSetup, day: date) -> DayPlan:
    tz = setup.point.tz
    bounds = local_day_bounds(day, day, tz)
    return DayPlan(
        day=day,
        open=tuple(setup.hours.intervals(tz, day, day)),
        schedules={p.id: p.schedule.intervals(tz, day, day) for p in setup.people},
        absences={
            p.id: [a for a in setup.absences.get(p.id, ()) if a.overlaps(bounds)]
            for p in setup.people
        },
    )


def _lanes(setup: PointSetup, rows: list[dict]) -> tuple[Lane, ...]:
    """Consultants, then interpreters, by name; people booked here without a schedule here
    (a colleague standing in) get a lane too, without free times."""
    lanes = {
        p.id: Lane(p.id, p.name, p.kind, bookable=p.kind == StaffMember.CONSULTANT)
        for p in setup.people
    }
    for r in rows:
        if r["staff"] not in lanes:
            kind = (
                StaffMember.CONSULTANT
                if r["role"] == Allocation.CONSULTANT
                else StaffMember.INTERPRETER
            )
            lanes[r["staff"]] = Lane(r["staff"], r["staff_name"], kind, bookable=False)
    return tuple(
        sorted(
            lanes.values(),
            key=lambda lane: (lane.kind != StaffMember.CONSULTANT, lane.name, lane.id),
        )
    )
