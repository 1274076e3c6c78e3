"""A partial index for the outbox backlog that /metrics reads at every scrape (issue 15)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-15T01:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index: unsettled messages by channel, status and due time"

UP = [
    "CREATE INDEX message_backlog ON message (channel, status, due_at)"
    " WHERE status IN ('pending', 'sending')",
]
DOWN = ["DROP INDEX message_backlog"]


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
