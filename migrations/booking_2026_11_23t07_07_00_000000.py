"""Indexes for the outbox claim, rate limits and per-number lookups (both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T07:07:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes: pending messages, rate events, contacts by phone"

UP = [
    "CREATE INDEX message_due ON message (due_at) WHERE status = 'pending'",
    "CREATE INDEX message_appointment ON message (appointment)",
    "CREATE INDEX rate_event_key ON rate_event (kind, key_hash, created_at)",
    "CREATE INDEX migrant_contact_phone ON migrant_contact (phone)",
    "CREATE INDEX appointment_contact ON appointment (contact)",
]
DOWN = [f"DROP INDEX {sql.split()[2]}" for sql in reversed(UP)]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def run(statements: list[str]) -> None:
        for sql in statements:
            await engine.run_ddl(sql)

    async def up() -> None:
        await run(UP)

    async def down() -> None:
        await run(DOWN)

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
