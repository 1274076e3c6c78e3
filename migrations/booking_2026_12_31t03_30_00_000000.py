"""busy_source.password holds a sealed password (booking/sealing.py, issue 13): up to 200
characters sealed take about 310, so PostgreSQL's column widens to 400 (SQLite does not
enforce a VARCHAR length). Passwords stored before were plain: they are emptied, so no
copy of the database holds them; those calendars then show as failing (login refused)
until a coordinator connects them again."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-31T03:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "busy_source.password: room for a sealed password"

#: Passwords stored plain, before they were sealed (a sealed one starts with "s1.").
PLAIN_GONE = (
    "UPDATE busy_source SET password = '' WHERE password <> '' AND password NOT LIKE 's1.%'"
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def widen(length: int) -> None:
        if engine.engine_type == "postgres":
            await engine.run_ddl(
                f"ALTER TABLE busy_source ALTER COLUMN password TYPE VARCHAR({length})"
            )

    async def up() -> None:
        await widen(400)
        await engine.run_ddl(PLAIN_GONE)

    async def down() -> None:
        await widen(200)

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
