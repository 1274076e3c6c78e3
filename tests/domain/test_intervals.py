"""Interval and window operations against a brute-force model on whole minutes."""

import itertools
from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from booking.domain.intervals import (
    Interval,
    Window,
    intersect,
    intersect_windows,
    merge_windows,
    normalize,
    remove_conflicts,
    start_windows,
    subtract,
)

T0 = datetime(2026, 12, 1, tzinfo=UTC)


def at(minute: int) -> datetime:
    return T0 + timedelta(minutes=minute)


intervals = st.lists(
    st.tuples(st.integers(0, 300), st.integers(1, 60)).map(
        lambda p: Interval(at(p[0]), at(p[0] + p[1]))
    ),
    max_size=8,
)
windows = st.lists(
    st.tuples(st.integers(0, 300), st.integers(0, 60)).map(
        lambda p: Window(at(p[0]), at(p[0] + p[1]))
    ),
    max_size=8,
)


def minutes(items: list[Interval]) -> set[int]:
    return {
        m
        for i in items
        for m in range(
            int((i.start - T0).total_seconds() // 60), int((i.end - T0).total_seconds() // 60)
        )
    }


def points(items: list[Window]) -> set[int]:
    return {
        m
        for w in items
        for m in range(
            int((w.first - T0).total_seconds() // 60), int((w.last - T0).total_seconds() // 60) + 1
        )
    }


@given(intervals)
def test_normalize_keeps_the_same_minutes_sorted_and_apart(items):
    result = normalize(items)
    assert minutes(result) == minutes(items)
    assert all(a.end < b.start for a, b in itertools.pairwise(result))


@given(intervals, intervals)
def test_intersect_and_subtract_match_set_operations(a, b):
    a, b = normalize(a), normalize(b)
    assert minutes(intersect(a, b)) == minutes(a) & minutes(b)
    assert minutes(subtract(a, b)) == minutes(a) - minutes(b)


@given(windows, windows)
def test_window_operations_are_closed_set_operations(a, b):
    a, b = merge_windows(a), merge_windows(b)
    assert points(intersect_windows(a, b)) == points(a) & points(b)


@given(intervals, intervals, st.integers(1, 45), st.integers(0, 15))
def test_remove_conflicts_keeps_exactly_the_starts_that_fit(room, busy, length, buffer):
    room, busy = normalize(room), normalize(busy)
    length_td, reach = timedelta(minutes=length), timedelta(minutes=length + buffer)
    kept = points(remove_conflicts(start_windows(room, length_td), busy, reach))
    busy_minutes = minutes(busy)
    expected = {
        s
        for s in range(0, 400)
        if any(r.start <= at(s) and at(s) + length_td <= r.end for r in room)
        and not busy_minutes & set(range(s, s + length + buffer))
    }
    assert kept == expected


def test_touching_gap_of_exact_length_is_offered():
    busy = [Interval(at(0), at(30)), Interval(at(60), at(90))]
    kept = remove_conflicts([Window(at(0), at(90))], busy, timedelta(minutes=30))
    assert kept == [Window(at(30), at(30)), Window(at(90), at(90))]
