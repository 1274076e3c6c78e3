"""What availability needs to know about a point, loaded in a fixed number of queries.

Master data (hours, exceptions, visits, staff, schedules, absences, topics) changes rarely
and is cached per process, keyed by the catalog revision that database triggers bump on
every change. What a search reads fresh each time is the revision and the live allocations.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from booking.db import rows
from booking.db.tables import OpeningException, Point, StaffMember, Topic
from booking.domain.availability import Shift, StaffCalendar, working_time
from booking.domain.intervals import Interval, normalize
from booking.domain.opening_hours import (
    WallHours,
    WeeklyHours,
    WeeklyPattern,
    by_day,
    holidays_between,
)
from booking.services.point_master import read_point_master
from booking.services.point_values import Person, PointInfo, TopicInfo, Visit

#: Search ranges whose shifts a setup keeps (most searches start today or tomorrow).
MAX_CACHED_RANGES = 64
#: A cached setup's bytes, estimated (tracemalloc on the demo points): the setup, each of
#: its people with their hours, and each person's day of memoised working time.
SETUP_BYTES, PERSON_BYTES, PERSON_DAY_BYTES = 4_096, 3_300, 90


@dataclass(slots=True)
class PointSetup:
    """A point's hours and people for the days [first, last]; per-day results memoised."""

    point: PointInfo
    hours: WeeklyPattern
    people: tuple[Person, ...]
    absences: Mapping[int, tuple[Interval, ...]]
    holidays: Mapping[date, str]
    visits: tuple[Visit, ...]
    first: date
    last: date
    _days: dict[date, tuple[list[Interval], dict[int, list[Interval]]]] = field(
        default_factory=dict
    )
    _shifts: dict[tuple[date, date], dict[int, Shift]] = field(default_factory=dict)

    def covers(self, first: date, last: date) -> bool:
        return self.first <= first and last <= self.last

    @property
    def weight(self) -> int:
        """Estimated bytes held, memoised days included: what the cache budgets by."""
        days = len(self._days) + sum((b - a).days + 1 for a, b in self._shifts)
        return SETUP_BYTES + len(self.people) * (PERSON_BYTES + days * PERSON_DAY_BYTES)

    def visit_on(self, day: date) -> Visit | None:
        return next((v for v in self.visits if v.day == day), None)

    def person(self, staff_id: int) -> Person | None:
        return next((p for p in self.people if p.id == staff_id), None)

    def people_for(self, language: str) -> list[Person]:
        """Who can take part in a slot for ``language`` (DOMAIN.md rule 3): consultants who
        speak it, and only when an interpreter for it exists, the other consultants and
        those interpreters."""
        speakers = [p for p in self.people if language in p.languages]
        if not any(p.kind == StaffMember.INTERPRETER for p in speakers):
            return [p for p in speakers if p.kind == StaffMember.CONSULTANT]
        return [p for p in self.people if p.kind == StaffMember.CONSULTANT or p in speakers]

    def calendars(
        self, first: date, last: date, busy: Mapping[str, Sequence[Interval]], language: str
    ) -> tuple[list[StaffCalendar], list[StaffCalendar]]:
        """Consultants and interpreters for ``language`` as availability sees them."""
        consultants, interpreters = [], []
        shifts = self._shifts_for(first, last)
        for person in self.people_for(language):
            calendar = StaffCalendar(
                shifts[person.id], tuple(normalize(busy.get(person.resource, ())))
            )
            if person.kind == StaffMember.CONSULTANT:
                consultants.append(calendar)
            else:
                interpreters.append(calendar)
        return consultants, interpreters

    def _shifts_for(self, first: date, last: date) -> dict[int, Shift]:
        """Everyone's shift over [first, last], kept for the next search of the same range."""
        key = (first, last)
        if key not in self._shifts:
            if len(self._shifts) >= MAX_CACHED_RANGES:
                self._shifts.clear()
            days = [self._day(day)[1] for day in _days(first, last)]
            self._shifts[key] = {
                p.id: Shift(p.id, p.languages, tuple(i for d in days for i in d.get(p.id, ())))
                for p in self.people
            }
        return self._shifts[key]

    def _day(self, day: date) -> tuple[list[Interval], dict[int, list[Interval]]]:
        if day not in self._days:
            tz = self.point.tz
            point_open = self.hours.intervals(tz, day, day)
            working = {}
            if point_open:
                for person in self.people:
                    own = working_time(
                        point_open,
                        person.schedule.intervals(tz, day, day),
                        self.absences.get(person.id, ()),
                    )
                    if own:
                        working[person.id] = list(own)
            self._days[day] = (point_open, working)
        return self._days[day]


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


async def current_revision() -> int:
    """Read on every request, so as a plain statement (see booking.db.rows)."""
    found = await rows.fetch_tuples("SELECT revision FROM catalog_revision")
    return found[0][0] if found else 0


async def load_topics() -> dict[int, TopicInfo]:
    rows = await Topic.select().where(Topic.active == True).output(load_json=True)
    return {
        r["id"]: TopicInfo(
            id=r["id"],
            slug=r["slug"],
            name=r["name"],
            description=r["description"],
            duration=timedelta(minutes=r["duration_minutes"]),
            position=r["position"],
            bring=r["bring"],
        )
        for r in rows
    }


def point_info(row: Mapping) -> PointInfo:
    return PointInfo(
        id=row["id"],
        region_id=row["region"],
        slug=row["slug"],
        name=row["name"],
        kind=row["kind"],
        address=row["address"],
        city=row["city"],
        timezone=row["timezone"],
        description=row["description"],
        active=row["active"],
        names=row["name_i18n"],
        directions=row["directions"],
    )


