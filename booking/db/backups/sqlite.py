"""SQLite through its online backup API."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from booking.db.backups.errors import BackupError


def copy(database: Path, target: Path) -> None:
    """Copies ``database`` to ``target`` in one step, so the copy is one consistent moment.

    A stepwise copy would start over whenever a booking writes meanwhile; under WAL the
    single read it takes here holds no writer up. The copy is written beside the target
    and renamed, so a half-written backup never carries the final name.
    """
    if not database.exists():
        raise FileNotFoundError(f"no database at {database}")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    with closing(sqlite3.connect(database)) as source, closing(sqlite3.connect(partial)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
    partial.rename(target)


def tables(connection: sqlite3.Connection) -> list[str]:
    rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return [name for (name,) in rows]


def load(backup: Path, database: Path) -> None:
    """Writes the backup into ``database``, which must not hold tables yet."""
    database.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(database)) as target:
        if tables(target):
            raise BackupError(
                f"{database} is not empty: restore into a new file (set DATABASE_URL to it)"
            )
        with closing(sqlite3.connect(backup)) as source:
            if "migration" not in tables(source):
                raise BackupError(f"{backup} is not a Loket database")
            source.backup(target)
        target.execute("PRAGMA journal_mode=WAL")
