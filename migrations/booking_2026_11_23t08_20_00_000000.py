"""The audit log is append-only, enforced by the database; indexes for staff lookups.

PostgreSQL: a trigger function refuses UPDATE and DELETE on audit_entry. SQLite: BEFORE
triggers that abort. (TRUNCATE, an owner's tool, is not a row change and is not refused.)
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T08:20:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Append-only audit log; staff indexes"

COMMON = [
    "CREATE INDEX staff_session_account ON staff_session (account)",
    "CREATE INDEX audit_entry_at ON audit_entry (at)",
    "CREATE INDEX callback_request_open ON callback_request (point, created_at) WHERE status = 'open'",
]
COMMON_DOWN = [f"DROP INDEX {sql.split()[2]}" for sql in reversed(COMMON)]

POSTGRES = [
    "CREATE FUNCTION refuse_audit_change() RETURNS trigger LANGUAGE plpgsql AS"
    " $$ BEGIN RAISE EXCEPTION 'audit_log_is_append_only'; END $$",
    "CREATE TRIGGER audit_entry_append_only BEFORE UPDATE OR DELETE ON audit_entry"
    " FOR EACH ROW EXECUTE FUNCTION refuse_audit_change()",
]
POSTGRES_DOWN = [
    "DROP TRIGGER audit_entry_append_only ON audit_entry",
    "DROP FUNCTION refuse_audit_change()",
]
SQLITE = [
    f"CREATE TRIGGER audit_entry_no_{op.lower()} BEFORE {op} ON audit_entry"
    " BEGIN SELECT RAISE(ABORT, 'audit_log_is_append_only'); END"
    for op in ("UPDATE", "DELETE")
]
SQLITE_DOWN = [f"DROP TRIGGER audit_entry_no_{op}" for op in ("update", "delete")]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()
    postgres = engine.engine_type == "postgres"

    async def run(statements: list[str]) -> None:
        for sql in statements:
            await engine.run_ddl(sql)

    async def up() -> None:
        await run(COMMON + (POSTGRES if postgres else SQLITE))

    async def down() -> None:
        await run((POSTGRES_DOWN if postgres else SQLITE_DOWN) + COMMON_DOWN)

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