async def load_point_setup(point_id: int, first: date, last: date) -> PointSetup | None:
    """Reads one point's master data for [first, last] in one statement; None if not active."""
    master = await read_point_master(point_id, first, last)
    if master is None:
        return None
    exceptions = master.exceptions
    holidays = holidays_between(first, last) if master.point["closed_on_holidays"] else {}
    return PointSetup(
        point=point_info(master.point),
        hours=WeeklyPattern(
            weekly=tuple(
                WeeklyHours(
                    r["weekday"], WallHours(r["opens"], r["closes"]), r["valid_from"], r["valid_to"]
                )
                for r in master.weekly
            ),
            closed=frozenset(e["day"] for e in exceptions if e["kind"] == OpeningException.CLOSED),
            holidays=frozenset(holidays),
            changed=by_day(_dated(e for e in exceptions if e["kind"] == OpeningException.CHANGED)),
            extra=by_day(
                _dated(e for e in exceptions if e["kind"] == OpeningException.EXTRA)
                + _dated(master.visits)
            ),
        ),
        people=tuple(_people(master.schedules)),
        absences={
            staff_id: tuple(
                normalize(
                    Interval(a["starts_at"], a["ends_at"])
                    for a in master.absences
                    if a["staff"] == staff_id and a["starts_at"] < a["ends_at"]
                )
            )
            for staff_id in master.staff_ids
        },
        holidays=holidays,
        visits=tuple(
            sorted(
                (
                    Visit(
                        v["day"],
                        WallHours(v["opens"], v["closes"]),
                        v["place"],
                        v["address"],
                        v["place_i18n"],
                        v["directions"],
                    )
                    for v in master.visits
                    if v["opens"] < v["closes"]
                ),
                key=lambda v: (v.day, v.hours.opens),
            )
        ),
        first=first,
        last=last,
    )


def _dated(rows) -> list[tuple[date, WallHours]]:
    return [
        (r["day"], WallHours(r["opens"], r["closes"]))
        for r in rows
        if r["opens"] is not None and r["closes"] is not None and r["opens"] < r["closes"]
    ]


def _people(schedules: Sequence[Mapping]) -> list[Person]:
    by_staff: dict[int, list[Mapping]] = {}
    for s in schedules:
        by_staff.setdefault(s["staff"], []).append(s)
    return [
        Person(
            id=staff_id,
            name=rows[0]["staff_name"],
            kind=rows[0]["staff_kind"],
            languages=frozenset(rows[0]["staff_languages"] or ()),
            modes=frozenset(rows[0]["staff_modes"] or ()),
            schedule=WeeklyPattern(
                weekly=tuple(
                    WeeklyHours(
                        r["weekday"],
                        WallHours(r["starts"], r["ends"]),
                        r["valid_from"],
                        r["valid_to"],
                    )
                    for r in rows
                    if r["starts"] < r["ends"]
                )
            ),
        )
        for staff_id, rows in sorted(by_staff.items())
    ]


async def load_points() -> dict[int, PointInfo]:
    rows = await Point.select().output(load_json=True)
    return {r["id"]: point_info(r) for r in rows}


class Catalog:
    """Per-process cache of master data, valid for one catalog revision.

    Setups are cached for the bookable range (yesterday to the horizon, in UTC dates, one
    day of margin each side for time zones); other ranges are read without caching. The
    cache is bounded by the memory its setups hold, not by a count: at national scale every
    point should stay warm, and a point's memoised days grow after it is cached, so its
    weight is taken again at each use and the least recently used go first.
    """

    def __init__(self, max_bytes: int = 64 * 2**20) -> None:
        self._revision = -1
        self._topics: dict[int, TopicInfo] | None = None
        self._infos: dict[int, PointInfo] | None = None
        self._setups: OrderedDict[int, PointSetup | None] = OrderedDict()
        self._weights: dict[int, int] = {}
        self._max_bytes = max_bytes
        self.held_bytes = 0

    def _sync(self, revision: int) -> None:
        if revision != self._revision:
            self._revision, self._topics, self._infos = revision, None, None
            self._setups.clear()
            self._weights.clear()
            self.held_bytes = 0

    async def topics(self, revision: int) -> dict[int, TopicInfo]:
        self._sync(revision)
        if self._topics is None:
            self._topics = await load_topics()
        return self._topics

    async def point_infos(self, revision: int) -> dict[int, PointInfo]:
        """Every point, active or not (an old appointment may name a closed point)."""
        self._sync(revision)
        if self._infos is None:
            self._infos = await load_points()
        return self._infos

    async def point(
        self, point_id: int, revision: int, first: date, last: date, today: date, horizon: int
    ) -> PointSetup | None:
        """The active point's setup covering [first, last], or None."""
        self._sync(revision)
        lo, hi = today - timedelta(days=1), today + timedelta(days=horizon + 1)
        if not (lo <= first and last <= hi):
            return await load_point_setup(point_id, first, last)
        cached = self._setups.get(point_id)
        if point_id not in self._setups or (cached is not None and not cached.covers(lo, hi)):
            self._setups[point_id] = cached = await load_point_setup(point_id, lo, hi)
        self._setups.move_to_end(point_id)
        self._weigh(point_id, cached)
        return cached

    def cached(self) -> list[int]:
        """The points whose setups are kept, least recently used first."""
        return list(self._setups)

    def _weigh(self, point_id: int, setup: PointSetup | None) -> None:
        weight = setup.weight if setup is not None else SETUP_BYTES
        self.held_bytes += weight - self._weights.get(point_id, 0)
        self._weights[point_id] = weight
        while self.held_bytes > self._max_bytes and len(self._setups) > 1:
            oldest, _ = self._setups.popitem(last=False)
            self.held_bytes -= self._weights.pop(oldest)
