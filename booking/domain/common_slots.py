"""Times when several kinds of resource are free together: what a warm handover needs.

A handover holds one member of each group for the same interval: one of the agency's
capacity places, an interpreter for the language and mode, and the consultant when they
join. Each place of an agency that takes two handovers at once is a calendar of its own,
so "capacity left" is simply "some place of the group is free", and the database's
no-overlap guarantee per resource keeps the count right under concurrency.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from booking.domain.availability import SlotRules, StaffCalendar, grid_starts
from booking.domain.intervals import Interval, Window, intersect_windows
from booking.domain.intervals import union_windows as union


@dataclass(frozen=True, slots=True)
class Group:
    """Resources of which a booking needs any one.

    Attributes:
        role: what the chosen member does (Allocation.ROLES).
        members: their calendars; for an agency, ``staff_id`` is the place's number.
        buffer: free time kept after the booking for this kind (staff: the point's buffer;
            an agency's desk: none).
        prefer: the member to keep when free, e.g. the interpreter of a handover that moves,
            so nobody is swapped without need.
    """

    role: str
    members: tuple[StaffCalendar, ...]
    buffer: timedelta = timedelta(0)
    prefer: int | None = None

    def windows(self, duration: timedelta) -> list[Window]:
        return union(m.windows(duration, self.buffer) for m in self.members)

    def free(self, start: datetime, duration: timedelta) -> list[StaffCalendar]:
        """Members who can take ``start``: the preferred one, then the least busy (for an
        agency, the lowest place)."""
        able = [m for m in self.members if m.can_take(start, duration, self.buffer)]
        return sorted(able, key=lambda m: (m.staff_id != self.prefer, m.busy_time(), m.staff_id))


def common_starts(
    groups: Sequence[Group],
    *,
    duration: timedelta,
    rules: SlotRules,
    now: datetime,
    tz: tzinfo,
    within: Interval,
) -> list[datetime]:
    """Every start in ``within``, on the local grid and inside the rules' notice and horizon,
    where each group has a member free for ``duration``; earliest first."""
    earliest, latest = rules.bookable_starts(now)
    first = max(earliest, within.start)
    last = min(latest, within.end - timedelta(microseconds=1))
    windows = [Window(first, last)] if first <= last else []
    for group in groups:
        windows = intersect_windows(windows, group.windows(duration))
    return grid_starts(windows, rules.grid, tz)


def assign(
    start: datetime, groups: Sequence[Group], duration: timedelta
) -> tuple[StaffCalendar, ...] | None:
    """One free member of each group for ``start``, in the groups' order; None if a group
    has nobody free."""
    chosen = []
    for group in groups:
        free = group.free(start, duration)
        if not free:
            return None
        chosen.append(free[0])
    return tuple(chosen)
