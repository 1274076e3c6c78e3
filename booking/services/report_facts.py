"""The anonymous counts behind the reports, grouped in the database: which point, topic,
language, channel and status, which local date, weekday and hour, how long ahead, and for
handovers the agency and outcome. No contact, no note and no staff member is read, so no
personal data can reach a report, and no step works per appointment: each query returns
one row per group, bounded by the dates, hours and points of the report (tens of thousands
at most), not by the number of appointments.

An appointment counts once it was booked: confirmed at some point, which clears
``held_until``. A hold that expired or was abandoned keeps ``held_until`` (as "held" or
"cancelled") and is not an appointment; a cancellation is "cancelled" without it. The local
fields are those stored with each appointment (booking/reports/stamps.py).
"""

from __future__ import annotations

import asyncio
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from booking.db import replica
from booking.db.tables import Agency, Allocation, Appointment, Region, Topic
from booking.db.transactions import is_sqlite
from booking.reports.figures import (
    BOOKED_STATUSES,
    EVENING_HOUR,
    HandoverFact,
    Interpreting,
    Tally,
    middle_buckets,
)
from booking.reports.regions import RegionTally

#: Only constants and placeholders are spliced in; every value is a bound parameter.
BOOKED = "a.held_until IS NULL AND a.status <> {} AND a.local_date >= {} AND a.local_date <= {}"
STANDING = " AND a.status IN (" + ", ".join("{}" for _ in BOOKED_STATUSES) + ")"
#: Whole hours from booking to start (both engines truncate integer division alike).
LEAD_HOURS = "a.lead_minutes / 60"
#: Hours between start and end of an appointment, per engine.
HOURS = {
    "postgres": "EXTRACT(EPOCH FROM a.ends_at - a.starts_at) / 3600.0",
    "sqlite": "(julianday(a.ends_at) - julianday(a.starts_at)) * 24.0",
}


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
    """The WHERE clause of a report's period and points, and its parameters."""

    def __init__(self, point_ids: Collection[int] | None, first: date, last: date) -> None:
        self.sql = BOOKED
        days = [d.isoformat() for d in (first, last)] if is_sqlite() else [first, last]
        self.args: list[Any] = [Appointment.HELD, *days]
        if point_ids is not None:
            self.sql += " AND a.point IN (" + ", ".join("{}" for _ in point_ids) + ")"
            self.args += list(point_ids)

    async def grouped(
        self,
        columns: str,
        *,
        standing: bool = False,
        more: str = "",
        also: str = "",
        also_args: Sequence[Any] = (),
    ) -> Sequence:
        """``SELECT columns, COUNT(*)`` grouped by ``columns`` in this scope (``more``
        joins, ``also`` a further condition with its parameters)."""
        where = self.sql + (STANDING if standing else "") + also
        args = [*self.args, *(BOOKED_STATUSES if standing else ()), *also_args]
        sql = (
            f"SELECT {columns}, COUNT(*) FROM appointment a {more} WHERE {where} GROUP BY {columns}"  # noqa: S608
        )
        return await replica.fetch_tuples(sql, *args)


async def read_facts(
    point_ids: Collection[int] | None, first: date, last: date, *, hourly: bool = True
) -> Facts:
    """Counts of appointments at ``point_ids`` (None: every point) starting on the local
    dates [first, last]: seven grouped statements, run side by side, and one for the exact
    median. ``hourly`` False counts the points without their weekdays and hours."""
    if point_ids is not None and not point_ids:
        return Facts([], [], [], [], [], [])
    scope = _Scope(point_ids, first, last)
    times, places, kinds, leads, handovers, interpreting, waits = await asyncio.gather(
        scope.grouped("a.status, a.local_date, a.local_hour"),
        scope.grouped(
            "a.point, a.local_weekday, a.local_hour" if hourly else "a.point",
            standing=True,
        ),
        scope.grouped("a.topic, a.language, a.channel", standing=True),
        scope.grouped(f"a.lead_days, {LEAD_HOURS}", standing=True),
        scope.grouped(
            "h.agency, a.status, h.outcome", more="JOIN handover h ON h.appointment = a.id"
        ),
        _interpreting(scope),
        scope.grouped("a.waited_minutes", standing=True, also=" AND a.waited_minutes IS NOT NULL"),
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
    by_hour, middle, exact = leads
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
        # An hour's rows outside the middle stand at its first minute, which keeps their
        # place before or after the middle.
        leads=[
            *(Tally(n, lead_days=d, lead_minutes=h * 60) for d, h, n in by_hour if h not in middle),
            *(Tally(n, lead_days=d, lead_minutes=m) for d, m, n in exact),
        ],
        handovers=[HandoverFact(agency, s, outcome, n) for agency, s, outcome, n in handovers],
        interpreting=[Interpreting(lang, float(hours), n) for lang, hours, n in interpreting],
    )


async def _median_minutes(scope: _Scope, by_hour: Sequence) -> tuple[set[int], Sequence]:
    """Of the lead times by local days and whole hours ahead, the hours that hold the median,
    and their exact minutes: a few hundred rows where every distinct minute would be tens of
    thousands."""
    middle = middle_buckets((hour, n) for _, hour, n in by_hour)
    if not middle:
        return middle, []
    also = f" AND {LEAD_HOURS} IN (" + ", ".join("{}" for _ in middle) + ")"
    exact = await scope.grouped(
        "a.lead_days, a.lead_minutes", standing=True, also=also, also_args=sorted(middle)
    )
    return middle, exact


async def _interpreting(scope: _Scope) -> Sequence:
    hours = HOURS["sqlite" if is_sqlite() else "postgres"]
    language = "COALESCE(h.interpreter_language, a.language)"
    sql = (
        f"SELECT {language}, SUM({hours}), COUNT(*) FROM appointment a"  # noqa: S608
        " LEFT JOIN handover h ON h.appointment = a.id"
        f" WHERE {scope.sql}{STANDING} AND EXISTS (SELECT 1 FROM allocation i"
        " WHERE i.appointment = a.id AND i.role = {} AND i.live)"
        f" GROUP BY {language}"
    )
    return await replica.fetch_tuples(sql, *scope.args, *BOOKED_STATUSES, Allocation.INTERPRETER)


async def region_counts(first: date, last: date) -> list[RegionTally]:
    """Every region's booked appointments on the local dates [first, last], for comparing
    regions side by side: one statement, a row per region and status."""
    scope = _Scope(None, first, last)
    sql = (
        "SELECT p.region, a.status, COUNT(*),"  # noqa: S608
        " SUM(CASE WHEN a.local_hour >= {} OR a.local_weekday >= 5 THEN 1 ELSE 0 END),"
        " SUM(CASE WHEN a.channel = {} THEN 1 ELSE 0 END)"
        f" FROM appointment a JOIN point p ON p.id = a.point WHERE {scope.sql}"
        " GROUP BY p.region, a.status"
    )
    rows = await replica.fetch_tuples(sql, EVENING_HOUR, Appointment.HANDOVER, *scope.args)
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
