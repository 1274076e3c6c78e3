"""The pilot's report for a region, or for all regions, over a period of local dates.

Figures only (counts and rates over counts, small counts hidden by figures.suppress); the
facts come from report_facts, which reads no personal data. Names (topics, points,
agencies) are looked up here; turning them into the reader's language is the page's job.
"""

from __future__ import annotations

import asyncio
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from booking.db.tables import Appointment, Handover
from booking.domain.errors import N_, InvalidInput
from booking.reports.figures import (
    SMALL,
    Cell,
    Rate,
    Table,
    Tally,
    by_day_and_evening,
    cancellation_rate,
    count_by,
    evening_and_weekend,
    handovers_by,
    heatmap,
    held,
    interpreter_hours,
    lead_times,
    month_of,
    months_in,
    no_show_rate,
    suppress,
    trend,
    waiting_times,
    week_of,
    weeks_in,
)
from booking.reports.regions import Comparison, compare
from booking.services import report_turns
from booking.services.point_setup import Catalog, PointInfo, current_revision
from booking.services.report_facts import (
    Facts,
    agency_names,
    read_facts,
    region_counts,
    regions,
    topic_names,
)
from booking.services.waitlist import listing

#: Longest period one report covers, in calendar months touched: a year and the same
#: month a year before, for comparing seasons.
MAX_MONTHS = 13
#: Months before the current one in the default period.
DEFAULT_MONTHS_BACK = 3
#: Reports of more points than this leave out each point's occupancy by weekday and hour: a
#: page of a thousand maps is read by nobody, and they would cost more than the rest.
OCCUPANCY_POINTS = 60
#: A handover whose outcome nobody recorded yet.
NOT_RECORDED = "not_recorded"


class BadDate(InvalidInput):
    code = "bad_date"
    message = N_("Please give the dates as year-month-day, for example %(example)s.")


class ReversedPeriod(InvalidInput):
    code = "reversed_period"
    message = N_("The end date must not come before the start date.")


class LongPeriod(InvalidInput):
    code = "long_period"
    message = N_("A report covers at most %(months)s calendar months; please choose fewer.")


@dataclass(frozen=True, slots=True)
class Period:
    """Local dates, both included."""

    first: date
    last: date


