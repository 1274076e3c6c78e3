"""One number per point and local day in the walk-in queue; the queue is read by point
and day (the agenda, the kiosk and the waiting-room screen)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2027-01-09T01:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Walk-in queue: unique number per point and day"

INDEXES = {
    "queue_entry_number": "UNIQUE INDEX queue_entry_number ON queue_entry (point, local_date, number)",
    "kiosk_link_point": "INDEX kiosk_link_point ON kiosk_link (point)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def up() -> None:
        for definition in INDEXES.values():
            await engine.run_ddl(f"CREATE {definition}")

    async def down() -> None:
        for name in INDEXES:
            await engine.run_ddl(f"DROP INDEX {name}")

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
