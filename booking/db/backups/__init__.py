"""``loket backup PATH`` and ``loket restore PATH``: a consistent copy of the whole database
while Loket serves, and its return into an empty database.

SQLite copies through the online backup API (one step: a consistent snapshot, and under WAL
the writers carry on); PostgreSQL through ``pg_dump`` in its custom format and
``pg_restore``. The audit log's append-only triggers travel with the schema; restoring only
inserts, which they allow.
"""

from __future__ import annotations

from pathlib import Path

from booking.db.backups import postgres, sqlite
from booking.db.backups.errors import BackupError
from booking.settings import Settings

__all__ = ["BackupError", "backup", "restore"]

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


def backup(settings: Settings, target: Path) -> None:
    if target.exists():
        raise BackupError(f"{target} exists already; choose a new file for each backup")
    if settings.is_postgres:
        postgres.dump(settings.database_url, target)
    else:
        sqlite.copy(settings.sqlite_path, target)


def restore(settings: Settings, source: Path) -> None:
    """Restores ``source`` into the (empty) database DATABASE_URL names."""
    if not source.is_file():
        raise BackupError(f"{source} is not a file")
    with source.open("rb") as file:
        head = file.read(len(SQLITE_MAGIC))
    if settings.is_postgres:
        if not head.startswith(PG_DUMP_MAGIC):
            raise BackupError(f"{source} is not a PostgreSQL backup (pg_dump -Fc)")
        postgres.load(settings.database_url, source)
    else:
        if head != SQLITE_MAGIC:
            raise BackupError(f"{source} is not an SQLite backup")
        sqlite.load(source, settings.sqlite_path)
