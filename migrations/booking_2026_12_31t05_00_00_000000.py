"""The audit log viewer: a detail per entry (the filter of a look at the log itself) and
indexes for its filters, each ending in the id that pages go by (keyset, newest first)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Varchar
from piccolo.columns.indexes import IndexMethod
from piccolo.engine.finder import engine_finder

ID = "2026-12-31T05:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "audit_entry.detail; indexes by account and by subject"

#: The viewer finds an appointment's entries by ``subject = 'appointment:12'`` or
#: ``subject LIKE 'appointment:12:%'``; on PostgreSQL only a pattern operator class serves a
#: LIKE prefix under every collation (and it serves equality too).
UP = {
    "postgres": [
        "CREATE INDEX audit_entry_account_id ON audit_entry (account, id)",
        "CREATE INDEX audit_entry_subject_id ON audit_entry (subject varchar_pattern_ops, id)",
    ],
    "sqlite": [
        "CREATE INDEX audit_entry_account_id ON audit_entry (account, id)",
        "CREATE INDEX audit_entry_subject_id ON audit_entry (subject, id)",
    ],
}
DOWN = ["DROP INDEX audit_entry_subject_id", "DROP INDEX audit_entry_account_id"]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def up() -> None:
        for sql in UP[engine.engine_type]:
            await engine.run_ddl(sql)

    async def down() -> None:
        for sql in DOWN:
            await engine.run_ddl(sql)

    # Raw statements run before added columns: these indexes name existing columns only.
    manager.add_raw(up)
    manager.add_raw_backwards(down)
    manager.add_column(
        table_class_name="AuditEntry",
        tablename="audit_entry",
        column_name="detail",
        db_column_name="detail",
        column_class_name="Varchar",
        column_class=Varchar,
        params={
            "length": 200,
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )
    return manager
