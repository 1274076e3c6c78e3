"""Status callbacks find their message by the provider's id."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T07:45:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Index: messages by provider id"

UP = [
    "CREATE INDEX message_provider ON message (provider_id)",
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
