"""Free slots and the people who would serve them: pure, with ``now`` passed in.

Rules (DOMAIN.md 2 and 3): a slot lies inside the point's hours and the staff member's
working time, at least the minimum notice and at most the horizon ahead, clear of other
allocations plus the buffer, on the local grid. A slot for language L needs a consultant who
speaks L, or else a consultant and an interpreter for L free for the same interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from booking.domain.intervals import (
    Interval,
    Window,
    clip_windows,
    intersect,
    intersect_windows,
    merge_windows,
    normalize,
    remove_conflicts,
    start_windows,
    subtract,
)


@dataclass(frozen=True, slots=True)
class SlotRules:
    """How slots are cut: grid, buffer between appointments, earliest and latest start."""

    grid: timedelta = timedelta(minutes=15)
    buffer: timedelta = timedelta(0)
    min_notice: timedelta = timedelta(hours=2)
    horizon: timedelta = timedelta(days=56)

    def bookable_starts(self, now: datetime) -> tuple[datetime, datetime]:
        return now + self.min_notice, now + self.horizon


@dataclass(frozen=True, slots=True)
class StaffCalendar:
    """One staff member as availability sees them.

    Attributes:
        working: when they can serve at this point (their schedule within the point's
            hours, absences removed), sorted and merged.
        busy: their live allocations, each already including its buffer, sorted and merged.
    """

    staff_id: int
    languages: frozenset[str]
    working: tuple[Interval, ...]
    busy: tuple[Interval, ...]

    def windows(self, duration: timedelta, buffer: timedelta) -> list[Window]:
        """Where an appointment of ``duration`` (plus buffer) can start for this person."""
        return remove_conflicts(start_windows(self.working, duration), self.busy, duration + buffer)

    def can_take(self, start: datetime, duration: timedelta, buffer: timedelta) -> bool:
        held = Interval(start, start + duration)
        blocked = Interval(start, start + duration + buffer)
        return any(w.contains(held) for w in self.working) and not any(
            b.overlaps(blocked) for b in self.busy
        )

    def busy_time(self) -> timedelta:
        return sum((b.duration for b in self.busy), timedelta(0))


@dataclass(frozen=True, slots=True)
class Slot:
    start: datetime
    end: datetime
    needs_interpreter: bool


@dataclass(frozen=True, slots=True)
class Staffing:
    """Who would serve a slot: a consultant, and an interpreter when the language needs one."""

    consultant_id: int
    interpreter_id: int | None = None


def working_time(
    point_open: Sequence[Interval], schedule: Sequence[Interval], absences: Sequence[Interval]
) -> tuple[Interval, ...]:
    """When a person can serve at a point: their schedule inside its hours, minus absences."""
    return tuple(subtract(intersect(point_open, schedule), normalize(absences)))


def blocked_interval(start: datetime, duration: timedelta, buffer: timedelta) -> Interval:
    """What an appointment holds of each resource: its own time plus the buffer after it."""
    return Interval(start, start + duration + buffer)


def find_slots(
    *,
    language: str,
    duration: timedelta,
    consultants: Sequence[StaffCalendar],
    interpreters: Sequence[StaffCalendar],
    rules: SlotRules,
    now: datetime,
    tz: tzinfo,
    within: Interval,
) -> list[Slot]:
    """All slots starting in ``within`` on the grid local to ``tz``, earliest first."""
    earliest, latest = rules.bookable_starts(now)
    first = max(earliest, within.start)
    last = min(latest, within.end - timedelta(microseconds=1))

    def union(staff: Sequence[StaffCalendar]) -> list[Window]:
        windows = [w for s in staff for w in s.windows(duration, rules.buffer)]
        return clip_windows(merge_windows(windows), first, last)

    direct = union([c for c in consultants if language in c.languages])
    assisted = intersect_windows(
        union(consultants), union([i for i in interpreters if language in i.languages])
    )
    own = set(grid_starts(direct, rules.grid, tz))
    slots = [Slot(s, s + duration, False) for s in own]
    slots += [
        Slot(s, s + duration, True) for s in grid_starts(assisted, rules.grid, tz) if s not in own
    ]
    return sorted(slots, key=lambda slot: slot.start)


def staffings(
    start: datetime,
    *,
    language: str,
    duration: timedelta,
    consultants: Sequence[StaffCalendar],
    interpreters: Sequence[StaffCalendar],
    buffer: timedelta,
) -> list[Staffing]:
    """Every way to staff a slot at ``start``, best first.

    A consultant who speaks the language beats any pair with an interpreter; among equals
    the least busy person goes first, so work spreads over the team.
    """

    def free(staff: Sequence[StaffCalendar]) -> list[StaffCalendar]:
        able = [s for s in staff if s.can_take(start, duration, buffer)]
        return sorted(able, key=lambda s: (s.busy_time(), s.staff_id))

    available = free(consultants)
    speakers = [c for c in available if language in c.languages]
    if speakers:
        return [Staffing(c.staff_id) for c in speakers]
    helpers = free([i for i in interpreters if language in i.languages])
    return [Staffing(c.staff_id, i.staff_id) for c in available for i in helpers]


def grid_starts(windows: Sequence[Window], grid: timedelta, tz: tzinfo) -> list[datetime]:
    """The instants in ``windows`` whose local wall time is a multiple of ``grid``.

    Stepping in absolute time keeps the local alignment because DST moves clocks by a whole
    multiple of any grid that divides an hour.
    """
    step = int(grid.total_seconds())
    starts: list[datetime] = []
    for window in windows:
        local = window.first.astimezone(tz)
        offset = (local.hour * 3600 + local.minute * 60 + local.second) % step
        if offset or local.microsecond:
            first = window.first + timedelta(seconds=step - offset, microseconds=-local.microsecond)
        else:
            first = window.first
        instant = first
        while instant <= window.last:
            starts.append(instant)
            instant += grid
    return starts
