"""The pilot's figures from anonymous counts of appointments: pure, no I/O.

The database groups the appointments (booking/services/report_facts.py); each figure here
adds up the counts of the groups it needs, so no step works per appointment.

Every figure is a count or a rate over counts. Small counts (1 to 4) are shown as "<5" so
nobody can be singled out, and where a table shows its total, a second cell is hidden too
when one hidden cell could otherwise be worked out as the total minus the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, NamedTuple

#: Counts below this (except 0) are hidden.
SMALL = 5
#: Local start times from this hour on count as evening.
EVENING_HOUR = 17
BOOKED_STATUSES = ("confirmed", "arrived", "no_show", "done")
MINUTES_A_DAY = 24 * 60
LEAD_TIMES = ((0, "same day"), (1, "1-2 days"), (3, "3-7 days"), (8, "8-14 days"), (15, "15+ days"))
#: Minutes walk-ins served from the queue waited to be called (issue 17).
WAITS = ((0, "0-9 min"), (10, "10-19 min"), (20, "20-29 min"), (30, "30-59 min"), (60, "60+ min"))


class Tally(NamedTuple):
    """Booked appointments that share the values the database grouped them by, and how many:
    a row of a report query, with no person in it. A value the query did not group by is
    None; ``status`` None means only standing appointments were counted.

    ``status`` is one of BOOKED_STATUSES or "cancelled" (cancelled after it was booked).
    """

    count: int
    status: str | None = None
    point_id: int | None = None
    topic_id: int | None = None
    language: str | None = None
    channel: str | None = None
    #: The start's local date, weekday (Monday 0) and hour at the point.
    local_date: date | None = None
    weekday: int | None = None
    hour: int | None = None
    #: Local dates and whole minutes from booking to the start.
    lead_days: int | None = None
    lead_minutes: int | None = None
    #: Minutes a walk-in served from the queue waited to be called.
    waited_minutes: int | None = None


class HandoverFact(NamedTuple):
    agency_id: int
    status: str
    #: took_place, migrant_absent, agency_absent, moved; None until recorded.
    outcome: str | None
    count: int = 1


class Interpreting(NamedTuple):
    """Appointments and handovers an interpreter took part in: ``count`` of them, of
    ``hours`` together."""

    language: str
    hours: float
    count: int = 1


@dataclass(frozen=True, slots=True)
class Cell:
    """A count as published: ``shown`` is the number, or "<5", or "-" for a hidden second cell
    (or a small total that "<5" would give away, ``masked``)."""

    count: int
    hidden: bool = False
    masked: bool = False

    @property
    def shown(self) -> str:
        if not self.hidden:
            return str(self.count)
        return f"<{SMALL}" if 0 < self.count < SMALL and not self.masked else "-"


ZERO = Cell(0)


@dataclass(frozen=True, slots=True)
class Table:
    """Counts by one key (topic, language, ...), largest first, with their total."""

    rows: tuple[tuple[Hashable, Cell], ...]
    total: Cell

    def shown(self) -> list[tuple[Hashable, str]]:
        return [(key, cell.shown) for key, cell in self.rows]


def suppress(counts: Counter, *, with_total: bool = True) -> Table:
    """Hides counts from 1 to 4. With the total shown, more cells are hidden while the hidden
    ones' sum would pin them down (one alone, several all 1 or all 4, a lone 1 beside a hidden
    5): the smallest that frees them, else the smallest, and at last the total. Hidden rows
    follow the shown ones in name order, so their place cannot bound them either."""
    hidden = {key for key, n in counts.items() if 0 < n < SMALL}
    total = sum(counts.values())
    total_hidden = 0 < total < SMALL
    if with_total and not total_hidden:
        larger = sorted(
            (k for k, n in counts.items() if n >= SMALL), key=lambda k: (counts[k], str(k))
        )
        while hidden and _pinned(shares := [counts[key] for key in hidden]):
            if not larger:
                total_hidden = True
                break
            freeing = [key for key in larger if not _pinned([*shares, counts[key]])]
            larger.remove(pick := (freeing or larger)[0])
            hidden.add(pick)

    def place(key: Hashable) -> tuple[int, int, str]:
        if key in hidden:
            return (1, 0, str(key))
        return (0 if counts[key] else 2, -counts[key], str(key))

    rows = tuple((key, Cell(counts[key], key in hidden)) for key in sorted(counts, key=place))
    # A total of "<5" over SMALL - 1 cells of "<5" says that each is 1: it shows as "-".
    return Table(rows, Cell(total, total_hidden, masked=total_hidden and len(hidden) == SMALL - 1))


def _pinned(hidden: list[int]) -> bool:
    """Whether hidden counts with a known sum can each be worked out: "<5" means 1 to 4 and
    "-" means 5 or more, so the sum pins them when it is the least or most they allow, or
    when a single "<5" is the whole sum."""
    small = sum(1 for n in hidden if n < SMALL)
    large = len(hidden) - small
    if large:
        return sum(hidden) == small + SMALL * large
    return small == 1 or sum(hidden) in (small, (SMALL - 1) * small)


@dataclass(frozen=True, slots=True)
class Rate:
    """A share such as no-shows among appointments that happened; hidden on small counts."""

    part: int
    whole: int

    @property
    def hidden(self) -> bool:
        return self.whole < SMALL or 0 < self.part < SMALL

    @property
    def shown(self) -> str:
        if self.hidden:
            return f"<{SMALL}" if 0 < self.part < SMALL else "-"
        return f"{100 * self.part / self.whole:.0f}%"


def count_by(facts: Iterable[Any], key: Callable[[Any], Hashable]) -> Counter:
    """Sums of ``count`` by ``key`` over rows that carry one (Tally, HandoverFact,
    Interpreting)."""
    counts: Counter = Counter()
    for fact in facts:
        counts[key(fact)] += fact.count
    return counts


def _weight(facts: Iterable[Tally], which: Callable[[Tally], bool] = lambda _: True) -> int:
    return sum(f.count for f in facts if which(f))


def held(facts: Iterable[Tally]) -> list[Tally]:
    """Appointments that stand (not cancelled): what "appointments" means in the reports."""
    return [f for f in facts if f.status is None or f.status in BOOKED_STATUSES]


def week_of(fact: Tally) -> str:
    year, week, _ = fact.local_date.isocalendar()
    return f"{year}-W{week:02d}"


def month_of(fact: Tally) -> str:
    # Not f"{day:%Y-%m}": strftime made this a third of a national report's figures.
    day = fact.local_date
    return f"{day.year:04d}-{day.month:02d}"


def is_evening(fact: Tally) -> bool:
    return fact.hour >= EVENING_HOUR


def is_weekend(fact: Tally) -> bool:
    return fact.weekday >= 5


def by_day_and_evening(facts: Iterable[Tally]) -> list[Tally]:
    """``facts`` (by status, local date and hour) merged within each day's daytime and
    evening hours: every figure of the times reads the hour only through ``is_evening``, so
    the figures stay the same, from a sixth of the rows (17,000 in a national year)."""
    counts: Counter = Counter()
    first: dict[tuple, Tally] = {}
    for fact in facts:
        key = (fact.status, fact.local_date, fact.hour >= EVENING_HOUR)
        counts[key] += fact.count
        first.setdefault(key, fact)
    return [first[key]._replace(count=n) for key, n in counts.items()]


def evening_and_weekend(facts: Sequence[Tally]) -> dict[str, Rate]:
    standing = held(facts)
    whole = _weight(standing)
    return {
        "evening": Rate(_weight(standing, is_evening), whole),
        "weekend": Rate(_weight(standing, is_weekend), whole),
        "evening_or_weekend": Rate(
            _weight(standing, lambda f: is_evening(f) or is_weekend(f)), whole
        ),
    }


def no_show_rate(facts: Iterable[Tally]) -> Rate:
    """No-shows among the appointments whose outcome staff marked."""
    marked = [f for f in facts if f.status in ("arrived", "done", "no_show")]
    return Rate(_weight(marked, lambda f: f.status == "no_show"), _weight(marked))


def cancellation_rate(facts: Sequence[Tally]) -> Rate:
    return Rate(_weight(facts, lambda f: f.status == "cancelled"), _weight(facts))


def lead_time_bucket(fact: Tally) -> str:
    return next(label for least, label in reversed(LEAD_TIMES) if fact.lead_days >= least)


def lead_times(facts: Sequence[Tally]) -> tuple[Table, float | None]:
    """How long before the appointment it was booked, in buckets, and the median in days;
    the median is left out when fewer than SMALL appointments stand behind it."""
    standing = held(facts)
    counts = Counter({label: 0 for _, label in LEAD_TIMES})
    counts.update(count_by(standing, lead_time_bucket))
    minutes = median_of(standing, lambda f: f.lead_minutes)
    middle = round(minutes / MINUTES_A_DAY, 1) if _weight(standing) >= SMALL else None
    table = suppress(counts)
    order = [label for _, label in LEAD_TIMES]
    return Table(
        tuple(sorted(table.rows, key=lambda row: order.index(row[0]))), table.total
    ), middle


def waiting_times(facts: Sequence[Tally]) -> Table:
    """Walk-ins served from the queue by how long they waited, in bands, small counts hidden."""
    counts = Counter({label: 0 for _, label in WAITS})
    counts.update(count_by(facts, lambda f: _band(f.waited_minutes or 0)))
    table = suppress(counts)
    order = [label for _, label in WAITS]
    return Table(tuple(sorted(table.rows, key=lambda row: order.index(row[0]))), table.total)


def _band(minutes: int) -> str:
    return next(label for least, label in reversed(WAITS) if minutes >= least)


def middle_buckets(weights: Iterable[tuple[int, int]]) -> set[int]:
    """Of (bucket, count) pairs with buckets in the order of the values they hold, the
    buckets that hold the middle value or the middle two: only their values are needed
    exactly for the median, the others only for their place."""
    ordered = sorted(weights)
    n = sum(count for _, count in ordered)
    wanted, found, seen = {(n - 1) // 2, n // 2} if n else set(), set(), 0
    for bucket, count in ordered:
        if any(seen <= rank < seen + count for rank in wanted):
            found.add(bucket)
        seen += count
    return found


def median_of(facts: Iterable[Tally], value: Callable[[Tally], float]) -> float | None:
    """The median of ``value`` over every appointment counted (each row weighs its count):
    the middle one, or the mean of the middle two."""
    ordered = sorted(((value(f), f.count) for f in facts if f.count), key=lambda vc: vc[0])
    n = sum(count for _, count in ordered)
    if not n:
        return None
    wanted, found, seen = ((n - 1) // 2, n // 2), [], 0
    for v, count in ordered:
        while len(found) < 2 and wanted[len(found)] < seen + count:
            found.append(v)
        seen += count
    return (found[0] + found[1]) / 2


def heatmap(facts: Iterable[Tally]) -> list[list[Cell]]:
    """Appointments starting per weekday (rows, Monday first) and local hour (columns).

    The point's total is published beside its map, so one lone hidden cell would be that
    total minus the rest: the grid is suppressed as one table with a total.
    """
    counts = count_by(held(facts), lambda f: (f.weekday, f.hour))
    # Empty hours take no part in suppression, so only the others go through it: a national
    # report draws a map for each of a thousand points.
    cells = dict(suppress(Counter({key: n for key, n in counts.items() if n})).rows)
    return [[cells.get((day, hour), ZERO) for hour in range(24)] for day in range(7)]


def trend(
    facts: Iterable[Tally], period: Callable[[Tally], str], every: Iterable[str] = ()
) -> list[tuple[str, Cell]]:
    """Appointments per week or month, in time order; ``every`` period is listed, with 0
    where nothing was booked, so a line shows quiet weeks instead of skipping them.

    The sum over the periods is the total of appointments that the other tables publish,
    so the periods are suppressed as a table with a total (a lone hidden period is not left
    recoverable by subtraction).
    """
    counts = Counter({key: 0 for key in every})
    counts.update(count_by(held(facts), period))
    return sorted(suppress(counts).rows, key=lambda row: str(row[0]))


def weeks_in(first: date, last: date) -> list[str]:
    """ISO weeks (as ``week_of`` writes them) touched by the local dates [first, last]."""
    monday = first - timedelta(days=first.weekday())
    return [
        f"{year}-W{week:02d}"
        for year, week, _ in (
            (monday + timedelta(weeks=n)).isocalendar()
            for n in range((last - monday).days // 7 + 1)
        )
    ]


def months_in(first: date, last: date) -> list[str]:
    """Months (as ``month_of`` writes them) touched by the local dates [first, last]."""
    span = (last.year - first.year) * 12 + last.month - first.month
    return [
        f"{first.year + (first.month - 1 + n) // 12}-{(first.month - 1 + n) % 12 + 1:02d}"
        for n in range(span + 1)
    ]


def handovers_by(facts: Iterable[HandoverFact], key: Callable[[HandoverFact], Hashable]) -> Table:
    return suppress(count_by(facts, key))


def interpreter_hours(sessions: Iterable[Interpreting]) -> dict[str, float | None]:
    """Hours interpreted per language; None (hidden) for fewer than SMALL sessions."""
    hours: Counter = Counter()
    counts: Counter = Counter()
    for session in sessions:
        hours[session.language] += session.hours
        counts[session.language] += session.count
    return {
        lang: round(spent, 1) if counts[lang] >= SMALL else None
        for lang, spent in sorted(hours.items())
    }
