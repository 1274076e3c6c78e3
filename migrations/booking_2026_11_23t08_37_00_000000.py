"""Agency hours and topics are master data: they bump the catalog revision; handover indexes."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-11-23T08:37:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Catalog revision for agency hours and topics; handover indexes"

TABLES = ("agency_hours", "agency_topic")
COMMON = [
    "CREATE UNIQUE INDEX agency_topic_unique ON agency_topic (agency, topic)",
    "CREATE INDEX agency_hours_agency ON agency_hours (agency)",
    "CREATE INDEX handover_agency ON handover (agency)",
    "CREATE INDEX invite_attendee_appointment ON invite_attendee (appointment)",
]
COMMON_DOWN = [f"DROP INDEX {sql.split(' ON ')[0].split()[-1]}" for sql in reversed(COMMON)]
POSTGRES = [
    f"CREATE TRIGGER {table}_bumps_revision AFTER INSERT OR UPDATE OR DELETE ON {table}"
    " FOR EACH STATEMENT EXECUTE FUNCTION bump_catalog_revision()"
    for table in TABLES
]
POSTGRES_DOWN = [f"DROP TRIGGER {table}_bumps_revision ON {table}" for table in TABLES]
SQLITE = [
    f"CREATE TRIGGER {table}_{op.lower()}_bumps_revision AFTER {op} ON {table}"
    " BEGIN UPDATE catalog_revision SET revision = revision + 1; END"
    for table in TABLES
    for op in ("INSERT", "UPDATE", "DELETE")
]
SQLITE_DOWN = [
    f"DROP TRIGGER {table}_{op.lower()}_bumps_revision"
    for table in TABLES
    for op in ("INSERT", "UPDATE", "DELETE")
]


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
