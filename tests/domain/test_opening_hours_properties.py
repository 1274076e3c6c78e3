"""Opening-hours precedence and DST, against a minute-by-minute oracle (issue 11).

The oracle reads the rules as README and DOMAIN.md state them, one day and one minute at a
time: a closed day is shut; else changed hours replace the week (even on a holiday); else a
public holiday is shut; else the weekly hours of that weekday and season apply; extra hours
are added on top, unless the day is closed. For UTC it asks zoneinfo, minute by minute,
what the wall clock shows.
"""

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.domain.opening_hours import WallHours, WeeklyHours, WeeklyPattern, zone

AMS = zone("Europe/Amsterdam")
#: A week either side of each clock change of 2026.
WINDOWS = ((date(2026, 3, 23), date(2026, 4, 3)), (date(2026, 10, 19), date(2026, 10, 30)))
MINUTE = timedelta(minutes=1)

#: Quarter hours, but none starting or ending in 02:xx (the hour that does not exist or comes
#: twice), where "the first occurrence" is the code's documented choice, not a rule to check.
quarter = st.integers(0, 24 * 4 - 1).map(lambda q: q * 15).filter(lambda m: m // 60 != 2)


@st.composite
def wall_hours(draw):
    opens, closes = sorted(draw(st.lists(quarter, min_size=2, max_size=2, unique=True)))
    return WallHours(time(opens // 60, opens % 60), time(closes // 60, closes % 60))


@st.composite
def patterns(draw, first: date, last: date):
    days = st.dates(first, last)
    seasons = st.one_of(st.none(), days)
    weekly = draw(
        st.lists(
            st.builds(WeeklyHours, st.integers(0, 6), wall_hours(), seasons, seasons),
            max_size=6,
        )
    )
    dated = st.dictionaries(days, st.lists(wall_hours(), min_size=1, max_size=2).map(tuple))
    return WeeklyPattern(
        weekly=tuple(weekly),
        closed=frozenset(draw(st.sets(days, max_size=3))),
        holidays=frozenset(draw(st.sets(days, max_size=3))),
        changed=draw(dated),
        extra=draw(dated),
    )


def minutes(hours) -> set[int]:
    return {
        m
        for h in hours
        for m in range(h.opens.hour * 60 + h.opens.minute, h.closes.hour * 60 + h.closes.minute)
    }


def open_minutes(pattern: WeeklyPattern, day: date) -> set[int]:
    """The oracle: which minutes of ``day`` (wall clock) the point is open."""
    if day in pattern.closed:
        return set()
    if day in pattern.changed:
        base = minutes(pattern.changed[day])
    elif day in pattern.holidays:
        base = set()
    else:
        base = set()
        for entry in pattern.weekly:
            in_season = (entry.valid_from is None or entry.valid_from <= day) and (
                entry.valid_to is None or day <= entry.valid_to
            )
            if entry.weekday == day.weekday() and in_season:
                base |= minutes([entry.hours])
    return base | minutes(pattern.extra.get(day, ()))


@st.composite
def window_and_pattern(draw):
    first, last = draw(st.sampled_from(WINDOWS))
    return first, last, draw(patterns(first, last))


@given(window_and_pattern())
def test_each_day_s_hours_follow_the_precedence_rules(case):
    first, last, pattern = case
    day = first
    while day <= last:
        hours = pattern.hours_on(day)
        assert minutes(hours) == open_minutes(pattern, day), day
        # Sorted, and merged: no two ranges overlap or touch.
        assert all(a.closes < b.opens for a, b in pairwise(hours)), hours
        day += timedelta(days=1)


@settings(max_examples=40, deadline=None)
@given(window_and_pattern())
def test_the_utc_intervals_are_the_minutes_the_wall_clock_shows_open(case):
    first, last, pattern = case
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    wall = {day: open_minutes(pattern, day) for day in days}
    expected = set()
    instant = datetime.combine(first - timedelta(days=1), time(22), UTC)
    while instant < datetime.combine(last + timedelta(days=1), time(2), UTC):
        local = instant.astimezone(AMS)
        if local.hour * 60 + local.minute in wall.get(local.date(), ()):
            expected.add(instant)
        instant += MINUTE
    found = set()
    for span in pattern.intervals(AMS, first, last):
        moment = span.start
        while moment < span.end:
            found.add(moment)
            moment += MINUTE
    assert found == expected
