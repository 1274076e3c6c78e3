"""The next evening opening a share card announces (booking.domain.opening_status), checked
against a minute-by-minute walk over the wall clock."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.domain.opening_hours import WallHours, WeeklyHours, WeeklyPattern, zone
from booking.domain.opening_status import EVENING, next_evening

AMS = zone("Europe/Amsterdam")
LOOK_AHEAD = 14


@st.composite
def weekly(draw) -> WeeklyPattern:
    rows = []
    for _ in range(draw(st.integers(0, 6))):
        opens = draw(st.integers(6 * 4, 22 * 4))
        closes = draw(st.integers(opens + 1, 24 * 4 - 1))
        hours = WallHours(time(opens // 4, opens % 4 * 15), time(closes // 4, closes % 4 * 15))
        rows.append(WeeklyHours(draw(st.integers(0, 6)), hours))
    return WeeklyPattern(weekly=tuple(rows))


def open_minutes(pattern: WeeklyPattern, day: date) -> set[int]:
    """The day's open minutes on the wall clock, counted from midnight."""
    return {
        m
        for h in pattern.hours_on(day)
        for m in range(h.opens.hour * 60 + h.opens.minute, h.closes.hour * 60 + h.closes.minute)
    }


def walked(pattern: WeeklyPattern, now: datetime) -> tuple[date, WallHours] | None:
    """The first open minute from 17:00 on that is not yet past, and where that run ends."""
    local = now.astimezone(AMS)
    for offset in range(LOOK_AHEAD + 1):
        day = local.date() + timedelta(days=offset)
        first = EVENING.hour * 60
        open_ = open_minutes(pattern, day)
        for minute in range(first, 24 * 60):
            if minute not in open_:
                continue
            end = minute
            while end < 24 * 60 and end in open_:
                end += 1
            if offset == 0 and local.hour * 60 + local.minute >= end:
                continue
            start = max(minute, first)
            return day, WallHours(time(start // 60, start % 60), time(end // 60, end % 60))
    return None


@settings(deadline=None)
@given(weekly(), st.integers(0, 7 * 24 * 4 - 1))
def test_the_next_evening_is_the_first_evening_opening_not_yet_over(pattern, quarter):
    now = datetime(2026, 11, 30, tzinfo=UTC) + timedelta(minutes=15 * quarter)
    assert next_evening(pattern, AMS, now, LOOK_AHEAD) == walked(pattern, now)


def test_tuesday_evening_in_veghel_is_announced_as_it_is_written():
    veghel = WeeklyPattern(
        weekly=(
            WeeklyHours(1, WallHours(time(9), time(17))),
            WeeklyHours(1, WallHours(time(17), time(21))),
        )
    )
    monday_noon = datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
    assert next_evening(veghel, AMS, monday_noon) == (
        date(2026, 12, 1),
        WallHours(time(17), time(21)),
    )