def default_period(today: date) -> Period:
    """The three full months before this one and this month up to today: what a
    coordinator compares (this quarter against the last), and only days that happened, so
    appointments that may still be cancelled or marked do not skew the rates."""
    month = today.month - 1 - DEFAULT_MONTHS_BACK
    return Period(date(today.year + month // 12, month % 12 + 1, 1), today)


def parse_period(first: str | None, last: str | None, today: date) -> Period:
    """The period asked for in a query (``from``, ``to``), each defaulting as above.

    Raises:
        BadDate, ReversedPeriod, LongPeriod: the reader gets the message, never a 500.
    """
    default = default_period(today)
    period = Period(_date(first, "from", default.first), _date(last, "to", default.last))
    if period.last < period.first:
        raise ReversedPeriod("to")
    if len(months_in(period.first, period.last)) > MAX_MONTHS:
        raise LongPeriod("to", months=MAX_MONTHS)
    return period


def _date(raw: str | None, field: str, default: date) -> date:
    if not raw or not raw.strip():
        return default
    try:
        value = date.fromisoformat(raw.strip())
    except ValueError:
        raise BadDate(field, example="2026-12-01") from None
    if not 2000 <= value.year <= 2100:
        raise BadDate(field, example="2026-12-01")
    return value


@dataclass(frozen=True, slots=True)
class MonthRow:
    """One month of the trend: how many appointments, and the rates behind them."""

    month: str
    appointments: Cell
    evening_or_weekend: Rate
    no_shows: Rate
    cancellations: Rate


@dataclass(frozen=True, slots=True)
class Report:
    """Every figure of the pilot's report; keys are ids and codes, names come alongside."""

    period: Period
    region_id: int | None
    #: Appointments that stand (booked and not cancelled), by topic id, language code,
    #: point id and channel.
    by_topic: Table
    by_language: Table
    by_point: Table
    by_channel: Table
    #: Appointments per ISO week and per month of the local start ("2026-W44", "2026-10").
    by_week: list[tuple[str, Cell]]
    by_month: list[MonthRow]
    #: "evening", "weekend", "evening_or_weekend": shares of the standing appointments.
    shares: dict[str, Rate]
    no_shows: Rate
    cancellations: Rate
    #: Days from booking to the appointment, in buckets, and the median in days.
    lead_times: Table
    median_lead_days: float | None
    #: Handovers that stand, by agency id and by outcome (or NOT_RECORDED).
    handovers_by_agency: Table
    handovers_by_outcome: Table
    #: Appointments that stand with an interpreter, per interpreted language, and their
    #: hours; hours are None where fewer than 5 sessions stand behind them.
    interpreter_sessions: Table
    interpreter_hours: dict[str, float | None]
    #: Walk-ins served from the queue by minutes waited, in bands (issue 17).
    walk_in_waits: Table
    #: Per point id (points with appointments only): weekday-by-hour starts; empty for
    #: reports of more than OCCUPANCY_POINTS points.
    occupancy: dict[int, list[list[Cell]]]
    #: Names to show: points, topics (per language, for names_in), agencies.
    points: dict[int, PointInfo]
    topics: dict[int, dict[str, str]]
    agencies: dict[int, str]
    #: People who joined the waiting list in the period, by what became of them (listing.FIGURES).
    waitlist: tuple[tuple[str, Cell], ...] = ()


async def points_in(catalog: Catalog, region_id: int | None) -> dict[int, PointInfo]:
    """Every point of the region (or of all regions), closed ones too: their past counts."""
    infos = await catalog.point_infos(await current_revision())
    return {
        p.id: p
        for p in sorted(infos.values(), key=lambda p: p.name)
        if region_id is None or p.region_id == region_id
    }


async def build(catalog: Catalog, region_id: int | None, period: Period) -> Report:
    """The report of ``region_id`` (None: all regions) for ``period``: the grouped counts
    (report_facts) and two reads of names (topics, agencies); points come from the catalog
    cache."""
    async with report_turns.turn():
        points = await points_in(catalog, region_id)
        facts = await read_facts(
            None if region_id is None else list(points),
            period.first,
            period.last,
            hourly=len(points) <= OCCUPANCY_POINTS,
        )
        names = Names(
            points,
            await topic_names({f.topic_id for f in facts.kinds}),
            await agency_names({h.agency_id for h in facts.handovers}),
        )
        report = await asyncio.to_thread(figures_of, facts, region_id, period, names)
        first = datetime.combine(period.first, time(), UTC)
        after = datetime.combine(period.last + timedelta(days=1), time(), UTC)
        joined = await listing.counts(region_id, first, after)
        return replace(report, waitlist=waitlist_cells(joined))


def waitlist_cells(counts: dict[str, int]) -> tuple[tuple[str, Cell], ...]:
    """The waiting list's figures in their fixed order, small counts hidden. They overlap
    (an offered person may have booked), so no total is shown that could give one away."""
    return tuple((name, Cell(counts[name], 0 < counts[name] < SMALL)) for name in listing.FIGURES)


@dataclass(frozen=True, slots=True)
class Names:
    """What the figures are about, by id: points, topics (per language), agencies."""

    points: dict[int, PointInfo]
    topics: dict[int, dict[str, str]]
    agencies: dict[int, str]


def figures_of(facts: Facts, region_id: int | None, period: Period, names: Names) -> Report:
    """The figures from the counts: pure, and run off the event loop by ``build``."""
    points = names.points
    live_handovers = [h for h in facts.handovers if h.status != Appointment.CANCELLED]
    buckets, median_days = lead_times(facts.leads)
    times = by_day_and_evening(facts.times)
    return Report(
        period=period,
        region_id=region_id,
        by_topic=suppress(count_by(facts.kinds, lambda f: f.topic_id)),
        by_language=suppress(count_by(facts.kinds, lambda f: f.language)),
        by_point=suppress(_seeded(points, count_by(facts.places, lambda f: f.point_id))),
        by_channel=suppress(
            _seeded(Appointment.CHANNELS, count_by(facts.kinds, lambda f: f.channel))
        ),
        by_week=trend(times, week_of, weeks_in(period.first, period.last)),
        by_month=_months(times, period),
        shares=evening_and_weekend(times),
        no_shows=no_show_rate(times),
        cancellations=cancellation_rate(times),
        lead_times=buckets,
        median_lead_days=median_days,
        handovers_by_agency=handovers_by(live_handovers, lambda h: h.agency_id),
        handovers_by_outcome=suppress(
            _seeded(
                (*Handover.OUTCOMES, NOT_RECORDED),
                count_by(live_handovers, lambda h: h.outcome or NOT_RECORDED),
            )
        ),
        interpreter_sessions=suppress(count_by(facts.interpreting, lambda s: s.language)),
        interpreter_hours=interpreter_hours(facts.interpreting),
        walk_in_waits=waiting_times(facts.waits),
        occupancy=_occupancy(facts.places, points) if len(points) <= OCCUPANCY_POINTS else {},
        points=points,
        topics=names.topics,
        agencies=names.agencies,
    )


@dataclass(frozen=True, slots=True)
class RegionReport:
    """Every region side by side over ``period``: what admins and coordinators compare."""

    period: Period
    comparison: Comparison
    #: Region names by id.
    regions: dict[int, str]


async def compare_regions(period: Period) -> RegionReport:
    """One grouped statement over every region, the figures built off the event loop."""
    async with report_turns.turn():
        by_region, known = await asyncio.gather(region_counts(period.first, period.last), regions())
        names = dict(known)
        comparison = await asyncio.to_thread(compare, by_region, names)
    return RegionReport(period, comparison, names)


def _seeded(keys: Iterable[Hashable], counts: Counter) -> Counter:
    """``counts`` with every one of ``keys`` listed, 0 if absent: an unused point or
    channel is a finding too."""
    seeded = Counter({key: 0 for key in keys})
    seeded.update(counts)
    return seeded


def _months(facts: list[Tally], period: Period) -> list[MonthRow]:
    by_month: dict[str, list[Tally]] = defaultdict(list)
    for fact in facts:
        by_month[month_of(fact)].append(fact)
    counts = dict(trend(facts, month_of, months_in(period.first, period.last)))
    return [
        MonthRow(
            month=month,
            appointments=cell,
            evening_or_weekend=evening_and_weekend(by_month[month])["evening_or_weekend"],
            no_shows=no_show_rate(by_month[month]),
            cancellations=cancellation_rate(by_month[month]),
        )
        for month, cell in counts.items()
    ]


def _occupancy(facts: list[Tally], points: dict[int, PointInfo]) -> dict[int, list[list[Cell]]]:
    by_point: dict[int, list[Tally]] = defaultdict(list)
    for fact in held(facts):
        by_point[fact.point_id].append(fact)
    return {p: heatmap(by_point[p]) for p in points if by_point[p]}
