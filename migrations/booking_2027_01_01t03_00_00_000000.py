"""The roll-up's UPDATE triggers on PostgreSQL become row triggers on the counted columns
(issue 12): the statement trigger joined the old and new rows of every UPDATE, unindexed,
and slowed the retention job's 5,000-row batches, which change none of them, about 80-fold.
``AFTER UPDATE OF`` with a WHEN condition costs nothing for such updates."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2027-01-01T03:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Report roll-up: row-level UPDATE triggers on PostgreSQL"

#: As in the migration of 2027-01-01T01:00 (COUNTED there).
COUNTED = {
    "appointment": (
        "point", "topic", "language", "channel", "status", "starts_at", "ends_at",
        "held_until", "local_date", "local_weekday", "local_hour", "lead_days", "lead_minutes",
    ),
    "handover": ("appointment", "agency", "outcome", "interpreter_language"),
    "allocation": ("appointment", "role", "live"),
}  # fmt: skip


def _insert(table: str, row: str) -> str:
    if table == "appointment":
        return (
            f"INSERT INTO report_dirty (local_date) SELECT {row}.local_date"
            f" WHERE {row}.local_date IS NOT NULL;"
        )
    return (
        "INSERT INTO report_dirty (local_date) SELECT local_date FROM appointment"
        f" WHERE id = {row}.appointment AND local_date IS NOT NULL;"
    )


def row_trigger(table: str) -> list[str]:
    columns = ", ".join(COUNTED[table])
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in COUNTED[table])
    return [
        f"CREATE FUNCTION report_dirty_{table}_row() RETURNS trigger LANGUAGE plpgsql AS $$"
        f" BEGIN {_insert(table, 'OLD')} {_insert(table, 'NEW')} RETURN NULL; END $$",
        f"CREATE TRIGGER {table}_update_report_dirty AFTER UPDATE OF {columns} ON {table}"
        f" FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION report_dirty_{table}_row()",
    ]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def up() -> None:
        if engine.engine_type != "postgres":
            return  # SQLite's are row triggers on these columns already
        for table in COUNTED:
            await engine.run_ddl(f"DROP TRIGGER {table}_update_report_dirty ON {table}")
            for sql in row_trigger(table):
                await engine.run_ddl(sql)

    async def down() -> None:
        if engine.engine_type != "postgres":
            return
        for table in COUNTED:
            await engine.run_ddl(f"DROP TRIGGER {table}_update_report_dirty ON {table}")
            await engine.run_ddl(f"DROP FUNCTION report_dirty_{table}_row()")
            await engine.run_ddl(
                f"CREATE TRIGGER {table}_update_report_dirty AFTER UPDATE ON {table}"
                " REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows"
                f" FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_{table}()"
            )

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
