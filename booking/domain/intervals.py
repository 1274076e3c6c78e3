"""Time intervals and the set operations availability is built from.

Two shapes: an ``Interval`` is half-open, [start, end), the time something occupies; a
``Window`` is closed, [first, last], the set of instants at which something may *start*.
Keeping them apart is what lets a start exactly at the edge of a gap be offered.
All functions take and return sorted, merged lists and never mutate.

Both are named tuples rather than dataclasses: a 4-week search builds and sorts tens of
thousands of them, and tuples compare and construct in C. They do not validate themselves;
every function here returns only non-empty ones, and ``checked`` guards the boundary.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from itertools import chain
from typing import NamedTuple


class Interval(NamedTuple):
    """The half-open range [start, end), start < end."""

    start: datetime
    end: datetime

    @classmethod
    def checked(cls, start: datetime, end: datetime) -> Interval:
        """An interval from outside input; refuses empty and reversed ranges."""
        if not start < end:
            raise ValueError(f"interval must end after it starts: {start} .. {end}")
        return cls(start, end)

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end


class Window(NamedTuple):
    """The closed range [first, last] of possible start instants; first == last is one instant."""

    first: datetime
    last: datetime


def normalize(intervals: Iterable[Interval]) -> list[Interval]:
    """Sorts and merges overlapping or touching intervals."""
    merged: list[Interval] = []
    for current in sorted(intervals):
        if merged and current.start <= merged[-1].end:
            if current.end > merged[-1].end:
                merged[-1] = Interval(merged[-1].start, current.end)
        else:
            merged.append(current)
    return merged


def intersect(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """The instants in both; inputs normalized."""
    result: list[Interval] = []
    i = j = 0
    while i < len(a) and j < len(b):
        start, end = max(a[i].start, b[j].start), min(a[i].end, b[j].end)
        if start < end:
            result.append(Interval(start, end))
        if a[i].end < b[j].end:
            i += 1
        else:
            j += 1
    return result


def subtract(a: Sequence[Interval], b: Sequence[Interval]) -> list[Interval]:
    """The instants in ``a`` and not in ``b``; inputs normalized."""
    result: list[Interval] = []
    j = 0
    for piece in a:
        start = piece.start
        while j < len(b) and b[j].end <= start:
            j += 1
        k = j
        while k < len(b) and b[k].start < piece.end:
            if b[k].start > start:
                result.append(Interval(start, b[k].start))
            start = max(start, b[k].end)
            k += 1
        if start < piece.end:
            result.append(Interval(start, piece.end))
    return result


def merge_windows(windows: Iterable[Window]) -> list[Window]:
    """Sorts and merges windows that overlap or share an end point."""
    return _merge_sorted_windows(sorted(windows))


def union_windows(lists: Iterable[Sequence[Window]]) -> list[Window]:
    """The union of several window lists (one sort in C beats a k-way merge in Python)."""
    return _merge_sorted_windows(sorted(chain.from_iterable(lists)))


def _merge_sorted_windows(windows: Iterable[Window]) -> list[Window]:
    merged: list[Window] = []
    for current in windows:
        if merged and current.first <= merged[-1].last:
            if current.last > merged[-1].last:
                merged[-1] = Window(merged[-1].first, current.last)
        else:
            merged.append(current)
    return merged


def intersect_windows(a: Sequence[Window], b: Sequence[Window]) -> list[Window]:
    """The start instants in both; a shared end point survives as a one-instant window."""
    result: list[Window] = []
    i = j = 0
    while i < len(a) and j < len(b):
        first, last = max(a[i].first, b[j].first), min(a[i].last, b[j].last)
        if first <= last:
            result.append(Window(first, last))
        if a[i].last < b[j].last:
            i += 1
        else:
            j += 1
    return result


def clip_windows(windows: Sequence[Window], first: datetime, last: datetime) -> list[Window]:
    """The part of ``windows`` inside [first, last]."""
    if last < first:
        return []
    return intersect_windows(windows, [Window(first, last)])


def start_windows(room: Sequence[Interval], length: timedelta) -> list[Window]:
    """Where an interval of ``length`` can start and still fit inside ``room``."""
    return [Window(r.start, r.end - length) for r in room if r.end - length >= r.start]


def remove_conflicts(
    windows: Sequence[Window], busy: Sequence[Interval], reach: timedelta
) -> list[Window]:
    """Drops the starts s whose [s, s + reach) would overlap a busy interval.

    Such starts form the open range (busy.start - reach, busy.end), so what survives of
    each window stays closed. Both inputs sorted and merged; runs in one pass.
    """
    result: list[Window] = []
    j = 0
    for window in windows:
        first = window.first
        while j < len(busy) and busy[j].end <= first:
            j += 1
        k = j
        while k < len(busy):
            lo, hi = busy[k].start - reach, busy[k].end
            if lo >= window.last:
                break
            if lo >= first:
                result.append(Window(first, lo))
            first = max(first, hi)
            if first > window.last:
                break
            k += 1
        if first <= window.last:
            result.append(Window(first, window.last))
    return result
