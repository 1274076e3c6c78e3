"""Busy intervals out of someone's own calendar: pure, with the window passed in.

Only times are kept (DOMAIN.md rule 6: no titles, places or attendees of other clients).
An event counts unless it is free time (TRANSP:TRANSPARENT) or cancelled; repeating events
are expanded within the window; all-day and floating times are read in the point's zone.
Long events are cut into pieces of at most a day, because searches look back only that far
for intervals that started before their window (booking.domain.availability.MAX_HOLD).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime, time, timedelta, tzinfo

import recurring_ical_events
from icalendar import Calendar

from booking.domain.availability import MAX_HOLD
from booking.domain.intervals import Interval, normalize

#: More than anyone's appointments in a booking horizon; a bound on one source.
MAX_INTERVALS = 2000


class NotACalendar(ValueError):
    """The source answered with something that is not iCalendar."""


def _instant(value: date | datetime, tz: tzinfo) -> datetime:
    if not isinstance(value, datetime):
        return datetime.combine(value, time(), tz)
    return value if value.tzinfo is not None else value.replace(tzinfo=tz)


def _pieces(interval: Interval) -> Iterable[Interval]:
    start = interval.start
    while start < interval.end:
        end = min(start + MAX_HOLD, interval.end)
        yield Interval(start, end)
        start = end


def busy_intervals(calendars: Iterable[bytes], window: Interval, tz: tzinfo) -> list[Interval]:
    """The busy time in ``window`` of one or more iCalendar files, merged, sorted and cut.

    Raises:
        NotACalendar: a file is not iCalendar, or holds more than MAX_INTERVALS events.
    """
    found: list[Interval] = []
    for data in calendars:
        try:
            parsed = Calendar.from_ical(data)
        except (ValueError, IndexError, KeyError) as error:
            raise NotACalendar(type(error).__name__) from None
        if parsed.name != "VCALENDAR":
            raise NotACalendar(parsed.name)
        occurrences = recurring_ical_events.of(parsed).between(window.start, window.end)
        for event in occurrences:
            if event.name != "VEVENT":
                continue
            if str(event.get("TRANSP", "OPAQUE")).upper() == "TRANSPARENT":
                continue
            if str(event.get("STATUS", "")).upper() == "CANCELLED":
                continue
            start = _instant(event.decoded("DTSTART"), tz)
            end = _instant(event.decoded("DTEND"), tz) if "DTEND" in event else None
            if end is None:
                duration = event.decoded("DURATION") if "DURATION" in event else None
                if duration is None:
                    all_day = not isinstance(event.decoded("DTSTART"), datetime)
                    duration = timedelta(days=1) if all_day else timedelta(0)
                end = start + duration
            start, end = max(start, window.start), min(end, window.end)
            if start < end:
                found.append(Interval(start, end))
            if len(found) > MAX_INTERVALS:
                raise NotACalendar("too many events")
    return [piece for merged in normalize(found) for piece in _pieces(merged)]
