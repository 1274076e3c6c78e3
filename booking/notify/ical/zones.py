"""VTIMEZONE components that every calendar client reads the same way (RFC 5545 3.6.5).

icalendar's ``add_missing_timezones`` writes each observance as one DTSTART plus an RDATE
list that leaves the DTSTART out; Mozilla's ical.js (Thunderbird) then skips the DTSTART
transition and shows times on and after that clock change an hour off, and Outlook's import
is documented in terms of RRULE. So a zone is written the way the clients' own exports do:
the zone's current rules as one STANDARD and one DAYLIGHT observance with a yearly RRULE,
each from the change in force when the window opens, and any historic change inside the
window that the current rules do not describe as an observance of its own, DTSTART only.

Pure: transitions come from zoneinfo, found by a daily scan and bisection to the second.
"""

from __future__ import annotations

import calendar as month_days
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

#: Rules are trusted when they hold this far past the window (zoneinfo extends the zone's
#: current POSIX rule forever, so a zone whose rule changes later shows it here).
CHECK_AFTER = timedelta(days=3 * 366)
#: Where an unchanging zone's single observance starts.
EPOCH = datetime(1970, 1, 1)
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True, slots=True)
class Transition:
    """A change of a zone's offset (or of its name or DST flag) at a UTC instant."""

    at: datetime  # aware, UTC
    offset_from: timedelta
    offset_to: timedelta
    name: str
    dst: bool

    @property
    def onset(self) -> datetime:
        """The local wall time of the change in the old offset: the observance's DTSTART."""
        return (self.at + self.offset_from).replace(tzinfo=None)

    def rule(self) -> tuple:
        """What a yearly RRULE says of this change: month, which weekday, time and offsets."""
        onset = self.onset
        last = onset.day + 7 > month_days.monthrange(onset.year, onset.month)[1]
        nth = -1 if last else (onset.day - 1) // 7 + 1
        return (
            onset.month,
            nth,
            onset.weekday(),
            onset.time(),
            self.offset_from,
            self.offset_to,
            self.name,
        )


def _state(tz: ZoneInfo, instant: datetime) -> tuple[timedelta, str, bool]:
    local = instant.astimezone(tz)
    return local.utcoffset() or timedelta(0), local.tzname() or "", bool(local.dst())


def transitions(tz: ZoneInfo, first: datetime, last: datetime) -> list[Transition]:
    """Every change of ``tz`` in (first, last], earliest first.

    Zones change at most a few times a year and never twice in one day, so a daily scan
    with bisection finds each change exactly.
    """
    found = []
    step = timedelta(days=1)
    here, state = first, _state(tz, first)
    while here < last:
        there = min(here + step, last)
        after = _state(tz, there)
        if after != state:
            low, high = here, there
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                middle = middle.replace(microsecond=0)
                if middle <= low:
                    break
                if _state(tz, middle) == state:
                    low = middle
                else:
                    high = middle
            found.append(Transition(high, state[0], after[0], after[1], after[2]))
        here, state = there, after
    return found


def _rule_tail(changes: list[Transition], scan_end: datetime) -> int:
    """Index of the first change from which the changes alternate yearly by two fixed rules
    up to ``scan_end`` (len(changes) when the zone has no such rules at the end)."""
    if len(changes) < 4 or changes[-1].at < scan_end - timedelta(days=366):
        return len(changes)
    rules = {changes[-1].dst: changes[-1].rule(), changes[-2].dst: changes[-2].rule()}
    if len(rules) != 2:
        return len(changes)
    start = len(changes)
    for index in range(len(changes) - 1, -1, -1):
        change = changes[index]
        later = changes[index + 2] if index + 2 < len(changes) else None
        if change.rule() != rules[change.dst]:
            break
        if later is not None and later.onset.year != change.onset.year + 1:
            break
        start = index
    return start


def _observance(change: Transition, *, rrule: bool) -> TimezoneStandard | TimezoneDaylight:
    component = TimezoneDaylight() if change.dst else TimezoneStandard()
    component.add("DTSTART", change.onset)
    component.add("TZOFFSETFROM", change.offset_from)
    component.add("TZOFFSETTO", change.offset_to)
    if change.name:
        component.add("TZNAME", change.name)
    if rrule:
        month, nth, weekday, *_ = change.rule()
        component.add(
            "RRULE", vRecur(freq="YEARLY", bymonth=month, byday=f"{nth}{WEEKDAYS[weekday]}")
        )
    return component


def vtimezone(key: str, first: date, last: date) -> Timezone:
    """The VTIMEZONE of IANA zone ``key`` that holds for every instant from ``first`` on.

    Observances start at the change in force on ``first``; after ``last`` the zone's current
    rules go on (RRULE without an end), which is also what a reader that keeps the first
    VTIMEZONE it sees per TZID (vobject) needs for the files after it.
    """
    tz = ZoneInfo(key)
    start = datetime.combine(first, time(), UTC)
    end = datetime.combine(last, time(), UTC) + timedelta(days=1)
    # Two years back finds the change in force at ``first`` in any zone that still has one.
    scan_end = end + CHECK_AFTER
    changes = transitions(tz, start - timedelta(days=2 * 366), scan_end)
    component = Timezone()
    component.add("TZID", key)
    before = [c for c in changes if c.at <= start]
    if before:
        in_force = before[-1]
    else:  # no change for years: what holds at ``first`` holds from the epoch
        offset, name, dst = _state(tz, start)
        in_force = Transition(EPOCH.replace(tzinfo=UTC) - offset, offset, offset, name, dst)
    shown = [in_force] + [c for c in changes if c.at > start]
    tail = _rule_tail(shown, scan_end)
    for change in shown[:tail]:
        if change.at <= end:
            component.add_component(_observance(change, rrule=False))
    for change in shown[tail : tail + 2]:
        component.add_component(_observance(change, rrule=True))
    return component


def wall_time(instant: datetime, key: str) -> datetime:
    """``instant`` as a wall time in zone ``key``, or in UTC where that wall time repeats.

    RFC 5545 reads a repeated local time (the hour before the clocks go back) as its first
    occurrence; ical.js reads the second, an hour off. A UTC value means the same to all.
    """
    local = instant.astimezone(ZoneInfo(key))
    if local.replace(fold=1 - local.fold).utcoffset() != local.utcoffset():
        return instant.astimezone(UTC)
    return local
