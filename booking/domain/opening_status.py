"""What a migrant needs to know at a glance: is the point open now, tonight, or when next."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo

from booking.domain.opening_hours import WallHours, WeeklyPattern

#: From this hour an opening counts as an evening opening ("open tonight").
EVENING = time(17, 0)


@dataclass(frozen=True, slots=True)
class OpeningStatus:
    """``state`` is one of: open_now, opens_today, opens_tonight, next, closed_for_now."""

    state: str
    day: date | None = None
    hours: WallHours | None = None


def opening_status(
    pattern: WeeklyPattern, tz: tzinfo, now: datetime, look_ahead_days: int = 14
) -> OpeningStatus:
    local = now.astimezone(tz)
    today, clock = local.date(), local.time()
    for hours in pattern.hours_on(today):
        if hours.opens <= clock < hours.closes:
            return OpeningStatus("open_now", today, hours)
        if clock < hours.opens:
            state = "opens_tonight" if hours.opens >= EVENING else "opens_today"
            return OpeningStatus(state, today, hours)
    for offset in range(1, look_ahead_days + 1):
        day = today + timedelta(days=offset)
        hours = pattern.hours_on(day)
        if hours:
            return OpeningStatus("next", day, hours[0])
    return OpeningStatus("closed_for_now")


def is_evening(start: datetime, tz: tzinfo) -> bool:
    return start.astimezone(tz).time() >= EVENING


def is_weekend(day: date) -> bool:
    return day.weekday() >= 5


def next_evening(
    pattern: WeeklyPattern, tz: tzinfo, now: datetime, look_ahead_days: int = 14
) -> tuple[date, WallHours] | None:
    """The next evening the point is open, as a share card announces it to shift workers:
    the part after 17:00 of the first opening that still runs into the evening (today's
    counts until it closes), or None within ``look_ahead_days``."""
    local = now.astimezone(tz)
    for offset in range(look_ahead_days + 1):
        day = local.date() + timedelta(days=offset)
        for hours in pattern.hours_on(day):
            if hours.closes > EVENING and (offset or local.time() < hours.closes):
                return day, WallHours(max(hours.opens, EVENING), hours.closes)
    return None
