"""The national report's daily roll-up (issue 12): ``report_day`` (counts per local date,
kept by the worker, booking/services/rollup), ``report_dirty`` (the local dates changed since
they were rolled up, written by triggers in the changing transaction, so no write path can
forget it), every existing appointment's date marked, and the indexes the report's live
parts read: booked appointments by local date, and by lead minutes for the median."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2027-01-01T01:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Report roll-up: report_day, report_dirty, their triggers and indexes"

ROLLUP = (
    "CREATE TABLE report_day (local_date DATE NOT NULL, kind VARCHAR(12) NOT NULL,"
    " status VARCHAR(10), local_weekday SMALLINT, local_hour SMALLINT, point INTEGER,"
    " topic INTEGER, language VARCHAR(12), channel VARCHAR(10), lead_days INTEGER,"
    " lead_bucket INTEGER, agency INTEGER, outcome VARCHAR(16), seconds BIGINT,"
    " n INTEGER NOT NULL)"
)
DIRTY = {
    "postgres": "CREATE TABLE report_dirty (id BIGSERIAL PRIMARY KEY, local_date DATE NOT NULL)",
    "sqlite": "CREATE TABLE report_dirty (id INTEGER PRIMARY KEY, local_date DATE NOT NULL)",
}
INDEXES = {
    "report_day_kind_date": "report_day (kind, local_date)",
    "report_dirty_date": "report_dirty (local_date)",
    "appointment_booked_day": "appointment (local_date) WHERE held_until IS NULL",
}
LEAD_INDEX = {
    "postgres": "appointment (lead_minutes, local_date) INCLUDE (status, point, lead_days)"
    " WHERE held_until IS NULL",
    "sqlite": "appointment (lead_minutes, local_date, status, point, lead_days)"
    " WHERE held_until IS NULL",
}
MARK_ALL = (
    "INSERT INTO report_dirty (local_date) SELECT DISTINCT local_date FROM appointment"
    " WHERE local_date IS NOT NULL"
)
#: What a report counts by: a change to anything else leaves the roll-up as it is.
COUNTED = {
    "appointment": (
        "point", "topic", "language", "channel", "status", "starts_at", "ends_at",
        "held_until", "local_date", "local_weekday", "local_hour", "lead_days", "lead_minutes",
    ),
    "handover": ("appointment", "agency", "outcome", "interpreter_language"),
    "allocation": ("appointment", "role", "live"),
}  # fmt: skip


def _dates(table: str, rows: str) -> str:
    """The local dates of ``rows`` (a transition table or NEW/OLD) of ``table``."""
    if table == "appointment":
        return f"SELECT r.local_date FROM {rows} r WHERE r.local_date IS NOT NULL"
    return (
        f"SELECT a.local_date FROM appointment a JOIN {rows} r ON a.id = r.appointment"
        " WHERE a.local_date IS NOT NULL"
    )


def postgres(table: str) -> list[str]:
    """A statement-level trigger per event with transition tables: one insert of distinct
    dates per statement, so a COPY of a million rows writes a few hundred."""
    changed = " OR ".join(f"o.{c} IS DISTINCT FROM n.{c}" for c in COUNTED[table])
    updated = "SELECT o.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE " + changed
    moved = "SELECT n.* FROM old_rows o JOIN new_rows n ON n.id = o.id WHERE " + changed
    function = (
        f"CREATE FUNCTION report_dirty_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
        " IF TG_OP = 'INSERT' THEN INSERT INTO report_dirty (local_date)"
        f" SELECT DISTINCT local_date FROM ({_dates(table, 'new_rows')}) d;"
        " ELSIF TG_OP = 'DELETE' THEN INSERT INTO report_dirty (local_date)"
        f" SELECT DISTINCT local_date FROM ({_dates(table, 'old_rows')}) d;"
        " ELSE INSERT INTO report_dirty (local_date) SELECT DISTINCT local_date FROM"
        f" ({_dates(table, f'({updated})')} UNION {_dates(table, f'({moved})')}) d;"
        " END IF; RETURN NULL; END $$"
    )
    tables = {"INSERT": "NEW TABLE AS new_rows", "DELETE": "OLD TABLE AS old_rows",
              "UPDATE": "OLD TABLE AS old_rows NEW TABLE AS new_rows"}  # fmt: skip
    return [function] + [
        f"CREATE TRIGGER {table}_{op.lower()}_report_dirty AFTER {op} ON {table}"
        f" REFERENCING {refs} FOR EACH STATEMENT EXECUTE FUNCTION report_dirty_{table}()"
        for op, refs in tables.items()
    ]


def sqlite(table: str) -> list[str]:
    def insert(row: str) -> str:
        if table == "appointment":
            return (
                f"INSERT INTO report_dirty (local_date) SELECT {row}.local_date"
                f" WHERE {row}.local_date IS NOT NULL;"
            )
        return (
            "INSERT INTO report_dirty (local_date) SELECT local_date FROM appointment"
            f" WHERE id = {row}.appointment AND local_date IS NOT NULL;"
        )

    columns = ", ".join(COUNTED[table])
    return [
        f"CREATE TRIGGER {table}_insert_report_dirty AFTER INSERT ON {table}"
        f" BEGIN {insert('NEW')} END",
        f"CREATE TRIGGER {table}_delete_report_dirty AFTER DELETE ON {table}"
        f" BEGIN {insert('OLD')} END",
        f"CREATE TRIGGER {table}_update_report_dirty AFTER UPDATE OF {columns} ON {table}"
        f" BEGIN {insert('OLD')} {insert('NEW')} END",
    ]


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def up() -> None:
        kind = "postgres" if engine.engine_type == "postgres" else "sqlite"
        await engine.run_ddl(ROLLUP)
        await engine.run_ddl(DIRTY[kind])
        for name, definition in {**INDEXES, "appointment_lead": LEAD_INDEX[kind]}.items():
            await engine.run_ddl(f"CREATE INDEX {name} ON {definition}")
        for table in COUNTED:
            for sql in (postgres if kind == "postgres" else sqlite)(table):
                await engine.run_ddl(sql)
        await engine.run_ddl(MARK_ALL)

    async def down() -> None:
        postgres_engine = engine.engine_type == "postgres"
        for table in COUNTED:
            for op in ("insert", "delete", "update"):
                on = f" ON {table}" if postgres_engine else ""
                await engine.run_ddl(f"DROP TRIGGER {table}_{op}_report_dirty{on}")
            if postgres_engine:
                await engine.run_ddl(f"DROP FUNCTION report_dirty_{table}()")
        for name in (*INDEXES, "appointment_lead"):
            await engine.run_ddl(f"DROP INDEX {name}")
        await engine.run_ddl("DROP TABLE report_dirty")
        await engine.run_ddl("DROP TABLE report_day")

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
