"""Which database a test process uses: a fresh SQLite file, or its own PostgreSQL database.

Run in parallel (pytest-xdist), every worker gets a database of its own so that emptying
tables between tests never reaches another worker's rows: on PostgreSQL a database named
after the worker is created next to the one DATABASE_URL names.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from urllib.parse import urlsplit, urlunsplit

import asyncpg


def choose() -> str:
    """The DATABASE_URL for this process, to be set before Loket reads its settings."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        url = f"sqlite:///{tempfile.mkdtemp(prefix='loket-test-')}/test.sqlite"
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker and url.startswith(("postgres://", "postgresql://")):
        url = asyncio.run(_own_database(url, worker))
    return url


async def _own_database(url: str, worker: str) -> str:
    parts = urlsplit(url)
    name = f"{parts.path.lstrip('/')}_{worker}"
    connection = await asyncpg.connect(url)
    try:
        await connection.execute(f'DROP DATABASE IF EXISTS "{name}"')
        await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return urlunsplit(parts._replace(path=f"/{name}"))
