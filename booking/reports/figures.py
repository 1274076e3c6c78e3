"""The pilot's figures from anonymous facts about appointments: pure, no I/O.

Every figure is a count or a rate over counts. Small counts (1 to 4) are shown as "<5" so
nobody can be singled out, and where a table shows its total, a second cell is hidden too
when one hidden cell could otherwise be worked out as the total minus the rest.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import median
from typing import NamedTuple
from zoneinfo import ZoneInfo

#: Counts below this (except 0) are hidden.
SMALL = 5
#: Local start times from this hour on count as evening.
EVENING_HOUR = 17
BOOKED_STATUSES = ("confirmed", "arrived", "no_show", "done")
LEAD_TIMES = ((0, "same day"), (1, "1-2 days"), (3, "3-7 days"), (8, "8-14 days"), (15, "15+ days"))


class Fact(NamedTuple):
    """One booked appointment as the reports see it: no person in it.

    ``status`` is one of BOOKED_STATUSES or "cancelled" (cancelled after it was booked).
    """

    point_id: int
    topic_id: int
    language: str
    channel: str
    status: str
    starts_at: datetime
    ends_at: datetime
    created_at: datetime
    tz: ZoneInfo


class HandoverFact(NamedTuple):
    agency_id: int
    status: str
    #: took_place, migrant_absent, agency_absent, moved; None until recorded.
    outcome: str | None


class Interpreting(NamedTuple):
    """One appointment or handover an interpreter took part in."""

    language: str
    hours: float


@dataclass(frozen=True, slots=True)
class Cell:
    """A count as published: ``shown`` is the number, or "<5", or "-" for a hidden second cell."""

    count: int
    hidden: bool = False

    @property
    def shown(self) -> str:
        if not self.hidden:
            return str(self.count)
        return f"<{SMALL}" if 0 < self.count < SMALL else "-"


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
    return Table(rows, Cell(total, total_hidden))


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


def local(fact: Fact) -> datetime:
    return fact.starts_at.astimezone(fact.tz)


def count_by(facts: Iterable[Fact], key: Callable[[Fact], Hashable]) -> Counter:
    return Counter(key(f) for f in facts)


def held(facts: Iterable[Fact]) -> list[Fact]:
    """Appointments that stand (not cancelled): what "appointments" means in the reports."""
    return [f for f in facts if f.status in BOOKED_STATUSES]


def week_of(fact: Fact) -> str:
    year, week, _ = local(fact).isocalendar()
    return f"{year}-W{week:02d}"


def month_of(fact: Fact) -> str:
    return f"{local(fact):%Y-%m}"


def is_evening(fact: Fact) -> bool:
    return local(fact).hour >= EVENING_HOUR


def is_weekend(fact: Fact) -> bool:
    return local(fact).weekday() >= 5


def evening_and_weekend(facts: Sequence[Fact]) -> dict[str, Rate]:
    standing = held(facts)
    return {
        "evening": Rate(sum(is_evening(f) for f in standing), len(standing)),
        "weekend": Rate(sum(is_weekend(f) for f in standing), len(standing)),
        "evening_or_weekend": Rate(
            sum(is_evening(f) or is_weekend(f) for f in standing), len(standing)
        ),
    }


def no_show_rate(facts: Iterable[Fact]) -> Rate:
    """No-shows among the appointments whose outcome staff marked."""
    marked = [f for f in facts if f.status in ("arrived", "done", "no_show")]
    return Rate(sum(f.status == "no_show" for f in marked), len(marked))


def cancellation_rate(facts: Sequence[Fact]) -> Rate:
    return Rate(sum(f.status == "cancelled" for f in facts), len(facts))


def lead_time_bucket(fact: Fact) -> str:
    days = (local(fact).date() - fact.created_at.astimezone(fact.tz).date()).days
    return next(label for least, label in reversed(LEAD_TIMES) if days >= least)


def lead_times(facts: Sequence[Fact]) -> tuple[Table, float | None]:
    """How long before the appointment it was booked, in buckets, and the median in days;
    the median is left out when fewer than SMALL appointments stand behind it."""
    standing = held(facts)
    counts = Counter({label: 0 for _, label in LEAD_TIMES})
    counts.update(lead_time_bucket(f) for f in standing)
    days = [(f.starts_at - f.created_at) / timedelta(days=1) for f in standing]
    middle = round(median(days), 1) if len(days) >= SMALL else None
    table = suppress(counts)
    order = [label for _, label in LEAD_TIMES]
    return Table(
        tuple(sorted(table.rows, key=lambda row: order.index(row[0]))), table.total
    ), middle


def heatmap(facts: Iterable[Fact]) -> list[list[Cell]]:
    """Appointments starting per weekday (rows, Monday first) and local hour (columns).

    The point's total is published beside its map, so one lone hidden cell would be that
    total minus the rest: the grid is suppressed as one table with a total.
    """
    counts = Counter((local(f).weekday(), local(f).hour) for f in held(facts))
    cells = dict(
        suppress(Counter({(d, h): counts[(d, h)] for d in range(7) for h in range(24)})).rows
    )
    return [[cells[(day, hour)] for hour in range(24)] for day in range(7)]


def trend(
    facts: Iterable[Fact], period: Callable[[Fact], str], every: Iterable[str] = ()
) -> list[tuple[str, Cell]]:
    """Appointments per week or month, in time order; ``every`` period is listed, with 0
    where nothing was booked, so a line shows quiet weeks instead of skipping them.

    The sum over the periods is the total of appointments that the other tables publish,
    so the periods are suppressed as a table with a total (a lone hidden period is not left
    recoverable by subtraction).
    """
    counts = Counter({key: 0 for key in every})
    counts.update(period(f) for f in held(facts))
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
    return suppress(Counter(key(f) for f in facts))


def interpreter_hours(sessions: Iterable[Interpreting]) -> dict[str, float | None]:
    """Hours interpreted per language; None (hidden) for fewer than SMALL sessions."""
    hours: Counter = Counter()
    counts: Counter = Counter()
    for session in sessions:
        hours[session.language] += session.hours
        counts[session.language] += 1
    return {
        lang: round(spent, 1) if counts[lang] >= SMALL else None
        for lang, spent in sorted(hours.items())
    }
