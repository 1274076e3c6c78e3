"""The onboarding spreadsheet as plain rows, checked into a plan before anything is written.

Every problem is collected (sheet, row, message), never only the first: the coordinator
fixes the whole file at once. ``tables_of`` writes a plan back as rows, so an export
re-imports to the same plan.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from zoneinfo import available_timezones

from booking.domain.errors import N_
from booking.domain.languages import SERVICE_LANGUAGES
from booking.i18n import gettext

#: Rows per sheet as the reader gives them: column name to text.
Tables = Mapping[str, Sequence[Mapping[str, str]]]

POINTS, HOURS, STAFF, SCHEDULES, AGENCIES = "points", "hours", "staff", "schedules", "agencies"
#: The sheets in order, each with its columns in order.
COLUMNS: dict[str, tuple[str, ...]] = {
    POINTS: ("slug", "name", "kind", "address", "city", "timezone"),
    HOURS: ("point", "weekday", "opens", "closes"),
    STAFF: ("email", "name", "kind", "languages", "points"),
    SCHEDULES: ("staff", "point", "weekday", "starts", "ends"),
    AGENCIES: ("slug", "name", "kind", "email", "address", "topics"),
}
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
POINT_KINDS = ("physical", "mobile", "phone", "video")
STAFF_KINDS = ("consultant", "interpreter")
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
TIME = re.compile(r"^([01]?\d|2[0-3]):([0-5]\d)$")
#: Longest texts the tables hold, per column.
LENGTHS = {"slug": 60, "name": 100, "address": 200, "city": 80, "email": 254, "kind": 40}


@dataclass(frozen=True, slots=True)
class Problem:
    """What is wrong in one row; ``row`` counts as the spreadsheet does (1 is the header)."""

    sheet: str
    row: int
    message: str
    params: tuple[tuple[str, str], ...] = ()

    def text(self) -> str:
        return gettext(self.message) % dict(self.params)


@dataclass(frozen=True, slots=True)
class PointRow:
    slug: str
    name: str
    kind: str
    address: str
    city: str
    timezone: str


@dataclass(frozen=True, slots=True)
class HoursRow:
    point: str
    weekday: int
    opens: time
    closes: time


@dataclass(frozen=True, slots=True)
class StaffRow:
    email: str
    name: str
    kind: str
    languages: tuple[str, ...]
    points: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ScheduleRow:
    staff: str
    point: str
    weekday: int
    starts: time
    ends: time


@dataclass(frozen=True, slots=True)
class AgencyRow:
    slug: str
    name: str
    kind: str
    email: str
    address: str
    topics: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Plan:
    """A region's master data as the spreadsheet gives it, every row checked."""

    points: tuple[PointRow, ...] = ()
    hours: tuple[HoursRow, ...] = ()
    staff: tuple[StaffRow, ...] = ()
    schedules: tuple[ScheduleRow, ...] = ()
    agencies: tuple[AgencyRow, ...] = ()


