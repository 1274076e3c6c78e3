"""The reports count queue waits live beside the roll-up: a partial index keeps that a few
rows however many appointments there are (walk-ins from the queue are few)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2027-01-09T02:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index of the appointments with a queue wait, by local date"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def up() -> None:
        await engine.run_ddl(
            "CREATE INDEX appointment_waited ON appointment (local_date)"
            " WHERE waited_minutes IS NOT NULL"
        )

    async def down() -> None:
        await engine.run_ddl("DROP INDEX appointment_waited")

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
