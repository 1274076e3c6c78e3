"""Reports from SQL (issue 12): fills the local date, weekday, hour and lead time of every
existing appointment, in batches by id (the zone is the point's, so Python works them out,
with the code that stamps new rows), then adds the index the report queries read by."""

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder
from piccolo.querystring import QueryString

from booking.reports.stamps import stamp

ID = "2026-12-31T06:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Appointment: fill the report columns; index by point and local date"

BATCH = 2000
#: Booked appointments by point and local date. On PostgreSQL the index also carries every
#: column the reports count by, and the id and times their joins need, so a report reads
#: the index alone (an index-only scan) instead of visiting each appointment's row.
INDEX = (
    "CREATE INDEX appointment_report_day ON appointment (point, local_date){include}"
    " WHERE held_until IS NULL"
)
INCLUDE = (
    " INCLUDE (status, local_weekday, local_hour, topic, language, channel, lead_days,"
    " lead_minutes, id, starts_at, ends_at)"
)
UNSTAMPED = (
    "SELECT a.id, CAST(a.starts_at AS TEXT), CAST(a.created_at AS TEXT), p.timezone"
    " FROM appointment a JOIN point p ON p.id = a.point"
    " WHERE a.id > {} AND a.local_date IS NULL ORDER BY a.id LIMIT {}"
)
#: PostgreSQL types the VALUES by their casts; SQLite takes them as given.
CASTS = {
    "postgres": tuple(
        f"{{}}::{t}" for t in ("integer", "date", "smallint", "smallint", "integer", "integer")
    ),
    "sqlite": ("{}",) * 6,
}
UPDATE = (
    "WITH v(id, d, w, h, ld, lm) AS (VALUES {values})"
    " UPDATE appointment SET local_date = v.d, local_weekday = v.w, local_hour = v.h,"
    " lead_days = v.ld, lead_minutes = v.lm FROM v WHERE appointment.id = v.id"
)


def _instant(text: str) -> datetime:
    """A stored instant read as text: ISO on SQLite, ``2026-10-06 16:00:00+00`` on
    PostgreSQL; one without an offset is UTC, as Piccolo writes it."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


async def fill(engine) -> None:
    casts = CASTS["postgres" if engine.engine_type == "postgres" else "sqlite"]
    row_sql = "(" + ", ".join(casts) + ")"
    after, zones = 0, {}
    while rows := await engine.run_querystring(QueryString(UNSTAMPED, after, BATCH)):
        args = []
        for row in rows:
            ident, start, made, tz_name = row.values()
            tz = zones.setdefault(tz_name, ZoneInfo(tz_name))
            s = stamp(_instant(start), _instant(made), tz)
            day = s.local_date if engine.engine_type == "postgres" else s.local_date.isoformat()
            args += [ident, day, s.local_weekday, s.local_hour, s.lead_days, s.lead_minutes]
            after = ident
        sql = UPDATE.format(values=", ".join(row_sql for _ in rows))
        await engine.run_querystring(QueryString(sql, *args))


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def up() -> None:
        await fill(engine)
        postgres = engine.engine_type == "postgres"
        await engine.run_ddl(INDEX.format(include=INCLUDE if postgres else ""))

    async def down() -> None:
        await engine.run_ddl("DROP INDEX appointment_report_day")

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
