"""Indexes for calendars both ways (issue 13): busy times are read per resource and time."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-13T01:01:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes: external busy times by resource and start, sources and counters"

UP = [
    "CREATE INDEX external_busy_resource ON external_busy (resource, starts_at)",
    "CREATE INDEX external_busy_source ON external_busy (source)",
    "CREATE INDEX busy_source_resource ON busy_source (resource)",
    "CREATE INDEX invite_counter_appointment ON invite_counter (appointment)",
]
DOWN = [f"DROP INDEX {sql.split()[2]}" for sql in reversed(UP)]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def up() -> None:
        for sql in UP:
            await engine.run_ddl(sql)

    async def down() -> None:
        for sql in DOWN:
            await engine.run_ddl(sql)

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
