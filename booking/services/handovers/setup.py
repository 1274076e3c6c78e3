"""What a warm handover can hold, read from the database: the agency's places, interpreters
for the language and mode, and the consultant, each with their working time over some days.

A staff member's handover time is their weekly schedule at any point (a handover may be at
the agency or by video, away from the point's opening hours) minus absences and public
holidays; an agency's place n is open in the hours that take at least n handovers at once.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta, tzinfo

from booking.db.tables import (
    Agency,
    AgencyHours,
    AgencyTopic,
    Allocation,
    StaffAbsence,
    StaffMember,
    StaffSchedule,
)
from booking.domain.availability import StaffCalendar
from booking.domain.common_slots import Group
from booking.domain.intervals import Interval, normalize, subtract
from booking.domain.opening_hours import (
    WallHours,
    WeeklyHours,
    WeeklyPattern,
    holidays_between,
    local_day_bounds,
)
from booking.services.busy import busy_by_resource
from booking.services.point_values import staff_resource


def agency_resource(agency_id: int, place: int) -> str:
    """The key under which the database forbids two handovers in one place of an agency."""
    return f"agency:{agency_id}:{place}"


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    id: int
    name: str
    address: str
    region_id: int | None
    by_arrangement: bool
    emails: tuple[str, ...]
    topics: frozenset[int]
    active: bool
    video_only: bool = False

    def handles(self, topic_id: int) -> bool:
        """An agency without a topic list takes any topic."""
        return not self.topics or topic_id in self.topics


@dataclass(frozen=True, slots=True)
class StaffInfo:
    id: int
    name: str
    kind: str
    region_id: int | None
    languages: frozenset[str]
    modes: frozenset[str]
    email: str
    active: bool


@dataclass(frozen=True, slots=True)
class Calendars:
    """Working time of everyone a handover could hold over some days, without bookings yet.

    Attributes:
        places: the agency's places, numbered from 1; empty for an agency by arrangement.
        interpreters: interpreters able to come, by staff id; empty when none is needed.
        consultant: the consultant's working time; None when they do not join.
    """

    places: tuple[tuple[Interval, ...], ...]
    interpreters: Mapping[int, tuple[Interval, ...]]
    consultant: tuple[int, tuple[Interval, ...]] | None
    agency_id: int

    def resources(self) -> list[str]:
        keys = [agency_resource(self.agency_id, n) for n in range(1, len(self.places) + 1)]
        keys += [staff_resource(i) for i in self.interpreters]
        if self.consultant is not None:
            keys.append(staff_resource(self.consultant[0]))
        return keys

    def groups(
        self,
        busy: Mapping[str, Sequence[Interval]],
        *,
        by_arrangement: bool,
        needs_interpreter: bool,
        buffer: timedelta,
        prefer_interpreter: int | None = None,
    ) -> list[Group]:
        """The groups a handover needs one member of each, with what is already booked."""

        def calendar(key: str, staff_id: int, working: Sequence[Interval]) -> StaffCalendar:
            return StaffCalendar.of(staff_id, frozenset(), working, normalize(busy.get(key, ())))

        groups = []
        if not by_arrangement:
            places = tuple(
                calendar(agency_resource(self.agency_id, n), n, working)
                for n, working in enumerate(self.places, start=1)
            )
            groups.append(Group(Allocation.AGENCY, places))
        if needs_interpreter:
            helpers = tuple(
                calendar(staff_resource(i), i, working) for i, working in self.interpreters.items()
            )
            groups.append(Group(Allocation.INTERPRETER, helpers, buffer, prefer_interpreter))
        if self.consultant is not None:
            staff_id, working = self.consultant
            groups.append(
                Group(
                    Allocation.CONSULTANT,
                    (calendar(staff_resource(staff_id), staff_id, working),),
                    buffer,
                )
            )
        return groups


async def agency_info(agency_id: int) -> AgencyInfo | None:
    row = await Agency.select().where(Agency.id == agency_id).first()
    if row is None:
        return None
    topics = await AgencyTopic.select(AgencyTopic.topic).where(AgencyTopic.agency == agency_id)
    return AgencyInfo(
        id=row["id"],
        name=row["name"],
        address=row["address"],
        region_id=row["region"],
        by_arrangement=row["by_arrangement"],
        emails=tuple(e for e in (row["email"], *(row["other_emails"] or ())) if e),
        topics=frozenset(t["topic"] for t in topics),
        active=row["active"],
        video_only=row["video_only"],
    )


def _staff_info(row: Mapping) -> StaffInfo:
    return StaffInfo(
        id=row["id"],
        name=row["name"],
        kind=row["kind"],
        region_id=row["region"],
        languages=frozenset(row["languages"] or ()),
        modes=frozenset(row["interpreter_modes"] or ()),
        email=row["email"],
        active=row["active"],
    )


async def staff_info(staff_ids: Sequence[int]) -> dict[int, StaffInfo]:
    if not staff_ids:
        return {}
    rows = await StaffMember.select().where(StaffMember.id.is_in(list(staff_ids)))
    return {r["id"]: _staff_info(r) for r in rows}


async def interpreters_for(language: str, mode: str, region_id: int | None) -> list[StaffInfo]:
    """Active interpreters for ``language`` who work in ``mode``, of the region or of none."""
    rows = await StaffMember.select().where(
        (StaffMember.kind == StaffMember.INTERPRETER) & (StaffMember.active == True)
    )
    found = [_staff_info(r) for r in rows]
    return [
        s
        for s in found
        if language in s.languages
        and mode in s.modes
        and (s.region_id is None or s.region_id == region_id)
    ]


async def working_times(
    staff_ids: Sequence[int], tz: tzinfo, first: date, last: date
) -> dict[int, tuple[Interval, ...]]:
    """Each person's schedule at any point over [first, last], without absences and holidays."""
    if not staff_ids:
        return {}
    ids = list(staff_ids)
    schedules = await StaffSchedule.select().where(StaffSchedule.staff.is_in(ids))
    span = local_day_bounds(first, last, tz)
    absences = await StaffAbsence.select().where(
        StaffAbsence.staff.is_in(ids)
        & (StaffAbsence.starts_at < span.end)
        & (StaffAbsence.ends_at > span.start)
    )
    holidays = frozenset(holidays_between(first, last))
    result = {}
    for staff_id in ids:
        pattern = WeeklyPattern(
            weekly=tuple(
                WeeklyHours(
                    s["weekday"], WallHours(s["starts"], s["ends"]), s["valid_from"], s["valid_to"]
                )
                for s in schedules
                if s["staff"] == staff_id and s["starts"] < s["ends"]
            ),
            holidays=holidays,
        )
        away = [
            Interval(a["starts_at"], a["ends_at"])
            for a in absences
            if a["staff"] == staff_id and a["starts_at"] < a["ends_at"]
        ]
        schedule = pattern.intervals(tz, first, last)
        result[staff_id] = tuple(subtract(schedule, normalize(away)))
    return result


