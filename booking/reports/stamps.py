"""What the reports group by, stored with each appointment when it is written or moved:
the local date, weekday and hour of its start in the point's zone, and how long before it
was booked. With these a figure is a plain ``GROUP BY`` on either engine, where otherwise
every row would have to be read and converted to local time in Python.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True, slots=True)
class Stamp:
    """The Appointment columns of the same names."""

    local_date: date
    #: Monday 0 to Sunday 6, as ``date.weekday``.
    local_weekday: int
    local_hour: int
    #: Local dates from booking to the start: 0 is the same day.
    lead_days: int
    #: Whole minutes from booking to the start (the median lead time is taken over these).
    lead_minutes: int

    def columns(self) -> dict[str, int | date]:
        return asdict(self)


def stamp(starts_at: datetime, created_at: datetime, tz: ZoneInfo) -> Stamp:
    """The stamp of an appointment starting at ``starts_at`` and booked at ``created_at``
    (both aware), at a point in ``tz``."""
    start = starts_at.astimezone(tz)
    return Stamp(
        local_date=start.date(),
        local_weekday=start.weekday(),
        local_hour=start.hour,
        lead_days=(start.date() - created_at.astimezone(tz).date()).days,
        lead_minutes=round((starts_at - created_at) / timedelta(minutes=1)),
    )
