"""Plain reads from any Loket database by URL, outside the suite's Piccolo engine (which is
bound to the suite's own database); values come back as text, to compare across copies."""

from __future__ import annotations

import sqlite3
from contextlib import closing

import asyncpg

from booking.settings import Settings


async def rows(url: str, sql: str) -> list[tuple[str, ...]]:
    settings = Settings.from_env({"DATABASE_URL": url})
    if settings.is_postgres:
        connection = await asyncpg.connect(url)
        try:
            found = [tuple(r) for r in await connection.fetch(sql)]
        finally:
            await connection.close()
    else:
        with closing(sqlite3.connect(settings.sqlite_path)) as connection:
            found = connection.execute(sql).fetchall()
    return [tuple("" if v is None else str(v) for v in row) for row in found]
