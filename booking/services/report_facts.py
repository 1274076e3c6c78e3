"""The anonymous counts behind the reports, grouped in the database: which point, topic,
language, channel and status, which local date, weekday and hour, how long ahead, and for
handovers the agency and outcome. No contact, no note and no staff member is read, so no
personal data can reach a report, and no step works per appointment: each query returns
one row per group, bounded by the dates, hours and points of the report (tens of thousands
at most), not by the number of appointments.

An appointment counts once it was booked: confirmed at some point, which clears
``held_until``. A hold that expired or was abandoned keeps ``held_until`` (as "held" or
"cancelled") and is not an appointment; a cancellation is "cancelled" without it. The local
fields are those stored with each appointment (booking/reports/stamps.py). The national
report sums the daily roll-up for the days it holds and counts the rest live
(booking/services/rollup).
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from booking.db import replica
from booking.db.tables import Agency, Appointment, Region, Topic
from booking.db.transactions import engine, is_sqlite
from booking.reports.figures import (
    EVENING_HOUR,
    HandoverFact,
    Interpreting,
    Tally,
    middle_buckets,
)
from booking.reports.regions import RegionTally
from booking.services.rollup.kinds import (
    BOOKED,
    HANDOVERS,
    HOURS,
    INTERPRETING,
    KINDS,
    LEAD_BUCKET_MINUTES,
    LEADS,
    POINTS,
    TIMES,
    Kind,
    bucket_range,
)
from booking.services.rollup.months import other_days, whole_months

PERIOD = " AND a.local_date >= {} AND a.local_date <= {}"
#: The days of a period that the roll-up does not hold (yet), or holds out of date.
DIRTY = "SELECT d.local_date FROM report_dirty d WHERE d.local_date >= {} AND d.local_date <= {}"
#: The exact lead minutes of the middle buckets: always counted live, from an index.
EXACT_LEADS = Kind(
    "exact_leads", (("lead_days", "a.lead_days"), ("lead_minutes", "a.lead_minutes"))
)
#: Walk-ins served from the queue by the minutes they waited: few, always counted live.
WAITS = Kind("waits", (("waited_minutes", "a.waited_minutes"),))


@dataclass(frozen=True, slots=True)
class Facts:
    """Counts of booked appointments (cancelled ones included where a rate needs them)."""

    #: By status, local date (with its weekday) and hour.
    times: list[Tally]
    #: Standing appointments by point, and by weekday and hour if read ``hourly``.
    places: list[Tally]
    #: Standing appointments by topic, language and channel.
    kinds: list[Tally]
    #: Standing appointments by lead time in local days and in minutes.
    leads: list[Tally]
    #: Booked handovers, cancelled ones included, by agency, status and outcome.
    handovers: list[HandoverFact]
    #: Appointments that stand with an interpreter: sessions and hours per language.
    interpreting: list[Interpreting]
    #: Standing walk-ins served from the queue, by the minutes they waited.
    waits: list[Tally] = field(default_factory=list)


class _Scope:
    """A report's period and points; ``rolled``: read the roll-up where it holds the day."""

    def __init__(
        self, point_ids: Collection[int] | None, first: date, last: date, *, rolled: bool
    ) -> None:
        self.days: list[Any] = (
            [d.isoformat() for d in (first, last)] if is_sqlite() else [first, last]
        )
        self.points = list(point_ids) if point_ids is not None else None
        self.rolled = rolled and point_ids is None
        self.first, self.last = first, last
        #: Days the roll-up does not hold, and whole months without one (read_dirty).
        self.dirty: list[date] = []
        self.months: list[date] = []

    def _live(self, kind: Kind, where: str, args: Sequence[Any]) -> tuple[str, list[Any]]:
        condition, kind_args = kind.condition()
        groups = ", ".join(str(n + 1) for n in range(len(kind.columns)))
        measures = kind.live_measures(engine().engine_type)
        sql = (
            f"SELECT {kind.expressions()}, {measures} FROM appointment a{kind.join}"  # noqa: S608
            f" WHERE {condition}{where} GROUP BY {groups}"
        )
        return sql, [*kind_args, *args]

    async def grouped(
        self, kind: Kind, also: str = "", also_args: Sequence[Any] = (), *, live: bool = False
    ) -> Sequence:
        """The rows of ``kind`` in this scope: its columns, then the seconds if it sums
        them, then the count. ``also`` is a further condition with its parameters, for a
        ``live`` count (never from the roll-up)."""
        where, args = PERIOD + also, [*self.days, *also_args]
        if self.points is not None:
            where += " AND a.point IN (" + ", ".join("{}" for _ in self.points) + ")"
            args += self.points
        if live or not self.rolled:
            return await replica.fetch_tuples(*_flat(self._live(kind, where, args)))
        return await replica.fetch_tuples(*_flat(self._rolled(kind, where, args)))

    def _rolled(self, kind: Kind, where: str, args: list[Any]) -> tuple[str, list[Any]]:
        """Month rows for the whole clean months, day rows for the other clean days, and
        the dirty days live, as one statement."""
        whole = [] if kind.by_date else self.months
        parts, values = [], []
        runs = other_days(self.first, self.last, whole)
        if runs:
            spans = " OR ".join("(local_date >= {} AND local_date <= {})" for _ in runs)
            clean = ""
            if self.dirty:
                clean = " AND local_date NOT IN (" + ", ".join("{}" for _ in self.dirty) + ")"
            parts.append(
                f"SELECT {kind.names()}, {kind.measures()} FROM report_day"  # noqa: S608
                f" WHERE kind = {{}} AND ({spans}){clean}"
            )
            values += [kind.name, *(self._value(d) for run in runs for d in run)]
            values += [self._value(d) for d in self.dirty]
        if whole:
            months = ", ".join("{}" for _ in whole)
            parts.append(
                f"SELECT {kind.names()}, {kind.measures()} FROM report_month"  # noqa: S608
                f" WHERE kind = {{}} AND local_date IN ({months})"
            )
            values += [kind.name, *(self._value(m) for m in whole)]
        if self.dirty:
            marks = " AND a.local_date IN (" + ", ".join("{}" for _ in self.dirty) + ")"
            live, live_args = self._live(
                kind, where + marks, [*args, *(self._value(d) for d in self.dirty)]
            )
            parts.append(live)
            values += live_args
        names, groups = kind.names(), ", ".join(str(n + 1) for n in range(len(kind.columns)))
        sums = ", ".join(f"CAST(SUM({m.strip()}) AS BIGINT)" for m in kind.measures().split(","))
        union = " UNION ALL ".join(parts)
        sql = f"SELECT {names}, {sums} FROM ({union}) u GROUP BY {groups}"  # noqa: S608
        return sql, values

    def _value(self, day: date) -> date | str:
        return day.isoformat() if is_sqlite() else day

    async def read_dirty(self) -> None:
        """The dirty days of the period, and its whole months without one."""
        if self.rolled:
            found = await replica.fetch_tuples(DIRTY, *self.days)
            self.dirty = sorted({_day(d) for (d,) in found})
            self.months = whole_months(self.first, self.last, self.dirty)


