"""The Piccolo app: its tables, with migrations kept in the top-level migrations/ folder."""

from piccolo.conf.apps import AppConfig, table_finder

from booking.db.tables import MODULES
from booking.settings import PROJECT_ROOT

APP_CONFIG = AppConfig(
    app_name="booking",
    migrations_folder_path=str(PROJECT_ROOT / "migrations"),
    table_classes=table_finder(modules=list(MODULES), exclude_imported=True),
    migration_dependencies=[],
    commands=[],
)
