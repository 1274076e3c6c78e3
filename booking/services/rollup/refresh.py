"""The worker's roll-up job: recomputes ``report_day`` for the dirty local dates that are
past, a batch of dates per transaction.

Each batch first deletes the dirty marks of its dates and then counts those dates from the
live tables, in one transaction: a change committed before the delete is seen by the count,
one committed later has left a mark of its own, so nothing is missed. A worker killed
mid-batch rolls the batch back, marks included, and the next run does it again. Workers
take turns on PostgreSQL (an advisory lock), so two never write one date twice. Marks of
dates ahead, where every booking leaves one, are thinned to one per date.
"""

from __future__ import annotations

import zlib
from datetime import date, timedelta

from booking.db.rows import fetch_tuples
from booking.db.transactions import engine, is_sqlite, write_transaction
from booking.services.rollup import months
from booking.services.rollup.kinds import ALL, TIMES, Kind

#: Dates recomputed per transaction.
BATCH_DAYS = 14
#: Days before the UTC date that count as past in every zone: rolled up then, not before.
SETTLE_DAYS = 1
LOCK = zlib.crc32(b"report roll-up")


def _value(day: date) -> date | str:
    return day.isoformat() if is_sqlite() else day


def _insert(kind: Kind, dates: list[date | str]) -> tuple[str, list]:
    condition, args = kind.condition()
    marks = ", ".join("{}" for _ in dates)
    # The date is the roll-up's own column (first), the kind second; its others follow.
    others = [(name, sql) for name, sql in kind.columns if name != "local_date"]
    names = "".join(f"{name}, " for name, _ in others)
    expressions = "".join(f"{sql}, " for _, sql in others)
    groups = "".join(f", {n + 3}" for n in range(len(others)))
    sql = (
        f"INSERT INTO report_day (local_date, kind, {names}{kind.measures()})"  # noqa: S608
        f" SELECT a.local_date, {{}}, {expressions}{kind.live_measures(engine().engine_type)}"
        f" FROM appointment a{kind.join} WHERE {condition} AND a.local_date IN ({marks})"
        f" GROUP BY 1{groups}"
    )
    return sql, [kind.name, *args, *dates]


async def roll_batch(today: date, *, days: int = BATCH_DAYS) -> int:
    """Recomputes up to ``days`` of the dirty dates before ``today`` minus SETTLE_DAYS in
    one transaction; returns how many (0: nothing left)."""
    cutoff = _value(today - timedelta(days=SETTLE_DAYS))
    async with write_transaction():
        if not is_sqlite():
            await fetch_tuples("SELECT pg_advisory_xact_lock({})", LOCK)
        found = await fetch_tuples(
            "SELECT DISTINCT local_date FROM report_dirty WHERE local_date < {}"
            " ORDER BY local_date LIMIT {}",
            cutoff,
            days,
        )
        dates = [row[0] for row in found]
        if not dates:
            return 0
        marks = ", ".join("{}" for _ in dates)
        await fetch_tuples(f"DELETE FROM report_dirty WHERE local_date IN ({marks})", *dates)  # noqa: S608
        await fetch_tuples(f"DELETE FROM report_day WHERE local_date IN ({marks})", *dates)  # noqa: S608
        for kind in ALL:
            await fetch_tuples(*_flat(_insert(kind, dates)))
        for month in sorted({months.month_of(_day(d)) for d in dates}):
            await _sum_month(month)
    return len(dates)


#: A month's rows from its days' (every kind but the trend by date, which keeps its days).
MONTH_ROWS = (
    "INSERT INTO report_month SELECT {month}, kind, status, local_weekday, local_hour, point,"
    " topic, language, channel, lead_days, lead_bucket, agency, outcome, SUM(seconds), SUM(n)"
    " FROM report_day WHERE kind <> {{}} AND local_date >= {{}} AND local_date < {{}}"
    " GROUP BY kind, status, local_weekday, local_hour, point, topic, language, channel,"
    " lead_days, lead_bucket, agency, outcome"
)


async def _sum_month(month: date) -> None:
    start, end = _value(month), _value(months.next_month(month))
    await fetch_tuples("DELETE FROM report_month WHERE local_date = {}", start)
    sql = MONTH_ROWS.format(month="{}" if is_sqlite() else "CAST({} AS DATE)")
    await fetch_tuples(sql, start, TIMES.name, start, end)


def _day(value: date | str) -> date:
    """A local date as the driver gives it (SQLite: text)."""
    return value if isinstance(value, date) else date.fromisoformat(value)


def _flat(query: tuple[str, list]) -> list:
    return [query[0], *query[1]]


async def thin_ahead(today: date) -> None:
    """Keeps one mark per date from ``today`` minus SETTLE_DAYS on: the others say nothing
    more, and the reports read the marks of their period."""
    cutoff = _value(today - timedelta(days=SETTLE_DAYS))
    async with write_transaction():
        await fetch_tuples(
            "DELETE FROM report_dirty WHERE local_date >= {} AND id NOT IN"
            " (SELECT MIN(id) FROM report_dirty WHERE local_date >= {} GROUP BY local_date)",
            cutoff,
            cutoff,
        )


async def refresh(today: date, *, days: int = BATCH_DAYS) -> int:
    """Every past dirty date recomputed, batch by batch; returns how many dates."""
    await thin_ahead(today)
    done = 0
    while rolled := await roll_batch(today, days=days):
        done += rolled
    return done
