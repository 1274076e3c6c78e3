"""A second, empty database beside the suite's, on the same engine: for commands that must
meet a fresh installation (``loket migrate``, ``loket restore``).

SQLite: a new file in a temporary folder. PostgreSQL: a new database on the suite's server,
dropped afterwards.
"""

from __future__ import annotations

import secrets
import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import asyncpg

from booking.settings import Settings


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


@asynccontextmanager
async def fresh_database(settings: Settings) -> AsyncIterator[str]:
    """Yields the DATABASE_URL of a new, empty database."""
    if not settings.is_postgres:
        with tempfile.TemporaryDirectory(prefix="loket-fresh-") as folder:
            yield f"sqlite:///{Path(folder) / 'fresh.sqlite'}"
        return
    name = f"loket_fresh_{secrets.token_hex(4)}"
    admin = await asyncpg.connect(settings.database_url)
    try:
        await admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield _with_database(settings.database_url, name)
        finally:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await admin.close()
