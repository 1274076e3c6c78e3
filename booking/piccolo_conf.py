"""Piccolo's configuration module: one engine, chosen by DATABASE_URL, for app and migrations."""

from piccolo.conf.apps import AppRegistry
from piccolo.engine.base import Engine

from booking.db.postgres_engine import LoketPostgresEngine
from booking.db.sqlite_engine import ReaderSQLiteEngine
from booking.settings import Settings, get_settings

# A booker waits this long for SQLite's write lock before giving up; generous on purpose,
# because a failed BEGIN IMMEDIATE leaks Piccolo's connection thread (PITFALLS.md).
SQLITE_LOCK_TIMEOUT_SECONDS = 30


def make_engine(settings: Settings) -> Engine:
    if settings.is_postgres:
        return LoketPostgresEngine(config={"dsn": settings.database_url})
    path = settings.sqlite_path
    path.parent.mkdir(parents=True, exist_ok=True)
    return ReaderSQLiteEngine(path=str(path), timeout=SQLITE_LOCK_TIMEOUT_SECONDS)


DB = make_engine(get_settings())

APP_REGISTRY = AppRegistry(apps=["booking.db.piccolo_app"])
