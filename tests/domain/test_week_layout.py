"""The week calendar's geometry against a minute-by-minute oracle, and the clock changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from booking.domain.intervals import Interval
from booking.domain.opening_hours import wall_to_utc
from booking.domain.week_layout import (
    LAST_SECOND,
    ROW,
    Booked,
    DayPlan,
    Lane,
    iso_week,
    lay_out_day,
    week_label,
    window,
)

ZONE = ZoneInfo("Europe/Amsterdam")
MINUTE = timedelta(minutes=1)
CELL = timedelta(minutes=30)
#: An ordinary Tuesday and the two clock-change Sundays.
DAYS = (date(2026, 12, 1), date(2027, 3, 28), date(2026, 10, 25))
CONSULTANT = Lane(1, "Agnieszka", "consultant", bookable=True)
INTERPRETER = Lane(2, "Ion", "interpreter", bookable=False)
LANES = (CONSULTANT, INTERPRETER)


def at(day: date, hhmm: str) -> datetime:
    return wall_to_utc(day, time.fromisoformat(hhmm), ZONE)


@st.composite
def spans(draw, day: date, most: int = 3) -> list[Interval]:
    """Up to ``most`` intervals of whole quarter hours within the day (local 00:00-24:00)."""
    start = at(day, "00:00")
    quarters = int((at(day + timedelta(days=1), "00:00") - start) / timedelta(minutes=15))
    result = []
    for _ in range(draw(st.integers(0, most))):
        a = draw(st.integers(0, quarters - 1))
        b = draw(st.integers(a + 1, min(quarters, a + 16)))
        result.append(
            Interval(start + a * timedelta(minutes=15), start + b * timedelta(minutes=15))
        )
    return result


@st.composite
def days(draw):
    day = draw(st.sampled_from(DAYS))
    open_ = draw(spans(day))
    schedule = draw(spans(day))
    absences = draw(spans(day, 1))
    booked = [
        Booked(n, frozenset(draw(st.sets(st.sampled_from((1, 2)), min_size=1))), i.start, i.end)
        for n, i in enumerate(draw(spans(day, 4)), start=1)
    ]
    plan = DayPlan(
        day=day,
        open=tuple(sorted(open_)),
        schedules={1: schedule, 2: schedule},
        absences={1: absences, 2: []},
    )
    now = at(day, "00:00") + draw(st.integers(0, 24 * 4)) * timedelta(minutes=15)
    return plan, booked, now


def minutes(intervals) -> set[datetime]:
    found = set()
    for i in intervals:
        t = i.start
        while t < i.end:
            found.add(t)
            t += MINUTE
    return found


def rows_of(start: datetime, first: int, count: int) -> set[datetime]:
    return minutes([Interval(start + first * ROW, start + (first + count) * ROW)])


@settings(max_examples=150, deadline=None)
@given(days())
def test_blocks_cells_and_shades_against_minutes(drawn):
    plan, booked, now = drawn
    wall = window([plan], booked, ZONE)
    grid = lay_out_day(
        plan, LANES, booked, tz=ZONE, wall=wall, cell=CELL, now=now,
        bookable=(now + timedelta(hours=2), now + timedelta(days=56)),
    )  # fmt: skip
    frame = Interval(grid.start, grid.start + grid.rows * ROW)
    shown = minutes([frame])
    # The frame covers everything open, scheduled and booked that day.
    assert minutes(plan.open) <= shown and minutes(plan.schedules[1]) <= shown
    assert minutes(Interval(b.starts_at, b.ends_at) for b in booked) <= shown
    working = minutes(plan.open) & minutes(plan.schedules[1]) - minutes(plan.absences[1])
    for lane_day in grid.lanes:
        lane = lane_day.lane
        mine = [b for b in booked if lane.id in b.lanes]
        assert [b.booked for b in lane_day.blocks] == sorted(
            mine, key=lambda b: (b.starts_at, b.ends_at, b.id)
        )
        for block in lane_day.blocks:
            held = minutes([Interval(block.booked.starts_at, block.booked.ends_at)])
            # Rows: exactly those the block's minutes fall in (all on the 5-minute grid here).
            assert rows_of(grid.start, block.span.first, block.span.rows) == held
            lane_working = (
                working if lane.id == 1 else (minutes(plan.open) & minutes(plan.schedules[2]))
            )
            assert block.outside_hours == bool(held - lane_working)
            assert 0 <= block.track < block.tracks
        # Overlapping blocks never share a track.
        for a in lane_day.blocks:
            for b in lane_day.blocks:
                if (
                    a is not b
                    and a.booked.starts_at < b.booked.ends_at
                    and b.booked.starts_at < a.booked.ends_at
                ):
                    assert a.track != b.track
        # Anchors: each appointment once, in the first lane holding it.
        for block in lane_day.blocks:
            assert block.anchor == (min(block.booked.lanes) == lane.id)
        if not lane.bookable:
            assert lane_day.free == ()
            continue
        taken = minutes(Interval(b.starts_at, b.ends_at) for b in mine)
        expected = []
        t = grid.start
        while t + CELL <= frame.end:
            cell = minutes([Interval(t, t + CELL)])
            if cell <= working and not cell & taken and t + CELL > now:
                expected.append(t)
            t += CELL
        assert [c.start for c in lane_day.free] == expected
        for c in lane_day.free:
            assert c.walk_in == (c.start <= now < c.start + CELL)
            assert c.bookable == (c.start >= now + timedelta(hours=2))
            assert rows_of(grid.start, c.span.first, c.span.rows) == minutes(
                [Interval(c.start, c.start + CELL)]
            )


def whole_day(day: date):
    plan = DayPlan(day, (Interval(at(day, "00:00"), at(day + timedelta(days=1), "00:00")),), {}, {})
    return lay_out_day(
        plan, (CONSULTANT,), [], tz=ZONE, wall=(time(0), LAST_SECOND), cell=CELL,
        now=datetime(2020, 1, 1, tzinfo=UTC), bookable=(datetime(2020, 1, 1, tzinfo=UTC),) * 2,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("day", "hours", "labels"),
    [
        (date(2026, 12, 1), 24, ["00:00", "01:00", "02:00", "03:00"]),
        (date(2027, 3, 28), 23, ["00:00", "01:00", "03:00", "04:00"]),
        (date(2026, 10, 25), 25, ["00:00", "01:00", "02:00", "02:00", "03:00"]),
    ],
)
def test_a_whole_day_has_as_many_rows_as_it_has_real_hours(day, hours, labels):
    grid = whole_day(day)
    assert grid.rows == hours * 12
    shown = [m.at.astimezone(ZONE).strftime("%H:%M") for m in grid.marks]
    assert shown[: len(labels)] == labels and len(shown) == hours
    assert grid.open[0].span.rows == hours * 12


def test_an_appointment_over_a_break_or_an_absence_is_flagged_and_others_sit_side_by_side():
    day = date(2026, 12, 1)
    plan = DayPlan(
        day,
        (Interval(at(day, "09:00"), at(day, "21:00")),),
        {
            1: [
                Interval(at(day, "09:00"), at(day, "12:00")),
                Interval(at(day, "13:00"), at(day, "17:00")),
            ]
        },
        {1: [Interval(at(day, "15:00"), at(day, "16:00"))]},
    )
    booked = [
        Booked(1, frozenset({1}), at(day, "11:45"), at(day, "12:15")),  # into the lunch break
        Booked(2, frozenset({1}), at(day, "13:00"), at(day, "13:30")),
        Booked(3, frozenset({1}), at(day, "13:15"), at(day, "13:45")),  # overlaps 2
        Booked(4, frozenset({1}), at(day, "15:30"), at(day, "16:00")),  # during the absence
        Booked(5, frozenset({1}), at(day, "16:30"), at(day, "17:00")),
    ]
    grid = lay_out_day(
        plan, (CONSULTANT,), booked, tz=ZONE, wall=window([plan], booked, ZONE), cell=CELL,
        now=at(day, "08:00"), bookable=(at(day, "10:00"), at(day, "23:00")),
    )  # fmt: skip
    blocks = {b.booked.id: b for b in grid.lanes[0].blocks}
    assert [blocks[i].outside_hours for i in range(1, 6)] == [True, False, False, True, False]
    assert [(blocks[i].track, blocks[i].tracks) for i in range(1, 6)] == [
        (0, 1), (0, 2), (1, 2), (0, 1), (0, 1),
    ]  # fmt: skip
    assert grid.start == at(day, "09:00") and grid.rows == 12 * 12
    assert blocks[1].span.first == 33 and blocks[1].span.rows == 6
    free = [c.start.astimezone(ZONE).strftime("%H:%M") for c in grid.lanes[0].free]
    assert free == ["09:00", "09:30", "10:00", "10:30", "11:00", "14:00", "14:30", "16:00"]
    assert [c.bookable for c in grid.lanes[0].free][:3] == [False, False, True]


def test_the_window_is_whole_hours_and_reaches_midnight():
    day = date(2026, 12, 1)
    plan = DayPlan(day, (Interval(at(day, "09:30"), at(day, "17:10")),), {}, {})
    assert window([plan], [], ZONE) == (time(9), time(18))
    late = Booked(1, frozenset({1}), at(day, "23:30"), at(day + timedelta(days=1), "00:15"))
    assert window([plan], [late], ZONE) == (time(9), LAST_SECOND)
    assert window([DayPlan(day, (), {}, {})], [], ZONE) == (time(9), time(17))


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 12, 31)))
def test_iso_weeks_read_back_what_they_name(day):
    monday = iso_week(week_label(day), day)
    assert monday.weekday() == 0 and monday <= day < monday + timedelta(days=7)
    assert iso_week(None, day) == monday


@pytest.mark.parametrize("text", ["2026-W54", "2026-W00", "2026-49", "W49", "2026-W4x", "26-W49"])
def test_what_is_not_an_iso_week_is_refused(text):
    with pytest.raises(ValueError):
        iso_week(text, date(2026, 12, 1))
