"""The week calendar's geometry: which block goes in which lane and rows, pure.

A day is drawn as rows of ``ROW`` minutes of real time from the start of its window, so
the rows are instants, not wall-clock labels: the last Sunday of March has four rows fewer
per hour it lacks, the last Sunday of October repeats the rows of its doubled hour, and a
block is as tall as it lasts. The page only places what this module works out.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo

from booking.domain.intervals import Interval, intersect, normalize, subtract
from booking.domain.opening_hours import wall_to_utc

#: The height of one grid row: fine enough for every slot grid that divides an hour in
#: multiples of five minutes; others are rounded to the row they start in.
ROW = timedelta(minutes=5)
#: The wall-clock window shown when nothing is open or booked that week.
DEFAULT_WINDOW = (time(9), time(17))
#: Where a window that reaches midnight ends (rows round it up to a whole row).
LAST_SECOND = time(23, 59, 59)


@dataclass(frozen=True, slots=True)
class Lane:
    """A column: one consultant or interpreter."""

    id: int
    name: str
    kind: str
    #: Free times in this lane can be booked (consultants only).
    bookable: bool


@dataclass(frozen=True, slots=True)
class Booked:
    """An appointment or handover and the lanes (staff) it holds."""

    id: int
    lanes: frozenset[int]
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True, slots=True)
class DayPlan:
    """What one local day has: hours open, each lane's schedule and absences."""

    day: date
    open: tuple[Interval, ...]
    schedules: Mapping[int, Sequence[Interval]]
    absences: Mapping[int, Sequence[Interval]]


@dataclass(frozen=True, slots=True)
class Span:
    """Rows [first, first + rows) of a day's grid, 0-based."""

    first: int
    rows: int


@dataclass(frozen=True, slots=True)
class Shade:
    """A background in the grid (open, working, absent) and the real time it stands for."""

    span: Span
    time: Interval


@dataclass(frozen=True, slots=True)
class Block:
    booked: Booked
    span: Span
    #: The first lane holding it on the day it starts: the page's anchor for it is here.
    anchor: bool
    #: Side-by-side position when blocks in one lane overlap: ``track`` of ``tracks``.
    track: int
    tracks: int
    #: Part of it lies outside the lane's working time (a break, after hours, an absence).
    outside_hours: bool


@dataclass(frozen=True, slots=True)
class FreeCell:
    """A free time in a consultant's lane: bookable for a caller, or a walk-in now."""

    start: datetime
    span: Span
    bookable: bool
    walk_in: bool


@dataclass(frozen=True, slots=True)
class LaneDay:
    lane: Lane
    working: tuple[Shade, ...]
    absent: tuple[Shade, ...]
    blocks: tuple[Block, ...]
    free: tuple[FreeCell, ...]


@dataclass(frozen=True, slots=True)
class Mark:
    """A time label on the vertical axis: a full hour (or the half hour the clock jumps to)."""

    row: int
    at: datetime


@dataclass(frozen=True, slots=True)
class DayGrid:
    day: date
    start: datetime
    rows: int
    marks: tuple[Mark, ...]
    open: tuple[Shade, ...]
    lanes: tuple[LaneDay, ...]


def week_days(monday: date) -> list[date]:
    return [monday + timedelta(days=n) for n in range(7)]


def iso_week(text: str | None, today: date) -> date:
    """The Monday of an ISO week written ``2026-W49``; this week when it is absent.

    Raises ValueError for anything else, including week 53 of a year that has none.
    """
    if not text:
        return today - timedelta(days=today.weekday())
    year, sep, week = text.partition("-W")
    if not (sep and len(year) == 4 and year.isdigit() and len(week) == 2 and week.isdigit()):
        raise ValueError(f"not an ISO week: {text!r}")
    return date.fromisocalendar(int(year), int(week), 1)


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def window(days: Sequence[DayPlan], booked: Sequence[Booked], tz: tzinfo) -> tuple[time, time]:
    """The wall-clock window every day of the week shows: from the earliest hour anything
    opens, works or is booked to the end of the latest one, in whole hours."""
    spans = [i for d in days for i in (*d.open, *(x for s in d.schedules.values() for x in s))]
    spans += [Interval(b.starts_at, b.ends_at) for b in booked]
    if not spans:
        return DEFAULT_WINDOW
    first = min(i.start.astimezone(tz).time() for i in spans)
    last = max(_wall_end(i, tz) for i in spans)
    hour = last.hour + (1 if (last.minute, last.second) != (0, 0) else 0)
    return time(first.hour), LAST_SECOND if hour >= 24 else time(hour)


def _last_instant(day: date, wall: time, tz: tzinfo) -> datetime:
    """When the clock shows ``wall`` on ``day`` for the last time: in October's repeated hour
    the second time, so that a window ending at 02:30 holds both of its 02:00-02:30."""
    first = wall_to_utc(day, wall, tz)
    naive = datetime.combine(day, wall)
    later = naive.replace(tzinfo=tz, fold=1).astimezone(UTC)
    return later if later > first and later.astimezone(tz).replace(tzinfo=None) == naive else first


def _wall_end(interval: Interval, tz: tzinfo) -> time:
    """The wall time something ends, or the day's last second when it runs past midnight."""
    start, end = interval.start.astimezone(tz), interval.end.astimezone(tz)
    return end.time() if end.date() == start.date() else LAST_SECOND


