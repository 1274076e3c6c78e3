"""Partial indexes that keep the retention job cheap when nothing is due (issue 7)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T09:42:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes for the retention job: appointments not yet erased, erasure requests"

UP = [
    "CREATE INDEX appointment_to_erase ON appointment (ends_at) WHERE erased_at IS NULL",
    "CREATE INDEX migrant_contact_erase_requested ON migrant_contact (id)"
    " WHERE erase_requested_at IS NOT NULL AND phone IS NOT NULL",
    "CREATE INDEX message_contact ON message (contact)",
    "CREATE INDEX callback_request_contact ON callback_request (contact)",
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
