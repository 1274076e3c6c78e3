"""The VCALENDAR around Loket's events: PRODID, METHOD, and a VTIMEZONE for each zone used."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

from icalendar import Calendar, Event

from booking.notify.ical.zones import vtimezone

PRODID = "-//Loket//Migrant information points//EN"


def calendar(
    method: str,
    events: Sequence[Event],
    *,
    name: str | None = None,
    language: str | None = None,
    empty: tuple[str, date] | None = None,
) -> Calendar:
    """A VCALENDAR with the VTIMEZONEs first and then ``events``.

    Each VTIMEZONE holds from the day before the first event (RRULE observances, see
    zones.py). Without events it still holds one component (RFC 5545 3.6 requires one):
    the VTIMEZONE of ``empty``'s zone from its day. No calendar-level UID (RFC 7986, optional):
    ``Calendar.new`` would invent a random one per message or feed fetch.
    """
    days: dict[str, list] = {}
    for event in events:
        for instant in (event.start, event.end):
            key = getattr(instant.tzinfo, "key", None)
            if key is not None:  # else UTC (zones.wall_time), which needs no VTIMEZONE
                days.setdefault(key, []).append(instant.date())
    if not days and empty is not None:
        days[empty[0]] = [empty[1] + timedelta(days=1)]
    zones = [
        vtimezone(key, min(found) - timedelta(days=1), max(found)) for key, found in days.items()
    ]
    made = Calendar.new(
        prodid=PRODID,
        method=method,
        calscale="GREGORIAN",
        name=name,
        language=language,
        subcomponents=[*zones, *events],
    )
    del made["UID"]
    if not made.subcomponents:
        raise ValueError("a VCALENDAR needs a component: give events or an empty zone")
    return made
