"""No write transaction keeps a connection when it fails at COMMIT, and closing the pool
never waits for ever (PostgreSQL; SQLite's side is tests/waitlist/test_shutdown.py).

Piccolo returns a transaction's connection to the pool only after a clean COMMIT or
ROLLBACK: a COMMIT that failed, or was cancelled as a worker stopped, kept it out, and the
test run hung at its end in closing the pool."""

from __future__ import annotations

import time

import asyncpg
import pytest

from booking.db import transactions
from booking.db.rows import fetch_tuples
from booking.db.transactions import close_pool, engine, is_sqlite, open_pool, write_transaction


@pytest.fixture
async def postgres_pool(db):
    if is_sqlite():
        pytest.skip("PostgreSQL's pool; SQLite has none")
    yield engine().pool


def in_use(pool: asyncpg.Pool) -> int:
    return pool.get_size() - pool.get_idle_size()


async def test_a_commit_that_fails_gives_its_connection_back(postgres_pool):
    await engine().run_ddl(
        "CREATE TABLE deferred_once (id INTEGER,"
        " CONSTRAINT deferred_once_id UNIQUE (id) DEFERRABLE INITIALLY DEFERRED)"
    )
    try:
        assert in_use(postgres_pool) == 0
        with pytest.raises(asyncpg.UniqueViolationError):
            async with write_transaction():
                await fetch_tuples("INSERT INTO deferred_once VALUES (1), (1)")
        assert in_use(postgres_pool) == 0
        assert engine().current_transaction.get() is None
        async with write_transaction():  # the next one works as ever
            await fetch_tuples("INSERT INTO deferred_once VALUES (2)")
        assert await fetch_tuples("SELECT id FROM deferred_once") == [(2,)]
    finally:
        await engine().run_ddl("DROP TABLE deferred_once")


async def test_closing_the_pool_ends_a_connection_still_out(postgres_pool, monkeypatch):
    monkeypatch.setattr(transactions, "CLOSE_SECONDS", 0.5)
    leaked = await postgres_pool.acquire()
    started = time.monotonic()
    try:
        await close_pool()
        assert time.monotonic() - started < 5
        with pytest.raises(asyncpg.InterfaceError):  # ended, not waited for
            await leaked.fetch("SELECT 1")
    finally:
        await open_pool(min_size=2, max_size=40)  # as the session's fixture opened it
