"""No double booking, enforced by the database itself; master-data revision; hot-path indexes.

PostgreSQL: an exclusion constraint over (resource, [starts_at, ends_at)) for live rows.
SQLite: triggers that abort an insert or update overlapping a live allocation of the same
resource. A hold never lasts more than a day, so searches can bound their index scans.
Instants are compared as text on SQLite: Piccolo stores every aware datetime as
``str(value.astimezone(UTC))``, whose text order is the time order.

Every change to master data bumps ``catalog_revision``, also by trigger, so that caches in
any process notice changes made by any writer.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T06:30:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "No-overlap guarantee per resource, catalog revision, indexes"

MASTER_TABLES = (
    "region", "point", "opening_hours", "opening_exception", "mobile_visit", "topic", "agency",
    "staff_member", "staff_point", "staff_schedule", "staff_absence",
)  # fmt: skip

COMMON = [
    "CREATE UNIQUE INDEX staff_point_unique ON staff_point (staff, point)",
    "CREATE INDEX appointment_point_starts ON appointment (point, starts_at)",
    "CREATE INDEX allocation_appointment ON allocation (appointment)",
    "CREATE INDEX allocation_live_resource ON allocation (resource, starts_at) WHERE live",
    "INSERT INTO catalog_revision (id, revision) VALUES (1, 0)",
]

POSTGRES = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    "ALTER TABLE allocation ADD CONSTRAINT allocation_interval_valid CHECK (starts_at < ends_at)",
    "ALTER TABLE allocation ADD CONSTRAINT allocation_no_overlap EXCLUDE USING gist"
    " (resource WITH =, tstzrange(starts_at, ends_at, '[)') WITH &&) WHERE (live)",
    "CREATE FUNCTION bump_catalog_revision() RETURNS trigger LANGUAGE plpgsql AS"
    " $$ BEGIN UPDATE catalog_revision SET revision = revision + 1; RETURN NULL; END $$",
    *(
        f"CREATE TRIGGER {table}_bumps_revision AFTER INSERT OR UPDATE OR DELETE ON {table}"
        " FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_revision()"
        for table in MASTER_TABLES
    ),
]

_OVERLAP = (
    "EXISTS (SELECT 1 FROM allocation AS other WHERE other.resource = NEW.resource"
    " AND other.live AND other.starts_at < NEW.ends_at AND other.ends_at > NEW.starts_at"
    " AND other.id IS NOT NEW.id)"
)
SQLITE = [
    *(
        f"CREATE TRIGGER {table}_{op.lower()}_bumps_revision AFTER {op} ON {table}"
        " BEGIN UPDATE catalog_revision SET revision = revision + 1; END"
        for table in MASTER_TABLES
        for op in ("INSERT", "UPDATE", "DELETE")
    ),
    "CREATE TRIGGER allocation_interval_valid BEFORE INSERT ON allocation"
    " WHEN NEW.starts_at >= NEW.ends_at OR julianday(NEW.ends_at) - julianday(NEW.starts_at) > 1"
    " BEGIN SELECT RAISE(ABORT, 'allocation_interval_valid'); END",
    "CREATE TRIGGER allocation_no_overlap_insert BEFORE INSERT ON allocation"
    f" WHEN NEW.live AND {_OVERLAP}"
    " BEGIN SELECT RAISE(ABORT, 'allocation_no_overlap'); END",
    "CREATE TRIGGER allocation_no_overlap_update"
    " BEFORE UPDATE OF live, resource, starts_at, ends_at ON allocation"
    f" WHEN NEW.live AND {_OVERLAP}"
    " BEGIN SELECT RAISE(ABORT, 'allocation_no_overlap'); END",
]

POSTGRES_DOWN = [
    *(f"DROP TRIGGER {table}_bumps_revision ON {table}" for table in MASTER_TABLES),
    "DROP FUNCTION bump_catalog_revision()",
    "ALTER TABLE allocation DROP CONSTRAINT allocation_no_overlap",
    "ALTER TABLE allocation DROP CONSTRAINT allocation_interval_valid",
]
SQLITE_DOWN = [
    *(
        f"DROP TRIGGER {table}_{op.lower()}_bumps_revision"
        for table in MASTER_TABLES
        for op in ("INSERT", "UPDATE", "DELETE")
    ),
    "DROP TRIGGER allocation_no_overlap_update",
    "DROP TRIGGER allocation_no_overlap_insert",
    "DROP TRIGGER allocation_interval_valid",
]
COMMON_DOWN = [
    "DELETE FROM catalog_revision",
    "DROP INDEX allocation_live_resource",
    "DROP INDEX allocation_appointment",
    "DROP INDEX appointment_point_starts",
    "DROP INDEX staff_point_unique",
]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def apply(statements: list[str]) -> None:
        for sql in statements:
            await engine.run_ddl(sql)

    async def up() -> None:
        await apply(COMMON + (POSTGRES if engine.engine_type == "postgres" else SQLITE))

    async def down() -> None:
        await apply(
            (POSTGRES_DOWN if engine.engine_type == "postgres" else SQLITE_DOWN) + COMMON_DOWN
        )

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