def _flat(query: tuple[str, list[Any]]) -> list[Any]:
    return [query[0], *query[1]]


async def read_facts(
    point_ids: Collection[int] | None,
    first: date,
    last: date,
    *,
    hourly: bool = True,
    rolled: bool = True,
) -> Facts:
    """Counts of appointments at ``point_ids`` (None: every point) starting on the local
    dates [first, last]: seven grouped statements, run side by side, and one for the exact
    median. ``hourly`` False counts the points without their weekdays and hours; ``rolled``
    False counts every day live (the roll-up's tests compare the two)."""
    if point_ids is not None and not point_ids:
        return Facts([], [], [], [], [], [])
    scope = _Scope(point_ids, first, last, rolled=rolled)
    await scope.read_dirty()
    times, places, kinds, leads, handovers, interpreting, waits = await asyncio.gather(
        scope.grouped(TIMES),
        scope.grouped(HOURS if hourly else POINTS),
        scope.grouped(KINDS),
        scope.grouped(LEADS),
        scope.grouped(HANDOVERS),
        scope.grouped(INTERPRETING),
        scope.grouped(WAITS, " AND a.waited_minutes IS NOT NULL", live=True),
    )
    middle, exact = await _median_minutes(scope, leads)
    # Rows to Tallies in a worker thread, like the figures: the event loop serves others.
    facts = await asyncio.to_thread(
        _facts, hourly, times, places, kinds, (leads, middle, exact), handovers, interpreting
    )
    return replace(facts, waits=[Tally(n, waited_minutes=m) for m, n in waits])


