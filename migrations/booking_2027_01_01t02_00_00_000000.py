"""The roll-up's whole months (issue 12): ``report_month``, one row per group and month
summed from ``report_day`` by the worker (booking/services/rollup/months.py), so that a
national report of 13 months reads 13 rows per point where the days gave about 400."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2027-01-01T02:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Report roll-up: report_month"

MONTHS = (
    "CREATE TABLE report_month (local_date DATE NOT NULL, kind VARCHAR(12) NOT NULL,"
    " status VARCHAR(10), local_weekday SMALLINT, local_hour SMALLINT, point INTEGER,"
    " topic INTEGER, language VARCHAR(12), channel VARCHAR(10), lead_days INTEGER,"
    " lead_bucket INTEGER, agency INTEGER, outcome VARCHAR(16), seconds BIGINT,"
    " n INTEGER NOT NULL)"
)
#: Every month's rows, from the days already rolled up.
FILL = (
    "INSERT INTO report_month SELECT {month}, kind, status, local_weekday, local_hour, point,"
    " topic, language, channel, lead_days, lead_bucket, agency, outcome, SUM(seconds), SUM(n)"
    " FROM report_day WHERE kind <> 'times' GROUP BY {month}, kind, status, local_weekday,"
    " local_hour, point, topic, language, channel, lead_days, lead_bucket, agency, outcome"
)
MONTH = {
    "postgres": "CAST(date_trunc('month', local_date) AS DATE)",
    "sqlite": "strftime('%Y-%m-01', local_date)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def up() -> None:
        kind = "postgres" if engine.engine_type == "postgres" else "sqlite"
        await engine.run_ddl(MONTHS)
        await engine.run_ddl(
            "CREATE INDEX report_month_kind_date ON report_month (kind, local_date)"
        )
        await engine.run_ddl(FILL.format(month=MONTH[kind]))

    async def down() -> None:
        await engine.run_ddl("DROP TABLE report_month")

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
