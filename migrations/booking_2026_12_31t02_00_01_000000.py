"""Single sign-on: one staff login per (issuer, subject), and the identities of an account."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-31T02:00:01:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes: staff_identity (issuer, subject) unique, and by account"

UP = [
    "CREATE UNIQUE INDEX staff_identity_issuer_subject ON staff_identity (issuer, subject)",
    "CREATE INDEX staff_identity_account ON staff_identity (account)",
]
DOWN = ["DROP INDEX staff_identity_account", "DROP INDEX staff_identity_issuer_subject"]


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
