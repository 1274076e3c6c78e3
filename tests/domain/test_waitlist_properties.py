"""The waiting list's pure part: windows round-trip as text and admit exactly what they say;
the matching is fair (longest waiting first), gives each person and each time at most one
offer, and never offers a time in quiet hours, too soon, after the stay or outside windows."""

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from booking.domain.opening_hours import zone
from booking.domain.reminders import QuietHours
from booking.domain.waitlist import (
    DAY_MINUTES,
    PRESETS,
    Opening,
    Waiter,
    Window,
    Windows,
    assign,
    from_presets,
)

AMS = zone("Europe/Amsterdam")
#: Tuesday 1 December 2026, 09:00 in Amsterdam.
NOW = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)
NOTICE = timedelta(hours=2, minutes=15)
QUIET = QuietHours()


@st.composite
def windows(draw) -> Window:
    days = draw(st.frozensets(st.integers(0, 6), min_size=1))
    start = draw(st.integers(0, DAY_MINUTES - 1))
    end = draw(st.integers(start + 1, DAY_MINUTES))
    return Window(days, start, end)


window_sets = st.lists(windows(), min_size=1, max_size=4).map(lambda ws: Windows(tuple(ws)))


@given(window_sets)
def test_windows_round_trip_as_text(ws):
    assert Windows.parse(str(ws)) == ws
    assert str(Windows.parse(str(ws))) == str(ws)


@given(windows(), st.integers(0, 13), st.integers(0, 95), st.sampled_from([30, 45, 60, 90]))
def test_a_window_admits_exactly_the_times_inside_it(window, day, quarter, minutes):
    start = datetime(2026, 12, 7, tzinfo=AMS) + timedelta(days=day, minutes=quarter * 15)
    end = start + timedelta(minutes=minutes)
    first = start.hour * 60 + start.minute
    inside = start.weekday() in window.days and window.start <= first
    inside = inside and first + minutes <= window.end
    assert window.admits(start, end) == inside


def test_the_presets_read_as_people_say_them():
    assert str(from_presets(["evenings", "saturday"])) == "mo-fr 18:00-24:00; sa"
    evening = datetime(2026, 12, 8, 18, 30, tzinfo=AMS)
    assert PRESETS["evenings"].admits(evening, evening + timedelta(hours=1))
    assert not PRESETS["evenings"].admits(evening - timedelta(hours=1), evening)
    with pytest.raises(ValueError):
        Windows.parse("mo-fr 25:00-26:00")
    with pytest.raises(ValueError):
        Windows.parse("fr-mo")


@st.composite
def worlds(draw):
    starts = draw(st.lists(st.integers(0, 14 * 96), min_size=0, max_size=12, unique=True))
    openings = [
        Opening(
            point_id=draw(st.integers(1, 2)),
            topic_id=1,
            language=draw(st.sampled_from(["pl", "ro"])),
            start=NOW + timedelta(minutes=15 * q),
            end=NOW + timedelta(minutes=15 * q + 60),
            tz=AMS,
        )
        for q in starts
    ]
    waiters = [
        Waiter(
            entry_id=n,
            joined_at=NOW - timedelta(minutes=draw(st.integers(0, 10_000))),
            point_ids=draw(st.frozensets(st.integers(1, 2), min_size=1)),
            topic_id=1,
            language=draw(st.sampled_from(["pl", "ro"])),
            windows=draw(window_sets),
            expires_at=NOW + timedelta(days=draw(st.integers(1, 28))),
            seen=frozenset(o.key for o in openings if draw(st.booleans()) and draw(st.booleans())),
        )
        for n in range(draw(st.integers(0, 6)))
    ]
    now = NOW + timedelta(hours=draw(st.integers(0, 23)))
    return waiters, openings, now


@given(worlds())
def test_offers_are_fair_single_and_reachable(world):
    waiters, openings, now = world
    offers = assign(waiters, openings, now=now, notice=NOTICE, quiet=QUIET)
    people = [w.entry_id for w, _ in offers]
    times = [o.key for _, o in offers]
    assert len(people) == len(set(people)) and len(times) == len(set(times))
    if QUIET.contains(now, AMS):
        assert offers == []
        return
    for waiter, opening in offers:
        assert waiter.suits(opening, now, NOTICE)
        assert opening.start >= now + NOTICE and opening.start < waiter.expires_at
        local = opening.start.astimezone(AMS), opening.end.astimezone(AMS)
        assert waiter.windows.admits(*local) and opening.key not in waiter.seen
    # Fair: a time given to someone suited nobody who waited longer and was left without.
    given_to = dict(zip(people, times, strict=True))
    line = sorted(waiters, key=lambda w: (w.joined_at, w.entry_id))
    for waiter, opening in offers:
        for earlier in line[: line.index(waiter)]:
            if earlier.entry_id not in given_to:
                assert not earlier.suits(opening, now, NOTICE)
    # Nobody who is left without an offer could have had a time that nobody took.
    free = [o for o in openings if o.key not in set(times)]
    for waiter in waiters:
        if waiter.entry_id not in given_to:
            assert not any(waiter.suits(o, now, NOTICE) for o in free)