def _facts(
    hourly: bool,
    times: Sequence,
    places: Sequence,
    kinds: Sequence,
    leads: tuple[Sequence, set[int], Sequence],
    handovers: Sequence,
    interpreting: Sequence,
) -> Facts:
    by_bucket, middle, exact = leads
    return Facts(
        times=[
            Tally(n, status=s, local_date=_day(d), weekday=_day(d).weekday(), hour=h)
            for s, d, h, n in times
        ],
        places=[
            Tally(r[-1], point_id=r[0], weekday=r[1], hour=r[2])
            if hourly
            else Tally(r[-1], point_id=r[0])
            for r in places
        ],
        kinds=[Tally(n, topic_id=t, language=lang, channel=c) for t, lang, c, n in kinds],
        # A bucket's rows outside the middle stand at one of its minutes, which keeps their
        # place before or after the middle.
        leads=[
            *(
                Tally(n, lead_days=d, lead_minutes=b * LEAD_BUCKET_MINUTES)
                for d, b, n in by_bucket
                if b not in middle
            ),
            *(Tally(n, lead_days=d, lead_minutes=m) for d, m, n in exact),
        ],
        handovers=[HandoverFact(agency, s, outcome, n) for agency, s, outcome, n in handovers],
        interpreting=[Interpreting(lang, float(s) / 3600, n) for lang, s, n in interpreting],
    )


async def _median_minutes(scope: _Scope, by_bucket: Sequence) -> tuple[set[int], Sequence]:
    """Of the lead times by local days and buckets of minutes ahead, the buckets that hold
    the median, and their exact minutes, read live through the index on lead minutes: a
    few thousand rows where every distinct minute of every day would be a million."""
    middle = middle_buckets((bucket, n) for _, bucket, n in by_bucket)
    if not middle:
        return middle, []
    low, high = bucket_range(middle)
    buckets = ", ".join("{}" for _ in middle)
    also = (
        f" AND a.lead_minutes >= {{}} AND a.lead_minutes <= {{}}"
        f" AND a.lead_minutes / {LEAD_BUCKET_MINUTES} IN ({buckets})"
    )
    exact = await scope.grouped(EXACT_LEADS, also, [low, high, *sorted(middle)], live=True)
    return middle, exact


async def region_counts(first: date, last: date) -> list[RegionTally]:
    """Every region's booked appointments on the local dates [first, last], for comparing
    regions side by side: one statement, a row per region and status."""
    days = [d.isoformat() for d in (first, last)] if is_sqlite() else [first, last]
    sql = (
        "SELECT p.region, a.status, COUNT(*),"  # noqa: S608
        " SUM(CASE WHEN a.local_hour >= {} OR a.local_weekday >= 5 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN a.channel = {} THEN 1 ELSE 0 END)"
        f" FROM appointment a JOIN point p ON p.id = a.point WHERE {BOOKED}{PERIOD}"
        " GROUP BY p.region, a.status"
    )
    args = [EVENING_HOUR, Appointment.HANDOVER, Appointment.HELD, *days]
    rows = await replica.fetch_tuples(sql, *args)
    return [RegionTally(r, s, n, int(off), int(h)) for r, s, n, off, h in rows]


def _day(value: date | str) -> date:
    """A local date as the driver gives it (SQLite: text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


async def topic_names(ids: Collection[int]) -> dict[int, dict[str, str]]:
    """Names per language of the topics asked for, inactive ones too (old appointments)."""
    if not ids:
        return {}
    rows = (
        await Topic.select(Topic.id, Topic.name)
        .where(Topic.id.is_in(list(ids)))
        .output(load_json=True)
    )
    return {r["id"]: r["name"] for r in rows}


async def agency_names(ids: Collection[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = await Agency.select(Agency.id, Agency.name).where(Agency.id.is_in(list(ids)))
    return {r["id"]: r["name"] for r in rows}


async def regions() -> list[tuple[int, str]]:
    """Every region, by name: what an admin can choose a report for."""
    rows = await Region.select(Region.id, Region.name).order_by(Region.name)
    return [(r["id"], r["name"]) for r in rows]
