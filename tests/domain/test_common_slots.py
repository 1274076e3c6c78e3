"""Common slots of several resource groups against a brute-force oracle, across DST weeks."""

from datetime import UTC, date, datetime, time, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from booking.domain.availability import SlotRules, StaffCalendar
from booking.domain.common_slots import Group, assign, common_starts
from booking.domain.intervals import Interval, normalize
from booking.domain.opening_hours import WallHours, WeeklyHours, WeeklyPattern, zone
from booking.domain.opening_hours import local_day_bounds as day_bounds
from tests.domain.test_availability import pattern

AMS = zone("Europe/Amsterdam")
QUARTER = timedelta(minutes=15)


@st.composite
def scenario(draw):
    first = draw(
        st.sampled_from([date(2026, 10, 24), date(2027, 3, 27)])
        | st.dates(date(2026, 1, 1), date(2027, 12, 31))
    )
    last = first + timedelta(days=draw(st.integers(0, 2)))
    span = day_bounds(first, last, AMS)

    def busy():
        starts = st.integers(0, int(span.duration.total_seconds() // 60))
        return st.lists(
            st.tuples(starts, st.integers(5, 120)).map(
                lambda p: Interval(
                    span.start + timedelta(minutes=p[0]),
                    span.start + timedelta(minutes=p[0] + p[1]),
                )
            ),
            max_size=3,
        )

    def member(n):
        return StaffCalendar.of(
            n, frozenset(), draw(pattern()).intervals(AMS, first, last), normalize(draw(busy()))
        )

    groups = [
        Group(
            role,
            tuple(member(n) for n in range(1, draw(st.integers(0, 3)) + 1)),
            timedelta(minutes=draw(st.sampled_from([0, 10, 15]))),
        )
        for role in ("agency", "interpreter", "consultant")[: draw(st.integers(1, 3))]
    ]
    return dict(
        groups=groups,
        duration=timedelta(minutes=draw(st.sampled_from([30, 45, 60, 90]))),
        rules=SlotRules(
            grid=QUARTER,
            min_notice=timedelta(minutes=draw(st.integers(0, 300))),
            horizon=timedelta(days=draw(st.integers(1, 4))),
        ),
        now=span.start - timedelta(minutes=draw(st.integers(0, 24 * 60))),
        span=span,
    )


@settings(max_examples=300, deadline=None)
@given(scenario())
def test_common_starts_are_exactly_where_every_group_has_someone_free(s):
    found = common_starts(
        s["groups"],
        duration=s["duration"],
        rules=s["rules"],
        now=s["now"],
        tz=AMS,
        within=s["span"],
    )
    expected, instant = [], s["span"].start
    while instant < s["span"].end:
        bookable = s["now"] + s["rules"].min_notice <= instant <= s["now"] + s["rules"].horizon
        if bookable and assign(instant, s["groups"], s["duration"]) is not None:
            expected.append(instant)
        instant += QUARTER
    assert found == expected


@settings(max_examples=200, deadline=None)
@given(scenario())
def test_assignment_takes_a_free_member_of_every_group(s):
    found = common_starts(
        s["groups"],
        duration=s["duration"],
        rules=s["rules"],
        now=s["now"],
        tz=AMS,
        within=s["span"],
    )
    for start in found[:5]:
        chosen = assign(start, s["groups"], s["duration"])
        assert chosen is not None and len(chosen) == len(s["groups"])
        for group, member in zip(s["groups"], chosen, strict=True):
            assert member in group.members
            assert member.can_take(start, s["duration"], group.buffer)


def desk(capacity_hours: dict[int, int], day: date) -> Group:
    """An agency's places for one day: place n is open where the capacity is at least n."""
    hours = WallHours(time(17), time(21))
    places = []
    for n in range(1, max(capacity_hours.values()) + 1):
        weekly = tuple(WeeklyHours(d, hours) for d, c in capacity_hours.items() if c >= n)
        places.append(
            StaffCalendar.of(n, frozenset(), WeeklyPattern(weekly).intervals(AMS, day, day))
        )
    return Group("agency", tuple(places))


def test_two_places_take_two_handovers_and_a_third_finds_none():
    tuesday = date(2026, 10, 27)
    group = desk({1: 2}, tuesday)
    start = datetime(2026, 10, 27, 17, 0, tzinfo=UTC)  # 18:00 in Veghel, after the change
    half_hour = timedelta(minutes=30)
    first = assign(start, [group], half_hour)
    assert first is not None and first[0].staff_id == 1
    busy_one = Group(
        "agency",
        (
            StaffCalendar(group.members[0].shift, (Interval(start, start + half_hour),)),
            group.members[1],
        ),
    )
    second = assign(start, [busy_one], half_hour)
    assert second is not None and second[0].staff_id == 2
    both_busy = Group(
        "agency",
        tuple(StaffCalendar(m.shift, (Interval(start, start + half_hour),)) for m in group.members),
    )
    assert assign(start, [both_busy], half_hour) is None
    assert assign(start + half_hour, [both_busy], half_hour) is not None
