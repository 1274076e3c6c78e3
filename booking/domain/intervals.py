"""Time intervals and the set operations availability is built from.

Two shapes: an ``Interval`` is half-open, [start, end), the time something occupies; a
``Window`` is closed, [first, last], the set of instants at which something may *start*.
Keeping them apart is what lets a start exactly at the edge of a gap be offered.
All functions take and return sorted, merged lists and never mutate.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta


@dataclass(frozen=True, slots=True, order=True)
class Interval:
    """The half-open range [start, end); empty and reversed ranges are refused."""

    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if not self.start < self.end:
            raise ValueError(f"interval must end after it starts: {self.start} .. {self.end}")

    @property
    def duration(self) -> timedelta:
        return self.end - self.start

    def overlaps(self, other: Interval) -> bool:
        return self.start < other.end and other.start < self.end

    def contains(self, other: Interval) -> bool:
        return self.start <= other.start and other.end <= self.end


@dataclass(frozen=True, slots=True, order=True)
class Window:
    """The closed range [first, last] of possible start instants; first == last is one instant."""

    first: datetime
    last: datetime

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"window must not end before it begins: {self.first} .. {self.last}")

    def __contains__(self, instant: datetime) -> bool:
        return self.first <= instant <= self.last


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
    merged: list[Window] = []
    for current in sorted(windows):
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
