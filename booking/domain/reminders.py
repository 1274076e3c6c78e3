"""When reminders go out: lead times, quiet hours, and what to do at send time (issue 4).

Whole days of a lead time are counted on the local calendar, so the reminder "a day before"
an 18:30 appointment goes out at 18:30 the evening before on both sides of a DST change; the
rest (hours, minutes) is absolute time. Nothing goes out in quiet hours (21:00-08:00 local)
unless the appointment itself lies in them: a reminder due in them moves to the nearer of
the last allowed time before they begin (their start less ``margin``) and their end, and is
skipped when their end is nearer but leaves less than ``least_notice`` before the
appointment (DOMAIN rule 9). A lead of whole days keeps the appointment's clock time, so it
falls in quiet hours only when the appointment does, and then it goes as planned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta, tzinfo

from booking.domain.opening_hours import wall_to_utc

_LEAD = re.compile(r"^\s*(\d+)\s*([dhm])\s*$")


@dataclass(frozen=True, slots=True, order=True)
class LeadTime:
    """How long before an appointment a reminder goes out; round-trips as "24h", "90m"."""

    minutes: int

    @classmethod
    def parse(cls, text: str) -> LeadTime:
        match = _LEAD.match(text.lower())
        if not match:
            raise ValueError(f"a lead time looks like 24h, 2h or 90m, not {text!r}")
        amount, unit = int(match.group(1)), match.group(2)
        minutes = amount * {"d": 1440, "h": 60, "m": 1}[unit]
        if minutes <= 0:
            raise ValueError(f"a lead time must be positive, not {text!r}")
        return cls(minutes)

    def __str__(self) -> str:
        if self.minutes % 60:
            return f"{self.minutes}m"
        return f"{self.minutes // 60}h"

    def before(self, start: datetime, tz: tzinfo) -> datetime:
        days, rest = divmod(self.minutes, 1440)
        local = start.astimezone(tz)
        same_time = wall_to_utc(local.date() - timedelta(days=days), local.time(), tz)
        return same_time - timedelta(minutes=rest)


@dataclass(frozen=True, slots=True)
class QuietHours:
    """A nightly window without messages, e.g. 21:00-08:00 local; round-trips as text."""

    begins: time = time(21)
    ends: time = time(8)
    #: A reminder moved back out of the quiet hours goes this long before they begin.
    margin: timedelta = timedelta(minutes=30)
    #: A reminder moved forward to their end must leave this long before the appointment.
    least_notice: timedelta = timedelta(hours=1)

    @classmethod
    def parse(cls, text: str) -> QuietHours:
        try:
            begins, ends = (time.fromisoformat(part.strip()) for part in text.split("-"))
        except ValueError:
            raise ValueError(f"quiet hours look like 21:00-08:00, not {text!r}") from None
        return cls(begins, ends)

    def __str__(self) -> str:
        return f"{self.begins:%H:%M}-{self.ends:%H:%M}"

    def contains(self, instant: datetime, tz: tzinfo) -> bool:
        clock = instant.astimezone(tz).time()
        if self.begins <= self.ends:
            return self.begins <= clock < self.ends
        return clock >= self.begins or clock < self.ends

    def moved_before(self, instant: datetime, tz: tzinfo) -> datetime:
        """For an instant inside the quiet hours: just before the window it falls in began."""
        local = instant.astimezone(tz)
        day = local.date() if local.time() >= self.begins else local.date() - timedelta(days=1)
        return wall_to_utc(day, self.begins, tz) - self.margin

    def end_after(self, instant: datetime, tz: tzinfo) -> datetime:
        """For an instant inside the quiet hours: when they end."""
        local = instant.astimezone(tz)
        day = local.date() if local.time() < self.ends else local.date() + timedelta(days=1)
        return wall_to_utc(day, self.ends, tz)

    def placed(self, due: datetime, start: datetime, tz: tzinfo) -> datetime | None:
        """When a reminder due at ``due`` for an appointment at ``start`` goes out; None
        when it is skipped."""
        if not self.contains(due, tz) or self.contains(start, tz):
            return due
        before, after = self.moved_before(due, tz), self.end_after(due, tz)
        if due - before < after - due:
            return before
        return after if start - after >= self.least_notice else None


def plan_reminders(
    start: datetime,
    leads: tuple[LeadTime, ...],
    *,
    tz: tzinfo,
    now: datetime,
    quiet: QuietHours,
) -> list[datetime]:
    """When each reminder for an appointment at ``start`` is due, earliest first.

    A reminder that is already due, or that would come after the next one, is dropped: a
    person who books at noon for 15:00 gets the confirmation and the 2-hour reminder, not
    a 24-hour reminder sent at once.
    """
    due: list[datetime] = []
    for lead in sorted(leads, reverse=True):
        when = quiet.placed(lead.before(start, tz), start, tz)
        if when is not None and now < when < start and (not due or when > due[-1]):
            due.append(when)
    return due


def at_send_time(
    now: datetime, start: datetime, *, tz: tzinfo, quiet: QuietHours
) -> datetime | None:
    """Whether a reminder may go out now: None to send, or the instant to wait for.

    A reminder delayed into the quiet hours (a worker was down) waits for them to end; one
    that would then leave less than ``quiet.least_notice`` is dropped by the caller.
    """
    if quiet.contains(now, tz) and not quiet.contains(start, tz):
        return quiet.end_after(now, tz)
    return None
