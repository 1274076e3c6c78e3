"""Wall-clock patterns (opening hours, staff schedules) turned into UTC intervals, DST-honest.

A point's hours are written in local time ("Tue 17:00-21:00"); they must stay 17:00 local on
both sides of a DST change, and a wall time that does not exist (02:30 on the last Sunday of
March) must never become an instant. The same machinery serves staff schedules.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from booking.domain.intervals import Interval, normalize


@dataclass(frozen=True, slots=True)
class WallHours:
    """A wall-clock range within one day, e.g. 17:00-21:00."""

    opens: time
    closes: time

    def __post_init__(self) -> None:
        if not self.opens < self.closes:
            raise ValueError(f"closing time {self.closes} must be after opening {self.opens}")

    def __str__(self) -> str:
        return f"{self.opens:%H:%M}-{self.closes:%H:%M}"


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """A range on one weekday (0 is Monday), valid within an optional season."""

    weekday: int
    hours: WallHours
    valid_from: date | None = None
    valid_to: date | None = None

    def applies_on(self, day: date) -> bool:
        return (
            day.weekday() == self.weekday
            and (self.valid_from is None or self.valid_from <= day)
            and (self.valid_to is None or day <= self.valid_to)
        )


@dataclass(frozen=True, slots=True)
class WeeklyPattern:
    """A weekly pattern with dated deviations; what decides when a point (or person) is there.

    Precedence per day: a closed day closes everything; otherwise changed hours replace the
    pattern (even on a public holiday), a public holiday empties it, and extra hours (extra
    openings, mobile visits) are added on top.
    """

    weekly: tuple[WeeklyHours, ...] = ()
    closed: frozenset[date] = frozenset()
    holidays: frozenset[date] = frozenset()
    changed: Mapping[date, tuple[WallHours, ...]] = field(default_factory=dict)
    extra: Mapping[date, tuple[WallHours, ...]] = field(default_factory=dict)

    def hours_on(self, day: date) -> list[WallHours]:
        """The wall-clock ranges of ``day``, sorted and merged."""
        if day in self.closed:
            return []
        if day in self.changed:
            base = list(self.changed[day])
        elif day in self.holidays:
            base = []
        else:
            base = [w.hours for w in self.weekly if w.applies_on(day)]
        return _merge_wall(base + list(self.extra.get(day, ())))

    def intervals(self, tz: tzinfo, first: date, last: date) -> list[Interval]:
        """The UTC intervals of every day in [first, last]."""
        result = []
        day = first
        while day <= last:
            for hours in self.hours_on(day):
                start, end = wall_to_utc(day, hours.opens, tz), wall_to_utc(day, hours.closes, tz)
                if start < end:
                    result.append(Interval(start, end))
            day += timedelta(days=1)
        return normalize(result)


def _merge_wall(hours: Iterable[WallHours]) -> list[WallHours]:
    merged: list[WallHours] = []
    for h in sorted(hours, key=lambda h: (h.opens, h.closes)):
        if merged and h.opens <= merged[-1].closes:
            if h.closes > merged[-1].closes:
                merged[-1] = WallHours(merged[-1].opens, h.closes)
        else:
            merged.append(h)
    return merged


def wall_to_utc(day: date, wall: time, tz: tzinfo) -> datetime:
    """The instant a wall clock in ``tz`` shows ``wall`` on ``day``.

    An ambiguous time (the repeated hour in October) means its first occurrence. A time in
    the spring gap does not exist; it means the moment the clocks jump, so an opening hour
    that starts or ends inside the gap starts or ends at the jump and never at a phantom time.
    """
    local = datetime.combine(day, wall.replace(fold=0), tzinfo=tz)
    instant = local.astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) == local.replace(tzinfo=None):
        return instant
    earlier = int(local.replace(fold=1).astimezone(UTC).timestamp())
    later = int(instant.timestamp())
    after_offset = _offset_at(later, tz)
    while later - earlier > 1:
        middle = (earlier + later) // 2
        if _offset_at(middle, tz) == after_offset:
            later = middle
        else:
            earlier = middle
    return datetime.fromtimestamp(later, UTC)


def _offset_at(timestamp: int, tz: tzinfo) -> timedelta | None:
    return datetime.fromtimestamp(timestamp, UTC).astimezone(tz).utcoffset()


def local_day_bounds(first: date, last: date, tz: tzinfo) -> Interval:
    """From local midnight starting ``first`` to local midnight ending ``last``, in UTC."""
    return Interval(
        wall_to_utc(first, time(0), tz), wall_to_utc(last + timedelta(days=1), time(0), tz)
    )


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    """A time zone by IANA name; raises ``ZoneInfoNotFoundError`` for unknown names."""
    return ZoneInfo(name)


@lru_cache(maxsize=32)
def public_holidays(years: tuple[int, ...], country: str = "NL") -> Mapping[date, str]:
    """Public holidays by date, with English names (Liberation Day only in lustrum years)."""
    return dict(holidays.country_holidays(country, years=years, language="en_US").items())


def holidays_between(first: date, last: date, country: str = "NL") -> Mapping[date, str]:
    years = tuple(range(first.year, last.year + 1))
    return {d: n for d, n in public_holidays(years, country).items() if first <= d <= last}


def by_day(items: Sequence[tuple[date, WallHours]]) -> dict[date, tuple[WallHours, ...]]:
    """Groups dated hours by day, for ``WeeklyPattern.changed`` and ``.extra``."""
    grouped: dict[date, list[WallHours]] = {}
    for day, hours in items:
        grouped.setdefault(day, []).append(hours)
    return {day: tuple(hours) for day, hours in grouped.items()}
