"""Who is busy when: live allocations and busy times from people's own calendars, read in one
statement for a search."""

from collections.abc import Sequence
from datetime import datetime

from booking.db import rows
from booking.db.transactions import is_sqlite
from booking.domain.availability import MAX_HOLD
from booking.domain.intervals import Interval


async def busy_by_resource(
    resources: Sequence[str], span: Interval, now: datetime
) -> tuple[dict[str, list[Interval]], frozenset[str]]:
    """Live allocations of ``resources`` overlapping ``span``, sorted, and which resources
    also carry an expired hold there: searches ignore those, but the database counts them
    until they are released, so a booking releases them first (and only then).

    One raw statement returning tuples: a 4-week search reads thousands of rows, and row
    dicts, and on SQLite Piccolo's per-column converters, cost more than the query; so on
    SQLite instants come back as text and are parsed here.
    """
    if not resources:
        return {}, frozenset()
    text = is_sqlite()
    columns = (
        "CAST(starts_at AS TEXT) AS starts_at, CAST(ends_at AS TEXT) AS ends_at"
        if text
        else "starts_at, ends_at"
    )
    placeholders = ", ".join("{}" for _ in resources)
    bounds = (span.start - MAX_HOLD, span.end, span.start)
    # Only constants and placeholders are spliced in; every value is a bound parameter.
    # Busy times from people's own calendars (external_busy, issue 13) count like live
    # allocations; they are never stale holds.
    found = await rows.fetch_tuples(
        f"SELECT resource, {columns}, (expires_at IS NOT NULL AND expires_at <= {{}})"  # noqa: S608
        f" FROM allocation WHERE resource IN ({placeholders}) AND live"
        " AND starts_at >= {} AND starts_at < {} AND ends_at > {}"
        f" UNION ALL SELECT resource, {columns}, (1 = 0) FROM external_busy"
        f" WHERE resource IN ({placeholders})"
        " AND starts_at >= {} AND starts_at < {} AND ends_at > {}"
        " ORDER BY 1, 2",
        now,
        *resources,
        *bounds,
        *resources,
        *bounds,
    )
    busy: dict[str, list[Interval]] = {}
    stale: set[str] = set()
    parse = datetime.fromisoformat
    for resource, start, end, expired in found:
        if expired:
            stale.add(resource)
        elif text:
            busy.setdefault(resource, []).append(Interval(parse(start), parse(end)))
        else:
            busy.setdefault(resource, []).append(Interval(start, end))
    return busy, frozenset(stale)