@dataclass(slots=True)
class _Check:
    """The problems found so far, and the sheet and row being read."""

    topics: frozenset[str]
    problems: list[Problem] = field(default_factory=list)
    sheet: str = ""
    row: int = 0

    def add(self, message: str, **params: str) -> None:
        self.problems.append(Problem(self.sheet, self.row, message, tuple(params.items())))

    def text(self, cells: Mapping[str, str], column: str, required: bool = True) -> str:
        value = (cells.get(column) or "").strip()
        if required and not value:
            self.add(N_("The column “%(column)s” is empty."), column=column)
        elif len(value) > LENGTHS.get(column, 200):
            self.add(N_("The column “%(column)s” is too long."), column=column)
        return value

    def pattern(self, cells: Mapping[str, str], column: str, pattern: re.Pattern[str]) -> str:
        value = self.text(cells, column)
        if value and not pattern.match(value):
            self.add(N_("“%(value)s” is not valid in “%(column)s”."), value=value, column=column)
        return value

    def choice(self, cells: Mapping[str, str], column: str, choices: Sequence[str]) -> str:
        value = self.text(cells, column).lower()
        if value and value not in choices:
            self.add(
                N_("“%(value)s” in “%(column)s” is not one of: %(choices)s."),
                value=value,
                column=column,
                choices=", ".join(choices),
            )
        return value

    def weekday(self, cells: Mapping[str, str]) -> int:
        value = self.choice(cells, "weekday", WEEKDAYS)
        return WEEKDAYS.index(value) if value in WEEKDAYS else 0

    def span(self, cells: Mapping[str, str], start: str, end: str) -> tuple[time, time] | None:
        """Two times of one day, the first earlier; None after reporting what is wrong."""
        times = []
        for column in (start, end):
            value = self.text(cells, column)
            found = TIME.match(value)
            if value and not found:
                self.add(
                    N_("“%(value)s” in “%(column)s” is not a time of day (HH:MM)."),
                    value=value,
                    column=column,
                )
            times.append(time(int(found[1]), int(found[2])) if found else None)
        if times[0] is None or times[1] is None:
            return None
        if times[0] >= times[1]:
            self.add(N_("“%(end)s” must be later than “%(start)s”."), start=start, end=end)
            return None
        return times[0], times[1]

    def unique(self, seen: set[str], value: str, column: str) -> None:
        if value and value in seen:
            self.add(N_("“%(value)s” appears twice in “%(column)s”."), value=value, column=column)
        seen.add(value)

    def words(self, cells: Mapping[str, str], column: str) -> tuple[str, ...]:
        return tuple(w for w in re.split(r"[\s,;]+", (cells.get(column) or "").lower()) if w)


def check(tables: Tables, topics: frozenset[str]) -> tuple[Plan, list[Problem]]:
    """The plan the rows describe and every problem in them; a plan with problems is never
    written. ``topics`` are the topic slugs agencies may name."""
    c = _Check(topics)
    for sheet in tables:
        if sheet not in COLUMNS:
            c.sheet, c.row = sheet, 1
            c.add(
                N_("This sheet is not known; the sheets are: %(sheets)s."),
                sheets=", ".join(COLUMNS),
            )
    points = _points(c, tables.get(POINTS, ()))
    slugs = {p.slug for p in points}
    hours = _hours(c, tables.get(HOURS, ()), slugs)
    staff = _staff(c, tables.get(STAFF, ()), slugs)
    schedules = _schedules(c, tables.get(SCHEDULES, ()), {s.email: s for s in staff})
    agencies = _agencies(c, tables.get(AGENCIES, ()))
    return Plan(points, hours, staff, schedules, agencies), c.problems


def _rows(c: _Check, sheet: str, rows: Sequence[Mapping[str, str]]):
    """Each non-empty row with its spreadsheet row number, the sheet set for messages."""
    for n, cells in enumerate(rows, start=2):
        if any((v or "").strip() for v in cells.values()):
            c.sheet, c.row = sheet, n
            yield cells


def _points(c: _Check, rows: Sequence[Mapping[str, str]]) -> tuple[PointRow, ...]:
    found, seen = [], set()
    zones = available_timezones()
    for cells in _rows(c, POINTS, rows):
        slug = c.pattern(cells, "slug", SLUG)
        c.unique(seen, slug, "slug")
        zone = c.text(cells, "timezone", required=False) or "Europe/Amsterdam"
        if zone not in zones:
            c.add(N_("“%(value)s” is not a known time zone."), value=zone)
        found.append(
            PointRow(
                slug,
                c.text(cells, "name"),
                c.choice(cells, "kind", POINT_KINDS),
                c.text(cells, "address", required=False),
                c.text(cells, "city", required=False),
                zone,
            )
        )
    return tuple(found)


def _point(c: _Check, cells: Mapping[str, str], points: set[str]) -> str:
    slug = c.text(cells, "point")
    if slug and slug not in points:
        c.add(N_("The point “%(value)s” is not on the sheet “points”."), value=slug)
    return slug


def _overlaps(c: _Check, taken: dict[tuple[str, int], list[tuple[time, time]]], key, span) -> None:
    if any(a < span[1] and span[0] < b for a, b in taken.setdefault(key, [])):
        c.add(N_("These hours overlap other hours on the same day."))
    taken[key].append(span)


def _hours(c: _Check, rows, points: set[str]) -> tuple[HoursRow, ...]:
    found, taken = [], {}
    for cells in _rows(c, HOURS, rows):
        point, weekday = _point(c, cells, points), c.weekday(cells)
        span = c.span(cells, "opens", "closes")
        if span:
            _overlaps(c, taken, (point, weekday), span)
            found.append(HoursRow(point, weekday, *span))
    return tuple(found)


