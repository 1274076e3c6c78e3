"""Whole months of the roll-up: a month's rows (``report_month``) are the sums of its days'
rows, so a report reads one row per group and month for every whole month of its period
with no dirty day, where the days would give one per group and day. The trend by date
(``times``) has no month rows: it needs its days."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta


def month_of(day: date) -> date:
    return day.replace(day=1)


def next_month(month: date) -> date:
    return (month + timedelta(days=32)).replace(day=1)


def whole_months(first: date, last: date, dirty: Iterable[date]) -> list[date]:
    """The months (their first days) that lie wholly within [first, last] and hold no
    ``dirty`` day."""
    touched = {month_of(d) for d in dirty}
    month, found = month_of(first), []
    if month < first:
        month = next_month(month)
    while next_month(month) - timedelta(days=1) <= last:
        if month not in touched:
            found.append(month)
        month = next_month(month)
    return found


def other_days(first: date, last: date, whole: Iterable[date]) -> list[tuple[date, date]]:
    """The runs of days of [first, last] outside the months ``whole`` (sorted), both ends
    included: what a report reads day by day."""
    runs, start = [], first
    for month in whole:
        if start < month:
            runs.append((start, month - timedelta(days=1)))
        start = next_month(month)
    if start <= last:
        runs.append((start, last))
    return runs
