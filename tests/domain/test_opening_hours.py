"""Wall-clock hours to UTC: seasons, exceptions, holidays, and both DST changes of 2026."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given
from hypothesis import strategies as st

from booking.domain.opening_hours import (
    WallHours,
    WeeklyHours,
    WeeklyPattern,
    by_day,
    holidays_between,
    wall_to_utc,
    zone,
)

AMS = zone("Europe/Amsterdam")
SPRING, AUTUMN = date(2026, 3, 29), date(2026, 10, 25)  # last Sundays of March and October


def every_day(opens: time, closes: time) -> tuple[WeeklyHours, ...]:
    return tuple(WeeklyHours(d, WallHours(opens, closes)) for d in range(7))


def test_evening_hours_stay_local_across_both_dst_changes():
    pattern = WeeklyPattern(weekly=every_day(time(18, 30), time(21, 0)))
    for change in (SPRING, AUTUMN):
        spans = pattern.intervals(AMS, change - timedelta(days=2), change + timedelta(days=2))
        assert len(spans) == 5
        assert {s.start.astimezone(AMS).time() for s in spans} == {time(18, 30)}
        assert {s.end.astimezone(AMS).time() for s in spans} == {time(21, 0)}
    before, after = pattern.intervals(AMS, SPRING - timedelta(days=1), SPRING)
    assert before.start.utcoffset() == timedelta(0)
    assert (before.start.hour, after.start.hour) == (17, 16)  # UTC shifts, local does not


def test_spring_gap_times_map_to_the_jump_and_never_to_a_phantom_instant():
    jump = datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert wall_to_utc(SPRING, time(2, 0), AMS) == jump
    assert wall_to_utc(SPRING, time(2, 30), AMS) == jump
    night = WeeklyPattern(weekly=every_day(time(1, 0), time(4, 0))).intervals(AMS, SPRING, SPRING)
    assert [(i.start, i.duration) for i in night] == [
        (jump - timedelta(hours=1), timedelta(hours=2))
    ]


def test_a_gap_time_marked_as_second_fold_still_maps_to_the_jump():
    assert wall_to_utc(SPRING, time(2, 0, fold=1), AMS) == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)


def test_autumn_repeated_hour_means_its_first_occurrence():
    first = wall_to_utc(AUTUMN, time(2, 30), AMS)
    assert first == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    night = WeeklyPattern(weekly=every_day(time(1, 0), time(4, 0))).intervals(AMS, AUTUMN, AUTUMN)
    assert night[0].duration == timedelta(hours=4)


@given(st.dates(date(2026, 1, 1), date(2027, 12, 31)), st.times())
def test_wall_to_utc_round_trips_every_existing_time(day, wall):
    wall = wall.replace(microsecond=0)
    instant = wall_to_utc(day, wall, AMS)
    local = instant.astimezone(AMS)
    if local.replace(tzinfo=None) == datetime.combine(day, wall):
        return
    # Only the spring gap may move, and only forward to the jump, by less than an hour.
    assert day in (date(2026, 3, 29), date(2027, 3, 28))
    assert time(2) <= wall < time(3)
    assert local.time() == time(3)


def test_precedence_closed_changed_holiday_extra():
    monday = date(2026, 12, 7)
    weekly = (WeeklyHours(0, WallHours(time(9), time(17))),)
    extra = by_day([(monday, WallHours(time(17), time(21)))])
    assert WeeklyPattern(weekly=weekly, extra=extra).hours_on(monday) == [
        WallHours(time(9), time(21))
    ]
    assert WeeklyPattern(weekly=weekly, holidays=frozenset({monday}), extra=extra).hours_on(
        monday
    ) == [WallHours(time(17), time(21))]
    changed = by_day([(monday, WallHours(time(12), time(14)))])
    assert WeeklyPattern(weekly=weekly, holidays=frozenset({monday}), changed=changed).hours_on(
        monday
    ) == [WallHours(time(12), time(14))]
    assert (
        WeeklyPattern(weekly=weekly, closed=frozenset({monday}), extra=extra).hours_on(monday) == []
    )


def test_seasons_limit_a_pattern():
    summer = WeeklyHours(5, WallHours(time(10), time(14)), date(2026, 4, 1), date(2026, 9, 30))
    pattern = WeeklyPattern(weekly=(summer,))
    assert pattern.hours_on(date(2026, 9, 26)) and not pattern.hours_on(date(2026, 10, 3))


def test_dutch_public_holidays():
    days = holidays_between(date(2026, 12, 20), date(2027, 1, 2))
    assert set(days) == {date(2026, 12, 25), date(2026, 12, 26), date(2027, 1, 1)}
    assert date(2025, 5, 5) in holidays_between(date(2025, 5, 1), date(2025, 5, 31))
    assert date(2026, 5, 5) not in holidays_between(date(2026, 5, 1), date(2026, 5, 31))


def test_opening_status_reads_like_a_person_would_say_it():
    from booking.domain.opening_status import opening_status

    veghel = WeeklyPattern(
        weekly=(
            WeeklyHours(1, WallHours(time(9), time(17))),
            WeeklyHours(1, WallHours(time(17), time(21))),
            WeeklyHours(3, WallHours(time(18), time(21))),
        )
    )
    tuesday = date(2026, 12, 1)

    def at(day: date, hour: int, minute: int = 0):
        return opening_status(veghel, AMS, wall_to_utc(day, time(hour, minute), AMS))

    assert (at(tuesday, 8).state, at(tuesday, 8).hours) == (
        "opens_today",
        WallHours(time(9), time(21)),
    )
    assert (at(tuesday, 20, 30).state, at(tuesday, 20, 30).hours.closes) == ("open_now", time(21))
    thursday = date(2026, 12, 3)
    assert at(thursday, 12).state == "opens_tonight"
    after = at(tuesday, 22)
    assert (after.state, after.day) == ("next", thursday)
    assert (
        opening_status(WeeklyPattern(), AMS, wall_to_utc(tuesday, time(8), AMS)).state
        == "closed_for_now"
    )