async def agency_places(
    agency_id: int, tz: tzinfo, first: date, last: date
) -> tuple[tuple[Interval, ...], ...]:
    """Place n of the agency is open where its handover hours take at least n at once."""
    rows = await AgencyHours.select().where(AgencyHours.agency == agency_id)
    rows = [r for r in rows if r["opens"] < r["closes"] and r["capacity"] > 0]
    holidays = frozenset(holidays_between(first, last))
    places = []
    for n in range(1, max((r["capacity"] for r in rows), default=0) + 1):
        pattern = WeeklyPattern(
            weekly=tuple(
                WeeklyHours(
                    r["weekday"], WallHours(r["opens"], r["closes"]), r["valid_from"], r["valid_to"]
                )
                for r in rows
                if r["capacity"] >= n
            ),
            holidays=holidays,
        )
        places.append(tuple(pattern.intervals(tz, first, last)))
    return tuple(places)


async def load_calendars(
    *,
    agency: AgencyInfo,
    interpreters: Sequence[StaffInfo],
    consultant_id: int | None,
    tz: tzinfo,
    first: date,
    last: date,
) -> Calendars:
    people = [i.id for i in interpreters] + ([consultant_id] if consultant_id else [])
    working = await working_times(people, tz, first, last)
    return Calendars(
        places=() if agency.by_arrangement else await agency_places(agency.id, tz, first, last),
        interpreters={i.id: working[i.id] for i in interpreters},
        consultant=(consultant_id, working[consultant_id]) if consultant_id else None,
        agency_id=agency.id,
    )


async def busy_of(
    calendars: Calendars, first: date, last: date, tz: tzinfo, reach: timedelta, now: datetime
) -> tuple[dict[str, list[Interval]], frozenset[str]]:
    """Live allocations of every resource the handover could hold, end overhang included."""
    span = local_day_bounds(first, last, tz)
    return await busy_by_resource(
        calendars.resources(), Interval(span.start, span.end + reach), now
    )
