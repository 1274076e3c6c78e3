"""What the report counts, once: each Kind is one grouped statement of report_facts, written
so that the same columns can be counted live from ``appointment`` or summed from the
roll-up ``report_day`` (a sparse table: each kind fills the columns it groups by)."""

from __future__ import annotations

from dataclasses import dataclass

from booking.db.tables import Allocation, Appointment
from booking.reports.figures import BOOKED_STATUSES

#: Lead minutes are grouped in buckets of a day for the median (report_facts), and only
#: the middle buckets are read minute by minute; both engines truncate the division alike.
LEAD_BUCKET_MINUTES = 1440
#: Whole seconds from start to end of an appointment, per engine: integers, so that sums of
#: sums are exactly the sum.
SECONDS = {
    "postgres": "CAST(EXTRACT(EPOCH FROM a.ends_at - a.starts_at) AS BIGINT)",
    "sqlite": "CAST(ROUND((julianday(a.ends_at) - julianday(a.starts_at)) * 86400) AS INTEGER)",
}
#: Only constants and placeholders are spliced in; every value is a bound parameter.
BOOKED = "a.held_until IS NULL AND a.status <> {}"
STANDING = " AND a.status IN (" + ", ".join("{}" for _ in BOOKED_STATUSES) + ")"
INTERPRETED = (
    " AND EXISTS (SELECT 1 FROM allocation i WHERE i.appointment = a.id AND i.role = {} AND i.live)"
)


@dataclass(frozen=True, slots=True)
class Kind:
    """One grouped count: ``columns`` are (roll-up column, live expression) pairs."""

    name: str
    columns: tuple[tuple[str, str], ...]
    #: Standing appointments only (booked and not cancelled), else cancelled ones too.
    standing: bool = True
    join: str = ""
    #: Counted interpreted appointments only, with their seconds summed besides the count.
    interpreted: bool = False

    def condition(self) -> tuple[str, list]:
        """The WHERE clause (without period or points) and its parameters."""
        sql, args = BOOKED, [Appointment.HELD]
        if self.standing:
            sql, args = sql + STANDING, [*args, *BOOKED_STATUSES]
        if self.interpreted:
            sql, args = sql + INTERPRETED, [*args, Allocation.INTERPRETER]
        return sql, args

    @property
    def by_date(self) -> bool:
        """Grouped by date, so never summed into months."""
        return any(name == "local_date" for name, _ in self.columns)

    def names(self) -> str:
        return ", ".join(name for name, _ in self.columns)

    def expressions(self) -> str:
        return ", ".join(f"{expression} AS {name}" for name, expression in self.columns)

    def live_measures(self, engine_type: str) -> str:
        """What a live row counts: seconds (interpreted kinds) and appointments."""
        seconds = f"SUM({SECONDS[engine_type]}) AS seconds, " if self.interpreted else ""
        return f"{seconds}COUNT(*) AS n"

    def measures(self) -> str:
        return "seconds, n" if self.interpreted else "n"


TIMES = Kind(
    "times",
    (("status", "a.status"), ("local_date", "a.local_date"), ("local_hour", "a.local_hour")),
    standing=False,
)
POINTS = Kind("points", (("point", "a.point"),))
HOURS = Kind(
    "hours",
    (("point", "a.point"), ("local_weekday", "a.local_weekday"), ("local_hour", "a.local_hour")),
)
KINDS = Kind("kinds", (("topic", "a.topic"), ("language", "a.language"), ("channel", "a.channel")))
LEADS = Kind(
    "leads",
    (
        ("lead_days", "a.lead_days"),
        ("lead_bucket", f"a.lead_minutes / {LEAD_BUCKET_MINUTES}"),
    ),
)
HANDOVERS = Kind(
    "handovers",
    (("agency", "h.agency"), ("status", "a.status"), ("outcome", "h.outcome")),
    standing=False,
    join=" JOIN handover h ON h.appointment = a.id",
)
INTERPRETING = Kind(
    "interpreting",
    (("language", "COALESCE(h.interpreter_language, a.language)"),),
    join=" LEFT JOIN handover h ON h.appointment = a.id",
    interpreted=True,
)
#: Every kind the worker rolls up.
ALL = (TIMES, POINTS, HOURS, KINDS, LEADS, HANDOVERS, INTERPRETING)


def bucket_range(buckets: set[int]) -> tuple[int, int]:
    """The lead minutes that the lead buckets ``buckets`` hold, from least to most
    (division truncates toward zero, so bucket 0 holds both signs)."""
    lows = [b * LEAD_BUCKET_MINUTES - (LEAD_BUCKET_MINUTES - 1 if b <= 0 else 0) for b in buckets]
    highs = [b * LEAD_BUCKET_MINUTES + (LEAD_BUCKET_MINUTES - 1 if b >= 0 else 0) for b in buckets]
    return min(lows), max(highs)