def lay_out_day(
    plan: DayPlan,
    lanes: Sequence[Lane],
    booked: Sequence[Booked],
    *,
    tz: tzinfo,
    wall: tuple[time, time],
    cell: timedelta,
    now: datetime,
    bookable: tuple[datetime, datetime],
    buffer: timedelta = timedelta(0),
) -> DayGrid:
    """One day's grid: rows of real time between the window's wall-clock ends."""
    start = wall_to_utc(plan.day, wall[0], tz)
    end = _last_instant(plan.day, wall[1], tz)
    rows = max(1, _rows_up(end - start))
    frame = Interval(start, start + rows * ROW)
    today = [b for b in booked if b.starts_at < frame.end and frame.start < b.ends_at]
    return DayGrid(
        day=plan.day,
        start=start,
        rows=rows,
        marks=tuple(_marks(frame, tz)),
        open=tuple(_shades(normalize(plan.open), frame)),
        lanes=tuple(
            _lane_day(
                plan,
                lane,
                today,
                frame,
                anchors={b.id: _anchor_lane(b, lanes) for b in today if b.starts_at >= start},
                cell=cell,
                now=now,
                bookable=bookable,
                buffer=buffer,
            )
            for lane in lanes
        ),
    )


def _lane_day(
    plan: DayPlan,
    lane: Lane,
    booked: Sequence[Booked],
    frame: Interval,
    *,
    anchors: Mapping[int, int | None],
    cell: timedelta,
    now: datetime,
    bookable: tuple[datetime, datetime],
    buffer: timedelta,
) -> LaneDay:
    schedule = normalize(plan.schedules.get(lane.id, ()))
    absences = normalize(plan.absences.get(lane.id, ()))
    working = subtract(intersect(normalize(plan.open), schedule), absences)
    mine = sorted(
        (b for b in booked if lane.id in b.lanes), key=lambda b: (b.starts_at, b.ends_at, b.id)
    )
    tracks = _tracks(mine)
    blocks = tuple(
        Block(
            booked=b,
            span=_span(Interval(b.starts_at, b.ends_at), frame),
            anchor=anchors.get(b.id) == lane.id,
            track=tracks[b.id][0],
            tracks=tracks[b.id][1],
            outside_hours=bool(subtract([Interval(b.starts_at, b.ends_at)], working)),
        )
        for b in mine
    )
    free = (
        _free_cells(
            subtract(
                working,
                normalize(Interval(b.starts_at - buffer, b.ends_at + buffer) for b in mine),
            ),
            frame,
            cell=cell,
            now=now,
            bookable=bookable,
        )
        if lane.bookable
        else ()
    )
    return LaneDay(
        lane=lane,
        working=tuple(_shades(schedule, frame)),
        absent=tuple(_shades(absences, frame)),
        blocks=blocks,
        free=tuple(free),
    )


def _tracks(blocks: Sequence[Booked]) -> dict[int, tuple[int, int]]:
    """Side-by-side tracks for overlapping blocks (sorted by start): each block takes the
    first track free at its start; a cluster of overlapping blocks shares one track count."""
    result: dict[int, tuple[int, int]] = {}
    cluster: list[tuple[int, int]] = []
    ends: list[datetime] = []
    for b in blocks:
        if cluster and b.starts_at >= max(ends):
            result.update((i, (t, len(ends))) for i, t in cluster)
            cluster, ends = [], []
        track = next((t for t, end in enumerate(ends) if end <= b.starts_at), len(ends))
        if track == len(ends):
            ends.append(b.ends_at)
        else:
            ends[track] = b.ends_at
        cluster.append((b.id, track))
    result.update((i, (t, len(ends))) for i, t in cluster)
    return result


def _free_cells(
    free: Sequence[Interval],
    frame: Interval,
    *,
    cell: timedelta,
    now: datetime,
    bookable: tuple[datetime, datetime],
) -> list[FreeCell]:
    """Whole cells of ``cell`` on the grid from the frame's start (which is a full local
    hour) inside free time, not yet over; bookable when they start in ``bookable`` (notice
    to horizon), and the cell holding ``now`` is where a walk-in starts."""
    cells = []
    for gap in free:
        steps = -(-(max(gap.start, frame.start) - frame.start) // cell)
        at = frame.start + steps * cell
        while at + cell <= min(gap.end, frame.end):
            if at + cell > now:
                cells.append(
                    FreeCell(
                        start=at,
                        span=_span(Interval(at, at + cell), frame),
                        bookable=bookable[0] <= at <= bookable[1],
                        walk_in=at <= now < at + cell,
                    )
                )
            at += cell
    return cells


def _rows_up(length: timedelta) -> int:
    return -(-length // ROW)


def _span(interval: Interval, frame: Interval) -> Span:
    """The rows an interval covers in the frame, cut to it (at least one row)."""
    first = max(0, (max(interval.start, frame.start) - frame.start) // ROW)
    last = _rows_up(min(interval.end, frame.end) - frame.start)
    return Span(first, max(1, last - first))


def _shades(intervals: Sequence[Interval], frame: Interval) -> list[Shade]:
    return [
        Shade(_span(i, frame), i) for i in intervals if i.start < frame.end and frame.start < i.end
    ]


def _anchor_lane(booked: Booked, lanes: Sequence[Lane]) -> int | None:
    return next((lane.id for lane in lanes if lane.id in booked.lanes), None)


def _marks(frame: Interval, tz: tzinfo) -> list[Mark]:
    """A label at every row where the wall clock shows a full hour, and where it jumps."""
    marks = []
    row, previous = 0, None
    at = frame.start
    while at < frame.end:
        local = at.astimezone(tz)
        offset = local.utcoffset()
        if local.minute == 0 or (previous is not None and offset != previous):
            marks.append(Mark(row, at))
        previous = offset
        at += ROW
        row += 1
    return marks
