"""Brings a database to the newest schema: the same migrations on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3

from piccolo.apps.migrations.commands.forwards import run_forwards

from booking.settings import Settings


def prepare_sqlite(settings: Settings) -> None:
    """WAL lets readers carry on while one booking writes; it is a property of the file."""
    settings.sqlite_path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(settings.sqlite_path) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


async def migrate(settings: Settings) -> None:
    if not settings.is_postgres:
        prepare_sqlite(settings)
    result = await run_forwards(app_name="booking")
    if not result.success:
        raise RuntimeError(f"migrations failed: {result.message}")