def _staff(c: _Check, rows, points: set[str]) -> tuple[StaffRow, ...]:
    found, seen = [], set()
    for cells in _rows(c, STAFF, rows):
        email = c.pattern(cells, "email", EMAIL).lower()
        c.unique(seen, email, "email")
        languages = c.words(cells, "languages")
        if not languages:
            c.add(N_("The column “%(column)s” is empty."), column="languages")
        for language in languages:
            if language not in SERVICE_LANGUAGES:
                c.add(N_("“%(value)s” is not a language Loket knows."), value=language)
        served = c.words(cells, "points")
        for slug in served:
            if slug not in points:
                c.add(N_("The point “%(value)s” is not on the sheet “points”."), value=slug)
        kind = c.choice(cells, "kind", STAFF_KINDS)
        found.append(StaffRow(email, c.text(cells, "name"), kind, languages, served))
    return tuple(found)


def _schedules(c: _Check, rows, staff: Mapping[str, StaffRow]) -> tuple[ScheduleRow, ...]:
    found, taken = [], {}
    for cells in _rows(c, SCHEDULES, rows):
        email = c.text(cells, "staff").lower()
        person = staff.get(email)
        if email and person is None:
            c.add(N_("“%(value)s” is not on the sheet “staff”."), value=email)
        point = c.text(cells, "point")
        if person and point and point not in person.points:
            c.add(N_("%(staff)s does not serve the point “%(value)s”."), staff=email, value=point)
        weekday = c.weekday(cells)
        span = c.span(cells, "starts", "ends")
        if span:
            _overlaps(c, taken, (email, weekday), span)
            found.append(ScheduleRow(email, point, weekday, *span))
    return tuple(found)


def _agencies(c: _Check, rows) -> tuple[AgencyRow, ...]:
    found, seen = [], set()
    for cells in _rows(c, AGENCIES, rows):
        slug = c.pattern(cells, "slug", SLUG)
        c.unique(seen, slug, "slug")
        email = c.text(cells, "email", required=False).lower()
        if email and not EMAIL.match(email):
            c.add(N_("“%(value)s” is not valid in “%(column)s”."), value=email, column="email")
        topics = c.words(cells, "topics")
        for topic in topics:
            if topic not in c.topics:
                c.add(N_("The topic “%(value)s” does not exist."), value=topic)
        found.append(
            AgencyRow(
                slug,
                c.text(cells, "name"),
                c.text(cells, "kind", required=False),
                email,
                c.text(cells, "address", required=False),
                topics,
            )
        )
    return tuple(found)


def tables_of(plan: Plan) -> dict[str, list[dict[str, str]]]:
    """The plan as rows of text, in the columns ``check`` reads."""

    def hhmm(t: time) -> str:
        return t.strftime("%H:%M")

    return {
        POINTS: [
            dict(
                zip(
                    COLUMNS[POINTS],
                    (p.slug, p.name, p.kind, p.address, p.city, p.timezone),
                    strict=True,
                )
            )
            for p in plan.points
        ],
        HOURS: [
            dict(
                zip(
                    COLUMNS[HOURS],
                    (h.point, WEEKDAYS[h.weekday], hhmm(h.opens), hhmm(h.closes)),
                    strict=True,
                )
            )
            for h in plan.hours
        ],
        STAFF: [
            dict(
                zip(
                    COLUMNS[STAFF],
                    (s.email, s.name, s.kind, " ".join(s.languages), " ".join(s.points)),
                    strict=True,
                )
            )
            for s in plan.staff
        ],
        SCHEDULES: [
            dict(
                zip(
                    COLUMNS[SCHEDULES],
                    (s.staff, s.point, WEEKDAYS[s.weekday], hhmm(s.starts), hhmm(s.ends)),
                    strict=True,
                )
            )
            for s in plan.schedules
        ],
        AGENCIES: [
            dict(
                zip(
                    COLUMNS[AGENCIES],
                    (a.slug, a.name, a.kind, a.email, a.address, " ".join(a.topics)),
                    strict=True,
                )
            )
            for a in plan.agencies
        ],
    }
