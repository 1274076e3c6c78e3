"""The queue's lifecycle (issue 17): erasure asks whether a contact still waits in the queue,
and the closing of past days and the forgetting of their numbers read only the few open or
still-linked entries, however long the queue's history grows."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2027-01-11T01:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Walk-in queue: indexes for closing past days and forgetting their numbers"

INDEXES = {
    "queue_entry_contact": "INDEX queue_entry_contact ON queue_entry (contact)",
    "queue_entry_open": "INDEX queue_entry_open ON queue_entry (point, local_date)"
    " WHERE appointment IS NULL AND status IN ('waiting', 'called')",
    "queue_entry_gone": "INDEX queue_entry_gone ON queue_entry (id)"
    " WHERE status = 'gone' AND contact IS NOT NULL",
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
