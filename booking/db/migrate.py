"""Brings a database to the newest schema: the same migrations on SQLite and PostgreSQL.

Piccolo's runner prints its own progress, twice over on a fresh database ("12 already
complete", then "12 not yet run"); Loket keeps it quiet and reports once what it did. The
same list of known migrations tells ``/ready`` whether a database is current.
"""

from __future__ import annotations

import contextlib
import io
import sqlite3
from dataclasses import dataclass
from functools import lru_cache

from piccolo.apps.migrations.commands.base import BaseMigrationManager
from piccolo.apps.migrations.commands.forwards import run_forwards
from piccolo.apps.migrations.tables import Migration

from booking.settings import PROJECT_ROOT, Settings

APP_NAME = "booking"


@dataclass(frozen=True, slots=True)
class Migrated:
    """What ``migrate`` did: the migrations it applied, out of how many there are."""

    applied: tuple[str, ...]
    known: int

    def __str__(self) -> str:
        if not self.applied:
            return f"database is current: {self.known} migrations, none to apply"
        return f"applied {len(self.applied)} of {self.known} migrations; newest {self.applied[-1]}"


@lru_cache(maxsize=1)
def known_migrations() -> tuple[str, ...]:
    """The IDs of the migration files in ``migrations/``, oldest first (read once)."""
    modules = BaseMigrationManager().get_migration_modules(str(PROJECT_ROOT / "migrations"))
    return tuple(sorted(modules))


async def applied_migrations() -> set[str]:
    """The IDs the database says ran; empty when it has no migration table yet."""
    if not await Migration.table_exists():
        return set()
    return set(await Migration.get_migrations_which_ran(app_name=APP_NAME))


async def pending_migrations() -> list[str]:
    """Known migrations the database has not run: empty when the schema is current."""
    done = await applied_migrations()
    return [name for name in known_migrations() if name not in done]


def prepare_sqlite(settings: Settings) -> None:
    """WAL lets readers carry on while one booking writes; it is a property of the file."""
    settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(settings.sqlite_path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


async def migrate(settings: Settings) -> Migrated:
    """Applies every pending migration; Piccolo's own output is kept unless it fails."""
    if not settings.is_postgres:
        prepare_sqlite(settings)
    pending = await pending_migrations()
    if pending:
        chatter = io.StringIO()
        with contextlib.redirect_stdout(chatter):
            result = await run_forwards(app_name=APP_NAME)
        if not result.success:
            raise RuntimeError(f"migrations failed: {result.message}\n{chatter.getvalue()}")
    return Migrated(applied=tuple(pending), known=len(known_migrations()))
