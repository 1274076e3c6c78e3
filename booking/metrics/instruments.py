"""The counters and histograms Loket's code updates; the hooks elsewhere are one line each.

Labels are small fixed sets (route templates, outcome codes, channels), never ids, tokens,
numbers or raw paths, so the series stay few and hold no personal data.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from prometheus_client import Counter, Histogram

P = ParamSpec("P")
R = TypeVar("R")

REQUEST_SECONDS = Histogram(
    "loket_http_request_duration_seconds",
    "Time to answer an HTTP request, by route template",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
SLOT_SEARCHES = Counter(
    "loket_slot_searches_total",
    "Slot searches by outcome: found, none (no free time) or the error code",
    ["outcome"],
)
HOLDS = Counter(
    "loket_holds_total",
    "Attempts to hold a slot by outcome: held, or the error code (slot_taken, too_many_holds...)",
    ["outcome"],
)
HOLD_ENDINGS = Counter(
    "loket_hold_endings_total",
    "Code checks and expiries: confirmed, wrong (tries left), tries_used_up (the last wrong"
    " code), ended (time up, or ended before), expired",
    ["ending"],
)
SENDS = Counter("loket_messages_sent_total", "Messages the provider took", ["channel"])
SEND_FAILURES = Counter(
    "loket_send_failures_total",
    "Messages the provider refused: temporary (retried), permanent or opted_out",
    ["channel", "reason"],
)


def counts(
    counter: Counter, outcome: Callable[[R], str]
) -> Callable[[Callable[P, Awaitable[R]]], Callable[P, Awaitable[R]]]:
    """Counts each call of the decorated coroutine by outcome: ``outcome(result)``, or the
    code of the Loket error it raised (booking/domain/errors.py); any other exception
    counts as ``error``. Errors are raised on unchanged."""

    def decorate(function: Callable[P, Awaitable[R]]) -> Callable[P, Awaitable[R]]:
        @functools.wraps(function)
        async def counted(*args: P.args, **kwargs: P.kwargs) -> R:
            try:
                result = await function(*args, **kwargs)
            except Exception as error:
                counter.labels(getattr(error, "code", None) or "error").inc()
                raise
            counter.labels(outcome(result)).inc()
            return result

        return counted

    return decorate


def send_failed(channel: str, *, permanent: bool, opted_out: bool) -> None:
    reason = "opted_out" if opted_out else "permanent" if permanent else "temporary"
    SEND_FAILURES.labels(channel, reason).inc()
