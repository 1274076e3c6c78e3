"""Read-only report queries on a PostgreSQL streaming replica (DATABASE_REPLICA_URL, issue 12).

Reports read a lot and write nothing, so with a replica set they go there and leave the
primary to bookings. Only what is asked through ``fetch_tuples`` here goes to the replica;
every other statement, and everything inside a write transaction, stays on the primary.
A replica that cannot be reached is not an error: the read goes to the primary, the
warning is logged once, and the replica is tried again after ``RETRY_SECONDS``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Sequence
from typing import Any

import asyncpg
from piccolo.querystring import QueryString

from booking.db import rows
from booking.db.transactions import engine

log = logging.getLogger(__name__)

#: How long reads stay on the primary after the replica could not be reached.
RETRY_SECONDS = 30.0
CONNECT_TIMEOUT_SECONDS = 3.0
#: What says the replica itself is away, as opposed to a fault in the query.
UNREACHABLE = (OSError, asyncio.TimeoutError, asyncpg.PostgresConnectionError,
               asyncpg.CannotConnectNowError, asyncpg.InterfaceError)  # fmt: skip


class _Replica:
    def __init__(self) -> None:
        self.url = ""
        self.pool: asyncpg.Pool | None = None
        self.retry_at = 0.0
        self.warned = False
        self.opening = asyncio.Lock()


_replica = _Replica()


async def configure(url: str) -> None:
    """Sends report reads to the replica at ``url`` from now on ("" for none)."""
    await close()
    _replica.url, _replica.retry_at, _replica.warned = url, 0.0, False
    _replica.opening = asyncio.Lock()


async def close() -> None:
    pool, _replica.pool = _replica.pool, None
    if pool is not None:
        await pool.close()


async def fetch_tuples(sql: str, *args: Any) -> Sequence[Sequence[Any]]:
    """``booking.db.rows.fetch_tuples`` for a read-only query: on the replica when one is
    set and reachable, else on the primary."""
    in_transaction = engine().current_transaction.get() is not None
    if not _replica.url or in_transaction or time.monotonic() < _replica.retry_at:
        return await rows.fetch_tuples(sql, *args)
    query, values = QueryString(sql, *args).compile_string(engine_type="postgres")
    try:
        pool = await _pool()
        connection = await pool.acquire(timeout=CONNECT_TIMEOUT_SECONDS)
    except (*UNREACHABLE, asyncpg.PostgresError) as error:  # down, or refusing us
        _away(error)
        return await rows.fetch_tuples(sql, *args)
    try:
        return await connection.fetch(query, *values)
    except asyncpg.SerializationError:  # cancelled by a conflict with the replay: rare
        return await rows.fetch_tuples(sql, *args)
    except UNREACHABLE as error:  # gone in the middle of the query
        _away(error)
        return await rows.fetch_tuples(sql, *args)
    finally:
        await pool.release(connection)


def _away(error: BaseException) -> None:
    """Reads go to the primary for a while; said once, without the URL (it may hold a
    password)."""
    _replica.retry_at = time.monotonic() + RETRY_SECONDS
    if not _replica.warned:
        _replica.warned = True
        log.warning(
            "the read replica cannot be reached (%s); reports read the primary meanwhile",
            type(error).__name__,
        )


async def _pool() -> asyncpg.Pool:
    async with _replica.opening:
        if _replica.pool is None:
            _replica.pool = await asyncpg.create_pool(
                _replica.url,
                min_size=0,
                max_size=4,
                timeout=CONNECT_TIMEOUT_SECONDS,
                server_settings={"application_name": "loket-reports"},
            )
        return _replica.pool
