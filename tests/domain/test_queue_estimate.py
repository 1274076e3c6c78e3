"""The walk-in wait estimate: examples a desk would recognise, and properties on random days."""

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from booking.domain.intervals import Interval
from booking.domain.queue import Desk, estimate_start, estimate_wait, rounded_minutes

NOW = datetime(2026, 12, 7, 10, 0, tzinfo=UTC)
DAY = Desk((Interval(NOW - timedelta(hours=1), NOW + timedelta(hours=7)),))
M = timedelta(minutes=1)


def test_a_free_desk_serves_at_once() -> None:
    assert estimate_wait(NOW, [DAY], [], 30 * M) == timedelta(0)


def test_people_ahead_wait_in_turn_across_two_desks() -> None:
    assert estimate_wait(NOW, [DAY, DAY], [30 * M, 20 * M], 30 * M) == 20 * M
    assert estimate_wait(NOW, [DAY], [30 * M, 20 * M], 30 * M) == 50 * M


def test_an_appointment_takes_the_desk_first() -> None:
    booked = Desk(DAY.working, (Interval(NOW + 10 * M, NOW + 40 * M),))
    # 30 minutes do not fit before the appointment at 10:10: after it, with the buffer.
    assert estimate_wait(NOW, [booked], [], 30 * M, 5 * M) == 40 * M
    assert estimate_wait(NOW, [booked], [], 5 * M, 5 * M) == timedelta(0)


def test_nobody_on_duty_means_no_estimate() -> None:
    assert estimate_wait(NOW, [], [], 30 * M) is None
    ending = Desk((Interval(NOW - timedelta(hours=1), NOW + 20 * M),))
    assert estimate_wait(NOW, [ending], [], 30 * M) is None


def test_minutes_round_up() -> None:
    assert [rounded_minutes(s * M) for s in (0, 1, 5, 6, 59)] == [0, 5, 5, 10, 60]


minutes = st.integers(5, 90).map(lambda m: m * M)


@st.composite
def desks(draw: st.DrawFn) -> list[Desk]:
    out = []
    for _ in range(draw(st.integers(0, 4))):
        begin = NOW + draw(st.integers(-120, 120)) * M
        working = (Interval(begin, begin + draw(st.integers(30, 600)) * M),)
        busy = []
        for _ in range(draw(st.integers(0, 3))):
            start = NOW + draw(st.integers(-60, 400)) * M
            busy.append(Interval(start, start + draw(minutes)))
        out.append(Desk(working, tuple(busy)))
    return out


@given(desks(), st.lists(minutes, max_size=6), minutes, minutes, st.integers(0, 10))
def test_the_estimate_is_a_real_start_and_never_shorter_with_more_ahead(
    day: list[Desk], ahead: list[timedelta], more: timedelta, duration: timedelta, buffer: int
) -> None:
    gap = buffer * M
    start = estimate_start(NOW, day, ahead, duration, gap)
    if start is not None:
        assert start >= NOW
        # Someone could really be served then: a desk works and has no appointment then.
        assert any(
            any(w.contains(Interval(start, start + duration)) for w in d.working) for d in day
        )
    later = estimate_start(NOW, day, [*ahead, more], duration, gap)
    if start is None:
        assert later is None
    elif later is not None:
        assert later >= start
