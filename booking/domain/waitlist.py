"""The waiting list's pure part: the windows that suit a person, and who is offered what.

A freed time goes to the longest-waiting person it suits; each person gets at most one
time at a time, each time goes to at most one person. Everything here is plain data with
an explicit ``now``: the service (booking/services/waitlist/) reads and writes around it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo

from booking.domain.reminders import QuietHours

DAYS = ("mo", "tu", "we", "th", "fr", "sa", "su")
DAY_MINUTES = 24 * 60
_WINDOW = re.compile(r"^([a-z,\-]+)(?: (\d\d):(\d\d)-(\d\d):(\d\d))?$")


@dataclass(frozen=True, slots=True)
class Window:
    """Weekdays (Monday 0) and a local time of day [start, end) in minutes, end up to 24:00."""

    days: frozenset[int]
    start: int = 0
    end: int = DAY_MINUTES

    def __post_init__(self) -> None:
        if not self.days or not self.days <= set(range(7)):
            raise ValueError("a window needs weekdays 0-6")
        if not 0 <= self.start < self.end <= DAY_MINUTES:
            raise ValueError("a window's times run from 00:00 to 24:00, start before end")

    def admits(self, start: datetime, end: datetime) -> bool:
        """Whether the local interval [start, end) lies inside this window on its day."""
        if start.weekday() not in self.days:
            return False
        first = start.hour * 60 + start.minute
        minutes = int((end - start).total_seconds() // 60)
        return self.start <= first and first + minutes <= self.end

    def __str__(self) -> str:
        days = _day_runs(sorted(self.days))
        if (self.start, self.end) == (0, DAY_MINUTES):
            return days
        return f"{days} {_hhmm(self.start)}-{_hhmm(self.end)}"

    @classmethod
    def parse(cls, text: str) -> Window:
        found = _WINDOW.match(text.strip().lower())
        if not found:
            raise ValueError(f"a window looks like 'mo-fr 18:00-24:00' or 'sa', not {text!r}")
        days: set[int] = set()
        for part in found.group(1).split(","):
            first, _, last = part.partition("-")
            if first not in DAYS or (last and last not in DAYS):
                raise ValueError(f"unknown weekday in {text!r}")
            a, b = DAYS.index(first), DAYS.index(last or first)
            if b < a:
                raise ValueError(f"weekdays run Monday to Sunday in {text!r}")
            days.update(range(a, b + 1))
        if found.group(2) is None:
            return cls(frozenset(days))
        h1, m1, h2, m2 = (int(found.group(n)) for n in range(2, 6))
        if m1 > 59 or m2 > 59:
            raise ValueError(f"minutes run to 59 in {text!r}")
        return cls(frozenset(days), h1 * 60 + m1, h2 * 60 + m2)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _day_runs(days: Sequence[int]) -> str:
    runs: list[list[int]] = []
    for day in days:
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ",".join(DAYS[r[0]] if len(r) == 1 else f"{DAYS[r[0]]}-{DAYS[r[-1]]}" for r in runs)


@dataclass(frozen=True, slots=True)
class Windows:
    """The times that suit a person; stored as text, e.g. ``mo-fr 18:00-24:00; sa``."""

    windows: tuple[Window, ...]

    def __post_init__(self) -> None:
        if not self.windows:
            raise ValueError("at least one window")
        ordered = sorted(set(self.windows), key=lambda w: (sorted(w.days), w.start, w.end))
        object.__setattr__(self, "windows", tuple(ordered))

    def admits(self, start: datetime, end: datetime) -> bool:
        return any(w.admits(start, end) for w in self.windows)

    def __str__(self) -> str:
        return "; ".join(str(w) for w in self.windows)

    @classmethod
    def parse(cls, text: str) -> Windows:
        return cls(tuple(Window.parse(part) for part in text.split(";") if part.strip()))


#: The choices the pages offer, by the name the form sends.
PRESETS = {
    "evenings": Window(frozenset(range(5)), 18 * 60),
    "daytime": Window(frozenset(range(5)), 0, 18 * 60),
    "saturday": Window(frozenset({5})),
    "sunday": Window(frozenset({6})),
}


def from_presets(names: Iterable[str]) -> Windows:
    """The windows of the chosen presets; unknown names are an error (ValueError)."""
    return Windows(tuple(PRESETS[name] for name in names))


@dataclass(frozen=True, slots=True)
class Opening:
    """A free time somewhere: a start at a point for a topic in a language."""

    point_id: int
    topic_id: int
    language: str
    start: datetime
    end: datetime
    tz: tzinfo

    @property
    def key(self) -> tuple[int, datetime]:
        return self.point_id, self.start


@dataclass(frozen=True, slots=True)
class Waiter:
    """A person on the list, as the matching sees them."""

    entry_id: int
    joined_at: datetime
    point_ids: frozenset[int]
    topic_id: int
    language: str
    windows: Windows
    expires_at: datetime
    #: Times offered to them before (point, start): a time they let pass is not offered again.
    seen: frozenset[tuple[int, datetime]] = frozenset()

    def suits(self, opening: Opening, now: datetime, notice: timedelta) -> bool:
        """Whether ``opening`` is for them, reachable (``notice`` ahead) and inside their list
        time and windows."""
        return (
            opening.point_id in self.point_ids
            and opening.topic_id == self.topic_id
            and opening.language == self.language
            and now + notice <= opening.start < self.expires_at
            and opening.key not in self.seen
            and self.windows.admits(
                opening.start.astimezone(opening.tz), opening.end.astimezone(opening.tz)
            )
        )


def assign(
    waiters: Iterable[Waiter],
    openings: Iterable[Opening],
    *,
    now: datetime,
    notice: timedelta,
    quiet: QuietHours,
) -> list[tuple[Waiter, Opening]]:
    """Who is offered which time now: longest waiting first, each their earliest suitable
    time that nobody before them took; nothing at a point in its quiet hours."""
    free = sorted(
        (o for o in openings if not quiet.contains(now, o.tz)), key=lambda o: (o.start, o.point_id)
    )
    taken: set[tuple[int, datetime]] = set()
    offers = []
    for waiter in sorted(waiters, key=lambda w: (w.joined_at, w.entry_id)):
        for opening in free:
            if opening.key not in taken and waiter.suits(opening, now, notice):
                taken.add(opening.key)
                offers.append((waiter, opening))
                break
    return offers
