"""Free slots and the people who would serve them: pure, with ``now`` passed in.

Rules (DOMAIN.md 2 and 3): a slot lies inside the point's hours and the staff member's
working time, at least the minimum notice and at most the horizon ahead, clear of other
allocations plus the buffer, on the local grid. A slot for language L needs a consultant who
speaks L, or else a consultant and an interpreter for L free for the same interval.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta, tzinfo
from typing import NamedTuple

from booking.domain.intervals import (
    Interval,
    Window,
    clip_windows,
    intersect,
    intersect_windows,
    normalize,
    remove_conflicts,
    start_windows,
    subtract,
    union_windows,
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

    def admits(self, start: datetime, now: datetime, tz: tzinfo) -> bool:
        """Whether ``start`` is on the local grid and between the notice and the horizon."""
        earliest, latest = self.bookable_starts(now)
        return earliest <= start <= latest and grid_starts(
            [Window(start, start)], self.grid, tz
        ) == [start]


@dataclass(frozen=True, slots=True)
class Shift:
    """When one staff member can serve at a point: their schedule within the point's hours,
    absences removed, sorted and merged. It changes only with master data, so callers cache
    it, and it remembers where appointments of each length can start."""

    staff_id: int
    languages: frozenset[str]
    working: tuple[Interval, ...]
    _starts: dict[timedelta, list[Window]] = field(default_factory=dict, compare=False, repr=False)

    def starts(self, duration: timedelta) -> list[Window]:
        if duration not in self._starts:
            self._starts[duration] = start_windows(self.working, duration)
        return self._starts[duration]


@dataclass(frozen=True, slots=True)
class StaffCalendar:
    """One staff member as availability sees them: their shift and what is already booked.

    Attributes:
        busy: their live allocations, each already including its buffer, sorted and merged.
    """

    shift: Shift
    busy: tuple[Interval, ...] = ()

    @classmethod
    def of(
        cls,
        staff_id: int,
        languages: frozenset[str],
        working: Sequence[Interval],
        busy: Sequence[Interval] = (),
    ) -> StaffCalendar:
        return cls(Shift(staff_id, languages, tuple(working)), tuple(busy))

    @property
    def staff_id(self) -> int:
        return self.shift.staff_id

    @property
    def languages(self) -> frozenset[str]:
        return self.shift.languages

    @property
    def working(self) -> tuple[Interval, ...]:
        return self.shift.working

    def windows(self, duration: timedelta, buffer: timedelta) -> list[Window]:
        """Where an appointment of ``duration`` (plus buffer) can start for this person."""
        return remove_conflicts(self.shift.starts(duration), self.busy, duration + buffer)

    def can_take(self, start: datetime, duration: timedelta, buffer: timedelta) -> bool:
        held = Interval(start, start + duration)
        blocked = Interval(start, start + duration + buffer)
        return any(w.contains(held) for w in self.working) and not any(
            b.overlaps(blocked) for b in self.busy
        )

    def busy_time(self) -> timedelta:
        return sum((b.duration for b in self.busy), timedelta(0))


class Slot(NamedTuple):
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


#: No hold lasts longer; the database refuses it, and searches bound their scans by it.
MAX_HOLD = timedelta(days=1)


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

    helpers = [i for i in interpreters if language in i.languages]
    own_windows = {
        s.staff_id: s.windows(duration, rules.buffer)
        for s in (*consultants, *helpers)
        if helpers or language in s.languages
    }

    def union(staff: Sequence[StaffCalendar]) -> list[Window]:
        return clip_windows(union_windows(own_windows[s.staff_id] for s in staff), first, last)

    speakers = [c for c in consultants if language in c.languages]
    others = [c for c in consultants if language not in c.languages]
    direct = union(speakers)
    # Where no speaker is free, only the others can pair with an interpreter.
    assisted = intersect_windows(union(others), union(helpers)) if helpers else []
    own = grid_starts(direct, rules.grid, tz)
    mine = set(own)
    slots = [Slot(s, s + duration, False) for s in own]
    slots += [
        Slot(s, s + duration, True) for s in grid_starts(assisted, rules.grid, tz) if s not in mine
    ]
    return sorted(slots)


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
