"""Reports from SQL (issue 12): each appointment keeps its start's local date, weekday and
hour in the point's zone and its lead time, so reports group in the database. The next
migration fills them for existing rows and adds the index the reports read by."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Date, Integer, SmallInt
from piccolo.columns.indexes import IndexMethod

ID = "2026-12-31T06:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "Appointment: local date, weekday, hour and lead time for the reports"

COLUMNS = (
    ("local_date", Date),
    ("local_weekday", SmallInt),
    ("local_hour", SmallInt),
    ("lead_days", Integer),
    ("lead_minutes", Integer),
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="booking", description=DESCRIPTION)
    for name, column_class in COLUMNS:
        manager.add_column(
            table_class_name="Appointment",
            tablename="appointment",
            column_name=name,
            db_column_name=name,
            column_class_name=column_class.__name__,
            column_class=column_class,
            params={
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
