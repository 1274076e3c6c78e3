"""How long a walk-in waits: the queue ahead served first come, first served by the desks.

Pure: the caller reads who is on duty now for the person's language (consultants who speak
it, or any consultant when an interpreter exists, DOMAIN.md rule 3), what today's
appointments already take of them, and the topics of the people ahead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from booking.domain.intervals import Interval, normalize


@dataclass(frozen=True, slots=True)
class Desk:
    """One consultant on duty today: when they work and what appointments already take."""

    working: tuple[Interval, ...]
    busy: tuple[Interval, ...] = ()


def earliest_start(
    desk: Desk, busy: Sequence[Interval], after: datetime, duration: timedelta, buffer: timedelta
) -> datetime | None:
    """The first instant from ``after`` at which ``desk`` can serve ``duration`` in one go."""
    candidates = sorted(
        {after}
        | {b.end for b in busy if b.end > after}
        | {w.start for w in desk.working if w.start > after}
    )
    for start in candidates:
        held = Interval(start, start + duration)
        blocked = Interval(start, start + duration + buffer)
        if any(w.contains(held) for w in desk.working) and not any(
            b.overlaps(blocked) for b in busy
        ):
            return start
    return None


def estimate_start(
    now: datetime,
    desks: Sequence[Desk],
    ahead: Sequence[timedelta],
    duration: timedelta,
    buffer: timedelta = timedelta(0),
) -> datetime | None:
    """When the next walk-in of ``duration`` is likely served, behind ``ahead`` (in order).

    Each person goes to the desk that can start them first; someone no desk can serve today
    is passed over. None when no desk can serve the new person today.
    """
    taken = [normalize(d.busy) for d in desks]
    for need in ahead:
        chosen = _first_desk(desks, taken, now, need, buffer)
        if chosen is not None:
            start, i = chosen
            taken[i] = normalize([*taken[i], Interval(start, start + need + buffer)])
    chosen = _first_desk(desks, taken, now, duration, buffer)
    return None if chosen is None else chosen[0]


def _first_desk(
    desks: Sequence[Desk],
    taken: Sequence[Sequence[Interval]],
    now: datetime,
    need: timedelta,
    buffer: timedelta,
) -> tuple[datetime, int] | None:
    options = [
        (start, i)
        for i, desk in enumerate(desks)
        if (start := earliest_start(desk, taken[i], now, need, buffer)) is not None
    ]
    return min(options) if options else None


def estimate_wait(
    now: datetime,
    desks: Sequence[Desk],
    ahead: Sequence[timedelta],
    duration: timedelta,
    buffer: timedelta = timedelta(0),
) -> timedelta | None:
    """The estimated wait from ``now``, or None when nobody can serve today."""
    start = estimate_start(now, desks, ahead, duration, buffer)
    return None if start is None else start - now


def rounded_minutes(wait: timedelta, step: int = 5) -> int:
    """Minutes rounded up to ``step``, so an estimate never promises too little."""
    minutes = -(-int(wait.total_seconds()) // 60)
    return -(-minutes // step) * step
