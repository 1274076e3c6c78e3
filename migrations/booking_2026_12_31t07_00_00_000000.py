"""Indexes for a point's master data (issue 12, found with EXPLAIN at the national size):
the one statement of a cold point read every staff schedule and opening hour in the
country (sequential scans of 80,000 schedules at 10,000 staff, 40 ms), because only the
primary keys and staff_point's (staff, point) were indexed."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.engine.finder import engine_finder

ID = "2026-12-31T07:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Indexes for reading one point's hours, people, schedules and absences"

#: Name and definition; a btree on point also serves ``point IS NULL`` (any point).
INDEXES = {
    "staff_point_point": "staff_point (point, staff)",
    "staff_schedule_point": "staff_schedule (point, staff)",
    "staff_schedule_staff": "staff_schedule (staff)",
    "opening_hours_point": "opening_hours (point)",
    "opening_exception_point_day": "opening_exception (point, day)",
    "mobile_visit_point_day": "mobile_visit (point, day)",
    "staff_absence_staff": "staff_absence (staff, starts_at)",
}


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    engine = engine_finder()

    async def up() -> None:
        for name, columns in INDEXES.items():
            await engine.run_ddl(f"CREATE INDEX {name} ON {columns}")

    async def down() -> None:
        for name in INDEXES:
            await engine.run_ddl(f"DROP INDEX {name}")

    manager.add_raw(up)
    manager.add_raw_backwards(down)
    return manager
